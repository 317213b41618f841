"""The one-line invoice from a client (``i`` on Clients): description and amount,
issued today on the client's terms, for a delivered job when there is one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from storage.models import Client, InvoiceStatus, JobStatus, LineItem
from storage.text import one_line

from ..host import Host
from ..i18n import _
from ..widgets.form import Field, FormModal
from ..widgets.words import INVOICE_STATUS, choices
from .parsers import amount_parser, date_parser, date_text, days_parser, required


def invoice_form(app: Host, client: Client) -> None:
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
        _("New invoice for {client}").format(client=one_line(client.name)),
        [
            Field("description", _("Description"), first.title if first else _("Work this month"),
                  required("description", max_len=10_000)),
            Field("amount", _("Amount ({currency})").format(currency=currency),
                  format(first.price, "f") if first and first.price is not None else "",
                  amount_parser("amount", currency, positive=True), aliases=("unit_price", "total")),
            Field("issued", _("Issued"), date_text(app.today), date_parser(app, "issued")),
            Field("terms", _("Terms (days)"), str(client.terms_days), days_parser("terms"), aliases=("terms_days",)),
            Field("job", _("For job"), first.id if first else "",
                  choices=[(_("None"), "")] + [(one_line(j.title)[:60], j.id) for j in waiting], aliases=("jobs",)),
            Field("status", _("Status"), "sent", choices=choices(INVOICE_STATUS, ["sent", "draft"])),
        ],
        submit,
        save_label=_("Add invoice"),
    )
    app.push_screen(form, lambda invoice: invoice and app.saved(
        _("Invoice {number} added").format(number=invoice.number)))
