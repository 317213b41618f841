"""Clients: every relationship, its history and its notes, in one place.

A table of clients (name, status, last contact, next check-in, outstanding,
overdue, current rate) over a detail pane for the selected one: contact details,
the rate and its age, the promise record, the notes (Markdown, no raw HTML,
links not opened) and the whole history, newest first.

Speed with a decade of records: the per-client figures are computed in one pass
per store generation (and day), from the open invoices and the raw contact
dates, and the table cells are built once from them; sorting reorders those
cells, and a filter keystroke that narrows the list only removes rows. Opening
a client converts only its own documents (``Store.client_documents``), once per
generation, and the history is drawn by a Line API widget that renders only the
lines on screen.

Keys: ``/`` filter, ``a`` all clients or active only, ``s``/``S`` sort by the
next column / reverse (or click a heading), ``enter`` opens the detail full
height, ``n`` new, ``e`` edit, ``N`` notes (``E`` in ``$EDITOR``), ``l`` log a
contact, ``m`` draft a message, ``J`` new job (``j``/``k`` move, as on every
screen), ``c`` change of brief, ``i`` invoice, ``r`` price raise, ``p`` payment
on the oldest unpaid invoice, ``z`` snooze, ``A`` archive, ``D`` delete (asks
first), ``u`` undo the last delete.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from storage import scheduler
from storage.jsonfile import StorageError
from storage.models import (
    Client,
    ClientStatus,
    InvoiceStatus,
    PromiseStatus,
    Rate,
    RateStatus,
    tax_lines_text,
)
from storage.store import Deleted, NotFound, Snapshot
from storage.text import cell_width, fit, one_line
from storage.values import ValidationError

from .. import actions
from ..widgets.header import Header
from ..widgets.keybar import KeyBar
from ..widgets.safe import RICH_SEVERITY, SafeMarkdown
from ..widgets.table import Table
from ..widgets.timeline import ClientHistory, Entry, Timeline, money, timeline_entries
from . import client_form
from .base import ModeScreen

STATUS_ORDER = {ClientStatus.ACTIVE: 0, ClientStatus.LEAD: 1, ClientStatus.PAUSED: 2, ClientStatus.FORMER: 3}
UNIT_SHORT = {"hour": "h", "day": "d", "project": "proj"}
MARKER = {"red": "!!", "amber": "! ", "": ""}
NOTES_DELAY = 0.12
"""Seconds the cursor rests on a client before its notes are drawn (see _show_detail)."""
NARROW = 110
"""Below this width, the opened detail (enter) shows the history under the facts."""
MAX_SHOWN = 300
"""A single-line field longer than this is cut (with an ellipsis) in the detail pane."""
FEW_ROWS = 8
"""A filter keystroke that hides more rows than this redraws the table rather than removing each."""

# Column key -> (heading, descending first?). Money and lateness sort biggest first.
COLUMNS: dict[str, tuple[str, bool]] = {
    "name": ("Name", False),
    "status": ("Status", False),
    "last": ("Contacted", False),
    "next": ("Check-in", False),
    "owed": ("Outstanding", True),
    "overdue": ("Overdue", True),
    "rate": ("Rate", True),
}
SORT_ORDER = list(COLUMNS)


# --------------------------------------------------------------------------- #
# Per-client figures, computed once per store generation
# --------------------------------------------------------------------------- #


@dataclass(slots=True)
class ClientRow:
    """One client's figures for the table and the detail pane."""

    client: Client
    last: dt.date | None = None
    next_due: dt.date | None = None
    next_severity: str = ""
    owed: dict[str, Decimal] = field(default_factory=dict)
    overdue_count: int = 0
    overdue_days: int = 0
    overdue_owed: dict[str, Decimal] = field(default_factory=dict)
    overdue_severity: str = ""
    rate_since: dt.date | None = None
    pending: Rate | None = None
    promises: dict[str, int] = field(default_factory=dict)
    unpaid: list[str] = field(default_factory=list)
    """Numbers of sent invoices with something outstanding, oldest first."""
    behaviour: scheduler.Behaviour = scheduler.NO_BEHAVIOUR
    """How the client pays (median days, share paid late, the late-payer flag)."""
    haystack: str = ""
    cells: tuple[Text, ...] = ()
    """Every cell but the name (which is fitted to the width on screen)."""
    name: str = ""


def _ago(days: int) -> str:
    """A compact "how long ago": today, 3d, 2w, 5mo, 2y."""
    if days < 0:
        return f"in {_span(-days)}"
    if days == 0:
        return "today"
    return f"{_span(days)} ago"


def _span(days: int) -> str:
    if days < 14:
        return f"{days}d"
    if days < 63:
        return f"{days // 7}w"
    if days < 730:
        return f"{days * 12 // 365}mo"
    return f"{days // 365}y"


def _age(start: dt.date, today: dt.date) -> str:
    months = scheduler.months_between(start, today)
    if months < 1:
        return "under a month"
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest} mo"
    return f"{years} y" + (f" {rest} mo" if rest else "")


