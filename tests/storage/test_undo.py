"""Undo (storage/undo.py, StoreCore.undo): the last change made through a store
is taken back in a locked transaction, document by document; refused when
another session changed one of those documents since. Checked on the file."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.clock import FixedClock
from storage.demo import generate
from storage.errors import UserError
from storage.models import Channel, Contact, ContactKind, Direction, Invoice, InvoiceStatus
from storage.store import Store, parse_export
from storage.undo import UndoConflict
from tests.conftest import FIXED_DAY


def demo(path: Path) -> Store:
    Store.write_new(path, parse_export(generate(FIXED_DAY, "small")), now=FixedClock(FIXED_DAY).now())
    return Store.open(path, clock=FixedClock(FIXED_DAY))


def documents(path: Path) -> dict[str, dict[str, dict]]:
    """The file's documents by table and id, without the id counters (which an
    undo keeps: ids are never handed out twice)."""
    data = json.loads(path.read_bytes())
    out: dict[str, dict[str, dict]] = {}
    for table, docs in data.items():
        out[table] = {}
        for doc in docs.values():
            doc = dict(doc)
            if table == "settings":
                doc.pop("counters", None)
            out[table][doc["id"]] = doc
    return out


def contact(client_id: str) -> Contact:
    return Contact(client_id=client_id, date=FIXED_DAY, channel=Channel.EMAIL, direction=Direction.OUT,
                   kind=ContactKind.CHECK_IN, summary="checked in")


def unpaid(store: Store) -> Invoice:
    return next(i for i in store.snapshot().invoices if i.status is InvoiceStatus.SENT and i.outstanding > 0)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "rapport.json"


def test_a_logged_contact_is_taken_back(path):
    store = demo(path)
    before = documents(path)
    client = store.snapshot().clients[0]
    logged = store.log_contact(contact(client.id))
    change = store.take_change()
    assert change is not None
    assert logged.id in documents(path)["contact"]
    edits = store.undo(change)
    assert [(e.table, e.doc_id) for e in edits] == [("contact", logged.id)]
    assert documents(path) == before
    # the id is not handed out again
    assert store.log_contact(contact(client.id)).id != logged.id


def test_a_payment_is_taken_back(path):
    store = demo(path)
    invoice = unpaid(store)
    before = documents(path)
    store.record_payment(invoice.number, None, FIXED_DAY)
    assert Store.open(path).find_invoice(invoice.number).outstanding == 0
    store.undo(store.take_change())  # type: ignore[arg-type]
    assert documents(path) == before
    assert Store.open(path).find_invoice(invoice.number).outstanding == invoice.outstanding


def test_a_delete_is_taken_back_with_everything_it_removed(path):
    store = demo(path)
    before = documents(path)
    client = store.snapshot().clients[0]
    store.delete_client(client.id)
    assert client.id not in documents(path)["client"]
    store.undo(store.take_change())  # type: ignore[arg-type]
    assert documents(path) == before


def test_a_settings_change_is_taken_back_but_not_the_counters(path):
    store = demo(path)
    store.log_contact(contact(store.snapshot().clients[0].id))
    counters = json.loads(path.read_bytes())["settings"]
    store.update_settings(name="Someone Else")
    change = store.take_change()
    store.log_contact(contact(store.snapshot().clients[0].id))  # moves the counters on, not the settings' fields
    after = json.loads(path.read_bytes())["settings"]
    assert after != counters
    store.undo(change)  # type: ignore[arg-type]
    settings = Store.open(path).settings()
    assert settings.name != "Someone Else"
    doc = next(iter(json.loads(path.read_bytes())["settings"].values()))
    assert doc["counters"] == next(iter(after.values()))["counters"]


def test_take_change_hands_a_change_out_once(path):
    store = demo(path)
    assert store.take_change() is None  # opening and reading are not changes
    store.log_contact(contact(store.snapshot().clients[0].id))
    assert store.take_change() is not None
    assert store.take_change() is None


def test_an_undo_is_refused_when_another_session_changed_the_document_since(path):
    store = demo(path)
    invoice = unpaid(store)
    store.record_payment(invoice.number, Decimal("1"), FIXED_DAY)
    change = store.take_change()
    other = Store.open(path, clock=FixedClock(FIXED_DAY))
    other.record_payment(invoice.number, Decimal("1"), FIXED_DAY)
    before = path.read_bytes()
    with pytest.raises(UndoConflict, match="changed in another session"):
        store.undo(change)  # type: ignore[arg-type]
    assert path.read_bytes() == before


def test_an_undo_goes_ahead_when_another_session_changed_other_documents(path):
    store = demo(path)
    clients = store.snapshot().clients
    mine = store.log_contact(contact(clients[0].id))
    change = store.take_change()
    theirs = Store.open(path, clock=FixedClock(FIXED_DAY)).log_contact(contact(clients[1].id))
    store.undo(change)  # type: ignore[arg-type]
    on_disk = documents(path)["contact"]
    assert mine.id not in on_disk and theirs.id in on_disk


def test_an_undo_that_would_leave_a_reference_dangling_is_refused(path):
    store = demo(path)
    from storage.models import Client

    client = store.add_client(Client(name="Brand New Ltd", since=FIXED_DAY))
    change = store.take_change()
    Store.open(path, clock=FixedClock(FIXED_DAY)).log_contact(contact(client.id))
    before = path.read_bytes()
    with pytest.raises(UserError, match="cannot undo"):
        store.undo(change)  # type: ignore[arg-type]
    assert path.read_bytes() == before


def test_history_entries_are_deleted_and_come_back(path):
    store = demo(path)
    invoice = next(i for i in store.snapshot().invoices if i.payments and i.reminders)
    before = documents(path)
    store.delete_payment(invoice.number, 0)
    assert len(Store.open(path).find_invoice(invoice.number).payments) == len(invoice.payments) - 1
    store.undo(store.take_change())  # type: ignore[arg-type]
    store.delete_reminder(invoice.number, 0)
    assert len(Store.open(path).find_invoice(invoice.number).reminders) == len(invoice.reminders) - 1
    store.undo(store.take_change())  # type: ignore[arg-type]
    logged = store.snapshot().contacts[0]
    store.delete_contact(logged.id)
    assert logged.id not in documents(path)["contact"]
    store.undo(store.take_change())  # type: ignore[arg-type]
    assert documents(path) == before
    with pytest.raises(UserError):
        store.delete_payment(invoice.number, 99)


# Any change a screen makes, then undone: the documents are as before, to the
# byte, timestamps (created_at, updated_at) included; only the id counters move.
CHANGES = ["contact", "payment", "reminder", "snooze", "promise", "client", "settings", "delete",
           "delete_contact", "hold"]


def _make(store: Store, what: str, n: int) -> None:
    snap = store.snapshot()
    clients = snap.clients
    client = clients[n % len(clients)]
    if what == "contact":
        store.log_contact(contact(client.id))
    elif what == "payment":
        store.record_payment(unpaid(store).number, Decimal("0.01") * (n + 1), FIXED_DAY)
    elif what == "reminder":
        store.add_reminder(unpaid(store).number, FIXED_DAY, force=True)
    elif what == "snooze":
        store.snooze(client.id, FIXED_DAY + dt.timedelta(days=n + 1))
    elif what == "promise":
        promise = next(p for p in snap.promises if str(p.status) == "open")
        store.close_promise(promise.id, "kept", FIXED_DAY)
    elif what == "client":
        store.update_client(client.id, notes=f"note {n}")
    elif what == "settings":
        store.update_settings(name=f"Name {n}")
    elif what == "delete":
        store.delete_client(client.id)
    elif what == "delete_contact":
        store.delete_contact(snap.contacts[n % len(snap.contacts)].id)
    elif what == "hold":
        invoice = unpaid(store)
        store.update_invoice(invoice.number, on_hold=not invoice.on_hold)


@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("demo") / "rapport.json"
    demo(path)
    return path.read_bytes()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 50)), max_size=3),
       last=st.tuples(st.sampled_from(CHANGES), st.integers(0, 50)))
def test_any_change_then_undo_gives_back_the_data_before(tmp_path_factory, demo_bytes, first, last):
    path = tmp_path_factory.mktemp("undo") / "rapport.json"
    path.write_bytes(demo_bytes)
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    for what, n in first:
        _make(store, what, n)
    before = documents(path)
    _make(store, *last)
    change = store.take_change()
    if change is None:  # e.g. the same snooze twice: nothing changed, nothing to undo
        assert documents(path) == before
        return
    assert documents(path) != before
    store.undo(change)
    assert documents(path) == before
    assert Store.open(path, clock=FixedClock(FIXED_DAY)).snapshot() is not None  # the file still opens, checked
