"""Switching screens: each screen is built on its first show and filled with its
rows; a change made meanwhile shows when a screen is shown again; the whole
file is read off the event loop after the first frame."""

from __future__ import annotations

import json

import pytest

from storage import summary
from storage.clock import FixedClock
from storage.jsonfile import DataFileError
from storage.models import Contact
from storage.store import Store
from tests.conftest import FIXED_DAY
from tui.app import RapportApp, build_app
from tui.screens.agenda import AgendaScreen
from tui.screens.clients import ClientsScreen
from tui.widgets.keybar import KeyBar

SCREENS = [("2", "ClientsScreen", "Fernhill Farm"), ("3", "OverdueScreen", "invoices ·"),
           ("4", "InvoicesScreen", "invoices"), ("5", "JobsScreen", "open")]


@pytest.mark.parametrize(("key", "name", "shown"), SCREENS)
async def test_a_screen_key_shows_that_screen_with_its_rows(demo_app, screen_text, key, name, shown):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert type(demo_app.screen).__name__ == name
        assert shown in screen_text(demo_app)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(demo_app.screen, AgendaScreen)


async def test_a_change_made_while_a_screen_is_hidden_shows_when_it_is_shown_again(demo_app, demo_path,
                                                                                  screen_text):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = demo_app.screen
        assert isinstance(screen, ClientsScreen)
        await pilot.press("1")
        await pilot.pause()
        client = next(c for c in demo_app.store.snapshot().clients if c.name == "Fernhill Farm")
        assert "today" not in str(screen.table.get_row(client.id))
        other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))  # another session logs a contact
        other.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary="Called about the spring order"))
        demo_app.poll_store()
        await pilot.press("2")
        await pilot.pause()
        assert demo_app.screen is screen
        assert "today" in str(screen.table.get_row(client.id))


async def test_a_theme_changed_on_another_screen_restyles_a_screen_shown_before(demo_app):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = demo_app.screen.table
        before = table.styles.background
        await pilot.press("1")
        demo_app.theme = "textual-light" if demo_app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert table.styles.background != before


def lazy_app(demo_path) -> RapportApp:
    """The app as `rapport` starts it: a lazy store on an up-to-date summary."""
    store = Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    summary.write(demo_path, store.storage.read(), store.storage.signature)
    return build_app(Store.open(demo_path, clock=FixedClock(FIXED_DAY), lazy=True))


@pytest.fixture
def slow_read(monkeypatch):
    """Until set, the whole file's first read (in a worker thread) waits."""
    import threading

    gate = threading.Event()
    read = RapportApp.read_data_file

    def held(self) -> None:
        gate.wait(10)
        read(self)

    monkeypatch.setattr(RapportApp, "read_data_file", held)
    yield gate
    gate.set()


async def test_the_whole_file_is_read_after_the_first_frame_without_redrawing_the_agenda(demo_path, monkeypatch,
                                                                                       slow_read):
    app = lazy_app(demo_path)
    refreshes: list[int] = []
    original = AgendaScreen.refresh_data

    def counting(self) -> None:
        refreshes.append(1)
        original(self)

    monkeypatch.setattr(AgendaScreen, "refresh_data", counting)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert not app.store.storage.loaded  # the first frame came from the summary
        slow_read.set()
        await app.workers.wait_for_complete()
        assert app.store.storage.loaded  # read by the warm-up, no key needed
        app.poll_store()
        await pilot.press("2", "1")
        await pilot.pause()
        assert refreshes == [1]  # the first frame's only


