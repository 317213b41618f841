"""Pilot tests of the Clients screen: press the keys, then check the screen and the file.

Every test that changes something reads the result back with a fresh Store on
the data file (``on_disk``), so what is asserted is what was really committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from itertools import pairwise

from textual.widgets import Input, TextArea

from storage.clock import FixedClock
from storage.models import ChangeStatus, Client, ClientStatus, Contact, ContactKind, RateStatus
from storage.store import Store
from storage.text import visible
from tests.conftest import FIXED_DAY
from tui.draft import DraftScreen
from tui.modals import ConfirmModal, DraftChoiceModal, NotesModal, PickModal
from tui.screens.clients import ClientsScreen
from tui.screens.clients.view import build_rows, sort_ids
from tui.widgets.form import FormModal
from tui.widgets.markdown import SafeMarkdown
from tui.widgets.table import Table
from tui.widgets.timeline import ClientHistory, Timeline, client_histories, timeline_entries

# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


async def open_clients(pilot) -> ClientsScreen:
    await pilot.press("2")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ClientsScreen)
    return screen


def names(screen: ClientsScreen) -> list[str]:
    """The client names in the table, top to bottom, as the store has them."""
    table = screen.query_one(Table)
    return [screen._rows[table.row_key_at(i)].client.name
            for i in range(table.row_count)]


def row_text(screen: ClientsScreen, client_name: str) -> str:
    """One table row's cells, as drawn (plain text), joined by ``|``."""
    table = screen.query_one(Table)
    for i in range(table.row_count):
        cells = table.get_row_at(i)
        key = table.row_key_at(i)
        if screen._rows[key].client.name == client_name:
            return "|".join(c.plain for c in cells)
    raise AssertionError(f"{client_name} is not in the table")


async def select(pilot, screen: ClientsScreen, client_name: str) -> Client:
    """Move the cursor to a client with j/k, as a person would."""
    wanted = names(screen).index(client_name)
    table = screen.query_one(Table)
    while table.cursor_row != wanted:
        await pilot.press("j" if table.cursor_row < wanted else "k")
    await pilot.pause()
    assert screen.selected is not None and screen.selected.client.name == client_name
    return screen.selected.client


async def fill(pilot, name: str, text: str) -> None:
    """Replace what a form field holds, typing it key by key."""
    widget = pilot.app.screen.query_one(f"#field-{name}")
    widget.focus()
    await pilot.pause()
    await pilot.press("home", "ctrl+k", *text)


def error_of(app, name: str) -> str:
    return str(app.screen.query_one(f"#error-{name}").render())


def client_named(snap, name: str) -> Client:
    matches = [c for c in snap.clients if c.name == name]
    assert len(matches) == 1, [c.name for c in snap.clients]
    return matches[0]


# --------------------------------------------------------------------------- #
# The table
# --------------------------------------------------------------------------- #


async def test_table_columns_and_active_filter(demo_app, demo_store, on_disk, screen_text):
    paused = client_named(demo_store.snapshot(), "Globex")
    demo_store.update_client(paused.id, status=ClientStatus.PAUSED)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        text = screen_text(demo_app)
        for heading in ("Name", "Status", "Contacted", "Check-in", "Outstanding", "Overdue", "Rate"):
            assert heading in text
        # Active clients only by default; the paused one is left out, until `a`.
        assert "Globex" not in names(screen)
        assert len(names(screen)) == 7
        assert "Active clients: 7" in text
        await pilot.press("a")
        await pilot.pause()
        assert "Globex" in names(screen)
        assert "paused" in row_text(screen, "Globex")
        assert "All clients: 8" in screen_text(demo_app)
        # Figures: Estudio Núñez owes 11,200 EUR, 76 days overdue, red (!!).
        estudio = row_text(screen, "Estudio Núñez")
        assert "11,200 EUR" in estudio and "!!76d" in estudio
        # Café Olé's check-in is two weeks late: a whole extra cadence, so red.
        assert "!!2w late" in row_text(screen, "Café Olé")
        assert "! 2d late" in row_text(screen, "Bellweather Books")
        assert "↑" in row_text(screen, "Globex")  # a price raise is waiting
        await pilot.press("a")
        await pilot.pause()
        assert "Globex" not in names(screen)


