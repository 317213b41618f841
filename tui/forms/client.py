"""The client form: create (``n`` on Clients) or edit (``e``) every field of a client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.models import (
    Channel,
    Client,
    ClientStatus,
    InvoicingRule,
    RateUnit,
    TaxLine,
    parse_tax_lines,
    tax_lines_text,
)
from storage.store import EditConflict
from storage.text import one_line
from storage.values import parse_currency, parse_email, parse_money

from ..host import Host
from ..widgets.form import Field, FormModal
from .parsers import (
    amount_parser,
    client_name_parser,
    date_parser,
    days_parser,
    language_choices,
    tags_parser,
    timezone_parser,
)


def _choices(enum: Any, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    labels = labels or {}
    return [(labels.get(m.value, m.value.capitalize()), m.value) for m in enum]


INVOICING_LABELS = {"on_delivery": "On delivery", "monthly": "Monthly"}


def _client_taxes(text: str) -> list[TaxLine] | None:
    """Empty: the settings' taxes; ``none``: no taxes; else the client's own."""
    text = text.strip()
    if not text:
        return None
    if text.casefold() in ("none", "ninguno", "-"):
        return []
    return parse_tax_lines(text)


def client_form(app: Host, client: Client | None, on_saved: Callable[[Client], None]) -> None:
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
              choices=[("As in the settings", ""), *language_choices()]),
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
        values["language"] = values["language"] or None
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
