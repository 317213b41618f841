"""The Clients screen's forms and small modals.

Client create/edit, new job, new invoice, price raise, the notes editor, the
delete confirmation, the choice of message to draft and of the job a change of
brief is about (the change itself is the shared ``flows.change_of_brief``). Every
form is a :class:`~tui.widgets.form.FormModal`: each field is parsed strictly
before anything is saved (a bad value gets its message beside the field), and
the store validates again under its lock. Screens never write files: ``submit``
calls the store, which commits before the modal closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from storage.jsonfile import StorageError
from storage.models import (
    Channel,
    Client,
    ClientStatus,
    InvoiceStatus,
    InvoicingRule,
    Job,
    JobStatus,
    Language,
    LineItem,
    RateUnit,
    TaxLine,
    check_timezone,
    parse_tax_lines,
    tax_lines_text,
)
from storage.store import EditConflict, NotFound
from storage.text import one_line, visible
from storage.values import (
    ValidationError,
    parse_currency,
    parse_date,
    parse_decimal,
    parse_email,
    parse_money,
    parse_positive_int,
)

from ..widgets.form import Field, FormModal
from ..widgets.timeline import money

if TYPE_CHECKING:
    from ..app import RapportApp

MAX_DAYS = 3650
"""Cadence and terms are at most ten years (an invoice refuses longer terms)."""


# --------------------------------------------------------------------------- #
# Parsers: text typed in a field -> value, or ValidationError naming the field
# --------------------------------------------------------------------------- #


def _lang(app: RapportApp) -> str:
    return str(app.store.settings().language)


def date_parser(app: RapportApp, name: str, *, optional: bool = False) -> Callable[[str], dt.date | None]:
    lang = _lang(app)

    def parse(text: str) -> dt.date | None:
        if optional and not text.strip():
            return None
        if not text.strip():
            raise ValidationError(name, "is required")
        return parse_date(text, name, lang=lang)

    return parse


def days_parser(name: str, *, allow_zero: bool = False, maximum: int = MAX_DAYS) -> Callable[[str], int]:
    return lambda text: parse_positive_int(text, name, allow_zero=allow_zero, maximum=maximum)


def amount_parser(name: str, currency: str | None, *, optional: bool = False, positive: bool = False):
    """A decimal amount (``1200`` or ``1200.50``); with ``currency``, at most its decimals."""

    def parse(text: str) -> Decimal | None:
        if not text.strip():
            if optional:
                return None
            raise ValidationError(name, "is required")
        value = parse_money(text, currency, name) if currency else parse_decimal(text, name)
        if positive and value <= 0:
            raise ValidationError(name, "must be greater than 0")
        return value

    return parse


def required(name: str, *, max_len: int = 200) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip():
            raise ValidationError(name, "is required")
        if len(text) > max_len:
            raise ValidationError(name, f"is longer than {max_len} characters")
        return text.strip()

    return parse


def client_name_parser(clients: list[Client], own_id: str = "") -> Callable[[str], str]:
    """Required, and unique among the other clients ignoring case."""
    base = required("name")

    def parse(text: str) -> str:
        name = base(text)
        folded = name.casefold()
        for other in clients:
            if other.id != own_id and other.name.strip().casefold() == folded:
                raise ValidationError("name", f"a client named {one_line(other.name)!r} already exists")
        return name

    return parse


def tags_parser(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def timezone_parser(text: str) -> str:
    text = text.strip()
    return check_timezone(text, "timezone") if text else ""


def _choices(enum: Any, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    labels = labels or {}
    return [(labels.get(m.value, m.value.capitalize()), m.value) for m in enum]


INVOICING_LABELS = {"on_delivery": "On delivery", "monthly": "Monthly"}


# --------------------------------------------------------------------------- #
# Client create / edit
# --------------------------------------------------------------------------- #


def _client_taxes(text: str) -> list[TaxLine] | None:
    """Empty: the settings' taxes; ``none``: no taxes; else the client's own."""
    text = text.strip()
    if not text:
        return None
    if text.casefold() in ("none", "ninguno", "-"):
        return []
    return parse_tax_lines(text)


def client_form(app: RapportApp, client: Client | None, on_saved: Callable[[Client], None]) -> None:
    """``n`` (``client`` None) or ``e``: every field of a client, validated."""
    store = app.store
    snap = store.snapshot()
    new = client is None
    c = client or Client(since=app.today)

    fields = [
        Field("name", "Name", c.name, client_name_parser(snap.clients, c.id)),
        Field("company", "Company", c.company, lambda t: t.strip()),
        Field("email", "Email", c.email, parse_email),
        Field("phone", "Phone", c.phone, lambda t: t.strip()),
        Field("channel", "Preferred channel", str(c.channel), choices=_choices(Channel)),
        Field("status", "Status", str(c.status), choices=_choices(ClientStatus)),
        Field("since", "Since (YYYY-MM-DD)", c.since.isoformat() if c.since else "", date_parser(app, "since")),
        Field("cadence_days", "Check-in every (days)", str(c.cadence_days), days_parser("cadence_days"),
              aliases=("cadence",)),
        Field("terms_days", "Payment terms (days)", str(c.terms_days), days_parser("terms_days"),
              aliases=("terms",)),
        Field("invoicing", "Invoicing", str(c.invoicing), choices=_choices(InvoicingRule, INVOICING_LABELS)),
        Field("invoice_within_hours", "Invoice within (h)", str(c.invoice_within_hours),
              days_parser("invoice_within_hours", allow_zero=True, maximum=24 * 365)),
        Field("rate", "Rate", "" if c.rate is None else format(c.rate, "f"),
              amount_parser("rate", None, optional=True), placeholder="e.g. 65 or 65.50; empty for none"),
        Field("currency", "Currency", c.currency, parse_currency),
        Field("rate_unit", "Rate per", str(c.rate_unit), choices=_choices(RateUnit)),
        Field("tags", "Tags (comma-separated)", ", ".join(c.tags), tags_parser),
        Field("timezone", "Time zone", c.timezone, timezone_parser, placeholder="e.g. Europe/Madrid"),
        Field("snoozed_until", "Snoozed until", c.snoozed_until.isoformat() if c.snoozed_until else "",
              date_parser(app, "snoozed_until", optional=True), placeholder="YYYY-MM-DD; empty for none"),
        Field("language", "Their language", str(c.language or ""),
              choices=[("As in the settings", ""), ("English", Language.EN.value), ("Español", Language.ES.value)]),
        Field("legal_name", "Legal name", c.legal_name, lambda t: t.strip(), placeholder="on invoices"),
        Field("address", "Address", c.address, lambda t: t.strip(), multiline=True, placeholder="on invoices"),
        Field("tax_id", "Tax ID", c.tax_id, lambda t: t.strip(), placeholder="on invoices"),
        Field("tax_lines", "Their taxes", "" if c.tax_lines is None else (tax_lines_text(c.tax_lines) or "none"),
              _client_taxes, placeholder="empty: the settings'; none; or e.g. IVA 21, IRPF -15"),
        Field("tax_note", "Tax note", c.tax_note, lambda t: t.strip(), placeholder="e.g. Reverse charge"),
        Field("late_interest", "Late-payment interest", "yes" if c.late_interest else "no",
              choices=[("Yes (a business client)", "yes"), ("No", "no")]),
    ]

    read = [client]  # what the form read; a conflict shown moves it on (EditConflict.rebased)

    def submit(values: dict[str, Any]) -> Client:
        values["late_interest"] = values["late_interest"] == "yes"
        values["channel"] = Channel(values["channel"])
        values["status"] = ClientStatus(values["status"])
        values["invoicing"] = InvoicingRule(values["invoicing"])
        values["rate_unit"] = RateUnit(values["rate_unit"])
        values["language"] = Language(values["language"]) if values["language"] else None
        if values["rate"] is not None:
            values["rate"] = parse_money(values["rate"], values["currency"], "rate")
        if new:
            return store.add_client(Client(**values))
        assert client is not None
        # Only what was changed in this form is written; a field another
        # session changed meanwhile is refused, and the form stays open.
        try:
            return store.update_client(client.id, base=read[0], **values)
        except EditConflict as exc:
            read[0] = exc.rebased(read[0])
            raise

    title = "New client" if new else f"Edit {one_line(c.name)}"
    form: FormModal[Client] = FormModal(title, fields, submit, save_label="Create" if new else "Save")

    def done(saved: Client | None) -> None:
        if saved is not None:
            on_saved(saved)

    app.push_screen(form, done)


# --------------------------------------------------------------------------- #
# Actions from a client: job, change of brief, invoice, price raise
# --------------------------------------------------------------------------- #


def job_form(app: RapportApp, client: Client) -> None:
    """A new job: title, brief (Markdown), agreed price and deadline."""
    store = app.store
    currency = client.currency

    def submit(values: dict[str, Any]) -> Job:
        return store.add_job(Job(client_id=client.id, title=values["title"], brief=values["brief"],
                                 price=values["price"], currency=currency, deadline=values["deadline"],
                                 status=JobStatus(values["status"])))

    form: FormModal[Job] = FormModal(
        f"New job for {one_line(client.name)}",
        [
            Field("title", "Title", "", required("title")),
            Field("price", f"Agreed price ({currency})", "", amount_parser("price", currency, optional=True)),
            Field("deadline", "Deadline", "", date_parser(app, "deadline", optional=True), placeholder="YYYY-MM-DD"),
            Field("status", "Status", "active", choices=[("Active", "active"), ("Proposed", "proposed")]),
            Field("brief", "Brief (Markdown)", "", str, multiline=True),
        ],
        submit,
        save_label="Add job",
    )
    app.push_screen(form, lambda job: job and app.saved(f"Job added: {one_line(job.title)}"))


def _id_number(doc_id: str) -> int:
    number = doc_id.rpartition("-")[2]
    return int(number) if number.isdigit() else 0


def change_of_brief(app: RapportApp, client: Client) -> None:
    """A change of brief on one of the client's open jobs (asked which, when
    there are several): the shared flow of ``flows.change_of_brief``, which
    records it and drafts the renegotiation reply."""
    from .. import flows

    snap = app.store.snapshot()
    jobs = [j for j in snap.jobs if j.client_id == client.id and j.status in (JobStatus.PROPOSED, JobStatus.ACTIVE)]
    if not jobs:
        app.notify("No job in progress to change: J starts one.", severity="warning")
        return
    if len(jobs) == 1:
        flows.change_of_brief(app, jobs[0].id)
        return
    jobs.sort(key=lambda j: _id_number(j.id), reverse=True)  # ids are handed out in order: newest first
    choices = [(j.id, Text(f"{one_line(j.title)[:50]} ({j.status})")) for j in jobs]
    app.push_screen(PickModal(f"Which job changed, for {one_line(client.name)}?", choices),
                    lambda job_id: job_id and flows.change_of_brief(app, job_id))


def invoice_form(app: RapportApp, client: Client) -> None:
    """A new invoice with one line: description and amount, issued today, the client's terms.

    A delivered job not yet invoiced can be put on it (its invoicing promise is
    then kept); the oldest one is offered first.
    """
    store = app.store
    snap = store.snapshot()
    invoiced = {job_id for inv in snap.invoices if inv.status is not InvoiceStatus.VOID for job_id in inv.job_ids}
    waiting = sorted(
        (j for j in snap.jobs if j.client_id == client.id and j.status is JobStatus.DELIVERED and j.id not in invoiced),
        key=lambda j: (j.delivered or dt.date.min, j.id),
    )
    first = waiting[0] if waiting else None
    currency = client.currency

    def submit(values: dict[str, Any]):
        job_ids = [values["job"]] if values["job"] else []
        return store.add_invoice(
            client.id,
            [LineItem(description=values["description"], quantity=Decimal(1), unit_price=values["amount"])],
            issued=values["issued"],
            terms_days=values["terms"],
            status=InvoiceStatus(values["status"]),
            job_ids=job_ids,
        )

    form = FormModal(
        f"New invoice for {one_line(client.name)}",
        [
            Field("description", "Description", first.title if first else "Work this month",
                  required("description", max_len=10_000)),
            Field("amount", f"Amount ({currency})",
                  format(first.price, "f") if first and first.price is not None else "",
                  amount_parser("amount", currency, positive=True), aliases=("unit_price", "total")),
            Field("issued", "Issued", app.today.isoformat(), date_parser(app, "issued")),
            Field("terms", "Terms (days)", str(client.terms_days), days_parser("terms"), aliases=("terms_days",)),
            Field("job", "For job", first.id if first else "",
                  choices=[("None", "")] + [(one_line(j.title)[:60], j.id) for j in waiting], aliases=("jobs",)),
            Field("status", "Status", "sent", choices=[("Sent", "sent"), ("Draft", "draft")]),
        ],
        submit,
        save_label="Add invoice",
    )
    app.push_screen(form, lambda invoice: invoice and app.saved(f"Invoice {invoice.number} added"))


def rate_form(app: RapportApp, client: Client, after: Callable[[], None] | None = None) -> None:
    """Propose a price raise: the new amount and why. The draft email follows."""
    store = app.store
    currency = client.currency
    current = f"now {money(client.rate, currency)}/{client.rate_unit}" if client.rate is not None else "no rate yet"

    def submit(values: dict[str, Any]):
        # The store refuses a "raise" that is not above the current rate.
        return store.propose_rate(client.id, values["amount"], values["on"], values["reason"])

    form = FormModal(
        f"Propose a price raise to {one_line(client.name)} ({current})",
        [
            Field("amount", f"New rate ({currency}/{client.rate_unit})", "",
                  amount_parser("amount", currency, positive=True), aliases=("rate",)),
            Field("reason", "Why", "", lambda t: t.strip(), placeholder="inflation, a full calendar..."),
            Field("on", "Proposed on", app.today.isoformat(), date_parser(app, "on"), aliases=("since", "sent")),
        ],
        submit,
        save_label="Propose",
    )

    def done(rate: Any) -> None:
        if rate:
            app.saved(f"Price raise proposed to {one_line(client.name)}")
            if after is not None:
                after()

    app.push_screen(form, done)


# --------------------------------------------------------------------------- #
# Notes, confirmation, draft choice
# --------------------------------------------------------------------------- #


class NotesModal(ModalScreen[bool]):
    """The client's notes (Markdown) in a multi-line editor. ``ctrl+s`` saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="notes-save"),
        Binding("escape", "cancel", "Cancel", id="notes-cancel"),
    ]

    DEFAULT_CSS = """
    NotesModal { align: center middle; }
    NotesModal > Vertical { width: 100; max-width: 100%; height: 100%; max-height: 40;
        border: round $primary; background: $surface; padding: 0 1; }
    NotesModal .notes-title { text-style: bold; height: auto; }
    NotesModal TextArea { height: 1fr; }
    NotesModal #notes-error { color: $error; height: auto; }
    NotesModal #notes-error.-empty { display: none; }
    NotesModal .notes-help { color: $text-muted; height: 1; }
    """

    def __init__(self, app_: RapportApp, client: Client, *, text: str | None = None, error: str = "") -> None:
        """``text``: what to start with instead of the stored notes (an edit
        made in $EDITOR that could not be saved), with ``error`` saying why."""
        super().__init__()
        self._store = app_.store
        self.client = client
        self._shown = visible(client.notes, keep_newlines=True, keep_tabs=True)
        self._start = self._shown if text is None else visible(text, keep_newlines=True, keep_tabs=True)
        self._error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Notes on {one_line(self.client.name)}"), classes="notes-title")
            # Stored controls as visible symbols: nothing stored reaches the terminal raw.
            yield TextArea(self._start, id="notes-text", soft_wrap=True, language=None, show_line_numbers=False)
            yield Static(Text(self._error), id="notes-error", classes="" if self._error else "-empty", markup=False)
            yield Static(Text("ctrl+s saves · escape cancels · Markdown"), classes="notes-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)  # notes are mostly added to
        area.focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if text == self._shown:
            text = self.client.notes  # left as shown: the notes as stored, exactly
        error = self.query_one("#notes-error", Static)
        try:
            self._store.update_client(self.client.id, base=self.client, notes=text)
        except EditConflict as exc:
            self.client = exc.rebased(self.client)  # both shown: saving again keeps this text
            error.update(Text(str(exc)))
            error.remove_class("-empty")
            return
        except (ValidationError, NotFound, StorageError) as exc:
            error.update(Text(str(exc)))
            error.remove_class("-empty")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question. ``y`` confirms; ``n`` or ``escape`` cancels (the default)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 64; max-width: 100%; height: auto; border: thick $error;
        background: $surface; padding: 0 1; }
    ConfirmModal #confirm-question { height: auto; margin-bottom: 1; }
    ConfirmModal Horizontal { height: auto; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    def __init__(self, question: Text | str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question")
            with Horizontal():
                yield Button(self.no_label, id="confirm-no", compact=True)
                yield Button(self.yes_label, id="confirm-yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)


class PickModal(ModalScreen[str | None]):
    """Pick one of a few things (enter), or escape for none."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick-cancel")]

    DEFAULT_CSS = """
    PickModal { align: center middle; }
    PickModal > Vertical { width: 64; max-width: 100%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; }
    PickModal OptionList { height: auto; max-height: 20; border: none; }
    PickModal .pick-title { text-style: bold; padding: 0 1; }
    """

    def __init__(self, title: str, choices: list[tuple[str, Text]]) -> None:
        super().__init__()
        self.pick_title = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.pick_title), classes="pick-title")
            yield OptionList(*[Option(label, id=value) for value, label in self.choices])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


DRAFT_CHOICES = [
    ("checkin", "c", "Check-in"),
    ("update", "u", "Progress update"),
    ("change", "b", "Change of brief proposal"),
    ("raise", "r", "Price raise"),
    ("statement", "s", "Statement of what is owed"),
    ("farewell", "f", "Farewell"),
]


class DraftChoiceModal(ModalScreen[str | None]):
    """Which message to draft for a client: enter picks, or the letter shown."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="draft-choice-cancel")] + [
        Binding(letter, f"pick('{kind}')", label, show=False) for kind, letter, label in DRAFT_CHOICES
    ]

    DEFAULT_CSS = """
    DraftChoiceModal { align: center middle; }
    DraftChoiceModal > Vertical { width: 44; height: auto; border: round $primary; background: $surface; }
    DraftChoiceModal OptionList { height: auto; border: none; }
    DraftChoiceModal .draft-choice-title { text-style: bold; padding: 0 1; }
    """

    def __init__(self, client_name: str) -> None:
        super().__init__()
        self.client_name = client_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Draft for {one_line(self.client_name)}"), classes="draft-choice-title")
            yield OptionList(*[Option(Text(f"{letter}  {label}"), id=kind) for kind, letter, label in DRAFT_CHOICES])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, kind: str) -> None:
        self.dismiss(kind)

    def action_cancel(self) -> None:
        self.dismiss(None)
