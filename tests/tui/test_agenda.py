"""Pilot tests of the Agenda: press the keys, then check the screen and the file."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
from decimal import Decimal

import pytest
from rich.console import Console
from textual.widgets import Input

from storage import scheduler
from storage.clock import FixedClock
from storage.models import Client, ClientStatus, Contact
from storage.store import Store
from storage.text import one_line
from tests.conftest import FIXED_DAY
from tui.draft import DraftScreen
from tui.screens.agenda import AgendaScreen, Item
from tui.screens.help import HelpScreen
from tui.widgets.form import FormModal
from tui.widgets.rowlist import RowList


def agenda_text(app) -> str:
    """The Agenda's rows as plain text, as they are drawn at 80 columns."""
    option_list = app.screen.query_one(RowList)
    console = Console(width=78, file=io.StringIO(), color_system=None, legacy_windows=False)
    for index in range(option_list.option_count):
        console.print(option_list.get_option_at_index(index).prompt)
    return console.file.getvalue()


async def select(pilot, predicate) -> Item:
    """Move the highlight to the first row matching ``predicate``."""
    screen = pilot.app.screen
    assert isinstance(screen, AgendaScreen)
    option_list = screen.query_one(RowList)
    for index in range(option_list.option_count):
        option = option_list.get_option_at_index(index)
        item = screen._items.get(option.id or "")
        if item is not None and predicate(item):
            option_list.highlighted = index
            await pilot.pause()
            assert screen.selected == item
            return item
    raise AssertionError("no agenda row matches")


