"""The CLI's contract with scripts: errors are one line on stderr with exit 1 (bad
input) or 2 (usage), never a traceback, and never change the data file; demo data
exports and imports back exactly."""

from __future__ import annotations

import json
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from storage import backups
from storage.clock import FixedClock
from storage.models import SCHEMA_VERSION, Change, Client, Job, LineItem, Promise
from storage.store import Store
from tests.conftest import FIXED_DAY


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> bytes:
    """A small file for the error cases: two clients sharing the prefix "Acme",
    one "Globex" with an invoice of 100 EUR, a job, a change and a promise."""
    path = tmp_path_factory.mktemp("seed") / "rapport.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    store.add_client(Client(name="Acme Robotics", since=FIXED_DAY))
    store.add_client(Client(name="Acme Bakery", since=FIXED_DAY))
    globex = store.add_client(Client(name="Globex", since=FIXED_DAY))
    invoice = store.add_invoice(globex.id, [LineItem(description="Work", unit_price=Decimal("100"))], issued=FIXED_DAY)
    assert invoice.number == "2026-001"
    job = store.add_job(Job(client_id=globex.id, title="Site"))
    store.add_change(Change(job_id=job.id, what="More pages", sent=FIXED_DAY))
    store.add_promise(Promise(client_id=globex.id, text="Weekly update", due=FIXED_DAY))
    return path.read_bytes()


def folder_state(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if not p.name.endswith(".lock")
    }


BAD_INPUT = {
    "unknown client": (["contact", "add", "Nobody"], "no client matches"),
    "ambiguous prefix": (["contact", "add", "acme"], "matches 2 clients"),
    "impossible date": (["contact", "add", "Globex", "--on", "2026-02-30"], "not a real date"),
    "date in another form": (["contact", "add", "Globex", "--on", "27/11/2026"], "YYYY-MM-DD"),
    "bad --today": (["--today", "2026-13-01", "today"], "not a real date"),
    "amount not a number": (["invoice", "add", "Globex", "12,50"], "not a decimal number"),
    "negative amount": (["invoice", "add", "Globex", "-5"], "negative"),
    "too many decimals": (["invoice", "add", "Globex", "10.001"], "at most 2 decimals"),
    "float-looking amount": (["invoice", "add", "Globex", "1e3"], "not a decimal number"),
    "duplicate invoice number": (["invoice", "add", "Globex", "10", "--number", "2026-001"], "already exists"),
    "overpayment": (["invoice", "pay", "2026-001", "--amount", "100.01"], "more than"),
    "unknown invoice": (["invoice", "pay", "2099-999"], "no invoice numbered"),
    "remind unknown invoice": (["invoice", "remind", "2099-999"], "no invoice numbered"),
    "unknown job": (["job", "deliver", "job-999"], "no job"),
    "change of unknown job": (["change", "add", "job-999", "More"], "no job"),
    "unknown change": (["change", "answer", "change-999", "accepted"], "no change"),
    "unknown promise": (["promise", "close", "promise-999", "kept"], "no promise"),
    "promise with a bad due date": (["promise", "add", "Globex", "Call", "--due", "tomorrow"], "YYYY-MM-DD"),
    "bad currency": (["client", "add", "Newco", "--currency", "XYZ"], "ISO 4217"),
    "negative terms": (["client", "add", "Newco", "--terms", "-3"], "whole number"),
    "zero cadence": (["client", "add", "Newco", "--cadence", "0"], "greater than 0"),
    "duplicate client name": (["client", "add", "globex"], "already exists"),
    "bad email": (["client", "add", "Newco", "--email", "not-an-address"], "email"),
    "blank client name": (["client", "add", "   "], "required"),
    "no price raise waiting": (["rate", "answer", "Globex", "accepted"], "no price raise"),
    "draft for unknown client": (["draft", "checkin", "Nobody"], "no client matches"),
    "import a missing file": (["import", "/nonexistent/export.json"], "cannot read"),
    "csv export without a folder": (["export", "--format", "csv"], "--out"),
    "demo over an existing file": (["demo", "--size", "small"], "already exists"),
}

