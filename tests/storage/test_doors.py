"""Issue 15, findings 7 to 11: symlinks, backups per file, a checked summary, a
bounded lock, missing files, and the smaller doors of the CLI."""

from __future__ import annotations

import csv
import fcntl
import os
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

from storage import backups, jsonfile, summary
from storage.clock import FixedClock
from storage.jsonfile import DataFileError, StorageError
from storage.models import Client, Job
from storage.store import Store
from tests.conftest import FIXED_DAY

from .test_schema import cli, one_line_error


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    client = store.add_client(Client(name="Beta", since=FIXED_DAY))
    store.add_job(Job(client_id=client.id, title="Site", price=Decimal("100")))
    store.add_job(Job(client_id=client.id, title="Logo", price=Decimal("100")))
    return path


# -- 7: a symlinked data file -------------------------------------------------------- #


def test_a_symlinked_data_file_is_written_through_to_its_target(tmp_path, seeded):
    elsewhere = tmp_path / "link-folder"
    elsewhere.mkdir()
    link = elsewhere / "rapport.json"
    link.symlink_to(seeded)
    rc, out, err = cli(link, "client", "add", "Gamma")
    assert rc == 0, err
    assert link.is_symlink() and os.readlink(link) == str(seeded)
    assert [c["name"] for c in orjson.loads(seeded.read_bytes())["client"].values()] == ["Beta", "Gamma"]
    assert cli(link, "today")[0] == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == ["rapport.json"]  # nothing beside the link
    beside = {p.name for p in seeded.parent.iterdir()}
    assert {".rapport.json.lock", ".rapport.json.summary", "backups"} <= beside


# -- 10: backups named after the whole file name -------------------------------------- #


def test_two_files_with_one_stem_have_their_own_backups(tmp_path):
    clock = FixedClock(FIXED_DAY)
    work, old = tmp_path / "work.json", tmp_path / "work.old"
    for path in (work, old):
        store = Store.open(path, clock=clock)
        store.add_client(Client(name="Beta", since=FIXED_DAY))
        store.add_client(Client(name="Gamma", since=FIXED_DAY))  # the second commit makes the daily backup
    assert [b.name.split("-")[0] for b in backups.list_backups(work)] == ["work.json"]
    assert [b.name.split("-")[0] for b in backups.list_backups(old)] == ["work.old"]
    old.write_bytes(b'{"broken": ')
    with pytest.raises(DataFileError) as info:
        Store.open(old, clock=clock)
    assert "work.old-" in str(info.value) and "work.json-" not in str(info.value)


def test_old_stem_named_backups_are_found_only_when_unambiguous(tmp_path):
    work = tmp_path / "work.json"
    work.write_text("{}")
    legacy = backups.backup_dir(work) / "work-20261126-090000-01-daily.json"
    legacy.parent.mkdir()
    legacy.write_text("{}")
    assert backups.list_backups(work) == [legacy]
    (tmp_path / "work.old").write_text("{}")
    assert backups.list_backups(work) == []  # "work-..." could be either file's
    assert backups.list_backups(tmp_path / "work.old") == []


# -- 9: the summary is checked ------------------------------------------------------------ #


def test_an_edited_summary_is_not_trusted(seeded):
    rc, truth, _ = cli(seeded, "today", "--json")
    assert rc == 0 and summary.load(seeded) is not None
    path = summary.summary_path(seeded)
    raw = orjson.loads(path.read_bytes())
    raw["tables"]["client"]["1"]["name"] = "Nobody Real"
    raw["tables"]["invoice"] = {"1": {"id": "invoice-9", "number": "X", "client_id": "client-77", "status": "sent",
                                      "items": [{"description": "x", "quantity": "1", "unit_price": "99999"}],
                                      "issued": "2026-01-01", "terms_days": 1, "currency": "EUR"}}
    path.write_bytes(orjson.dumps(raw))  # "source" kept as it was
    assert summary.load(seeded) is None
    rc, after, err = cli(seeded, "today", "--json")
    assert (rc, after) == (0, truth), err
    assert "Nobody Real" not in after and "99999" not in after


# -- 11: a bounded lock ------------------------------------------------------------------ #


