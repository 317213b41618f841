"""What the new commands change shows on the screens, and the screens obey the
rules the store now holds.

The CLI runs in a subprocess on the demo file; then the app opens that file
and the test looks at what the screens draw: the Agenda's rows and text, the
Clients table, the invoices list.
"""

from __future__ import annotations

from storage.clock import FixedClock
from storage.store import Store
from tests.conftest import FIXED_DAY

from .test_clients import names
from .test_workflows import error_of, fill


def agenda_keys(app) -> set[str]:
    return set(app.screen._items)


async def test_commands_from_the_cli_show_on_the_agenda_and_clients(demo_path, rapport_cli, screen_text):
    from tui.app import build_app
    from tui.screens.agenda import AgendaScreen
    from tui.screens.clients import ClientsScreen

    for args in (["client", "snooze", "Café", "--until", "2026-12-15"],  # check-in due 18 days late
                 ["promise", "postpone", "promise-2", "--to", "2026-12-20"],  # due today
                 ["invoice", "hold", "2026-043"],  # reminder 2 due
                 ["client", "archive", "Harbour"]):  # check-in due 10 days late
        rc, out, err = rapport_cli(demo_path, *args)
        assert (rc, err) == (0, ""), args
    app = build_app(Store.open(demo_path, clock=FixedClock(FIXED_DAY)))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        keys = agenda_keys(app)
        assert "checkins_due:client-2" in keys  # Bellweather is still due: the others are not
        assert not {"checkins_due:client-3", "checkins_due:client-8", "promises_due:promise-2"} & keys, keys
        reminders = [item.row.number for item in app.screen._items.values() if item.section == "reminders_due"]
        assert "2026-043" not in reminders and "2026-041" in reminders
        text = screen_text(app)
        assert "2026-043 overdue, 1 reminder sent, on hold" in text
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        assert "Harbour Lights Hotel" not in names(app.screen)  # the list shows active clients


async def test_the_rate_form_shows_the_stores_refusal_of_a_raise_that_is_not_one(demo_app, on_disk):
    from tui.widgets.form import FormModal

    from .test_agenda import select

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "rate_reviews" and i.client_id == "client-5")
        await pilot.press("r")
        await pilot.pause()
        await fill(pilot, amount="560", reason="inflation")  # Estudio Núñez's rate is 560.00 EUR/day
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)  # still open: nothing saved
        assert "a raise must be above the current 560.00 EUR" in error_of(form, "amount")
    assert not [r for r in on_disk().rates if r.client_id == "client-5" and str(r.status) == "proposed"]
