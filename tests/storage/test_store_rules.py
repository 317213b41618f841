"""The rules the store enforces for every door: the screens, the CLI, a script.

Each was once only in a form (a raise above the current rate, invoicing jobs
one line each, the reminder ladder) or nowhere (the invoice's life cycle,
templates' placeholders); now the store refuses, and the form and the CLI
both show its message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage.models import Client, InvoiceStatus, Job, JobStatus, LineItem, Payment
from storage.store import NotFound, ValidationError
from storage.templates import default_template

DAY = dt.date(2026, 11, 27)


@pytest.fixture
def acme(store):
    return store.add_client(Client(name="Acme", since=dt.date(2025, 1, 1), rate=Decimal("60")))


def test_a_raise_must_be_above_the_current_rate(store, acme):
    for amount in ("60", "59.99", "0"):
        with pytest.raises(ValidationError, match="above the current 60.00 EUR|greater than 0"):
            store.propose_rate(acme.id, amount, DAY)
    assert store.pending_rate(acme.id) is None
    assert store.propose_rate(acme.id, "60.01", DAY).amount == Decimal("60.01")


def test_invoicing_jobs_makes_one_line_per_job_and_checks_each(store, acme):
    other = store.add_client(Client(name="Other", since=DAY))
    logo = store.add_job(Job(client_id=acme.id, title="Logo", price=Decimal("300"), currency="EUR"))
    site = store.add_job(Job(client_id=acme.id, title="Site", price=Decimal("1200.5"), currency="EUR"))
    unpriced = store.add_job(Job(client_id=acme.id, title="Advice", currency="EUR"))
    for job in (logo, site, unpriced):  # only delivered work is invoiced
        store.deliver_job(job.id, DAY)
    theirs = store.add_job(Job(client_id=other.id, title="Theirs", price=Decimal("1"), currency="EUR"))
    with pytest.raises(ValidationError, match="no agreed price"):
        store.invoice_jobs(acme.id, [logo.id, unpriced.id], issued=DAY)
    with pytest.raises(ValidationError, match="another client"):
        store.invoice_jobs(acme.id, [theirs.id], issued=DAY)
    with pytest.raises(ValidationError, match="named twice"):
        store.invoice_jobs(acme.id, [logo.id, logo.id], issued=DAY)
    with pytest.raises(NotFound):
        store.invoice_jobs(acme.id, ["job-99"], issued=DAY)
    assert store.snapshot().invoices == []  # nothing saved

    invoice = store.invoice_jobs(acme.id, [logo.id, site.id], issued=DAY)
    assert [(i.description, i.quantity, i.unit_price) for i in invoice.items] == [
        ("Logo", 1, Decimal("300.00")), ("Site", 1, Decimal("1200.50"))]
    assert invoice.total == Decimal("1500.50") and invoice.job_ids == [logo.id, site.id]
    assert store.get(Job, logo.id).status is JobStatus.INVOICED
    with pytest.raises(ValidationError, match="already invoiced"):
        store.invoice_jobs(acme.id, [logo.id], issued=DAY)
    # voiding the invoice gives the jobs back to invoice
    store.void_invoice(invoice.number)
    assert store.get(Job, logo.id).status is JobStatus.DELIVERED
    again = store.invoice_jobs(acme.id, [logo.id], issued=DAY)
    assert [i.description for i in again.items] == ["Logo"]


def test_jobs_in_two_currencies_are_invoiced_one_at_a_time(store, acme):
    eur = store.add_job(Job(client_id=acme.id, title="A", price=Decimal("1"), currency="EUR"))
    usd = store.add_job(Job(client_id=acme.id, title="B", price=Decimal("1"), currency="USD"))
    with pytest.raises(ValidationError, match="different currencies"):
        store.invoice_jobs(acme.id, [eur.id, usd.id], issued=DAY)


def _invoice(store, client, status=InvoiceStatus.SENT, paid: str | None = None):
    invoice = store.add_invoice(client.id, [LineItem(description="Work", unit_price=Decimal("100"))], issued=DAY,
                                status=status)
    if paid:
        invoice = store.record_payment(invoice.number, paid, DAY)
    return invoice


LIFE = [
    # (from, paid, to, allowed or the words of the refusal)
    ("draft", None, "sent", True),
    ("draft", None, "void", True),
    ("sent", None, "void", True),
    ("sent", "40", "void", "write off what is left"),
    ("sent", "40", "written_off", True),
    ("sent", "100", "written_off", "nothing to write off"),
    ("sent", None, "draft", "never a draft again"),
    ("draft", None, "written_off", "only a sent invoice"),
    ("void", None, "sent", "stays so"),
    ("written_off", None, "sent", True),
]


@pytest.mark.parametrize(("start", "paid", "to", "expected"), LIFE, ids=[f"{a}{'+paid' if p else ''}->{b}"
                                                                       for a, p, b, _ in LIFE])
def test_the_invoice_life_cycle_whatever_the_door(store, acme, start, paid, to, expected):
    invoice = _invoice(store, acme, InvoiceStatus.DRAFT if start == "draft" else InvoiceStatus.SENT, paid)
    if start in ("void", "written_off"):
        invoice = store.update_invoice(invoice.id, status=InvoiceStatus(start))
    if expected is True:
        assert store.update_invoice(invoice.id, status=InvoiceStatus(to)).status == to
    else:
        with pytest.raises(ValidationError, match=expected):
            store.update_invoice(invoice.id, status=InvoiceStatus(to))
        assert store.find_invoice(invoice.id).status == start


def test_issue_hold_and_write_off(store, acme):
    draft = _invoice(store, acme, InvoiceStatus.DRAFT)
    with pytest.raises(ValidationError, match="only a sent invoice is put on hold"):
        store.set_hold(draft.id, True)
    issued = store.issue_invoice(draft.id, dt.date(2026, 12, 1))
    assert (issued.status, issued.issued, issued.number) == (InvoiceStatus.SENT, dt.date(2026, 12, 1), "2026-001")
    with pytest.raises(ValidationError, match="not a draft"):
        store.issue_invoice(issued.number, DAY)
    assert store.set_hold(issued.number, True).on_hold is True
    written = store.write_off(issued.number, DAY)
    assert written.status is InvoiceStatus.WRITTEN_OFF
    assert store.set_hold(issued.number, False).on_hold is False  # releasing is always allowed


def test_templates_refuse_unknown_placeholders_and_reset(store):
    with pytest.raises(ValidationError, match=r"unknown placeholder \{client\.__class__\}.*client_email"):
        store.edit_template("checkin", "en", body="Hi {client.__class__}")
    with pytest.raises(NotFound, match="no template named 'haiku'"):
        store.edit_template("haiku", "en", body="x")
    edited = store.edit_template("checkin", "es", subject="Hola {client}", body="{{literal}} {client}\n")
    assert (edited.subject, edited.body) == ("Hola {client}", "{{literal}} {client}\n")
    assert store.template("checkin", "es").id == edited.id  # edited in place: one template per name and language
    assert store.template_is_edited("checkin", "es") and not store.template_is_edited("checkin", "en")
    shipped = default_template("checkin", "es")
    reset = store.reset_template("checkin", "es")
    assert (reset.subject, reset.body) == (shipped.subject, shipped.body)
    # reset removes the person's copy: the shipped file serves again, and its next wording will
    assert store.template("checkin", "es") == shipped and not store.template_is_edited("checkin", "es")
    assert store.snapshot().templates == []


def test_settings_one_key_at_a_time(store):
    assert store.set_setting("reminder_ladder", "2; 9, 16").reminder_ladder == [2, 9, 16]
    for key, value, words in [("reminder_ladder", "8, 1", "must rise"), ("reminder_ladder", "1, x", "whole days"),
                              ("timezone", "Mars/Base", "not a time zone"), ("language", "fr", "one of"),
                              ("email", "nope", "email"), ("counters", "{}", "not a setting"),
                              ("schema_version", "9", "not a setting")]:
        with pytest.raises(ValidationError, match=words):
            store.set_setting(key, value)
    assert store.settings().reminder_ladder == [2, 9, 16]
    assert store.set_setting("timezone", "").timezone == ""


def test_a_payment_does_not_bypass_the_rules(store, acme):
    invoice = _invoice(store, acme)
    store.update_invoice(invoice.id, payments=[Payment(date=DAY, amount=Decimal("10"))])
    with pytest.raises(ValidationError, match="write off"):
        store.void_invoice(invoice.number)
