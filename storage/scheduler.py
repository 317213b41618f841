"""What is due: docs/rules.md's "Scheduler rules (exact)" as pure functions.

Every function here takes a :class:`~storage.store.Snapshot` (every document, as
typed models) and ``today`` (a :class:`datetime.date`, the calendar date in the
user's time zone, chosen by the caller) and returns rows. Nothing is stored and
nothing is remembered between calls: everything that is due is derived from the
documents. That is what makes the product's promises hold: a day the server was
off is caught up on the next run (a reminder due three days ago is still due
today), and once a reminder is recorded on the invoice the same level is never
due again.

No Textual, no I/O and no wall clock here: ``rapport today`` imports this
module, and it must start fast.

Each list is built in one pass over its table (lookups go through dicts and
sets built once), so the daily review of a decade of records is linear in the
number of documents. Where the Snapshot offers a view of only the open
documents (``open_invoices``, ``open_jobs``, ``open_promises``,
``pending_changes``, ``invoiced_job_ids``), it is used: settled invoices and
closed jobs are never converted to models.

Decisions where docs/rules.md is silent (each also noted where it is made):

* A contact dated in the future still counts as the last contact: the client is
  not due until that date plus the cadence.
* A client never contacted and with no ``since`` date is due today.
* Reminders: ``k`` (reminders sent) is the number recorded, or the highest level
  recorded if that is larger (sending the final notice by hand does not bring
  reminder 2 back). Once ``k`` reaches the end of the ladder the invoice appears
  in ``reminders_due`` with ``escalate`` true and ``level`` null, from the final
  rung's day on. ``on_hold`` blocks escalation as well as reminders.
* To invoice lists every delivered job not on a (non-void) invoice, including
  those whose invoicing day is still ahead: ``days_overdue`` is negative for
  them and ``due`` false. A job on a void invoice still needs invoicing.
* Rate review skips a client that already has a price raise waiting for an
  answer (it is in ``awaiting_reply`` instead).
* Promises leave out the invoicing promise made on delivery while its job is
  listed under To invoice: the job is listed once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from .formats import month_year, short_date
from .i18n import N_, _, active
from .interest import late_charges
from .models import (
    DEFAULT_FINAL_NOTICE_DAYS,
    DEFAULT_LADDER,
    ChangeStatus,
    Client,
    ClientStatus,
    Invoice,
    InvoiceStatus,
    InvoicingRule,
    Job,
    JobStatus,
    PromiseStatus,
    RateStatus,
)
from .snapshot import Snapshot
from .values import money_str

__all__ = [
    "AWAITING_DAYS",
    "BUCKETS",
    "DEADLINE_DAYS",
    "DUE_SOON_DAYS",
    "PROMISE_UPCOMING_DAYS",
    "RATE_REVIEW_MONTHS",
    "AwaitingRow",
    "CheckinRow",
    "DeadlineRow",
    "InvoiceRow",
    "PromiseRow",
    "RateReviewRow",
    "Review",
    "ToInvoiceRow",
    "aging_bucket",
    "awaiting_reply",
    "checkin_due_on",
    "checkins_due",
    "deadline_severity",
    "deadlines",
    "invoice_due_on",
    "invoices_due_soon",
    "invoices_overdue",
    "job_deadline_severity",
    "ladder_of",
    "months_between",
    "next_checkin",
    "outstanding_by_client",
    "outstanding_by_currency",
    "promises",
    "rate_reviews",
    "reminders_due",
    "review",
    "severity",
    "to_invoice",
    "reminders_sent",
    "to_invoice_due_on",
]

DUE_SOON_DAYS = 3
"""An unpaid invoice is "due soon" when its due date is at most this many days away."""
PROMISE_UPCOMING_DAYS = 3
"""An open promise is "upcoming" when it falls due within this many days."""
DEADLINE_DAYS = 7
"""A job's deadline is shown when it is at most this many days away, or past."""
AWAITING_DAYS = 5
"""A proposal unanswered for this many days wants a follow-up."""
RATE_REVIEW_MONTHS = 12
"""A rate this many whole months old is worth reviewing."""

_NOT_DELIVERED = (JobStatus.PROPOSED, JobStatus.ACTIVE)
"""Jobs whose deadline still matters: not yet delivered."""

BUCKETS = ("1-7", "8-14", "15-30", "31-60", "61+")
"""The overdue board's columns, by days past due."""


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _shown_date(day: dt.date | None) -> str:
    """A date in a sentence for people, in the active language."""
    return "?" if day is None else short_date(day, active())


def severity(days_overdue: int, period: int) -> str:
    """The colour of something late: ``""`` before it is due, ``"amber"`` from
    its due day, ``"red"`` once it is a whole extra ``period`` late.

    For a check-in the period is the client's cadence (docs/rules.md); the same
    idea is used for invoices with their payment terms.
    """
    if days_overdue < 0:
        return ""
    return "red" if days_overdue >= max(period, 1) else "amber"


# --------------------------------------------------------------------------- #
# What a row says, as data: every renderer (the Agenda, `rapport today`) words
# and formats it its own way, in its language; nothing parses English back.
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class Money:
    """An amount and its currency (formatted by :func:`storage.values.format_money`)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class When:
    """How late or how soon a row is. ``kind``: ``due``, ``n`` days past the day it
    is due (0: today; negative: still ahead); ``waiting``, sent ``n`` days ago;
    ``months``, unchanged for ``n`` months."""

    kind: str
    n: int


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words about a row: ``text`` is the English template, also the translation
    key; ``values`` fill its ``{placeholders}``. A value is user text (``str``,
    shown as typed, made visible), an ``int``, a date, :class:`Money`, or a
    nested :class:`Phrase` (a word to translate in turn)."""

    text: str
    values: tuple[tuple[str, object], ...] = ()


def phrase(template: str, /, **values: object) -> Phrase:
    return Phrase(template, tuple(values.items()))


What = tuple[Phrase, ...]
"""What a row is about: phrases shown one after the other."""


def deadline_severity(days_left: int) -> str:
    """The colour of a deadline ``days_left`` days away: ``red`` once it has
    passed, ``amber`` within :data:`DEADLINE_DAYS` (when the Agenda lists it),
    ``""`` further off."""
    if days_left < 0:
        return "red"
    return "amber" if days_left <= DEADLINE_DAYS else ""


def job_deadline_severity(job: Job, today: dt.date) -> str:
    """The colour of ``job``'s deadline on ``today`` (:func:`deadline_severity`):
    ``""`` for a job without one or already delivered (the deadline was met or
    is past caring), as in :func:`deadlines`."""
    if job.status not in _NOT_DELIVERED or job.deadline is None:
        return ""
    return deadline_severity((job.deadline - today).days)


