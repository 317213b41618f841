"""The scheduler rules of docs/rules.md, at their edges, and their properties.

Snapshots are built directly from model objects (no file, no store), so each
test states exactly which documents exist and which day it is.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import scheduler as sch
from storage.models import (
    Change,
    ChangeStatus,
    Client,
    ClientStatus,
    Contact,
    ContactKind,
    Direction,
    Document,
    Invoice,
    InvoiceStatus,
    InvoicingRule,
    Job,
    JobStatus,
    LineItem,
    Payment,
    Promise,
    PromiseStatus,
    Rate,
    RateStatus,
    Reminder,
    Settings,
)
from storage.store import Snapshot

D = dt.date


# --------------------------------------------------------------------------- #
# Building snapshots
# --------------------------------------------------------------------------- #


def data_of(*docs: Document) -> dict:
    """TinyDB-shaped data, ``{"client": {"1": {...}}, ...}``, from model objects."""
    data: dict[str, dict[str, dict]] = {}
    for doc in docs:
        table = data.setdefault(doc.TABLE, {})
        table[str(len(table) + 1)] = doc.to_doc()
    return data


def snap(*docs: Document) -> Snapshot:
    return Snapshot(data_of(*docs))


def client(id: str = "client-1", name: str = "Acme", *, since: dt.date = D(2026, 1, 1), **kw) -> Client:  # noqa: B008
    return Client(id=id, name=name, since=since, **kw)


def contact(on: dt.date, client_id: str = "client-1", id: str = "", **kw) -> Contact:
    return Contact(id=id or f"contact-{on}-{client_id}", client_id=client_id, date=on, **kw)


def invoice(
    number: str = "2026-001",
    *,
    total: str = "100.00",
    issued: dt.date = D(2026, 1, 1),  # noqa: B008 - a date is immutable
    terms: int = 14,
    client_id: str = "client-1",
    paid: tuple[str, ...] = (),
    reminders: tuple[int, ...] = (),
    **kw,
) -> Invoice:
    return Invoice(
        id=f"invoice-{number}",
        number=number,
        client_id=client_id,
        items=[LineItem(description="work", quantity=Decimal(1), unit_price=Decimal(total))],
        issued=issued,
        terms_days=terms,
        payments=[Payment(date=issued, amount=Decimal(a)) for a in paid],
        reminders=[Reminder(date=issued, level=level) for level in reminders],
        **kw,
    )


def numbers(rows) -> list[str]:
    return [r.number for r in rows]


# --------------------------------------------------------------------------- #
# Check-ins
# --------------------------------------------------------------------------- #

CHECKIN_CASES = [
    # (id, client kwargs, contact dates, today, expected due_on or None when not due, expected days)
    ("never contacted: due from since", {}, [], D(2026, 1, 1), D(2026, 1, 1), 0),
    ("never contacted: not before since", {}, [], D(2025, 12, 31), None, None),
    ("due today", {}, [D(2026, 3, 1)], D(2026, 3, 8), D(2026, 3, 8), 0),
    ("due tomorrow is not due", {}, [D(2026, 3, 1)], D(2026, 3, 7), None, None),
    ("latest contact counts", {}, [D(2026, 3, 1), D(2026, 3, 5), D(2026, 2, 1)], D(2026, 3, 12), D(2026, 3, 12), 0),
    ("month end", {"cadence_days": 1}, [D(2026, 1, 31)], D(2026, 2, 1), D(2026, 2, 1), 0),
    ("29 February", {}, [D(2024, 2, 22)], D(2024, 3, 1), D(2024, 2, 29), 1),
    ("year end", {}, [D(2026, 12, 28)], D(2027, 1, 4), D(2027, 1, 4), 0),
    ("future contact is the last contact", {}, [D(2026, 3, 1), D(2026, 6, 10)], D(2026, 6, 16), None, None),
    ("future contact, then due", {}, [D(2026, 6, 10)], D(2026, 6, 17), D(2026, 6, 17), 0),
    (
        "snoozed: not before snoozed_until",
        {"snoozed_until": D(2026, 3, 10)},
        [D(2026, 3, 1)],
        D(2026, 3, 9),
        None,
        None,
    ),
    (
        "snoozed: due on snoozed_until",
        {"snoozed_until": D(2026, 3, 10)},
        [D(2026, 3, 1)],
        D(2026, 3, 10),
        D(2026, 3, 10),
        0,
    ),
    ("past snooze changes nothing", {"snoozed_until": D(2026, 3, 2)}, [D(2026, 3, 1)], D(2026, 3, 9), D(2026, 3, 8), 1),
    ("lead never due", {"status": ClientStatus.LEAD}, [], D(2027, 1, 1), None, None),
    ("paused never due", {"status": ClientStatus.PAUSED}, [D(2026, 1, 1)], D(2027, 1, 1), None, None),
    ("former never due", {"status": ClientStatus.FORMER}, [D(2026, 1, 1)], D(2027, 1, 1), None, None),
    ("cadence 30", {"cadence_days": 30}, [D(2026, 1, 31)], D(2026, 3, 5), D(2026, 3, 2), 3),
]


@pytest.mark.parametrize(
    "client_kw, contacts, today, due_on, days",
    [case[1:] for case in CHECKIN_CASES],
    ids=[case[0] for case in CHECKIN_CASES],
)
def test_checkin_rule(client_kw, contacts, today, due_on, days):
    rows = sch.checkins_due(snap(client(**client_kw), *(contact(d) for d in contacts)), today)
    if due_on is None:
        assert rows == []
    else:
        assert len(rows) == 1
        assert (rows[0].due_on, rows[0].days_overdue) == (due_on, days)
        assert rows[0].last_contact == (max(contacts) if contacts else None)


def test_checkin_counts_inbound_contacts_of_any_kind():
    s = snap(client(), contact(D(2026, 3, 1)),
             contact(D(2026, 3, 4), direction=Direction.IN, kind=ContactKind.OTHER))
    assert sch.checkins_due(s, D(2026, 3, 10)) == []
    rows = sch.checkins_due(s, D(2026, 3, 11))
    assert [(r.last_contact, r.due_on, r.days_overdue) for r in rows] == [(D(2026, 3, 4), D(2026, 3, 11), 0)]


@pytest.mark.parametrize(
    "days, expected", [(0, "amber"), (6, "amber"), (7, "red"), (30, "red")]
)
def test_checkin_severity_red_after_a_whole_extra_cadence(days, expected):
    rows = sch.checkins_due(snap(client(), contact(D(2026, 3, 1))), D(2026, 3, 8) + dt.timedelta(days=days))
    assert rows[0].days_overdue == days
    assert rows[0].severity == expected
    assert rows[0].to_json()["severity"] == expected


def test_checkins_sorted_most_overdue_first_then_name():
    rows = sch.checkins_due(
        snap(
            client("client-1", "beta", since=D(2026, 1, 5)),
            client("client-2", "Alpha", since=D(2026, 1, 5)),
            client("client-3", "Zed", since=D(2026, 1, 1)),
            client("client-4", "alpha", since=D(2026, 1, 5)),
        ),
        D(2026, 1, 10),
    )
    assert [(r.client_id, r.days_overdue) for r in rows] == [
        ("client-3", 9), ("client-2", 5), ("client-4", 5), ("client-1", 5),
    ]


def test_checkin_json_fields():
    row = sch.checkins_due(snap(client(), contact(D(2026, 3, 1))), D(2026, 3, 10))[0]
    assert row.to_json() == {
        "client": "Acme", "client_id": "client-1", "last_contact": "2026-03-01",
        "due_on": "2026-03-08", "days_overdue": 2, "cadence_days": 7, "severity": "amber",
    }
    never = sch.checkins_due(snap(client()), D(2026, 1, 3))[0]
    assert never.to_json()["last_contact"] is None


@pytest.mark.parametrize(
    "kw, last, expected",
    [
        ({}, None, D(2026, 1, 1)),
        ({}, D(2026, 2, 27), D(2026, 3, 6)),
        ({"snoozed_until": D(2026, 4, 1)}, D(2026, 2, 27), D(2026, 4, 1)),
        ({"status": ClientStatus.PAUSED}, D(2026, 2, 27), None),
        ({"status": ClientStatus.LEAD}, None, None),
    ],
)
def test_next_checkin(kw, last, expected):
    assert sch.next_checkin(client(**kw), last) == expected


# --------------------------------------------------------------------------- #
# Invoices: overdue and due soon
# --------------------------------------------------------------------------- #

INVOICE_CASES = [
    # (id, invoice kwargs, today, expected list: "overdue" | "soon" | None, days_overdue)
    ("due in 4 days: nothing", {}, D(2026, 1, 11), None, -4),
    ("due in 3 days: soon", {}, D(2026, 1, 12), "soon", -3),
    ("due tomorrow: soon", {}, D(2026, 1, 14), "soon", -1),
    ("due today: soon, not overdue", {}, D(2026, 1, 15), "soon", 0),
    ("a day past due: overdue", {}, D(2026, 1, 16), "overdue", 1),
    ("terms 0: due the day issued", {"terms": 0, "issued": D(2026, 3, 10)}, D(2026, 3, 10), "soon", 0),
    ("terms 0: overdue the next day", {"terms": 0, "issued": D(2026, 3, 10)}, D(2026, 3, 11), "overdue", 1),
    ("terms 90", {"terms": 90}, D(2026, 4, 1), "soon", 0),
    ("terms 90: overdue", {"terms": 90}, D(2026, 4, 2), "overdue", 1),
    ("29 February due date", {"issued": D(2024, 2, 15)}, D(2024, 2, 29), "soon", 0),
    ("29 February, next day", {"issued": D(2024, 2, 15)}, D(2024, 3, 1), "overdue", 1),
    ("year end", {"issued": D(2026, 12, 20)}, D(2027, 1, 4), "overdue", 1),
    ("partial payment to the cent", {"paid": ("99.99",)}, D(2026, 2, 1), "overdue", 17),
    ("payments summing to the total", {"paid": ("60.00", "40.00")}, D(2026, 2, 1), None, 17),
    ("draft never", {"status": InvoiceStatus.DRAFT}, D(2026, 2, 1), None, 17),
    ("void never", {"status": InvoiceStatus.VOID}, D(2026, 2, 1), None, 17),
    ("written off never", {"status": InvoiceStatus.WRITTEN_OFF}, D(2026, 2, 1), None, 17),
    ("on hold is still overdue", {"on_hold": True}, D(2026, 2, 1), "overdue", 17),
]


@pytest.mark.parametrize(
    "kw, today, expected, days",
    [case[1:] for case in INVOICE_CASES],
    ids=[case[0] for case in INVOICE_CASES],
)
def test_invoice_rule(kw, today, expected, days):
    s = snap(client(), invoice(**kw))
    overdue = sch.invoices_overdue(s, today)
    soon = sch.invoices_due_soon(s, today)
    assert numbers(overdue) == (["2026-001"] if expected == "overdue" else [])
    assert numbers(soon) == (["2026-001"] if expected == "soon" else [])
    for row in overdue + soon:
        assert row.days_overdue == days
        assert row.due_on == today - dt.timedelta(days=days)


def test_partial_payment_outstanding_to_the_cent_in_json():
    row = sch.invoices_overdue(snap(client(), invoice(total="1200.50", paid=("1000.00", "200.49"))), D(2026, 2, 1))[0]
    assert row.to_json() == {
        "number": "2026-001", "id": "invoice-2026-001", "client": "Acme", "client_id": "client-1",
        "currency": "EUR", "total": "1200.50", "outstanding": "0.01", "issued": "2026-01-01",
        "due_on": "2026-01-15", "days_overdue": 17, "reminders_sent": 0, "on_hold": False, "bucket": "15-30",
        # issue 16: where it stands on the ladder, and the client's habit
        "next_reminder_on": "2026-01-16", "pay_by": None, "late_payer": False, "called": None,
        "interest": None, "compensation": None,  # late-payment terms are off by default
    }


def test_invoice_json_money_uses_currency_minor_units():
    inv = invoice(total="5000", currency="JPY")
    row = sch.invoices_overdue(snap(client(), inv), D(2026, 2, 1))[0]
    assert (row.to_json()["total"], row.to_json()["outstanding"], row.to_json()["currency"]) == ("5000", "5000", "JPY")


def test_invoice_client_name_falls_back_to_id_for_a_missing_client():
    rows = sch.invoices_overdue(snap(invoice(client_id="client-9")), D(2026, 2, 1))
    assert [(r.client, r.client_id) for r in rows] == [("client-9", "client-9")]


def test_invoices_sorted_most_overdue_first_then_client_then_number():
    s = snap(
        client("client-1", "Beta"), client("client-2", "alpha"),
        invoice("2026-003", issued=D(2026, 1, 5), client_id="client-1"),
        invoice("2026-002", issued=D(2026, 1, 5), client_id="client-2"),
        invoice("2026-001", issued=D(2026, 1, 5), client_id="client-2"),
        invoice("2025-099", issued=D(2025, 12, 1), client_id="client-1"),
    )
    assert numbers(sch.invoices_overdue(s, D(2026, 2, 1))) == ["2025-099", "2026-001", "2026-002", "2026-003"]


@pytest.mark.parametrize(
    "days, bucket",
    [(1, "1-7"), (7, "1-7"), (8, "8-14"), (14, "8-14"), (15, "15-30"), (30, "15-30"),
     (31, "31-60"), (60, "31-60"), (61, "61+"), (3650, "61+")],
)
def test_aging_bucket_edges(days, bucket):
    assert sch.aging_bucket(days) == bucket


@pytest.mark.parametrize("days", [0, -1, -30])
def test_aging_bucket_refuses_not_overdue(days):
    with pytest.raises(ValueError):
        sch.aging_bucket(days)


# --------------------------------------------------------------------------- #
# Reminders
# --------------------------------------------------------------------------- #

# Invoice issued 2026-01-01 with 14-day terms: due 2026-01-15, so day N past due
# is 2026-01-15 + N.
DUE = D(2026, 1, 15)

REMINDER_CASES = [
    # (id, reminder levels sent, days past due, kwargs, expected (level, escalate) or None)
    ("due today: no reminder", (), 0, {}, None),
    ("1 day late: reminder 1", (), 1, {}, (1, False)),
    ("missed days are caught up: still reminder 1", (), 20, {}, (1, False)),
    ("after reminder 1, day 7: nothing", (1,), 7, {}, None),
    ("after reminder 1, day 8: reminder 2", (1,), 8, {}, (2, False)),
    ("after reminder 2, day 14: nothing", (1, 2), 14, {}, None),
    ("after reminder 2, day 15: final", (1, 2), 15, {}, (3, False)),
    ("after the final: escalate", (1, 2, 3), 15, {}, (None, True)),
    ("escalate stays until paid", (1, 2, 3), 200, {}, (None, True)),
    ("final sent by hand: escalate, not reminder 2", (3,), 40, {}, (None, True)),
    ("on hold: no reminder", (), 20, {"on_hold": True}, None),
    ("on hold: no escalation", (1, 2, 3), 40, {"on_hold": True}, None),
    ("paid: no reminder", (1,), 20, {"paid": ("100.00",)}, None),
    ("draft: no reminder", (), 20, {"status": InvoiceStatus.DRAFT}, None),
    ("written off: no escalation", (1, 2, 3), 40, {"status": InvoiceStatus.WRITTEN_OFF}, None),
]


@pytest.mark.parametrize(
    "sent, days, kw, expected",
    [case[1:] for case in REMINDER_CASES],
    ids=[case[0] for case in REMINDER_CASES],
)
def test_reminder_ladder(sent, days, kw, expected):
    rows = sch.reminders_due(snap(client(), invoice(reminders=sent, **kw)), DUE + dt.timedelta(days=days))
    if expected is None:
        assert rows == []
    else:
        assert [(r.level, r.escalate) for r in rows] == [expected]
        assert rows[0].days_overdue == days
        assert rows[0].reminders_sent == len(sent)


@pytest.mark.parametrize(
    "sent, days, expected",
    [((), 2, None), ((), 3, (1, False)), ((1,), 9, None), ((1,), 10, (2, False)),
     # issue 16: escalation follows the final notice's pay-by date (its date,
     # here the issue date, + 7 days), no longer the final rung's day.
     ((1, 2), 9, (None, True)), ((1, 2), 10, (None, True))],
)
def test_reminder_ladder_from_settings(sent, days, expected):
    s = snap(Settings(id="settings", reminder_ladder=[3, 10]), client(), invoice(reminders=sent))
    assert sch.ladder_of(s) == (3, 10)
    rows = sch.reminders_due(s, DUE + dt.timedelta(days=days))
    assert [(r.level, r.escalate) for r in rows] == ([] if expected is None else [expected])


def test_a_broken_ladder_falls_back_to_the_default():
    s = snap(Settings(id="settings", reminder_ladder=[]), client())
    assert sch.ladder_of(s) == (1, 8, 15)
    assert sch.ladder_of(snap(client())) == (1, 8, 15)


def test_reminder_json_has_level_and_escalate_overdue_json_does_not():
    s = snap(client(), invoice("2026-001", reminders=(1,)), invoice("2026-002", reminders=(1, 2, 3)))
    today = DUE + dt.timedelta(days=16)
    by_number = {r.number: r.to_json() for r in sch.reminders_due(s, today)}
    assert (by_number["2026-001"]["level"], by_number["2026-001"]["escalate"]) == (2, False)
    assert (by_number["2026-002"]["level"], by_number["2026-002"]["escalate"]) == (None, True)
    assert by_number["2026-001"]["reminders_sent"] == 1
    overdue = sch.invoices_overdue(s, today)
    assert all("level" not in r.to_json() and "escalate" not in r.to_json() for r in overdue)
    assert numbers(overdue) == ["2026-001", "2026-002"]


# --------------------------------------------------------------------------- #
# To invoice
# --------------------------------------------------------------------------- #


def job(id: str = "job-1", *, status: JobStatus = JobStatus.DELIVERED, delivered: dt.date | None = None, **kw) -> Job:
    return Job(id=id, client_id=kw.pop("client_id", "client-1"), title=kw.pop("title", "Logo"),
               status=status, delivered=delivered, **kw)


TO_INVOICE_CASES = [
    # (id, client kwargs, delivered, expected due_on)
    ("on delivery 24 h: next day", {"invoice_within_hours": 24}, D(2026, 3, 10), D(2026, 3, 11)),
    ("on delivery 48 h: two days", {"invoice_within_hours": 48}, D(2026, 3, 10), D(2026, 3, 12)),
    ("on delivery 25 h rounds up", {"invoice_within_hours": 25}, D(2026, 3, 10), D(2026, 3, 12)),
    ("on delivery 0 h: same day", {"invoice_within_hours": 0}, D(2026, 3, 10), D(2026, 3, 10)),
    ("on delivery 24 h over the year end", {}, D(2026, 12, 31), D(2027, 1, 1)),
    ("on delivery 24 h to 29 February", {}, D(2024, 2, 28), D(2024, 2, 29)),
    ("monthly: last day of February", {"invoicing": InvoicingRule.MONTHLY}, D(2026, 2, 10), D(2026, 2, 28)),
    ("monthly: 29 February", {"invoicing": InvoicingRule.MONTHLY}, D(2024, 2, 1), D(2024, 2, 29)),
    ("monthly: December", {"invoicing": InvoicingRule.MONTHLY}, D(2026, 12, 5), D(2026, 12, 31)),
    ("monthly: delivered on the last day", {"invoicing": InvoicingRule.MONTHLY}, D(2026, 4, 30), D(2026, 4, 30)),
]


@pytest.mark.parametrize(
    "client_kw, delivered, due_on",
    [case[1:] for case in TO_INVOICE_CASES],
    ids=[case[0] for case in TO_INVOICE_CASES],
)
def test_to_invoice_due_on(client_kw, delivered, due_on):
    s = snap(client(**client_kw), job(delivered=delivered))
    day_before = sch.to_invoice(s, due_on - dt.timedelta(days=1))
    on_the_day = sch.to_invoice(s, due_on)
    assert [(r.due_on, r.days_overdue, r.due) for r in day_before] == [(due_on, -1, False)]
    assert [(r.due_on, r.days_overdue, r.due) for r in on_the_day] == [(due_on, 0, True)]


def test_to_invoice_skips_jobs_on_an_invoice_but_not_on_a_void_one():
    s = snap(
        client(),
        job("job-1", title="On a sent invoice", delivered=D(2026, 3, 1)),
        job("job-2", title="On a draft invoice", delivered=D(2026, 3, 1)),
        job("job-3", title="On a void invoice", delivered=D(2026, 3, 1)),
        job("job-4", title="Active", status=JobStatus.ACTIVE),
        job("job-5", title="Invoiced", status=JobStatus.INVOICED, delivered=D(2026, 3, 1)),
        job("job-6", title="Closed", status=JobStatus.CLOSED, delivered=D(2026, 3, 1)),
        job("job-7", title="Not invoiced", delivered=D(2026, 3, 2)),
        invoice("2026-001", job_ids=["job-1"]),
        invoice("2026-002", job_ids=["job-2"], status=InvoiceStatus.DRAFT),
        invoice("2026-003", job_ids=["job-3"], status=InvoiceStatus.VOID),
    )
    rows = sch.to_invoice(s, D(2026, 3, 5))
    assert [(r.job_id, r.days_overdue) for r in rows] == [("job-3", 3), ("job-7", 2)]
    assert rows[1].to_json() == {
        "job": "Not invoiced", "job_id": "job-7", "client": "Acme", "client_id": "client-1",
        "delivered": "2026-03-02", "due_on": "2026-03-03", "days_overdue": 2, "due": True,
        "rule": "on_delivery", "price": None, "currency": "EUR",
        "kind": "job", "period": None,  # issue 16: retainer rows carry kind "retainer" and their month
    }


# --------------------------------------------------------------------------- #
# Promises and deadlines
# --------------------------------------------------------------------------- #

TODAY = D(2026, 3, 10)


def promise(id: str, due: dt.date, status: PromiseStatus = PromiseStatus.OPEN, text: str = "Send update") -> Promise:
    return Promise(id=id, client_id="client-1", text=text, due=due, status=status)


def test_promises_due_upcoming_and_closed():
    s = snap(
        client(),
        promise("promise-1", TODAY - dt.timedelta(days=2)),
        promise("promise-2", TODAY),
        promise("promise-3", TODAY + dt.timedelta(days=3)),
        promise("promise-4", TODAY + dt.timedelta(days=4)),
        promise("promise-5", TODAY - dt.timedelta(days=9), PromiseStatus.KEPT),
        promise("promise-6", TODAY, PromiseStatus.BROKEN),
        promise("promise-7", TODAY, PromiseStatus.DROPPED),
    )
    rows = sch.promises(s, TODAY)
    assert [(r.id, r.days_overdue, r.due) for r in rows] == [
        ("promise-1", 2, True), ("promise-2", 0, True), ("promise-3", -3, False),
    ]
    assert [r.severity for r in rows] == ["red", "amber", ""]
    assert rows[0].to_json() == {
        "id": "promise-1", "client": "Acme", "client_id": "client-1", "text": "Send update",
        "due_on": "2026-03-08", "days_overdue": 2, "due": True, "job_id": None, "auto": "",
    }


def test_the_invoicing_promise_is_not_listed_twice_with_its_job_to_invoice():
    """Delivering under ``on_delivery`` makes the promise "Invoice X within 24 h";
    while the job is under To invoice, that row says it (issue 18): the promise
    is not listed as well. A promise the user typed about the job still is."""
    delivered = TODAY - dt.timedelta(days=1)
    auto = Promise(id="promise-1", client_id="client-1", job_id="job-1", text="Invoice Logo within 24 h",
                   due=TODAY, auto="invoice")
    typed = Promise(id="promise-2", client_id="client-1", job_id="job-1", text="Send the source files",
                    due=TODAY)
    other = Promise(id="promise-3", client_id="client-1", job_id="job-2", text="Invoice Site within 24 h",
                    due=TODAY, auto="invoice")
    s = snap(client(), job("job-1", delivered=delivered), job("job-2", title="Site", status=JobStatus.ACTIVE),
             auto, typed, other)
    review = sch.review(s, TODAY)
    assert [r.job_id for r in review.to_invoice] == ["job-1"]
    # The job not (or no longer) to invoice, back to active say: its open promise is listed.
    assert [r.id for r in review.promises_due] == ["promise-3", "promise-2"]
    assert [r.id for r in sch.promises(s, TODAY)] == ["promise-3", "promise-2"]


def test_once_invoiced_the_job_and_its_promise_are_gone_and_a_void_lists_the_job_once():
    """Invoicing keeps the promise (the store closes it): neither list has the job.
    Voiding the invoice puts the job back under To invoice, and only there."""
    delivered = TODAY - dt.timedelta(days=1)
    kept = Promise(id="promise-1", client_id="client-1", job_id="job-1", text="Invoice Logo within 24 h",
                   due=TODAY, auto="invoice", status=PromiseStatus.KEPT, closed=TODAY)
    invoiced = sch.review(snap(client(), job("job-1", status=JobStatus.INVOICED, delivered=delivered), kept,
                               invoice("2026-001", job_ids=["job-1"], issued=TODAY)), TODAY)
    assert (invoiced.to_invoice, invoiced.promises_due) == ((), ())
    voided = sch.review(snap(client(), job("job-1", delivered=delivered), kept,
                             invoice("2026-001", job_ids=["job-1"], issued=TODAY, status=InvoiceStatus.VOID)),
                        TODAY)
    assert [r.job_id for r in voided.to_invoice] == ["job-1"] and voided.promises_due == ()


@pytest.mark.parametrize(
    "status, deadline_in, expected",
    [
        (JobStatus.ACTIVE, 7, 7),
        (JobStatus.ACTIVE, 8, None),
        (JobStatus.ACTIVE, 0, 0),
        (JobStatus.ACTIVE, -3, -3),
        (JobStatus.PROPOSED, 1, 1),
        (JobStatus.DELIVERED, -3, None),
        (JobStatus.INVOICED, -3, None),
        (JobStatus.CLOSED, -3, None),
    ],
)
def test_deadlines(status, deadline_in, expected):
    deadline = TODAY + dt.timedelta(days=deadline_in)
    s = snap(client(), job(status=status, deadline=deadline, delivered=D(2026, 1, 1)))
    rows = sch.deadlines(s, TODAY)
    assert [r.days_left for r in rows] == ([] if expected is None else [expected])
    if rows:
        assert rows[0].to_json()["deadline"] == deadline.isoformat()
        assert rows[0].severity == ("red" if expected < 0 else "amber")


def test_deadlines_without_a_deadline_and_order():
    s = snap(
        client(),
        job("job-1", status=JobStatus.ACTIVE, title="B", deadline=TODAY + dt.timedelta(days=2)),
        job("job-2", status=JobStatus.ACTIVE, title="A", deadline=TODAY - dt.timedelta(days=1)),
        job("job-3", status=JobStatus.ACTIVE, title="C"),
    )
    assert [r.job_id for r in sch.deadlines(s, TODAY)] == ["job-2", "job-1"]


@pytest.mark.parametrize("status", list(JobStatus))
@pytest.mark.parametrize("days_left, expected", [(-30, "red"), (-1, "red"), (0, "amber"), (7, "amber"), (8, "")])
def test_a_jobs_deadline_is_coloured_as_the_agendas_deadlines(status, days_left, expected):
    """The Jobs screen colours a deadline by the rule the Agenda's Deadlines use:
    amber within a week, red once past, nothing once the work is delivered."""
    j = job(status=status, deadline=TODAY + dt.timedelta(days=days_left))
    listed = sch.deadlines(snap(client(), j), TODAY)
    assert sch.job_deadline_severity(j, TODAY) == (expected if listed else "")
    assert [r.severity for r in listed] == ([expected] if status in (JobStatus.PROPOSED, JobStatus.ACTIVE)
                                           and expected else [])
    assert sch.job_deadline_severity(job(status=status), TODAY) == ""  # no deadline


# --------------------------------------------------------------------------- #
# Awaiting reply
# --------------------------------------------------------------------------- #


def change(id: str, sent: dt.date | None, status: ChangeStatus = ChangeStatus.PROPOSED) -> Change:
    return Change(id=id, job_id="job-1", client_id="client-1", what="Add a page", sent=sent, status=status)


@pytest.mark.parametrize(
    "days, status, expected",
    [
        (4, ChangeStatus.PROPOSED, None),
        (5, ChangeStatus.PROPOSED, 5),
        (30, ChangeStatus.PROPOSED, 30),
        (30, ChangeStatus.ACCEPTED, None),
        (30, ChangeStatus.DECLINED, None),
        (30, ChangeStatus.DRAFT, None),
    ],
)
def test_awaiting_reply_change(days, status, expected):
    s = snap(client(), job(status=JobStatus.ACTIVE), change("change-1", TODAY - dt.timedelta(days=days), status))
    rows = sch.awaiting_reply(s, TODAY)
    assert [r.days_waiting for r in rows] == ([] if expected is None else [expected])
    if rows:
        assert rows[0].to_json() == {
            "kind": "change", "id": "change-1", "client": "Acme", "client_id": "client-1",
            "what": "Add a page", "sent": (TODAY - dt.timedelta(days=days)).isoformat(),
            "days_waiting": expected, "job_id": "job-1",
        }


def test_awaiting_reply_change_finds_the_client_through_the_job():
    c = Change(id="change-1", job_id="job-1", what="More", sent=TODAY - dt.timedelta(days=6))
    rows = sch.awaiting_reply(snap(client(), job(status=JobStatus.ACTIVE), c), TODAY)
    assert [(r.client, r.client_id) for r in rows] == [("Acme", "client-1")]


@pytest.mark.parametrize(
    "sent, since, status, expected",
    [
        (TODAY - dt.timedelta(days=4), TODAY - dt.timedelta(days=40), RateStatus.PROPOSED, None),
        (TODAY - dt.timedelta(days=5), TODAY - dt.timedelta(days=40), RateStatus.PROPOSED, 5),
        (None, TODAY - dt.timedelta(days=5), RateStatus.PROPOSED, 5),
        (None, TODAY - dt.timedelta(days=4), RateStatus.PROPOSED, None),
        (TODAY - dt.timedelta(days=50), TODAY - dt.timedelta(days=50), RateStatus.ACCEPTED, None),
        (TODAY - dt.timedelta(days=50), TODAY - dt.timedelta(days=50), RateStatus.DECLINED, None),
    ],
)
def test_awaiting_reply_rate(sent, since, status, expected):
    rate = Rate(id="rate-1", client_id="client-1", amount=Decimal("60.00"), since=since, sent=sent, status=status)
    rows = sch.awaiting_reply(snap(client(), rate), TODAY)
    assert [(r.kind, r.days_waiting) for r in rows] == ([] if expected is None else [("rate", expected)])
    if rows:
        assert rows[0].subject == "Price raise to 60.00 EUR/hour"


# --------------------------------------------------------------------------- #
# Rate reviews
# --------------------------------------------------------------------------- #

RATE_CASES = [
    # (id, client kwargs, rates, today, expected (rate_since, months) or None)
    ("11 months from since", {"since": D(2025, 1, 15)}, [], D(2026, 1, 14), None),
    ("12 months from since", {"since": D(2025, 1, 15)}, [], D(2026, 1, 15), (D(2025, 1, 15), 12)),
    ("29 February to 28 February is 12 months", {"since": D(2024, 2, 29)}, [], D(2025, 2, 28), (D(2024, 2, 29), 12)),
    ("31 January, month ends clamp", {"since": D(2025, 1, 31)}, [], D(2026, 1, 30), None),
    ("from the latest accepted rate", {"since": D(2020, 1, 1)},
     [(D(2020, 1, 1), RateStatus.ACCEPTED), (D(2025, 6, 1), RateStatus.ACCEPTED)], D(2026, 5, 31), None),
    ("latest accepted rate, 12 months", {"since": D(2020, 1, 1)},
     [(D(2025, 6, 1), RateStatus.ACCEPTED), (D(2020, 1, 1), RateStatus.ACCEPTED)], D(2026, 6, 1), (D(2025, 6, 1), 12)),
    ("a declined raise does not reset the age", {"since": D(2020, 1, 1)},
     [(D(2020, 1, 1), RateStatus.ACCEPTED), (D(2026, 1, 1), RateStatus.DECLINED)], D(2026, 6, 1), (D(2020, 1, 1), 77)),
    ("a raise waiting for an answer: not listed", {"since": D(2020, 1, 1)},
     [(D(2026, 5, 1), RateStatus.PROPOSED)], D(2026, 6, 1), None),
    ("no rate: not listed", {"since": D(2020, 1, 1), "rate": None}, [], D(2026, 6, 1), None),
    ("paused: not listed", {"since": D(2020, 1, 1), "status": ClientStatus.PAUSED}, [], D(2026, 6, 1), None),
    ("lead: not listed", {"since": D(2020, 1, 1), "status": ClientStatus.LEAD}, [], D(2026, 6, 1), None),
]


@pytest.mark.parametrize(
    "client_kw, rates, today, expected",
    [case[1:] for case in RATE_CASES],
    ids=[case[0] for case in RATE_CASES],
)
def test_rate_review(client_kw, rates, today, expected):
    kw = {"rate": Decimal("50.00"), **client_kw}
    docs = [Rate(id=f"rate-{i}", client_id="client-1", amount=Decimal("50.00"), since=since, status=status)
            for i, (since, status) in enumerate(rates, 1)]
    rows = sch.rate_reviews(snap(client(**kw), *docs), today)
    assert [(r.rate_since, r.months) for r in rows] == ([] if expected is None else [expected])
    if rows:
        assert rows[0].to_json() == {
            "client": "Acme", "client_id": "client-1", "rate": "50.00", "currency": "EUR",
            "unit": "hour", "rate_since": expected[0].isoformat(), "months": expected[1],
        }


@pytest.mark.parametrize(
    "start, end, months",
    [
        (D(2025, 1, 15), D(2026, 1, 14), 11),
        (D(2025, 1, 15), D(2026, 1, 15), 12),
        (D(2024, 1, 31), D(2024, 2, 28), 0),
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2025, 12, 31), D(2026, 1, 1), 0),
        (D(2026, 3, 15), D(2026, 1, 15), -2),
        (D(2026, 3, 15), D(2026, 1, 14), -3),
    ],
)
def test_months_between(start, end, months):
    assert sch.months_between(start, end) == months


# --------------------------------------------------------------------------- #
# Outstanding per currency
# --------------------------------------------------------------------------- #


def test_outstanding_by_currency_counts_only_sent_and_unpaid():
    invoices = [
        invoice("1", total="100.00", paid=("30.50",)),
        invoice("2", total="20.00"),
        invoice("3", total="70.00", currency="USD"),
        invoice("4", total="50.00", paid=("50.00",)),
        invoice("5", total="999.00", status=InvoiceStatus.DRAFT),
        invoice("6", total="999.00", status=InvoiceStatus.VOID),
        invoice("7", total="999.00", status=InvoiceStatus.WRITTEN_OFF),
    ]
    assert sch.outstanding_by_currency(invoices) == {"EUR": Decimal("89.50"), "USD": Decimal("70.00")}
    assert list(sch.outstanding_by_currency(invoices)) == ["EUR", "USD"]
    assert sch.outstanding_by_currency([]) == {}


def test_outstanding_by_client():
    s = snap(
        client("client-1"), client("client-2", "B"), client("client-3", "C"),
        invoice("1", total="10.00", client_id="client-1"),
        invoice("2", total="5.00", client_id="client-1", currency="GBP"),
        invoice("3", total="7.00", client_id="client-2", paid=("7.00",)),
    )
    assert sch.outstanding_by_client(s) == {"client-1": {"EUR": Decimal("10.00"), "GBP": Decimal("5.00")}}


# --------------------------------------------------------------------------- #
# The review
# --------------------------------------------------------------------------- #


def busy_snapshot() -> Snapshot:
    return snap(
        Settings(id="settings"),
        client("client-1", "Acme", since=D(2020, 1, 1), rate=Decimal("50.00")),
        client("client-2", "Bravo", since=D(2026, 3, 1)),
        contact(D(2026, 3, 1), "client-1"),
        invoice("2026-001", issued=D(2026, 2, 1)),
        invoice("2026-002", issued=D(2026, 2, 25)),  # due 03-11: due soon
        job("job-1", delivered=D(2026, 3, 8)),
        job("job-2", status=JobStatus.ACTIVE, deadline=D(2026, 3, 12)),
        promise("promise-1", D(2026, 3, 9)),
        change("change-1", D(2026, 3, 2)),
    )


def test_review_has_every_list_in_product_order():
    review = sch.review(busy_snapshot(), TODAY)
    out = review.to_json(TODAY)
    assert list(out) == ["date", "reminders_due", "invoices_overdue", "invoices_due_soon", "checkins_due",
                         "promises_due", "deadlines", "to_invoice", "awaiting_reply", "rate_reviews"]
    assert out["date"] == "2026-03-10"
    assert [r["number"] for r in out["reminders_due"]] == ["2026-001"]
    assert [r["number"] for r in out["invoices_overdue"]] == ["2026-001"]
    assert [r["number"] for r in out["invoices_due_soon"]] == ["2026-002"]
    assert [r["client"] for r in out["checkins_due"]] == ["Bravo", "Acme"]
    assert [r["id"] for r in out["promises_due"]] == ["promise-1"]
    assert [r["job_id"] for r in out["deadlines"]] == ["job-2"]
    assert [r["job_id"] for r in out["to_invoice"]] == ["job-1"]
    assert [r["id"] for r in out["awaiting_reply"]] == ["change-1"]
    assert [r["client_id"] for r in out["rate_reviews"]] == ["client-1"]
    assert not review.is_empty
    json.dumps(out)  # plain JSON types only: this raises on a Decimal or a date
    assert out == json.loads(json.dumps(out))


def test_review_of_nothing_is_empty():
    review = sch.review(snap(Settings(id="settings")), TODAY)
    assert review.is_empty
    assert review.to_json() == {"date": "2026-03-10", **{name: [] for name in [s.name for s in sch.SECTIONS]}}


def test_upcoming_items_alone_make_the_review_non_empty():
    review = sch.review(
        snap(client(status=ClientStatus.LEAD), promise("promise-1", TODAY + dt.timedelta(days=2))), TODAY
    )
    assert not review.is_empty
    assert [r.due for r in review.promises_due] == [False]


def test_scheduler_does_not_import_textual():
    import subprocess
    import sys

    code = "import storage.scheduler, sys; assert 'textual' not in sys.modules, 'textual imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- #
# Properties
# --------------------------------------------------------------------------- #

dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
cents = st.integers(min_value=1, max_value=10_000_000)


def money(c: int) -> Decimal:
    return Decimal(c).scaleb(-2)


@st.composite
def clients(draw, id: str = "client-1") -> Client:
    return Client(
        id=id,
        name=draw(st.text(min_size=1, max_size=12)),
        since=draw(dates),
        cadence_days=draw(st.integers(1, 90)),
        status=draw(st.sampled_from(list(ClientStatus))),
        snoozed_until=draw(st.none() | dates),
        rate=draw(st.none() | cents.map(money)),
        invoicing=draw(st.sampled_from(list(InvoicingRule))),
        invoice_within_hours=draw(st.integers(0, 96)),
    )


@st.composite
def invoices(draw, number: str = "2026-001", client_id: str = "client-1") -> Invoice:
    totals = draw(st.lists(cents, min_size=1, max_size=3))
    total = sum(totals)
    paid = draw(st.lists(st.integers(1, max(1, total - 1)), max_size=3))
    paid = [p for p in paid if p < total]
    while sum(paid) >= total:  # keep the draws partial: something stays outstanding
        paid.pop()
    issued = draw(dates)
    levels = range(1, draw(st.integers(0, 4)) + 1)
    return Invoice(
        id=f"invoice-{number}",
        number=number,
        client_id=client_id,
        items=[LineItem(description="x", unit_price=money(c)) for c in totals],
        issued=issued,
        terms_days=draw(st.integers(0, 90)),
        status=draw(st.sampled_from(list(InvoiceStatus))),
        payments=[Payment(date=issued, amount=money(p)) for p in paid],
        reminders=[Reminder(date=issued, level=level) for level in levels],
        on_hold=draw(st.booleans()),
    )


@st.composite
def worlds(draw) -> dict:
    """A small random data set touching every rule."""
    n = draw(st.integers(1, 4))
    docs: list[Document] = [Settings(id="settings", reminder_ladder=draw(st.sampled_from([[1, 8, 15], [0, 5], [3]])))]
    for i in range(1, n + 1):
        cid = f"client-{i}"
        docs.append(draw(clients(cid)))
        for j, day in enumerate(draw(st.lists(dates, max_size=3))):
            docs.append(Contact(id=f"contact-{i}-{j}", client_id=cid, date=day))
        for j in range(draw(st.integers(0, 2))):
            docs.append(draw(invoices(f"{i}-{j}", cid)))
        for j in range(draw(st.integers(0, 2))):
            status = draw(st.sampled_from(list(JobStatus)))
            docs.append(Job(id=f"job-{i}-{j}", client_id=cid, title="t", status=status,
                            deadline=draw(st.none() | dates), delivered=draw(dates)))
            docs.append(Change(id=f"change-{i}-{j}", job_id=f"job-{i}-{j}", client_id=cid, what="w",
                               sent=draw(dates), status=draw(st.sampled_from(list(ChangeStatus)))))
        for j in range(draw(st.integers(0, 2))):
            job_id = draw(st.sampled_from([None, f"job-{i}-0", f"job-{i}-1"]))
            docs.append(Promise(id=f"promise-{i}-{j}", client_id=cid, text="p", due=draw(dates),
                                status=draw(st.sampled_from(list(PromiseStatus))), job_id=job_id,
                                auto=draw(st.sampled_from(["", "invoice"])) if job_id else ""))
        for j in range(draw(st.integers(0, 2))):
            docs.append(Rate(id=f"rate-{i}-{j}", client_id=cid, amount=Decimal("10.00"), since=draw(dates),
                             sent=draw(st.none() | dates), status=draw(st.sampled_from(list(RateStatus)))))
    return data_of(*docs)


@given(clients(), st.lists(dates, max_size=5), dates)
def test_logging_a_contact_today_never_leaves_the_client_due(c, earlier, today):
    contacts = [Contact(id=f"contact-{i}", client_id=c.id, date=d) for i, d in enumerate(earlier)]
    after = sch.checkins_due(snap(c, *contacts, Contact(id="contact-new", client_id=c.id, date=today)), today)
    assert after == []
    # ...and the client's next check-in is at least a whole cadence away.
    next_day = sch.next_checkin(c, max([*earlier, today]))
    assert next_day is None or next_day >= today + dt.timedelta(days=c.cadence_days)


@given(invoices(), dates)
def test_paying_the_outstanding_amount_removes_the_invoice_from_every_list(inv, today):
    before = sch.review(snap(client(), inv), today)
    listed = {r.number for name in ("reminders_due", "invoices_overdue", "invoices_due_soon")
              for r in getattr(before, name)}
    days = (today - inv.due_on).days
    expected_listed = inv.status is InvoiceStatus.SENT and days >= -3
    assert ("2026-001" in listed) == expected_listed
    paid = inv.replace(payments=[*inv.payments, Payment(date=today, amount=inv.outstanding)])
    assert paid.outstanding == 0
    after = sch.review(snap(client(), paid), today)
    assert not after.reminders_due and not after.invoices_overdue and not after.invoices_due_soon


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(worlds(), dates)
def test_a_day_the_server_was_off_changes_nothing(data, today):
    fresh = sch.review(Snapshot(data), today)
    shared = Snapshot(data)
    for day in (today - dt.timedelta(days=2), today - dt.timedelta(days=1)):
        sch.review(shared, day)
    assert sch.review(shared, today) == fresh
    assert sch.review(shared, today).to_json() == fresh.to_json()
    # Computing a day does not change the documents either.
    assert Snapshot(data).invoices == shared.invoices
    # The fast views of open documents and the fully loaded tables agree.
    loaded = Snapshot(data)
    for table in ("clients", "contacts", "jobs", "changes", "promises", "rates", "invoices"):
        getattr(loaded, table)
    assert sch.review(loaded, today) == fresh


@given(
    st.sampled_from(list(JobStatus)),
    st.sampled_from([None, *InvoiceStatus]),
    st.sampled_from(["", "invoice"]),
    st.integers(-10, 10),
    st.integers(-10, 10),
)
def test_a_delivered_job_is_listed_once(status, on_invoice, auto, delivered_in, due_in):
    """Whatever the job's state, its invoice's and its promise's, the job is never
    both under To invoice and, by its invoicing promise, under Promises; any
    other promise falling due is listed."""
    docs: list[Document] = [
        client(),
        job("job-1", status=status, delivered=TODAY + dt.timedelta(days=delivered_in)),
        Promise(id="promise-1", client_id="client-1", job_id="job-1", text="Invoice Logo within 24 h",
                due=TODAY + dt.timedelta(days=due_in), auto=auto),
    ]
    if on_invoice is not None:
        docs.append(invoice("2026-001", job_ids=["job-1"], issued=TODAY, status=on_invoice))
    review = sch.review(snap(*docs), TODAY)
    to_invoice = [r.job_id for r in review.to_invoice]
    promised = [r.id for r in review.promises_due]
    assert to_invoice == (["job-1"] if status is JobStatus.DELIVERED and on_invoice in (None, InvoiceStatus.VOID)
                          else [])
    falls_due = due_in <= sch.PROMISE_UPCOMING_DAYS
    assert promised == (["promise-1"] if falls_due and not (auto and to_invoice) else [])


# test_reminders_are_never_due_twice lived here. It encoded the old rule (a
# reminder due as soon as days past due reached its rung, the final rung's day
# starting escalation); issue 16's rule keeps the gap between rungs after a late
# reminder and escalates after the final notice's pay-by date. Its stronger
# replacement is tests/storage/test_ladder.py.


@given(st.integers(1, 10_000), st.integers(1, 10_000))
def test_aging_buckets_are_ordered_and_contain_their_days(a, b):
    lo, hi = sorted((a, b))
    assert sch.BUCKETS.index(sch.aging_bucket(lo)) <= sch.BUCKETS.index(sch.aging_bucket(hi))
    bucket = sch.aging_bucket(a)
    if bucket.endswith("+"):
        assert a >= int(bucket[:-1])
    else:
        first, last = (int(x) for x in bucket.split("-"))
        assert first <= a <= last
