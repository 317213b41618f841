"""Issue 15, finding 4: an edit changes only what changed, and never silently
overwrites what another session changed meanwhile."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage.clock import FixedClock
from storage.models import Client, Job, RateStatus
from storage.store import EditConflict, Store
from tests.conftest import FIXED_DAY


@pytest.fixture
def two(tmp_path):
    """Two sessions on one file, and a client both can see."""
    path = tmp_path / "rapport.json"
    first = Store.open(path, clock=FixedClock(FIXED_DAY))
    client = first.add_client(Client(name="Gamma", since=FIXED_DAY, rate=Decimal("50"), notes="start"))
    second = Store.open(path, clock=FixedClock(FIXED_DAY))
    return first, second, client


def test_a_form_writes_only_the_fields_it_changed(two):
    first, second, read = two  # the form opened on `read`
    second.propose_rate(read.id, "90", FIXED_DAY)
    second.answer_rate(read.id, "accepted", FIXED_DAY)
    # The form sends every field, as read, with only the phone changed.
    values = {name: getattr(read, name) for name in ("name", "company", "email", "phone", "rate", "currency",
                                                      "rate_unit", "notes", "cadence_days")}
    values["phone"] = "+34 600 000 000"
    saved = first.update_client(read.id, base=read, **values)
    assert (saved.phone, saved.rate) == ("+34 600 000 000", Decimal("90.00"))
    on_disk = Store.open(first.path, clock=FixedClock(FIXED_DAY)).snapshot()
    assert on_disk.clients_by_id[read.id].rate == Decimal("90.00")
    assert not [r for r in on_disk.rates if r.reason == "edited"]
    assert [r.status for r in on_disk.rates if r.client_id == read.id] == [RateStatus.ACCEPTED, RateStatus.ACCEPTED]


def test_a_field_changed_in_both_sessions_is_refused_with_both_values(two):
    first, second, read = two
    second.update_client(read.id, base=read, phone="111")
    before = first.path.read_bytes()
    with pytest.raises(EditConflict) as info:
        first.update_client(read.id, base=read, phone="222", company="Acme")
    assert info.value.field == "phone"
    assert "'111'" in str(info.value) and "'222'" in str(info.value)
    assert first.path.read_bytes() == before  # nothing of this edit was written, not even the company


def test_notes_edited_in_two_places_the_second_save_is_refused(two):
    first, second, read = two
    first.update_client(read.id, base=read, notes="start\nfrom the first window")
    with pytest.raises(EditConflict, match="notes: was changed in another session meanwhile"):
        second.update_client(read.id, base=read, notes="start\nfrom the second window")
    assert first.get(Client, read.id).notes == "start\nfrom the first window"


def test_the_same_change_made_twice_is_not_a_conflict(two):
    first, second, read = two
    second.update_client(read.id, base=read, phone="111")
    assert first.update_client(read.id, base=read, phone="111").phone == "111"


def test_the_generic_edit_keeps_what_another_session_changed(two):
    first, second, read = two
    job = first.add_job(Job(client_id=read.id, title="Site", brief="v1"))
    second.edit(Job, job.id, {"title": "Site", "brief": "v2"}, base=job)  # changes the brief
    saved = first.edit(Job, job.id, {"title": "New site", "brief": "v1"}, base=job)  # changes the title
    assert (saved.title, saved.brief) == ("New site", "v2")
    with pytest.raises(EditConflict):
        first.edit(Job, job.id, {"brief": "v3"}, base=job)
