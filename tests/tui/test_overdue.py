"""Pilot tests of the Overdue board: press the keys, then check the cards on
screen and the data file on disk."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from textual.color import Color
from textual.widgets import Input, Select, TextArea

from storage import scheduler
from storage.clock import FixedClock
from storage.invoicing import overdue_board
from storage.models import Client, LineItem
from storage.store import Store
from storage.text import one_line
from tests.conftest import FIXED_DAY
from tui.draft import DraftScreen
from tui.screens.overdue import OverdueScreen
from tui.widgets.cards import BucketColumn, InvoiceCard, OverdueBoard, card_content
from tui.widgets.form import FormModal

# The small demo set on FIXED_DAY (see storage/demo.py), by bucket:
#   8-14   2026-043 Bellweather Books     450.00 EUR  1 reminder sent
#   15-30  2026-041 Harbour Lights Hotel  315.00 EUR  1 reminder sent
#          2026-042 Fernhill Farm         770.00 GBP  on hold
#   31-60  2026-040 Café Olé            1,280.00 EUR  2 reminders sent
#   61+    2026-039 Estudio Núñez      11,200.00 EUR  3 sent: escalate


WIDE = (132, 30)
"""Wide enough for five columns of cards that spell every word out (the
wording tests); the 80-column board, with its abbreviations, is tested as such."""


async def open_board(pilot) -> OverdueScreen:
    await pilot.press("3")
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, OverdueScreen)
    return screen


def selected(screen: OverdueScreen) -> str | None:
    card = screen.selected
    return card.number if card else None


def cards_by_column(screen: OverdueScreen) -> dict[str, list[str]]:
    return {column.bucket: [c.number for c in column.cards] for column in screen.query(BucketColumn)}


def card_text(screen: OverdueScreen, number: str) -> str:
    for card in screen.query(InvoiceCard):
        if card.number == number:
            return card_content(card.card, card.today, card.content_region.width).plain
    raise AssertionError(f"no card for {number}")


def card_words(screen: OverdueScreen, number: str) -> list[list[str]]:
    """A card's lines as words, "N reminder(s) sent" said as "N sent" and "next
    reminder" as "next" (cards say it in full only when they are wide enough)."""
    text = re.sub(r"(\d) reminders? sent", r"\1 sent", card_text(screen, number)).replace("next reminder", "next")
    return [line.split() for line in text.splitlines()]


async def focus_card(pilot, screen: OverdueScreen, number: str) -> InvoiceCard:
    card = next(c for c in screen.query(InvoiceCard) if c.number == number)
    card.focus()
    await pilot.pause()
    assert selected(screen) == number
    return card


