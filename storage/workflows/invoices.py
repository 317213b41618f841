"""Invoices: numbering, drafts and issue, payments, the reminder ladder and the
chase, write-off, hold, void; invoicing delivered jobs and retainer months."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from tinydb import where

from ..core import StoreCore, changed_fields
from ..errors import NotFound, ValidationError, field_label
from ..i18n import _, active
from ..models import (
    Channel,
    Client,
    Contact,
    ContactKind,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    LineItem,
    Payment,
    Promise,
    PromiseStatus,
    Reminder,
    Settings,
)
from ..scheduler import Chase, chase, final_notice_days_of, ladder_of, period_words
from ..values import format_money, money_str, parse_money

_PERIOD = re.compile(r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$")

class ReminderNotDue(ValidationError):
    """A reminder the ladder does not call for today. Its text is the one line
    to show: "reminder 2 is due on 2026-12-08", "final notice sent: escalate
    after 2026-12-11"."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.field = "reminder"
        self.label = field_label("reminder")
        self.message = message



class InvoiceWorkflows(StoreCore):
    """An invoice's life, from draft to paid (or void, or written off)."""

    def add_retainer_invoice(self, client_id: str, period: str, *, issued: dt.date) -> Invoice:
        """The invoice for one month of the client's retainer: one line (what it
        covers, the month) at the monthly fee. A month is never invoiced twice:
        a period already on an invoice that is not void is refused."""
        client = self.get(Client, client_id)
        retainer = client.retainer
        if retainer is None:
            raise ValidationError("retainer", _("{client} has no retainer").format(client=client.name))
        if not _PERIOD.match(period):
            raise ValidationError("period", _("{period!r} is not a month like 2026-12").format(period=period))
        language = str(self.settings().language)
        month = period_words(period, language)
        return self.add_invoice(
            client.id,
            [LineItem(description=f"{retainer.covers}, {month}", quantity=Decimal(1), unit_price=retainer.amount)],
            issued=issued,
            currency=retainer.currency,
            period=period,
        )

    # -- invoices ----------------------------------------------------------- #

    def next_invoice_number(self, year: int) -> str:
        """Peek at the number the next invoice of ``year`` would get."""
        counters = self.settings().counters
        used = self._max_number_used(year)
        return f"{year}-{max(int(counters.get(f'invoice-{year}', 0)), used) + 1:03d}"

    def _max_number_used(self, year: int) -> int:
        pattern = re.compile(rf"^{year}-(\d+)$")
        best = 0
        for doc in self._table(Invoice).all():
            match = pattern.match(str(doc.get("number", "")))
            if match:
                best = max(best, int(match.group(1)))
        return best

    def add_invoice(
        self,
        client_id: str,
        items: list[LineItem],
        *,
        issued: dt.date,
        currency: str | None = None,
        terms_days: int | None = None,
        number: str | None = None,
        status: InvoiceStatus = InvoiceStatus.SENT,
        job_ids: list[str] | None = None,
        period: str | None = None,
    ) -> Invoice:
        """A new invoice, numbered ``YYYY-NNN`` unless a number is given; a
        draft takes no number (it gets the next one when it is issued, so the
        issued sequence has no gaps). Its tax lines are the client's, else the
        settings' defaults, as they are now.

        Jobs on it become ``invoiced``, and their invoicing promises are kept.
        ``period`` (``YYYY-MM``) makes it a retainer's invoice for that month:
        refused when that month of that client is already on an invoice that is
        not void.
        """
        with self.transaction():
            client = self.get(Client, client_id)
            if period is not None:
                for doc in self._table(Invoice).all():
                    if (
                        doc.get("client_id") == client.id
                        and doc.get("period") == period
                        and doc.get("status") != "void"
                    ):
                        raise ValidationError(
                            "period", _("{client}'s retainer for {period} is already on invoice {invoice}").format(
                                client=client.name, period=period, invoice=doc.get('number'))
                        )
            currency = currency or client.currency
            items = [
                item.replace(unit_price=parse_money(item.unit_price, currency, "unit_price"))
                for item in items
            ]
            jobs = self._jobs_to_invoice(client, job_ids or [])
            if status is InvoiceStatus.DRAFT:
                if number:
                    raise ValidationError("number", _("a draft has no number; it gets one when it is issued"))
                number = ""
            elif number is not None:
                number = _invoice_number(number)
            if number is None:
                number = self._take_number(issued.year)
            elif number and self._table(Invoice).contains(where("number") == number):
                raise ValidationError("number", _("invoice {number} already exists").format(number=number))
            taxes, tax_note = self._taxes_for(client)
            invoice = self._insert(
                Invoice(
                    number=number,
                    client_id=client.id,
                    job_ids=list(job_ids or []),
                    items=items,
                    currency=currency,
                    issued=issued,
                    terms_days=client.terms_days if terms_days is None else terms_days,
                    status=status,
                    tax_lines=taxes,
                    tax_note=tax_note,
                    period=period,
                )
            )
            for job in jobs:
                job_id = job.id
                self._save(job.replace(status=JobStatus.INVOICED, delivered=job.delivered or issued))
                for promise in self.all(Promise):
                    if (
                        promise.job_id == job_id
                        and promise.status is PromiseStatus.OPEN
                        and promise.auto == "invoice"
                    ):
                        self._save(promise.replace(status=PromiseStatus.KEPT, closed=issued))
            return invoice

    def _take_number(self, year: int) -> str:
        """The next number of ``year``'s sequence, taken (inside a transaction)."""
        return f"{year}-{self._next_number(f'invoice-{year}', self._max_number_used(year)):03d}"

    def _taxes_for(self, client: Client) -> tuple[list[Any], str]:
        """The tax lines a new invoice of ``client`` carries, and its note."""
        settings = Settings.from_doc(dict(self._settings_doc()))
        lines = client.tax_lines if client.tax_lines is not None else settings.tax_lines
        return [line.replace() for line in lines], client.tax_note

    def issue_invoice(self, number_or_id: str, on: dt.date) -> Invoice:
        """Issue a draft: the next number of ``on``'s year, dated ``on``, with
        the tax lines that apply now; from then on it is ``sent``."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.DRAFT:
                raise ValidationError("invoice", _("invoice {number} is {status}, not a draft").format(
                    number=invoice.label, status=invoice.status))
            taxes, tax_note = self._taxes_for(self.get(Client, invoice.client_id))
            return self._save(invoice.replace(number=self._take_number(on.year), issued=on,
                                              status=InvoiceStatus.SENT, tax_lines=taxes, tax_note=tax_note))

    def _jobs_to_invoice(self, client: Client, job_ids: list[str]) -> list[Job]:
        """The jobs an invoice is to cover: each once, the client's, delivered
        and not on another invoice that is not void."""
        if len(set(job_ids)) != len(job_ids):
            raise ValidationError("jobs", _("the same job is listed twice"))
        waiting = {job.id for job in self.snapshot().jobs_to_invoice(client.id)}
        jobs = []
        for job_id in job_ids:
            job = self.get(Job, job_id)
            if job.client_id != client.id:
                raise ValidationError("jobs", _("job {id} belongs to another client").format(id=job_id))
            if job.id in waiting:
                jobs.append(job)
                continue
            if job.status in (JobStatus.DELIVERED, JobStatus.INVOICED):
                raise ValidationError("jobs", _("job {id} is already invoiced").format(id=job_id))
            raise ValidationError("jobs", _("job {id} is {status}, not delivered: deliver it first").format(
                id=job_id, status=job.status))
        return jobs

    def find_invoice(self, number_or_id: str) -> Invoice:
        if not number_or_id.strip():
            raise NotFound(_("no invoice numbered ''"))
        doc = self._table(Invoice).get((where("number") == number_or_id) | (where("id") == number_or_id))
        if doc is None:
            raise NotFound(_("no invoice numbered {number!r}").format(number=number_or_id))
        return Invoice.from_doc(dict(doc))

    @staticmethod
    def _check_status_change(invoice: Invoice, status: InvoiceStatus) -> None:
        """The invoice's life cycle, whichever door the change comes through (the
        edit form, ``invoice void``...): a draft is issued or voided; a sent
        invoice is voided (if nothing was paid on it) or written off (if
        something is still owed); a written-off one may be reopened; a void
        one stays void (it keeps its number), and an issued one is never a
        draft again."""
        old = invoice.status
        if status is old:
            return
        number = invoice.number
        if old is InvoiceStatus.VOID:
            raise ValidationError(
                "status", _("invoice {number} is void and stays so (it keeps its number); add a new one").format(
                    number=number)
            )
        if status is InvoiceStatus.DRAFT:
            raise ValidationError("status", _(
                "invoice {number} is {old}: an issued invoice is never a draft again").format(number=number, old=old))
        if status is InvoiceStatus.VOID and invoice.payments:
            raise ValidationError("status", _(
                "invoice {number} has payments recorded; write off what is left instead").format(number=number))
        if status is InvoiceStatus.WRITTEN_OFF:
            if old is not InvoiceStatus.SENT:
                raise ValidationError("status", _(
                    "invoice {number} is {old}; only a sent invoice is written off").format(number=number, old=old))
            if invoice.outstanding <= 0:
                raise ValidationError("status", _("invoice {number} is paid; there is nothing to write off").format(
                    number=number))

    def update_invoice(self, number_or_id: str, *, base: Invoice | None = None, **changes: Any) -> Invoice:
        """Change an invoice, within its life cycle (:meth:`_check_status_change`).
        A draft whose status becomes ``sent`` is issued (the next number, today's
        tax lines). With ``base`` (what the form read), only the fields the user
        changed, and one changed elsewhere meanwhile is refused (EditConflict)."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            changes = changed_fields(invoice, base, changes)
            if not changes and base is not None:
                return invoice
            status = InvoiceStatus(changes.get("status", invoice.status))
            self._check_status_change(invoice, status)
            if invoice.status is InvoiceStatus.DRAFT and status is InvoiceStatus.SENT:
                issued = changes.get("issued") or invoice.issued or self.today()
                issued_now = self.issue_invoice(invoice.id, issued)
                rest = {k: v for k, v in changes.items() if k not in ("status", "number", "issued")}
                return self.update_invoice(issued_now.id, **rest) if rest else issued_now
            if "number" in changes:
                changes["number"] = _invoice_number(changes["number"])
            new_number = changes.get("number")
            if (
                new_number
                and new_number != invoice.number
                and self._table(Invoice).contains(where("number") == new_number)
            ):
                raise ValidationError("number", _("invoice {number} already exists").format(number=new_number))
            updated = self._save(invoice.replace(**changes))
            if updated.status is InvoiceStatus.VOID and invoice.status is not InvoiceStatus.VOID:
                # A voided invoice no longer bills its jobs: they are to invoice again.
                for job_id in updated.job_ids:
                    job = self.get(Job, job_id)
                    if job.status is JobStatus.INVOICED:
                        self._save(job.replace(status=JobStatus.DELIVERED))
            return updated

    def record_payment(self, number_or_id: str, amount: Decimal | str | None, on: dt.date) -> Invoice:
        """A payment; the amount defaults to what is outstanding. Overpaying is refused."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.SENT:
                raise ValidationError(
                    "status", _("invoice {number} is {status}, not sent; it cannot take a payment").format(
                        number=invoice.number, status=invoice.status)
                )
            outstanding = invoice.outstanding
            if outstanding <= 0:
                raise ValidationError("amount", _("invoice {number} is already paid in full").format(
                    number=invoice.number))
            value = outstanding if amount is None else parse_money(amount, invoice.currency)
            if value <= 0:
                raise ValidationError("amount", _("must be greater than 0"))
            if value > outstanding:
                raise ValidationError(
                    "amount",
                    _("{amount} is more than the {outstanding} outstanding on {number}").format(
                        amount=format_money(value, invoice.currency, active()),
                        outstanding=format_money(outstanding, invoice.currency, active()), number=invoice.number),
                )
            return self._save(invoice.replace(payments=[*invoice.payments, Payment(date=on, amount=value)]))

    def delete_payment(self, number_or_id: str, index: int, *, on: dt.date | None = None) -> Invoice:
        """Remove the ``index``-th payment (in the order recorded) of an
        invoice: one recorded by mistake. What is outstanding grows back.
        ``on``: the date the screen showed for it; another date there now (the
        invoice changed in another session) is refused."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if not 0 <= index < len(invoice.payments) or on not in (None, invoice.payments[index].date):
                raise NotFound(_("invoice {number} has no such payment (any more); nothing was deleted").format(
                    number=invoice.number))
            payments = [p for i, p in enumerate(invoice.payments) if i != index]
            return self._save(invoice.replace(payments=payments))

    def delete_reminder(self, number_or_id: str, index: int, *, on: dt.date | None = None) -> Invoice:
        """Remove the ``index``-th reminder (in the order sent) of an invoice:
        one logged that was never sent. The contact logged with it is a
        history entry of its own. ``on`` as for :meth:`delete_payment`."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if not 0 <= index < len(invoice.reminders) or on not in (None, invoice.reminders[index].date):
                raise NotFound(_("invoice {number} has no such reminder (any more); nothing was deleted").format(
                    number=invoice.number))
            reminders = [r for i, r in enumerate(invoice.reminders) if i != index]
            return self._save(invoice.replace(reminders=reminders))

    def add_reminder(
        self,
        number_or_id: str,
        on: dt.date,
        *,
        channel: Channel = Channel.EMAIL,
        level: int | None = None,
        force: bool = False,
    ) -> Invoice:
        """Record that a payment reminder was sent, and log it as a contact.

        Only a reminder the ladder says is due on ``on`` is recorded (see
        :func:`storage.scheduler.chase`): anything else raises
        :class:`ReminderNotDue` saying when the next one is due, or that the
        invoice is on hold or past its final notice. ``force`` records it
        anyway (as the next level, or again as the final notice once the
        ladder is done). ``level`` is what the draft was written as; it is
        recorded only when it is the level due.
        """
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.SENT:
                raise ValidationError(
                    "status", _("invoice {number} is {status}; only sent invoices are chased").format(
                        number=invoice.number, status=invoice.status)
                )
            if invoice.outstanding <= 0:
                raise ValidationError("invoice", _("invoice {number} is paid; there is nothing to chase").format(
                    number=invoice.number))
            snap = self.snapshot()
            ladder = ladder_of(snap)
            state = chase(invoice, ladder, on, final_notice_days_of(snap))
            if not state.is_due and not force:
                raise ReminderNotDue(state.why_not(invoice.number))
            due_level = state.level if state.level is not None else len(ladder)
            if level is not None and level != due_level and not force:
                raise ReminderNotDue(f"reminder {due_level} is due, not reminder {level}")
            level = due_level if level is None or not force else min(max(level, 1), len(ladder))
            invoice = self._save(
                invoice.replace(reminders=[*invoice.reminders, Reminder(date=on, level=level, channel=channel)])
            )
            self._insert(
                Contact(
                    client_id=invoice.client_id,
                    date=on,
                    channel=channel,
                    summary=f"Payment reminder {level} for invoice {invoice.number}",
                    kind=ContactKind.REMINDER,
                )
            )
            return invoice

    def write_off(self, number_or_id: str, on: dt.date) -> Invoice:
        """Give up on what is still owed: the invoice becomes ``written_off`` (it
        keeps its number and payments) and it is no longer chased. Logged on the
        client's history."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            self._check_status_change(invoice, InvoiceStatus.WRITTEN_OFF)  # the life cycle's one rule
            saved = self._save(invoice.replace(status=InvoiceStatus.WRITTEN_OFF))
            self._insert(
                Contact(client_id=invoice.client_id, date=on, channel=Channel.EMAIL, kind=ContactKind.OTHER,
                        summary=f"Invoice {invoice.number} written off: "
                                f"{money_str(invoice.outstanding, invoice.currency)} {invoice.currency} unpaid")
            )
            return saved

    def log_call(self, number_or_id: str, on: dt.date, note: str = "") -> Invoice:
        """The escalation call about an unpaid invoice: a contact (a call, kind
        reminder) and the invoice's ``called`` date, which the screens show."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.SENT or invoice.outstanding <= 0:
                raise ValidationError(
                    "invoice", _("invoice {number} is not owed; there is no one to call about it").format(
                        number=invoice.number)
                )
            saved = self._save(invoice.replace(called=on))
            summary = f"Called about unpaid invoice {invoice.number}"
            self._insert(
                Contact(client_id=invoice.client_id, date=on, channel=Channel.CALL, kind=ContactKind.REMINDER,
                        summary=f"{summary}: {note}" if note.strip() else summary)
            )
            return saved

    def reminder_state(self, number_or_id: str, on: dt.date) -> Chase:
        """Where the invoice stands on the ladder on ``on``
        (:class:`~storage.scheduler.Chase`): what :meth:`add_reminder` allows."""
        snap = self.snapshot()
        return chase(snap.invoice(number_or_id), ladder_of(snap), on, final_notice_days_of(snap))

    def set_hold(self, number_or_id: str, on_hold: bool) -> Invoice:
        """Put a sent invoice on hold (disputed, or agreed to wait: no reminder
        falls due), or release it. Only a sent invoice is ever chased, so only
        one can be held; releasing is always allowed."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if on_hold and invoice.status is not InvoiceStatus.SENT:
                raise ValidationError(
                    "status", _("invoice {number} is {status}; only a sent invoice is put on hold").format(
                        number=invoice.number, status=invoice.status)
                )
            return self._save(invoice.replace(on_hold=on_hold))

    def void_invoice(self, number_or_id: str) -> Invoice:
        """Cancel an invoice made in error. It keeps its number (no gap in the
        sequence); its jobs are to invoice again. One that has taken a payment
        is not voided: write off what is left instead."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.SENT):
                raise ValidationError("status", _("invoice {number} is already {status}").format(
                    number=invoice.number, status=invoice.status))
            return self.update_invoice(invoice.id, status=InvoiceStatus.VOID, on_hold=False)

    def invoice_jobs(
        self,
        client_id: str,
        job_ids: list[str],
        *,
        issued: dt.date,
        status: InvoiceStatus = InvoiceStatus.SENT,
        terms_days: int | None = None,
        number: str | None = None,
    ) -> Invoice:
        """One invoice for ``job_ids``: one line per job, its title at its agreed
        price, in the jobs' currency. Each job must be the client's, priced, and
        not already on an invoice that stands (void ones do not count)."""
        if not job_ids:
            raise ValidationError("jobs", _("name at least one job"))
        if len(set(job_ids)) != len(job_ids):
            raise ValidationError("jobs", _("a job is named twice"))
        with self.transaction():
            client = self.get(Client, client_id)
            billed = self.snapshot().invoiced_job_ids
            jobs = [self.get(Job, job_id) for job_id in job_ids]
            for job in jobs:
                if job.client_id != client.id:
                    raise ValidationError("jobs", _("job {id} belongs to another client").format(id=job.id))
                if job.id in billed or job.status in (JobStatus.INVOICED, JobStatus.CLOSED):
                    raise ValidationError("jobs", _("job {id} ({title}) is already invoiced").format(
                        id=job.id, title=job.title))
                if job.price is None:
                    raise ValidationError("jobs", _("job {id} ({title}) has no agreed price: set it first").format(
                        id=job.id, title=job.title))
            currency = jobs[0].currency
            if any(job.currency != currency for job in jobs):
                raise ValidationError("jobs", _("these jobs are in different currencies: invoice them one at a time"))
            items = [LineItem(description=job.title, quantity=Decimal(1), unit_price=job.price)
                     for job in jobs if job.price is not None]  # each was checked above
            return self.add_invoice(client.id, items, issued=issued, currency=currency, terms_days=terms_days,
                                    number=number, status=status, job_ids=[job.id for job in jobs])

def _invoice_number(number: str) -> str:
    """An invoice number as stored: no spaces around it, so `` 2026-001`` is
    ``2026-001`` (and clashes with it). Inside, it is text as typed, shown
    with its controls made visible like any other."""
    if not isinstance(number, str):
        raise ValidationError("number", _("expected text"))
    number = number.strip()
    if not number:
        raise ValidationError("number", _("is required"))
    return number


