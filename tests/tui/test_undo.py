"""`u` undoes the last change made from a screen (issue 18, point 4): press the
keys, see "saved · u undo", press `u`, and the file is as it was before."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from textual.widgets import Input

from storage.clock import FixedClock
from storage.store import Store
from tests.conftest import FIXED_DAY
from tests.tui.test_agenda import select
from tests.tui.test_clients import open_clients
from tests.tui.test_clients import select as select_client
from tui.draft import DraftScreen
from tui.modals import ConfirmModal
from tui.screens.agenda import AgendaScreen
from tui.widgets.form import FormModal
from tui.widgets.timeline import Timeline


def documents(path: Path) -> dict:
    """The file's documents by table and id, the id counters aside (an undo
    keeps them: ids are never handed out twice)."""
    data = json.loads(path.read_bytes())
    out: dict = {}
    for table, docs in data.items():
        out[table] = {}
        for doc in docs.values():
            doc = dict(doc)
            if table == "settings":
                doc.pop("counters", None)
            out[table][doc["id"]] = doc
    return out


async def undo(pilot, path: Path, before: dict, toasts) -> None:
    """The change was saved and says so; `u` takes it back, on screen and on disk."""
    assert documents(path) != before
    assert any("saved · u undo" in toast for toast in toasts(pilot.app))
    await pilot.press("u")
    await pilot.pause()
    assert documents(path) == before
    assert any(toast.startswith("Undone:") for toast in toasts(pilot.app))


async def test_a_logged_contact_is_undone(demo_app, demo_path, toasts):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "checkins_due")
        before = documents(demo_path)
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        assert item.key not in pilot.app.screen._items
        await undo(pilot, demo_path, before, toasts)
        assert item.key in pilot.app.screen._items  # the check-in is due again


async def test_a_payment_is_undone(demo_app, demo_path, toasts, on_disk):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "invoices_overdue")
        owed = on_disk().invoice(item.row.number).outstanding
        before = documents(demo_path)
        await pilot.press("p", "enter")
        await pilot.pause()
        assert on_disk().invoice(item.row.number).outstanding == 0
        await undo(pilot, demo_path, before, toasts)
        assert on_disk().invoice(item.row.number).outstanding == owed


async def test_a_draft_marked_sent_is_undone_contact_and_reminder(demo_app, demo_path, toasts, on_disk):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "reminders_due" and not i.row.escalate)
        number = item.row.number
        reminders = len(on_disk().invoice(number).reminders)
        before = documents(demo_path)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DraftScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        assert len(on_disk().invoice(number).reminders) == reminders + 1
        await undo(pilot, demo_path, before, toasts)
        assert len(on_disk().invoice(number).reminders) == reminders
        assert any(toast.startswith("Undone:") and "1 more" in toast for toast in toasts(pilot.app))


async def test_a_promise_kept_and_a_snooze_are_undone(demo_app, demo_path, toasts, on_disk):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "promises_due")
        before = documents(demo_path)
        await pilot.press("x")
        await pilot.pause()
        assert str(next(p for p in on_disk().promises if p.id == item.row.id).status) == "kept"
        await undo(pilot, demo_path, before, toasts)
        assert str(next(p for p in on_disk().promises if p.id == item.row.id).status) == "open"
        item = await select(pilot, lambda i: i.section == "checkins_due")
        before = documents(demo_path)
        await pilot.press("z", "enter")
        await pilot.pause()
        await undo(pilot, demo_path, before, toasts)
        assert on_disk().clients_by_id[item.client_id].snoozed_until is None


async def test_a_client_edit_is_undone(demo_app, demo_path, toasts, on_disk):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        client_id = pilot.app.screen.selected.client.id
        name = on_disk().clients_by_id[client_id].name
        before = documents(demo_path)
        await pilot.press("e")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        form.query_one("#field-name", Input).value = "Renamed Ltd"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert on_disk().clients_by_id[client_id].name == "Renamed Ltd"
        await undo(pilot, demo_path, before, toasts)
        assert on_disk().clients_by_id[client_id].name == name


async def test_u_with_nothing_to_undo_says_so_and_only_the_last_change_is_undone(demo_app, demo_path, toasts):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        untouched = demo_path.read_bytes()
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in toast for toast in toasts(pilot.app))
        assert demo_path.read_bytes() == untouched
        # Two changes: u takes back the second only, then there is nothing more.
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        after_first = documents(demo_path)
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        await undo(pilot, demo_path, after_first, toasts)
        await pilot.press("u")
        await pilot.pause()
        assert documents(demo_path) == after_first
        assert sum("Nothing to undo" in toast for toast in toasts(pilot.app)) >= 1


async def test_an_undo_is_refused_when_another_session_changed_the_same_invoice(demo_app, demo_path, toasts,
                                                                                on_disk):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "invoices_overdue")
        number = item.row.number
        paid = len(on_disk().invoice(number).payments)
        await pilot.press("p")
        await pilot.pause()
        pilot.app.screen.query_one("#field-amount", Input).value = "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        Store.open(demo_path, clock=FixedClock(FIXED_DAY)).record_payment(number, Decimal("1"), FIXED_DAY)
        theirs = demo_path.read_bytes()
        await pilot.press("u")
        await pilot.pause()
        assert any("changed in another session" in toast for toast in toasts(pilot.app))
        assert demo_path.read_bytes() == theirs
        assert len(on_disk().invoice(number).payments) == paid + 2


async def _delete_from_timeline(pilot, kind: str, answer: str):
    """On the zoomed client: j down the timeline to the first entry of ``kind``,
    press delete and answer the question. Returns the entry."""
    timeline = pilot.app.screen.query_one(Timeline)
    assert pilot.app.focused is timeline
    for _ in range(200):
        entry = timeline.current
        if entry is not None and entry.ref is not None and entry.ref[0] == kind:
            break
        await pilot.press("j")
    else:
        raise AssertionError(f"no {kind} in the timeline")
    await pilot.press("delete")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmModal)
    await pilot.press(answer)
    await pilot.pause()
    return entry


async def test_history_entries_are_deleted_from_the_timeline_after_asking_and_u_brings_them_back(
        demo_app, demo_path, toasts, on_disk):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_clients(pilot)
        snap = on_disk()
        payer = next(c for c in screen._rows.values()
                     if any(i.payments for i in snap.invoices if i.client_id == c.client.id)
                     and any(k.client_id == c.client.id for k in snap.contacts))
        await select_client(pilot, screen, payer.client.name)
        await pilot.press("enter")
        await pilot.pause()
        before = documents(demo_path)
        # n: nothing is deleted.
        entry = await _delete_from_timeline(pilot, "contact", "n")
        assert documents(demo_path) == before
        # y: the contact is gone from the file and the timeline; u brings it back.
        entry = await _delete_from_timeline(pilot, "contact", "y")
        assert entry.ref[1] not in documents(demo_path)["contact"]
        await undo(pilot, demo_path, before, toasts)
        # A payment: what is owed grows back; u takes that back too.
        await pilot.press("home")
        entry = await _delete_from_timeline(pilot, "payment", "y")
        number = entry.ref[1]
        paid = len(snap.invoice(number).payments)
        assert len(on_disk().invoice(number).payments) == paid - 1
        await undo(pilot, demo_path, before, toasts)
        assert len(on_disk().invoice(number).payments) == paid


def key_bar(screen_text: str) -> str:
    """The key bar as drawn: the screen's last line."""
    return screen_text.rstrip("\n").splitlines()[-1]