def _by_the_day(days_overdue: int) -> str:
    """For something due on one day: ``amber`` that day, ``red`` from the next."""
    if days_overdue < 0:
        return ""
    return "red" if days_overdue >= 1 else "amber"


# --------------------------------------------------------------------------- #
# Rows
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class CheckinRow:
    """An active client due a check-in."""

    client: str
    client_id: str
    last_contact: dt.date | None
    due_on: dt.date
    days_overdue: int
    cadence_days: int

    @property
    def severity(self) -> str:
        """``amber`` when due, ``red`` once a whole extra cadence late."""
        return severity(self.days_overdue, self.cadence_days)

    @property
    def when(self) -> When:
        return When("due", self.days_overdue)

    @property
    def what(self) -> What:
        if self.last_contact:
            return (phrase(N_("Check in (last contact {date})"), date=self.last_contact),)
        return (phrase(N_("Check in (never contacted)")),)

    @property
    def amount(self) -> Money | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "client_id": self.client_id,
            "last_contact": _iso(self.last_contact),
            "due_on": self.due_on.isoformat(),
            "days_overdue": self.days_overdue,
            "cadence_days": self.cadence_days,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    """An unpaid sent invoice: overdue, due soon, or wanting a reminder.

    ``level`` and ``escalate`` are only set on rows from :func:`reminders_due`:
    ``level`` is the reminder to send now (1-based), or ``None`` with
    ``escalate`` true when the final reminder has gone and it is time to call,
    write off or claim.
    """

    id: str
    number: str
    client: str
    client_id: str
    currency: str
    total: Decimal
    outstanding: Decimal
    issued: dt.date
    due_on: dt.date
    days_overdue: int
    reminders_sent: int
    terms_days: int
    on_hold: bool = False
    level: int | None = None
    escalate: bool = False
    next_reminder_on: dt.date | None = None
    """When the next reminder on the ladder falls due (None on hold or once every rung has gone)."""
    pay_by: dt.date | None = None
    """Once the final notice has gone: the date it asked the client to pay by."""
    late_payer: bool = False
    """The client pays late as a habit (see :func:`payment_behaviour`)."""
    called: dt.date | None = None
    """When the client was called about it after the final notice (escalation)."""
    interest: Decimal | None = None
    """Late-payment interest to date (None while the late-payment terms are off for it)."""
    compensation: Decimal | None = None
    """The fixed late-payment compensation (None while the terms are off for it)."""
    final: bool = False
    """The reminder due (``level``) is the ladder's last: the final notice."""

    @property
    def is_reminder(self) -> bool:
        """True for rows of :func:`reminders_due`."""
        return self.level is not None or self.escalate

    @property
    def bucket(self) -> str | None:
        """The aging bucket when overdue, else ``None``."""
        return aging_bucket(self.days_overdue) if self.days_overdue >= 1 else None

    @property
    def severity(self) -> str:
        """``red`` to escalate or once a whole extra term late, ``amber`` when due."""
        if self.escalate:
            return "red"
        return severity(self.days_overdue, self.terms_days)

    @property
    def when(self) -> When:
        return When("due", self.days_overdue)

    @property
    def what(self) -> What:
        late = (phrase(N_("[late] ")),) if self.late_payer else ()
        if self.escalate:
            if self.called is not None:
                return (*late, phrase(N_("{number}: called {date}: write off or claim"), number=self.number,
                                      date=self.called))
            return (*late, phrase(N_("{number}: call, write off or claim"), number=self.number))
        if self.is_reminder:
            final = (phrase(N_(" (final)")),) if self.final else ()
            return (*late, phrase(N_("{number}: send reminder {level}"), number=self.number, level=self.level), *final)
        if self.days_overdue < 1:
            return (phrase(N_("{number} due {date}"), number=self.number, date=self.due_on),)
        sent: What = ()
        if self.reminders_sent:
            sent = (phrase(N_(", {n} reminder sent") if self.reminders_sent == 1 else N_(", {n} reminders sent"),
                           n=self.reminders_sent),)
        hold: What = (phrase(N_(", on hold")),) if self.on_hold else ()
        if self.pay_by is not None and not self.on_hold:
            hold = (phrase(N_(", final notice: pay by {date}"), date=self.pay_by),)
        return (*late, phrase(N_("{number} overdue"), number=self.number), *sent, *hold)

    @property
    def amount(self) -> Money:
        return Money(self.outstanding, self.currency)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "number": self.number,
            "id": self.id,
            "client": self.client,
            "client_id": self.client_id,
            "currency": self.currency,
            "total": money_str(self.total, self.currency),
            "outstanding": money_str(self.outstanding, self.currency),
            "issued": self.issued.isoformat(),
            "due_on": self.due_on.isoformat(),
            "days_overdue": self.days_overdue,
            "reminders_sent": self.reminders_sent,
            "on_hold": self.on_hold,
            "next_reminder_on": _iso(self.next_reminder_on),
            "pay_by": _iso(self.pay_by),
            "late_payer": self.late_payer,
            "called": _iso(self.called),
            "interest": None if self.interest is None else money_str(self.interest, self.currency),
            "compensation": None if self.compensation is None else money_str(self.compensation, self.currency),
        }
        if self.days_overdue >= 1:
            out["bucket"] = aging_bucket(self.days_overdue)
        if self.is_reminder:
            out["level"] = self.level
            out["escalate"] = self.escalate
        return out


@dataclass(frozen=True, slots=True)
class ToInvoiceRow:
    """A delivered job not yet on an invoice, and the day it should be invoiced.

    ``days_overdue`` is negative while the invoicing day is still ahead
    (``due`` false).
    """

    job: str
    job_id: str
    client: str
    client_id: str
    delivered: dt.date
    due_on: dt.date
    days_overdue: int
    rule: str
    price: Decimal | None = None
    currency: str = "EUR"
    kind: str = "job"
    """``job``: a delivered job; ``retainer``: a month of a retainer (``period``)."""
    period: str | None = None
    """For a retainer: the month to invoice, ``YYYY-MM``."""

    @property
    def due(self) -> bool:
        return self.days_overdue >= 0

    @property
    def severity(self) -> str:
        """``amber`` on the day it should be invoiced, ``red`` once that day is past:
        invoicing late breaks the promise made to the client."""
        return _by_the_day(self.days_overdue)

    @property
    def when(self) -> When:
        return When("due", self.days_overdue)

    @property
    def what(self) -> What:
        if self.kind == "retainer":
            return (phrase(N_("Retainer {period}: {what}"), period=self.period, what=self.job),)
        return (phrase(N_("Invoice {job} (delivered {date})"), job=self.job, date=self.delivered),)

    @property
    def amount(self) -> Money | None:
        return None if self.price is None else Money(self.price, self.currency)

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "job_id": self.job_id,
            "client": self.client,
            "client_id": self.client_id,
            "delivered": self.delivered.isoformat(),
            "due_on": self.due_on.isoformat(),
            "days_overdue": self.days_overdue,
            "due": self.due,
            "rule": self.rule,
            "price": None if self.price is None else money_str(self.price, self.currency),
            "currency": self.currency,
            "kind": self.kind,
            "period": self.period,
        }


