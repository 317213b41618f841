"""Navigation (issue 18, point 6): enter or a double click opens a row's client,
escape comes back to where you were, a single click only selects, and ctrl+p
finds a client by name."""

from __future__ import annotations

from storage.models import Client, ClientStatus
from tests.conftest import FIXED_DAY
from tests.tui.test_agenda import select
from tui.screens.agenda import AgendaScreen
from tui.widgets.rowlist import RowList


def clients_screen(app):
    from tui.screens.clients import ClientsScreen

    screen = app.screen
    assert isinstance(screen, ClientsScreen), type(screen)
    return screen


async def test_enter_opens_the_client_and_escape_comes_back_to_the_same_row(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        agenda = pilot.app.screen
        item = await select(pilot, lambda i: i.section == "checkins_due")
        index = agenda.query_one(RowList).highlighted
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert clients_screen(pilot.app).selected.client.id == item.client_id
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is agenda
        assert agenda.selected == item
        assert agenda.query_one(RowList).highlighted == index
        # Escape again on the Agenda: nowhere further back, nothing happens.
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is agenda


async def test_escape_on_clients_reached_by_its_key_stays_there(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        screen = clients_screen(pilot.app)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        # Opened from the Agenda, then left by a key: escape does not jump back either.
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("3", "2")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen


async def test_a_click_selects_a_row_and_a_double_click_opens_it(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        agenda = pilot.app.screen
        assert isinstance(agenda, AgendaScreen)
        rows = agenda.query_one(RowList)
        assert rows.highlighted is not None
        # The third entry row on screen (not the one highlighted now).
        target = next(i for i in range(rows.option_count)
                      if not rows.get_option_at_index(i).disabled and i > rows.highlighted + 1)
        item = agenda._items[rows.get_option_at_index(target).id]
        await pilot.click(RowList, offset=(5, target - rows.scroll_offset.y))
        await pilot.pause()
        assert pilot.app.screen is agenda
        assert rows.highlighted == target and agenda.selected == item
        await pilot.double_click(RowList, offset=(5, target - rows.scroll_offset.y))
        await pilot.pause()
        await pilot.pause()
        assert clients_screen(pilot.app).selected.client.id == item.client_id
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is agenda and agenda.selected == item


async def test_ctrl_p_finds_a_client_by_name_and_opens_it(demo_app, demo_store):
    former = demo_store.add_client(Client(name="Zebra [bold]Works", since=FIXED_DAY, status=ClientStatus.FORMER))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        agenda = pilot.app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"zebra [bold")
        await pilot.pause(0.3)
        from textual.command import CommandPalette

        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = clients_screen(pilot.app)
        assert screen.selected.client.id == former.id  # shown though former: the scope widens
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is agenda