def _short_money(amount: Decimal, currency: str) -> str:
    text = money(amount, currency)
    return text.replace(".00 ", " ")


def _owed_text(owed: dict[str, Decimal]) -> str:
    """The largest amount owed (whole units without ``.00``), ``+N`` for other currencies."""
    if not owed:
        return ""
    ordered = sorted(owed.items(), key=lambda kv: (-kv[1], kv[0]))
    currency, amount = ordered[0]
    more = f" +{len(ordered) - 1}" if len(ordered) > 1 else ""
    return _short_money(amount, currency) + more


def build_rows(snap: Snapshot, today: dt.date) -> dict[str, ClientRow]:
    """Every client's row, from one pass over the contacts, invoices, rates and promises."""
    rows = {c.id: ClientRow(client=c) for c in snap.clients}
    last = snap.last_contact
    # open_invoices and last_contact read the raw documents: a decade of paid
    # invoices and thousands of contacts are never converted for the table.
    for invoice in snap.open_invoices:
        row = rows.get(invoice.client_id)
        if row is None or invoice.status is not InvoiceStatus.SENT or invoice.issued is None:
            continue
        outstanding = invoice.outstanding
        if outstanding <= 0:
            continue
        row.owed[invoice.currency] = row.owed.get(invoice.currency, Decimal(0)) + outstanding
        row.unpaid.append(invoice.number)
        late = (today - invoice.due_on).days
        if late >= 1:
            row.overdue_count += 1
            row.overdue_owed[invoice.currency] = row.overdue_owed.get(invoice.currency, Decimal(0)) + outstanding
            if late > row.overdue_days:
                row.overdue_days = late
            sev = scheduler.severity(late, invoice.terms_days)
            if sev == "red" or not row.overdue_severity:
                row.overdue_severity = sev
    for rate in snap.rates:
        row = rows.get(rate.client_id)
        if row is None:
            continue
        if rate.status is RateStatus.PROPOSED:
            row.pending = rate
        elif rate.status is RateStatus.ACCEPTED and rate.since is not None:
            if row.rate_since is None or rate.since > row.rate_since:
                row.rate_since = rate.since
    for promise in snap.promises:
        row = rows.get(promise.client_id)
        if row is not None:
            key = str(promise.status)
            row.promises[key] = row.promises.get(key, 0) + 1
    invoice_dates = {inv.number: inv.issued for inv in snap.open_invoices}
    behaviour = scheduler.payment_behaviour(snap, today)
    for row in rows.values():
        client = row.client
        row.behaviour = behaviour.get(client.id, scheduler.NO_BEHAVIOUR)
        row.last = last.get(client.id)
        row.next_due = scheduler.checkin_due_on(client, row.last, today)
        if row.next_due is not None:
            row.next_severity = scheduler.severity((today - row.next_due).days, client.cadence_days)
        if row.rate_since is None and client.rate is not None:
            row.rate_since = client.since
        row.unpaid.sort(key=lambda n: (invoice_dates.get(n) or dt.date.min, n))
        row.haystack = "\n".join([client.name, client.company, client.email, *client.tags]).casefold()
        row.name = one_line(client.name)
        row.cells = _cells(row, today)
    return rows


def _cells(row: ClientRow, today: dt.date) -> tuple[Text, ...]:
    client = row.client
    if row.last is None:
        last = Text("never", style="dim")
    else:
        last = Text(_ago((today - row.last).days))
    if row.next_due is None:
        nxt = Text("-", style="dim")
    else:
        days = (row.next_due - today).days
        sev = row.next_severity
        if days > 0:
            label = f"in {_span(days)}"
        elif days == 0:
            label = "today"
        else:
            label = f"{_span(-days)} late"
        nxt = Text(f"{MARKER[sev]}{label}", style=RICH_SEVERITY.get(sev, ""))
    owed = Text(_owed_text(row.owed), justify="right")
    if row.overdue_count:
        times = f" ×{row.overdue_count}" if row.overdue_count > 1 else ""
        sev = row.overdue_severity
        overdue = Text(f"{MARKER[sev]}{row.overdue_days}d{times}", style=RICH_SEVERITY.get(sev, ""), justify="right")
    else:
        overdue = Text("")
    if client.rate is None:
        rate = Text("-", style="dim", justify="right")
    else:
        rate = Text(f"{_short_money(client.rate, client.currency)}/{UNIT_SHORT.get(str(client.rate_unit), '')}",
                    justify="right")
        if row.pending is not None:
            rate.append("↑", style="bold")
    status = Text(str(client.status), style="" if client.status is ClientStatus.ACTIVE else "dim")
    return (status, last, nxt, owed, overdue, rate)


def _sort_value(row: ClientRow, column: str):
    """The value a column sorts by; None sorts last whatever the direction."""
    if column == "name":
        return row.name.casefold()
    if column == "status":
        return STATUS_ORDER.get(row.client.status, 9)
    if column == "last":
        return row.last
    if column == "next":
        return row.next_due
    if column == "owed":
        return max(row.owed.values()) if row.owed else None
    if column == "overdue":
        return row.overdue_days or None
    if column == "rate":
        return row.client.rate
    raise KeyError(column)