async def test_a_first_visit_before_the_file_is_read_shows_loading_then_the_rows_and_keeps_the_keys(
        demo_path, screen_text, slow_read, until, type_keys):
    app = lazy_app(demo_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await type_keys(pilot, "2")
        await until(pilot, lambda: isinstance(app.screen, ClientsScreen), "shown at once")
        clients = app.screen
        await until(pilot, lambda: clients.table.loading, "loading")
        await type_keys(pilot, "j", "j")  # typed while the rows are prepared
        assert clients.table.cursor_row == 0
        slow_read.set()
        await until(pilot, lambda: not clients.table.loading, "filled")
        await until(pilot, lambda: clients.table.cursor_row == 2, "given the keys typed meanwhile")
        assert "Active clients: 8" in screen_text(app)


async def test_leaving_a_screen_while_it_loads_drops_its_keys(demo_path, slow_read, until, type_keys):
    app = lazy_app(demo_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await type_keys(pilot, "2")
        await until(pilot, lambda: isinstance(app.screen, ClientsScreen), "shown")
        clients = app.screen
        await type_keys(pilot, "j", "1")  # j for Clients; 1 leaves at once
        await until(pilot, lambda: isinstance(app.screen, AgendaScreen), "back on the Agenda")
        slow_read.set()
        await until(pilot, lambda: not clients.table.loading, "filled")
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is clients and clients.table.cursor_row == 0


async def test_a_client_opened_before_the_file_is_read_is_selected_once_the_rows_come(demo_path, slow_read, until):
    app = lazy_app(demo_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        client = next(c for c in app.store.review_snapshot().clients if c.name == "Fernhill Farm")
        app.open_client(client.id)
        await until(pilot, lambda: isinstance(app.screen, ClientsScreen), "shown")
        slow_read.set()
        await until(pilot, lambda: (row := app.screen.selected) is not None and row.client.id == client.id,
                    "selected")


async def test_a_file_broken_before_a_first_visit_reads_it_is_a_message_not_a_crash(demo_path, slow_read, until,
                                                                                   type_keys, screen_text):
    app = lazy_app(demo_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await type_keys(pilot, "3")
        await until(pilot, lambda: type(app.screen).__name__ == "OverdueScreen", "shown")
        demo_path.write_text("{ not json")
        slow_read.set()
        await until(pilot, lambda: "Data file problem" in screen_text(app), "said")
        assert app.is_running and not app.screen.query_one("#overdue-board").loading
    assert app.return_code in (None, 0)


async def test_a_file_broken_before_a_modal_result_is_a_message_not_a_crash(demo_app, demo_path, until, screen_text):
    from textual.screen import ModalScreen

    class Ask(ModalScreen[bool]):
        pass

    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        ask = Ask()
        demo_app.push_screen(ask, lambda answer: demo_app.store.snapshot())
        await pilot.pause()
        demo_path.write_text("{ not json")
        ask.dismiss(True)
        await until(pilot, lambda: "Data file problem" in screen_text(demo_app), "said")
        assert demo_app.is_running


async def test_a_file_broken_before_a_timer_fires_is_a_message_not_a_crash(demo_app, demo_path, until, screen_text):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        demo_path.write_text("{ not json")
        demo_app.set_timer(0.01, lambda: demo_app.store.snapshot())
        await until(pilot, lambda: "Data file problem" in screen_text(demo_app), "said")
        assert demo_app.is_running
        demo_app.screen.set_timer(0.01, lambda: demo_app.store.snapshot())  # a screen's timer too
        await pilot.pause(0.1)
        assert demo_app.is_running


async def test_the_wait_for_another_sessions_lock_is_said_before_it_starts(demo_app, demo_path, screen_text,
                                                                          on_disk):
    # Issue 15: the message used to appear once the wait was over. Another
    # process holds the lock for a moment; the key's action waits for it, and
    # the message is on screen when the wait begins.
    import subprocess
    import sys
    import time

    from tests.tui.test_agenda import select

    lock = demo_app.store.storage.lock_path
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "promises_due")
        holder = subprocess.Popen([sys.executable, "-c", (
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(1.0)\n")],
            stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "held"
            seen: list[str] = []
            demo_app.store.storage.on_wait = lambda: seen.append(screen_text(demo_app))
            started = time.monotonic()
            await pilot.press("x")  # mark the promise kept: a save
            for _ in range(100):
                if seen:
                    break
                await pilot.pause(0.02)
            await pilot.pause(0.1)
        finally:
            holder.wait(10)
        assert seen and "waiting for another rapport session" in seen[0]  # on screen as the wait began
        assert time.monotonic() - started < 5
    promise = next(p for p in on_disk().promises if p.id == item.row.id)
    assert str(promise.status) == "kept"  # done once the lock was free


async def test_a_key_bar_off_screen_or_at_shut_down_draws_nothing(demo_app):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        bar = demo_app.screen.query_one(KeyBar)
        await pilot.press("2")
        await pilot.pause()
        shown = bar._shown
        bar._draw()  # the Agenda is not on show: nothing to do, and no error
        assert bar._shown == shown
    # The app has shut down: no screen left to ask for bindings.
    bar._draw()


async def test_quitting_while_a_screen_prepares_its_rows_ends_cleanly(demo_path, slow_read, until, type_keys):
    app = lazy_app(demo_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await type_keys(pilot, "2")
        await until(pilot, lambda: isinstance(app.screen, ClientsScreen), "shown")
        await type_keys(pilot, "q")
        slow_read.set()
    # run_test re-raises whatever an event handler raised while the app closed.
    assert app.return_code in (None, 0)


async def test_a_document_that_does_not_convert_is_refused_before_any_screen(demo_path):
    # Issue 15: every document is checked against the schema when the file is
    # read, so a document that would not convert never reaches a screen: the
    # file is refused at once, naming the field, and left as it was.
    data = json.loads(demo_path.read_text())
    job_id = next(key for key, job in data["job"].items() if job["status"] == "invoiced")
    data["job"][job_id]["price"] = "not money"
    demo_path.write_text(json.dumps(data, indent=2, sort_keys=True))
    edited = demo_path.read_bytes()
    with pytest.raises(DataFileError, match=r"job-\d+\.price: 'not money' is not a decimal number like 1200"):
        Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    assert demo_path.read_bytes() == edited


async def test_the_command_palette_has_every_screen_with_its_key(demo_app):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        commands = {command.title: command for command in demo_app.get_system_commands(demo_app.screen)}
        keys = {binding.action: binding.key for binding in RapportApp.BINDINGS}
        for mode, title in [("agenda", "Agenda"), ("clients", "Clients"), ("overdue", "Overdue board"),
                            ("invoices", "Invoices"), ("jobs", "Jobs")]:
            assert commands[title].help.endswith(f"({keys[f'switch_mode({mode!r})']})")
        commands["Invoices"].callback()
        await pilot.pause(0.5)
        assert demo_app.current_mode == "invoices"
