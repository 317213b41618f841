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
from ..i18n import _
from ..widgets.form import Field, FormModal
from ..widgets.words import CHANNEL, CLIENT_STATUS, INVOICING, RATE_UNIT, choices
from .parsers import (
    amount_parser,
    client_name_parser,
    date_parser,
    date_text,
    days_parser,
    language_choices,
    tags_parser,
    timezone_parser,
)


def _client_taxes(text: str) -> list[TaxLine] | None:
    """Empty: the settings' taxes; ``none``: no taxes; else the client's own."""
    text = text.strip()
    if not text:
        return None
    if text.casefold() in ("none", "ninguno", "ninguna", "ningunos", _("none").casefold(), "-"):
        return []
    return parse_tax_lines(text)


def client_form(app: Host, client: Client | None, on_saved: Callable[[Client], None]) -> None:
    """``n`` (``client`` None) or ``e``: every field of a client, validated."""
    store = app.store
    snap = store.snapshot()
    new = client is None
    c = client or Client(since=app.today)

    fields = [
        Field("name", _("Name"), c.name, client_name_parser(snap.clients, c.id)),
        Field("company", _("Company"), c.company, lambda t: t.strip()),
        Field("email", _("Email"), c.email, parse_email),
        Field("phone", _("Phone"), c.phone, lambda t: t.strip()),
        Field("channel", _("Preferred channel"), str(c.channel), choices=choices(CHANNEL, Channel)),
        Field("status", _("Status"), str(c.status), choices=choices(CLIENT_STATUS, ClientStatus)),
        Field("since", _("Since (YYYY-MM-DD)"), date_text(c.since), date_parser(app, "since")),
        Field("cadence_days", _("Check-in every (days)"), str(c.cadence_days), days_parser("cadence_days"),
              aliases=("cadence",)),
        Field("terms_days", _("Payment terms (days)"), str(c.terms_days), days_parser("terms_days"),
              aliases=("terms",)),
        Field("invoicing", _("Invoicing"), str(c.invoicing), choices=choices(INVOICING, InvoicingRule)),
        Field("invoice_within_hours", _("Invoice within (h)"), str(c.invoice_within_hours),
              days_parser("invoice_within_hours", allow_zero=True, maximum=24 * 365)),
        Field("rate", _("Rate"), "" if c.rate is None else format(c.rate, "f"),
              amount_parser("rate", None, optional=True), placeholder=_("e.g. 65 or 65.50; empty for none")),
        Field("currency", _("Currency"), c.currency, parse_currency),
        Field("rate_unit", _("Rate per"), str(c.rate_unit), choices=choices(RATE_UNIT, RateUnit)),
        Field("tags", _("Tags (comma-separated)"), ", ".join(c.tags), tags_parser),
        Field("timezone", _("Time zone"), c.timezone, timezone_parser, placeholder=_("e.g. Europe/Madrid")),
        Field("snoozed_until", _("Snoozed until"), date_text(c.snoozed_until),
              date_parser(app, "snoozed_until", optional=True), placeholder=_("YYYY-MM-DD; empty for none")),
        Field("language", _("Their language"), str(c.language or ""),
              choices=[(_("As in the settings"), ""), *language_choices()]),
        Field("legal_name", _("Legal name"), c.legal_name, lambda t: t.strip(), placeholder=_("on invoices")),
        Field("address", _("Address"), c.address, lambda t: t.strip(), multiline=True, placeholder=_("on invoices")),
        Field("tax_id", _("Tax ID"), c.tax_id, lambda t: t.strip(), placeholder=_("on invoices")),
        Field("tax_lines", _("Their taxes"),
              "" if c.tax_lines is None else (tax_lines_text(c.tax_lines) or _("none")),
              _client_taxes, placeholder=_("empty: the settings'; none; or e.g. IVA 21, IRPF -15")),
        Field("tax_note", _("Tax note"), c.tax_note, lambda t: t.strip(), placeholder=_("e.g. Reverse charge")),
        Field("late_interest", _("Late-payment interest"), "yes" if c.late_interest else "no",
              choices=[(_("Yes (a business client)"), "yes"), (_("No"), "no")]),
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

    title = _("New client") if new else _("Edit {client}").format(client=one_line(c.name))
    form: FormModal[Client] = FormModal(title, fields, submit, save_label=_("Create") if new else _("Save"))

    def done(saved: Client | None) -> None:
        if saved is not None:
            on_saved(saved)

    app.push_screen(form, done)
