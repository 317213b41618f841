"""Snapshot tests: the Jobs screen, and in Spanish every screen (Agenda, Clients,
Overdue board, Invoices, Jobs), the help, the welcome of a new file, the draft
preview, the settings form and the Templates screen, at 80x24, demo data, fixed today.

Update with ``pytest tests/tui/test_snapshots_workflows.py --snapshot-update`` after
a deliberate change, and look at the pictures before committing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storage.clock import FixedClock
from storage.demo import generate
from storage.store import Store, parse_export

DAY = dt.date(2026, 11, 27)


def _app(tmp_path: Path, language: str = "en"):
    from tui.app import build_app

    path = tmp_path / "rapport.json"
    Store.write_new(path, parse_export(generate(DAY, "small")), now=FixedClock(DAY).now())
    store = Store.open(path, clock=FixedClock(DAY))
    if language != "en":
        store.update_settings(language=language)
    return build_app(store)


def test_jobs_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path), press=["5"], terminal_size=(80, 24))


def test_agenda_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), terminal_size=(80, 24))


def test_help_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), press=["question_mark"], terminal_size=(80, 24))


def test_welcome_spanish_80x24(snap_compare, tmp_path):
    from tui.app import build_app

    store = Store.open(tmp_path / "new.json", clock=FixedClock(DAY))
    store.update_settings(language="es")
    assert snap_compare(build_app(store), terminal_size=(80, 24))


def test_jobs_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), press=["5"], terminal_size=(80, 24))


def test_draft_spanish_80x24(snap_compare, tmp_path):
    """``m`` on the Agenda's second row: the reminder drafted in Spanish (the
    client's language is the settings'), its headers and keys in Spanish."""
    assert snap_compare(_app(tmp_path, "es"), press=["down", "m"], terminal_size=(80, 24))


def test_clients_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), press=["2"], terminal_size=(80, 24))


def test_overdue_board_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), press=["3"], terminal_size=(80, 24))


def test_invoices_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), press=["4"], terminal_size=(80, 24))


def test_settings_form_spanish_80x24(snap_compare, tmp_path):
    assert snap_compare(_app(tmp_path, "es"), press=["comma"], terminal_size=(80, 24))


def test_templates_spanish_80x24(snap_compare, tmp_path):
    """The settings, then ctrl+t: the Templates screen with the shipped Spanish ones."""
    assert snap_compare(_app(tmp_path, "es"), press=["comma", "ctrl+t"], terminal_size=(80, 24))
