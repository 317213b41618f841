"""Snapshot tests of the Clients screen: demo data, a fixed today, fixed sizes.

The SVGs live in ``__snapshots__/``; ``pytest --snapshot-update`` rewrites them
after an intended change (look at them before committing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.demo import generate
from storage.store import Store, parse_export
from tests.conftest import FIXED_DAY


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")

    def make():
        from tui.app import build_app

        path = tmp_path / "r.json"
        Store.write_new(path, parse_export(generate(FIXED_DAY, "small")), now=FixedClock(FIXED_DAY).now())
        return build_app(Store.open(path, clock=FixedClock(FIXED_DAY)))

    return make


async def _settle(pilot) -> None:
    # The notes of a client the cursor moved to are drawn once it rests.
    pilot.app.screen.settle_notes()
    await pilot.pause()


def test_clients_80x24(snap_compare, make_app):
    assert snap_compare(make_app(), press=["2"], terminal_size=(80, 24), run_before=None)


def test_clients_120x40(snap_compare, make_app):
    assert snap_compare(make_app(), press=["2"], terminal_size=(120, 40))


def test_clients_filtered_and_moved(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await pilot.press("2", "slash", "e", "enter", "j")
        await _settle(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))


def test_clients_sorted_by_overdue(snap_compare, make_app):
    assert snap_compare(make_app(), press=["2", "s", "s", "s", "s", "s"], terminal_size=(80, 24))


def test_client_open_full_height(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await pilot.press("2", "k", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))


def test_new_client_form_with_errors(snap_compare, make_app):
    press = ["2", "n", *"globex", "tab", "tab", *"nope", "enter"]
    assert snap_compare(make_app(), press=press, terminal_size=(80, 24))


def test_delete_asks_first(snap_compare, make_app):
    assert snap_compare(make_app(), press=["2", "D"], terminal_size=(80, 24))
