"""``rapport today``: the daily review as plain text for a terminal, cron or a
login banner.

Standard library only (no Textual, no Rich): this runs on every login and has to
start fast. One line per row, each fitted to the terminal width (80 columns by
default), saying who, what, how late and how much. User text is made visible
(:func:`storage.text.one_line`) before it is printed, so a name containing ESC or
BEL can never drive the terminal. ANSI colour only when asked for: amber (yellow)
for what is due, red for what is badly late (see each row's ``severity``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from storage.scheduler import (
    AwaitingRow,
    CheckinRow,
    DeadlineRow,
    InvoiceRow,
    PromiseRow,
    RateReviewRow,
    Review,
    ToInvoiceRow,
)
from storage.text import cell_width, fit, one_line
from storage.values import money_str

__all__ = ["render_review", "TITLES", "NOTHING_DUE"]

NOTHING_DUE = "Nothing due today."

TITLES = {
    "reminders_due": "Reminders due",
    "invoices_overdue": "Overdue invoices",
    "invoices_due_soon": "Invoices due soon",
    "checkins_due": "Check-ins due",
    "promises_due": "Promises",
    "deadlines": "Deadlines",
    "to_invoice": "To invoice",
    "awaiting_reply": "Awaiting reply",
    "rate_reviews": "Rate reviews",
}
"""Section headings, by :attr:`Review.SECTIONS` name."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")

_RESET = "\x1b[0m"
_STYLES = {"amber": "\x1b[33m", "red": "\x1b[31m", "bold": "\x1b[1m", "dim": "\x1b[2m"}

_INDENT = "  "
_GAP = "  "
_WHO_MAX = 20
_WHAT_MIN = 16
"""The "what" column keeps at least this much (an invoice number and a word)
before the "who" column gives up space, down to _WHO_MIN."""
_WHO_MIN = 8


COMPACT_BELOW = 64
"""Narrower than this, gaps are one space and day counts are short (``3d late``)."""


def _days(n: int, compact: bool = False) -> str:
    if compact:
        return f"{n}d"
    return f"{n} day" if n == 1 else f"{n} days"


def _lateness(days_overdue: int, compact: bool = False) -> str:
    """``due today``, ``3 days late``, ``due tomorrow``, ``in 3 days``."""
    if days_overdue == 0:
        return "due today"
    if days_overdue > 0:
        return f"{_days(days_overdue, compact)} late"
    if days_overdue == -1:
        return "tomorrow" if compact else "due tomorrow"
    return f"in {_days(-days_overdue, compact)}"


def _money(amount: Decimal, currency: str) -> str:
    return f"{money_str(amount, currency)} {one_line(currency)}"


def _row_cells(row: object, compact: bool = False) -> tuple[str, str, str, str]:
    """(who, what, how late, how much) for one row; user text made visible."""
    if isinstance(row, InvoiceRow):
        number = one_line(row.number)
        if row.escalate:
            what = f"{number}: escalate"
        elif row.level is not None:
            what = f"{number}: send reminder {row.level}"
        else:
            what = number
            if row.reminders_sent:
                what += f", {row.reminders_sent} reminder{'s' if row.reminders_sent != 1 else ''} sent"
            if row.on_hold:
                what += ", on hold"
            elif row.pay_by is not None:
                what += f", final notice: pay by {row.pay_by.isoformat()}"
        if row.late_payer:
            what += " (late payer)"
        return one_line(row.client), what, _lateness(row.days_overdue, compact), _money(row.outstanding, row.currency)
    if isinstance(row, CheckinRow):
        last = f"last contact {row.last_contact.isoformat()}" if row.last_contact else "never contacted"
        return one_line(row.client), f"check in ({last})", _lateness(row.days_overdue, compact), ""
    if isinstance(row, PromiseRow):
        return one_line(row.client), one_line(row.text), _lateness(row.days_overdue, compact), ""
    if isinstance(row, DeadlineRow):
        return one_line(row.client), one_line(row.job), _lateness(-row.days_left, compact), ""
    if isinstance(row, ToInvoiceRow):
        amount = "" if row.price is None else _money(row.price, row.currency)
        what = f"invoice {one_line(row.job)}"
        if row.kind == "retainer":
            what = f"invoice retainer {row.period}: {one_line(row.job)}"
        return one_line(row.client), what, _lateness(row.days_overdue, compact), amount
    if isinstance(row, AwaitingRow):
        label = "change" if row.kind == "change" else "raise"
        return one_line(row.client), f"{label}: {one_line(row.what)}", f"waiting {_days(row.days_waiting, compact)}", ""
    if isinstance(row, RateReviewRow):
        rate = f"{_money(row.rate, row.currency)}/{one_line(row.unit)}"
        return one_line(row.client), f"rate since {row.rate_since.isoformat()}", f"{row.months} mo" if compact else f"{row.months} months", rate
    raise TypeError(f"not a review row: {row!r}")


