"""A client's history, newest first, as one scrolling Line API widget.

:func:`client_histories` groups every document by client in one pass over a
:class:`~storage.store.Snapshot`; :func:`timeline_entries` turns one client's
documents into :class:`Entry` rows (contacts, jobs, changes of brief, promises,
invoices, payments, reminders, rate changes), newest first. The
:class:`Timeline` widget draws only the lines on screen (the Line API), so a
client with thousands of entries opens as fast as one with ten: no widget per
entry, and user text is made visible and fitted only for the lines shown.

User text is data: it is never parsed as markup, control characters become
visible symbols (:func:`storage.text.one_line`), and it carries no ``@click``
or link style, so clicking it does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.formats import money as format_money
from storage.models import (
    Change,
    ChangeStatus,
    Contact,
    ContactKind,
    Direction,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    Promise,
    PromiseStatus,
    Rate,
    RateStatus,
)
from storage.scheduler import severity
from storage.store import Snapshot
from storage.text import fit, one_line

from ..i18n import N_, _, active
from .words import (
    CHANGE_STATUS,
    CHANNEL,
    CONTACT_KIND,
    INVOICE_STATUS,
    JOB_STATUS,
    PROMISE_STATUS,
    RATE_UNIT,
    day_text,
    word,
)

__all__ = ["ClientHistory", "Entry", "Timeline", "client_histories", "timeline_entries"]

LABEL_WIDTH = 8
"""The kind column: ``→email``, ``invoice``, ``reminder``..."""

LABELS = {
    "rate": N_("rate"),
    "job": N_("job"),
    "change": N_("change"),
    "promise": N_("promise"),
    "invoice": N_("invoice"),
    "payment": N_("payment"),
    "reminder": N_("reminder"),
}
"""The kind column's words; translated when the entries are built."""


def _money(amount: Decimal, currency: str) -> str:
    """``1,234.50 EUR`` / ``1.234,50 EUR``: storage.formats, the active language."""
    return format_money(amount, currency, active())


@dataclass(slots=True)
class ClientHistory:
    """Every document that belongs to one client."""

    contacts: list[Contact] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)

    def __len__(self) -> int:
        return (len(self.contacts) + len(self.jobs) + len(self.changes) + len(self.promises)
                + len(self.rates) + len(self.invoices))

    @classmethod
    def from_documents(cls, docs: dict[str, list]) -> ClientHistory:
        """From :meth:`Store.client_documents` (models by table name)."""
        return cls(contacts=docs.get("contact", []), jobs=docs.get("job", []), changes=docs.get("change", []),
                   promises=docs.get("promise", []), rates=docs.get("rate", []), invoices=docs.get("invoice", []))


