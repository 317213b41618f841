"""Jobs, changes of brief and promises: delivery makes the invoicing promise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core import StoreCore
from ..errors import ValidationError
from ..i18n import _
from ..models import (
    Change,
    ChangeStatus,
    Channel,
    Client,
    Contact,
    ContactKind,
    InvoicingRule,
    Job,
    JobStatus,
    Promise,
    PromiseStatus,
)
from ..scheduler import invoice_promise_text, to_invoice_due_on
from ..values import money_str, parse_money


class JobWorkflows(StoreCore):
    """A job's life: proposed, active, delivered; its changes and promises."""

    # -- jobs, changes, promises ---------------------------------------------#

    def add_job(self, job: Job) -> Job:
        with self.transaction():
            client = self.get(Client, job.client_id)
            if job.price is not None and job.currency != client.currency and job.currency == "EUR":
                job = job.replace(currency=client.currency)
            if job.price is not None:
                job = job.replace(price=parse_money(job.price, job.currency, "price"))
            return self._insert(job)

    def update_job(self, job_id: str, **changes: Any) -> Job:
        return self._change(Job, job_id, **changes)

    def deliver_job(self, job_id: str, on: dt.date) -> Job:
        """Mark delivered; under ``on_delivery`` this makes the invoicing promise."""
        with self.transaction():
            job = self.get(Job, job_id)
            if job.status not in (JobStatus.PROPOSED, JobStatus.ACTIVE):
                raise ValidationError("status", _("job {id} is already {status}").format(id=job.id, status=job.status))
            client = self.get(Client, job.client_id)
            job = self._save(job.replace(status=JobStatus.DELIVERED, delivered=on))
            if client.invoicing is InvoicingRule.ON_DELIVERY:
                hours = client.invoice_within_hours
                self._insert(
                    Promise(
                        client_id=client.id,
                        job_id=job.id,
                        text=invoice_promise_text(job.title, hours),
                        due=to_invoice_due_on(on, client.invoicing, hours),
                        auto="invoice",
                    )
                )
            return job

    def add_change(self, change: Change) -> Change:
        with self.transaction():
            job = self.get(Job, change.job_id)
            change = change.replace(client_id=job.client_id)
            if change.price is not None:
                change = change.replace(price=parse_money(change.price, job.currency, "price"))
            return self._insert(change)

    def answer_change(self, change_id: str, answer: str, on: dt.date) -> Change:
        """Accept (the job takes the new price/deadline, old values kept) or decline."""
        status = ChangeStatus(answer)
        if status not in (ChangeStatus.ACCEPTED, ChangeStatus.DECLINED):
            raise ValidationError("answer", _("must be accepted or declined"))
        with self.transaction():
            change = self.get(Change, change_id)
            if change.status not in (ChangeStatus.PROPOSED, ChangeStatus.DRAFT):
                raise ValidationError("status", _("change {id} was already {status}").format(
                    id=change.id, status=change.status))
            if status is ChangeStatus.ACCEPTED:
                job = self.get(Job, change.job_id)
                history = [
                    *job.history,
                    {
                        "date": on.isoformat(),
                        "change_id": change.id,
                        "what": change.what,
                        "price": None if job.price is None else money_str(job.price, job.currency),
                        "deadline": None if job.deadline is None else job.deadline.isoformat(),
                    },
                ]
                updates: dict[str, Any] = {"history": history}
                if change.price is not None:
                    updates["price"] = change.price
                if change.deadline is not None:
                    updates["deadline"] = change.deadline
                self._save(job.replace(**updates))
            return self._save(change.replace(status=status, answered=on, sent=change.sent or on))

    def propose_change(self, change_id: str, on: dt.date) -> Change:
        """A drafted change of brief sent to the client: ``proposed`` from ``on``,
        and the proposal logged as a contact. The answer is awaited from then."""
        with self.transaction():
            change = self.get(Change, change_id)
            if change.status is not ChangeStatus.DRAFT:
                raise ValidationError("status", _("change {id} is already {status}").format(
                    id=change.id, status=change.status))
            job = self.get(Job, change.job_id)
            self._insert(
                Contact(
                    client_id=job.client_id,
                    date=on,
                    channel=Channel.EMAIL,
                    summary=f"Proposed a change to {job.title}: {change.what}"[:10_000],
                    kind=ContactKind.PROPOSAL,
                )
            )
            return self._save(change.replace(status=ChangeStatus.PROPOSED, sent=on))

    def add_promise(self, promise: Promise) -> Promise:
        with self.transaction():
            self.get(Client, promise.client_id)
            if promise.job_id:
                self.get(Job, promise.job_id)
            return self._insert(promise)

    def postpone_promise(self, promise_id: str, due: dt.date) -> Promise:
        with self.transaction():
            promise = self.get(Promise, promise_id)
            if promise.status is not PromiseStatus.OPEN:
                raise ValidationError("status", _("promise {id} is already {status}").format(
                    id=promise.id, status=promise.status))
            return self._save(promise.replace(due=due))

    def close_promise(self, promise_id: str, status: str, on: dt.date) -> Promise:
        final = PromiseStatus(status)
        if final is PromiseStatus.OPEN:
            raise ValidationError("status", _("must be kept, broken or dropped"))
        with self.transaction():
            promise = self.get(Promise, promise_id)
            if promise.status is not PromiseStatus.OPEN:
                raise ValidationError("status", _("promise {id} is already {status}").format(
                    id=promise.id, status=promise.status))
            return self._save(promise.replace(status=final, closed=on))

