"""What every screen looks like at 80x24 (and 60x20): the board shows all five
aging buckets, the header names the screen, the key bar keeps ``? Help`` and
``q Quit`` whole (issue #18, points 1-3)."""

from __future__ import annotations

import pytest

from tui.draft import DraftScreen
from tui.screens.help import HelpScreen
from tui.widgets.keybar import KeyBar

SCREENS = {"1": "Agenda", "2": "Clients", "3": "Overdue board", "4": "Invoices", "5": "Jobs"}


def bar(app) -> KeyBar:
    return app.screen.query_one(KeyBar)


async def test_all_five_buckets_on_screen_at_80_columns(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause(0.2)
        text = screen_text(pilot.app)
        for title in ("1-7", "8-14", "15-30", "31-60", "61+"):
            assert title in text
        # Every card of the demo data is on screen, the oldest debts included.
        for client in ("Bellweather B", "Harbour Light", "Fernhill Farm", "Café Olé", "Estudio Núñez"):
            assert client in text
        assert "11,200.00 EUR" in text and "1,280.00 EUR" in text
        assert "none" in text  # 1-7, empty, a sliver


async def test_the_oldest_buckets_win_at_60_columns(demo_app, screen_text):
    async with demo_app.run_test(size=(60, 20)) as pilot:
        await pilot.press("3")
        await pilot.pause(0.2)
        text = screen_text(pilot.app)
        assert "61+" in text and "31-60" in text
        assert "Estudio Núñez" in text and "Café Olé" in text  # their cards, not a sliver
        assert "11,200.00 EUR" in text and "1,280.00 EUR" in text
        # The younger buckets are slivers that still say what they hold.
        assert "8-14" in text and "1 inv" in text and "2 inv" in text
        # Moving left opens the next bucket's cards.
        await pilot.press("H", "H")
        await pilot.pause(0.1)
        assert "Harbour Light" in screen_text(pilot.app)


@pytest.mark.parametrize("key", list(SCREENS))
async def test_the_header_names_the_screen(demo_app, screen_text, key):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause(0.2)
        first_line = screen_text(pilot.app).splitlines()[0]
        assert f"{SCREENS[key]} · rapport · Friday 27 November 2026" in first_line


async def test_the_header_names_the_screen_in_spanish(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        demo_app.store.update_settings(language="es")
        demo_app.settings_changed()
        await pilot.press("3")
        await pilot.pause(0.2)
        assert "Facturas vencidas · rapport · viernes, 27 de noviembre" in screen_text(pilot.app).splitlines()[0]


async def test_help_names_the_screen(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "question_mark")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        assert "Overdue board" in text and "This screen" not in text


def whole_entries(plain: str, app) -> list[str]:
    """The bar's entries, each checked to be one the screen has, whole."""
    return [entry for entry in plain.split("  ") if entry]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("key", list(SCREENS))
async def test_the_key_bar_keeps_help_and_quit_whole(demo_app, key, size):
    async with demo_app.run_test(size=size) as pilot:
        await pilot.press(key)
        await pilot.pause(0.3)
        keybar = bar(pilot.app)
        plain = keybar.plain
        assert plain.endswith("? Help  q Quit"), plain
        assert len(plain) <= size[0]
        every = {f"{e.key} {e.description}" for _, e in keybar.entries()}
        for entry in whole_entries(plain, pilot.app):
            assert entry in every, f"{entry!r} cut in {plain!r}"
        # The screens' entry marks the screen on show, and stays.
        assert "12345 Screens" in plain
        marked = next(e for _, e in keybar.entries() if e.current)
        assert marked.current == key


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_draft_keeps_mark_sent_and_close_whole(demo_app, size):
    async with demo_app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("down", "m")
        await pilot.pause(0.3)
        assert isinstance(pilot.app.screen, DraftScreen)
        keybar = bar(pilot.app)
        plain = keybar.plain
        assert plain.endswith("esc Close"), plain
        assert "x Mark sent" in plain
        every = {f"{e.key} {e.description}" for _, e in keybar.entries()}
        for entry in whole_entries(plain, pilot.app):
            assert entry in every, f"{entry!r} cut in {plain!r}"
