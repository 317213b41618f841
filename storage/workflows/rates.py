"""Price raises: proposed (above the current rate), then accepted or declined."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..core import StoreCore
from ..errors import NotFound, ValidationError
from ..models import Client, Rate, RateStatus
from ..values import money_str, parse_money


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
                    f"{client.name} already has a proposal waiting ({pending.amount} {pending.currency}, {pending.id})",
                )
            value = parse_money(amount, client.currency, "amount")
            if value <= 0:
                raise ValidationError("amount", "must be greater than 0")
            if client.rate is not None and value <= client.rate:
                # A raise is a raise: the guide's rule 4, for the form and the CLI alike.
                raise ValidationError(
                    "amount",
                    f"a raise must be above the current {money_str(client.rate, client.currency)} {client.currency}",
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
            raise ValidationError("answer", "must be accepted or declined")
        with self.transaction():
            client = self.get(Client, client_id)
            pending = self.pending_rate(client_id)
            if pending is None:
                raise NotFound(f"{client.name} has no price raise waiting for an answer")
            if status is RateStatus.ACCEPTED:
                self._save(client.replace(rate=pending.amount, currency=pending.currency, rate_unit=pending.unit))
                return self._save(pending.replace(status=status, answered=on, since=on))
            return self._save(pending.replace(status=status, answered=on))

