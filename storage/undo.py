"""Undo: the last change made through a store, and how to take it back.

Every commit leaves the file's bytes before and after it
(``AtomicJSONStorage.last_commit``); :class:`Undo` keeps that pair, and
:func:`diff` works out, by document id, which documents the change
inserted, altered or removed, and :func:`undone` what putting them back means against the data
on disk now. Taking a change back is a change like any other: the store runs
it inside its locked transaction (``StoreCore.undo``), and it is refused when
another session changed one of those documents since (compared by content).

What is not undone: the id counters in the settings document. Ids are never
handed out twice, so an undone insert leaves its number used.

The two versions are parsed only when an undo is asked for: a change costs
nothing more than the commit it already makes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from typing import Any

import orjson

from .errors import UserError
from .formats import short_date
from .i18n import N_, _, active

Data = dict[str, dict[str, dict[str, Any]]]

IGNORED = {"settings": ("counters",)}
"""Fields an undo neither compares nor puts back: the id counters."""


class UndoConflict(UserError):
    """An undo refused: a document it would put back changed since."""


@dataclasses.dataclass(frozen=True, eq=False)
class Undo:
    """One committed change: the data file's bytes before and after it."""

    before: bytes
    after: bytes

    def documents(self) -> list[Edit]:
        """What the change did, document by document (ids), tables in order."""
        return diff(orjson.loads(self.before), orjson.loads(self.after))


@dataclasses.dataclass(frozen=True)
class Edit:
    """One document a change touched: its version before (None: inserted)
    and after (None: removed)."""

    table: str
    doc_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _content(table: str, doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None or table not in IGNORED:
        return doc
    return {k: v for k, v in doc.items() if k not in IGNORED[table]}


def _by_id(table: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {doc["id"]: doc for doc in (table or {}).values() if isinstance(doc, dict) and "id" in doc}


def diff(before: Data, after: Data) -> list[Edit]:
    """Every document whose content differs between two versions of the data,
    the id counters aside."""
    edits: list[Edit] = []
    for table in sorted(set(before) | set(after)):
        old, new = _by_id(before.get(table)), _by_id(after.get(table))
        for doc_id in sorted(set(old) | set(new)):
            a, b = old.get(doc_id), new.get(doc_id)
            if _content(table, a) != _content(table, b):
                edits.append(Edit(table, doc_id, a, b))
    return edits


DOCUMENT_WORDS = {
    "client": N_("client"),
    "contact": N_("contact"),
    "job": N_("job"),
    "change": N_("change"),
    "promise": N_("promise"),
    "rate": N_("rate"),
    "invoice": N_("invoice"),
    "template": N_("template"),
    "settings": N_("settings"),
}
"""The documents' kinds (the tables' names), as a message says them."""


def describe(edit: Edit) -> str:
    """A document, as a message names it, in the active language: ``client
    'Acme'``, ``invoice 2026-014``, ``contact of 2026-11-27``. User text is cut
    and quoted (it is data)."""
    doc = edit.after or edit.before or {}

    def quoted(value: str) -> str:
        short = " ".join(value.split())
        return repr(short if len(short) <= 40 else short[:39] + "\u2026")

    if edit.table == "invoice" and doc.get("number"):
        return _("invoice {number}").format(number=doc["number"])
    if edit.table == "contact" and doc.get("date"):
        day = str(doc["date"])
        with contextlib.suppress(ValueError):
            day = short_date(dt.date.fromisoformat(day), active())
        summary = doc.get("summary")
        if isinstance(summary, str) and summary:
            return _("contact of {date} {summary}").format(date=day, summary=quoted(summary))
        return _("contact of {date}").format(date=day)
    kind = DOCUMENT_WORDS.get(edit.table)
    kind = _(kind) if kind is not None else edit.table
    for field in ("name", "title", "text", "what"):
        value = doc.get(field)
        if isinstance(value, str) and value:
            return _("{kind} {name}").format(kind=kind, name=quoted(value))
    return _("{kind} {name}").format(kind=kind, name=edit.doc_id)


def undone(data: Data, edits: list[Edit]) -> Data:
    """``data`` (the version on disk now) with ``edits`` taken back: each
    document as it was before the change. Raises :class:`UndoConflict` when a
    document is no longer as the change left it. ``data`` is not modified."""
    if not edits:
        raise UserError(_("nothing to undo: that change left the data as it was"))
    out: Data = dict(data)
    for name in {e.table for e in edits}:
        out[name] = dict(data.get(name) or {})
    keys: dict[str, dict[str, str]] = {}
    for edit in edits:
        if edit.table not in keys:
            keys[edit.table] = {doc["id"]: key for key, doc in out[edit.table].items()
                                if isinstance(doc, dict) and "id" in doc}
        table, where = out[edit.table], keys[edit.table]
        key = where.get(edit.doc_id)
        current = table.get(key) if key is not None else None
        if _content(edit.table, current) != _content(edit.table, edit.after):
            raise UndoConflict(
                _("cannot undo: {what} was changed in another session since; nothing was undone").format(
                    what=describe(edit))
            )
        if edit.before is None:
            assert key is not None
            del table[key]
            continue
        restored = dict(edit.before)
        if current is not None:
            for name in IGNORED.get(edit.table, ()):  # the counters stay as they are now
                if name in current:
                    restored[name] = current[name]
                else:
                    restored.pop(name, None)
        if key is None:
            key = str(max((int(k) for k in table if k.isdigit()), default=0) + 1)
            where[edit.doc_id] = key
        table[key] = restored
    return out
