"""Price raises: proposed (above the current rate), then accepted or declined."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..core import StoreCore
from ..errors import NotFound, ValidationError
from ..i18n import _, active
from ..models import Client, Rate, RateStatus
from ..values import format_money, parse_money


class RateWorkflows(StoreCore):
    """A client's rate and the raises proposed to it."""

    # -- rates -------------------------------------------------------------- #

    def pending_rate(self, client_id: str) -> Rate | None:
        for rate in self.all(Rate):
            if rate.client_id == client_id and rate.status is RateStatus.PROPOSED:
                return rate
        return None

    def propose_rate(self, client_id: str, amount: Decimal | str, on: dt.date, reason: str = "") -> Rate:
        """A price-raise proposal: a rate with status ``proposed`` until answered."""
        with self.transaction():
            client = self.get(Client, client_id)
            pending = self.pending_rate(client_id)
            if pending is not None:
                raise ValidationError(
                    "rate",
                    _("{client} already has a proposal waiting ({amount}, {id})").format(
                        client=client.name, amount=format_money(pending.amount, pending.currency, active()),
                        id=pending.id),
                )
            value = parse_money(amount, client.currency, "amount")
            if value <= 0:
                raise ValidationError("amount", _("must be greater than 0"))
            if client.rate is not None and value <= client.rate:
                # A raise is a raise: the guide's rule 4, for the form and the CLI alike.
                raise ValidationError(
                    "amount",
                    _("a raise must be above the current {rate}").format(
                        rate=format_money(client.rate, client.currency, active())),
                )
            return self._insert(
                Rate(
                    client_id=client_id,
                    amount=value,
                    currency=client.currency,
                    unit=client.rate_unit,
                    since=on,
                    reason=reason,
                    status=RateStatus.PROPOSED,
                    sent=on,
                )
            )

    def answer_rate(self, client_id: str, answer: str, on: dt.date) -> Rate:
        status = RateStatus(answer)
        if status is RateStatus.PROPOSED:
            raise ValidationError("answer", _("must be accepted or declined"))
        with self.transaction():
            client = self.get(Client, client_id)
            pending = self.pending_rate(client_id)
            if pending is None:
                raise NotFound(_("{client} has no price raise waiting for an answer").format(client=client.name))
            if status is RateStatus.ACCEPTED:
                self._save(client.replace(rate=pending.amount, currency=pending.currency, rate_unit=pending.unit))
                return self._save(pending.replace(status=status, answered=on, since=on))
            return self._save(pending.replace(status=status, answered=on))

