"""The invoice form, new (``n``) or edited (``e``), from the Invoices list and the Overdue board.

Line items are typed one a line as ``description; quantity; unit price``
(``Logo design; 1; 1200``), or ``description; amount`` for a single unit. The
number is assigned from the year's sequence unless one is typed; terms and
currency default to the client's.
"""

from __future__ import annotations

from typing import Any

from storage.lines import ITEMS_HELP, items_text, line_items, parse_items
from storage.models import Invoice, InvoiceStatus
from storage.store import EditConflict, NotFound
from storage.text import one_line
from storage.values import (
    ValidationError,
    parse_currency,
    parse_date,
    parse_positive_int,
)

from ..host import Host
from ..widgets.form import Field, FormModal

STATUS_CHOICES = [("Sent", "sent"), ("Draft", "draft"), ("Void", "void"), ("Written off", "written_off")]


def _optional(parse):
    def run(text: str):
        return parse(text) if text.strip() else None

    return run


def _date(app: Host, name: str):
    lang = str(app.store.settings().language)
    return lambda text: parse_date(text, name, lang=lang)


def _terms(text: str) -> int:
    return parse_positive_int(text, "terms", allow_zero=True, maximum=3650)


def _client_choices(app: Host) -> list[tuple[str, str]]:
    clients = sorted(app.store.snapshot().clients, key=lambda c: c.name.casefold())
    return [(one_line(c.name), c.id) for c in clients]


def new_invoice(app: Host, client_id: str | None = None) -> None:
    """The new-invoice form, for ``client_id`` by default. On save the invoice
    is numbered from its year's sequence (unless a number was typed)."""
    store = app.store
    snap = store.snapshot()
    choices = _client_choices(app)
    if not choices:
        app.notify("Add a client first (rapport client add NAME).", severity="warning")
        return
    client_id = client_id if client_id in snap.clients_by_id else choices[0][1]
    client = snap.clients_by_id[client_id]

    def submit(values: dict[str, Any]) -> Invoice:
        chosen = store.snapshot().clients_by_id.get(values["client"])
        if chosen is None:
            raise ValidationError("client", "choose a client")
        currency = values["currency"] or chosen.currency
        return store.add_invoice(
            chosen.id,
            line_items(values["items"], currency),
            issued=values["issued"],
            currency=currency,
            terms_days=values["terms"],
            number=values["number"],
            status=InvoiceStatus(values["status"]),
        )

    form = FormModal(
        "New invoice",
        [
            Field("client", "Client", client_id, choices=choices),
            Field("items", "Lines", "", parse_items, multiline=True, placeholder=ITEMS_HELP,
                  aliases=("description", "quantity", "unit_price", "total")),
            Field("currency", "Currency", "", _optional(parse_currency),
                  placeholder=f"the client's ({client.currency})"),
            Field("issued", "Issued (YYYY-MM-DD)", app.today.isoformat(), _date(app, "issued")),
            Field("terms", "Terms (days)", "", _optional(_terms),
                  placeholder=f"the client's ({client.terms_days})", aliases=("terms_days",)),
            Field("status", "Status", "sent", choices=STATUS_CHOICES),
            Field("number", "Number", "", _optional(str.strip),
                  placeholder=f"automatic ({store.next_invoice_number(app.today.year)}); a draft has none"),
        ],
        submit,
    )
    _set_items_help(form)
    app.push_screen(form, lambda saved: saved and app.saved(f"Invoice {saved.label} saved"))


def edit_invoice(app: Host, number: str) -> None:
    """The invoice form filled with ``number``'s current values."""
    store = app.store
    try:
        invoice = store.find_invoice(number)
    except NotFound as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    name = store.snapshot().client_name(invoice.client_id)

    read = [invoice]  # what the form read; a conflict shown moves it on (EditConflict.rebased)

    def submit(values: dict[str, Any]) -> Invoice:
        currency = values["currency"]
        changes: dict[str, Any] = {
            "items": line_items(values["items"], currency),
            "currency": currency,
            "issued": values["issued"],
            "terms_days": values["terms"],
            "status": InvoiceStatus(values["status"]),
        }
        if values["number"] and values["number"] != invoice.number:
            changes["number"] = values["number"]
        try:
            return store.update_invoice(invoice.id, base=read[0], **changes)
        except EditConflict as exc:
            read[0] = exc.rebased(read[0])  # both shown: saving again keeps the form's value
            raise

    form = FormModal(
        f"Edit invoice {invoice.label} ({name})",
        [
            Field("items", "Lines", items_text(invoice), parse_items, multiline=True,
                  aliases=("description", "quantity", "unit_price", "total")),
            Field("currency", "Currency", invoice.currency, parse_currency),
            Field("issued", "Issued (YYYY-MM-DD)", invoice.issued.isoformat() if invoice.issued else "",
                  _date(app, "issued")),
            Field("terms", "Terms (days)", str(invoice.terms_days), _terms, aliases=("terms_days",)),
            Field("status", "Status", str(invoice.status), choices=STATUS_CHOICES),
            Field("number", "Number", invoice.number, _optional(str.strip)),
        ],
        submit,
    )
    _set_items_help(form)
    app.push_screen(form, lambda saved: saved and app.saved(f"Invoice {saved.label} saved"))


def _set_items_help(form: FormModal) -> None:
    """Put the line format under the title (a TextArea has no placeholder here)."""
    form.form_title = f"{form.form_title}\n{ITEMS_HELP}."
