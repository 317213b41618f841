"""Messages ("… · saved · u undo") at 80x24 (issue 18, point 8): one line over
the header, only the newest shown, the rows never covered. Press the keys, then
look where the toasts are on screen."""

from __future__ import annotations

from textual.widgets import Header

from tests.tui.test_agenda import select
from tui.widgets.rowlist import RowList


def shown(app) -> list:
    """The toasts on screen now (an older one waits hidden until its time is up)."""
    return [toast for toast in app.screen.query("Toast") if toast.parent.display]


async def test_one_message_at_a_time_over_the_header_not_the_rows(demo_app, toasts):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        rows = pilot.app.screen.query_one(RowList).region
        header = pilot.app.screen.query_one(Header).region
        for _ in range(3):  # three contacts logged in a row, quicker than a message lasts
            await select(pilot, lambda i: i.section == "checkins_due")
            await pilot.press("l", "ctrl+s")
            await pilot.pause()
        assert sum("saved · u undo" in toast for toast in toasts(pilot.app)) == 3
        [newest] = shown(pilot.app)
        assert "Logged a contact with" in newest.render().plain
        region = newest.region
        assert region.height == 1 and region.width >= 70  # one line across: room for the message
        assert region.y == header.y and not region.overlaps(rows)

        await pilot.press("u")
        await pilot.pause()
        [newest] = shown(pilot.app)
        assert newest.render().plain.startswith("Undone:") and newest.region.y == header.y


async def test_a_long_message_wraps_onto_the_summary_line_at_most(demo_app):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        rows = pilot.app.screen.query_one(RowList).region
        pilot.app.notify("A long message that does not fit on one line of an 80-column terminal, as an error "
                         "quoting a client's name can be.")
        await pilot.pause()
        [toast] = shown(pilot.app)
        assert toast.region.height == 2 and toast.region.y == 0
        assert not toast.region.overlaps(rows)
