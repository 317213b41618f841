"""A screen key before that screen is ready: a WaitingScreen at once, then the
screen, with the keys typed meanwhile; the background work for it goes first."""

from __future__ import annotations

from tui.screens.agenda import AgendaScreen
from tui.screens.clients import ClientsScreen
from tui.screens.waiting import WaitingScreen


async def test_a_screen_key_before_the_screen_is_ready_shows_a_waiting_screen_then_the_screen(
        demo_app, screen_text, held_screen, until, type_keys):
    released = held_screen
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not demo_app.prepared
        await type_keys(pilot, "2")
        await until(pilot, lambda: isinstance(demo_app.screen, WaitingScreen) and demo_app.screen.drawn, "drawn")
        waiting = demo_app.screen
        assert demo_app.current_mode == "clients"
        assert "Clients: getting ready…" in screen_text(demo_app)
        await until(pilot, lambda: "show clients" in demo_app._waits, "held")
        # Its pieces came first: the other screens were not even built.
        assert demo_app._mode_screen("jobs") is None and demo_app._mode_screen("invoices") is None
        await type_keys(pilot, "j", "j")  # for the Clients screen, typed while it gets ready
        assert waiting.keys and isinstance(demo_app.screen, WaitingScreen)
        released.append(True)
        await until(pilot, lambda: isinstance(demo_app.screen, ClientsScreen), "shown")
        clients = demo_app.screen
        await until(pilot, lambda: clients.table.cursor_row == 2, "given the keys typed meanwhile")
        await until(pilot, lambda: not waiting.is_attached, "taken away")
        assert demo_app._screen_stacks["clients"] == [clients]
        assert "Active clients: 8" in screen_text(demo_app)


async def test_leaving_a_waiting_screen_drops_its_keys_and_the_screen_is_ready_on_return(demo_app, held_screen, until,
                                                                                         type_keys):
    released = held_screen
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_keys(pilot, "2")
        await until(pilot, lambda: isinstance(demo_app.screen, WaitingScreen), "waiting")
        waiting = demo_app.screen
        await type_keys(pilot, "j", "1")  # j is kept for Clients; 1 leaves at once
        await until(pilot, lambda: isinstance(demo_app.screen, AgendaScreen), "back on the Agenda")
        assert waiting.keys == []
        released.append(True)
        await until(pilot, lambda: isinstance(demo_app._screen_stacks["clients"][0], ClientsScreen), "swapped")
        await until(pilot, lambda: not waiting.is_attached, "taken away")
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen) and demo_app.screen.table.cursor_row == 0


async def test_a_client_opened_before_the_clients_screen_is_ready_is_selected_on_it(demo_app, held_screen, until):
    released = held_screen
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        client = next(c for c in demo_app.store.snapshot().clients if c.name == "Fernhill Farm")
        demo_app.open_client(client.id)
        assert isinstance(demo_app.screen, WaitingScreen)
        released.append(True)
        await until(pilot, lambda: isinstance(demo_app.screen, ClientsScreen), "shown")
        await until(pilot, lambda: (row := demo_app.screen.selected) is not None and row.client.id == client.id, "selected")


async def test_when_the_background_work_stops_the_waiting_screen_says_why(demo_app, screen_text, held_screen, until,
                                                                          type_keys):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_keys(pilot, "3")
        await until(pilot, lambda: isinstance(demo_app.screen, WaitingScreen) and demo_app.screen.drawn, "drawn")
        demo_app._stop("Could not get the other screens ready: a broken document")
        await pilot.pause()
        assert "Could not get the other screens ready: a broken document" in screen_text(demo_app)
        assert isinstance(demo_app.screen, WaitingScreen)


async def test_rows_out_of_view_do_not_keep_a_screen_from_being_shown(demo_app, held_screen, until, type_keys):
    # The Invoices screen lists its first rows at once and the rest in pieces
    # out of view: a screen asked for is shown once what is in view is done,
    # and the rest waits while it is awaited rather than slow it down.
    from tui.app import HURRIED_PAUSE, QUIET_SECONDS

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_keys(pilot, "2")
        await until(pilot, lambda: demo_app.is_ready("clients"), "held at its last step, filled")
        screen = demo_app._mode_screen("clients")
        assert not screen.busy and isinstance(demo_app.screen, WaitingScreen)
        assert demo_app.piece_pause() == HURRIED_PAUSE and demo_app.piece_pause(in_view=False) == QUIET_SECONDS
        done: list[str] = []
        screen.next_piece(done.append, "below", in_view=False)
        assert not screen.busy
        screen.next_piece(done.append, "in view")
        assert screen.busy
        await until(pilot, lambda: not screen.busy, "done in view")
        assert done == ["in view"]
        await until(pilot, lambda: done == ["in view", "below"], "done below")


async def test_a_screen_ready_under_the_command_palette_is_shown_once_the_palette_closes(
        demo_app, held_screen, until, type_keys):
    from textual.command import CommandPalette

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_keys(pilot, "2")
        await until(pilot, lambda: isinstance(demo_app.screen, WaitingScreen) and demo_app.screen.drawn, "drawn")
        waiting = demo_app.screen
        await type_keys(pilot, "ctrl+p")
        await until(pilot, lambda: isinstance(demo_app.screen, CommandPalette), "the palette open")
        held_screen.append(True)
        await until(pilot, lambda: demo_app.is_ready("clients"), "ready")
        await pilot.pause(0.2)
        assert demo_app.screen_stack[0] is waiting  # not taken from under the palette
        await type_keys(pilot, "escape")
        await until(pilot, lambda: isinstance(demo_app.screen, ClientsScreen), "shown once the palette closed")
        await until(pilot, lambda: not waiting.is_attached, "taken away")