@dataclass(frozen=True, slots=True)
class PromiseRow:
    """An open promise that is due (``due_on <= today``) or upcoming (within 3 days)."""

    id: str
    client: str
    client_id: str
    text: str
    due_on: dt.date
    days_overdue: int
    job_id: str | None = None
    auto: str = ""

    @property
    def due(self) -> bool:
        return self.days_overdue >= 0

    @property
    def severity(self) -> str:
        """``amber`` on the day, ``red`` once past: the date agreed has gone by."""
        return _by_the_day(self.days_overdue)

    @property
    def when(self) -> When:
        return When("due", self.days_overdue)

    @property
    def what(self) -> What:
        """The promise as typed; the invoicing promise rapport made itself is
        worded from its parts, so it can be translated."""
        if self.auto == "invoice" and (parts := invoice_promise_parts(self.text)) is not None:
            return (phrase(N_("Invoice {job} within {hours} h"), job=parts[0], hours=parts[1]),)
        return (phrase("{typed}", typed=self.text),)

    @property
    def amount(self) -> Money | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client": self.client,
            "client_id": self.client_id,
            "text": self.text,
            "due_on": self.due_on.isoformat(),
            "days_overdue": self.days_overdue,
            "due": self.due,
            "job_id": self.job_id,
            "auto": self.auto,
        }


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    """A job not yet delivered whose deadline is within 7 days, or past
    (``days_left`` negative)."""

    job: str
    job_id: str
    client: str
    client_id: str
    deadline: dt.date
    days_left: int
    status: str

    @property
    def severity(self) -> str:
        """``red`` once the deadline has passed, ``amber`` before."""
        return deadline_severity(self.days_left)

    @property
    def when(self) -> When:
        return When("due", -self.days_left)

    @property
    def what(self) -> What:
        return (phrase(N_("Deadline {date}: {job}"), date=self.deadline, job=self.job),)

    @property
    def amount(self) -> Money | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "job_id": self.job_id,
            "client": self.client,
            "client_id": self.client_id,
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class AwaitingRow:
    """A proposal (change of brief, ``kind="change"``, or price raise,
    ``kind="rate"``) sent 5+ days ago and not answered: follow up."""

    kind: str
    id: str
    client: str
    client_id: str
    subject: str
    """The change's text, or "Price raise to 60.00 EUR/hour" (``what`` in JSON)."""
    sent: dt.date
    days_waiting: int
    job_id: str | None = None
    rate: Money | None = None
    """For a price raise: the rate proposed."""
    unit: str = ""
    """For a price raise: per ``hour``, ``day`` or ``project``."""

    @property
    def severity(self) -> str:
        """``amber`` from 5 days, ``red`` from twice that."""
        return "red" if self.days_waiting >= 2 * AWAITING_DAYS else "amber"

    @property
    def when(self) -> When:
        return When("waiting", self.days_waiting)

    @property
    def what(self) -> What:
        if self.kind == "rate" and self.rate is not None:
            raise_to = phrase(N_("Price raise to {rate}/{unit}"), rate=self.rate, unit=phrase(self.unit))
            return (phrase(N_("No answer to price raise: {what}"), what=raise_to),)
        return (phrase(N_("No answer to change: {what}"), what=self.subject),)

    @property
    def amount(self) -> Money | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "client": self.client,
            "client_id": self.client_id,
            "what": self.subject,
            "sent": self.sent.isoformat(),
            "days_waiting": self.days_waiting,
            "job_id": self.job_id,
        }


@dataclass(frozen=True, slots=True)
class RateReviewRow:
    """An active client whose rate has not changed for 12+ whole months."""

    client: str
    client_id: str
    rate: Decimal
    currency: str
    unit: str
    rate_since: dt.date
    months: int

    @property
    def severity(self) -> str:
        return "amber"

    @property
    def when(self) -> When:
        return When("months", self.months)

    @property
    def what(self) -> What:
        return (phrase(N_("Rate {rate}/{unit} since {date}"), rate=Money(self.rate, self.currency),
                       unit=phrase(self.unit), date=self.rate_since),)

    @property
    def amount(self) -> Money | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "client_id": self.client_id,
            "rate": money_str(self.rate, self.currency),
            "currency": self.currency,
            "unit": self.unit,
            "rate_since": self.rate_since.isoformat(),
            "months": self.months,
        }


# --------------------------------------------------------------------------- #
# Check-ins
# --------------------------------------------------------------------------- #


def checkin_due_on(client: Client, last_contact: dt.date | None, today: dt.date | None = None) -> dt.date | None:
    """When ``client`` is next due a check-in, snooze included; ``None`` for a
    client that is not ``active`` (leads, paused and former clients are never due).

    ``last_contact + cadence``, or the client's ``since`` date when never
    contacted, and never before ``snoozed_until``. A contact dated in the future
    counts like any other: the client is not due until it plus the cadence. A
    client never contacted with no ``since`` date (invalid, but possible in a
    hand-edited file) is due ``today`` when given, else has no date.
    """
    if client.status is not ClientStatus.ACTIVE:
        return None
    if last_contact is not None:
        due_on: dt.date | None = last_contact + dt.timedelta(days=client.cadence_days)
    else:
        due_on = client.since if client.since is not None else today
    if due_on is not None and client.snoozed_until is not None and client.snoozed_until > due_on:
        due_on = client.snoozed_until
    return due_on


def next_checkin(client: Client, last_contact: dt.date | None) -> dt.date | None:
    """The Clients screen's "next check-in" column and ``client list --json``'s
    ``next_checkin``: the date of :func:`checkin_due_on`, ``None`` when the client
    is not active (or has neither a contact nor a ``since`` date)."""
    return checkin_due_on(client, last_contact)


def checkins_due(snapshot: Snapshot, today: dt.date) -> list[CheckinRow]:
    """Active clients due a check-in today (``today >= due_on``), most overdue first."""
    last = snapshot.last_contact
    rows = []
    for client in snapshot.clients:
        if client.status is not ClientStatus.ACTIVE:
            continue
        last_contact = last.get(client.id)
        due_on = checkin_due_on(client, last_contact, today)
        if due_on is None or today < due_on:
            continue
        rows.append(
            CheckinRow(
                client=client.name,
                client_id=client.id,
                last_contact=last_contact,
                due_on=due_on,
                days_overdue=(today - due_on).days,
                cadence_days=client.cadence_days,
            )
        )
    rows.sort(key=lambda r: (-r.days_overdue, r.client.casefold(), r.client_id))
    return rows


