"""Switching screens: the other screens are got ready after start-up, a switch
never restyles the whole app again, and a screen shown before is painted at once."""

from __future__ import annotations

import datetime as dt
import gc
import json

import pytest

from textual.app import App
from textual.css.stylesheet import Stylesheet

from storage.clock import FixedClock
from storage import summary
from storage.models import Contact
from storage.jsonfile import DataFileError
from storage.store import Store
from tui.app import LATER_SCREENS, SNAPSHOT_PARTS, build_app
from tui.screens.agenda import AgendaScreen
from tui.screens.clients import ClientsScreen
from tui.screens.base import style_context
from tui.widgets.keybar import KeyBar
from tui.widgets.table import Table

FIXED_DAY = dt.date(2026, 11, 27)


async def wait_until_prepared(pilot, app) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if app.prepared:
            return
    raise AssertionError("the screens were not prepared")


async def test_after_start_up_every_screen_is_mounted_styled_and_painted_off_screen(demo_app, screen_text,
                                                                                   monkeypatch):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        assert isinstance(demo_app.screen, AgendaScreen)  # nothing was shown meanwhile
        clients = demo_app.get_screen("clients")
        for mode, _, _ in LATER_SCREENS:
            screen = demo_app.get_screen(mode)
            assert screen.is_mounted and not screen.is_current
            for path in screen.css_path:
                assert demo_app.stylesheet.has_source(str(path), "")
            assert screen._styled_in == style_context(demo_app)  # styled since the last CSS came in
        restyled, cells = [], []
        update_nodes, draw_row = Stylesheet.update_nodes, Table._strip
        monkeypatch.setattr(Stylesheet, "update_nodes",
                            lambda self, nodes, animate=False: (restyled.append(1), update_nodes(self, nodes, animate)))
        monkeypatch.setattr(Table, "_strip",
                            lambda self, *args, **kw: (cells.append(1), draw_row(self, *args, **kw))[1])
        await pilot.press("2")
        await pilot.pause()
        assert demo_app.screen is clients
        assert restyled == [] and cells == []  # drawn from what was painted off screen
        text = screen_text(demo_app)
        assert "Active clients: 8" in text and "Fernhill Farm" in text


async def test_a_change_made_while_a_screen_waits_off_screen_shows_on_its_first_show(demo_app, demo_path):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        screen = demo_app.get_screen("clients")
        client = next(row.client for row in screen._rows.values() if row.client.name == "Fernhill Farm")
        assert "today" not in str(screen.table.get_row(client.id))
        other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))  # another session logs a contact
        other.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary="Called about the spring order"))
        demo_app.poll_store()
        await pilot.press("2")
        await pilot.pause()
        assert demo_app.screen is screen
        assert "today" in str(screen.table.get_row(client.id))


