"""The words shown for values stored in the file: one table per kind.

The file keeps English values (``active``, ``check-in``, ``written_off``): they
are data, and the CLI's ``--json`` gives them as they are. A screen shows them
in the person's language through these tables, marked for the catalog with
``N_`` and translated when shown (:func:`word`). A value a table does not know
(a newer file) is shown as stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

from storage.formats import short_date

from ..i18n import N_, _, active

CLIENT_STATUS = {"lead": N_("lead"), "active": N_("active"), "paused": N_("paused"), "former": N_("former")}
CHANNEL = {"email": N_("email"), "call": N_("call"), "meeting": N_("meeting"), "message": N_("message")}
CONTACT_KIND = {
    "check-in": N_("check-in"),
    "progress update": N_("progress update"),
    "interim version": N_("interim version"),
    "proposal": N_("proposal"),
    "reminder": N_("reminder"),
    "other": N_("other"),
}
INVOICING = {"on_delivery": N_("on delivery"), "monthly": N_("monthly")}
RATE_UNIT = {"hour": N_("hour"), "day": N_("day"), "project": N_("project")}
JOB_STATUS = {
    "proposed": N_("proposed"),
    "active": N_("active"),
    "delivered": N_("delivered"),
    "invoiced": N_("invoiced"),
    "closed": N_("closed"),
}
CHANGE_STATUS = {"draft": N_("draft"), "proposed": N_("proposed"), "accepted": N_("accepted"),
                 "declined": N_("declined")}
PROMISE_STATUS = {"open": N_("open"), "kept": N_("kept"), "broken": N_("broken"), "dropped": N_("dropped")}
INVOICE_STATUS = {"draft": N_("draft"), "sent": N_("sent"), "void": N_("void"), "written_off": N_("written off")}


def word(table: dict[str, str], value: object) -> str:
    """The word for the stored ``value`` in the active language."""
    key = value.value if isinstance(value, Enum) else str(value)
    text = table.get(str(key))
    return _(text) if text is not None else str(key)


def capitalized(table: dict[str, str], value: object) -> str:
    """:func:`word`, with a capital letter (a choice in a form)."""
    text = word(table, value)
    return text[:1].upper() + text[1:]


def choices(table: dict[str, str], values: Iterable[object]) -> list[tuple[str, str]]:
    """(label, value) pairs of a form's select, in the order of ``values``."""
    return [(capitalized(table, v), str(v.value if isinstance(v, Enum) else v)) for v in values]


def day_text(day: dt.date, *, year: bool = True) -> str:
    """A short date in the active language: ``2026-12-01``, ``01/12/2026``;
    without the year ``12-01``, ``01/12`` (storage.formats.short_date)."""
    text = short_date(day, active())
    if year:
        return text
    return text.replace(f"{day.year:04d}", "").strip("-/. ")
