"""Snapshots of the Overdue board and the Invoices list: the small demo set on a
fixed "today" (2026-11-27), at 80x24 unless the name says otherwise.

Update after a deliberate change with ``pytest --snapshot-update`` and look at
the SVGs in ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from storage.clock import FixedClock
from storage.models import Client, LineItem
from storage.store import Store
from tests.conftest import FIXED_DAY
from tui.app import build_app


def test_board_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["3"], terminal_size=(80, 24))


def test_board_scrolled_to_the_oldest_bucket(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["3", "right", "right", "right"], terminal_size=(80, 24))


def test_board_200x60(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["3"], terminal_size=(200, 60))


def test_new_invoice_form(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["3", "n"], terminal_size=(80, 24))


def test_invoices_list_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["4"], terminal_size=(80, 24))


def test_hostile_text_on_cards(snap_compare, tmp_path):
    store = Store.open(tmp_path / "hostile.json", clock=FixedClock(FIXED_DAY))
    names = ["[bold]x", "[@click=app.quit]x", "Bell\x07 Esc\x1b[31m", "Café 🎉👩‍💻", "שלום עולם \u202eevil"]
    for days, name in zip((3, 10, 20, 45, 90), names, strict=True):
        client = store.add_client(Client(name=name, since=dt.date(2026, 1, 1)))
        store.add_invoice(client.id, [LineItem(description=name, unit_price=Decimal("99"))],
                          issued=FIXED_DAY - dt.timedelta(days=14 + days))
    app = build_app(store)
    # Wide enough for all five columns, so every name is in the picture.
    assert snap_compare(app, press=["3"], terminal_size=(132, 24))
