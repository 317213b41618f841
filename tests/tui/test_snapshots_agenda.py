"""Snapshot tests: the Agenda and its help at 80x24, demo data, fixed today.

Update the pictures with ``pytest tests/tui/test_snapshots_agenda.py --snapshot-update``
after a deliberate change, and look at them before committing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.demo import generate
from storage.store import Store, parse_export

DAY = dt.date(2026, 11, 27)


@pytest.fixture
def app(tmp_path: Path):
    from tui.app import build_app

    path = tmp_path / "rapport.json"
    Store.write_new(path, parse_export(generate(DAY, "small")), now=FixedClock(DAY).now())
    return build_app(Store.open(path, clock=FixedClock(DAY)))


def test_agenda_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24))


def test_agenda_moved_down_80x24(snap_compare, app):
    assert snap_compare(app, press=["j", "j", "j", "j", "j"], terminal_size=(80, 24))


def test_agenda_200x60(snap_compare, app):
    assert snap_compare(app, terminal_size=(200, 60))


def test_help_80x24(snap_compare, app):
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24))


def test_log_contact_form_80x24(snap_compare, app):
    assert snap_compare(app, press=["j", "j", "j", "j", "j", "j", "j", "l"], terminal_size=(80, 24))


def test_empty_agenda_80x24(snap_compare, tmp_path):
    from tui.app import build_app

    store = Store.open(tmp_path / "empty.json", clock=FixedClock(DAY))
    assert snap_compare(build_app(store), terminal_size=(80, 24))
