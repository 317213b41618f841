"""Issue 16: retainers, late-payment interest and compensation, payment behaviour.

Interest figures are computed by hand in the comments (docs/rules.md: the sum over
the days after the due date of what was outstanding that day * percent / 100 /
365, rounded half-up once at the end).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage import scheduler as sch
from storage.interest import accrued_interest, late_charges, round_half_up
from storage.models import Client, Invoice, InvoiceStatus, LineItem, Payment, Retainer, Settings
from storage.snapshot import Snapshot
from storage.values import ValidationError

D = dt.date
ON = Settings(id="settings", late_interest_percent=Decimal("10"), late_compensation=Decimal("40"))
BUSINESS = Client(id="client-1", name="Acme", since=D(2020, 1, 1))


def inv(total: str = "1000.00", issued: dt.date = D(2024, 1, 1), payments=(), currency: str = "EUR",  # noqa: B008
        **kw) -> Invoice:
    return Invoice(
        id="invoice-1", number="2024-001", client_id="client-1", issued=issued, terms_days=14, currency=currency,
        items=[LineItem(description="work", unit_price=Decimal(total))],
        payments=[Payment(date=d, amount=Decimal(a)) for d, a in payments], **kw,
    )


def data_of(*docs) -> dict:
    data: dict = {}
    for i, doc in enumerate(docs, 1):
        data.setdefault(doc.TABLE, {})[str(i)] = doc.to_doc()
    return data


# --------------------------------------------------------------------------- #
# Interest, by hand
# --------------------------------------------------------------------------- #


def test_interest_over_a_leap_february():
    # Due 2024-01-15. 16 Jan..15 Mar 2024 = 16 + 29 (leap February) + 15 = 60 days.
    # 1000 * 10 / 100 * 60 / 365 = 16.438... -> 16.44
    charges = late_charges(inv(), ON, BUSINESS, D(2024, 3, 15))
    assert (charges.interest, charges.compensation, charges.days) == (Decimal("16.44"), Decimal("40.00"), 60)


def test_the_same_dates_a_year_earlier_have_one_day_less():
    # Due 2023-01-15. 16 Jan..15 Mar 2023 = 16 + 28 + 15 = 59 days: 1000 * 0.1 * 59 / 365 = 16.164... -> 16.16
    charges = late_charges(inv(issued=D(2023, 1, 1)), ON, BUSINESS, D(2023, 3, 15))
    assert (charges.interest, charges.days) == (Decimal("16.16"), 59)


def test_interest_runs_on_what_was_outstanding_each_day():
    # 8 % a year; due 2026-01-15; 400.00 paid on 25 Jan (counts from the 26th).
    # 16..25 Jan: 10 days on 1000.00 = 10,000; 26 Jan..14 Feb: 20 days on 600.00 = 12,000.
    # 22,000 * 8 / 100 / 365 = 4.8219... -> 4.82
    settings = ON.replace(late_interest_percent=Decimal("8"))
    partly = inv(issued=D(2026, 1, 1), payments=[(D(2026, 1, 25), "400.00")])
    assert late_charges(partly, settings, BUSINESS, D(2026, 2, 14)).interest == Decimal("4.82")
    # Without the payment it would have been 30 days on 1000.00: 6.575... -> 6.58
    assert late_charges(inv(issued=D(2026, 1, 1)), settings, BUSINESS, D(2026, 2, 14)).interest == Decimal("6.58")


def test_rounding_is_half_up_once_at_the_end():
    # 182.50 * 1 % / 365 for one day = exactly 0.005: half-up gives 0.01 (half-even would give 0.00).
    settings = ON.replace(late_interest_percent=Decimal("1"))
    one_day = inv(total="182.50", issued=D(2026, 1, 1))
    assert accrued_interest(one_day, Decimal("1"), D(2026, 1, 16)) * 1000 == 5
    assert late_charges(one_day, settings, BUSINESS, D(2026, 1, 16)).interest == Decimal("0.01")
    assert round_half_up(accrued_interest(one_day, Decimal("1"), D(2026, 1, 16)), "JPY") == Decimal("0")


def test_off_by_default_for_a_client_flagged_off_and_zero_when_not_overdue():
    assert late_charges(inv(), Settings(id="settings"), BUSINESS, D(2024, 3, 15)) is None
    assert late_charges(inv(), ON, BUSINESS.replace(late_interest=False), D(2024, 3, 15)) is None
    on_time = late_charges(inv(), ON, BUSINESS, D(2024, 1, 15))
    assert (on_time.interest, on_time.compensation) == (Decimal("0"), Decimal("0.00"))
    paid = inv(payments=[(D(2024, 2, 1), "1000.00")])
    assert late_charges(paid, ON, BUSINESS, D(2024, 3, 15)).interest == 0


@given(st.integers(1, 10**8), st.integers(0, 2000), st.decimals("0.01", "30", places=2))
def test_with_nothing_paid_it_is_the_simple_formula(cents, days, percent):
    invoice = inv(total=str(Decimal(cents) / 100), issued=D(2024, 1, 1))
    today = invoice.due_on + dt.timedelta(days=days)
    expected = (Decimal(cents) / 100 * percent / 100 * days / 365).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    got = round_half_up(accrued_interest(invoice, percent, today), "EUR")
    assert abs(got - expected) <= Decimal("0.01")  # Decimal's 28 digits vs the exact fraction at a tie
    if days == 0:
        assert got == 0


def test_the_review_rows_carry_interest_and_compensation():
    snap = Snapshot(data_of(ON, BUSINESS, inv()))
    row = sch.invoices_overdue(snap, D(2024, 3, 15))[0].to_json()
    assert (row["interest"], row["compensation"]) == ("16.44", "40.00")


# --------------------------------------------------------------------------- #
# Payment behaviour
# --------------------------------------------------------------------------- #


def settled(n: int, issued: dt.date, paid_after: int) -> Invoice:
    return Invoice(id=f"invoice-{n}", number=f"S-{n}", client_id="client-1", issued=issued, terms_days=14,
                   items=[LineItem(description="w", unit_price=Decimal("10.00"))],
                   payments=[Payment(date=issued + dt.timedelta(days=paid_after), amount=Decimal("10.00"))])


def test_days_to_pay_is_the_median_and_paid_late_the_share_after_due():
    docs = [BUSINESS, settled(1, D(2026, 1, 1), 10), settled(2, D(2026, 2, 1), 20), settled(3, D(2026, 3, 1), 30),
            settled(4, D(2026, 4, 1), 15)]
    b = sch.payment_behaviour(Snapshot(data_of(*docs)), D(2026, 11, 27))["client-1"]
    # days: 10, 15, 20, 30 -> median 17.5; late (> 14 days): 15, 20, 30 -> 0.75
    assert (b.invoices, b.days_to_pay, b.paid_late, b.late_payer) == (4, 17.5, 0.75, True)


def test_late_payer_needs_three_invoices_and_half_late_in_24_months():
    two = [BUSINESS, settled(1, D(2026, 1, 1), 30), settled(2, D(2026, 2, 1), 30)]
    assert not sch.payment_behaviour(Snapshot(data_of(*two)), D(2026, 11, 27))["client-1"].late_payer
    old = [*two, settled(3, D(2024, 1, 1), 30)]  # paid over 24 months ago: not counted
    assert sch.payment_behaviour(Snapshot(data_of(*old)), D(2026, 11, 27))["client-1"].invoices == 2
    half = [*two, settled(3, D(2026, 3, 1), 5), settled(4, D(2026, 4, 1), 5)]
    b = sch.payment_behaviour(Snapshot(data_of(*half)), D(2026, 11, 27))["client-1"]
    assert (b.paid_late, b.late_payer) == (0.5, True)
    assert sch.payment_behaviour(Snapshot(data_of(BUSINESS)), D(2026, 11, 27)) == {}


def test_overdue_rows_of_a_late_payer_are_marked():
    docs = [BUSINESS, *(settled(n, D(2026, n, 1), 40) for n in range(1, 4)), inv(issued=D(2026, 10, 1))]
    snap = Snapshot(data_of(*docs))
    assert [r.late_payer for r in sch.invoices_overdue(snap, D(2026, 11, 27))] == [True]


# --------------------------------------------------------------------------- #
# Retainers
# --------------------------------------------------------------------------- #

FEE = Retainer(amount=Decimal("600.00"), currency="EUR", covers="Website care", day=5, since=D(2026, 9, 10))


def test_a_row_per_month_from_its_day_not_twice():
    client = BUSINESS.replace(retainer=FEE)
    snap = Snapshot(data_of(client))
    rows = sch.to_invoice(snap, D(2026, 12, 2))  # 5 Sep is before it starts: Oct, Nov, and Dec (in 3 days)
    assert [(r.kind, r.period, r.due_on, r.due) for r in rows] == [
        ("retainer", "2026-10", D(2026, 10, 5), True),
        ("retainer", "2026-11", D(2026, 11, 5), True),
        ("retainer", "2026-12", D(2026, 12, 5), False),
    ]
    assert rows[0].to_json()["kind"] == "retainer" and rows[0].to_json()["period"] == "2026-10"
    billed = inv(issued=D(2026, 10, 5), period="2026-10")
    voided = inv(period="2026-11", status=InvoiceStatus.VOID).replace(id="invoice-2", number="V")
    rows = sch.to_invoice(Snapshot(data_of(client, billed, voided)), D(2026, 12, 2))
    assert [r.period for r in rows] == ["2026-11", "2026-12"]  # a void invoice does not count


def test_until_ends_it_and_former_clients_have_none():
    client = BUSINESS.replace(retainer=FEE.replace(until=D(2026, 11, 4)))
    assert [r.period for r in sch.to_invoice(Snapshot(data_of(client)), D(2027, 3, 1))] == ["2026-10"]
    former = BUSINESS.replace(retainer=FEE, status="former")
    assert sch.to_invoice(Snapshot(data_of(Client.from_doc(former.to_doc()))), D(2027, 3, 1)) == []


def test_retainer_validation():
    for bad in (FEE.replace(day=29), FEE.replace(day=0), FEE.replace(amount=Decimal(0)),
                FEE.replace(covers=""), FEE.replace(until=D(2026, 1, 1))):
        with pytest.raises(ValidationError):
            bad.validate()


def test_store_issues_a_period_once(store):
    client = store.add_client(Client(name="Acme", since=D(2026, 1, 1)))
    store.set_retainer(client.id, FEE)
    first = store.add_retainer_invoice(client.id, "2026-10", issued=D(2026, 10, 5))
    assert [(i.description, i.unit_price) for i in first.items] == [("Website care, October 2026", Decimal("600.00"))]
    assert first.period == "2026-10"
    with pytest.raises(ValidationError, match="already on invoice"):
        store.add_retainer_invoice(client.id, "2026-10", issued=D(2026, 10, 6))
    store.update_invoice(first.number, status=InvoiceStatus.VOID)
    assert store.add_retainer_invoice(client.id, "2026-10", issued=D(2026, 10, 6)).period == "2026-10"
    store.stop_retainer(client.id, D(2026, 11, 30))
    assert store.snapshot().clients_by_id[client.id].retainer.until == D(2026, 11, 30)


def test_cli_retainer_set_stop_and_invoice(run_cli):
    today = D(2026, 12, 1)
    run = lambda *a: run_cli(*a, today=today)  # noqa: E731
    assert run("client", "add", "Acme").rc == 0
    assert run("retainer", "set", "Acme", "600", "--day", "5", "--covers", "Website care",
               "--from", "2026-10-01").rc == 0
    rows = json.loads(run("today", "--json").stdout)["to_invoice"]
    assert [(r["kind"], r["period"]) for r in rows] == [("retainer", "2026-10"), ("retainer", "2026-11")]
    assert run("invoice", "add", "Acme", "--retainer", "2026-10").stdout.strip() == "2026-001"
    again = run("invoice", "add", "Acme", "--retainer", "2026-10")
    assert again.rc == 1 and "already on invoice 2026-001" in again.stderr
    assert run("retainer", "stop", "Acme", "--on", "2026-10-31").rc == 0
    assert json.loads(run("today", "--json").stdout)["to_invoice"] == []
    listed = json.loads(run("invoice", "list", "--json").stdout)
    assert [(r["number"], r["period"], r["total"]) for r in listed] == [("2026-001", "2026-10", "600.00")]


def test_cli_client_list_json_has_payment_behaviour(run_cli):
    assert run_cli("client", "add", "Acme").rc == 0
    for n, (issued, paid) in enumerate([("2026-01-01", "2026-02-01"), ("2026-02-01", "2026-03-10"),
                                        ("2026-03-01", "2026-03-05")], 1):
        assert run_cli("invoice", "add", "Acme", "100", "--issued", issued).rc == 0
        assert run_cli("invoice", "pay", f"2026-00{n}", "--on", paid).rc == 0
    (row,) = json.loads(run_cli("client", "list", "--json").stdout)
    # days: 31, 37, 4 -> median 31; late: 2 of 3
    assert (row["days_to_pay"], row["paid_late"], row["late_payer"]) == (31, 0.6667, True)