async def test_filter_as_you_type_over_name_company_tags_and_email(demo_app, demo_path, screen_text):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        everyone = names(screen)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(demo_app.focused, Input)
        await pilot.press(*"fern")
        await pilot.pause()
        assert names(screen) == ["Fernhill Farm"]
        text = screen_text(demo_app)
        # The field shows what was typed; beside it, the counts.
        assert screen.query_one("#clients-filter", Input).value == "fern"
        assert "fern" in text and "1 of 8 active clients" in text
        assert "Fernhill Farm" in str(screen.query_one("#client-facts").render())  # the detail follows
        # Backspace widens the list again.
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await pilot.pause()
        assert names(screen) == everyone
        # The selection stayed on Fernhill Farm; the arrows move the table while typing.
        assert screen.selected.client.name == "Fernhill Farm"
        await pilot.press("up", "up")
        await pilot.pause()
        assert screen.selected.client.name == everyone[everyone.index("Fernhill Farm") - 2]
        assert isinstance(demo_app.focused, Input)
        # Email (any case) and tags match too.
        await pilot.press(*"ANA@ACME")
        await pilot.pause()
        assert names(screen) == ["Acme Robotics"]
        await pilot.press(*[ "backspace"] * 8)
        tag = demo_app.store.snapshot().clients[2].tags[0]
        await pilot.press(*tag)
        await pilot.pause()
        tagged = sorted(c.name for c in demo_app.store.snapshot().clients if tag in c.tags)
        assert sorted(names(screen)) == tagged
        # Nothing matches: an empty table and a hint, no crash.
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert names(screen) == []
        assert "No client matches" in screen_text(demo_app)
        # Escape clears and closes the filter.
        await pilot.press("escape")
        await pilot.pause()
        assert names(screen) == everyone
        assert not screen.query_one("#clients-filter", Input).display
        assert demo_app.focused is screen.query_one(Table)
    assert demo_path.read_bytes() == before  # filtering never writes


