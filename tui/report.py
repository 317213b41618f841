"""``rapport today``: the daily review as plain text for a terminal, cron or a
login banner.

Standard library only (no Textual, no Rich): this runs on every login and has to
start fast. Words, amounts and dates are in the active language
(:func:`storage.i18n.activate`, from the settings); in English neither Babel nor a
catalog is loaded. One line per row, each fitted to the terminal width (80 columns by
default), saying who, what, how late and how much. User text is made visible
(:func:`storage.text.one_line`) before it is printed, so a name containing ESC or
BEL can never drive the terminal. ANSI colour only when asked for: amber (yellow)
for what is due, red for what is badly late (see each row's ``severity``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from storage import formats
from storage.i18n import N_, _, active, ngettext
from storage.scheduler import SECTIONS, Money, Phrase, Review, ReviewRow, When, section
from storage.text import cell_width, fit, one_line

__all__ = ["render_review", "TITLES", "NOTHING_DUE", "phrase_text"]

NOTHING_DUE = N_("Nothing due today.")
"""Said when the review is empty (English; printed translated)."""


class _Titles(dict[str, str]):
    """Section headings by name, read from the registry (storage.scheduler.SECTIONS)
    each time, so a section added there has its heading here."""

    def __missing__(self, name: str) -> str:
        return section(name).title

    def __iter__(self):  # type: ignore[override]
        return iter([entry.name for entry in SECTIONS])

    def __len__(self) -> int:
        return len(SECTIONS)

    def items(self):  # type: ignore[override]
        return [(entry.name, entry.title) for entry in SECTIONS]


TITLES: dict[str, str] = _Titles()
"""Section headings, by section name (the registry's titles, in English: each is
its own translation key)."""

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


def _lateness(days_overdue: int, compact: bool = False) -> str:
    """``due today``, ``3 days late``, ``due tomorrow``, ``in 3 days``; compact:
    ``3d late``, ``tomorrow``, ``in 3d``."""
    if days_overdue == 0:
        return _("due today")
    if days_overdue > 0:
        if compact:
            return _("{n}d late").format(n=days_overdue)
        return ngettext("{n} day late", "{n} days late", days_overdue).format(n=days_overdue)
    if days_overdue == -1:
        return _("tomorrow") if compact else _("due tomorrow")
    if compact:
        return _("in {n}d").format(n=-days_overdue)
    return ngettext("in {n} day", "in {n} days", -days_overdue).format(n=-days_overdue)


def _value(value: object, language: str) -> str:
    """One value of a phrase, for the terminal: user text made visible."""
    if isinstance(value, Phrase):
        return phrase_text(value)
    if isinstance(value, Money):
        return formats.money(value.amount, one_line(value.currency), language)
    if isinstance(value, dt.date):
        return formats.short_date(value, language)
    return one_line(str(value))


def phrase_text(what: Phrase | tuple[Phrase, ...]) -> str:
    """A row's ``what`` in the active language, as ``rapport today`` prints it."""
    if isinstance(what, Phrase):
        language = active()
        return _(what.text).format(**{name: _value(value, language) for name, value in what.values})
    return "".join(phrase_text(part) for part in what)


def _when(when: When, compact: bool) -> str:
    n = when.n
    if when.kind == "waiting":
        if compact:
            return _("waiting {n}d").format(n=n)
        return ngettext("waiting {n} day", "waiting {n} days", n).format(n=n)
    if when.kind == "months":
        if compact:
            return _("{n} mo").format(n=n)
        return ngettext("{n} month", "{n} months", n).format(n=n)
    return _lateness(n, compact)


def _amount(amount: Money | None) -> str:
    return "" if amount is None else formats.money(amount.amount, one_line(amount.currency), active())


def _row_cells(row: ReviewRow, compact: bool = False) -> tuple[str, str, str, str]:
    """(who, what, how late, how much) for one row; user text made visible."""
    return one_line(row.client), phrase_text(row.what), _when(row.when, compact), _amount(row.amount)


def _heading(name: str, rows: Sequence[Any]) -> str:
    """``Check-ins due (3)``; a list with upcoming rows counts due and upcoming apart."""
    entry = section(name)
    title = _(entry.title)
    if entry.upcoming:
        due = sum(1 for r in rows if r.due)
        upcoming = len(rows) - due
        if upcoming and due:
            return _("{title} ({due} due, {upcoming} upcoming)").format(title=title, due=due, upcoming=upcoming)
        if upcoming:
            return _("{title} ({upcoming} upcoming)").format(title=title, upcoming=upcoming)
    return f"{title} ({len(rows)})"


def _paint(text: str, style: str, color: bool) -> str:
    """``text`` wrapped in the style's ANSI codes (padding left outside), if ``color``."""
    core = text.strip(" ")
    if not color or not style or not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{_STYLES[style]}{core}{_RESET}{text[start + len(core):]}"


def _section_lines(rows: Sequence[ReviewRow], width: int, color: bool) -> list[str]:
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
    for row, (who, what, late, amount) in zip(rows, cells, strict=False):
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
    language = active()
    return _("rapport: daily review for {date} ({short_date})").format(
        date=formats.long_date(today, language), short_date=formats.short_date(today, language))


def render_review(review: Review, today: dt.date, *, color: bool, width: int = 80) -> str:
    """The human ``rapport today`` output, ending in a newline (ready for
    ``sys.stdout.write``).

    A title line with the date, then each non-empty section in the Agenda's
    order (:data:`storage.scheduler.SECTIONS`) with its count and one line per row, or
    :data:`NOTHING_DUE` when the review is empty. Empty sections are left out so
    that a login banner stays short. Every line fits in ``width`` terminal
    columns; long names and texts end in an ellipsis, amounts are never cut
    unless the width leaves no room at all. Below :data:`COMPACT_BELOW`
    columns the layout tightens (one-space gaps, ``3d late``). ANSI colour
    codes only when ``color`` is true. In the active language
    (:func:`storage.i18n.active`).
    """
    width = max(width, 1)
    title = fit(_title(today), width).rstrip()
    lines = [_paint(title, "bold", color)]
    if review.is_empty:
        lines += ["", _(NOTHING_DUE)]
        return "\n".join(lines) + "\n"
    for name, rows in review.sections():
        if not rows:
            continue
        lines.append("")
        lines.append(_paint(fit(_heading(name, rows), width).rstrip(), "bold", color))
        lines.extend(_section_lines(rows, width, color))
    return "\n".join(lines) + "\n"
