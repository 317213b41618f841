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
    parse_positive_int,
)

from ..host import Host
from ..i18n import N_, _
from ..widgets.form import Field, FormModal
from ..widgets.words import INVOICE_STATUS, choices
from .parsers import date_text, parse_day

STATUSES = ["sent", "draft", "void", "written_off"]

LINES_HELP = N_("One line per item: description; quantity; unit price (or description; amount)")
"""storage.lines.ITEMS_HELP, marked for the catalog (the same words)."""
assert LINES_HELP == ITEMS_HELP


def _optional(parse):
    def run(text: str):
        return parse(text) if text.strip() else None

    return run


def _date(app: Host, name: str):
    return lambda text: parse_day(text, name)


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
    clients = _client_choices(app)
    if not clients:
        app.notify(_("Add a client first (rapport client add NAME)."), severity="warning")
        return
    client_id = client_id if client_id in snap.clients_by_id else clients[0][1]

    def follow(chosen_id: str) -> dict[str, str]:
        """The currency and terms the invoice takes when left empty: the chosen client's."""
        chosen = store.snapshot().clients_by_id.get(chosen_id)
        if chosen is None:
            return {}
        return {"currency": _("the client's ({value})").format(value=chosen.currency),
                "terms": _("the client's ({value})").format(value=chosen.terms_days)}

    def submit(values: dict[str, Any]) -> Invoice:
        chosen = store.snapshot().clients_by_id.get(values["client"])
        if chosen is None:
            raise ValidationError("client", _("choose a client"))
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

    hints = follow(client_id)
    form = FormModal(
        _("New invoice"),
        [
            Field("client", _("Client"), client_id, choices=clients, placeholders=follow),
            Field("items", _("Lines"), "", parse_items, multiline=True, placeholder=_(LINES_HELP),
                  aliases=("description", "quantity", "unit_price", "total")),
            Field("currency", _("Currency"), "", _optional(parse_currency), placeholder=hints["currency"]),
            Field("issued", _("Issued (YYYY-MM-DD)"), date_text(app.today), _date(app, "issued")),
            Field("terms", _("Terms (days)"), "", _optional(_terms), placeholder=hints["terms"],
                  aliases=("terms_days",)),
            Field("status", _("Status"), "sent", choices=choices(INVOICE_STATUS, STATUSES)),
            Field("number", _("Number"), "", _optional(str.strip),
                  placeholder=_("automatic ({number}); a draft has none").format(
                      number=store.next_invoice_number(app.today.year))),
        ],
        submit,
    )
    _set_items_help(form)
    app.push_screen(form, lambda saved: saved and app.saved(_("Invoice {number}").format(number=saved.label)))


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
        _("Edit invoice {number} ({client})").format(number=invoice.label, client=name),
        [
            Field("items", _("Lines"), items_text(invoice), parse_items, multiline=True,
                  aliases=("description", "quantity", "unit_price", "total")),
            Field("currency", _("Currency"), invoice.currency, parse_currency),
            Field("issued", _("Issued (YYYY-MM-DD)"), date_text(invoice.issued), _date(app, "issued")),
            Field("terms", _("Terms (days)"), str(invoice.terms_days), _terms, aliases=("terms_days",)),
            Field("status", _("Status"), str(invoice.status), choices=choices(INVOICE_STATUS, STATUSES)),
            Field("number", _("Number"), invoice.number, _optional(str.strip)),
        ],
        submit,
    )
    _set_items_help(form)
    app.push_screen(form, lambda saved: saved and app.saved(_("Invoice {number}").format(number=saved.label)))


def _set_items_help(form: FormModal) -> None:
    """Put the line format under the title (a TextArea has no placeholder here)."""
    form.form_title = f"{form.form_title}\n{_(LINES_HELP)}."
