"""Switching screens: the other screens are got ready after start-up, a switch
never restyles the whole app again, and a screen shown before is painted at once."""

from __future__ import annotations

import datetime as dt

from textual.app import App

from storage import summary
from storage.store import Store
from tui.app import LATER_SCREENS, SNAPSHOT_PARTS, build_app
from tui.screens.agenda import AgendaScreen
from tui.screens.clients import ClientsScreen
from tui.widgets.keybar import KeyBar

FIXED_DAY = dt.date(2026, 11, 27)


async def wait_until_prepared(pilot, app) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if all(not callable(app._installed_screens.get(mode)) for mode, _, _ in LATER_SCREENS):
            return
    raise AssertionError("the screens were not prepared")


async def test_after_start_up_every_screen_is_built_and_its_styles_read(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        clients = demo_app.get_screen("clients")
        assert isinstance(clients, ClientsScreen) and not clients.is_mounted  # built, not mounted
        for mode, _, _ in LATER_SCREENS:
            for path in demo_app.get_screen(mode).css_path:
                assert demo_app.stylesheet.has_source(str(path), "")
        assert isinstance(demo_app.screen, AgendaScreen)  # nothing was shown meanwhile
        await pilot.press("2")
        await pilot.pause()
        assert demo_app.screen is clients
        assert "Clients" in screen_text(demo_app) or "clients" in screen_text(demo_app)


async def test_after_start_up_the_snapshot_tables_the_screens_read_are_built(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        snapshot = demo_app.store.snapshot()
        for _ in range(100):
            if all(part in snapshot.__dict__ for part in SNAPSHOT_PARTS):  # cached_property: built
                break
            await pilot.pause(0.05)
        assert [part for part in SNAPSHOT_PARTS if part not in snapshot.__dict__] == []
        assert "contacts" not in snapshot.__dict__  # not read by any screen's first show


async def test_switching_back_and_forth_restyles_the_app_at_most_once_a_screen(demo_app, monkeypatch):
    calls: list[str] = []
    original = App.refresh_css

    def counting(self, animate: bool = True) -> None:
        calls.append(type(self.screen).__name__)
        original(self, animate)

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        monkeypatch.setattr(App, "refresh_css", counting)
        for key in "2131213":
            await pilot.press(key)
            await pilot.pause()
        # Textual 8.2 would restyle everything on each of these switches.
        assert calls == []
        assert type(demo_app.screen).__name__ == "OverdueScreen"


async def test_a_screen_shown_before_is_painted_without_textuals_hold(demo_app, monkeypatch):
    delays: list[float] = []
    original = App.delay_update

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        def spy(self, delay: float = 0.05) -> None:
            delays.append(delay)
            original(self, delay)

        monkeypatch.setattr(App, "delay_update", spy)
        await pilot.press("2")  # first time: held, to hide the screen being built
        await pilot.pause()
        await pilot.press("1")  # shown before: at once
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert delays[0] == 0.05
        assert all(delay < 0.01 for delay in delays[1:]) and len(delays) == 3


async def test_reading_the_whole_file_after_the_first_frame_does_not_redraw_the_agenda(demo_path, monkeypatch):
    store = Store.open(demo_path, clock=lambda: FIXED_DAY)
    summary.write(demo_path, store.storage.read(), store.storage.signature)
    lazy = Store.open(demo_path, clock=lambda: FIXED_DAY, lazy=True)
    app = build_app(lazy, today=FIXED_DAY)
    refreshes: list[int] = []
    original = AgendaScreen.refresh_data

    def counting(self) -> None:
        refreshes.append(1)
        original(self)

    monkeypatch.setattr(AgendaScreen, "refresh_data", counting)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, app)  # the warm-up has read the whole file
        assert lazy.storage.loaded
        app.poll_store()
        await pilot.press("2", "1")
        await pilot.pause()
        assert refreshes == [1]  # the first frame's only


async def test_a_key_bar_off_screen_or_at_shut_down_draws_nothing(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = demo_app.screen.query_one(KeyBar)
        await pilot.press("2")
        await pilot.pause()
        shown = bar._shown
        bar._draw()  # the Agenda is not on show: nothing to do, and no error
        assert bar._shown == shown
    # The app has shut down: no screen left to ask for bindings.
    bar._draw()