async def test_u_undo_is_in_the_key_bar_while_there_is_a_change_to_take_back(demo_app, demo_path, screen_text):
    """Issue 18: ``u Undo`` was in the help only. It shows in the key bar once a
    change can be undone, on every screen, never pushing ``? Help`` or ``q Quit``
    off at 80 columns, and goes once it is undone."""
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        bar = key_bar(screen_text(pilot.app))
        assert "u Undo" not in bar and bar.rstrip().endswith("? Help  q Quit")
        await select(pilot, lambda i: i.section == "checkins_due")
        before = documents(demo_path)
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        assert documents(demo_path) != before
        bar = key_bar(screen_text(pilot.app))
        assert "12345 Screens  u Undo  ? Help  q Quit" in bar and "l Log" in bar, bar
        for key in "23451":
            await pilot.press(key)
            await pilot.pause(0.3)
            bar = key_bar(screen_text(pilot.app))
            assert "u Undo  ? Help  q Quit" in bar and len(bar.rstrip()) <= 80, (key, bar)
        # u on the Agenda takes the change back: the file as it was, the key gone.
        await pilot.press("u")
        await pilot.pause()
        assert documents(demo_path) == before
        assert "u Undo" not in key_bar(screen_text(pilot.app))
        # A dialog's key bar keeps to its own keys: the draft preview lists no Undo.
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DraftScreen)
        assert "Undo" not in key_bar(screen_text(pilot.app))


async def test_on_jobs_the_undo_key_leaves_accept_and_decline_together(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        screen = pilot.app.screen
        screen.select_job(next(j.id for j in screen._jobs if j.title == "Annual report"))  # a change proposed
        await pilot.pause()
        bar = key_bar(screen_text(pilot.app))
        assert "y Accept  d Decline" in bar and "u Undo  ? Help  q Quit" in bar, bar


async def test_the_message_says_saved_once_and_nothing_changed_when_so(demo_app, demo_path, toasts):
    """The message names what changed and adds what became of it: "saved · u
    undo" once (never "Settings saved · saved"), or "nothing changed" with
    nothing to undo when the form was saved as it was."""
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        before = demo_path.read_bytes()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_path.read_bytes() == before
        assert "Settings · nothing changed" in toasts(pilot.app)
        assert not pilot.app.can_undo

        await pilot.press("comma")
        await pilot.pause()
        pilot.app.screen.query_one("#field-name", Input).value = "Alex R."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert json.loads(demo_path.read_bytes())["settings"]["1"]["name"] == "Alex R."
        assert "Settings · saved · u undo" in toasts(pilot.app)
        assert all(toast.count("saved") <= 1 for toast in toasts(pilot.app))
