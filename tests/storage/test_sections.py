"""The daily review's section registry (storage.scheduler.SECTIONS): a rule added
there, in one place, shows in review(), ``rapport today`` (text and JSON) and
the summary; each section's declared reads are the views its rule reads."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storage import scheduler, summary
from storage.clock import FixedClock
from storage.demo import generate
from storage.models import ClientStatus
from storage.scheduler import Money, Phrase, Section, When, phrase, review
from storage.snapshot import Snapshot
from storage.store import Store, parse_export
from tui.report import TITLES, phrase_text, render_review

DAY = dt.date(2026, 11, 27)


@dataclass(frozen=True, slots=True)
class HelloRow:
    """A test-only row: say hello to an active client."""

    client: str
    client_id: str
    cadence_days: int

    @property
    def severity(self) -> str:
        return "amber"

    @property
    def when(self) -> When:
        return When("waiting", self.cadence_days)

    @property
    def what(self) -> tuple[Phrase, ...]:
        return (phrase("Say hello to {name}", name=self.client),)

    @property
    def amount(self) -> Money | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {"client": self.client, "client_id": self.client_id, "cadence_days": self.cadence_days}


def say_hello(snapshot: Snapshot, today: dt.date) -> list[HelloRow]:
    return sorted(
        (HelloRow(c.name, c.id, c.cadence_days) for c in snapshot.clients if c.status is ClientStatus.ACTIVE),
        key=lambda row: (row.client.casefold(), row.client_id),
    )


def added(entry: Section) -> Iterator[Section]:
    scheduler.SECTIONS.append(entry)
    try:
        yield entry
    finally:
        scheduler.SECTIONS.remove(entry)


@pytest.fixture
def hello() -> Iterator[Section]:
    """The one-place change: append a Section to the registry."""
    yield from added(Section("say_hello", "Say hello", say_hello, HelloRow, frozenset({"clients"})))


@pytest.fixture
def hello_from_history() -> Iterator[Section]:
    """The same rule, declared as reading the whole contact history, which the summary does not hold."""
    yield from added(Section("say_hello", "Say hello", say_hello, HelloRow, frozenset({"clients", "contacts"})))


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.json"
    Store.write_new(path, parse_export(generate(DAY, "small")), now=FixedClock(DAY).now())
    return path


def test_a_registered_section_is_in_the_review_in_order_and_in_json(hello, demo_file):
    snapshot = Store.open(demo_file).snapshot()
    result = review(snapshot, DAY)
    expected = tuple(say_hello(snapshot, DAY))
    assert expected and result.say_hello == expected
    assert [name for name, _ in result.sections()][-1] == "say_hello"
    as_json = result.to_json()
    assert list(as_json)[-1] == "say_hello" and as_json["say_hello"] == [row.to_json() for row in expected]
    assert not result.is_empty
    assert TITLES["say_hello"] == "Say hello"


def test_without_it_the_review_has_no_such_section(demo_file):
    result = review(Store.open(demo_file).snapshot(), DAY)
    assert "say_hello" not in result.to_json()
    with pytest.raises(AttributeError):
        result.say_hello  # noqa: B018 - the access itself is the test
    with pytest.raises(TypeError, match="say_hello"):
        scheduler.Review(DAY, say_hello=())


def test_rapport_today_prints_a_registered_section(hello, demo_file, capsys):
    from tui.cli import main

    snapshot = Store.open(demo_file).snapshot()
    first = say_hello(snapshot, DAY)[0]
    text = render_review(review(snapshot, DAY), DAY, color=False)
    lines = text.splitlines()
    heading = f"Say hello ({len(say_hello(snapshot, DAY))})"
    assert heading in lines
    row = lines[lines.index(heading) + 1]
    assert f"Say hello to {first.client}" in row and row.endswith(f"waiting {first.cadence_days} days")

    assert main(["--data", str(demo_file), "--today", DAY.isoformat(), "today"]) == 0
    assert heading in capsys.readouterr().out.splitlines()
    assert main(["--data", str(demo_file), "--today", DAY.isoformat(), "today", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["say_hello"][0] == first.to_json()


def test_the_summary_serves_a_section_that_reads_what_it_holds(hello, demo_file):
    store = Store.open(demo_file)
    summary.write(store.path, store.storage.read() or {}, store.storage.signature)
    quick = summary.load(demo_file)
    assert quick is not None and quick.serves(scheduler.reads())
    assert review(quick, DAY) == review(store.snapshot(), DAY)
    assert review(quick, DAY).say_hello


def test_a_section_reading_more_than_the_summary_holds_gets_the_whole_file(hello_from_history, demo_file, capsys):
    from tui.cli import main

    store = Store.open(demo_file)
    summary.write(store.path, store.storage.read() or {}, store.storage.signature)
    assert summary.load(demo_file) is None  # it does not hold "contacts": not used, never an error
    assert Store.open(demo_file, lazy=True).review_snapshot().contacts  # the store reads the whole file
    assert main(["--data", str(demo_file), "--today", DAY.isoformat(), "today", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["say_hello"]


def test_the_summary_says_what_it_holds_and_another_format_is_read_past(demo_file):
    store = Store.open(demo_file)
    summary.write(store.path, store.storage.read() or {}, store.storage.signature)
    quick = summary.load(demo_file)
    assert quick is not None and quick.holds == summary.HOLDS
    assert scheduler.reads() <= summary.HOLDS  # every shipped section is served by the summary
    # A summary from another version of rapport (another format) is ignored, not trusted or fatal.
    raw = summary.summary_path(demo_file).read_bytes()
    body = summary._unsealed(raw)
    assert body is not None
    other = json.loads(body)
    other["format"] = summary.FORMAT + 1
    summary.summary_path(demo_file).write_bytes(summary._sealed(json.dumps(other).encode()))
    assert summary.load(demo_file) is None
    assert Store.open(demo_file, lazy=True).review_snapshot().contacts  # the whole file, read


VIEWS = frozenset(
    name for name, value in vars(Snapshot).items()
    if not name.startswith("_") and (callable(value) or hasattr(value, "__get__"))
)


@pytest.mark.parametrize("entry", list(scheduler.SECTIONS), ids=lambda entry: entry.name)
@pytest.mark.parametrize("offset", [-400, 0, 30])
def test_each_section_reads_only_the_views_it_declares(entry, offset):
    seen: set[str] = set()

    class Recording(Snapshot):
        def __getattribute__(self, name: str) -> Any:
            if name in VIEWS:
                seen.add(name)
            return object.__getattribute__(self, name)

    scheduler._last_invoice_lists.clear()  # the invoice sections share one pass: make this one run it
    rows = entry.rule(Recording(parse_export(generate(DAY, "small"))), DAY + dt.timedelta(days=offset))
    assert seen <= entry.reads, sorted(seen - entry.reads)
    assert all(isinstance(row, entry.row) for row in rows)


def test_every_row_says_when_what_and_how_much_as_data():
    snapshot = Snapshot(parse_export(generate(DAY, "large")))
    result = review(snapshot, DAY)
    for name, rows in result.sections():
        assert rows, name  # the large demo set has something in every section
        for row in rows:
            assert isinstance(row.when, When) and row.when.kind in ("due", "waiting", "months")
            assert row.what and all(isinstance(part, Phrase) for part in row.what)
            assert row.amount is None or isinstance(row.amount, Money)
            assert phrase_text(row.what).strip()
