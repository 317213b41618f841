"""Invoices: the list of all of them (key ``4``).

The list shows every invoice, newest first, with filters for state, client and
year, so paid history is always a few keys away. "Paid" is derived: a sent
invoice with nothing outstanding (storage.invoicing). On a row: ``enter`` shows
the invoice as its document, ``n``/``e`` create and edit, ``p`` records a
payment, ``m`` drafts the cover note (or the next reminder once overdue),
``h`` puts it on hold, ``c`` opens the client, ``/`` goes to the filters.

The invoice form itself (``n``, ``e``) is :mod:`tui.forms.invoice`, which the
Overdue board opens too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static

from storage.errors import UserError
from storage.formats import money, short_date
from storage.invoice_render import render_markdown
from storage.invoicing import invoice_state, select_invoices
from storage.jsonfile import atomic_write, ensure_private_dir
from storage.models import Invoice, InvoiceStatus
from storage.scheduler import outstanding_by_currency
from storage.text import one_line

from .. import flows
from ..forms.invoice import edit_invoice, new_invoice
from ..i18n import N_, _, active, ngettext
from ..widgets.header import Header
from ..widgets.keybar import KeyBar
from ..widgets.markdown import SafeMarkdown
from ..widgets.safe import RICH_SEVERITY, cell
from ..widgets.table import Table
from ..widgets.words import INVOICE_STATUS, word
from .base import ModeScreen

STATE_FILTERS = [
    (N_("All"), "all"),
    (N_("Unpaid (sent)"), "sent"),
    (N_("Overdue"), "overdue"),
    (N_("Paid"), "paid"),
    (INVOICE_STATUS["draft"], "draft"),  # the stored states' words (not "Draft", the key that drafts)
    (INVOICE_STATUS["void"], "void"),
    (INVOICE_STATUS["written_off"], "written_off"),
]
"""The State filter's choices, shown translated with a capital (_filter_label)."""


def _filter_label(label: str) -> str:
    text = _(label)
    return text[:1].upper() + text[1:]


ROW_BATCH = 100
"""Rows added to the list per piece (see InvoicesScreen._fill_table): ~10 ms."""
FIRST_BATCH = 60
"""Rows in the first frame: more than a tall terminal shows."""


# --------------------------------------------------------------------------- #
# The invoice, shown as its document
# --------------------------------------------------------------------------- #