async def test_a_theme_changed_on_another_screen_restyles_a_prepared_one(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        table = demo_app.get_screen("clients").table
        before = table.styles.background
        demo_app.theme = "textual-light" if demo_app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert table.styles.background != before


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
        restyled: list[int] = []
        update_nodes = Stylesheet.update_nodes

        def counting_restyles(self, nodes, animate=False) -> None:
            nodes = list(nodes)
            restyled.append(len(nodes))
            update_nodes(self, nodes, animate)

        monkeypatch.setattr(Stylesheet, "update_nodes", counting_restyles)
        for key in "2131213":
            await pilot.press(key)
            await pilot.pause()
        # Textual 8.2 would restyle the whole app, or else the whole screen, on each
        # of these switches.
        assert calls == [] and restyled == []
        assert type(demo_app.screen).__name__ == "OverdueScreen"


async def test_no_switch_waits_for_textuals_hold(demo_app, monkeypatch):
    # Textual holds the frames for 50 ms after a switch, to hide a screen being
    # built. None is: the first switch shows a WaitingScreen, built at once.
    delays: list[float] = []
    original = App.delay_update

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        def spy(self, delay: float = 0.05) -> None:
            delays.append(delay)
            original(self, delay)

        monkeypatch.setattr(App, "delay_update", spy)
        await pilot.press("2")  # not ready yet: a WaitingScreen, then the screen
        await pilot.pause()
        await pilot.press("1")  # shown before: at once
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert len(delays) == 3 and all(delay < 0.01 for delay in delays)


async def test_with_the_background_work_stopped_a_first_switch_is_held_as_textual_does(demo_app, monkeypatch):
    delays: list[float] = []
    original = App.delay_update

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        demo_app._stop("stopped")  # as when a document does not convert
        monkeypatch.setattr(App, "delay_update", lambda self, delay=0.05: (delays.append(delay), original(self, delay)))
        await pilot.press("2")
        await pilot.pause()
        assert delays == [0.05] and isinstance(demo_app.screen, ClientsScreen)


async def test_reading_the_whole_file_after_the_first_frame_does_not_redraw_the_agenda(demo_path, monkeypatch):
    store = Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    summary.write(demo_path, store.storage.read(), store.storage.signature)
    lazy = Store.open(demo_path, clock=FixedClock(FIXED_DAY), lazy=True)
    app = build_app(lazy)
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


async def test_quitting_while_screens_mount_in_the_background_ends_cleanly(demo_app):
    # As when q comes in the first second or two: each screen is mid-mount.
    async with demo_app.run_test(size=(80, 24)):
        for mode, _, _ in LATER_SCREENS:
            demo_app._build_screen(mode)
            demo_app._read_screen_css(mode)
            demo_app._mount_screen(mode)
    # run_test re-raises whatever an event handler raised while the app closed.
    assert demo_app.return_code in (None, 0)


async def test_background_work_due_while_the_app_closes_does_nothing(demo_app, monkeypatch):
    # A timer of the background work can fire while the app closes its screens,
    # between two of their closings: building a screen then would change the
    # stacks Textual is going through.
    done: list[str] = []

    def pieces():
        for mode, _, _ in LATER_SCREENS:
            done.append(mode)
            demo_app._build_screen(mode)
            yield

    prune = App._prune
    fired: list[bool] = []

    async def prune_with_a_timer_firing(self, *args, **kwargs):
        if not fired:
            fired.append(True)
            self._prepare()
        return await prune(self, *args, **kwargs)

    async with demo_app.run_test(size=(80, 24)):
        monkeypatch.setattr(demo_app, "_work_order", lambda: iter([("test", pieces)]))
        monkeypatch.setattr(App, "_prune", prune_with_a_timer_firing)
    assert fired and done == []  # nothing was done


async def test_a_document_that_does_not_convert_is_refused_before_any_screen(demo_path):
    # Issue 15: every document is checked against the schema when the file is
    # read, so a document that would not convert never reaches the background
    # work of the screens: the file is refused at once, naming the field, and
    # left as it was. (Before the schema, the background work met it and the
    # user heard "Could not get the other screens ready: price: ...".)
    data = json.loads(demo_path.read_text())
    job_id = next(key for key, job in data["job"].items() if job["status"] == "invoiced")
    data["job"][job_id]["price"] = "not money"
    demo_path.write_text(json.dumps(data, indent=2, sort_keys=True))
    edited = demo_path.read_bytes()
    with pytest.raises(DataFileError, match=r"job-\d+\.price: 'not money' is not a decimal number like 1200"):
        Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    assert demo_path.read_bytes() == edited


async def test_full_collections_run_only_in_pauses_of_the_typing(demo_app, monkeypatch):
    # As `rapport` starts the app: the collector off until the first frame.
    monkeypatch.setattr("tui.app.FULL_COLLECTION_SECONDS", 0.2)
    threshold = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    gc.disable()
    try:
        async with demo_app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                await pilot.pause(0.02)
                if gc.isenabled():
                    seen.append(gc.get_threshold())
                if demo_app.prepared:
                    break
            assert demo_app.prepared and gc.isenabled()
            assert gc.get_threshold()[:2] == threshold[:2] and gc.get_threshold()[2] > 10**6  # never on its own
            full = gc.get_stats()[2]["collections"]
            for _ in range(6):  # keys, closer together than a pause: no full collection
                await pilot.press("j")
                await pilot.pause(0.1)
            assert gc.get_stats()[2]["collections"] == full
            await pilot.pause(0.7)  # a pause: one runs
            assert gc.get_stats()[2]["collections"] > full
        assert gc.get_threshold() == threshold  # as it was, once the app has ended
        assert seen and all(t[2] > 10**6 for t in seen)  # from the first frame on
    finally:
        gc.enable()
        gc.set_threshold(*threshold)
        gc.unfreeze()


async def test_a_note_drawn_off_screen_holds_no_frame_of_the_screen_on_show(demo_app, monkeypatch):
    # Textual's Markdown holds every frame of the app while it mounts a
    # document's blocks; for a note on a background screen, nothing is held.
    from tui.widgets.markdown import SafeMarkdown

    held: list[int] = []
    begin = App._begin_batch
    monkeypatch.setattr(App, "_begin_batch", lambda self: (held.append(1), begin(self))[1])
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        notes = demo_app.get_screen("clients").query_one("#client-notes", SafeMarkdown)
        held.clear()
        await notes.update("# Off screen\n\n- one\n- two")
        assert held == [] and isinstance(demo_app.screen, AgendaScreen)
        assert "Off screen" in notes.source
        await pilot.press("2")
        await pilot.pause()
        held.clear()
        await notes.update("# On screen\n\nText")
        assert held  # on show: held as Textual does, so no half-drawn note is seen


async def test_the_command_palette_has_every_screen_with_its_key(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        commands = {command.title: command for command in demo_app.get_system_commands(demo_app.screen)}
        keys = {binding.action: key for key, bindings in demo_app._bindings.key_to_bindings.items()
                for binding in bindings}
        for mode, title in [("agenda", "Agenda"), ("clients", "Clients"), ("overdue", "Overdue board"),
                            ("invoices", "Invoices"), ("jobs", "Jobs")]:
            assert commands[title].help.endswith(f"({keys[f'switch_mode({mode!r})']})")
        commands["Invoices"].callback()
        await pilot.pause(0.5)
        assert demo_app.current_mode == "invoices"


async def test_no_piece_of_the_background_work_is_lost_when_the_process_is_held_up(demo_app, monkeypatch):
    # Textual's one-shot timers read the clock twice before they sleep; held up
    # between the two for longer than their delay (a loaded machine), they end
    # without calling back. Here every reading of their clock is 20 ms after
    # the last: the pieces, 1 to 10 ms apart, are all done all the same.
    import itertools

    import textual.timer

    clock = textual.timer._time.get_time
    readings = itertools.count()
    monkeypatch.setattr(textual.timer._time, "get_time", lambda: clock() + next(readings) * 0.02)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await wait_until_prepared(pilot, demo_app)
        assert all(demo_app.get_screen(mode).is_mounted for mode, _, _ in LATER_SCREENS)