def sort_ids(rows: Iterable[ClientRow], column: str, reverse: bool) -> list[str]:
    """Client ids in the order of ``column`` (ties by name); empty values last."""
    present, missing = [], []
    for row in rows:
        value = _sort_value(row, column)
        (missing if value is None else present).append((value, row.name.casefold(), row.client.id))
    # Sorting by name first, then stably by the value, keeps ties in name order
    # whichever the direction (a reversed sort is stable too).
    present.sort(key=lambda t: (t[1], t[2]))
    present.sort(key=lambda t: t[0], reverse=reverse)
    missing.sort(key=lambda t: (t[1], t[2]))
    return [t[2] for t in present] + [t[2] for t in missing]


def matches(row: ClientRow, terms: list[str]) -> bool:
    """Every typed word appears in the name, company, email or tags (any case)."""
    return all(term in row.haystack for term in terms)


# --------------------------------------------------------------------------- #
# The detail pane's facts
# --------------------------------------------------------------------------- #


def _clip(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def facts_text(row: ClientRow, today: dt.date) -> Text:
    """Contact details, cadence, rate and its age, money owed and the promise record.

    Short lines, so that the pane reads well at 80 columns.
    """
    c = row.client
    out = Text()
    out.append(_clip(c.name), style="bold")
    if c.company.strip() and c.company.strip() != c.name.strip():
        out.append("\n" + _clip(c.company))
    out.append(f"\n{c.status}")
    if c.since:
        out.append(f" · since {c.since.isoformat()} ({_age(c.since, today)})")
    if c.email.strip():
        out.append("\n" + _clip(c.email))
    for person in c.people:
        who = f"{person.name} <{person.email}>" if person.email.strip() else person.name
        out.append(f"\n{person.role}: " + _clip(who))
    out.append("\n" + " · ".join([*([_clip(c.phone)] if c.phone.strip() else []), f"prefers {c.channel}"]))
    billing = [_clip(x) for x in (c.legal_name, c.tax_id) if x.strip()]
    if c.language:
        billing.append(f"writes in {c.language}")
    if c.tax_lines is not None:
        billing.append("taxes: " + (_clip(tax_lines_text(c.tax_lines)) or "none"))
    if billing:
        out.append("\nInvoices: " + " · ".join(billing), style="dim")
    extra = []
    if c.timezone:
        extra.append(_clip(c.timezone))
    if c.tags:
        extra.append("tags: " + _clip(", ".join(c.tags)))
    if extra:
        out.append("\n" + " · ".join(extra), style="dim")

    out.append(f"\nCheck-in every {c.cadence_days} d")
    if row.next_due is not None:
        days = (row.next_due - today).days
        when = "due today" if days == 0 else (f"next in {days} d" if days > 0 else f"{-days} d late")
        out.append(", ")
        out.append(f"{MARKER[row.next_severity]}{when}", style=RICH_SEVERITY.get(row.next_severity, ""))
    if c.snoozed_until and c.snoozed_until >= today:
        out.append(f"\nSnoozed until {c.snoozed_until.isoformat()}", style="dim")
    if row.last:
        out.append(f"\nLast contact {row.last.isoformat()} ({_ago((today - row.last).days)})")
    else:
        out.append("\nNever contacted", style="dim")

    if c.rate is not None:
        out.append(f"\nRate {_short_money(c.rate, c.currency)}/{c.rate_unit}")
        if row.rate_since:
            months = scheduler.months_between(row.rate_since, today)
            review = months >= scheduler.RATE_REVIEW_MONTHS
            out.append(", ")
            out.append(f"{'! ' if review else ''}{_age(row.rate_since, today)} old", style="yellow" if review else "")
    else:
        out.append("\nNo rate set", style="dim")
    if row.pending is not None:
        p = row.pending
        sent = p.sent or p.since
        waiting = f", {(today - sent).days} d waiting" if sent else ""
        out.append(f"\nRaise proposed: {_short_money(p.amount, p.currency)}/{p.unit}{waiting}", style="yellow")
    rule = "monthly" if str(c.invoicing) == "monthly" else f"within {c.invoice_within_hours} h"
    out.append(f"\nTerms {c.terms_days} d · invoice {rule}", style="dim")
    if c.retainer is not None:
        r = c.retainer
        ends = f", until {r.until.isoformat()}" if r.until else ""
        out.append(f"\nRetainer {_short_money(r.amount, r.currency)}/month, day {r.day}{ends}")
    b = row.behaviour
    if b.days_to_pay is not None and b.paid_late is not None:
        out.append(f"\nPays in {b.days_to_pay} d (median) · {round(b.paid_late * 100)}% late")
        if b.late_payer:
            out.append(" · ")
            out.append("late payer", style="bold red")

    if row.owed:
        out.append("\nOwed " + ", ".join(money(v, k) for k, v in sorted(row.owed.items())))
        if row.overdue_count:
            sev = row.overdue_severity
            plural = "s" if row.overdue_count != 1 else ""
            out.append("\n")
            out.append(
                f"{MARKER[sev]}Overdue " + ", ".join(money(v, k) for k, v in sorted(row.overdue_owed.items()))
                + f" ({row.overdue_count} invoice{plural}, {row.overdue_days} d)",
                style=RICH_SEVERITY.get(sev, ""),
            )
    else:
        out.append("\nNothing owed", style="dim")
    p = row.promises
    kept, broken = p.get(str(PromiseStatus.KEPT), 0), p.get(str(PromiseStatus.BROKEN), 0)
    out.append(f"\nPromises {kept} kept · ")
    out.append(f"{broken} broken", style="bold red" if broken else "")
    out.append(f" · {p.get(str(PromiseStatus.OPEN), 0)} open")
    dropped = p.get(str(PromiseStatus.DROPPED), 0)
    if dropped:
        out.append(f" · {dropped} dropped")
    return out


# --------------------------------------------------------------------------- #
# The command palette: every action of the screen, the hidden ones included
# --------------------------------------------------------------------------- #


class ClientCommands(Provider):
    """The Clients screen's actions that the footer has no room for."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, ClientsScreen):
            return
        matcher = self.matcher(query)
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show or not binding.description or binding.action.startswith("cursor"):
                continue
            if screen.check_action(binding.action, ()) is not True:
                continue
            label = f"{binding.description} ({binding.key_display or binding.key})"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), lambda a=binding.action: self.app.run_action(a, screen),
                          help="Clients")


# --------------------------------------------------------------------------- #
# The screen
# --------------------------------------------------------------------------- #


class ClientsScreen(ModeScreen):
    """Key ``2``: the table of clients and the selected one's detail."""

    CSS_PATH = "clients.tcss"
    DATA_WIDGET = "#clients-table"

    COMMANDS = {ClientCommands}

    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/", id="clients-filter",
                tooltip="Filter as you type: name, company, tags, email (escape clears)"),
        # a and s are hinted in the status line above the table: the footer has no room.
        Binding("a", "toggle_all", "All / active", show=False, id="clients-all",
                tooltip="Show all clients / active ones only"),
        Binding("s", "sort", "Sort", show=False, id="clients-sort",
                tooltip="Sort by the next column (or click a heading)"),
        Binding("S", "reverse", "Reverse sort", show=False, id="clients-reverse", tooltip="Reverse the sort order"),
        Binding("l", "log_contact", "Log", id="clients-log", tooltip="Log a contact with the client"),
        Binding("m", "draft", "Draft", id="clients-draft",
                tooltip="Draft a message: check-in, progress update, raise..."),
        Binding("n", "new", "New", id="clients-new", tooltip="New client"),
        Binding("e", "edit", "Edit", id="clients-edit", tooltip="Edit the client"),
        Binding("J", "new_job", "Job", key_display="J", id="clients-job",
                tooltip="New job (capital J: j moves down)"),
        Binding("i", "invoice", "Invoice", id="clients-invoice", tooltip="New invoice"),
        Binding("r", "raise_rate", "Raise", id="clients-raise", tooltip="Propose a price raise, then draft the email"),
        Binding("R", "retainer", "Retainer", show=False, id="clients-retainer",
                tooltip="Set the client's monthly fee (retainer), or end it"),
        Binding("c", "change", "Change of brief", show=False, id="clients-change",
                tooltip="Change of brief: the new price and/or deadline, and the reply drafted"),
        Binding("N", "notes", "Edit notes", show=False, id="clients-notes", tooltip="Edit the notes (Markdown)"),
        Binding("E", "notes_editor", "Notes in $EDITOR", show=False, id="clients-notes-editor",
                tooltip="Edit the notes in $EDITOR"),
        Binding("p", "payment", "Record a payment", show=False, id="clients-pay",
                tooltip="Record a payment on the oldest unpaid invoice"),
        Binding("z", "snooze", "Snooze check-in", show=False, id="clients-snooze", tooltip="Snooze the check-in"),
        Binding("A", "archive", "Archive", show=False, id="clients-archive",
                tooltip="Archive: status former, history kept"),
        Binding("D", "delete", "Delete", show=False, id="clients-delete",
                tooltip="Delete the client and its history (asks first)"),
        Binding("u", "undo", "Undo delete", show=False, id="clients-undo",
                tooltip="Undo the last delete (this session)"),
        Binding("enter", "open", "Open", show=False, id="clients-open", tooltip="Open: the detail full height"),
        Binding("escape", "back", "Back", show=False, id="clients-back",
                tooltip="Back to the table; clear the filter"),
        Binding("j", "cursor_down", "Down", show=False, id="clients-down"),
        Binding("k", "cursor_up", "Up", show=False, id="clients-up"),
        # The arrows move the table from the filter field too (the table handles them itself).
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.sort_column = "name"
        self.sort_reverse = False
        self.filter_text = ""
        self._rows: dict[str, ClientRow] = {}
        self._shown: list[str] = []
        self._selected: str | None = None
        self._key: tuple[int, dt.date] | None = None
        self._entries: dict[str, list[Entry]] = {}
        self._detail_key: tuple | None = None
        self._bindings_key: tuple | None = None
        self._notes_timer: Timer | None = None
        self._notes_pending: str | None = None  # the client whose notes the timer draws
        self._notes_shown: str | None = None
        self._name_width = 0
        self._undo: list[Deleted] = []
        self._reveal_id: str | None = None

    def compose(self) -> ComposeResult:
        # Set before the widgets mount: set on the first resize, it restyled them all.
        self.set_class(self.app.size.width < NARROW, "-narrow")
        yield Header()
        # The filter field opens on the status line, beside the counts, so that
        # opening and closing it leaves the table where it is.
        with Horizontal(id="clients-bar"):
            yield Input(placeholder="name, company, tag, email", id="clients-filter", compact=True)
            yield Static("", id="clients-status", markup=False)
        yield Table(id="clients-table", cursor_type="row")
        with Horizontal(id="clients-detail"):
            with VerticalScroll(id="client-side"):
                yield Static("", id="client-facts", markup=False)
                yield Static(Text("Notes"), id="client-notes-head", markup=False)
                yield SafeMarkdown("", id="client-notes")
            with Vertical(id="client-history"):
                yield Static("", id="client-history-head", markup=False)
                yield Timeline(id="client-timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def prepare(self, store, today: dt.date) -> tuple[tuple[int, dt.date], dict[str, ClientRow]]:
        """The rows, computed off the event loop on a first visit (ModeScreen)."""
        key = (store.generation, today)
        return key, build_rows(store.snapshot(), today)

    def show_prepared(self, data: tuple[tuple[int, dt.date], dict[str, ClientRow]]) -> None:
        key, rows = data
        if key == (self.app.store.generation, self.app.today):
            self._rows, self._entries, self._key = rows, {}, key

    def on_resize(self) -> None:
        # Narrow terminals stack the detail's two halves when it has the full height.
        self.set_class(self.app.size.width < NARROW, "-narrow")
        if self._rows and self._compute_name_width() != self._name_width:
            self._rebuild()

    # -- data ----------------------------------------------------------------- #

    @property
    def table(self) -> DataTable:
        return self.query_one("#clients-table", DataTable)

    @property
    def selected(self) -> ClientRow | None:
        return self._rows.get(self._selected) if self._selected else None

    def refresh_data(self) -> None:
        """Recompute the figures (once per store generation and day) and redraw."""
        app = self.app
        key = (app.store.generation, app.today)
        snap = app.store.snapshot()
        if key != self._key:
            self._rows = build_rows(snap, app.today)
            self._entries = {}
            self._key = (app.store.generation, app.today)
        self._apply_reveal()
        self._rebuild()

    def _visible_ids(self) -> list[str]:
        terms = self.filter_text.casefold().split()
        rows = [
            row for row in self._rows.values()
            if (self.show_all or row.client.status is ClientStatus.ACTIVE) and matches(row, terms)
        ]
        return sort_ids(rows, self.sort_column, self.sort_reverse)

    def _compute_name_width(self) -> int:
        """What the name column can have: the screen's width less the other columns."""
        total = self.app.size.width or 80
        others = sum(self._column_width(key) + 2 for key in COLUMNS if key != "name")
        longest = max((cell_width(row.name) for row in self._rows.values()), default=4)
        room = total - others - 2 - 1  # the name's own padding, and the scrollbar
        return max(8, min(room, max(longest, 6)))

    def _column_width(self, key: str) -> int:
        index = SORT_ORDER.index(key) - 1
        widest = max((cell_width(row.cells[index].plain) for row in self._rows.values()), default=0)
        return max(widest, len(self._heading(key).plain))

    def _heading(self, key: str) -> Text:
        label = COLUMNS[key][0]
        if key == self.sort_column:
            return Text(f"{label} {'▼' if self.sort_reverse else '▲'}", style="bold")
        return Text(label)

    def _rebuild(self, *, moving: bool = False) -> None:
        """Redraw the table from the cached cells, in the current order and filter."""
        table = self.table
        self._name_width = self._compute_name_width()
        table.clear(columns=True)
        for key in COLUMNS:
            width = self._name_width if key == "name" else self._column_width(key)
            table.add_column(self._heading(key), width=width, key=key)
        self._shown = self._visible_ids()
        for client_id in self._shown:
            self._add_row(client_id)
        self._restore_cursor(0)
        self._update_status()
        self._show_detail(moving=moving)

    def _add_row(self, client_id: str) -> None:
        row = self._rows[client_id]
        name = Text(fit(row.name, self._name_width).rstrip(), no_wrap=True)
        if row.client.status is not ClientStatus.ACTIVE:
            name.stylize("dim")
        self.table.add_row(name, *row.cells, key=client_id)

    def _restore_cursor(self, fallback_index: int) -> None:
        table = self.table
        if not self._shown:
            self._selected = None
            return
        if self._selected in self._shown:
            index = self._shown.index(self._selected)
        else:
            index = min(max(fallback_index, 0), len(self._shown) - 1)
            self._selected = self._shown[index]
        table.move_cursor(row=index, animate=False)

    def _update_status(self) -> None:
        total = sum(1 for row in self._rows.values() if self.show_all or row.client.status is ClientStatus.ACTIVE)
        heading = COLUMNS[self.sort_column][0].lower()
        order = f"{heading} {'▼' if self.sort_reverse else '▲'}"
        if self.query_one("#clients-filter", Input).has_class("-shown"):
            # Beside the filter field, which shows what was typed: the counts, shorter.
            scope = "clients" if self.show_all else "active clients"
            text = Text(f"{len(self._shown)} of {total} {scope} · by {order}")
        else:
            scope = "All clients" if self.show_all else "Active clients"
            text = Text(f"{scope}: {len(self._shown)}" + (f" of {total}" if len(self._shown) != total else ""))
            text.append(" (a)", style="dim")
            text.append(f" · sorted by {order}")
            text.append(" (s)", style="dim")
            text.append(" · ? keys", style="dim")
        self.query_one("#clients-status", Static).update(text, layout=False)  # one line, the bar's width

    # -- the filter ------------------------------------------------------------- #

    def _apply_filter(self, text: str) -> None:
        """Narrowing removes rows; anything else redraws from the cached cells."""
        previous = self.filter_text
        self.filter_text = text
        wanted = self._visible_ids()
        wanted_set = set(wanted)
        if set(self._shown) >= wanted_set and previous.casefold() in text.casefold():
            index = self.table.cursor_row
            gone = [cid for cid in self._shown if cid not in wanted_set]
            self._shown = [cid for cid in self._shown if cid in wanted_set]
            if len(gone) <= FEW_ROWS:  # the rows left keep their drawn cells
                for client_id in gone:
                    self.table.remove_row(client_id)
            else:  # quicker than removing each (DataTable repaints around each one)
                self.table.clear()
                for client_id in self._shown:
                    self._add_row(client_id)
            self._restore_cursor(index)
            self._update_status()
            self._show_detail(moving=True)  # typing: the notes follow once it pauses
        else:
            self._rebuild(moving=True)

    @on(Input.Changed, "#clients-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    @on(Input.Submitted, "#clients-filter")
    def _filter_submitted(self) -> None:
        filter_input = self.query_one("#clients-filter", Input)
        if not filter_input.value:
            self._show_filter(False)
        self.table.focus()

    def action_filter(self) -> None:
        self._zoom(False)
        self._show_filter(True)
        self.query_one("#clients-filter", Input).focus()

    def _show_filter(self, shown: bool) -> None:
        """Open or close the filter field, and word the status line for it.
        While it is open the table keeps the height it had, so the detail below
        stays put as rows come and go (and is not laid out and drawn again on
        every keystroke)."""
        filter_input = self.query_one("#clients-filter", Input)
        if shown == filter_input.has_class("-shown"):
            return
        filter_input.set_class(shown, "-shown")
        table = self.table
        if shown and table.outer_size.height:
            table.styles.height = table.outer_size.height
        else:
            table.styles.clear_rule("height")
        self._update_status()

    def _clear_filter(self) -> None:
        filter_input = self.query_one("#clients-filter", Input)
        self._show_filter(False)
        if filter_input.value:
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
            self._apply_filter("")
        self.table.focus()

    def action_back(self) -> None:
        filter_input = self.query_one("#clients-filter", Input)
        if self.has_class("-zoomed"):
            self._zoom(False)
        elif filter_input.has_focus or self.filter_text or filter_input.has_class("-shown"):
            self._clear_filter()
        else:
            self.table.focus()

    # -- table events, sort, scope ------------------------------------------------ #

    @on(DataTable.RowHighlighted, "#clients-table")
    def _highlighted(self) -> None:
        table = self.table
        if self._shown and 0 <= table.cursor_row < len(self._shown):
            self._selected = self._shown[table.cursor_row]
        self._show_detail(moving=True)

    @on(DataTable.RowSelected, "#clients-table")
    def _row_selected(self) -> None:
        self.action_open()

    @on(DataTable.HeaderSelected, "#clients-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        self._sort_by(str(event.column_key.value))

    def _sort_by(self, column: str) -> None:
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column = column
            self.sort_reverse = COLUMNS[column][1]
        self._rebuild()

    def action_sort(self) -> None:
        """Sort by the next column (its natural direction)."""
        index = (SORT_ORDER.index(self.sort_column) + 1) % len(SORT_ORDER)
        self._sort_by(SORT_ORDER[index])

    def action_reverse(self) -> None:
        self._sort_by(self.sort_column)

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._rebuild()

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def select_client(self, client_id: str) -> None:
        """Show ``client_id`` (from another screen, or after a save): widen the
        scope and clear the filter if they would hide it."""
        self._reveal_id = client_id
        self._selected = client_id
        if self.is_mounted and self._rows:
            self.refresh_data()

    def _apply_reveal(self) -> None:
        client_id, self._reveal_id = self._reveal_id, None
        row = self._rows.get(client_id) if client_id else None
        if row is None:
            return
        self._selected = client_id
        if row.client.status is not ClientStatus.ACTIVE:
            self.show_all = True
        if self.filter_text and not matches(row, self.filter_text.casefold().split()):
            self.filter_text = ""
            filter_input = self.query_one("#clients-filter", Input)
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
            self._show_filter(False)

    # -- the detail pane ------------------------------------------------------------ #

    def _history_of(self, client_id: str) -> list[Entry]:
        """The client's timeline, built once per store generation."""
        entries = self._entries.get(client_id)
        if entries is None:
            history = ClientHistory.from_documents(self.app.store.client_documents(client_id))
            entries = self._entries[client_id] = timeline_entries(history, self.app.today)
        return entries

    def _bindings_state(self) -> tuple:
        row = self.selected
        if row is None:
            return (None, bool(self._undo))
        return (bool(row.unpaid), row.client.status, bool(self._undo))

    def _show_detail(self, *, moving: bool = False) -> None:
        """Show the selected client. While ``moving`` (cursor keys, possibly held
        down) the notes, the one costly part (a Markdown document of widgets),
        are drawn once the cursor rests for a moment."""
        state = self._bindings_state()
        if state != self._bindings_key:
            # Which keys apply changed: redraw the footer (only then: it is not free).
            self._bindings_key = state
            self.refresh_bindings()
        row = self.selected
        key = (self._selected, self._key)
        if key == self._detail_key:
            return
        self._detail_key = key
        facts = self.query_one("#client-facts", Static)
        timeline = self.query_one("#client-timeline", Timeline)
        head = self.query_one("#client-history-head", Static)
        if row is None:
            empty = "No clients yet: n adds one." if not self._rows else "No client matches: escape clears the filter, a shows all."
            facts.update(Text(empty, style="dim"))
            self._show_notes(None, immediate=True)
            timeline.show([])
            head.update(Text("History"))
            self.query_one("#client-notes-head").display = False
            return
        facts.update(facts_text(row, self.app.today))
        self.query_one("#client-notes-head").display = True
        self._show_notes(row.client.id, immediate=not moving)
        entries = self._history_of(row.client.id)
        head.update(Text(f"History: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, newest first"),
                    layout=False)
        timeline.show(entries)
        self.query_one("#client-side", VerticalScroll).scroll_home(animate=False)

    def _show_notes(self, client_id: str | None, *, immediate: bool) -> None:
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        notes = self.query_one("#client-notes", SafeMarkdown)
        if immediate:
            self._render_notes(client_id)
        else:
            notes.display = False
            self._notes_pending = client_id
            self._notes_timer = self.set_timer(NOTES_DELAY, lambda: self._render_notes(client_id))

    def settle_notes(self) -> None:
        """Draw the notes the cursor rests on now, not after NOTES_DELAY
        (tests and snapshots, which must not wait on the clock)."""
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._render_notes(self._notes_pending)

    def _render_notes(self, client_id: str | None) -> None:
        self._notes_timer = None
        notes = self.query_one("#client-notes", SafeMarkdown)
        row = self._rows.get(client_id) if client_id else None
        text = "" if row is None else (row.client.notes or "*No notes yet: N writes some.*")
        notes.display = row is not None
        if text != self._notes_shown:
            self._notes_shown = text
            notes.show(text)

    def _zoom(self, on: bool) -> None:
        self.set_class(on, "-zoomed")
        if on:
            self.query_one("#client-timeline", Timeline).focus()
        else:
            self.table.focus()

    def action_open(self) -> None:
        if self.selected is not None and not self.has_class("-zoomed"):
            self._zoom(True)

    # -- actions on the selected client ----------------------------------------------- #

    CLIENT_ACTIONS = frozenset({
        "retainer",
        "edit", "log_contact", "draft", "new_job", "invoice", "raise_rate", "notes", "notes_editor",
        "change", "payment", "snooze", "archive", "delete", "open",
    })

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.CLIENT_ACTIONS:
            row = self.selected
            if row is None:
                return None
            if action == "payment":
                return bool(row.unpaid) or None
            if action == "archive":
                return row.client.status is not ClientStatus.FORMER or None
            if action == "snooze":
                return row.client.status is ClientStatus.ACTIVE or None
            return True
        if action == "undo":
            return bool(self._undo) or None
        return True

    def _client(self) -> Client | None:
        row = self.selected
        if row is None:
            return None
        return self.app.store.snapshot().clients_by_id.get(row.client.id)

    def _after_save(self, client: Client, message: str) -> None:
        self._reveal_id = client.id  # shown and selected once the screen refreshes
        self.app.saved(message)

    def action_new(self) -> None:
        client_form.client_form(self.app, None, lambda c: self._after_save(c, f"Added {one_line(c.name)}"))

    def action_edit(self) -> None:
        client = self._client()
        if client is not None:
            client_form.client_form(self.app, client, lambda c: self._after_save(c, f"Saved {one_line(c.name)}"))

    def action_log_contact(self) -> None:
        if (client := self._client()) is not None:
            actions.log_contact(self.app, client.id)

    def action_draft(self) -> None:
        client = self._client()
        if client is None:
            return

        def chosen(kind: str | None) -> None:
            if kind:
                fresh = self.app.store.snapshot().clients_by_id.get(client.id)
                if fresh is not None:
                    actions.open_draft(self.app, kind, fresh)

        self.app.push_screen(client_form.DraftChoiceModal(client.name), chosen)

    def action_new_job(self) -> None:
        if (client := self._client()) is not None:
            client_form.job_form(self.app, client)

    def action_change(self) -> None:
        if (client := self._client()) is not None:
            client_form.change_of_brief(self.app, client)

    def action_invoice(self) -> None:
        if (client := self._client()) is not None:
            client_form.invoice_form(self.app, client)

    def action_retainer(self) -> None:
        if (client := self._client()) is not None:
            actions.retainer_form(self.app, client.id)

    def action_raise_rate(self) -> None:
        if (client := self._client()) is not None:
            actions.propose_raise(self.app, client.id)  # the form, then the draft email

    def action_payment(self) -> None:
        row = self.selected
        if row is not None and row.unpaid:
            actions.record_payment(self.app, row.unpaid[0])

    def action_snooze(self) -> None:
        if (client := self._client()) is not None:
            actions.snooze_client(self.app, client.id)

    def action_notes(self) -> None:
        client = self._client()
        if client is not None:
            self.app.push_screen(client_form.NotesModal(self.app, client),
                                 lambda saved: saved and self.app.saved(f"Notes saved for {one_line(client.name)}"))

    def action_notes_editor(self) -> None:
        """Edit the notes in ``$VISUAL``/``$EDITOR`` (the app is suspended meanwhile)."""
        from textual.app import SuspendNotSupported

        client = self._client()
        if client is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as handle:
            handle.write(client.notes)
            path = Path(handle.name)
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
            text = path.read_text(encoding="utf-8")
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor; N edits the notes here.", severity="warning")
            return
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            self.notify(f"Could not run the editor {editor!r}: {exc}", severity="error", markup=False)
            return
        finally:
            path.unlink(missing_ok=True)
        if text == client.notes:
            self.notify("Notes unchanged")
            return
        try:
            self.app.store.update_client(client.id, base=client, notes=text)
        except (ValidationError, NotFound, StorageError) as exc:
            if isinstance(exc, NotFound):
                self.notify(str(exc), severity="error", markup=False, timeout=10)
                return
            # Not saved (changed in another session, too long, disk full...):
            # the text written in the editor stays, in the notes modal.
            self.app.push_screen(client_form.NotesModal(self.app, client, text=text, error=str(exc)),
                                 lambda saved: saved and self.app.saved(f"Notes saved for {one_line(client.name)}"))
            return
        self.app.saved(f"Notes saved for {one_line(client.name)}")

    def action_archive(self) -> None:
        client = self._client()
        if client is None:
            return
        try:
            self.app.store.archive_client(client.id)
        except (ValidationError, NotFound, StorageError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.saved(f"Archived {one_line(client.name)} (status former; e changes it back)")

    def action_delete(self) -> None:
        client = self._client()
        if client is None:
            return
        history = ClientHistory.from_documents(self.app.store.client_documents(client.id))
        counts = [f"{n} {what}" for n, what in (
            (len(history.contacts), "contacts"), (len(history.jobs), "jobs"), (len(history.invoices), "invoices"),
            (len(history.promises), "promises"), (len(history.rates), "rates"), (len(history.changes), "changes"),
        ) if n]
        question = Text("Delete ")
        question.append(_clip(client.name), style="bold")
        question.append(" and everything recorded for them")
        question.append(f" ({', '.join(counts)})" if counts else "")
        question.append("?\n\n")
        question.append("Archive (A) keeps the history instead. u undoes a delete until you quit.\n", style="dim")
        question.append("y deletes · n or escape cancels", style="dim")

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                deleted = self.app.store.delete_client(client.id)
            except (ValidationError, NotFound, StorageError) as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._undo.append(deleted)
            self.app.saved(f"Deleted {one_line(deleted.label)}; u undoes it")

        self.app.push_screen(client_form.ConfirmModal(question, yes="Delete"), confirmed)

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo")
            return
        deleted = self._undo[-1]
        try:
            self.app.store.restore(deleted)
        except (ValidationError, NotFound, StorageError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._undo.pop()
        self._reveal_id = deleted.docs.get("client", [{}])[0].get("id")
        self.app.saved(f"Restored {one_line(deleted.label)}")
