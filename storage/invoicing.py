"""Invoices as the screens and the CLI see them: state, filters, the overdue board.

Pure functions of (documents, today), like the scheduler they build on: no
Textual, no I/O. The Overdue board, the Invoices list and ``rapport invoice
list`` all call these, so a number shown on one is the number shown on the
others.

Money stays :class:`~decimal.Decimal` throughout and is summed per currency
only: two currencies are never added together, whatever the screen.

Decisions where docs/rules.md is silent:

* **State.** The stored status is ``draft``, ``sent``, ``void`` or
  ``written_off``; "paid" is derived (a ``sent`` invoice with nothing
  outstanding). :func:`invoice_state` also tells an ``overdue`` invoice from a
  ``sent`` one not yet due, since the list is where the freelancer looks for
  both. The ``sent`` filter means "sent and unpaid", overdue included.
* **Next reminder.** The scheduler's :func:`~storage.scheduler.chase` decides
  (the gap between rungs kept after a late reminder, never twice in a day).
  None when the invoice is on hold (nothing falls due while it is) or the
  ladder is done (the final notice's pay-by date, then escalation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Invoice, InvoiceStatus
from .scheduler import (
    BUCKETS,
    InvoiceRow,
    chase,
    final_notice_days_of,
    invoices_overdue,
    ladder_of,
    reminders_sent,
)
from .snapshot import Snapshot
from .values import quantize

__all__ = [
    "STATES",
    "Card",
    "Column",
    "invoice_state",
    "next_reminder",
    "overdue_board",
    "reminders_sent",
    "select_invoices",
    "totals_by_currency",
]

STATES = ("draft", "sent", "overdue", "paid", "void", "written_off")
"""What :func:`invoice_state` returns, and what the filters accept."""


# --------------------------------------------------------------------------- #
# Money
# --------------------------------------------------------------------------- #


def totals_by_currency(amounts: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Sum ``(currency, amount)`` pairs per currency, each total rounded to its
    currency's minor unit; sorted by currency code. Currencies are never mixed."""
    totals: dict[str, Decimal] = {}
    for currency, amount in amounts:
        if not isinstance(amount, Decimal):
            raise TypeError(f"money must be a Decimal, not {type(amount).__name__}")
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return {currency: quantize(totals[currency], currency) for currency in sorted(totals)}


# --------------------------------------------------------------------------- #
# State and filters
# --------------------------------------------------------------------------- #


def invoice_state(invoice: Invoice, today: dt.date) -> str:
    """One of :data:`STATES`: the stored status, with ``paid`` and ``overdue``
    derived for a ``sent`` invoice."""
    if invoice.status is not InvoiceStatus.SENT:
        return str(invoice.status)
    if invoice.outstanding <= 0:
        return "paid"
    if invoice.issued is not None and today > invoice.due_on:
        return "overdue"
    return "sent"


def _matches_state(state: str, wanted: str) -> bool:
    if wanted == "sent":  # sent and unpaid, overdue or not
        return state in ("sent", "overdue")
    return state == wanted


def select_invoices(
    snapshot: Snapshot,
    today: dt.date,
    *,
    state: str | None = None,
    client_id: str | None = None,
    year: int | None = None,
) -> list[Invoice]:
    """Invoices matching every filter given, newest first (issued, then number).

    ``state`` is one of :data:`STATES` (``sent`` includes ``overdue``);
    ``year`` is the year of the issue date.
    """
    if state is not None and state not in STATES:
        raise ValueError(f"{state!r} is not one of: {', '.join(STATES)}")
    out = []
    for invoice in snapshot.invoices:
        if client_id is not None and invoice.client_id != client_id:
            continue
        if year is not None and (invoice.issued is None or invoice.issued.year != year):
            continue
        if state is not None and not _matches_state(invoice_state(invoice, today), state):
            continue
        out.append(invoice)
    out.sort(key=lambda i: (i.issued or dt.date.min, i.number, i.id), reverse=True)
    return out


# --------------------------------------------------------------------------- #
# Reminders
# --------------------------------------------------------------------------- #


def next_reminder(
    invoice: Invoice, ladder: tuple[int, ...] | list[int], today: dt.date | None = None
) -> tuple[int, dt.date] | None:
    """(level, date) of the next reminder on the ladder (the scheduler's
    :func:`~storage.scheduler.chase`), or None when the invoice is on hold, not
    sent, paid, has no issue date, or has had every rung."""
    state = chase(invoice, ladder, today or dt.date.min)
    if state.state not in ("due", "waiting"):
        return None
    assert state.level is not None and state.due_on is not None
    return state.level, state.due_on


# --------------------------------------------------------------------------- #
# The overdue board
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class Card:
    """One overdue invoice on the board."""

    row: InvoiceRow
    sent: int
    """Reminders sent (the ladder's ``k``)."""
    next_level: int | None
    """The next reminder's level, None when on hold or the ladder is done."""
    next_date: dt.date | None
    """When the next reminder falls due (may be today or past: due now)."""
    escalate: bool
    """The final notice's pay-by date has passed: call, write off or claim."""
    pay_by: dt.date | None = None
    """Once the final notice has gone: the date it asked to be paid by."""

    @property
    def final_sent(self) -> bool:
        """The final notice has gone and its pay-by date has not passed."""
        return self.pay_by is not None and not self.escalate

    @property
    def late_payer(self) -> bool:
        return self.row.late_payer

    @property
    def number(self) -> str:
        return self.row.number

    @property
    def client(self) -> str:
        return self.row.client

    @property
    def client_id(self) -> str:
        return self.row.client_id

    @property
    def on_hold(self) -> bool:
        return self.row.on_hold

    def reminder_due(self, today: dt.date) -> bool:
        """True when the next reminder is due today or was due earlier."""
        return self.next_date is not None and self.next_date <= today


@dataclass(frozen=True, slots=True)
class Column:
    """One aging bucket: its cards (most overdue first) and totals per currency."""

    bucket: str
    cards: tuple[Card, ...] = ()
    totals: dict[str, Decimal] = field(default_factory=dict)


def overdue_board(snapshot: Snapshot, today: dt.date) -> list[Column]:
    """Every overdue invoice as a card, in one column per aging bucket.

    Always five columns, in :data:`~storage.scheduler.BUCKETS` order, empty
    ones included, so the board keeps its shape as invoices come and go.
    On-hold invoices are on the board (they are still owed).
    """
    ladder = ladder_of(snapshot)
    final_days = final_notice_days_of(snapshot)
    by_id = {invoice.id: invoice for invoice in snapshot.open_invoices}
    cards: dict[str, list[Card]] = {bucket: [] for bucket in BUCKETS}
    for row in invoices_overdue(snapshot, today):
        invoice = by_id[row.id]
        state = chase(invoice, ladder, today, final_days, outstanding=row.outstanding)
        waiting = state.state in ("due", "waiting")
        cards[row.bucket or BUCKETS[0]].append(
            Card(
                row=row,
                sent=state.sent,
                next_level=state.level if waiting else None,
                next_date=state.due_on if waiting else None,
                escalate=state.state == "escalate",
                pay_by=state.pay_by,
            )
        )
    return [
        Column(
            bucket=bucket,
            cards=tuple(cards[bucket]),
            totals=totals_by_currency((c.row.currency, c.row.outstanding) for c in cards[bucket]),
        )
        for bucket in BUCKETS
    ]