def client_histories(snapshot: Snapshot) -> dict[str, ClientHistory]:
    """Every client's documents, grouped in one pass over each table.

    This converts every table; to show one client, ``Store.client_documents``
    converts only that client's documents.
    """
    out: dict[str, ClientHistory] = {}

    def of(client_id: str) -> ClientHistory:
        history = out.get(client_id)
        if history is None:
            history = out[client_id] = ClientHistory()
        return history

    for contact in snapshot.contacts:
        of(contact.client_id).contacts.append(contact)
    for job in snapshot.jobs:
        of(job.client_id).jobs.append(job)
    jobs = snapshot.jobs_by_id
    for change in snapshot.changes:
        client_id = change.client_id
        if not client_id:
            job = jobs.get(change.job_id)
            client_id = job.client_id if job else ""
        of(client_id).changes.append(change)
    for promise in snapshot.promises:
        of(promise.client_id).promises.append(promise)
    for rate in snapshot.rates:
        of(rate.client_id).rates.append(rate)
    for invoice in snapshot.invoices:
        of(invoice.client_id).invoices.append(invoice)
    return out


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline. ``text`` may hold user text: it is shown as data."""

    date: dt.date
    label: str
    text: str
    severity: str = ""
    """``amber``/``red`` for something late (an overdue invoice, a promise due)."""
    ref: tuple[str, str, int] | None = None
    """What a delete of this entry removes: ``("contact", contact id, 0)``,
    ``("payment", invoice number, index)`` or ``("reminder", invoice number,
    index)``; None for entries that are not deleted from the history."""


def _created(doc_created_at: str, fallback: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(doc_created_at[:10])
    except ValueError:
        return fallback


def _rate_text(rate: Rate) -> str:
    return f"{_money(rate.amount, rate.currency)}/{word(RATE_UNIT, rate.unit)}"


def timeline_entries(history: ClientHistory, today: dt.date) -> list[Entry]:
    """One client's history, newest first (on the same day: in the order below)."""
    rows: list[tuple[dt.date, int, Entry]] = []
    seq = 0

    def add(date: dt.date | None, label: str, text: str, sev: str = "",
            ref: tuple[str, str, int] | None = None) -> None:
        nonlocal seq
        if date is None:
            return
        seq += 1
        rows.append((date, seq, Entry(date, _(LABELS[label]) if label in LABELS else label, text, sev, ref)))

    # The label column already says what each line is, so the text starts with
    # what matters: narrow terminals show only its first few words.
    jobs = {job.id: job for job in history.jobs}
    for rate in history.rates:
        what = _rate_text(rate)
        if rate.status is RateStatus.ACCEPTED:
            if rate.sent is not None and rate.sent != rate.since:
                add(rate.sent, "rate", _("raise proposed: {rate}").format(rate=what))
            if rate.reason:
                add(rate.since, "rate", _("now {rate} ({reason})").format(rate=what, reason=rate.reason))
            else:
                add(rate.since, "rate", _("now {rate}").format(rate=what))
        elif rate.status is RateStatus.PROPOSED:
            add(rate.sent or rate.since, "rate", _("raise proposed: {rate}, no answer yet").format(rate=what), "amber")
        else:
            add(rate.sent or rate.since, "rate", _("raise proposed: {rate}").format(rate=what))
            add(rate.answered or rate.sent or rate.since, "rate", _("raise declined: {rate}").format(rate=what))
    for job in history.jobs:
        price = f", {_money(job.price, job.currency)}" if job.price is not None else ""
        if job.delivered is not None:
            add(job.delivered, "job", _("delivered {job}").format(job=job.title) + price)
        else:
            deadline = (", " + _("deadline {date}").format(date=day_text(job.deadline))) if job.deadline else ""
            late = ""
            if job.deadline is not None and job.status in (JobStatus.PROPOSED, JobStatus.ACTIVE):
                late = "red" if job.deadline < today else ""
            add(_created(job.created_at, today), "job",
                f"{job.title} ({word(JOB_STATUS, job.status)}){price}{deadline}", late)
    for change in history.changes:
        job = jobs.get(change.job_id)
        on = f" ({job.title})" if job else ""
        terms = []
        if change.price is not None:
            terms.append(_money(change.price, job.currency if job else "EUR"))
        if change.deadline is not None:
            terms.append(_("deadline {date}").format(date=day_text(change.deadline)))
        extra = f": {', '.join(terms)}" if terms else ""
        what = f"{change.what}{extra}{on}"
        if change.status is ChangeStatus.DRAFT:
            add(change.sent or _created(change.created_at, today), "change", _("draft: {what}").format(what=what))
            continue
        waiting = change.status is ChangeStatus.PROPOSED
        add(change.sent, "change", _("proposed {what}").format(what=what), "amber" if waiting else "")
        if change.status in (ChangeStatus.ACCEPTED, ChangeStatus.DECLINED):
            add(change.answered or change.sent, "change",
                f"{word(CHANGE_STATUS, change.status)}: {change.what}{on}")
    for promise in history.promises:
        if promise.status is PromiseStatus.OPEN:
            sev = "" if promise.due is None else severity((today - promise.due).days, 1)
            add(promise.due, "promise", _("due: {promise}").format(promise=promise.text), sev)
        else:
            add(promise.closed or promise.due, "promise", f"{word(PROMISE_STATUS, promise.status)}: {promise.text}",
                "red" if promise.status is PromiseStatus.BROKEN else "")
    reminder_days = {c.date for c in history.contacts if c.kind is ContactKind.REMINDER}
    for invoice in history.invoices:
        total = _money(invoice.total, invoice.currency)
        sev = ""
        if invoice.status is InvoiceStatus.SENT and invoice.issued is not None:
            outstanding = invoice.outstanding
            if outstanding <= 0:
                state = _("paid")
            else:
                late = (today - invoice.due_on).days
                owed = _money(outstanding, invoice.currency)
                if late >= 1:
                    if invoice.on_hold:
                        state = _("{n}d overdue, {amount} owed, on hold").format(n=late, amount=owed)
                    else:
                        state = _("{n}d overdue, {amount} owed").format(n=late, amount=owed)
                    sev = severity(late, invoice.terms_days)
                else:
                    state = _("due {date}, {amount} owed").format(date=day_text(invoice.due_on), amount=owed)
        else:
            state = word(INVOICE_STATUS, invoice.status)
        add(invoice.issued, "invoice", f"{invoice.number} {total}, {state}", sev)
        for n, payment in enumerate(invoice.payments):
            add(payment.date, "payment", _("{amount} on {number}").format(
                amount=_money(payment.amount, invoice.currency), number=invoice.number),
                ref=("payment", invoice.number, n))
        for n, reminder in enumerate(invoice.reminders):
            if reminder.date in reminder_days:
                continue  # the contact log already shows it (Store.add_reminder logs one)
            add(reminder.date, "reminder", _("{level} for {number} ({channel})").format(
                level=reminder.level, number=invoice.number, channel=word(CHANNEL, reminder.channel)),
                ref=("reminder", invoice.number, n))
    for contact in history.contacts:
        arrow = "←" if contact.direction is Direction.IN else "→"
        kind = word(CONTACT_KIND, contact.kind)
        text = f"{contact.summary} · {kind}" if contact.summary else kind
        add(contact.date, f"{arrow}{word(CHANNEL, contact.channel)}", text, ref=("contact", contact.id, 0))
    rows.sort(key=lambda row: (row[0], -row[1]), reverse=True)
    return [entry for __, ___, entry in rows]


