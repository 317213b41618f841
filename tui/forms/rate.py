"""The price-raise form (``r`` on Clients and the Agenda): the new rate and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.formats import money
from storage.models import Client
from storage.text import one_line

from ..host import Host
from ..i18n import _, active
from ..widgets.form import Field, FormModal
from ..widgets.words import RATE_UNIT, word
from .parsers import amount_parser, date_parser, date_text


def rate_form(app: Host, client: Client, after: Callable[[], None] | None = None) -> None:
    """Propose a price raise: the new amount and why. The draft email follows."""
    store = app.store
    currency = client.currency
    unit = word(RATE_UNIT, client.rate_unit)
    current = (_("now {rate}/{unit}").format(rate=money(client.rate, currency, active()), unit=unit)
               if client.rate is not None else _("no rate yet"))

    def submit(values: dict[str, Any]):
        # The store refuses a "raise" that is not above the current rate.
        return store.propose_rate(client.id, values["amount"], values["on"], values["reason"])

    form = FormModal(
        _("Propose a price raise to {client} ({current})").format(client=one_line(client.name), current=current),
        [
            Field("amount", _("New rate ({currency}/{unit})").format(currency=currency, unit=unit), "",
                  amount_parser("amount", currency, positive=True), aliases=("rate",)),
            Field("reason", _("Why"), "", lambda t: t.strip(), placeholder=_("inflation, a full calendar...")),
            Field("on", _("Proposed on"), date_text(app.today), date_parser(app, "on"), aliases=("since", "sent")),
        ],
        submit,
        save_label=_("Propose"),
    )

    def done(rate: Any) -> None:
        if rate:
            app.saved(_("Price raise proposed to {client}").format(client=one_line(client.name)))
            if after is not None:
                after()

    app.push_screen(form, done)
