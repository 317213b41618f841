"""Issue 15, finding 5: the TUI never dies of a file problem.

The data file is broken from outside while the app is open; every action key
then says what happened, the app keeps running, and once the file is repaired
the next action works again."""

from __future__ import annotations

import pytest

from tui.screens.agenda import AgendaScreen
from tui.screens.clients import ClientsScreen

BROKEN = b'{"broken": '


async def _dismiss_all(pilot) -> None:
    """Back to the mode's own screen (a key may have opened a modal)."""
    for _ in range(4):
        if isinstance(pilot.app.screen, (ClientsScreen, AgendaScreen)):
            return
        await pilot.press("escape")
        await pilot.pause()


@pytest.mark.parametrize("keys", [
    ("2", "e"), ("2", "l"), ("2", "m"), ("2", "J"), ("2", "c"), ("2", "i"), ("2", "r"), ("2", "A"), ("2", "D"),
    ("2", "N"), ("1", "l"), ("1", "m"), ("1", "p"), ("1", "enter"),
], ids=lambda k: " ".join(k))
async def test_an_action_on_a_broken_file_says_so_and_the_app_lives_on(demo_app, demo_path, until, toasts, keys):
    good = demo_path.read_bytes()
    async with demo_app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        mode, key = keys
        await pilot.press(mode)
        await until(pilot, lambda: isinstance(pilot.app.screen, (ClientsScreen, AgendaScreen)), "the screen")
        await until(pilot, lambda: demo_app.store.storage.loaded, "the file read")
        demo_path.write_bytes(BROKEN)
        await pilot.press(key)
        await pilot.pause()
        assert demo_app.is_running and demo_app.return_code is None
        assert any("cannot use data file" in m for m in toasts(demo_app)), toasts(demo_app)
        assert demo_path.read_bytes() == BROKEN  # never overwritten
        # Repaired: the same key works again (it opens its form or does its thing).
        await _dismiss_all(pilot)
        demo_path.write_bytes(good)
        demo_app.clear_notifications()  # what is shown next is about the repaired file
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert demo_app.is_running
        assert not any("cannot use data file" in m for m in toasts(demo_app)), toasts(demo_app)
