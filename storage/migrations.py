"""Schema migrations: each takes the whole data (TinyDB's dict of tables) at
version N and returns it at version N+1. The store backs the file up before it
runs any of them, and commits the result atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .jsonfile import Data
from .models import SCHEMA_VERSION


def _v1_to_v2(data: Data, now: str) -> Data:
    """Version 1 (the first prototype) named two fields differently and had no
    timestamps: ``client.cadence`` became ``cadence_days``, ``invoice.terms`` and
    ``client.terms`` became ``terms_days``, and every document gains
    ``created_at``/``updated_at`` (unknown, so ``now``: the migration's own time)."""
    renames = {"client": {"cadence": "cadence_days", "terms": "terms_days"}, "invoice": {"terms": "terms_days"}}
    for table_name, table in data.items():
        for doc in table.values():
            for old, new in renames.get(table_name, {}).items():
                if old in doc and new not in doc:
                    doc[new] = doc.pop(old)
            doc.setdefault("created_at", now)
            doc.setdefault("updated_at", now)
    return data


def _v2_to_v3(data: Data, now: str) -> Data:
    """Version 3 gives clients people, greets them by first name, and numbers
    invoices only when issued:
    a client's email becomes its main contact (named after the client), and a
    draft gives back the number it took from the sequence (it gets the next
    one when it is issued; an invoice ever sent, void or written off keeps its
    number)."""
    for doc in data.get("client", {}).values():
        email = doc.get("email")
        if not doc.get("people") and isinstance(email, str) and email.strip():
            doc["people"] = [{"name": doc.get("name") or email, "email": email, "role": "main"}]
    # The shipped templates greet the main contact by first name now.
    for doc in data.get("template", {}).values():
        body = doc.get("body")
        if isinstance(body, str):
            for old, new in (("Hello {client},", "Hello {first_name},"), ("Hola, {client}:", "Hola, {first_name}:")):
                if body.startswith(old):
                    doc["body"] = new + body[len(old):]
    for doc in data.get("invoice", {}).values():
        if doc.get("status") == "draft" and doc.get("number"):
            doc["number"] = ""
            doc["updated_at"] = now
    return data


def _v3_to_v4(data: Data, now: str) -> Data:
    """Version 4 stores only the templates the person edited (storage/templates.py,
    "Versions"): a stored template whose text is the shipped wording, of this
    version or an earlier one, is dropped, so that drafting reads the shipped
    file and an upgrade's new wording reaches it. An edited one stays as it is."""
    from .templates import is_shipped_wording

    table = data.get("template", {})
    for key, doc in list(table.items()):
        name, language, subject, body = (doc.get(k) for k in ("name", "language", "subject", "body"))
        if (isinstance(name, str) and isinstance(language, str) and isinstance(subject, str)
                and isinstance(body, str) and is_shipped_wording(name, language, subject, body)):
            del table[key]
    return data


MIGRATIONS: dict[int, Callable[[Data, str], Data]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def schema_version_of(data: dict[str, Any]) -> int | None:
    """The version stored in the settings document, or None if there is none."""
    settings = data.get("settings") or {}
    for doc in settings.values():
        version = doc.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool):
            return version
    return None


def migrate(data: Data, version: int, now: str) -> Data:
    """Bring ``data`` from ``version`` up to :data:`SCHEMA_VERSION`; ``now`` is
    the store clock's timestamp (storage.clock.stamp) for what a step adds."""
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data, now)
        version += 1
    for doc in data.get("settings", {}).values():
        doc["schema_version"] = SCHEMA_VERSION
    cover_existing_ids(data)
    return data


_ID = re.compile(r"^([a-z]+)-(\d+)$")


def cover_existing_ids(data: Data) -> None:
    """Make each id counter at least the highest number already in use.

    New ids come from the counters in the settings document; files from before
    the counters (schema 1) have none, and the next client would have been
    ``client-1`` again, next to the migrated ``client-1``.
    """
    highest: dict[str, int] = {}
    for table in data.values():
        for doc in table.values():
            match = _ID.match(str(doc.get("id", "")))
            if match:
                prefix, number = match.group(1), int(match.group(2))
                highest[prefix] = max(highest.get(prefix, 0), number)
    for doc in data.get("settings", {}).values():
        counters = dict(doc.get("counters") or {})
        for prefix, number in highest.items():
            try:
                current = int(counters.get(prefix, 0))
            except (TypeError, ValueError):
                current = 0
            if current < number:
                counters[prefix] = number
        doc["counters"] = counters
