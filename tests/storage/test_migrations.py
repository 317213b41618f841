"""Opening an older file: it is backed up byte for byte, then migrated to the
current schema in one atomic commit. Newer or unknown schemas are refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from storage import backups
from storage.clock import FixedClock
from storage.jsonfile import DataFileError, dump_bytes
from storage.migrations import migrate, schema_version_of
from storage.models import SCHEMA_VERSION, Client, Invoice
from storage.store import Store
from tests.conftest import FIXED_DAY


def v1_data() -> dict:
    """A file as the first prototype wrote it: ``cadence``/``terms`` on clients,
    ``terms`` on invoices, no timestamps, no id counters."""
    return {
        "client": {
            "1": {"id": "client-1", "name": "Acme", "status": "active", "since": "2025-01-10",
                  "cadence": 10, "terms": 30, "currency": "EUR", "rate": "60.00"},
            "2": {"id": "client-2", "name": "Globex", "status": "lead", "since": "2026-03-01",
                  "cadence": 7, "terms": 14, "currency": "USD"},
        },
        "contact": {
            "1": {"id": "contact-1", "client_id": "client-1", "date": "2026-11-01", "summary": "Weekly update"},
        },
        "invoice": {
            "1": {"id": "invoice-1", "number": "2026-001", "client_id": "client-1", "currency": "EUR",
                  "issued": "2026-10-01", "terms": 30, "status": "sent",
                  "items": [{"description": "Work", "quantity": "1", "unit_price": "500.00"}]},
        },
        "job": {}, "change": {}, "promise": {}, "rate": {}, "template": {},
        "settings": {"1": {"id": "settings", "name": "Ana", "schema_version": 1}},
    }


def write_v1(path: Path) -> bytes:
    raw = json.dumps(v1_data(), indent=4).encode()  # not even our own formatting
    path.write_bytes(raw)
    return raw


def test_a_v1_file_is_backed_up_then_migrated_to_the_current_schema(data_path):
    old = write_v1(data_path)
    store = Store.open(data_path, clock=FixedClock(FIXED_DAY))

    [backup] = backups.list_backups(data_path)
    assert "pre-migration-v1" in backup.name
    assert backup.read_bytes() == old
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600

    data = json.loads(data_path.read_bytes())
    assert schema_version_of(data) == SCHEMA_VERSION == 4
    acme = data["client"]["1"]
    assert (acme["cadence_days"], acme["terms_days"]) == (10, 30)
    assert "cadence" not in acme and "terms" not in acme
    invoice = data["invoice"]["1"]
    assert invoice["terms_days"] == 30 and "terms" not in invoice
    for table in data.values():
        for doc in table.values():
            assert doc["created_at"] and doc["updated_at"]
    assert data_path.read_bytes() == dump_bytes(data)  # written in our format
    assert store.check() == []
    assert store.get(Client, "client-1").cadence_days == 10
    assert store.find_invoice("2026-001").due_on == dt.date(2026, 10, 31)
    assert store.get(Invoice, "invoice-1").terms_days == 30


def test_migrating_twice_is_not_possible_and_reopening_makes_no_new_backup(data_path):
    write_v1(data_path)
    Store.open(data_path, clock=FixedClock(FIXED_DAY))
    after = data_path.read_bytes()
    Store.open(data_path, clock=FixedClock(FIXED_DAY))
    assert data_path.read_bytes() == after
    assert len(backups.list_backups(data_path)) == 1


def test_ids_made_after_a_migration_do_not_collide_with_migrated_ones(data_path):
    """v1 files carry no id counters; the first new client must not be client-1."""
    write_v1(data_path)
    store = Store.open(data_path, clock=FixedClock(FIXED_DAY))
    new = store.add_client(Client(name="Initech", since=FIXED_DAY))
    from storage.models import Contact

    contact = store.log_contact(Contact(client_id=new.id, date=FIXED_DAY))
    assert new.id not in ("client-1", "client-2")
    assert contact.id != "contact-1"
    data = json.loads(data_path.read_bytes())
    ids = [doc["id"] for table in data.values() for doc in table.values()]
    assert len(ids) == len(set(ids))
    assert store.check() == []


def test_migrate_keeps_a_value_already_under_the_new_name():
    data = v1_data()
    data["client"]["1"]["cadence_days"] = 21
    out = migrate(data, 1, "2026-11-27T09:00:00Z")
    assert out["client"]["1"]["cadence_days"] == 21
    assert schema_version_of(out) == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("version", "words"),
    [(SCHEMA_VERSION + 1, "newer rapport"), (99, "newer rapport"), (0, "not one rapport ever wrote")],
)
def test_a_file_from_an_unknown_schema_is_refused_and_left_alone(data_path, version, words):
    data = v1_data()
    data["settings"]["1"]["schema_version"] = version
    raw = json.dumps(data).encode()
    data_path.write_bytes(raw)
    with pytest.raises(DataFileError, match=words):
        Store.open(data_path, clock=FixedClock(FIXED_DAY))
    assert data_path.read_bytes() == raw
    assert backups.list_backups(data_path) == []
