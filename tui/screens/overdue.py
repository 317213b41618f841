"""The Overdue board: every invoice past its term, by age, chased by the ladder.

One column per aging bucket (1-7, 8-14, 15-30, 31-60, 61+ days past due), a
card per overdue invoice and totals per column and currency (never added
across currencies). Each card says who owes what, how late it is, how many
reminders went and when the next one falls due, or that it is on hold.

Keys act on the focused card: ``m`` drafts the next reminder on the ladder
(reminder 1 the guide's words, then firmer, then the final notice; "Mark sent"
in the preview records it), ``p`` records a payment, ``h`` puts the invoice on
hold or releases it, ``s`` drafts a statement of everything the client owes,
``enter`` opens the client, ``n``/``e`` create and edit invoices.

Moving: the arrows, ``j``/``k`` up and down, ``l``/``L`` and ``H`` across the
columns. (``h`` itself is hold, the key the product's action list gives it, so
plain ``h`` cannot also mean left.)

The board is rebuilt from the store whenever the data changes, here or in
another process (the app polls the file), keeping the focused card when it is
still on the board, else the card that took its place.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import DescendantFocus
from textual.widgets import Static

from storage.errors import UserError
from storage.formats import money
from storage.invoicing import Column, overdue_board, totals_by_currency
from storage.scheduler import BUCKETS
from storage.store import NotFound

from .. import flows
from ..forms.invoice import edit_invoice, new_invoice
from ..i18n import N_, _, active, ngettext
from ..widgets.cards import InvoiceCard, OverdueBoard
from ..widgets.header import Header
from ..widgets.keybar import KeyBar
from ..widgets.safe import RICH_SEVERITY
from .base import ModeScreen


def board_summary(columns: list[Column], today: dt.date) -> Content:
    """The line above the board: how many, how much per currency, what is due."""
    cards = [card for column in columns for card in column.cards]
    if not cards:
        return Content(_("Nothing is overdue. Every sent invoice is paid or within its terms."))
    owed = totals_by_currency((c.row.currency, c.row.outstanding) for c in cards)
    due = sum(1 for c in cards if c.reminder_due(today))
    escalate = sum(1 for c in cards if c.escalate and not c.on_hold)
    held = sum(1 for c in cards if c.on_hold)
    lang = active()
    parts: list[str | tuple[str, str]] = [
        (ngettext("{n} invoice", "{n} invoices", len(cards)).format(n=len(cards)), "bold"),
        " · ",
        (" + ".join(money(a, c, lang) for c, a in owed.items()), "bold"),
    ]
    if due:
        parts += [" · ", (_("remind {n}").format(n=due), f"bold {RICH_SEVERITY['amber']}")]
    if escalate:
        parts += [" · ", (_("escalate {n}").format(n=escalate), RICH_SEVERITY["red"])]
    if held:
        parts += [" · ", (_("on hold {n}").format(n=held), "$text-secondary")]
    return Content.assemble(*parts)


class OverdueScreen(ModeScreen):
    """Key ``3``: overdue invoices as cards in aging-bucket columns."""

    TITLE = N_("Overdue board")
    """The screen's name, in the header and help (tui.widgets.header)."""

    CSS_PATH = "overdue.tcss"
    DATA_WIDGET = "#overdue-board"

    BINDINGS = [
        Binding("m", "remind", N_("Remind"), id="overdue-remind", tooltip=N_("Draft the next reminder on the ladder")),
        Binding("p", "payment", N_("Pay"), id="overdue-pay", tooltip=N_("Record a payment (part or all)")),
        Binding("h", "hold", N_("Hold"), id="overdue-hold", tooltip=N_("Put the invoice on hold, or release it")),
        Binding("s", "statement", N_("Statement"), id="overdue-statement",
                tooltip=N_("Draft a statement of everything the client owes")),
        Binding("enter", "open", N_("Client"), id="overdue-open", tooltip=N_("Open the client")),
        Binding("c", "log_call", N_("Called"), id="overdue-call", show=False,
                tooltip=N_("Log the call about an invoice past its final notice")),
        Binding("w", "write_off", N_("Write off"), id="overdue-write-off", show=False,
                tooltip=N_("Write the invoice off (asks first)")),
        Binding("n", "new_invoice", N_("New"), id="overdue-new", tooltip=N_("New invoice")),
        Binding("e", "edit_invoice", N_("Edit"), id="overdue-edit", tooltip=N_("Edit the invoice")),
        Binding("up,k", "move(0, -1)", N_("Up"), show=False, id="overdue-up", tooltip=N_("Card above")),
        Binding("down,j", "move(0, 1)", N_("Down"), show=False, id="overdue-down", tooltip=N_("Card below")),
        Binding("left,H", "move(-1, 0)", N_("Left"), show=False, id="overdue-left",
                tooltip=N_("Column to the left (h is hold)")),
        Binding("right,l,L", "move(1, 0)", N_("Right"), show=False, id="overdue-right",
                tooltip=N_("Column to the right")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._columns: list[Column] = []
        self._prepared_columns: tuple[tuple[int, dt.date], list[Column]] | None = None
        self._generation = -1
        self._day: dt.date | None = None
        self._selected: str | None = None
        """The number of the invoice last focused (kept across rebuilds)."""
        self._position: tuple[int, int] = (len(BUCKETS) - 1, 0)
        """(column, row) of that card, to land near it once it has gone: at
        first, the oldest debt."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="overdue-summary")
        yield OverdueBoard(BUCKETS, id="overdue-board")
        yield KeyBar()

    def prepare(self, store, today: dt.date) -> tuple[tuple[int, dt.date], list[Column]]:
        """The board's columns, computed off the event loop on a first visit (ModeScreen)."""
        return (store.generation, today), overdue_board(store.snapshot(), today)

    def show_prepared(self, data: tuple[tuple[int, dt.date], list[Column]]) -> None:
        self._prepared_columns = data

    # -- data ---------------------------------------------------------------- #

    def refresh_data(self) -> None:
        """Rebuild the board from the store (after an action, or another
        process's change), keeping the focused card where possible."""
        app = self.app
        today = app.today
        prepared, self._prepared_columns = self._prepared_columns, None
        if prepared is not None and prepared[0] == (app.store.generation, today):
            columns = prepared[1]
        else:
            columns = overdue_board(app.store.snapshot(), today)
        self._generation = app.store.generation
        self._day = today
        self._columns = columns
        self.query_one("#overdue-summary", Static).update(board_summary(columns, today))
        self.call_later(self._show, columns, today)

    async def _show(self, columns: list[Column], today: dt.date) -> None:
        board = self.query_one(OverdueBoard)
        await board.show(columns, today)
        self._restore_focus()
        self.refresh_bindings()

    def _restore_focus(self) -> None:
        grid = self._grid()
        if self._selected is not None:
            for cards in grid:
                for card in cards:
                    if card.number == self._selected:
                        self._focus(card)
                        return
        # The card went away (paid, or moved to another column): stay put.
        col, row = self._position
        order = sorted(range(len(grid)), key=lambda i: (abs(i - col), i < col))
        for index in order:
            if grid[index]:
                self._focus(grid[index][min(row, len(grid[index]) - 1)])
                return
        self._selected = None

    def _focus(self, card: InvoiceCard) -> None:
        self._selected = card.number
        board = self.query_one(OverdueBoard)
        for index, column in enumerate(board.columns):
            if column in card.ancestors:
                board.focus_column(index)  # a sliver opens before its card takes the focus
        if self.focused is not card:
            card.focus()

    def _grid(self) -> list[list[InvoiceCard]]:
        return [column.cards for column in self.query_one(OverdueBoard).columns]

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, InvoiceCard):
            self._selected = widget.number
            for column in self.query_one(OverdueBoard).columns:
                column.set_current(column in widget.ancestors)
            for c, cards in enumerate(self._grid()):
                if widget in cards:
                    self._position = (c, cards.index(widget))
                    self.query_one(OverdueBoard).focus_column(c)
            self.refresh_bindings()

    @property
    def selected(self) -> InvoiceCard | None:
        """The focused card, if any."""
        focused = self.focused
        return focused if isinstance(focused, InvoiceCard) else None

    # -- moving -------------------------------------------------------------- #

    def action_move(self, dx: int, dy: int) -> None:
        grid = self._grid()
        current = self.selected
        if current is None:
            self._restore_focus()
            return
        col, row = next((c, cards.index(current)) for c, cards in enumerate(grid) if current in cards)
        if dy:
            row = max(0, min(row + dy, len(grid[col]) - 1))
            self._focus(grid[col][row])
            return
        step = 1 if dx > 0 else -1
        target = col + step
        while 0 <= target < len(grid) and not grid[target]:
            target += step  # skip empty columns
        if 0 <= target < len(grid):
            self._focus(grid[target][min(row, len(grid[target]) - 1)])

    # -- actions ------------------------------------------------------------- #

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("remind", "payment", "hold", "statement", "open", "edit_invoice", "log_call", "write_off"):
            return self.selected is not None or None
        return True

    def _invoice(self):
        card = self.selected
        if card is None:
            return None
        try:
            return self.app.store.snapshot().invoice(card.number)
        except NotFound:
            return None

    def action_remind(self) -> None:
        card = self.selected
        if card is not None:
            # The store decides whether a reminder is due; the action says so.
            flows.draft_reminder(self.app, card.number)

    def action_log_call(self) -> None:
        card = self.selected
        if card is not None:
            flows.log_call(self.app, card.number)

    def action_write_off(self) -> None:
        card = self.selected
        if card is not None:
            flows.write_off(self.app, card.number)

    def action_payment(self) -> None:
        card = self.selected
        if card is not None:
            flows.record_payment(self.app, card.number)

    def action_hold(self) -> None:
        invoice = self._invoice()
        if invoice is None:
            return
        try:
            saved = self.app.store.set_hold(invoice.number, not invoice.on_hold)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if saved.on_hold:
            self.app.saved(_("Invoice {number} is on hold: no reminder falls due until you release it").format(
                number=saved.number))
        else:
            self.app.saved(_("Invoice {number} released from hold").format(number=saved.number))

    def action_statement(self) -> None:
        card = self.selected
        if card is None:
            return
        client = self.app.store.snapshot().clients_by_id.get(card.card.client_id)
        if client is None:
            self.notify(_("That invoice's client no longer exists."), severity="error")
            return
        flows.open_draft(self.app, "statement", client)

    def action_open(self) -> None:
        card = self.selected
        if card is not None:
            self.app.open_client(card.card.client_id)

    def action_new_invoice(self) -> None:
        card = self.selected
        new_invoice(self.app, client_id=card.card.client_id if card else None)

    def action_edit_invoice(self) -> None:
        card = self.selected
        if card is not None:
            edit_invoice(self.app, card.number)
