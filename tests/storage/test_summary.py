"""The daily review's summary file: a cache that is never wrong, only missing.

A review computed from the summary must equal the review computed from the
whole data file, on any day; a summary of an older version of the file, or one
that cannot be read, is ignored and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import summary
from storage.clock import FixedClock
from storage.demo import generate
from storage.models import Contact, InvoiceStatus, Job, JobStatus, Rate, RateStatus
from storage.scheduler import review
from storage.snapshot import Snapshot
from storage.store import Store, parse_export

DAY = dt.date(2026, 11, 27)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.json"
    Store.write_new(path, parse_export(generate(DAY, "small")), now=FixedClock(DAY).now())
    return path


def summary_snapshot(store: Store):
    summary.write(store.path, store.storage.read(), store.storage.signature)
    loaded = summary.load(store.path)
    assert loaded is not None
    return loaded


@pytest.mark.parametrize("offset", [-400, -30, -3, 0, 1, 2, 7, 15, 31, 45, 90, 400])
def test_review_from_the_summary_equals_the_review_from_the_whole_file(demo_file, offset):
    store = Store.open(demo_file)
    day = DAY + dt.timedelta(days=offset)
    assert review(summary_snapshot(store), day) == review(store.snapshot(), day)


SMALL = parse_export(generate(DAY, "small"))

rate_docs = st.lists(
    st.tuples(
        st.integers(0, 4),  # which client
        st.sampled_from(list(RateStatus)),
        st.integers(-900, 30),  # since, in days from DAY
        st.none() | st.integers(-60, 0),  # sent
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rates=rate_docs, offset=st.sampled_from([-30, 0, 9, 200]))
def test_the_summary_keeps_every_rate_the_review_reads(rates, offset):
    # Any rate history (several accepted rates a client, ties, proposals,
    # declines): the summary keeps only the latest accepted rate of each client
    # and the proposals, and the review from it is the same.
    data = {table: dict(docs) for table, docs in SMALL.items()}
    clients = [data["client"][key]["id"] for key in sorted(data["client"])[:5]]
    data["rate"] = {}
    for n, (which, status, since, sent) in enumerate(rates, start=1):
        rate = Rate(id=f"rate-{n}", client_id=clients[which], amount=Decimal(50 + n), status=status,
                    since=DAY + dt.timedelta(days=since),
                    sent=None if sent is None else DAY + dt.timedelta(days=sent))
        data["rate"][str(n)] = rate.to_doc()
    quick = summary.SummarySnapshot({"source": [0, 0, 0, 0], **summary.build(data)})
    day = DAY + dt.timedelta(days=offset)
    assert review(quick, day) == review(Snapshot(data), day)


def test_void_invoice_leaves_its_job_to_invoice_in_both(demo_file):
    store = Store.open(demo_file)
    client = store.snapshot().clients[0]
    job = store.add_job(Job(client_id=client.id, title="Poster", currency=client.currency))
    store.deliver_job(job.id, DAY)
    from decimal import Decimal

    from storage.models import LineItem

    invoice = store.add_invoice(client.id, [LineItem(description="Poster", unit_price=Decimal("100"))],
                                issued=DAY, job_ids=[job.id])
    store.update_invoice(invoice.number, status=InvoiceStatus.VOID)
    full = review(store.snapshot(), DAY + dt.timedelta(days=2))
    assert job.id in [row.job_id for row in full.to_invoice]
    assert review(summary_snapshot(store), DAY + dt.timedelta(days=2)) == full
    assert store.snapshot().jobs_by_id[job.id].status is JobStatus.DELIVERED  # voiding un-invoiced it


def test_summary_is_private_and_records_the_file_version(demo_file):
    store = Store.open(demo_file)
    summary.write(demo_file, store.storage.read(), store.storage.signature)
    path = summary.summary_path(demo_file)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    st = demo_file.stat()
    assert orjson.loads(path.read_bytes())["source"] == [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def test_a_commit_makes_the_summary_stale(demo_file):
    store = Store.open(demo_file)
    summary_snapshot(store)
    client = store.snapshot().clients[0]
    store.log_contact(Contact(client_id=client.id, date=DAY, summary="x"))
    assert summary.load(demo_file) is None


@pytest.mark.parametrize("garbage", [b"", b"{", b"[]", b'{"format": 999}', b'{"format": 1, "source": "x"}'])
def test_an_unreadable_summary_is_ignored(demo_file, garbage):
    summary.summary_path(demo_file).write_bytes(garbage)
    assert summary.load(demo_file) is None


def test_the_summary_has_no_full_history(demo_file):
    snapshot = summary_snapshot(Store.open(demo_file))
    with pytest.raises(RuntimeError):
        snapshot.contacts  # noqa: B018 - the access itself is the test


def run_today(path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--data", str(path), "--today", DAY.isoformat(), "today", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_cli_today_uses_and_refreshes_the_summary(demo_file):
    first = run_today(demo_file, "--json")
    assert summary.load(demo_file) is not None
    assert run_today(demo_file, "--json") == first  # from the summary: the same answer
    due = orjson.loads(first)["checkins_due"][0]
    Store.open(demo_file).log_contact(Contact(client_id=due["client_id"], date=DAY, summary="called"))
    after = orjson.loads(run_today(demo_file, "--json"))
    assert due["client_id"] not in [row["client_id"] for row in after["checkins_due"]]
    summary.summary_path(demo_file).write_bytes(b"not json")
    assert orjson.loads(run_today(demo_file, "--json")) == after


def test_today_from_the_summary_imports_neither_tinydb_nor_textual(demo_file):
    run_today(demo_file)  # writes the summary
    code = (
        "import sys, runpy; sys.argv = ['rapport', '--data', sys.argv[1], '--today', '2026-11-27', 'today'];"
        "from tui.cli import main; main();"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('tinydb', 'textual', 'rich', 'pendulum'));"
        "sys.stderr.write(repr(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(demo_file)], cwd=REPO, capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip() == "[]"


def test_today_on_the_wall_clock_reads_only_the_summary(demo_file):
    """Without --today, "today" needs the settings' time zone: the summary has
    it, so the data file is not read at all (that read is most of the time of
    a ``rapport today`` on a large file). Proof: the file's bytes are garbled
    behind the summary's back (same size and times), and today still answers."""
    run_today(demo_file)  # writes the summary
    st = os.stat(demo_file)
    demo_file.write_bytes(b"x" * st.st_size)
    os.utime(demo_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    done = subprocess.run([sys.executable, "-m", "tui", "--data", str(demo_file), "today", "--json"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "checkins_due" in orjson.loads(done.stdout)


def test_lazy_open_draws_from_the_summary_and_reads_the_file_when_needed(demo_file):
    store = Store.open(demo_file)
    summary.write(demo_file, store.storage.read(), store.storage.signature)
    full = review(store.snapshot(), DAY)
    lazy = Store.open(demo_file, lazy=True)
    assert not lazy.storage.loaded  # the summary vouches for this version of the file
    assert review(lazy.review_snapshot(), DAY) == full
    assert not lazy.storage.loaded
    assert review(lazy.snapshot(), DAY) == full  # anything more reads the whole file
    assert lazy.storage.loaded


def test_lazy_open_refuses_a_broken_file_whatever_the_summary_says(demo_file):
    from storage.jsonfile import DataFileError

    store = Store.open(demo_file)
    summary.write(demo_file, store.storage.read(), store.storage.signature)
    demo_file.write_bytes(b'{"broken": ')  # a new version of the file: the summary no longer matches
    with pytest.raises(DataFileError):
        Store.open(demo_file, lazy=True)
    assert demo_file.read_bytes() == b'{"broken": '


def test_write_summary_only_when_stale(demo_file):
    store = Store.open(demo_file)
    store.write_summary()
    path = summary.summary_path(demo_file)
    first = path.stat().st_mtime_ns
    store.write_summary()  # up to date: left alone
    assert path.stat().st_mtime_ns == first


def test_a_cli_change_leaves_the_summary_current(demo_file):
    run_today(demo_file)
    client = Store.open(demo_file).snapshot().clients[0]
    env = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"}
    subprocess.run([sys.executable, "-m", "tui", "--data", str(demo_file), "contact", "add", client.id,
                    "--note", "called"], cwd=REPO, env=env, check=True, capture_output=True)
    assert summary.load(demo_file) is not None  # written by the command that changed the file
    assert review(summary.load(demo_file), DAY) == review(Store.open(demo_file).snapshot(), DAY)


def test_a_lazy_store_parses_the_summary_once_per_file_version(demo_file, monkeypatch):
    store = Store.open(demo_file)
    summary.write(demo_file, store.storage.read(), store.storage.signature)
    calls = []
    real = summary.load
    monkeypatch.setattr(summary, "load", lambda path: calls.append(path) or real(path))
    lazy = Store.open(demo_file, lazy=True)
    for _ in range(5):
        lazy.settings()
        lazy.review_snapshot()
    assert len(calls) == 1
    assert not lazy.storage.loaded


def test_reading_the_version_the_summary_described_is_not_a_change(demo_file):
    store = Store.open(demo_file)
    summary.write(demo_file, store.storage.read(), store.storage.signature)
    lazy = Store.open(demo_file, lazy=True)
    drawn = lazy.generation
    review(lazy.review_snapshot(), DAY)  # the first frame, from the summary
    lazy.snapshot()  # the whole file, read afterwards: the same version
    assert lazy.storage.loaded
    assert lazy.generation == drawn  # nothing to redraw
    client = lazy.snapshot().clients[0]
    lazy.log_contact(Contact(client_id=client.id, date=DAY, summary="x"))
    assert lazy.generation != drawn  # a commit is a change


def test_a_change_made_before_the_whole_file_is_read_is_a_change(demo_file):
    store = Store.open(demo_file)
    summary.write(demo_file, store.storage.read(), store.storage.signature)
    lazy = Store.open(demo_file, lazy=True)
    drawn = lazy.generation
    review(lazy.review_snapshot(), DAY)
    client = store.snapshot().clients[0]
    store.log_contact(Contact(client_id=client.id, date=DAY, summary="from another session"))
    lazy.snapshot()
    assert lazy.generation != drawn