def test_a_held_lock_is_waited_for_a_bounded_time_then_a_message(seeded, monkeypatch):
    monkeypatch.setattr(jsonfile, "LOCK_WAIT", 0.3)
    store = Store.open(seeded, clock=FixedClock(FIXED_DAY))
    waited = []
    store.storage.on_wait = lambda: waited.append(True)
    holder = os.open(store.storage.lock_path, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        before = seeded.read_bytes()
        with pytest.raises(StorageError, match="waiting for another rapport session"):
            store.add_client(Client(name="Gamma", since=FIXED_DAY))
        assert waited == [True]
        rc, _, err = cli(seeded, "client", "add", "Delta")
        one_line_error(rc, err, "waiting for another rapport session")
        assert seeded.read_bytes() == before
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    assert store.add_client(Client(name="Gamma", since=FIXED_DAY)).name == "Gamma"


# -- 11: a missing file is not created by a look at it ------------------------------------ #


@pytest.mark.parametrize("args", [["check"], ["today"], ["client", "list"], ["invoice", "list"],
                                  ["export"], ["draft", "checkin", "Beta"]])
def test_looking_at_a_missing_file_says_so_and_creates_nothing(tmp_path, args):
    path = tmp_path / "nowhere" / "rapport.json"
    rc, out, err = cli(path, *args)
    one_line_error(rc, err, "no data file at")
    assert not path.exists() and not path.parent.exists()


def test_an_add_command_still_creates_the_file(tmp_path):
    path = tmp_path / "rapport.json"
    assert cli(path, "client", "add", "Beta")[0] == 0
    assert path.exists()


# -- 11: invoice add --job, --number, --currency ---------------------------------------- #


def test_invoice_add_refuses_jobs_not_delivered_twice_or_already_invoiced(seeded):
    one_line_error(*cli(seeded, "invoice", "add", "Beta", "--job", "job-1")[::2], "not delivered")
    assert cli(seeded, "job", "deliver", "job-1")[0] == 0
    one_line_error(*cli(seeded, "invoice", "add", "Beta", "--job", "job-1", "--job", "job-1")[::2], "twice")
    rc, out, err = cli(seeded, "invoice", "add", "Beta", "--job", "job-1")
    assert rc == 0, err
    one_line_error(*cli(seeded, "invoice", "add", "Beta", "--job", "job-1")[::2], "already invoiced")
    assert len(orjson.loads(seeded.read_bytes())["invoice"]) == 1


def test_invoice_numbers_are_normalised(seeded):
    rc, out, err = cli(seeded, "invoice", "add", "Beta", "10", "--number", " 2026-001 ")
    assert (rc, out) == (0, "2026-001\n"), err
    one_line_error(*cli(seeded, "invoice", "add", "Beta", "10", "--number", " 2026-001")[::2], "already exists")
    one_line_error(*cli(seeded, "invoice", "add", "Beta", "10", "--number", "   ")[::2], "required")


def test_an_empty_currency_is_refused(seeded):
    one_line_error(*cli(seeded, "invoice", "add", "Beta", "10", "--currency", "")[::2], "ISO 4217")


# -- 11: export ------------------------------------------------------------------------ #


def test_export_to_a_missing_folder_is_one_line(tmp_path, seeded):
    for fmt in ("json", "ics"):
        rc, out, err = cli(seeded, "export", "--format", fmt, "--out", str(tmp_path / "no" / "such" / "x"))
        one_line_error(rc, err, "folder does not exist")
    rc, out, err = cli(seeded, "export", "--format", "csv", "--out", str(seeded / "sub"))
    one_line_error(rc, err, "cannot write")


def test_csv_cells_that_look_like_formulas_are_made_safe(tmp_path, seeded):
    store = Store.open(seeded, clock=FixedClock(FIXED_DAY))
    store.add_client(Client(name='=HYPERLINK("http://evil","x")', company="+1", phone="-2+3", since=FIXED_DAY,
                            email="", notes="@SUM(A1)"))
    assert cli(seeded, "export", "--format", "csv", "--out", str(tmp_path / "csv"))[0] == 0
    with open(tmp_path / "csv" / "client.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    evil = rows[-1]
    assert evil["name"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert (evil["company"], evil["phone"], evil["notes"]) == ("'+1", "'-2+3", "'@SUM(A1)")
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


def test_ics_to_stdout_carries_no_raw_controls(seeded):
    store = Store.open(seeded, clock=FixedClock(FIXED_DAY))
    store.add_client(Client(name="Evil\x9b31m \u202eright\x7f \x1b]0;PWN\x07", since=FIXED_DAY))
    rc, out, err = cli(seeded, "export", "--format", "ics")
    assert rc == 0, err
    assert "Check in with Evil" in out
    for raw in ("\x9b", "\u202e", "\x7f", "\x1b", "\x07"):
        assert raw not in out


def test_usage_errors_echo_what_was_typed_on_one_line_without_controls(seeded):
    rc, out, err = cli(seeded, "client", "list", "--bogus", "\x1b]0;PWN\x07\nsecond line")
    assert rc == 2
    assert err.count("\n") == 1 and "\x1b" not in err and "\x07" not in err
    assert "\u241b" in err  # shown as a visible symbol