# --------------------------------------------------------------------------- #
# Invoices and reminders
# --------------------------------------------------------------------------- #


def invoice_due_on(invoice: Invoice) -> dt.date | None:
    """``issued + terms`` days; ``None`` for an invoice without an issue date."""
    if invoice.issued is None:
        return None
    return invoice.issued + dt.timedelta(days=invoice.terms_days)


def aging_bucket(days: int) -> str:
    """The overdue board column for an invoice ``days`` past due:
    ``1-7``, ``8-14``, ``15-30``, ``31-60`` or ``61+``.

    Raises ValueError for ``days < 1``: an invoice not yet past due is on no column.
    """
    if days < 1:
        raise ValueError(f"{days} days past due is not overdue")
    if days <= 7:
        return "1-7"
    if days <= 14:
        return "8-14"
    if days <= 30:
        return "15-30"
    if days <= 60:
        return "31-60"
    return "61+"


def ladder_of(snapshot: Snapshot) -> tuple[int, ...]:
    """The reminder ladder from the settings: days past due for each reminder.

    A ladder that is missing or not a rising list of whole days (only possible
    in a hand-edited file: Settings.validate refuses it) falls back to the
    default ``[1, 8, 15]`` rather than guessing.
    """
    ladder = snapshot.settings.reminder_ladder
    ok = (
        isinstance(ladder, list)
        and ladder
        and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in ladder)
        and all(a < b for a, b in zip(ladder, ladder[1:], strict=False))
    )
    return tuple(ladder) if ok else tuple(DEFAULT_LADDER)


def reminders_sent(invoice: Invoice) -> int:
    """``k`` of the ladder rule: reminders recorded, or the highest level
    recorded if larger (a final notice sent by hand does not bring back
    reminder 2). The one count the ladder, the chase and the forms use."""
    count = len(invoice.reminders)
    if count:
        count = max(count, max(r.level for r in invoice.reminders))
    return count