async def test_sections_in_order_with_who_what_how_late_how_much(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = agenda_text(demo_app)
        titles = ["Reminders due", "Overdue invoices", "Invoices due soon", "Check-ins due", "Promises",
                  "Deadlines", "To invoice", "Awaiting reply", "Rate reviews"]
        positions = [text.index(title) for title in titles]
        assert positions == sorted(positions)
        review = scheduler.review(demo_app.store.snapshot(), FIXED_DAY)
        worst = review.reminders_due[0]
        line = next(line for line in text.splitlines() if worst.number in line)
        assert f"{worst.days_overdue}d late" in line
        assert worst.client[:10] in line
        assert f"{worst.outstanding:,.2f} {worst.currency}" in line
        assert line.startswith("!!")  # red is also marked without colour
        # An overdue invoice that wants a reminder is listed once, under reminders.
        assert text.count(worst.number) == 1


async def test_nothing_due_says_so(tmp_path):
    # A file with clients and nothing due (one with no clients at all shows the
    # welcome instead: tests/tui/test_first_run.py).
    from tui.app import build_app

    store = Store.open(tmp_path / "quiet.json", clock=FixedClock(FIXED_DAY))
    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    store.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary="all fine"))
    async with build_app(store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Nothing due today" in agenda_text(pilot.app)
        assert str(pilot.app.screen.query_one("#agenda-summary").render()) == "All clear"


async def test_log_contact_clears_the_checkin_on_screen_and_on_disk(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "checkins_due")
        client_id = item.client_id
        await pilot.press("l")
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        assert form.query_one("#field-date", Input).value == "2026-11-27"
        form.query_one("#field-summary", Input).value = "Called: all fine [bold]really"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        keys = [i.key for i in pilot.app.screen._items.values() if i.section == "checkins_due"]
        assert f"checkins_due:{client_id}" not in keys
    contacts = [c for c in on_disk().contacts if c.client_id == client_id and c.date == FIXED_DAY]
    assert [c.summary for c in contacts] == ["Called: all fine [bold]really"]


async def test_bad_date_is_refused_beside_the_field_and_nothing_saved(demo_app, on_disk):
    before = len(on_disk().contacts)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l")
        form = pilot.app.screen
        form.query_one("#field-date", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        error = form.query_one("#error-date")
        assert "not a real date" in str(error.render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    assert len(on_disk().contacts) == before


async def test_full_payment_removes_the_invoice(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due")
        number = item.row.number
        await pilot.press("p")
        form = pilot.app.screen
        assert form.query_one("#field-amount", Input).value == str(item.row.outstanding)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        assert number not in agenda_text(pilot.app)
    invoice = on_disk().invoice(number)
    assert invoice.outstanding == 0
    assert invoice.payments[-1].date == FIXED_DAY


async def test_partial_payment_then_overpayment_refused(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due" and i.row.outstanding > 100)
        number, outstanding = item.row.number, item.row.outstanding
        await pilot.press("p")
        pilot.app.screen.query_one("#field-amount", Input).value = "100.00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"{outstanding - 100:,.2f}" in agenda_text(pilot.app)
        await select(pilot, lambda i: getattr(i.row, "number", None) == number)
        await pilot.press("p")
        form = pilot.app.screen
        form.query_one("#field-amount", Input).value = str(outstanding)  # more than is left now
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert "more than" in str(form.query_one("#error-amount").render())
    invoice = on_disk().invoice(number)
    assert [p.amount for p in invoice.payments[-1:]] == [Decimal("100.00")]
    assert invoice.outstanding == outstanding - 100


async def test_snooze_hides_the_checkin_until_the_date(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("z")
        assert pilot.app.screen.query_one("#field-until", Input).value == "2026-12-04"
        await pilot.press("enter")
        await pilot.pause()
        assert all(i.client_id != item.client_id for i in pilot.app.screen._items.values()
                   if i.section == "checkins_due")
    client = on_disk().clients_by_id[item.client_id]
    assert client.snoozed_until == dt.date(2026, 12, 4)


async def test_x_marks_a_promise_kept(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "promises_due")
        await pilot.press("x")
        await pilot.pause()
        assert item.key not in pilot.app.screen._items
    promise = next(p for p in on_disk().promises if p.id == item.row.id)
    assert (str(promise.status), promise.closed) == ("kept", FIXED_DAY)


async def test_draft_reminder_then_mark_sent_advances_the_ladder(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due" and not i.row.escalate)
        number, level = item.row.number, item.row.level
        await pilot.press("m")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        assert number in preview.draft.subject + preview.draft.body
        assert preview.draft.level == level
        assert preview.draft.template_name == {1: "reminder1", 2: "reminder2"}.get(level, "final")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    invoice = on_disk().invoice(number)
    assert [(r.date, r.level) for r in invoice.reminders][-1] == (FIXED_DAY, level)
    assert any(c.kind == "reminder" and c.date == FIXED_DAY and number in c.summary for c in on_disk().contacts)


async def test_failed_write_keeps_the_form_and_the_file(demo_app, demo_path, monkeypatch):
    before = demo_path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("storage.jsonfile.atomic_write", full_disk)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l")
        form = pilot.app.screen
        form.query_one("#field-summary", Input).value = "typed before the disk filled up"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert form.query_one("#field-summary", Input).value == "typed before the disk filled up"
        assert "disk is full" in str(form.query_one("#form-status").render())
    assert demo_path.read_bytes() == before


async def test_change_from_another_process_shows_within_seconds(demo_app, demo_path):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        checkins = [i for i in pilot.app.screen._items.values() if i.section == "checkins_due"]
        client_id = checkins[0].client_id
        other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))  # a second session on the same file
        other.log_contact(Contact(client_id=client_id, date=FIXED_DAY, summary="from cron"))
        pilot.app.poll_store()  # what the two-second poll does
        await pilot.pause()
        assert f"checkins_due:{client_id}" not in pilot.app.screen._items


async def test_help_lists_the_agenda_keys_and_escape_closes(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        for words in ("Log a contact", "Draft the message", "Record a payment", "Snooze a check-in",
                      "promise kept", "promise broken"):
            assert words in text
        await pilot.press("end")  # the rest of the list, below the fold at 80x24
        await pilot.pause()
        text = screen_text(pilot.app)
        for words in ("Agenda", "Clients", "Overdue", "Invoices", "Jobs", "Quit"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, AgendaScreen)


async def test_modes_switch_and_q_quits(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert pilot.app.current_mode == "clients"
        await pilot.press("3")
        assert pilot.app.current_mode == "overdue"
        await pilot.press("1")
        assert pilot.app.current_mode == "agenda"
        await pilot.press("q")
        await pilot.pause()
    assert demo_app.return_code == 0


HOSTILE = [
    "[@click=app.quit]Quit me",
    "[bold]Bold[/bold] [/]",
    "[link=https://example.com]link[/link]",
    "Bell\x07 and \x1b[31mred\x1b[0m and \x9bC1",
    "Café 🎉👩‍💻",
    "שלום עולם \u202eevil",
    "x" * 200,
]


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_client_names_are_shown_literally(tmp_path, name):
    from tui.app import build_app

    store = Store.open(tmp_path / "hostile.json", clock=FixedClock(FIXED_DAY))
    client = store.add_client(Client(name=name, since=FIXED_DAY - dt.timedelta(days=30), status=ClientStatus.ACTIVE))
    app = build_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.client_id == client.id)
        text = agenda_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        shown = text.splitlines()[1]
        assert one_line(name)[:12] in shown  # the name as typed, controls made visible
        if name.startswith("[@click"):
            assert "[@click=app.qu" in shown  # shown literally (cut to the column)
        await pilot.click(RowList, offset=(20, 1))  # click on the name
        await pilot.pause()
        assert app.is_running
        assert item.client_id == client.id


async def test_the_app_leaves_garbage_collection_as_python_has_it(demo_app):
    # No collector tweaks in the app (issue 20): a long session collects cycles
    # on Python's own schedule, and nothing is set aside for good.
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("j", "k")
        assert gc.isenabled() and gc.get_threshold() == threshold and gc.get_freeze_count() == frozen


async def test_a_saved_change_brings_the_review_summary_up_to_date(demo_app, demo_path):
    from storage import summary

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert summary.load(demo_path) is None  # the change made it stale
        assert pilot.app.summary_pending
        pilot.app.write_summary()  # what the debounce does a second later
        fresh = summary.load(demo_path)
        assert fresh is not None
        assert scheduler.review(fresh, FIXED_DAY) == scheduler.review(Store.open(demo_path).snapshot(), FIXED_DAY)


async def test_sent_reminder_leaves_todays_reminders_and_m_again_logs_nothing(demo_app, on_disk, toasts):
    """Issue 16's repro: `m x` on "send reminder 2" must not turn the row into
    "send reminder 3 (final)" due today. The row leaves the reminders; `m` on
    the invoice (now an overdue row) says when the next one is due, offers the
    draft, and marking it sent logs nothing."""
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due" and i.row.level == 2)
        number = item.row.number
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, AgendaScreen)
        assert not any(i.section == "reminders_due" and i.row.number == number for i in screen._items.values())
        await select(pilot, lambda i: i.section == "invoices_overdue" and i.row.number == number)
        await pilot.press("m")
        await pilot.pause()
        assert any("reminder 3 is due on" in toast for toast in toasts(pilot.app))
        assert isinstance(pilot.app.screen, DraftScreen)
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
    assert [r.level for r in on_disk().invoice(number).reminders] == [1, 2]
    assert not any(r.number == number for r in scheduler.reminders_due(on_disk(), FIXED_DAY))


async def test_escalate_row_says_what_to_do_and_m_drafts_no_new_final_notice(demo_app, on_disk, toasts):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due" and i.row.escalate)
        number = item.row.number
        assert f"{number}: call, write off or claim" in agenda_text(pilot.app)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)  # no draft of another final notice
        assert any("call, write it off" in toast for toast in toasts(pilot.app))
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert not any(i.row.__class__.__name__ == "InvoiceRow" and i.row.number == number
                       for i in pilot.app.screen._items.values())
    invoice = on_disk().invoice(number)
    assert str(invoice.status) == "written_off" and len(invoice.reminders) == 3


async def test_x_on_a_retainer_month_issues_its_invoice_once(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "to_invoice" and i.row.kind == "retainer")
        assert (item.row.client, item.row.period) == ("Acme Robotics", "2026-11")
        assert "Retainer 2026-11: Website" in agenda_text(pilot.app)
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert not any(i.section == "to_invoice" and i.row.kind == "retainer"
                       for i in pilot.app.screen._items.values())
    (invoice,) = [i for i in on_disk().invoices if i.period == "2026-11"]
    assert [(li.description, li.unit_price) for li in invoice.items] == [
        ("Website care and hosting, November 2026", Decimal("600.00"))]
    assert (invoice.issued, str(invoice.currency)) == (FIXED_DAY, "USD")


async def test_late_payer_is_marked_on_its_reminder_row(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due" and i.row.client == "Café Olé")
        assert item.row.late_payer
        assert "[late] 2026-040" in agenda_text(pilot.app)
