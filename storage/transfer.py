"""Export, import and check: the whole data set as docs/rules.md's export object,
validated whole on the way in (an older schema migrated), and every problem
found in a data file."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from . import backups
from .clock import stamp
from .core import StoreCore
from .errors import ValidationError
from .i18n import _, ngettext
from .jsonfile import Data
from .migrations import cover_existing_ids, migrate
from .models import MODELS, SCHEMA_VERSION, TABLES, Settings
from .schema import problems_in


class TransferWorkflows(StoreCore):
    """Export, import, check."""

    # -- export, import, check ---------------------------------------------- #

    def export_data(self) -> dict[str, Any]:
        """Everything, as docs/rules.md's export: schema_version and one array per table."""
        data = self.storage.read() or {}
        out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for model in MODELS:
            table = data.get(model.TABLE, {})
            out[model.TABLE] = [table[key] for key in sorted(table, key=int)]
        return out

    def import_data(self, payload: Any) -> dict[str, int]:
        """Replace everything with an export (backed up first). Validated whole first."""
        data = parse_export(payload, now=self.clock.now())
        made: Path | None = None
        try:
            with self.transaction():
                made = backups.make(self.path, "pre-import", now=self.clock.now())
                self.storage.replace_all(data)
        except BaseException:
            # Nothing was imported: a backup "before the import" would only
            # push an older, useful one out of the rotation.
            if made is not None:
                with contextlib.suppress(OSError):
                    made.unlink()
            raise
        return {name: len(table) for name, table in data.items()}

    def fill_with_demo(self, today: dt.date, size: str | int = "small") -> dict[str, int]:
        """Fill a file that has no clients yet with the demo data set for
        ``today`` (storage.demo): the first-run screen's way to look around.

        Refused (a UserError, nothing changed) once the file has a client: the
        demo never mixes with real work (``rapport demo --force`` replaces a
        whole file instead, after a backup). The file's templates are kept (the
        shipped ones, or its own edits), and so are its settings once the
        person changed any of them (their name and sign-off, say); untouched
        settings give way to the demo freelancer's, so that drafts have a
        sign-off and invoices an issuer. The demo's ids and invoice numbers
        follow the file's counters, never reusing one. One commit: it is
        undone like any other change. Returns the documents put in, per table."""
        from .demo import generate  # only here: `rapport today` never needs it

        with self.transaction():
            data = self.storage.read() or {}
            clients = len(data.get("client") or {})
            if clients:
                raise ValidationError(
                    "demo", f"the demo data only goes into a file with no clients, and this one has {clients}"
                )
            mine = dict(next(iter(data["settings"].values())))
            demo = parse_export(generate(today, size, counters=mine.get("counters") or {}), now=self.clock.now())
            theirs = dict(next(iter(demo["settings"].values())))
            merged: Data = {name: demo.get(name, {}) for name in TABLES}
            keep_templates = bool(data.get("template"))
            if keep_templates:
                merged["template"] = data["template"]
            counters = dict(mine.get("counters") or {})
            for key, number in (theirs.get("counters") or {}).items():
                if not (keep_templates and key == "template"):  # the demo's copies were left out
                    counters[key] = max(int(counters.get(key, 0)), int(number))
            settings = mine if _settings_changed(mine) else theirs
            settings["counters"] = counters
            merged["settings"] = {key: settings for key in data["settings"]}
            problems = problems_in(merged, data)
            if problems:  # pragma: no cover - the demo and the file were each checked whole
                raise ValidationError("demo", problems[0])
            self.storage.replace_all(merged)
            self._rebuild_tables()
        return {name: len(table) for name, table in merged.items() if name not in ("settings", "template")}

    def check(self) -> list[str]:
        """Every problem found in the data: invalid documents, broken references."""
        return check_data(self.storage.read() or {})

def parse_export(payload: Any, *, now: dt.datetime | None = None) -> Data:
    """Turn an export object into TinyDB's data, validating every document.

    An export of an older schema is migrated, which needs ``now``, the run's
    clock (its timestamps for what the migration adds)."""
    if not isinstance(payload, dict):
        raise ValidationError("import", _("the file is not a rapport export (expected a JSON object)"))
    version = payload.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError("schema_version", _("is missing: not a rapport export"))
    if version > SCHEMA_VERSION:
        raise ValidationError("schema_version", _("{version} is newer than this rapport reads ({newest})").format(
            version=version, newest=SCHEMA_VERSION))
    if version < 1:
        raise ValidationError("schema_version", _("{version} is not a schema rapport ever wrote").format(
            version=version))
    unknown = set(payload) - set(TABLES) - {"schema_version"}
    if unknown:
        raise ValidationError("import", _("unknown tables: {tables}").format(tables=', '.join(sorted(unknown))))
    data: Data = {}
    for name in TABLES:
        docs = payload.get(name, [])
        if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
            raise ValidationError(name, _("must be an array of objects"))
        data[name] = {str(i): dict(doc) for i, doc in enumerate(docs, start=1)}
    if not data["settings"]:
        raise ValidationError("settings", _("the export has no settings document"))
    if len(data["settings"]) != 1:
        raise ValidationError("settings", _("the export must have exactly one settings document"))
    for doc in data["settings"].values():
        doc["schema_version"] = version
    if version < SCHEMA_VERSION:
        if now is None:
            raise ValueError("parse_export: migrating an older export needs the clock's now")
        data = migrate(data, version, stamp(now))
    # An export written by hand or by another tool may lack the id counters (or
    # carry low ones); new ids must never repeat an imported one. Our own
    # exports already cover their ids, so their round trip stays exact.
    cover_existing_ids(data)
    problems = check_data(data)
    if problems:
        raise ValidationError("import", ngettext("{n} problem, first: {first}", "{n} problems, first: {first}",
                                                 len(problems)).format(n=len(problems), first=problems[0]))
    return data


_NOT_A_CHOICE = ("id", "created_at", "updated_at", "counters", "schema_version")


def _settings_changed(doc: dict[str, Any]) -> bool:
    """Whether a settings document holds any choice of the person's: a field
    (their details, language, ladder...) other than the shipped default."""
    default = Settings(id="settings").to_doc()
    current = Settings.from_doc(doc).to_doc()
    return any(current.get(key) != value for key, value in default.items() if key not in _NOT_A_CHOICE)


def check_data(data: Data) -> list[str]:
    """Every problem found in ``data``: the one schema (storage/schema.py)."""
    return problems_in(data)

