"""A new user's file: the demo put into a file with no clients (and only
there), and the placeholders an empty setting leaves unfilled in a draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.drafts import draft
from storage.errors import UserError
from storage.models import Client
from storage.settings_keys import SETTING_KEYS, SETTING_LABELS
from storage.store import Store
from storage.templates import FILLED_FROM_SETTINGS, PLACEHOLDERS, settings_to_fill
from tests.conftest import FIXED_DAY


def fresh(path: Path) -> Store:
    """The file as a new session reads it: what is really on disk."""
    return Store.open(path, clock=FixedClock(FIXED_DAY))


def test_the_demo_fills_a_new_file_and_is_undone_like_any_change(store, data_path):
    templates = {t.id: t for t in store.snapshot().templates}
    store.take_change()
    counts = store.fill_with_demo(FIXED_DAY)
    assert counts["client"] == 8 and counts["invoice"] > 0
    snap = fresh(data_path).snapshot()
    assert len(snap.clients) == 8
    assert snap.settings.name == "Alex Rivera"  # untouched settings: the demo freelancer signs
    assert {t.id: t for t in snap.templates} == templates  # the file's own templates stay
    assert not fresh(data_path).check()

    change = store.take_change()
    assert change is not None
    store.undo(change)
    snap = fresh(data_path).snapshot()
    assert snap.clients == [] and snap.invoices == [] and snap.contacts == []
    assert snap.settings.name == ""
    assert {t.id: t for t in snap.templates} == templates


def test_the_demo_is_refused_once_the_file_has_a_client(store, data_path):
    store.add_client(Client(name="Real Client Ltd", since=FIXED_DAY))
    before = data_path.read_bytes()
    with pytest.raises(UserError, match="only goes into a file with no clients"):
        store.fill_with_demo(FIXED_DAY)
    assert data_path.read_bytes() == before
    assert [c.name for c in fresh(data_path).snapshot().clients] == ["Real Client Ltd"]


def test_the_demo_keeps_the_settings_a_person_chose(store, data_path):
    store.update_settings(name="María Pérez", language="es")
    store.fill_with_demo(FIXED_DAY)
    settings = fresh(data_path).snapshot().settings
    assert (settings.name, str(settings.language), settings.business) == ("María Pérez", "es", "")


def test_the_demo_never_reuses_an_id_or_an_invoice_number(store, data_path):
    gone = store.add_client(Client(name="Added, then taken back", since=FIXED_DAY))
    store.delete_client(gone.id)
    store.fill_with_demo(FIXED_DAY)
    snap = fresh(data_path).snapshot()
    assert gone.id not in {c.id for c in snap.clients}
    counters = snap.settings.counters
    assert counters["client"] == 9  # one handed out before, eight for the demo
    # What is handed out next follows the demo's ids and numbers.
    nxt = store.add_client(Client(name="Next", since=FIXED_DAY))
    assert nxt.id == "client-10"
    years = {k for k in counters if k.startswith("invoice-")}
    for year in years:
        used = [i.number for i in snap.invoices if i.number and i.number.startswith(year.removeprefix("invoice-"))]
        assert max(int(n.split("-")[1]) for n in used) == counters[year]


def test_every_placeholder_the_settings_fill_names_real_settings():
    for name, keys in FILLED_FROM_SETTINGS.items():
        assert name in PLACEHOLDERS
        for key in keys:
            assert key in SETTING_KEYS and key in SETTING_LABELS
    assert settings_to_fill(["deadline", "signature", "my_name"]) == {
        "signature": FILLED_FROM_SETTINGS["signature"],
        "my_name": ("name",),
    }


@pytest.mark.parametrize("placeholder", sorted(FILLED_FROM_SETTINGS))
def test_an_empty_setting_leaves_its_placeholder_and_any_of_its_settings_fills_it(store, placeholder):
    """The mapping says the truth about storage.drafts: with the settings empty
    the placeholder is missing; each setting it names fills it on its own."""
    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    store.edit_template("checkin", "en", body=f"Hello\n\n{{{placeholder}}}\n")  # a file keeps only edited ones
    empty = draft("checkin", store.snapshot(), client, FIXED_DAY)
    assert placeholder in empty.missing and placeholder in empty.unfilled
    assert f"{{{placeholder}}}" in empty.body
    for key in FILLED_FROM_SETTINGS[placeholder]:
        value = "a@b.example" if key == "email" else "Set"
        store.update_settings(**{key: value})
        filled = draft("checkin", store.snapshot(), client, FIXED_DAY)
        assert placeholder not in filled.missing, key
        store.update_settings(**{key: ""})


def test_unfilled_follows_an_edit_of_the_body(store):
    import dataclasses

    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    message = draft("checkin", store.snapshot(), client, FIXED_DAY)
    assert "signature" in message.unfilled  # a new file: no name, no sign-off
    edited = dataclasses.replace(message, body=message.body.replace("{signature}", "Ana"))
    assert "signature" not in edited.unfilled