class InvoiceView(ModalScreen[None]):
    """One invoice rendered as the document ``rapport invoice show`` prints."""

    BINDINGS = [
        Binding("c", "copy", N_("Copy Markdown"), id="invoice-view-copy"),
        Binding("s", "save_pdf", N_("Save PDF"), id="invoice-view-pdf",
                tooltip=N_("Save the invoice as a PDF beside the data file (invoices/)")),
        Binding("escape,q,enter", "close", N_("Close"), id="invoice-view-close"),
    ]

    DEFAULT_CSS = """
    InvoiceView { align: center middle; }
    InvoiceView > Vertical { width: 100%; max-width: 100; height: 100%; background: $surface; border: thick $primary; }
    InvoiceView #invoice-body { height: 1fr; }
    """

    def __init__(self, markdown: str, invoice: Invoice) -> None:
        super().__init__()
        self.markdown = markdown
        self.invoice = invoice

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="invoice-body"):
                yield SafeMarkdown(self.markdown, id="invoice-markdown")
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#invoice-body").focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        self.notify(_("Sent to the terminal's clipboard (OSC 52)"))

    def action_save_pdf(self) -> None:
        """The PDF ``rapport invoice show --format pdf`` makes, saved in an
        ``invoices`` folder beside the data file."""
        from storage.invoice_pdf import attachment_name, invoice_pdf  # lazy: fpdf2, only when a PDF is made

        store = self.app.store
        folder = store.path.parent / "invoices"
        target = folder / attachment_name(self.invoice)
        try:
            payload = invoice_pdf(store.snapshot(), self.invoice, created=store.clock.now())
            ensure_private_dir(folder)
            atomic_write(target, payload)
        except OSError as exc:
            self.notify(_("Could not save the PDF: {error}").format(error=exc.strerror), severity="error",
                        markup=False)
            return
        self.notify(_("Saved {path}").format(path=target), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


# --------------------------------------------------------------------------- #
# The list
# --------------------------------------------------------------------------- #


def _state_label(invoice: Invoice, state: str, today: dt.date) -> tuple[str, str]:
    """What the State column says for ``state`` (from :func:`invoice_state`),
    and its (Rich, 16-colour safe) style."""
    if state == "overdue":
        days = (today - invoice.due_on).days
        if invoice.on_hold:
            return _("on hold {n}d").format(n=days), "bold magenta"
        return _("overdue {n}d").format(n=days), RICH_SEVERITY["red" if days >= max(invoice.terms_days, 1) else "amber"]
    if state == "paid":
        return _("paid"), "green"
    if state in ("void", "written_off"):
        return word(INVOICE_STATUS, state), "dim"
    if state == "draft":
        return word(INVOICE_STATUS, state), "italic"
    return (_("sent, held") if invoice.on_hold else word(INVOICE_STATUS, "sent")), ""


class InvoicesScreen(ModeScreen):
    """Key ``4``: every invoice, newest first, filtered by state, client and year."""

    TITLE = N_("Invoices")
    """The screen's name, in the header and help (tui.widgets.header)."""

    CSS_PATH = "invoices.tcss"
    DATA_WIDGET = "#invoices"
    READS = ("clients", "invoices")

    BINDINGS = [
        Binding("enter", "show", N_("Show"), id="invoices-show", tooltip=N_("Show the invoice as its document")),
        Binding("n", "new_invoice", N_("New"), id="invoices-new", tooltip=N_("New invoice")),
        Binding("e", "edit_invoice", N_("Edit"), id="invoices-edit", tooltip=N_("Edit the invoice")),
        Binding("i", "issue", N_("Issue"), id="invoices-issue", show=False,
                tooltip=N_("Issue the draft: it takes the next number")),
        Binding("p", "payment", N_("Pay"), id="invoices-pay", tooltip=N_("Record a payment (part or all)")),
        Binding("m", "draft", N_("Draft"), id="invoices-draft",
                tooltip=N_("Draft the cover note, or the next reminder once overdue")),
        Binding("h", "hold", N_("Hold"), id="invoices-hold", tooltip=N_("Put the invoice on hold, or release it")),
        Binding("c", "open_client", N_("Client"), id="invoices-client", tooltip=N_("Open the client")),
        Binding("slash", "filter", N_("Filter"), key_display="/", id="invoices-filter",
                tooltip=N_("Filter by state, client and year")),
        Binding("escape", "focus_table", N_("Back to list"), show=False, id="invoices-back"),
        Binding("j", "cursor_down", N_("Down"), show=False, id="invoices-down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="invoices-up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._generation = -1
        self._day: dt.date | None = None
        self._shown: list[Invoice] = []
        self._width = 0
        self._years: list[int] = []
        self._clients: list[tuple[str, str]] = []
        self._applied: tuple[str, str, str] = ("all", "all", "all")
        self._fill_generation = 0
        self._pending_select: str | None = None
        self._wide = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="invoices-filters"):
            yield Label(_("State"), classes="filter-label")
            yield Select([(_filter_label(label), value) for label, value in STATE_FILTERS], value="all",
                         allow_blank=False, compact=True, id="filter-state")
            yield Label(_("Client"), classes="filter-label")
            yield Select([(Text(_("All")), "all")], value="all", allow_blank=False, compact=True, id="filter-client")
            yield Label(_("Year"), classes="filter-label")
            yield Select([(_("All"), "all")], value="all", allow_blank=False, compact=True, id="filter-year")
        yield Static("", id="invoices-summary")
        yield Table(id="invoices", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Table).focus()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._fill_table()

    # -- filters ------------------------------------------------------------- #

    def _filter_value(self, name: str) -> str:
        value = self.query_one(f"#filter-{name}", Select).value
        return str(value) if value is not Select.BLANK else "all"

    def set_filters(self, *, state: str | None = None, client_id: str | None = None, year: int | None = None) -> None:
        """Set the filters (e.g. from another screen: one client's invoices)."""
        if state is not None:
            self.query_one("#filter-state", Select).value = state
        if client_id is not None:
            self.query_one("#filter-client", Select).value = client_id
        if year is not None:
            self.query_one("#filter-year", Select).value = str(year)

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self._filters() != self._applied:  # not for options being replaced
            self._fill_table()

    def _update_filter_options(self) -> None:
        snap = self.app.store.snapshot()
        clients = sorted(snap.clients, key=lambda c: c.name.casefold())
        client_options = [(c.id, one_line(c.name)) for c in clients]
        if client_options != self._clients:
            self._clients = client_options
            select = self.query_one("#filter-client", Select)
            current = select.value
            select.set_options([(Text(_("All")), "all"),
                                *[(Text(one_line(name)), cid) for cid, name in client_options]])
            select.value = current if current in {cid for cid, __ in client_options} else "all"
        years = sorted({i.issued.year for i in snap.invoices if i.issued is not None}, reverse=True)
        if years != self._years:
            self._years = years
            select = self.query_one("#filter-year", Select)
            current = select.value
            select.set_options([(_("All"), "all"), *[(str(y), str(y)) for y in years]])
            select.value = current if current in {str(y) for y in years} else "all"

    # -- data ---------------------------------------------------------------- #

    def refresh_data(self) -> None:
        self._generation = self.app.store.generation
        self._day = self.app.today
        self._update_filter_options()
        self._fill_table()

    def _filters(self) -> tuple[str, str, str]:
        return self._filter_value("state"), self._filter_value("client"), self._filter_value("year")

    def _fill_table(self) -> None:
        """List the invoices the filters select.

        The first rows are added at once and the rest in batches after each
        refresh, so the list answers keys straight away even with a decade
        of invoices (the table measures every cell it is given)."""
        app = self.app
        today = app.today
        snap = app.store.snapshot()
        state, client, year = self._applied = self._filters()
        invoices = select_invoices(
            snap,
            today,
            state=None if state == "all" else state,
            client_id=None if client == "all" else client,
            year=None if year == "all" else int(year),
        )
        table = self.query_one(Table)
        previous = self.selected_number
        self._shown = invoices
        self._width = self.size.width
        self._wide = self._width >= 100
        # Fixed columns, then the client's name takes what is left (two cells
        # of padding per column, two for the scrollbar).
        widths = {"number": 8, "issued": 10, "due": 10, "total": 13, "outstanding": 13, "state": 11}
        if not self._wide:
            del widths["due"]
        client_width = max(10, self._width - sum(widths.values()) - 2 * (len(widths) + 1) - 2)
        table.clear(columns=True)
        table.add_column(_("Number"), width=widths["number"], key="number")
        table.add_column(_("Client"), width=client_width, key="client")
        table.add_column(_("Issued"), width=widths["issued"], key="issued")
        if self._wide:
            table.add_column(_("Due"), width=widths["due"], key="due")
        table.add_column(Text(_("Total"), justify="right"), width=widths["total"], key="total")
        table.add_column(Text(_("Outstanding"), justify="right"), width=widths["outstanding"], key="outstanding")
        table.add_column(_("State"), width=widths["state"], key="state")
        self._fill_generation += 1
        self._pending_select = previous
        # What is on screen first; the summary's sums over every listed invoice
        # and the other rows right after that frame.
        self._add_rows(self._fill_generation, 0, FIRST_BATCH)
        self.next_piece(self._summarise, invoices, today, self._fill_generation)
        self.refresh_bindings()

    def _row(self, invoice: Invoice, today: dt.date, names: dict[str, str]) -> list[Any]:
        total = invoice.total
        outstanding = total - invoice.paid
        label, style = _state_label(invoice, invoice_state(invoice, today), today)
        lang = active()
        values: list[Any] = [
            cell(invoice.label),
            cell(names.get(invoice.client_id, invoice.client_id)),
            Text(short_date(invoice.issued, lang) if invoice.issued else "-"),
        ]
        if self._wide:
            values.append(Text(short_date(invoice.due_on, lang) if invoice.issued else "-"))
        settled = outstanding <= 0 or invoice.status is not InvoiceStatus.SENT
        values += [
            Text(money(total, invoice.currency, lang), justify="right"),
            Text(money(outstanding, invoice.currency, lang), justify="right", style="dim" if settled else ""),
            Text(label, style=style),
        ]
        return values

    def _add_rows(self, generation: int, start: int, count: int = ROW_BATCH) -> None:
        if generation != self._fill_generation:
            return  # the filters changed meanwhile: a new fill has started
        table = self.query_one(Table)
        today = self.app.today
        names = {c.id: c.name for c in self.app.store.snapshot().clients}
        batch = self._shown[start:start + count]
        for invoice in batch:
            table.add_row(*self._row(invoice, today, names), key=invoice.id)
        wanted = self._pending_select
        if wanted is not None and any(wanted in (i.number, i.id) for i in batch):
            self.select_invoice(wanted)
            self._pending_select = None
        if start + count < len(self._shown):  # below the first screenful (FIRST_BATCH)
            self.next_piece(self._add_rows, generation, start + count, in_view=False)

    def _summarise(self, invoices: list[Invoice], today: dt.date, generation: int | None = None) -> None:
        if generation is not None and generation != self._fill_generation:
            return  # a newer fill will say its own
        owed = outstanding_by_currency(invoices)  # sent invoices only, per currency
        lang = active()
        count = ngettext("{n} invoice", "{n} invoices", len(invoices)).format(n=len(invoices))
        if owed:
            amounts = " + ".join(money(a, c, lang) for c, a in owed.items())
            text = _("{count} · outstanding {amounts}").format(count=count, amounts=amounts)
        else:
            text = count
        self.query_one("#invoices-summary", Static).update(Text(text))

    def select_invoice(self, number_or_id: str) -> None:
        """Move the cursor to an invoice, if it is listed."""
        table = self.query_one(Table)
        for index, invoice in enumerate(self._shown):
            if number_or_id in (invoice.id, invoice.number):
                table.move_cursor(row=index)
                return

    @property
    def selected_invoice(self) -> Invoice | None:
        table = self.query_one(Table)
        if not self._shown or table.cursor_row is None or not 0 <= table.cursor_row < len(self._shown):
            return None
        return self._shown[table.cursor_row]

    @property
    def selected_number(self) -> str | None:
        invoice = self.selected_invoice
        return invoice.number if invoice else None

    @on(Table.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(Table.RowSelected)
    def _row_selected(self, event: Table.RowSelected) -> None:
        event.stop()
        self.action_show()

    # -- actions ------------------------------------------------------------- #

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("show", "edit_invoice", "open_client"):
            return self.selected_invoice is not None or None
        if action in ("payment", "hold", "draft"):
            invoice = self.selected_invoice
            return (invoice is not None and invoice.status is InvoiceStatus.SENT and invoice.outstanding > 0) or None
        return True

    def action_cursor_down(self) -> None:
        self.query_one(Table).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(Table).action_cursor_up()

    def action_filter(self) -> None:
        self.query_one("#filter-state", Select).focus()

    def action_focus_table(self) -> None:
        self.query_one(Table).focus()

    def action_show(self) -> None:
        invoice = self.selected_invoice
        if invoice is not None:
            self.app.push_screen(InvoiceView(render_markdown(self.app.store.snapshot(), invoice), invoice))

    def action_new_invoice(self) -> None:
        client = self._filter_value("client")
        new_invoice(self.app, client_id=None if client == "all" else client)

    def action_edit_invoice(self) -> None:
        invoice = self.selected_invoice
        if invoice is not None:
            edit_invoice(self.app, invoice.id)

    def action_issue(self) -> None:
        """Issue the selected draft: it takes the next number of today's year."""
        invoice = self.selected_invoice
        if invoice is None:
            return
        try:
            saved = self.app.store.issue_invoice(invoice.id, self.app.today)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.saved(_("Invoice {number} issued").format(number=saved.number))

    def action_payment(self) -> None:
        invoice = self.selected_invoice
        if invoice is not None:
            flows.record_payment(self.app, invoice.id)

    def action_draft(self) -> None:
        invoice = self.selected_invoice
        if invoice is None:
            return
        kind = "reminder" if invoice_state(invoice, self.app.today) == "overdue" and not invoice.on_hold else "invoice"
        flows.open_draft(self.app, kind, invoice)

    def action_hold(self) -> None:
        invoice = self.selected_invoice
        if invoice is None:
            return
        try:
            saved = self.app.store.set_hold(invoice.id, not invoice.on_hold)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if saved.on_hold:
            self.app.saved(_("Invoice {number} put on hold").format(number=saved.number))
        else:
            self.app.saved(_("Invoice {number} released from hold").format(number=saved.number))

    def action_open_client(self) -> None:
        invoice = self.selected_invoice
        if invoice is not None:
            self.app.open_client(invoice.client_id)