def final_notice_days_of(snapshot: Snapshot) -> int:
    """How many days a final notice gives to pay (settings, default 7)."""
    days = getattr(snapshot.settings, "final_notice_days", DEFAULT_FINAL_NOTICE_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        return DEFAULT_FINAL_NOTICE_DAYS
    return days


@dataclass(frozen=True, slots=True)
class Chase:
    """Where an invoice stands on the reminder ladder on one day.

    ``state`` is one of :data:`CHASE_STATES`:

    * ``not_sent``: a draft, void or written-off invoice is never chased;
    * ``paid``: nothing is outstanding;
    * ``on_hold``: disputed or agreed to wait, so nothing falls due;
    * ``due``: reminder ``level`` is due (``due_on`` is its day, today or earlier);
    * ``waiting``: reminder ``level`` falls due on ``due_on``, after today;
    * ``final_sent``: every rung has gone; the final notice asked to pay by ``pay_by``;
    * ``escalate``: ``pay_by`` has passed with money still owed: call, write off
      or claim.

    ``sent`` is the ladder's ``k`` and ``last`` the date of the latest reminder.
    """

    state: str
    sent: int
    level: int | None = None
    due_on: dt.date | None = None
    last: dt.date | None = None
    pay_by: dt.date | None = None

    @property
    def is_due(self) -> bool:
        return self.state == "due"

    def why_not(self, number: str) -> str:
        """One line saying why no reminder is due, for ``invoice remind`` and the screens."""
        if self.state == "not_sent":
            return _("invoice {number} is not a sent invoice; only sent invoices are chased").format(number=number)
        if self.state == "paid":
            return _("invoice {number} is paid; there is nothing to chase").format(number=number)
        if self.state == "on_hold":
            return _("invoice {number} is on hold; release it before chasing it").format(number=number)
        if self.state == "waiting":
            return _("reminder {level} is due on {date}").format(level=self.level, date=_shown_date(self.due_on))
        if self.state in ("final_sent", "escalate"):
            # The same words before and after the pay-by date: that date is what matters.
            return _("final notice sent: escalate after {date}").format(date=_shown_date(self.pay_by))
        return _("reminder {level} is due").format(level=self.level)


CHASE_STATES = ("not_sent", "paid", "on_hold", "due", "waiting", "final_sent", "escalate")


def chase(
    invoice: Invoice,
    ladder: tuple[int, ...] | list[int],
    today: dt.date,
    final_notice_days: int = DEFAULT_FINAL_NOTICE_DAYS,
    *,
    outstanding: Decimal | None = None,
) -> Chase:
    """docs/rules.md's reminder rule for one invoice on ``today``.

    With ``k`` reminders sent (the last on ``last``), reminder ``k+1`` is due on
    ``max(due_on + ladder[k], last + (ladder[k] - ladder[k-1]))``: a reminder
    sent late pushes the next one back by the whole gap between the rungs, so
    two reminders never fall due on one day. Never due while on hold, never
    beyond the ladder, and never again on a day a reminder was logged. Once the
    final rung has gone, the final notice's pay-by date (its date plus
    ``final_notice_days``) decides between ``final_sent`` and ``escalate``.
    """
    k = reminders_sent(invoice)
    dates = [r.date for r in invoice.reminders if r.date is not None]
    last = max(dates) if dates else None
    if invoice.status is not InvoiceStatus.SENT or invoice.issued is None:
        return Chase(state="not_sent", sent=k, last=last)
    if outstanding is None:
        outstanding = invoice.outstanding
    if outstanding <= 0:
        return Chase(state="paid", sent=k, last=last)
    due_on = invoice.issued + dt.timedelta(days=invoice.terms_days)
    if k >= len(ladder):
        final = last if last is not None else due_on + dt.timedelta(days=ladder[-1])
        pay_by = final + dt.timedelta(days=final_notice_days)
        if invoice.on_hold:
            return Chase(state="on_hold", sent=k, last=last, pay_by=pay_by)
        state = "escalate" if today > pay_by else "final_sent"
        return Chase(state=state, sent=k, last=last, pay_by=pay_by)
    next_on = due_on + dt.timedelta(days=ladder[k])
    if k >= 1 and last is not None:
        next_on = max(next_on, last + dt.timedelta(days=ladder[k] - ladder[k - 1]))
    if last is not None and last >= today and next_on <= today:
        next_on = today + dt.timedelta(days=1)  # never twice in a day
    if invoice.on_hold:
        return Chase(state="on_hold", sent=k, level=k + 1, due_on=next_on, last=last)
    state = "due" if next_on <= today else "waiting"
    return Chase(state=state, sent=k, level=k + 1, due_on=next_on, last=last)


def _unpaid(snapshot: Snapshot, today: dt.date) -> Iterable[tuple[Invoice, InvoiceRow]]:
    """Every ``sent`` invoice with something outstanding, as a row (no level)."""
    names = snapshot.clients_by_id
    # open_invoices is already "sent with something outstanding"; the checks are
    # repeated so the rule reads whole here and holds whatever the view does.
    for invoice in snapshot.open_invoices:
        if invoice.status is not InvoiceStatus.SENT or invoice.issued is None:
            continue
        total = invoice.total  # once: Invoice.outstanding would sum the lines again
        outstanding = total - invoice.paid
        if outstanding <= 0:
            continue
        due_on = invoice.issued + dt.timedelta(days=invoice.terms_days)
        client = names.get(invoice.client_id)
        yield invoice, InvoiceRow(
            id=invoice.id,
            number=invoice.number,
            client=client.name if client else invoice.client_id,
            client_id=invoice.client_id,
            currency=invoice.currency,
            total=total,
            outstanding=outstanding,
            issued=invoice.issued,
            due_on=due_on,
            days_overdue=(today - due_on).days,
            reminders_sent=len(invoice.reminders),
            terms_days=invoice.terms_days,
            on_hold=invoice.on_hold,
            called=invoice.called,
        )


def _invoice_key(row: InvoiceRow) -> tuple[int, str, str, str]:
    return (-row.days_overdue, row.client.casefold(), row.number, row.id)


_InvoiceLists = tuple[list[InvoiceRow], list[InvoiceRow], list[InvoiceRow]]
_last_invoice_lists: list[tuple[Snapshot, dt.date, _InvoiceLists]] = []
"""The last snapshot and day :func:`_invoice_lists` ran on, and its result: the
review's three invoice sections share one pass. Holding the snapshot keeps its
identity from being reused; a snapshot's documents never change."""


def _invoice_lists(snapshot: Snapshot, today: dt.date) -> _InvoiceLists:
    """(reminders due, overdue, due soon) from one pass over the invoices (copies,
    so a caller may change its list)."""
    last = _last_invoice_lists[:1]
    if last and last[0][0] is snapshot and last[0][1] == today:
        lists = last[0][2]
    else:
        lists = _compute_invoice_lists(snapshot, today)
        _last_invoice_lists[:] = [(snapshot, today, lists)]
    return list(lists[0]), list(lists[1]), list(lists[2])


def _compute_invoice_lists(snapshot: Snapshot, today: dt.date) -> _InvoiceLists:
    ladder = ladder_of(snapshot)
    final_days = final_notice_days_of(snapshot)
    late = late_payers(snapshot, today)
    settings = snapshot.settings
    clients = snapshot.clients_by_id
    reminders: list[InvoiceRow] = []
    overdue: list[InvoiceRow] = []
    soon: list[InvoiceRow] = []
    for invoice, row in _unpaid(snapshot, today):
        state = chase(invoice, ladder, today, final_days, outstanding=row.outstanding)
        charges = late_charges(invoice, settings, clients.get(invoice.client_id), today)
        row = _with(
            row,
            next_reminder_on=state.due_on if state.state in ("due", "waiting") else None,
            pay_by=state.pay_by,
            late_payer=row.client_id in late,
            interest=None if charges is None else charges.interest,
            compensation=None if charges is None else charges.compensation,
        )
        days = row.days_overdue
        if days >= 1:
            overdue.append(row)
        elif -DUE_SOON_DAYS <= days <= 0:
            soon.append(row)
        if state.state == "due":
            reminders.append(
                _with(row, level=state.level, final=state.level is not None and state.level >= len(ladder))
            )
        elif state.state == "escalate" and days >= 1:
            reminders.append(_with(row, escalate=True))
    for rows in (reminders, overdue, soon):
        rows.sort(key=_invoice_key)
    return reminders, overdue, soon


def _with(row: InvoiceRow, **changes: Any) -> InvoiceRow:
    return replace(row, **changes)


def invoices_overdue(snapshot: Snapshot, today: dt.date) -> list[InvoiceRow]:
    """Sent invoices with something outstanding and ``today > due_on``, most
    overdue first. On-hold invoices are included (they are still owed)."""
    return _invoice_lists(snapshot, today)[1]


def invoices_due_soon(snapshot: Snapshot, today: dt.date) -> list[InvoiceRow]:
    """Sent invoices with something outstanding due within 3 days (today included),
    soonest first."""
    return _invoice_lists(snapshot, today)[2]


def reminders_due(snapshot: Snapshot, today: dt.date) -> list[InvoiceRow]:
    """Invoices wanting the next payment reminder, or escalation, most overdue first.

    Ladder (settings, default ``[1, 8, 15]`` days past due): with ``k`` reminders
    sent, reminder ``k+1`` is due when ``days_overdue >= ladder[k]``; the row's
    ``level`` is ``k+1``. Once ``k`` reaches the end of the ladder, the row has
    ``escalate`` true and ``level`` ``None`` (from the final rung's day on, and
    only while the invoice is overdue). ``on_hold`` blocks both. Derived only
    from the reminders recorded on the invoice, so a missed day is caught up and
    a level is never due twice.
    """
    return _invoice_lists(snapshot, today)[0]


def outstanding_by_currency(invoices: Iterable[Invoice]) -> dict[str, Decimal]:
    """What is owed, per currency, over ``invoices`` (e.g. one client's).

    Only ``sent`` invoices count (drafts were never sent; void and written-off
    invoices are not owed); currencies with nothing owed are left out. Sorted by
    currency code, so the output is stable.
    """
    totals: dict[str, Decimal] = {}
    for invoice in invoices:
        if invoice.status is not InvoiceStatus.SENT:
            continue
        outstanding = invoice.outstanding
        if outstanding > 0:
            totals[invoice.currency] = totals.get(invoice.currency, Decimal(0)) + outstanding
    return dict(sorted(totals.items()))


def outstanding_by_client(snapshot: Snapshot) -> dict[str, dict[str, Decimal]]:
    """:func:`outstanding_by_currency` for every client at once, in one pass
    (client id -> currency -> amount); clients owing nothing are left out."""
    grouped: dict[str, list[Invoice]] = {}
    for invoice in snapshot.open_invoices:
        if invoice.status is InvoiceStatus.SENT:
            grouped.setdefault(invoice.client_id, []).append(invoice)
    out = {}
    for client_id, invoices in grouped.items():
        totals = outstanding_by_currency(invoices)
        if totals:
            out[client_id] = totals
    return out


# --------------------------------------------------------------------------- #
# Payment behaviour
# --------------------------------------------------------------------------- #

BEHAVIOUR_MONTHS = 24
"""Payment behaviour looks at invoices paid in full within this many months."""
LATE_PAYER_MIN_INVOICES = 3
LATE_PAYER_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How a client pays: over its invoices paid in full in the last 24 months,
    the median days from issue to the last payment, and the share paid after
    the due date."""

    invoices: int
    days_to_pay: float | int | None
    paid_late: float | None

    @property
    def late_payer(self) -> bool:
        """At least 3 such invoices, and half or more of them paid late."""
        return (
            self.invoices >= LATE_PAYER_MIN_INVOICES
            and self.paid_late is not None
            and self.paid_late >= LATE_PAYER_SHARE
        )


NO_BEHAVIOUR = Behaviour(invoices=0, days_to_pay=None, paid_late=None)


def payment_behaviour(snapshot: Snapshot, today: dt.date) -> dict[str, Behaviour]:
    """:class:`Behaviour` per client id (clients with no invoice paid in full in
    the window are left out: use :data:`NO_BEHAVIOUR`).

    The window is the 24 months up to ``today``, by the date of the last
    payment, the day the invoice became paid in full. ``days_to_pay`` is a
    whole number unless the median falls between two (12.5).
    """
    since = _add_months(today, -BEHAVIOUR_MONTHS)
    days: dict[str, list[int]] = {}
    late: dict[str, int] = {}
    for client_id, issued, due_on, last in snapshot.settled_invoices:
        if not since <= last <= today:
            continue
        days.setdefault(client_id, []).append((last - issued).days)
        if last > due_on:
            late[client_id] = late.get(client_id, 0) + 1
    out = {}
    for client_id, values in days.items():
        values.sort()
        n = len(values)
        mid = n // 2
        median: float | int = values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2
        if isinstance(median, float) and median.is_integer():
            median = int(median)
        out[client_id] = Behaviour(
            invoices=n, days_to_pay=median, paid_late=round(late.get(client_id, 0) / n, 4)
        )
    return out


def late_payers(snapshot: Snapshot, today: dt.date) -> frozenset[str]:
    """Ids of the clients flagged as late payers on ``today``."""
    return frozenset(cid for cid, b in payment_behaviour(snapshot, today).items() if b.late_payer)


# --------------------------------------------------------------------------- #
# To invoice, promises, deadlines
# --------------------------------------------------------------------------- #


def to_invoice_due_on(delivered: dt.date, rule: InvoicingRule, hours: int) -> dt.date:
    """The day a job delivered on ``delivered`` should be invoiced.

    ``on_delivery`` within ``hours``: ``delivered + ceil(hours / 24)`` days (24 h
    is the next day, 48 h two days, 0 h the same day). ``monthly``: the last
    day of the delivery month.
    """
    if rule is InvoicingRule.MONTHLY:
        last = calendar.monthrange(delivered.year, delivered.month)[1]
        return delivered.replace(day=last)
    return delivered + dt.timedelta(days=math.ceil(max(hours, 0) / 24))


def invoice_promise_text(job: str, hours: int) -> str:
    """The text of the invoicing promise the store makes when a job is delivered
    under ``on_delivery`` (stored, so shown as is by the CLI and in the history)."""
    return f"Invoice {job} within {hours} h"


_INVOICE_PROMISE = re.compile(r"^Invoice (?P<job>.*) within (?P<hours>\d+) h$", re.DOTALL)


def invoice_promise_parts(text: str) -> tuple[str, int] | None:
    """(job title, hours) of a text :func:`invoice_promise_text` wrote, else None
    (an older or edited text: shown as it is)."""
    match = _INVOICE_PROMISE.match(text)
    return None if match is None else (match["job"], int(match["hours"]))


def _listed_to_invoice(snapshot: Snapshot) -> list[tuple[Job, dt.date]]:
    """The delivered jobs :func:`to_invoice` lists, with their delivered date:
    not on an invoice, and dated (a delivered job with no date is invalid;
    ``rapport check`` reports it)."""
    return [(job, job.delivered) for job in snapshot.jobs_to_invoice() if job.delivered is not None]


def to_invoice(snapshot: Snapshot, today: dt.date) -> list[ToInvoiceRow]:
    """Every ``delivered`` job not on any invoice, with the day it should be
    invoiced, most overdue first.

    Jobs whose invoicing day is still ahead are included too (negative
    ``days_overdue``, ``due`` false), so the agenda can show what is coming; a
    job on a void invoice only still needs invoicing. A delivered job with no
    delivered date (invalid; ``rapport check`` reports it) is left out.
    """
    clients = snapshot.clients_by_id
    rows = []
    for job, delivered in _listed_to_invoice(snapshot):
        client = clients.get(job.client_id)
        rule = client.invoicing if client else InvoicingRule.ON_DELIVERY
        hours = client.invoice_within_hours if client else 24
        due_on = to_invoice_due_on(delivered, rule, hours)
        rows.append(
            ToInvoiceRow(
                job=job.title,
                job_id=job.id,
                client=client.name if client else job.client_id,
                client_id=job.client_id,
                delivered=delivered,
                due_on=due_on,
                days_overdue=(today - due_on).days,
                rule=str(rule),
                price=job.price,
                currency=job.currency,
            )
        )
    rows.extend(retainers_to_invoice(snapshot, today))
    rows.sort(key=lambda r: (-r.days_overdue, r.client.casefold(), r.job.casefold(), r.job_id, r.period or ""))
    return rows


def period_words(period: str, language: str = "en") -> str:
    """``2026-12`` as words: "December 2026", "diciembre de 2026"
    (storage.formats.month_year)."""
    return month_year(int(period[:4]), int(period[5:7]), str(language))


RETAINER_UPCOMING_DAYS = 3
"""A retainer's month is listed this many days before its invoicing day."""


def retainer_periods(retainer: Any, until: dt.date) -> Iterable[tuple[str, dt.date]]:
    """(``YYYY-MM``, invoicing day) of every month a retainer bills, up to ``until``.

    A month counts when its invoicing day falls within the retainer's dates:
    on or after its from date, and on or before its until date if it has one.
    """
    if retainer is None or retainer.since is None:
        return
    end = until if retainer.until is None else min(until, retainer.until)
    year, month = retainer.since.year, retainer.since.month
    while True:
        day = dt.date(year, month, retainer.day)
        if day > end:
            return
        if day >= retainer.since:
            yield f"{year:04d}-{month:02d}", day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def retainers_to_invoice(snapshot: Snapshot, today: dt.date) -> list[ToInvoiceRow]:
    """A row per retainer month not yet on a (non-void) invoice, from its
    invoicing day on (and up to 3 days before it, ``due`` false). Former clients
    are left out: their retainer has ended."""
    invoiced = snapshot.invoiced_periods
    horizon = today + dt.timedelta(days=RETAINER_UPCOMING_DAYS)
    rows = []
    for client in snapshot.clients:
        retainer = client.retainer
        if retainer is None or client.status is ClientStatus.FORMER:
            continue
        for period, day in retainer_periods(retainer, horizon):
            if (client.id, period) in invoiced:
                continue
            rows.append(
                ToInvoiceRow(
                    job=retainer.covers,
                    job_id="",
                    client=client.name,
                    client_id=client.id,
                    delivered=day,
                    due_on=day,
                    days_overdue=(today - day).days,
                    rule="retainer",
                    price=retainer.amount,
                    currency=retainer.currency,
                    kind="retainer",
                    period=period,
                )
            )
    return rows


def promises(snapshot: Snapshot, today: dt.date) -> list[PromiseRow]:
    """Open promises due (``due_on <= today``, ``due`` true) or upcoming (within
    3 days, ``due`` false), most overdue first.

    The invoicing promise the store made when a job was delivered (``auto`` is
    ``invoice``) is left out while :func:`to_invoice` lists its job: the row
    there says the same thing, so the review shows it once. A promise typed by
    the user is always listed, about a job or not. Invoicing the job keeps the
    promise (the store closes it), so it leaves both lists at once; should the
    job leave To invoice with the promise still open (it went back to active,
    say), the promise is listed again.
    """
    clients = snapshot.clients_by_id
    horizon = today + dt.timedelta(days=PROMISE_UPCOMING_DAYS)
    said_under_to_invoice = {job.id for job, __ in _listed_to_invoice(snapshot)}
    rows = []
    for promise in snapshot.open_promises:
        if promise.status is not PromiseStatus.OPEN or promise.due is None or promise.due > horizon:
            continue
        if promise.auto == "invoice" and promise.job_id in said_under_to_invoice:
            continue
        client = clients.get(promise.client_id)
        rows.append(
            PromiseRow(
                id=promise.id,
                client=client.name if client else promise.client_id,
                client_id=promise.client_id,
                text=promise.text,
                due_on=promise.due,
                days_overdue=(today - promise.due).days,
                job_id=promise.job_id,
                auto=promise.auto,
            )
        )
    rows.sort(key=lambda r: (-r.days_overdue, r.client.casefold(), r.text.casefold(), r.id))
    return rows


def deadlines(snapshot: Snapshot, today: dt.date) -> list[DeadlineRow]:
    """Jobs not yet delivered (``proposed`` or ``active``) whose deadline is
    within 7 days or past, the most overdue (smallest ``days_left``) first."""
    clients = snapshot.clients_by_id
    rows = []
    for job in snapshot.open_jobs:
        if job.status not in _NOT_DELIVERED or job.deadline is None:
            continue
        days_left = (job.deadline - today).days
        if days_left > DEADLINE_DAYS:
            continue
        client = clients.get(job.client_id)
        rows.append(
            DeadlineRow(
                job=job.title,
                job_id=job.id,
                client=client.name if client else job.client_id,
                client_id=job.client_id,
                deadline=job.deadline,
                days_left=days_left,
                status=str(job.status),
            )
        )
    rows.sort(key=lambda r: (r.days_left, r.client.casefold(), r.job.casefold(), r.job_id))
    return rows


# --------------------------------------------------------------------------- #
# Awaiting reply, rate reviews
# --------------------------------------------------------------------------- #


def _rate_what(amount: Decimal, currency: str, unit: str) -> str:
    return f"Price raise to {money_str(amount, currency)} {currency}/{unit}"


def awaiting_reply(snapshot: Snapshot, today: dt.date) -> list[AwaitingRow]:
    """Proposals sent 5+ days ago with no answer, longest waiting first.

    A change of brief with status ``proposed`` (from its ``sent`` date) and a
    price raise: a rate with status ``proposed`` (from its ``sent`` date, else
    its ``since``, the date it was proposed).
    """
    clients = snapshot.clients_by_id
    rows = []
    for change in snapshot.pending_changes:
        if change.status is not ChangeStatus.PROPOSED or change.sent is None:
            continue
        waiting = (today - change.sent).days
        if waiting < AWAITING_DAYS:
            continue
        client_id = change.client_id
        if not client_id:  # older changes: find the client through the job
            job = snapshot.jobs_by_id.get(change.job_id)
            client_id = job.client_id if job else ""
        client = clients.get(client_id)
        rows.append(
            AwaitingRow(
                kind="change",
                id=change.id,
                client=client.name if client else client_id,
                client_id=client_id,
                subject=change.what,
                sent=change.sent,
                days_waiting=waiting,
                job_id=change.job_id,
            )
        )
    for rate in snapshot.rates:
        sent = rate.sent or rate.since
        if rate.status is not RateStatus.PROPOSED or sent is None:
            continue
        waiting = (today - sent).days
        if waiting < AWAITING_DAYS:
            continue
        client = clients.get(rate.client_id)
        rows.append(
            AwaitingRow(
                kind="rate",
                id=rate.id,
                client=client.name if client else rate.client_id,
                client_id=rate.client_id,
                subject=_rate_what(rate.amount, rate.currency, str(rate.unit)),
                sent=sent,
                days_waiting=waiting,
                rate=Money(rate.amount, rate.currency),
                unit=str(rate.unit),
            )
        )
    rows.sort(key=lambda r: (-r.days_waiting, r.client.casefold(), r.kind, r.id))
    return rows


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``: the largest ``n`` such that
    ``start + n months <= end`` (month ends clamp, so 31 Jan to 29 Feb is one
    month, and 29 Feb 2024 to 28 Feb 2025 twelve). Negative when ``end`` is
    before ``start``.
    """
    # Counting calendar months overshoots by at most one (when end's day of the
    # month comes before start's); start + (that count + 1) is always past end.
    months = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, months) > end:
        months -= 1
    return months


def rate_reviews(snapshot: Snapshot, today: dt.date) -> list[RateReviewRow]:
    """Active clients with a rate unchanged for 12+ whole months, oldest first.

    The rate's age runs from the ``since`` of the client's latest accepted rate,
    else from the client's ``since``. Clients without a rate are left out, and so
    is a client with a price raise already waiting for an answer (it shows in
    :func:`awaiting_reply` instead).
    """
    latest: dict[str, dt.date] = {}
    pending: set[str] = set()
    for rate in snapshot.rates:
        if rate.status is RateStatus.PROPOSED:
            pending.add(rate.client_id)
        elif rate.status is RateStatus.ACCEPTED and rate.since is not None:
            seen = latest.get(rate.client_id)
            if seen is None or rate.since > seen:
                latest[rate.client_id] = rate.since
    rows = []
    for client in snapshot.clients:
        if client.status is not ClientStatus.ACTIVE or client.rate is None or client.id in pending:
            continue
        since = latest.get(client.id, client.since)
        if since is None:
            continue
        months = months_between(since, today)
        if months < RATE_REVIEW_MONTHS:
            continue
        rows.append(
            RateReviewRow(
                client=client.name,
                client_id=client.id,
                rate=client.rate,
                currency=client.currency,
                unit=str(client.rate_unit),
                rate_since=since,
                months=months,
            )
        )
    rows.sort(key=lambda r: (r.rate_since, r.client.casefold(), r.client_id))
    return rows


# --------------------------------------------------------------------------- #
# The daily review: the section registry
# --------------------------------------------------------------------------- #


class ReviewRow(Protocol):
    """What every row of the daily review offers its renderers."""

    @property
    def client(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def when(self) -> When: ...
    @property
    def what(self) -> What: ...
    @property
    def amount(self) -> Money | None: ...
    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Section:
    """One list of the daily review.

    ``name`` keys it everywhere (``rapport today --json``, the Agenda's rows);
    ``title`` is its English heading and translation key; ``rule`` computes its
    rows, most urgent first; ``row`` is their type (a :class:`ReviewRow`);
    ``reads`` names the :class:`~storage.snapshot.Snapshot` views the rule reads,
    so the summary can say whether it can serve it; ``upcoming`` is true when
    the list also holds rows not yet due (``row.due`` false), counted apart in
    headings.
    """

    name: str
    title: str
    rule: Callable[[Snapshot, dt.date], Sequence[Any]]
    row: type
    reads: frozenset[str]
    upcoming: bool = False


_INVOICE_VIEWS = frozenset({"settings", "clients", "clients_by_id", "open_invoices", "settled_invoices"})

SECTIONS: list[Section] = [
    Section("reminders_due", N_("Reminders due"), reminders_due, InvoiceRow, _INVOICE_VIEWS),
    Section("invoices_overdue", N_("Overdue invoices"), invoices_overdue, InvoiceRow, _INVOICE_VIEWS),
    Section("invoices_due_soon", N_("Invoices due soon"), invoices_due_soon, InvoiceRow, _INVOICE_VIEWS),
    Section("checkins_due", N_("Check-ins due"), checkins_due, CheckinRow, frozenset({"clients", "last_contact"})),
    Section("promises_due", N_("Promises"), promises, PromiseRow,
            frozenset({"open_promises", "clients", "clients_by_id", "jobs_to_invoice", "open_jobs",
                       "invoiced_job_ids"}),
            upcoming=True),
    Section("deadlines", N_("Deadlines"), deadlines, DeadlineRow, frozenset({"open_jobs", "clients", "clients_by_id"})),
    Section("to_invoice", N_("To invoice"), to_invoice, ToInvoiceRow,
            frozenset({"jobs_to_invoice", "open_jobs", "invoiced_job_ids", "clients", "clients_by_id",
                       "invoiced_periods"}),
            upcoming=True),
    Section("awaiting_reply", N_("Awaiting reply"), awaiting_reply, AwaitingRow,
            frozenset({"pending_changes", "jobs_by_id", "clients", "clients_by_id", "rates"})),
    Section("rate_reviews", N_("Rate reviews"), rate_reviews, RateReviewRow, frozenset({"clients", "rates"})),
]
"""The daily review's lists, in the order the Agenda and ``rapport today`` show them.

To add a rule (one place, here):

1. write its rule, ``(snapshot, today) -> rows`` (pure; most urgent first), and
   its row type: a frozen dataclass with ``client``, ``client_id``,
   ``severity``, ``when``, ``what``, ``amount`` and ``to_json`` (see
   :class:`ReviewRow`; ``what`` is :class:`Phrase` data, never finished text);
2. append a :class:`Section` to this list with the views its rule ``reads``.

:func:`review`, ``rapport today`` (text and ``--json``), the Agenda and the
summary then pick it up. For Spanish, add its title and phrases to
``tui/i18n.py`` (a test lists any missing). If it reads a view the summary does
not hold (:data:`storage.summary.HOLDS`), ``rapport today`` reads the whole
file until the summary learns it: correct, only slower.
"""


def section(name: str) -> Section:
    """The registered section called ``name``."""
    for entry in SECTIONS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def reads() -> frozenset[str]:
    """Every Snapshot view the registered sections read."""
    return frozenset().union(*(entry.reads for entry in SECTIONS))


class Review:
    """Everything due on ``today``: one tuple of rows per registered section, in
    the registry's order, each most urgent first. Two reviews of the same
    documents and day are equal. A section's rows are also an attribute by its
    name (``review.checkins_due``)."""

    __slots__ = ("today", "_lists")

    def __init__(self, today: dt.date, **lists: Sequence[Any]) -> None:
        names = [entry.name for entry in SECTIONS]
        unknown = set(lists) - set(names)
        if unknown:
            raise TypeError(f"Review has no section {sorted(unknown)[0]!r}")
        self.today = today
        self._lists: tuple[tuple[str, tuple[Any, ...]], ...] = tuple(
            (name, tuple(lists.get(name, ()))) for name in names
        )

    def __getattr__(self, name: str) -> tuple[Any, ...]:
        if not name.startswith("_"):
            for key, rows in self._lists:
                if key == name:
                    return rows
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Review):
            return NotImplemented
        return (self.today, self._lists) == (other.today, other._lists)

    def __hash__(self) -> int:
        return hash((self.today, self._lists))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={rows!r}" for name, rows in self._lists if rows)
        return f"Review(today={self.today!r}{', ' if shown else ''}{shown})"

    def sections(self) -> list[tuple[str, tuple[Any, ...]]]:
        """(name, rows) for each section, in order."""
        return list(self._lists)

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is listed (not even upcoming items)."""
        return not any(rows for __, rows in self._lists)

    def to_json(self, today: dt.date | None = None) -> dict[str, Any]:
        """``rapport today --json``: ``date`` and each section's list of row objects."""
        out: dict[str, Any] = {"date": (today or self.today).isoformat()}
        for name, rows in self._lists:
            out[name] = [row.to_json() for row in rows]
        return out


def review(snapshot: Snapshot, today: dt.date) -> Review:
    """The daily review: every registered section's rows for ``today``."""
    return Review(today, **{entry.name: entry.rule(snapshot, today) for entry in SECTIONS})
