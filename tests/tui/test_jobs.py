"""The Jobs screen says what it shows (issue 18): a late deadline marked as on
the other screens, a pending change of brief in words, the job's title once."""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_DAY
from tui.screens.jobs import brief_under_title
from tui.widgets.form import FormModal
from tui.widgets.safe import RICH_SEVERITY
from tui.widgets.table import Table

from .test_workflows import fill, jobs_screen


def row_of(screen_text: str, title: str) -> str:
    return next(line for line in screen_text.splitlines() if title in line and "·" not in line)


def detail_of(screen_text: str) -> str:
    """The detail pane: what is under the table's bottom border, less the key bar."""
    return screen_text.split("─" * 20)[-1].rstrip().rsplit("\n", 1)[0]


async def test_a_late_deadline_is_marked_and_coloured_as_on_the_agenda(demo_app, on_disk, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await jobs_screen(pilot, "job-24")  # Menu cards, due 2026-11-25: two days late
        text = screen_text(pilot.app)
        assert row_of(text, "Menu cards").rstrip().endswith("active      1,200.00 EUR  !!2026-11-25")
        assert row_of(text, "Spring campaign").rstrip().endswith("! 2026-11-30")  # within a week, as on the Agenda
        assert row_of(text, "Annual report").rstrip().endswith("  2026-12-17")  # three weeks off: no mark
        assert "!!" not in row_of(text, "Newsletter") and "! " not in row_of(text, "Newsletter")  # delivered
        assert "Menu cards · !! deadline 2026-11-25, 2d late" in detail_of(text)
        # The cell's colour is the Agenda's red for the same deadline.
        table = screen.query_one(Table)
        deadline = table.get_row("job-24")[-1]
        assert (deadline.plain, str(deadline.style)) == ("!!2026-11-25", RICH_SEVERITY["red"])
        agenda_row = next(i.row for i in await _agenda_items(pilot) if i.section == "deadlines"
                          and i.row.job_id == "job-24")
        assert agenda_row.severity == "red"
        # Delivered, it is no longer late: the mark goes.
        await pilot.press("5")
        await pilot.pause()
        screen.select_job("job-24")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selected.id == "job-24"
        text = screen_text(pilot.app)
        assert row_of(text, "Menu cards").rstrip().endswith("delivered   1,200.00 EUR    2026-11-25")
        assert "deadline" not in detail_of(text)
    assert on_disk().jobs_by_id["job-24"].delivered == FIXED_DAY


async def _agenda_items(pilot):
    await pilot.press("1")
    await pilot.pause()
    return list(pilot.app.screen._items.values())


async def test_a_pending_change_of_brief_is_said_in_words_not_with_a_star(demo_app, on_disk, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await jobs_screen(pilot)
        job = next(j for j in screen._jobs if j.title == "Annual report")
        screen.select_job(job.id)
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "*" not in text.split("─" * 20)[0]  # the table
        assert "Annual report      active      1,600.00 EUR" in row_of(text, "Annual report")
        detail = detail_of(text)
        assert "Change of brief (proposed 2026-11-21, y accept / d decline): Twelve extra" in detail
        await pilot.press("d")  # declined: nothing pending, nothing said
        await pilot.pause()
        assert "Change of brief" not in detail_of(screen_text(pilot.app))
    change = next(c for c in on_disk().changes if c.job_id == job.id)
    assert (str(change.status), change.answered) == ("declined", FIXED_DAY)


async def test_the_title_is_shown_once_in_the_detail(demo_app, on_disk, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot, "job-24")  # its brief opens "## Menu cards"
        text = screen_text(pilot.app)
        assert on_disk().jobs_by_id["job-24"].brief.startswith("## Menu cards\n")
        detail = detail_of(text)
        assert detail.count("Menu cards") == 1
        assert [line.strip() for line in detail.splitlines() if line.strip()][:2] == [
            "Menu cards · !! deadline 2026-11-25, 2d late", "Agreed scope, see email."]
        # A brief that does not open with the title is shown whole, under it.
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, client="client-4", title="Price list", deadline="2026-12-20")
        pilot.app.screen.query_one("#field-brief").text = "# Prices\n\nTwo pages."
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = pilot.app.screen
        job = next(j for j in screen._jobs if j.title == "Price list")
        screen.select_job(job.id)
        await pilot.pause()
        detail = detail_of(screen_text(pilot.app))
        assert detail.count("Price list") == 1 and "Prices" in detail and "Two pages." in detail
    assert next(j for j in on_disk().jobs if j.title == "Price list").brief == "# Prices\n\nTwo pages."


@pytest.mark.parametrize("brief, shown", [
    ("## Menu cards\n\nAgreed scope.", "Agreed scope."),
    ("\n\n# menu CARDS  \nScope", "Scope"),  # blank lines first; case and spaces aside
    ("### Menu cards ###\n\nScope", "Scope"),  # a closing sequence
    ("## Menu cards", ""),  # only the title: "No brief." is shown
    ("## Menu cards, phase 2\n\nScope", "## Menu cards, phase 2\n\nScope"),  # another heading: as typed
    ("Menu cards\n\nScope", "Menu cards\n\nScope"),  # not a heading
    ("#Menu cards\n\nScope", "#Menu cards\n\nScope"),  # not a heading either (no space)
    ("    ## Menu cards\n", "    ## Menu cards\n"),  # indented four: code, not a heading
    ("Scope\n\n## Menu cards", "Scope\n\n## Menu cards"),  # the title further down stays
    ("", ""),
])
def test_brief_under_title(brief, shown):
    assert brief_under_title(brief, "Menu cards") == shown


def test_an_empty_title_never_takes_a_heading_away():
    assert brief_under_title("#\n\nScope", "") == "#\n\nScope"

