"""The price-raise form (``r`` on Clients and the Agenda): the new rate and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.models import Client
from storage.text import one_line

from ..host import Host
from ..widgets.form import Field, FormModal
from ..widgets.timeline import money
from .parsers import amount_parser, date_parser


def rate_form(app: Host, client: Client, after: Callable[[], None] | None = None) -> None:
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