def _heading(name: str, rows: Sequence[object]) -> str:
    """``Check-ins due (3)``; promises and to-invoice split due and upcoming."""
    title = TITLES[name]
    if name in ("promises_due", "to_invoice"):
        due = sum(1 for r in rows if r.due)  # type: ignore[attr-defined]
        upcoming = len(rows) - due
        if upcoming and due:
            return f"{title} ({due} due, {upcoming} upcoming)"
        if upcoming:
            return f"{title} ({upcoming} upcoming)"
    return f"{title} ({len(rows)})"


def _paint(text: str, style: str, color: bool) -> str:
    """``text`` wrapped in the style's ANSI codes (padding left outside), if ``color``."""
    core = text.strip(" ")
    if not color or not style or not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{_STYLES[style]}{core}{_RESET}{text[start + len(core):]}"


def _section_lines(rows: Sequence[object], width: int, color: bool) -> list[str]:
    """One line per row, columns aligned within the section, none wider than ``width``."""
    compact = width < COMPACT_BELOW
    gap = " " if compact else _GAP
    cells = [_row_cells(row, compact) for row in rows]
    who_w = min(_WHO_MAX, max(cell_width(c[0]) for c in cells))
    late_w = max(cell_width(c[2]) for c in cells)
    amount_w = max(cell_width(c[3]) for c in cells)
    fixed = len(_INDENT) + 2 * len(gap) + late_w + (len(gap) + amount_w if amount_w else 0)
    what_w = width - fixed - who_w
    if what_w < _WHAT_MIN:  # narrow terminal or a huge amount: names give up space first
        who_w = max(min(who_w, _WHO_MIN), who_w - (_WHAT_MIN - what_w))
        what_w = width - fixed - who_w
    lines = []
    for row, (who, what, late, amount) in zip(rows, cells):
        plain_parts = [_INDENT, fit(who, who_w), gap, fit(what, max(what_w, 1)), gap, fit(late, late_w, align=">")]
        if amount_w:
            plain_parts += [gap, fit(amount, amount_w, align=">")]
        plain = "".join(plain_parts).rstrip()
        if cell_width(plain) > width:
            # Only for absurdly narrow widths: clip the whole line, no colour.
            lines.append(fit(plain, width).rstrip())
            continue
        style = getattr(row, "severity", "")
        plain_parts[5] = _paint(plain_parts[5], style, color)
        lines.append("".join(plain_parts).rstrip())
    return lines


def _title(today: dt.date) -> str:
    return (
        f"rapport: daily review for {_WEEKDAYS[today.weekday()]} "
        f"{today.day} {_MONTHS[today.month - 1]} {today.year} ({today.isoformat()})"
    )


def render_review(review: Review, today: dt.date, *, color: bool, width: int = 80) -> str:
    """The human ``rapport today`` output, ending in a newline (ready for
    ``sys.stdout.write``).

    A title line with the date, then each non-empty section in the Agenda's
    order (:attr:`Review.SECTIONS`) with its count and one line per row, or
    :data:`NOTHING_DUE` when the review is empty. Empty sections are left out so
    that a login banner stays short. Every line fits in ``width`` terminal
    columns; long names and texts end in an ellipsis, amounts are never cut
    unless the width leaves no room at all. Below :data:`COMPACT_BELOW`
    columns the layout tightens (one-space gaps, ``3d late``). ANSI colour
    codes only when ``color`` is true.
    """
    width = max(width, 1)
    title = fit(_title(today), width).rstrip()
    lines = [_paint(title, "bold", color)]
    if review.is_empty:
        lines += ["", NOTHING_DUE]
        return "\n".join(lines) + "\n"
    for name, rows in review.sections():
        if not rows:
            continue
        lines.append("")
        lines.append(_paint(fit(_heading(name, rows), width).rstrip(), "bold", color))
        lines.extend(_section_lines(rows, width, color))
    return "\n".join(lines) + "\n"