USAGE = {
    "unknown command": ["frobnicate"],
    "missing argument": ["client", "add"],
    "unknown option": ["client", "list", "--bogus"],
    "bad choice": ["contact", "add", "Globex", "--channel", "pigeon"],
    "missing required option": ["promise", "add", "Globex", "Call"],
    "bad answer": ["change", "answer", "change-1", "maybe"],
    "demo --size bogus": ["demo", "--size", "bogus", "--force"],
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_one_line_exit_1_and_changes_nothing(tmp_path, seeded, run_cli, case):
    args, words = BAD_INPUT[case]
    path = tmp_path / "rapport.json"
    path.write_bytes(seeded)
    before = folder_state(tmp_path)
    rc, out, err = run_cli(*args, data=path)
    assert rc == 1, (out, err)
    assert out == ""
    assert err.startswith("rapport: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert words in err, err
    assert folder_state(tmp_path) == before


@pytest.mark.parametrize("case", sorted(USAGE))
def test_usage_errors_are_one_line_exit_2_and_change_nothing(tmp_path, seeded, run_cli, case):
    path = tmp_path / "rapport.json"
    path.write_bytes(seeded)
    before = folder_state(tmp_path)
    rc, out, err = run_cli(*USAGE[case], data=path)
    assert rc == 2, (out, err)
    assert out == ""
    assert err.startswith("rapport") and err.count("\n") == 1, err
    assert "Traceback" not in err and "usage:" not in err
    assert folder_state(tmp_path) == before


def test_a_command_that_succeeds_prints_the_new_id_and_changes_only_that(tmp_path, seeded, run_cli):
    """The counterpart of the error table: the same seeded file does accept a good command."""
    path = tmp_path / "rapport.json"
    path.write_bytes(seeded)
    rc, out, err = run_cli("contact", "add", "acme r", "--note", "hi", data=path)
    assert (rc, err) == (0, "")
    new_id = out.strip()
    contacts = json.loads(path.read_bytes())["contact"]
    assert [(c["id"], c["client_id"], c["summary"], c["date"]) for c in contacts.values()] == [
        (new_id, "client-1", "hi", FIXED_DAY.isoformat())
    ]
    rc, out, err = run_cli("invoice", "pay", "2026-001", "--amount", "100.00", data=path)
    assert (rc, err) == (0, "")
    [invoice] = json.loads(path.read_bytes())["invoice"].values()
    assert invoice["payments"] == [{"amount": "100.00", "date": FIXED_DAY.isoformat()}]


# -- demo, export, import -------------------------------------------------------- #


def test_demo_small_exports_and_imports_back_byte_for_byte(tmp_path, run_cli):
    demo = tmp_path / "demo.json"
    rc, out, err = run_cli("demo", "--size", "small", data=demo)
    assert (rc, err) == (0, ""), err
    assert stat.S_IMODE(os.stat(demo).st_mode) == 0o600
    rc, out, err = run_cli("check", data=demo)
    assert (rc, err) == (0, "") and out.startswith("ok:")

    exported = tmp_path / "export.json"
    rc, out, err = run_cli("export", "--format", "json", "--out", str(exported), data=demo)
    assert (rc, err) == (0, "")
    assert stat.S_IMODE(os.stat(exported).st_mode) == 0o600
    payload = json.loads(exported.read_bytes())
    assert payload["schema_version"] == SCHEMA_VERSION and len(payload["client"]) == 8

    copy = tmp_path / "copy.json"
    rc, out, err = run_cli("import", str(exported), data=copy)
    assert (rc, err) == (0, ""), err
    rc, again, err = run_cli("export", "--format", "json", data=copy)
    assert (rc, err) == (0, "")
    assert again.encode() == exported.read_bytes()
    # the documents themselves, not only their export, are the same
    assert json.loads(copy.read_bytes()) == json.loads(demo.read_bytes())


def test_import_over_existing_data_keeps_a_backup_of_it(tmp_path, seeded, run_cli):
    path = tmp_path / "rapport.json"
    path.write_bytes(seeded)
    demo = tmp_path / "demo.json"
    assert run_cli("demo", data=demo).rc == 0
    exported = tmp_path / "export.json"
    assert run_cli("export", "--out", str(exported), data=demo).rc == 0
    rc, out, err = run_cli("import", str(exported), data=path)
    assert (rc, err) == (0, "")
    pre_import = [b for b in backups.list_backups(path) if "pre-import" in b.name]
    assert len(pre_import) == 1 and pre_import[0].read_bytes() == seeded


GARBAGE = {
    "not json": b"this is not json",
    "empty": b"",
    "an array": b"[]",
    "no schema_version": b'{"client": []}',
    "a future schema": b'{"schema_version": 99, "settings": [{"id": "settings"}]}',
    "unknown table": b'{"schema_version": 2, "settings": [{"id": "settings"}], "secrets": []}',
    "a table that is not a list": b'{"schema_version": 2, "settings": [{"id": "settings"}], "client": {}}',
    "no settings": b'{"schema_version": 2, "client": []}',
    "a dangling reference": json.dumps({
        "schema_version": 2,
        "settings": [{"id": "settings", "schema_version": 2}],
        "contact": [{"id": "contact-1", "client_id": "client-9", "date": "2026-11-27"}],
    }).encode(),
    "a bad document": json.dumps({
        "schema_version": 2,
        "settings": [{"id": "settings", "schema_version": 2}],
        "client": [{"id": "client-1", "name": "X", "since": "someday"}],
    }).encode(),
    "a repeated id": json.dumps({
        "schema_version": 2,
        "settings": [{"id": "settings", "schema_version": 2}],
        "client": [{"id": "client-1", "name": "X", "since": "2026-01-01"},
                   {"id": "client-1", "name": "Y", "since": "2026-01-01"}],
    }).encode(),
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_importing_garbage_is_refused_and_the_data_file_is_unchanged(tmp_path, seeded, run_cli, case):
    path = tmp_path / "data" / "rapport.json"
    path.parent.mkdir()
    path.write_bytes(seeded)
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(GARBAGE[case])
    before = folder_state(path.parent)
    rc, out, err = run_cli("import", str(garbage), data=path)
    assert rc == 1, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert folder_state(path.parent) == before


def test_only_the_named_subcommand_is_built_and_help_still_lists_them_all():
    from tui.cli import TOP_COMMANDS, build_parser

    def built(argv: list[str]) -> set[str]:
        parser = build_parser(argv)
        (sub,) = [a for a in parser._actions if a.dest == "command"]
        return set(sub.choices)

    assert built(["--data", "x.json", "--today", "2026-11-27"]) == set()  # the app: no subcommand to parse
    assert built(["--data", "x.json", "today", "--json"]) == {"today"}
    assert built(["--help"]) == set(TOP_COMMANDS)
    assert built(["bogus"]) == set(TOP_COMMANDS)  # so the error can name the real ones
    args = build_parser([]).parse_args(["--data", "x.json", "--today", "2026-11-27"])
    assert args.command is None and args.data == "x.json" and args.today == FIXED_DAY


def test_the_top_level_help_and_an_unknown_command_name_every_command(run_cli):
    from tui.cli import TOP_COMMANDS

    help_ = run_cli("--help")
    assert help_.rc == 0
    assert all(name in help_.stdout for name in TOP_COMMANDS)
    unknown = run_cli("bogus")
    assert unknown.rc == 2
    assert "invalid choice: 'bogus'" in unknown.stderr and "'today'" in unknown.stderr
