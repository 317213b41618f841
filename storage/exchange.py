"""Export and import: JSON (an exact round trip), CSV (one file per table) and
iCalendar (what falls due, for a calendar app).

Exported files may hold everything about every client, so they are written
with mode 0600 like the data file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from .i18n import _, active, ngettext
from .jsonfile import atomic_write, dump_bytes
from .models import MODELS
from .values import ValidationError

if TYPE_CHECKING:
    from .store import Store


def export_json(store: Store) -> bytes:
    """docs/rules.md's export: ``schema_version`` and one array of documents per table."""
    return dump_bytes(store.export_data())


def read_json(path: Path) -> Any:
    """Read an export file, with one clear error for a file that is not JSON."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError("import", _("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror)) from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationError("import", _("{path} is not valid JSON ({error})").format(path=path, error=exc)) from None


def write_private(path: Path, payload: bytes) -> None:
    atomic_write(path, payload)


def export_csv(store: Store, folder: Path) -> list[Path]:
    """One ``<table>.csv`` per table; lists and objects are JSON in their cell."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = store.export_data()
    written = []
    for model in MODELS:
        docs = data[model.TABLE]
        columns: list[str] = []
        for doc in docs:
            for key in doc:
                if key not in columns:
                    columns.append(key)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for doc in docs:
            writer.writerow([_cell(doc.get(column)) for column in columns])
        target = folder / f"{model.TABLE}.csv"
        atomic_write(target, buffer.getvalue().encode("utf-8"))
        written.append(target)
    return written


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, bool):
        return "true" if value else "false"
    else:
        text = str(value)
    return spreadsheet_safe(text)


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: text starting with
    ``= + - @`` (or a tab or carriage return) gets a leading ``'``. A plain
    negative number (``-120.00``) is left as it is: no spreadsheet runs it."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


_DROPPED = frozenset([chr(0x7F), *map(chr, range(0x80, 0xA0)), *map(chr, range(0x202A, 0x202F)),
                      *map(chr, range(0x2066, 0x206A))])
"""DEL, the C1 controls and the bidi overrides: a terminal (``export`` to stdout)
or a calendar would act on them."""


def _ics_text(text: str) -> str:
    from .text import visible

    # Controls (C0 other than newline, DEL, C1, bidi overrides) as visible
    # symbols: the calendar may be printed to a terminal, and is shown by apps.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = visible(text, keep_newlines=True)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 line folding: at most 75 octets a line, never inside a character."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


ALARM_AT = "PT9H"
"""When the reminder goes off: 09:00 on the day (all-day events start at midnight)."""


def due_events(store: Store, today: dt.date) -> list[tuple[str, dt.date, str, str]]:
    """(uid, day, summary, description) of everything that falls due: check-ins,
    deadlines, open promises, invoice due dates. What is already late is put on
    ``today``, saying how late, so a calendar refreshed each day shows the day's
    review; the uid stays, so the event moves instead of repeating."""
    from .formats import short_date
    from .scheduler import next_checkin
    from .values import format_money

    snap = store.snapshot()
    lang = active()  # the calendar is the person's own: in the language shown
    events: list[tuple[str, dt.date, str, str]] = []

    def add(uid: str, due: dt.date, summary: str, description: str) -> None:
        late = (today - due).days
        if late > 0:
            summary = ngettext("{summary} ({n} day late)", "{summary} ({n} days late)", late).format(
                summary=summary, n=late)
            due = today
        events.append((uid, due, summary, description))

    for invoice in snap.invoices:
        if str(invoice.status) == "sent" and invoice.outstanding > 0 and invoice.issued and not invoice.on_hold:
            add(f"invoice-{invoice.id}", invoice.due_on,
                _("Invoice {number} due: {client}").format(number=invoice.number,
                                                           client=snap.client_name(invoice.client_id)),
                _("{amount} outstanding, issued {issued}, due {due}").format(
                    amount=format_money(invoice.outstanding, invoice.currency, lang),
                    issued=short_date(invoice.issued, lang), due=short_date(invoice.due_on, lang)))
    for promise in snap.promises:
        if str(promise.status) == "open" and promise.due:
            add(promise.id, promise.due,
                _("Promise to {client}: {text}").format(client=snap.client_name(promise.client_id), text=promise.text),
                _("Promised by {date}").format(date=short_date(promise.due, lang)))
    for job in snap.jobs:
        if str(job.status) in ("proposed", "active") and job.deadline:
            add(job.id, job.deadline,
                _("Deadline: {job} ({client})").format(job=job.title, client=snap.client_name(job.client_id)),
                _("Agreed deadline {date}").format(date=short_date(job.deadline, lang)))
    for client in snap.clients:
        if str(client.status) == "active":
            last = snap.last_contact.get(client.id)
            due = next_checkin(client, last)
            if due:
                add(f"checkin-{client.id}", due, _("Check in with {client}").format(client=client.name),
                    _("Last contact {date}").format(date=short_date(last, lang)) if last
                    else _("Never contacted yet"))
    return sorted(events, key=lambda e: (e[1], e[0]))


def export_ics(store: Store, today: dt.date, what: str = "due") -> bytes:
    """A calendar (RFC 5545) of what falls due (:func:`due_events`): all-day
    events, each with a reminder at 09:00 on the day."""
    if what != "due":
        raise ValidationError("--what", _("must be due"))
    stamp = store.clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")  # when it was made
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rapport//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:rapport"]
    for uid, day, summary, description in due_events(store, today):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@rapport",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            _fold(f"SUMMARY:{_ics_text(summary)}"),
            _fold(f"DESCRIPTION:{_ics_text(description)}"),
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"TRIGGER;RELATED=START:{ALARM_AT}",
            _fold(f"DESCRIPTION:{_ics_text(summary)}"),
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