async def test_the_detail_stays_put_while_the_filter_narrows_the_table(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        detail = screen.query_one("#clients-detail")
        top = detail.region.y
        await pilot.press("slash", *"fern")
        await pilot.pause()
        assert names(screen) == ["Fernhill Farm"]
        assert detail.region.y == top  # the table kept its height: blank rows below the match
        await pilot.press("escape")
        await pilot.pause()
        assert len(names(screen)) == 8 and detail.region.y == top
        # Closed, the table is sized by its rows again: nothing pinned.
        assert not screen.table.styles.inline.has_rule("height")


async def test_each_filter_keystroke_shows_what_a_full_redraw_would(tmp_path):
    """Narrowing removes rows, or clears and re-adds the rest when it hides many:
    either way the table is what redrawing it from scratch gives."""
    from tests.tui.conftest import write_demo
    from tui.app import build_app

    path = write_demo(tmp_path / "forty.json", size=40)
    app = build_app(Store.open(path, clock=FixedClock(FIXED_DAY)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        await pilot.press("slash")
        seen = [len(names(screen))]
        for key in ["r", "a", "backspace", "backspace", "o", "n"]:
            await pilot.press(key)
            await pilot.pause()
            shown = [(name, row_text(screen, name)) for name in names(screen)]
            seen.append(len(shown))
            screen._rebuild()
            assert shown == [(name, row_text(screen, name)) for name in names(screen)]
        # Both ways were taken: a keystroke that hid many rows, and one that hid a few.
        steps = [before - after for before, after in pairwise(seen)]
        assert max(steps) > 8 and any(0 < step <= 8 for step in steps), seen


async def test_sort_by_any_column_and_reverse(demo_app, demo_path, screen_text):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        assert names(screen) == sorted(names(screen), key=str.casefold)
        await pilot.press("s", "s", "s", "s")  # status, contacted, check-in, outstanding
        await pilot.pause()
        assert screen.sort_column == "owed"
        assert "sorted by outstanding ▼" in screen_text(demo_app)
        assert names(screen)[0] == "Estudio Núñez"  # 11,200 EUR, the most owed
        await pilot.press("S")
        await pilot.pause()
        assert "sorted by outstanding ▲" in screen_text(demo_app)
        assert names(screen)[-1] == "Estudio Núñez"
        await pilot.press("s")  # overdue: the longest overdue first
        await pilot.pause()
        assert names(screen)[:2] == ["Estudio Núñez", "Café Olé"]
        # Check-in: the most overdue first, by clicking the heading.
        table = screen.query_one(Table)
        x = sum(table.column_width(k) for k in ("name", "status", "last")) + 2
        await pilot.click(Table, offset=(x, 0))
        await pilot.pause()
        assert screen.sort_column == "next"
        assert names(screen)[0] == "Café Olé"
        # The cursor stays on the same client whatever the order.
        chosen = await select(pilot, screen, "Globex")
        await pilot.press("s")
        await pilot.pause()
        assert screen.selected.client.id == chosen.id
    assert demo_path.read_bytes() == before


def test_sort_puts_empty_values_last_both_ways(demo_store):
    rows = build_rows(demo_store.snapshot(), FIXED_DAY).values()
    for reverse in (False, True):
        ordered = sort_ids(rows, "overdue", reverse)
        by_id = {r.client.id: r for r in rows}
        flags = [by_id[i].overdue_days > 0 for i in ordered]
        assert flags == sorted(flags, reverse=True)


def test_client_documents_are_the_clients_own(demo_store):
    """Store.client_documents (what a client's history is built from) converts
    exactly the documents a grouping of the whole snapshot gives that client."""
    snap = demo_store.snapshot()
    grouped = client_histories(snap)
    assert len(grouped) == len(snap.clients)
    for client in snap.clients:
        mine = ClientHistory.from_documents(demo_store.client_documents(client.id))
        theirs = grouped[client.id]
        for table in ("contacts", "jobs", "changes", "promises", "rates", "invoices"):
            assert sorted(d.id for d in getattr(mine, table)) == sorted(d.id for d in getattr(theirs, table))
        assert len(mine) > 10


def test_timeline_is_newest_first_and_covers_every_kind(demo_store):
    snap = demo_store.snapshot()
    globex = client_named(snap, "Globex")
    entries = timeline_entries(ClientHistory.from_documents(demo_store.client_documents(globex.id)), FIXED_DAY)
    dates = [e.date for e in entries]
    assert dates == sorted(dates, reverse=True)
    labels = {e.label for e in entries}
    assert {"invoice", "payment", "rate", "job", "promise"} <= labels
    assert any(label.startswith(("→", "←")) for label in labels)
    waiting = [e for e in entries if e.text.startswith("raise proposed") and "no answer yet" in e.text]
    assert waiting and waiting[0].severity == "amber"


# --------------------------------------------------------------------------- #
# Forms: create, edit
# --------------------------------------------------------------------------- #


async def test_create_with_bad_values_then_good_ones(demo_app, demo_path, on_disk, screen_text):
    count = len(on_disk().clients)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = demo_app.screen
        assert isinstance(form, FormModal)
        assert demo_app.focused is form.query_one("#field-name")  # the first field has focus
        await pilot.press(*"ACME robotics")  # taken, ignoring case
        await fill(pilot, "email", "ana.example")
        await fill(pilot, "cadence_days", "0")
        await fill(pilot, "terms_days", "-3")
        await fill(pilot, "since", "27/11/2026")
        await fill(pilot, "rate", "12,5")
        await fill(pilot, "currency", "EURO")
        await pilot.press("enter")
        await pilot.pause()
        assert demo_app.screen is form  # still open
        assert "already exists" in error_of(demo_app, "name")
        assert "email" in error_of(demo_app, "email")
        assert "greater than 0" in error_of(demo_app, "cadence_days")
        assert "whole number" in error_of(demo_app, "terms_days")
        assert "YYYY-MM-DD" in error_of(demo_app, "since")
        assert "decimal" in error_of(demo_app, "rate")
        assert "ISO 4217" in error_of(demo_app, "currency")
        assert demo_app.focused is form.query_one("#field-name")  # the first bad field
        assert len(on_disk().clients) == count  # nothing saved

        # A rate with more decimals than the currency has is refused beside the rate.
        await fill(pilot, "name", "Nuevo Cliente")
        await fill(pilot, "email", "hola@nuevo.example")
        await fill(pilot, "cadence_days", "10")
        await fill(pilot, "terms_days", "30")
        await fill(pilot, "since", "2026-11-01")
        await fill(pilot, "currency", "JPY")
        await fill(pilot, "rate", "5000.5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_app.screen is form
        assert "decimals" in error_of(demo_app, "rate")
        assert error_of(demo_app, "name") == ""
        assert len(on_disk().clients) == count

        await fill(pilot, "rate", "5000")
        await fill(pilot, "tags", "web, retainer")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)
        saved = client_named(on_disk(), "Nuevo Cliente")
        assert (saved.email, saved.cadence_days, saved.terms_days) == ("hola@nuevo.example", 10, 30)
        assert (saved.since, saved.rate, saved.currency, saved.tags) == (
            dt.date(2026, 11, 1), Decimal("5000"), "JPY", ["web", "retainer"])
        assert len(on_disk().clients) == count + 1
        # Shown and selected.
        assert screen.selected.client.id == saved.id
        assert "Nuevo Cliente" in screen_text(demo_app)


async def test_escape_cancels_a_form_and_saves_nothing(demo_app, demo_path):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_clients(pilot)
        await pilot.press("n", *"Someone New", "escape")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "name", "Renamed")
        await pilot.press("escape")
        await pilot.pause()
    assert demo_path.read_bytes() == before


async def test_edit_a_client(demo_app, on_disk, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        globex = await select(pilot, screen, "Globex")
        await pilot.press("e")
        await pilot.pause()
        form = demo_app.screen
        assert isinstance(form, FormModal)
        assert form.query_one("#field-name", Input).value == "Globex"
        await fill(pilot, "email", "grace@globex.example")
        await fill(pilot, "cadence_days", "21")
        await fill(pilot, "name", "Globex Corp")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)
        saved = on_disk().clients_by_id[globex.id]
        assert (saved.name, saved.email, saved.cadence_days) == ("Globex Corp", "grace@globex.example", 21)
        assert saved.notes == globex.notes  # untouched fields are kept
        assert "Globex Corp" in names(screen)
        assert "Check-in every 21 d" in screen_text(demo_app)


async def test_edit_refuses_another_clients_name(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        globex = await select(pilot, screen, "Globex")
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "name", "café olé")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, FormModal)
        assert "already exists" in error_of(demo_app, "name")
    assert on_disk().clients_by_id[globex.id].name == "Globex"


# --------------------------------------------------------------------------- #
# Archive, delete, undo
# --------------------------------------------------------------------------- #


async def test_archive_sets_former_and_keeps_the_history(demo_app, on_disk, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        cafe = await select(pilot, screen, "Café Olé")
        invoices = [i.id for i in on_disk().invoices if i.client_id == cafe.id]
        await pilot.press("A")
        await pilot.pause()
        snap = on_disk()
        assert snap.clients_by_id[cafe.id].status is ClientStatus.FORMER
        assert [i.id for i in snap.invoices if i.client_id == cafe.id] == invoices
        assert "Café Olé" not in names(screen)  # active only
        await pilot.press("a")
        await pilot.pause()
        assert "former" in row_text(screen, "Café Olé")


async def test_delete_asks_first_and_u_undoes_it_with_the_same_ids(demo_app, demo_path, on_disk, screen_text,
                                                                   toasts):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_clients(pilot)
        cafe = await select(pilot, screen, "Café Olé")
        before = {table: sorted(d["id"] for d in docs)
                  for table, docs in Store.open(demo_path).export_data().items() if isinstance(docs, list)}
        owned = len([c for c in on_disk().contacts if c.client_id == cafe.id])
        assert owned > 0
        # No: nothing happens.
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(demo_app.screen, ConfirmModal)
        assert "Café Olé" in screen_text(demo_app)
        await pilot.press("n")
        await pilot.pause()
        assert cafe.id in on_disk().clients_by_id
        # Enter on the focused button is "Cancel" too: the safe default.
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert cafe.id in on_disk().clients_by_id
        # Yes: the client and everything it owns are gone from the file.
        await pilot.press("D", "y")
        await pilot.pause()
        snap = on_disk()
        assert cafe.id not in snap.clients_by_id
        assert not [c for c in snap.contacts if c.client_id == cafe.id]
        assert not [i for i in snap.invoices if i.client_id == cafe.id]
        assert "Café Olé" not in names(screen)
        assert any("Deleted Café Olé · saved · u undo" in toast for toast in toasts(demo_app))
        # u: back, with the same ids.
        await pilot.press("u")
        await pilot.pause()
        after = {table: sorted(d["id"] for d in docs)
                 for table, docs in Store.open(demo_path).export_data().items() if isinstance(docs, list)}
        assert after == before
        assert len([c for c in on_disk().contacts if c.client_id == cafe.id]) == owned
        assert "Café Olé" in names(screen)
        assert screen.selected.client.id == cafe.id
        # Nothing more to undo: u says so and changes nothing.
        saved = demo_path.read_bytes()
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in toast for toast in toasts(demo_app))
        assert demo_path.read_bytes() == saved


# --------------------------------------------------------------------------- #
# Actions from a client
# --------------------------------------------------------------------------- #


async def test_log_contact_from_a_client(demo_app, on_disk, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        cafe = await select(pilot, screen, "Café Olé")
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(demo_app.screen, FormModal)
        await fill(pilot, "summary", "Called about the menu")
        await pilot.press("ctrl+s")
        await pilot.pause()
        logged = [c for c in on_disk().contacts if c.client_id == cafe.id and c.summary == "Called about the menu"]
        assert len(logged) == 1 and logged[0].date == FIXED_DAY
        assert "today" in row_text(screen, "Café Olé")
        assert "Called about the menu" in "\n".join(screen.query_one(Timeline).plain_lines(120))


async def test_new_job_invoice_change_and_raise(demo_app, on_disk):
    async with demo_app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(pilot)
        acme = await select(pilot, screen, "Acme Robotics")

        # J: a new job (j moves, as on every screen).
        await pilot.press("J")
        await pilot.pause()
        await pilot.press(*"Trade fair stand")
        await fill(pilot, "price", "abc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "decimal" in error_of(demo_app, "price")
        await fill(pilot, "price", "2400")
        await fill(pilot, "deadline", "2027-01-15")
        await pilot.press("ctrl+s")
        await pilot.pause()
        job = [j for j in on_disk().jobs if j.title == "Trade fair stand"]
        assert len(job) == 1 and job[0].client_id == acme.id
        assert (job[0].price, job[0].deadline, job[0].currency) == (Decimal("2400.00"), dt.date(2027, 1, 15), "USD")

        # c: a change of brief. Two jobs are in progress: which one, newest first.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(demo_app.screen, PickModal)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Two more panels")
        await fill(pilot, "price", "2900")
        await pilot.press("ctrl+s")
        await pilot.pause()
        change = [c for c in on_disk().changes if c.what == "Two more panels"]
        assert len(change) == 1 and change[0].job_id == job[0].id and change[0].price == Decimal("2900.00")
        assert change[0].status is ChangeStatus.DRAFT  # until the drafted reply is marked sent
        assert isinstance(demo_app.screen, DraftScreen)
        await pilot.press("x")
        await pilot.pause()
        change = [c for c in on_disk().changes if c.what == "Two more panels"]
        assert change[0].status is ChangeStatus.PROPOSED and change[0].sent == FIXED_DAY

        # i: an invoice with one line, issued today on the client's terms.
        await pilot.press("i")
        await pilot.pause()
        form = demo_app.screen
        assert form.query_one("#field-issued", Input).value == FIXED_DAY.isoformat()
        assert form.query_one("#field-terms", Input).value == str(acme.terms_days)
        await fill(pilot, "description", "Deposit for the stand")
        await fill(pilot, "amount", "0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "greater than 0" in error_of(demo_app, "amount")
        await fill(pilot, "amount", "1200.50")
        await fill(pilot, "issued", "2026-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "real date" in error_of(demo_app, "issued")
        await fill(pilot, "issued", "2026-11-26")
        await pilot.press("ctrl+s")
        await pilot.pause()
        invoice = [i for i in on_disk().invoices if i.items and i.items[0].description == "Deposit for the stand"]
        assert len(invoice) == 1
        assert (invoice[0].total, invoice[0].currency, invoice[0].issued, invoice[0].terms_days) == (
            Decimal("1200.50"), "USD", dt.date(2026, 11, 26), acme.terms_days)

        # r: a price raise, then the drafted email to send it.
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"100")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "above the current" in error_of(demo_app, "amount")
        await fill(pilot, "amount", "600")
        await pilot.press("ctrl+s")
        await pilot.pause()
        proposed = [r for r in on_disk().rates if r.client_id == acme.id and r.status is RateStatus.PROPOSED]
        assert len(proposed) == 1 and proposed[0].amount == Decimal("600.00")
        assert isinstance(demo_app.screen, DraftScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert "↑" in row_text(screen, "Acme Robotics")


async def test_draft_offers_a_choice(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        await select(pilot, screen, "Globex")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(demo_app.screen, DraftChoiceModal)
        await pilot.press("u")  # progress update
        await pilot.pause()
        assert isinstance(demo_app.screen, DraftScreen)
        assert demo_app.screen.draft.kind == "update"
        await pilot.press("escape", "m", "escape")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)


async def test_notes_editor_saves_multiline_markdown(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        globex = await select(pilot, screen, "Globex")
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(demo_app.screen, NotesModal)
        area = demo_app.screen.query_one(TextArea)
        assert demo_app.focused is area
        await pilot.press("enter", *"## Next", "enter", *"Call in *January*")
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = on_disk().clients_by_id[globex.id].notes
        assert notes.endswith("## Next\nCall in *January*")
        assert notes.startswith(globex.notes.rstrip("\n"))
        await pilot.pause(0.3)
        markdown = screen.query_one("#client-notes", SafeMarkdown)
        assert "Call in *January*" in markdown.source


async def test_notes_in_editor(demo_app, on_disk, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nAdded in the editor\\n" >> "$1"\n')
    editor.chmod(0o700)
    monkeypatch.setenv("VISUAL", str(editor))
    monkeypatch.setattr(demo_app, "suspend", contextlib.nullcontext)  # no real terminal to hand over
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        globex = await select(pilot, screen, "Globex")
        await pilot.press("E")
        await pilot.pause()
    assert on_disk().clients_by_id[globex.id].notes == globex.notes + "\nAdded in the editor\n"


async def test_notes_in_editor_without_a_terminal_says_so(demo_app, demo_path, toasts):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_clients(pilot)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)
        assert any("cannot hand over to an editor" in toast for toast in toasts(demo_app))
    assert demo_path.read_bytes() == before


async def test_enter_opens_full_height_and_escape_comes_back(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        table = screen.query_one(Table)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.has_class("-zoomed")
        assert not table.display  # the detail has the whole height
        assert isinstance(demo_app.focused, Timeline)
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.has_class("-zoomed")
        assert demo_app.focused is table


async def test_agenda_enter_opens_the_client(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        agenda = demo_app.screen
        item = agenda.selected
        await pilot.press("enter")
        await pilot.pause()
        screen = demo_app.screen
        assert isinstance(screen, ClientsScreen)
        assert screen.selected.client.id == item.client_id


# --------------------------------------------------------------------------- #
# Hostile text
# --------------------------------------------------------------------------- #

HOSTILE_NAME = "[bold]x[/] [@click=app.quit]q[/] \x1b[31mred\x07 😀 שלום"
HOSTILE_NOTES = (
    "[link=https://e.com]y[/link] [@click=app.quit]click me[/]\n\n"
    "[a markdown link](https://e.com) <script>alert(1)</script> \x1b]0;title\x07\n\n"
    + "long " * 2000
)


async def test_hostile_names_and_notes_are_shown_literally(demo_store, on_disk, screen_text):
    from tui.app import build_app

    client = demo_store.add_client(Client(name=HOSTILE_NAME, company="[red]Co[/red]", email="x@e.com",
                                          since=FIXED_DAY - dt.timedelta(days=30), notes=HOSTILE_NOTES,
                                          tags=["[b]tag"]))
    demo_store.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary="[@click=app.quit]sum\x1b[2J",
                                   kind=ContactKind.OTHER))
    app = build_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_clients(pilot)
        await pilot.press("slash", *"[bold]x", "enter")
        await pilot.pause(0.3)
        assert [r for r in names(screen)] == [HOSTILE_NAME]
        text = screen_text(app)
        assert "[bold]x[/] [@click=app.quit]q[/]" in text  # markup shown as typed
        assert "␛[31mred␇" in text  # ESC and BEL made visible
        assert "\x1b" not in text and "\x07" not in text
        assert "😀" in text and "שלום" in text
        assert "[red]Co[/red]" in text and "[b]tag" in text
        assert "[@click=app.quit]sum␛[2J" in text  # in the history too
        notes = screen.query_one("#client-notes", SafeMarkdown)
        assert "[link=https://e.com]y[/link]" in text
        assert "<script>" in notes.source  # raw HTML is shown as text, not run
        assert len(notes.source) > 10_000
        # Clicking on the name, the notes and the link does nothing: still running.
        await pilot.click(Table, offset=(3, 1))
        await pilot.click("#client-facts", offset=(2, 0))
        await pilot.click("#client-notes", offset=(2, 0))
        await pilot.click("#client-notes", offset=(40, 2))
        await pilot.click("#client-timeline", offset=(20, 2))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ClientsScreen)
        # Edit opens with the name as typed, its controls shown as symbols
        # (issue 15: an Input holding a raw ESC writes it to the terminal), and
        # saving it unchanged keeps it byte for byte.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input).value == visible(HOSTILE_NAME)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = on_disk().clients_by_id[client.id]
    assert saved.name == HOSTILE_NAME and saved.notes == HOSTILE_NOTES


# --------------------------------------------------------------------------- #
# Large data
# --------------------------------------------------------------------------- #


async def test_a_client_with_600_history_entries(demo_store, screen_text):
    """A long history opens with every entry, newest first, drawn by one widget."""
    from tui.app import build_app

    acme = client_named(demo_store.snapshot(), "Acme Robotics")
    data = demo_store.export_data()
    start = len(data["contact"])
    for k in range(600):
        data["contact"].append({**data["contact"][0], "id": f"contact-{start + k + 1000}", "client_id": acme.id,
                                "date": (FIXED_DAY - dt.timedelta(days=k)).isoformat(), "summary": f"note {k}"})
    demo_store.import_data(data)
    app = build_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        await select(pilot, screen, "Acme Robotics")
        timeline = screen.query_one(Timeline)
        assert timeline.entry_count > 600
        lines = timeline.plain_lines(80)
        assert any("note 0" in line for line in lines[:6])  # today, under the year heading
        assert screen.query(Timeline).first() is timeline and len(timeline.children) == 0
        await pilot.press("enter", "end")
        await pilot.pause()
        assert "2025" in screen_text(app) or "2024" in screen_text(app)


async def test_opening_a_former_client_from_elsewhere_shows_it(demo_app, demo_store):
    """app.open_client (the Overdue board, the Agenda) widens the scope and
    clears a filter that would hide the client."""
    cafe = client_named(demo_store.snapshot(), "Café Olé")
    demo_store.archive_client(cafe.id)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        demo_app.open_client(cafe.id)  # before the Clients screen was ever shown
        await pilot.pause()
        screen = demo_app.screen
        assert isinstance(screen, ClientsScreen)
        assert screen.selected.client.id == cafe.id and screen.show_all
        await pilot.press("slash", *"globex", "enter", "1")
        await pilot.pause()
        demo_app.open_client(cafe.id)  # the filter would hide it
        await pilot.pause()
        assert screen.selected.client.id == cafe.id
        assert screen.filter_text == ""
        assert "Café Olé" in names(screen)


# --------------------------------------------------------------------------- #
# Issue 15, finding 4: edits change only what changed
# --------------------------------------------------------------------------- #


async def test_edit_writes_only_the_changed_field_and_keeps_another_sessions_raise(demo_app, demo_path, on_disk):
    other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        client = await select(pilot, screen, "Café Olé")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(demo_app.screen, FormModal)
        # Meanwhile, in another terminal: a price raise proposed and accepted.
        other.propose_rate(client.id, "190", FIXED_DAY)
        other.answer_rate(client.id, "accepted", FIXED_DAY)
        await fill(pilot, "phone", "+34 600 000 000")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)
    saved = on_disk()
    assert saved.clients_by_id[client.id].phone == "+34 600 000 000"
    assert saved.clients_by_id[client.id].rate == Decimal("190.00")
    assert not [r for r in saved.rates if r.client_id == client.id and r.reason == "edited"]


async def test_edit_of_a_field_another_session_changed_is_refused_and_the_form_stays(demo_app, demo_path, on_disk):
    other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        client = await select(pilot, screen, "Globex")
        await pilot.press("e")
        await pilot.pause()
        other.update_client(client.id, phone="111 111")
        before = demo_path.read_bytes()
        await fill(pilot, "phone", "222 222")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, FormModal)  # still open, the typing kept
        assert demo_app.screen.query_one("#field-phone", Input).value == "222 222"
        message = error_of(demo_app, "phone")
        assert "another session" in message and "111 111" in message and "222 222" in message
        assert demo_path.read_bytes() == before
        assert on_disk().clients_by_id[client.id].phone == "111 111"
        # Both values were shown: saving again keeps the one the form holds.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(demo_app.screen, ClientsScreen)
    assert on_disk().clients_by_id[client.id].phone == "222 222"


async def test_notes_saved_elsewhere_meanwhile_are_not_lost(demo_app, demo_path, on_disk):
    other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        client = await select(pilot, screen, "Globex")
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(demo_app.screen, NotesModal)
        other.update_client(client.id, notes="from the other window")
        await pilot.press(*"mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(demo_app.screen, NotesModal)  # refused, the text kept
        assert demo_app.screen.query_one(TextArea).text.endswith("mine")
        assert "another session" in str(demo_app.screen.query_one("#notes-error").render())
        assert on_disk().clients_by_id[client.id].notes == "from the other window"
        await pilot.press("ctrl+s")  # seen: save again keeps this text
        await pilot.pause()
        assert not isinstance(demo_app.screen, NotesModal)
    assert on_disk().clients_by_id[client.id].notes.endswith("mine")


async def test_notes_from_the_editor_that_cannot_be_saved_stay_in_the_notes_modal(demo_app, demo_path, tmp_path,
                                                                                  monkeypatch, on_disk):
    other = Store.open(demo_path, clock=FixedClock(FIXED_DAY))
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nAdded in the editor\\n" >> "$1"\n')
    editor.chmod(0o700)
    monkeypatch.setenv("VISUAL", str(editor))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_clients(pilot)
        globex = await select(pilot, screen, "Globex")

        @contextlib.contextmanager
        def meanwhile():
            other.update_client(globex.id, notes="changed elsewhere")  # while the editor is open
            yield

        monkeypatch.setattr(demo_app, "suspend", meanwhile)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(demo_app.screen, NotesModal)
        assert demo_app.screen.query_one(TextArea).text.endswith("Added in the editor\n")
        assert "another session" in str(demo_app.screen.query_one("#notes-error").render())
    assert on_disk().clients_by_id[globex.id].notes == "changed elsewhere"
async def test_retainer_form_sets_the_monthly_fee_and_its_month_comes_to_invoice(demo_app, on_disk):
    from decimal import Decimal

    from tui.widgets.form import FormModal

    from .test_workflows import error_of, fill

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = pilot.app.screen
        screen.select_client(client_named(on_disk(), "Globex").id)
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        await fill(pilot, amount="250", covers="Monthly newsletter", day="30", since="2026-11-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1 to 28" in error_of(form, "day")
        await fill(pilot, day="20")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormModal)
    globex = client_named(on_disk(), "Globex")
    assert (globex.retainer.amount, globex.retainer.covers, globex.retainer.day) == (
        Decimal("250"), "Monthly newsletter", 20)
    from storage import scheduler

    rows = [r for r in scheduler.to_invoice(on_disk(), dt.date(2026, 11, 27)) if r.kind == "retainer"]
    assert ("Globex", "2026-11") in [(r.client, r.period) for r in rows]


async def test_edit_form_turns_late_payment_interest_off_for_a_client(demo_app, on_disk):
    from tui.widgets.form import FormModal

    from .test_workflows import fill

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        pilot.app.screen.select_client(client_named(on_disk(), "Globex").id)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)
        await fill(pilot, late_interest="no")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
    assert client_named(on_disk(), "Globex").late_interest is False
    assert client_named(on_disk(), "Acme Robotics").late_interest is True