# --------------------------------------------------------------------------- #
# The widget
# --------------------------------------------------------------------------- #


class Timeline(ScrollView, can_focus=True):
    """A scrolling list of :class:`Entry` lines, grouped under year headings.

    Only the lines on screen are built (the Line API), so thousands of entries
    cost nothing until scrolled to. Focused, it shows a cursor on one entry
    (``j``/``k``, the arrows); ``delete`` asks to delete that entry
    (:class:`DeleteRequested`: the screen asks first, the store deletes).
    """

    class DeleteRequested(Message):
        """``delete`` on an entry: the screen confirms and deletes it."""

        def __init__(self, timeline: Timeline, entry: Entry) -> None:
            super().__init__()
            self.timeline = timeline
            self.entry = entry

    COMPONENT_CLASSES = {
        "timeline--year",
        "timeline--date",
        "timeline--label",
        "timeline--amber",
        "timeline--red",
        "timeline--empty",
        "timeline--cursor",
    }

    BINDINGS = [
        Binding("j,down", "cursor(1)", N_("Down"), show=False),
        Binding("k,up", "cursor(-1)", N_("Up"), show=False),
        Binding("delete", "delete_entry", N_("Delete entry"), show=False,
                tooltip=N_("Delete the history entry under the cursor (a contact, payment or reminder; asks first)")),
    ]

    DEFAULT_CSS = """
    Timeline { overflow-x: hidden; height: 1fr; }
    Timeline > .timeline--year { color: $accent; text-style: bold; }
    Timeline > .timeline--date { color: $text-muted; }
    Timeline > .timeline--label { color: $text-secondary; }
    Timeline > .timeline--amber { color: $text-warning; }
    Timeline > .timeline--red { color: $text-error; text-style: bold; }
    Timeline > .timeline--empty { color: $text-muted; text-style: italic; }
    Timeline > .timeline--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: list[Entry | int] = []
        self._cache: dict[tuple[int, int], Strip] = {}
        self.empty_text = _("No history yet.")
        self.cursor: int | None = None
        """The row (an index into the lines, year headings included) under the cursor."""

    @property
    def current(self) -> Entry | None:
        """The entry under the cursor."""
        if self.cursor is None or not 0 <= self.cursor < len(self._rows):
            return None
        row = self._rows[self.cursor]
        return row if isinstance(row, Entry) else None

    def action_cursor(self, step: int) -> None:
        """Move the cursor to the next (``step`` 1) or previous entry, scrolling to it."""
        rows = self._rows
        index = (self.cursor if self.cursor is not None else -1) + step
        while 0 <= index < len(rows) and not isinstance(rows[index], Entry):
            index += step
        if not 0 <= index < len(rows):
            if step < 0:
                self.scroll_home(animate=False)  # the year heading above the first entry
            return
        self._move_cursor(index)

    def _move_cursor(self, index: int | None) -> None:
        old, self.cursor = self.cursor, index
        self._cache = {key: strip for key, strip in self._cache.items() if key[0] not in (old, index)}
        if index is not None:
            height = self.scrollable_content_region.height or 1
            top = self.scroll_offset.y
            if index < top + (index > 0 and not isinstance(self._rows[index - 1], Entry)):
                self.scroll_to(y=max(index - 1, 0), animate=False, immediate=True)
            elif index >= top + height:
                self.scroll_to(y=index - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_delete_entry(self) -> None:
        entry = self.current
        if entry is None or entry.ref is None:
            self.notify(_("Only contacts, payments and reminders are deleted from the history; "
                          "move to one with j and k"), severity="warning")
            return
        self.post_message(self.DeleteRequested(self, entry))

    def on_focus(self) -> None:
        if self.current is None:
            first = next((i for i, row in enumerate(self._rows) if isinstance(row, Entry)), None)
            self.cursor = first
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    @property
    def entry_count(self) -> int:
        return sum(1 for row in self._rows if isinstance(row, Entry))

    def show(self, entries: Iterable[Entry]) -> None:
        """Replace what is shown (newest first), scrolled to the top."""
        rows: list[Entry | int] = []
        year = None
        for entry in entries:
            if entry.date.year != year:
                year = entry.date.year
                rows.append(year)
            rows.append(entry)
        self._rows = rows
        self._cache.clear()
        self.cursor = next((i for i, row in enumerate(rows) if isinstance(row, Entry)), None)
        self.virtual_size = Size(0, max(len(rows), 1))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def plain_lines(self, width: int = 80) -> list[str]:
        """Every line as plain text (tests, and a copy of the history)."""
        return [self._segments(index, width)[1] for index in range(len(self._rows))]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_resize(self) -> None:
        self._cache.clear()

    def _segments(self, index: int, width: int) -> tuple[list[Segment], str]:
        row = self._rows[index]
        if isinstance(row, int):
            style = self.get_component_rich_style("timeline--year")
            head = f" {row} "
            text = head + "─" * max(0, width - len(head))
            rule_style = self.get_component_rich_style("timeline--date")
            return [Segment(head, style), Segment(text[len(head):], rule_style)], text
        date = f" {day_text(row.date, year=False)} "
        label = fit(row.label, LABEL_WIDTH) + " "
        rest = max(0, width - len(date) - len(label))
        body = fit(one_line(row.text), rest)
        body_style = self.get_component_rich_style(f"timeline--{row.severity}") if row.severity else Style()
        segments = [
            Segment(date, self.get_component_rich_style("timeline--date")),
            Segment(label, self.get_component_rich_style("timeline--label")),
            Segment(body, body_style),
        ]
        return segments, date + label + body

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        base = self.rich_style
        if not self._rows:
            if y == 0:
                empty_style = base + self.get_component_rich_style("timeline--empty")
                return Strip([Segment(fit(f" {self.empty_text}", width), empty_style)])
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        key = (index, width)
        strip = self._cache.get(key)
        if strip is None:
            segments, __ = self._segments(index, width)
            if index == self.cursor and self.has_focus:
                # The cursor's colours over the whole line, as RowList's highlight
                cursor = self.get_component_rich_style("timeline--cursor")
                segments = list(Segment.apply_style(segments, base, post_style=cursor))
                strip = Strip(segments).crop_extend(0, width, base + cursor)
            else:
                strip = Strip(Segment.apply_style(segments, base)).crop_extend(0, width, base)
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = strip
        return strip
