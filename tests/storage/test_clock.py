"""One clock: every date rapport stores, shows or compares comes from the
store's clock (storage.clock), and ``--today`` sets it for a whole run."""

from __future__ import annotations

import ast
import datetime as dt
import json
from email import message_from_string
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from storage import backups
from storage.clock import DayClock, FixedClock, SystemClock, stamp
from storage.drafts import Draft
from storage.models import Client, Contact
from storage.store import Store

REPO = Path(__file__).resolve().parents[2]
UTC = dt.UTC

# Calls that read the wall clock. `time.monotonic` measures a duration and is
# allowed; what a date is made of must come from the one clock.
WALL_CLOCK = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("datetime", "fromtimestamp"), ("date", "fromtimestamp"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("time", "ctime"), ("time", "strftime"),
    ("pendulum", "now"), ("pendulum", "today"), ("pendulum", "yesterday"), ("pendulum", "tomorrow"),
}


def wall_clock_reads(source: str) -> list[int]:
    """Lines of ``source`` that call the wall clock directly."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in WALL_CLOCK:
                found.append(node.lineno)
    return found


def test_the_check_finds_each_way_of_reading_the_wall_clock():
    sample = (
        "import datetime as dt, time, pendulum\nfrom datetime import date, datetime\n"
        "dt.datetime.now()\ndt.date.today()\ndate.today()\ndatetime.now(tz)\ntime.time()\n"
        "pendulum.now()\ndt.datetime.fromtimestamp(0)\ntime.localtime()\n"
        "self.clock.now()\nstore.today()\ntime.monotonic()\n"
    )
    assert wall_clock_reads(sample) == [3, 4, 5, 6, 7, 8, 9, 10]


def test_nothing_but_the_clock_reads_the_wall_clock():
    offenders = []
    for folder in ("storage", "tui"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path == REPO / "storage" / "clock.py":
                continue
            offenders += [f"{path.relative_to(REPO)}:{line}" for line in wall_clock_reads(path.read_text())]
    assert offenders == [], "read the store's clock instead (storage/clock.py)"


# -- the clocks --------------------------------------------------------------- #


def test_a_fixed_clock_stands_still_until_moved():
    clock = FixedClock(dt.date(2028, 2, 29))
    assert clock.now() == dt.datetime(2028, 2, 29, 9, 0, tzinfo=UTC) == clock.now()
    assert clock.today() == dt.date(2028, 2, 29)
    clock.advance(hours=15)
    assert clock.today() == dt.date(2028, 3, 1) and clock.now().hour == 0


@pytest.mark.parametrize("zone", [None, "UTC", "Europe/Madrid", "Pacific/Auckland", "America/Los_Angeles"])
def test_today_is_always_the_date_of_now(zone):
    for clock in (SystemClock(lambda: zone), DayClock(dt.date(2027, 3, 1), lambda: zone)):
        now = clock.now()
        assert now.tzinfo is not None
        assert clock.today() == now.date()


def test_the_system_clock_reads_the_zone_on_each_call():
    zones = iter(["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14 and UTC-11
    clock = SystemClock(lambda: next(zones))
    ahead, behind = clock.now(), clock.now()
    assert ahead.utcoffset() == dt.timedelta(hours=14) and behind.utcoffset() == dt.timedelta(hours=-11)
    assert abs((ahead - behind).total_seconds()) < 60  # the same instant, two wall times


def test_a_day_clock_keeps_its_date_and_the_real_time_of_day():
    clock = DayClock(dt.date(2027, 3, 1), lambda: "Europe/Madrid")
    first, second = clock.now(), clock.now()
    assert first.date() == second.date() == clock.today() == dt.date(2027, 3, 1)
    assert first <= second
    assert first.utcoffset() == dt.timedelta(hours=1)  # Madrid's winter time on that date


def test_a_timestamp_is_utc_seconds():
    assert stamp(dt.datetime(2027, 3, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))) == "2027-02-28T23:30:00Z"


# -- the store reads it --------------------------------------------------------- #


def test_documents_backups_and_drafts_carry_the_clocks_time(tmp_path):
    clock = FixedClock(dt.date(2031, 6, 15), dt.time(8, 5, 9))
    path = tmp_path / "rapport.json"
    store = Store.open(path, clock=clock)
    client = store.add_client(Client(name="Acme", since=clock.today()))
    assert client.created_at == client.updated_at == "2031-06-15T08:05:09Z"
    clock.advance(days=1)
    contact = store.log_contact(Contact(client_id=client.id, date=store.today()))
    assert contact.created_at == "2031-06-16T08:05:09Z"
    assert [b.name for b in backups.list_backups(path)] == [
        "rapport.json-20310615-080509-01-daily.json", "rapport.json-20310616-080509-01-daily.json"]
    eml = Draft(kind="checkin", template_name="check-in", language="en", to="a@example.com", subject="Hi",
                body="Hello").as_eml("", date=store.clock.now())
    assert parsedate_to_datetime(message_from_string(eml)["Date"]) == dt.datetime(2031, 6, 16, 8, 5, 9, tzinfo=UTC)


def test_backups_made_in_one_second_sort_by_name_in_the_order_made(tmp_path):
    path = tmp_path / "work.json"
    path.write_text("{}")
    now = FixedClock(dt.date(2027, 12, 31), dt.time(23, 59, 59)).now()
    made = [backups.make(path, reason, now=now) for reason in ("pre-migration-v1", "daily", "pre-import", "replaced")]
    assert backups.list_backups(path) == made
    assert sorted(p.name for p in made) == [p.name for p in made]
    later = backups.make(path, "daily", now=now + dt.timedelta(seconds=1))
    assert backups.list_backups(path)[-1] == later and max(p.name for p in backups.list_backups(path)) == later.name


def test_a_backup_named_before_sequence_numbers_still_counts_and_sorts(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_text("{}")
    old = backups.backup_dir(path) / "rapport-20261130-090000-daily.json"
    old.parent.mkdir()
    old.write_text("{}")
    now = FixedClock(dt.date(2026, 11, 30)).now()  # 09:00:00, the same second
    assert backups.daily(path, now) is None  # that day has its backup already
    newer = backups.make(path, "pre-import", now=now)
    assert backups.list_backups(path) == [old, newer]


def test_the_cli_today_sets_the_date_of_everything_it_writes(run_cli, data_path):
    day = dt.date(2027, 3, 1)
    env = {"TZ": "UTC"}
    assert run_cli("client", "add", "Acme", today=day, env=env).rc == 0
    assert run_cli("contact", "add", "Acme", "--note", "hello", today=day, env=env).rc == 0
    data = json.loads(data_path.read_text())
    stamps = [doc[key] for table in data.values() for doc in table.values() for key in ("created_at", "updated_at")]
    assert stamps and all(s.startswith("2027-03-01T") for s in stamps)
    [daily] = backups.list_backups(data_path)
    assert daily.name.startswith("rapport.json-20270301-") and daily.name.endswith("-daily.json")
    export = data_path.parent / "export.json"
    assert run_cli("export", "--out", str(export), today=day, env=env).rc == 0
    assert run_cli("import", str(export), today=day, env=env).rc == 0
    assert all(b.name.startswith("rapport.json-20270301-") for b in backups.list_backups(data_path))
    ics = run_cli("export", "--format", "ics", today=day, env=env).stdout
    assert [line[:16] for line in ics.splitlines() if line.startswith("DTSTAMP")] == ["DTSTAMP:20270301"]
