"""Each rule has one home in storage/, and every door obeys it: the scheduler,
the store's checks and the CLI ask the same function, so they cannot drift."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage import errors, invoicing, scheduler
from storage.models import Client, Invoice, InvoicingRule, Job, LineItem, Reminder
from storage.store import EditConflict, ReminderNotDue
from storage.values import ValidationError

DAY = dt.date(2026, 11, 27)


@pytest.fixture
def acme(store):
    return store.add_client(Client(name="Acme", since=dt.date(2025, 1, 1), rate=Decimal("100"),
                                   invoice_within_hours=48))


def test_delivered_not_yet_invoiced_is_one_list_that_the_scheduler_and_the_store_share(store, acme):
    jobs = {title: store.add_job(Job(client_id=acme.id, title=title, price=Decimal("10"), currency="EUR"))
            for title in ("Logo", "Site", "Draft", "Voided")}
    store.deliver_job(jobs["Site"].id, DAY - dt.timedelta(days=3))
    store.deliver_job(jobs["Logo"].id, DAY)
    store.deliver_job(jobs["Voided"].id, DAY - dt.timedelta(days=1))
    voided = store.invoice_jobs(acme.id, [jobs["Voided"].id], issued=DAY)
    store.void_invoice(voided.id)  # a void invoice leaves its jobs still to invoice

    waiting = store.snapshot().jobs_to_invoice(acme.id)
    assert [j.title for j in waiting] == ["Site", "Voided", "Logo"]  # oldest delivery first
    assert {r.job_id for r in scheduler.to_invoice(store.snapshot(), DAY) if r.kind != "retainer"} == {
        j.id for j in waiting}
    with pytest.raises(ValidationError, match="not delivered"):
        store.invoice_jobs(acme.id, [jobs["Draft"].id], issued=DAY)

    store.invoice_jobs(acme.id, [jobs["Site"].id], issued=DAY)
    assert [j.title for j in store.snapshot().jobs_to_invoice()] == ["Voided", "Logo"]
    with pytest.raises(ValidationError, match="already invoiced"):
        store.invoice_jobs(acme.id, [jobs["Site"].id], issued=DAY)
    assert store.snapshot().jobs_to_invoice("client-99") == []


@pytest.mark.parametrize(("rule", "hours", "delivered", "due"), [
    (InvoicingRule.ON_DELIVERY, 48, DAY, DAY + dt.timedelta(days=2)),
    (InvoicingRule.ON_DELIVERY, 0, DAY, DAY),
    (InvoicingRule.ON_DELIVERY, 25, DAY, DAY + dt.timedelta(days=2)),
    (InvoicingRule.MONTHLY, 24, dt.date(2028, 2, 3), dt.date(2028, 2, 29)),
])
def test_the_invoicing_promise_and_the_to_invoice_row_share_one_due_date(store, rule, hours, delivered, due):
    client = store.add_client(Client(name="Beta", since=dt.date(2025, 1, 1), invoicing=rule,
                                     invoice_within_hours=hours))
    job = store.add_job(Job(client_id=client.id, title="Work", price=Decimal("5"), currency="EUR"))
    store.deliver_job(job.id, delivered)
    assert scheduler.to_invoice_due_on(delivered, rule, hours) == due
    [row] = [r for r in scheduler.to_invoice(store.snapshot(), DAY) if r.job_id == job.id]
    assert row.due_on == due
    promises = [p for p in store.snapshot().promises if p.job_id == job.id]
    if rule is InvoicingRule.ON_DELIVERY:
        assert [p.due for p in promises] == [due]
    else:
        assert promises == []  # monthly clients get no per-job promise


def test_reminders_sent_is_one_count():
    assert invoicing.reminders_sent is scheduler.reminders_sent
    by_hand = Invoice(id="invoice-1", client_id="c", number="2026-001", issued=DAY,
                      items=[LineItem(description="x", unit_price=Decimal(1))],
                      reminders=[Reminder(date=DAY, level=3)])
    assert scheduler.reminders_sent(by_hand) == 3  # a final notice by hand: the ladder is done
    assert scheduler.reminders_sent(by_hand.replace(reminders=[])) == 0


@pytest.mark.parametrize("cls", [errors.ValidationError, errors.NotFound, errors.StorageError,
                                 errors.DataFileError, EditConflict, ReminderNotDue])
def test_every_refusal_is_a_user_error(cls):
    assert issubclass(cls, errors.UserError)
    assert not issubclass(errors.UserError, ValueError)  # so a bug's ValueError is not shown as a refusal


def test_the_older_homes_of_the_errors_are_the_same_classes():
    from storage import jsonfile, snapshot, store, values

    assert values.ValidationError is store.ValidationError is errors.ValidationError
    assert snapshot.NotFound is store.NotFound is errors.NotFound
    assert jsonfile.StorageError is errors.StorageError and jsonfile.DataFileError is errors.DataFileError


def test_the_cli_obeys_the_stores_rules(store, acme, data_path, run_cli):
    store.add_job(Job(client_id=acme.id, title="Logo", price=Decimal("10"), currency="EUR"))
    refused = {
        ("rate", "propose", "Acme", "50"): "a raise must be above the current 100.00 EUR",
        ("rate", "propose", "Acme", "100"): "a raise must be above the current 100.00 EUR",
        ("invoice", "add", "Acme", "--job", "job-1"): "not delivered",
    }
    before = data_path.read_bytes()
    for args, message in refused.items():
        result = run_cli(*args)
        assert result.rc == 1 and message in result.stderr, (args, result)
        assert result.stderr.startswith("rapport: ")
    assert data_path.read_bytes() == before  # nothing was written
    assert run_cli("rate", "propose", "Acme", "120").rc == 0
