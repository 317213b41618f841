"""Late-payment interest and fixed compensation (EU Directive 2011/7/EU; in
Spain, Ley 3/2004): docs/rules.md's rule as pure functions.

Off by default: it applies only when the settings give an annual percent or a
fixed compensation, and only to clients whose ``late_interest`` flag is set (a
business client: yes by default).

Interest runs on what was outstanding each day after the due date: the sum over
those days of ``outstanding that day * percent / 100 / 365``, exact in Decimal,
rounded half-up to the currency's minor unit once, at the end. With nothing
paid meanwhile that is ``outstanding * percent / 100 * days_overdue / 365``.

Decisions where docs/rules.md is silent:

* "Outstanding that day" is the total less the payments dated before that day:
  a payment counts from the day after it is made, so paying on the first day
  past due costs one day's interest.
* A year is 365 days in leap years too (the rule's divisor); a leap year only
  has one more day to count.
* The compensation is the settings' amount in the invoice's own currency (no
  exchange rates here), once per overdue invoice.
* Only an overdue invoice (sent, something outstanding, past due) carries
  interest and compensation; a paid one carries none.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .models import Client, Invoice, InvoiceStatus, Settings
from .values import minor_units, quantize

__all__ = ["LateCharges", "accrued_interest", "late_charges", "late_terms_on", "round_half_up"]

DAYS_A_YEAR = 365


@dataclass(frozen=True, slots=True)
class LateCharges:
    """What a late invoice carries on top of what is outstanding."""

    interest: Decimal
    compensation: Decimal
    percent: Decimal
    days: int
    currency: str

    @property
    def total(self) -> Decimal:
        return self.interest + self.compensation


def late_terms_on(settings: Settings, client: Client | None) -> bool:
    """Whether late-payment terms apply to this client's invoices."""
    if client is not None and not client.late_interest:
        return False
    percent, fixed = settings.late_interest_percent, settings.late_compensation
    return bool((percent is not None and percent > 0) or (fixed is not None and fixed > 0))


def accrued_interest(invoice: Invoice, percent: Decimal, today: dt.date) -> Fraction:
    """Interest on ``invoice`` from the day after its due date up to and
    including ``today``, exactly (a Fraction: nothing is rounded yet).

    What is owed is constant between payments, so each stretch between two
    payments adds ``owed * days``; the sum is multiplied by the percent and
    divided by 100 * 365 once.
    """
    if invoice.issued is None or today <= invoice.due_on or percent <= 0:
        return Fraction(0)
    total = invoice.total
    start = invoice.due_on + dt.timedelta(days=1)
    end = today + dt.timedelta(days=1)  # exclusive
    payments = [(p.date, p.amount) for p in invoice.payments if p.date is not None]
    # A payment reduces what is owed from the day after it is made.
    cuts = sorted({d + dt.timedelta(days=1) for d, _ in payments if start < d + dt.timedelta(days=1) < end})
    points = [start, *cuts, end]
    amount_days = Decimal(0)
    for first, after in zip(points, points[1:], strict=False):
        owed = total - sum((a for d, a in payments if d < first), Decimal(0))
        if owed > 0:
            amount_days += owed * (after - first).days
    return Fraction(amount_days) * Fraction(percent) / (100 * DAYS_A_YEAR)


def round_half_up(value: Fraction, currency: str) -> Decimal:
    """An exact amount rounded half-up to the currency's minor unit."""
    units = minor_units(currency)
    scaled = value * 10**units
    sign = -1 if scaled < 0 else 1
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(sign * whole).scaleb(-units)


def late_charges(invoice: Invoice, settings: Settings, client: Client | None, today: dt.date) -> LateCharges | None:
    """Interest and compensation on ``invoice`` as of ``today``; None when the
    late-payment terms are off for it. Zero while it is not overdue."""
    if not late_terms_on(settings, client):
        return None
    percent = settings.late_interest_percent or Decimal(0)
    fixed = settings.late_compensation or Decimal(0)
    currency = invoice.currency
    overdue = (
        invoice.status is InvoiceStatus.SENT
        and invoice.issued is not None
        and invoice.outstanding > 0
        and today > invoice.due_on
    )
    if not overdue:
        return LateCharges(Decimal(0), quantize(Decimal(0), currency), percent, 0, currency)
    interest = round_half_up(accrued_interest(invoice, percent, today), currency)
    return LateCharges(
        interest=interest,
        compensation=quantize(fixed, currency),
        percent=percent,
        days=(today - invoice.due_on).days,
        currency=currency,
    )