async def test_one_column_per_bucket_with_cards_and_totals(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        assert cards_by_column(screen) == {
            "1-7": [], "8-14": ["2026-043"], "15-30": ["2026-041", "2026-042"],
            "31-60": ["2026-040"], "61+": ["2026-039"],
        }
        titles = [str(c.border_title) for c in screen.query(BucketColumn)]
        # An empty column shrinks to a sliver (its name inside) so that the four
        # others fit side by side at 80 columns, with short titles.
        assert titles == ["", "8-14 · 1", "15-30 · 2", "31-60 · 1", "61+ days · 1"]
        # Totals per column and currency: EUR and GBP are never added together.
        totals = {c.bucket: str(c.query_one(".bucket-totals").render()) for c in screen.query(BucketColumn)}
        assert totals["15-30"].split("\n") == ["315.00 EUR", "770.00 GBP"]
        assert totals["61+"] == "11,200.00 EUR"
        text = screen_text(pilot.app)
        assert "5 invoices · 13,245.00 EUR + 770.00 GBP" in text
        # Cards of 14 cells: five lines, the words abbreviated.
        assert "Bellweather B…" in text and re.search(r"2026-043 *11d", text)
        assert "450.00 EUR" in text and "1 sent" in text
        assert "R2 due now" in text
        assert "ON HOLD" in text
        # The keys are in the footer.
        for words in ("Remind", "Pay", "Hold", "Statement"):
            assert words in text


async def test_card_shows_client_number_outstanding_days_reminders_and_next_date(demo_app, demo_store):
    # Give Bellweather's invoice its second reminder: the next (final) one is due
    # on max(due_on + 15 = 2026-12-01, today + the 7-day gap between rungs) =
    # 2026-12-04 (issue 16: the gap is kept when a reminder goes out late).
    demo_store.add_reminder("2026-043", FIXED_DAY)
    async with demo_app.run_test(size=WIDE) as pilot:
        screen = await open_board(pilot)
        lines = card_text(screen, "2026-043").splitlines()
        assert lines[0].strip() == "Bellweather Books"
        assert lines[1].split() == ["2026-043", "11", "days", "late"]
        assert card_words(screen, "2026-043")[2:] == [["450.00", "EUR", "2", "sent"], ["next", "2026-12-04"]]
        assert card_words(screen, "2026-039")[2] == ["11,200.00", "EUR", "3", "sent"]
        assert card_words(screen, "2026-039")[3][0] == "escalate:"


async def test_arrows_and_hjkl_move_across_columns_and_cards(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        assert selected(screen) == "2026-039"  # the oldest debt first
        await pilot.press("l")  # the last column: nothing to move to
        assert selected(screen) == "2026-039"
        await pilot.press("H", "H", "H")
        assert selected(screen) == "2026-043"
        await pilot.press("left")  # 1-7 is empty: nothing to move to
        assert selected(screen) == "2026-043"
        await pilot.press("l")
        assert selected(screen) == "2026-041"
        await pilot.press("j")
        assert selected(screen) == "2026-042"
        await pilot.press("j")  # the bottom of the column
        assert selected(screen) == "2026-042"
        await pilot.press("k")
        assert selected(screen) == "2026-041"
        await pilot.press("down", "up", "down")
        assert selected(screen) == "2026-042"
        await pilot.press("right")  # a shorter column: its last card
        assert selected(screen) == "2026-040"
        await pilot.press("right", "right")
        assert selected(screen) == "2026-039"
        await pilot.press("H")
        assert selected(screen) == "2026-040"
        await pilot.press("L")
        await pilot.pause()
        # At 80 columns the five columns fit: nothing scrolls sideways.
        card = screen.selected
        assert card is not None
        assert 0 <= card.region.x and card.region.right <= 80
        assert screen.query_one(OverdueBoard).scroll_x == 0


async def test_all_five_columns_side_by_side_when_wide(demo_app):
    async with demo_app.run_test(size=(200, 60)) as pilot:
        screen = await open_board(pilot)
        regions = [c.region for c in screen.query(BucketColumn)]
        assert all(r.width >= 26 and r.right <= 200 for r in regions)
        assert [r.x for r in regions] == sorted(r.x for r in regions)
        assert screen.query_one(OverdueBoard).max_scroll_x == 0
        lines = card_text(screen, "2026-043").splitlines()
        assert lines[2].split() == ["450.00", "EUR", "1", "reminder", "sent"]
        assert lines[3] == "reminder 2 due now"


async def test_remind_drafts_the_next_rung_and_mark_sent_advances_the_ladder(demo_app, on_disk):
    async with demo_app.run_test(size=WIDE) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-043")  # one reminder sent: reminder 2 is due
        await pilot.press("m")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        assert (preview.draft.level, preview.draft.template_name) == (2, "reminder2")
        assert "2026-043" in preview.draft.subject + preview.draft.body
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert pilot.app.screen is screen
        assert card_words(screen, "2026-043")[2:] == [["450.00", "EUR", "2", "sent"], ["next", "2026-12-04"]]
    invoice = on_disk().invoice("2026-043")
    assert [(r.level, r.date) for r in invoice.reminders][-1] == (2, FIXED_DAY)
    assert not any(r.number == "2026-043" for r in scheduler.reminders_due(on_disk(), FIXED_DAY))


async def test_final_reminder_drafted_for_the_last_rung(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-040")  # two sent: the final notice
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DraftScreen)
        assert pilot.app.screen.draft.template_name == "final"


async def test_remind_after_the_ladder_says_escalate_instead(demo_app, on_disk, toasts):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-039")
        await pilot.press("m")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert any("call, write it off" in toast for toast in toasts(pilot.app))
    assert len(on_disk().invoice("2026-039").reminders) == 3


async def test_pay_part_then_the_rest_the_amount_changes_then_the_card_vanishes(demo_app, on_disk):
    async with demo_app.run_test(size=WIDE) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-041")
        await pilot.press("p")
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        assert form.query_one("#field-amount", Input).value == "315.00"  # defaults to what is outstanding
        assert form.query_one("#field-date", Input).value == "2026-11-27"
        form.query_one("#field-amount", Input).value = "115"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert pilot.app.screen is screen
        assert card_text(screen, "2026-041").splitlines()[2].startswith("200.00 EUR ")
        assert on_disk().invoice("2026-041").outstanding == Decimal("200.00")
        assert selected(screen) == "2026-041"

        await pilot.press("p")
        assert pilot.app.screen.query_one("#field-amount", Input).value == "200.00"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert "2026-041" not in cards_by_column(screen)["15-30"]
        assert cards_by_column(screen)["15-30"] == ["2026-042"]
        assert selected(screen) == "2026-042"  # the card that took its place
        assert str(screen.query_one("#bucket-15-30 .bucket-totals").render()).strip() == "770.00 GBP"
    invoice = on_disk().invoice("2026-041")
    assert invoice.outstanding == 0
    assert [p.amount for p in invoice.payments][-2:] == [Decimal("115.00"), Decimal("200.00")]


async def test_overpayment_is_refused_with_a_message(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-043")
        await pilot.press("p")
        form = pilot.app.screen
        form.query_one("#field-amount", Input).value = "450.01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert "more than" in str(form.query_one("#error-amount").render())
        await pilot.press("escape")
        await pilot.pause()
        assert "2026-043" in cards_by_column(screen)["8-14"]
    assert on_disk().invoice("2026-043").payments == []


async def test_hold_stops_reminders_and_release_brings_them_back(demo_app, on_disk):
    assert any(r.number == "2026-043" for r in scheduler.reminders_due(on_disk(), FIXED_DAY))
    async with demo_app.run_test(size=WIDE) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-043")
        await pilot.press("h")
        await pilot.pause()
        assert "ON HOLD" in card_text(screen, "2026-043")
        assert on_disk().invoice("2026-043").on_hold is True
        assert not any(r.number == "2026-043" for r in scheduler.reminders_due(on_disk(), FIXED_DAY))
        # Still owed, so still on the board; but not chased.
        assert "2026-043" in cards_by_column(screen)["8-14"]
        await pilot.press("m")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("h")
        await pilot.pause()
        assert "reminder 2 due now" in card_text(screen, "2026-043")
    assert on_disk().invoice("2026-043").on_hold is False
    assert any(r.number == "2026-043" for r in scheduler.reminders_due(on_disk(), FIXED_DAY))


async def test_statement_drafts_everything_the_client_owes(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-041")  # Harbour Lights: also 2026-047, not yet due
        await pilot.press("s")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        assert preview.draft.kind == "statement"
        assert "2026-041" in preview.draft.body and "2026-047" in preview.draft.body


async def test_enter_opens_the_client(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-040")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.current_mode == "clients"


async def test_a_payment_from_another_process_shows_within_seconds(demo_app, demo_path):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))  # e.g. `rapport invoice pay` from cron
        other.record_payment("2026-039", None, FIXED_DAY)
        pilot.app.poll_store()  # what the two-second poll does
        await pilot.pause()
        assert cards_by_column(screen)["61+"] == []
        assert str(screen.query_one("#bucket-61plus .bucket-totals").render()) == "—"
        assert "none" in str(screen.query_one("#bucket-61plus .bucket-sliver").render())  # now a sliver


async def test_new_invoice_from_the_board_lands_in_its_bucket(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-040")
        await pilot.press("n")
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        client_id = on_disk().invoice("2026-040").client_id
        assert form.query_one("#field-client", Select).value == client_id  # the card's client
        form.query_one("#field-items", TextArea).text = "Menu design; 1; 600\nPhotos; 3; 40.50"
        form.query_one("#field-issued", Input).value = "2026-10-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert pilot.app.screen is screen
        assert cards_by_column(screen)["31-60"] == ["2026-048", "2026-040"]  # 42 days past due
    invoice = on_disk().invoice("2026-048")
    assert invoice.client_id == client_id
    assert invoice.total == Decimal("721.50")
    assert (invoice.terms_days, invoice.currency, str(invoice.status)) == (14, "EUR", "sent")


async def test_edit_from_the_board_changes_the_lines(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-043")
        await pilot.press("e")
        form = pilot.app.screen
        items = form.query_one("#field-items", TextArea)
        assert items.text.endswith("; 1; 450.00")
        items.text = "Shop redesign; 2; 300"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert "600.00 EUR" in card_text(screen, "2026-043")
    invoice = on_disk().invoice("2026-043")
    assert invoice.total == Decimal("600.00")
    assert [(i.description, i.quantity) for i in invoice.items] == [("Shop redesign", Decimal(2))]


async def test_nothing_overdue_says_so(tmp_path, screen_text):
    from tui.app import build_app

    store = Store.open(tmp_path / "empty.json", clock=FixedClock(FIXED_DAY))
    async with build_app(store).run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        assert screen.selected is None
        assert "Nothing is overdue" in screen_text(pilot.app)
        await pilot.press("m", "p", "h", "s", "j", "l")  # nothing selected: nothing happens
        await pilot.pause()
        assert pilot.app.screen is screen


HOSTILE = [
    "[bold]x",
    "[@click=app.quit]x",
    "[link=https://example.com]link[/link] [/]",
    "Bell\x07 and \x1b[31mred\x1b[0m and \x9bC1",
    "Café 🎉👩‍💻",
    "שלום עולם \u202eevil",
]


@pytest.mark.parametrize("name", HOSTILE, ids=["bold", "click", "link", "controls", "emoji", "rtl"])
async def test_hostile_text_on_cards_is_shown_literally(tmp_path, screen_text, name):
    from tui.app import build_app

    store = Store.open(tmp_path / "hostile.json", clock=FixedClock(FIXED_DAY))
    client = store.add_client(Client(name=name, since=dt.date(2026, 1, 1)))
    store.add_invoice(client.id, [LineItem(description=name, unit_price=Decimal("99"))],
                      issued=dt.date(2026, 11, 1), number=f"{name[:10]}-1")
    app = build_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        card = screen.selected
        assert card is not None and card.card.client_id == client.id
        text = screen_text(app)
        for control in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert control not in text
        shown = card_text(screen, card.number)
        assert one_line(name)[:10] in shown  # as typed, controls made visible
        assert one_line(name)[:8] in text
        if name.startswith("["):
            assert name[:8] in text  # the brackets are on screen: not parsed as markup
        await pilot.click(InvoiceCard)  # clicking a "[@click=app.quit]" name does nothing
        await pilot.pause()
        assert app.is_running
        assert overdue_board(store.snapshot(), FIXED_DAY)[1].cards[0].client == name


async def test_the_focused_cards_column_is_outlined_in_the_accent_colour(demo_app):
    async with demo_app.run_test(size=(160, 40)) as pilot:
        screen = await open_board(pilot)

        def outlined() -> list[str]:
            accent = Color.parse(demo_app.get_css_variables()["accent"])
            columns = screen.query_one(OverdueBoard).columns
            for column in columns:
                assert (column.styles.border_top[1] == accent) == column.current
            return [column.bucket for column in columns if column.current]

        first = outlined()
        assert len(first) == 1 and screen.focused.parent.parent.bucket == first[0]
        await pilot.press("H")  # the focus starts on the oldest debt, in the last column
        await pilot.pause()
        second = outlined()
        assert len(second) == 1 and second != first
        assert screen.focused.parent.parent.bucket == second[0]
        # A new theme: the outline takes its accent.
        before = screen.query_one(f"#{screen.focused.parent.parent.id}").styles.border_top[1]
        demo_app.theme = "nord"
        await pilot.pause()
        assert outlined() == second
        assert screen.query_one(f"#{screen.focused.parent.parent.id}").styles.border_top[1] != before


async def test_m_with_nothing_due_says_so_and_mark_sent_logs_nothing(demo_app, on_disk, toasts):
    """Issue 16's repro: `m x` twice must not log reminder 3 on the same day."""
    async with demo_app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-043")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("x")  # reminder 2, due: logged
        await pilot.pause()
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("m")  # nothing due now: says so, still offers the draft
        await pilot.pause()
        assert any("reminder 3 is due on 2026-12-04" in toast for toast in toasts(pilot.app))
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        await pilot.press("x")  # marking it sent logs nothing
        await pilot.pause()
        await pilot.pause()
        assert pilot.app.screen is screen
        assert card_words(screen, "2026-043")[2:] == [["450.00", "EUR", "2", "sent"], ["next", "2026-12-04"]]
    assert [r.level for r in on_disk().invoice("2026-043").reminders] == [1, 2]


async def test_escalated_card_write_off_asks_first_and_call_is_logged(demo_app, on_disk):
    from tui.modals import ConfirmModal

    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await focus_card(pilot, screen, "2026-039")
        await pilot.press("c")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        form.query_one("#field-note", Input).value = "Promised to pay Friday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert on_disk().invoice("2026-039").called == FIXED_DAY
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("n")  # asks first: no changes nothing
        await pilot.pause()
        assert str(on_disk().invoice("2026-039").status) == "sent"
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert all("2026-039" not in cards for cards in cards_by_column(screen).values())
    assert str(on_disk().invoice("2026-039").status) == "written_off"
    calls = [c for c in on_disk().contacts if c.summary.startswith("Called about unpaid invoice 2026-039")]
    assert [c.summary for c in calls] == ["Called about unpaid invoice 2026-039: Promised to pay Friday"]


async def test_late_payer_card_is_marked(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        assert card_text(screen, "2026-040").splitlines()[0].split()[-1] in ("late", "payer")
        assert "late" not in card_text(screen, "2026-043").splitlines()[0]
