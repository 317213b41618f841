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


async def test_the_morning_review_still_takes_at_most_25_keys(demo_app, on_disk):
    """3 check-ins, 2 reminders and 1 payment, without typing a note: undo and
    the new navigation add no step to the common actions."""
    keys = 0

    async def press(*names: str) -> None:
        nonlocal keys
        keys += len(names)
        await pilot.press(*names)
        await pilot.pause()

    async def go_to(predicate) -> None:
        agenda = pilot.app.screen
        rows = agenda.query_one(RowList)
        wanted = next(i for i in range(rows.option_count)
                      if (item := agenda._items.get(rows.get_option_at_index(i).id or "")) and predicate(item))
        while rows.highlighted != wanted:
            await press("j" if rows.highlighted < wanted else "k")

    before = on_disk()
    contacts = len(before.contacts)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):  # the two reminders due (not the one past its final notice)
            await go_to(lambda i: i.section == "reminders_due" and not i.row.escalate)
            await press("m", "x")
        await go_to(lambda i: i.section == "invoices_overdue")
        number = pilot.app.screen.selected.row.number
        await press("p", "enter")
        for _ in range(3):  # check-ins: those due, then whoever is next on the list
            await go_to(lambda i: i.section in ("checkins_due", "promises_due"))
            await press("l", "ctrl+s")
    after = on_disk()
    assert keys <= 25, keys
    assert len(after.contacts) == contacts + 3 + 2  # 3 logged, and one per reminder sent
    assert sum(len(i.reminders) for i in after.invoices) == sum(len(i.reminders) for i in before.invoices) + 2
    assert after.invoice(number).outstanding == 0
