"""Models and scheduler rows compare, hash and print by their fields: they are
plain dataclasses, and these tests keep them so."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.models import Client, Invoice, LineItem, Payment
from storage.scheduler import CheckinRow, Review

DAY = dt.date(2026, 11, 27)


def test_models_are_equal_when_every_compared_field_is():
    a = Client(id="client-1", name="Acme", since=DAY, tags=["x"])
    b = Client(id="client-1", name="Acme", since=DAY, tags=["x"])
    assert a == b and not (a != b)
    assert a != b.replace(name="Acme Ltd")
    assert a != b.replace(tags=["y"])
    b.extra = {"unknown": 1}  # extra is compare=False, as declared
    assert a == b


def test_a_model_never_equals_another_class_or_a_plain_value():
    invoice = Invoice(id="invoice-1", client_id="client-1")
    assert invoice != Client(id="invoice-1")
    assert invoice != "invoice-1"
    assert LineItem(description="x") != Payment()


def test_models_are_mutable_so_unhashable_like_dataclasses():
    with pytest.raises(TypeError):
        hash(Client(name="Acme"))


def test_repr_shows_the_fields_as_a_dataclass_does():
    payment = Payment(date=DAY, amount=Decimal("5"))
    assert repr(payment) == "Payment(date=datetime.date(2026, 11, 27), amount=Decimal('5'))"
    client = Client(id="client-1", name="Acme")
    assert repr(client).startswith("Client(id='client-1', created_at='', updated_at='', name='Acme'")
    assert "extra=" not in repr(client)  # repr=False, as declared


def test_rows_stay_frozen():
    row = CheckinRow(client="Acme", client_id="client-1", last_contact=None, due_on=DAY, days_overdue=1,
                     cadence_days=7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.client = "Globex"  # type: ignore[misc]


@given(
    st.text(max_size=5), st.none() | st.dates(), st.dates(), st.integers(-50, 50), st.integers(1, 60),
    st.text(max_size=5), st.dates(),
)
def test_rows_equal_and_hash_by_their_fields(name, last, due, late, cadence, other_name, other_due):
    def make(client: str, due_on: dt.date) -> CheckinRow:
        return CheckinRow(client=client, client_id="c", last_contact=last, due_on=due_on, days_overdue=late,
                          cadence_days=cadence)

    a, b = make(name, due), make(name, due)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    c = make(other_name, other_due)
    assert (a == c) == (name == other_name and due == other_due)
    assert Review(today=DAY, checkins_due=(a,)) == Review(today=DAY, checkins_due=(b,))
    assert repr(a) == (f"CheckinRow(client={name!r}, client_id='c', last_contact={last!r}, due_on={due!r}, "
                       f"days_overdue={late!r}, cadence_days={cadence!r})")
