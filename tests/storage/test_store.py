"""The Store's promises, checked on the file on disk: ids never reused, text kept
exactly, modes, daily backups and their rotation, two stores on one file."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import backups
from storage.clock import FixedClock
from storage.jsonfile import DataFileError
from storage.models import SCHEMA_VERSION, Client, Contact, Job
from storage.store import Store
from tests.conftest import FIXED_DAY

_paths = itertools.count()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def on_disk(path: Path) -> dict:
    return json.loads(path.read_bytes())


def ids_on_disk(path: Path, table: str) -> list[str]:
    return sorted(doc["id"] for doc in on_disk(path)[table].values())


def new_client(store: Store, name: str, **kw) -> Client:
    return store.add_client(Client(name=name, since=FIXED_DAY, **kw))


def log(store: Store, client: Client, summary: str = "hello") -> Contact:
    return store.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary=summary))


# -- a new file ---------------------------------------------------------------- #


def test_a_new_file_is_a_valid_current_schema_file_with_private_modes(tmp_path):
    path = tmp_path / "new" / "sub" / "rapport.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    data = on_disk(path)
    assert set(data) >= {"client", "contact", "job", "change", "promise", "rate", "invoice", "template", "settings"}
    [settings_doc] = data["settings"].values()
    assert settings_doc["schema_version"] == SCHEMA_VERSION
    assert mode(path) == 0o600
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "sub") == 0o700
    assert mode(store.storage.lock_path) == 0o600
    assert store.check() == []


def test_open_without_create_refuses_a_missing_file_and_creates_nothing(tmp_path):
    path = tmp_path / "missing.json"
    with pytest.raises(DataFileError, match="no data file"):
        Store.open(path, create=False)
    assert list(tmp_path.iterdir()) == []


def test_the_file_is_readable_sorted_and_indented(store, data_path):
    new_client(store, "Zoë")
    raw = data_path.read_bytes()
    assert raw.endswith(b"}\n") and b'\n  "client": {' in raw
    assert raw == json.dumps(json.loads(raw), indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
    assert "Zoë".encode() in raw


def test_every_document_has_an_id_and_timestamps(store, data_path):
    client = new_client(store, "Acme", rate="60")
    log(store, client)
    data = on_disk(data_path)
    for table in ("client", "contact", "rate"):
        for doc in data[table].values():
            assert doc["id"].startswith(table + "-")
            assert doc["created_at"].endswith("Z") and doc["updated_at"].endswith("Z")
    [rate] = data["rate"].values()
    assert (rate["amount"], rate["currency"], rate["since"]) == ("60.00", "EUR", FIXED_DAY.isoformat())


# -- ids are never reused -------------------------------------------------------- #


def test_a_deleted_clients_id_is_not_given_to_the_next_client(store, data_path):
    first = new_client(store, "First")
    second = new_client(store, "Second")
    store.delete_client(second.id)
    assert ids_on_disk(data_path, "client") == [first.id]
    third = new_client(store, "Third")
    assert third.id not in (first.id, second.id)
    # and not by a fresh process either: the counter is in the file
    fourth = new_client(Store.open(data_path, clock=FixedClock(FIXED_DAY)), "Fourth")
    assert len({first.id, second.id, third.id, fourth.id}) == 4


def test_contact_ids_are_not_reused_after_their_client_is_deleted(store, data_path):
    keep = new_client(store, "Keep")
    gone = new_client(store, "Gone")
    old = [log(store, gone).id for _ in range(3)]
    store.delete_client(gone.id)
    assert on_disk(data_path)["contact"] == {}
    new = [log(store, keep).id for _ in range(3)]
    assert not set(old) & set(new)
    assert ids_on_disk(data_path, "contact") == sorted(new)


def test_delete_then_restore_brings_back_the_same_ids(store, data_path):
    client = new_client(store, "Acme")
    contact = log(store, client)
    deleted = store.delete_client(client.id)
    store.restore(deleted)
    assert ids_on_disk(data_path, "client") == [client.id]
    assert ids_on_disk(data_path, "contact") == [contact.id]
    assert new_client(store, "Other").id != client.id


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(st.sampled_from(["client", "contact", "delete", "reopen"]), min_size=1, max_size=25))
def test_no_sequence_of_inserts_and_deletes_ever_reuses_an_id(tmp_path_factory, ops):
    path = tmp_path_factory.getbasetemp() / f"ids-{next(_paths)}.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    issued: list[str] = []
    live: list[Client] = []
    for n, op in enumerate(ops):
        if op == "client" or (op == "contact" and not live):
            client = new_client(store, f"Client {n}")
            live.append(client)
            issued.append(client.id)
        elif op == "contact":
            issued.append(log(store, live[n % len(live)]).id)
        elif op == "delete" and live:
            store.delete_client(live.pop(n % len(live)).id)
        elif op == "reopen":
            store = Store.open(path, clock=FixedClock(FIXED_DAY))
    assert len(issued) == len(set(issued))
    data = on_disk(path)
    stored = [doc["id"] for table in ("client", "contact") for doc in data[table].values()]
    assert len(stored) == len(set(stored)) and set(stored) <= set(issued)
    assert Store.open(path).check() == []


# -- text is stored exactly ------------------------------------------------------ #

HOSTILE = [
    "[/]",
    "[@click=app.quit]x",
    "[link=https://x]y[/link]",
    "[bold]not bold",
    "\x1b[31mred\x1b[0m \x07 \x9b2J",
    "Zoë 🙂👩🏽‍💻 🇪🇸",
    "مرحبا بالعالم \u202eevil\u202c שלום",
    "a" * 10_000,
    "line one\nline two\r\n\ttabbed",
    "{name} {client.__class__} %s",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_exactly_and_as_utf8(store, data_path, text):
    client = new_client(store, "Acme", notes=text)
    contact = log(store, client, text)
    reopened = Store.open(data_path, clock=FixedClock(FIXED_DAY))
    assert reopened.get(Contact, contact.id).summary == text
    assert reopened.get(Client, client.id).notes == text
    raw = data_path.read_bytes()
    # JSON must escape C0 controls; everything else is written as UTF-8 itself.
    for part in re.split(r"[\x00-\x1f]", text):
        assert part.encode("utf-8") in raw


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_any_unicode_text_round_trips_through_the_file(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / f"text-{next(_paths)}.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    client = new_client(store, "Acme", notes=text)
    contact = log(store, client, text)
    job = store.add_job(Job(client_id=client.id, title="Job", brief=text))
    again = Store.open(path, clock=FixedClock(FIXED_DAY))
    assert again.get(Contact, contact.id).summary == text
    assert again.get(Client, client.id).notes == text
    assert again.get(Job, job.id).brief == text
    assert on_disk(path)["contact"]["1"]["summary"] == text


@settings(max_examples=40, deadline=None)
@given(name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip() == s))
def test_any_client_name_round_trips_and_finds_its_client(tmp_path_factory, name):
    # Names as the CLI and forms pass them: without surrounding whitespace.
    path = tmp_path_factory.getbasetemp() / f"name-{next(_paths)}.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    client = new_client(store, name)
    again = Store.open(path, clock=FixedClock(FIXED_DAY))
    assert again.get(Client, client.id).name == name
    assert again.find_client(client.id).id == client.id
    assert again.find_client(name).id == client.id


# -- two stores on one file -------------------------------------------------------- #


def test_two_stores_on_one_file_lose_nothing(data_path, store):
    other = Store.open(data_path, clock=FixedClock(FIXED_DAY))
    a = new_client(store, "From A")
    b = new_client(other, "From B")  # `other` had not seen A's write
    log(store, b)  # and `store` had not seen B's
    assert a.id != b.id
    names = sorted(doc["name"] for doc in on_disk(data_path)["client"].values())
    assert names == ["From A", "From B"]
    assert len(on_disk(data_path)["contact"]) == 1
    assert other.refresh() is True
    assert {c.name for c in other.snapshot().clients} == {"From A", "From B"}


def test_a_failed_change_leaves_the_file_and_the_store_as_they_were(store, data_path):
    new_client(store, "Acme")
    before = data_path.read_bytes()
    with pytest.raises(ValueError):
        new_client(store, "ACME")  # duplicate name, any case
    with pytest.raises(ValueError):
        store.log_contact(Contact(client_id="client-999", date=FIXED_DAY))
    assert data_path.read_bytes() == before
    assert [c.name for c in store.snapshot().clients] == ["Acme"]


# -- backups ------------------------------------------------------------------------ #


def test_a_daily_backup_is_made_once_per_day_with_the_days_first_bytes(data_path):
    clock = FixedClock(FIXED_DAY)
    store = Store.open(data_path, clock=clock)
    assert backups.list_backups(data_path) == []  # creating the file backs nothing up
    before_first_change = data_path.read_bytes()
    client = new_client(store, "Acme")
    for _ in range(3):
        log(store, client)
    [first] = backups.list_backups(data_path)
    assert first.name.startswith(f"rapport.json-{FIXED_DAY:%Y%m%d}-") and first.name.endswith("-daily.json")
    assert first.read_bytes() == before_first_change
    assert mode(first) == 0o600 and mode(first.parent) == 0o700

    clock.day = FIXED_DAY + dt.timedelta(days=1)
    before_second_day = data_path.read_bytes()
    log(store, client)
    log(store, client)
    found = backups.list_backups(data_path)
    assert len(found) == 2
    assert found[-1].name.startswith(f"rapport.json-{clock.day:%Y%m%d}-")
    assert found[-1].read_bytes() == before_second_day

    # Another process on the same day does not make a second one.
    log(Store.open(data_path, clock=clock), client)
    assert len(backups.list_backups(data_path)) == 2


def test_backups_rotate_keeping_the_newest_14(data_path):
    clock = FixedClock(FIXED_DAY)
    store = Store.open(data_path, clock=clock)
    client = new_client(store, "Acme")
    for day in range(20):
        clock.day = FIXED_DAY + dt.timedelta(days=day)
        log(store, client, f"day {day}")
    found = backups.list_backups(data_path)
    assert len(found) == backups.KEEP == 14
    days = [p.name.split("-")[1] for p in found]
    expected = [f"{FIXED_DAY + dt.timedelta(days=d):%Y%m%d}" for d in range(6, 20)]
    assert days == expected
    assert sorted(p.name for p in (data_path.parent / "backups").iterdir()) == [p.name for p in found]
    # the newest backup is the file as it was before that day's change
    assert json.loads(found[-1].read_bytes())["contact"]["19"]["summary"] == "day 18"


# -- import ----------------------------------------------------------------------------- #


def test_ids_made_after_importing_an_export_without_counters_are_new(store, data_path):
    """An export written by another tool (the format is documented) need not carry
    the settings' id counters; the next id must still not repeat an imported one."""
    payload = {
        "schema_version": 2,
        "settings": [{"id": "settings", "schema_version": 2}],
        "client": [{"id": "client-1", "name": "Imported", "since": "2026-01-01"}],
        "contact": [{"id": "contact-1", "client_id": "client-1", "date": "2026-11-01"}],
    }
    store.import_data(payload)
    added = new_client(store, "Added")
    contact = log(store, added)
    assert added.id != "client-1" and contact.id != "contact-1"
    assert store.check() == []
    assert sorted(ids_on_disk(data_path, "client")) == sorted(["client-1", added.id])
