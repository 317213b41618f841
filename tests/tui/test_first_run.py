"""A new user, from an empty data file: the welcome on the Agenda, the first
client and the first logged contact, the demo (and taking it back), and a draft
whose sign-off is not set yet. Pilot at 80x24: keys pressed, then the screen
and the file on disk checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.models import Client, Contact
from storage.store import Store
from tests.conftest import FIXED_DAY
from tui.draft import DraftScreen, mark_unfilled
from tui.modals import ConfirmModal
from tui.screens.agenda import AgendaScreen
from tui.screens.help import HelpScreen
from tui.widgets.form import FormModal
from tui.widgets.keybar import KeyBar

ROW_KEYS = ("l Log", "m Draft", "p Pay", "z Snooze", "x Done")


@pytest.fixture
def new_path(tmp_path: Path) -> Path:
    return tmp_path / "new.json"  # no file yet: what `rapport` meets on a first run


@pytest.fixture
def new_app(new_path: Path):
    from tui.app import build_app

    return build_app(Store.open(new_path, clock=FixedClock(FIXED_DAY)))


def on_disk(path: Path):
    """What a new session reads from the file: what is really saved."""
    return Store.open(path, clock=FixedClock(FIXED_DAY)).snapshot()


def key_bar(app) -> str:
    return app.screen.query_one(KeyBar).plain


async def test_an_empty_file_shows_the_welcome_and_the_keys_to_start(new_app, screen_text):
    async with new_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Welcome to rapport" in text and "All clear" not in text
        assert "rapport keeps your client relationships healthy" in text
        for words in ("Your name and sign-off", "Add your first client", "demo data (u takes it back)"):
            assert words in text
        bar = key_bar(pilot.app)
        assert bar.startswith("n New client  , Your name  d Demo"), bar
        assert bar.endswith("? Help  q Quit")
        for key in ROW_KEYS:  # nothing to log, draft or pay for: not offered
            assert key not in bar


async def test_n_adds_the_first_client_and_l_logs_the_first_contact(new_app, new_path, screen_text):
    async with new_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal) and form.form_title == "New client"
        await pilot.press(*"Acme [bold]Ltd")  # typed: stored and shown as typed, never markup
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, AgendaScreen)
        (client,) = on_disk(new_path).clients
        assert client.name == "Acme [bold]Ltd" and client.since == FIXED_DAY
        # The client's first check-in is due: its row is on the Agenda, selected.
        assert screen.selected is not None and screen.selected.key == f"checkins_due:{client.id}"
        text = screen_text(pilot.app)
        assert "Acme [bold]Ltd" in text and "Check in (never contacted)" in text
        assert "Welcome to rapport" not in text and "1 thing to look at today" in text
        bar = key_bar(pilot.app)
        assert bar.startswith("l Log  m Draft"), bar
        assert "d Demo" not in bar and "n New client" not in bar

        await pilot.press("l")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal) and form.form_title == "Log a contact with Acme [bold]Ltd"
        form.query_one("#field-summary").focus()  # the date (today) comes first
        await pilot.press(*"Said hello")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        contacts = on_disk(new_path).contacts
        assert [(c.client_id, c.date, c.summary) for c in contacts] == [(client.id, FIXED_DAY, "Said hello")]
        # Nothing due any more, but there are clients: all clear, and no row keys.
        text = screen_text(pilot.app)
        assert "All clear" in text and "Nothing due today" in text and "Welcome" not in text
        bar = key_bar(pilot.app)
        assert bar.startswith("n New client  12345 Screens"), bar
        for key in ROW_KEYS:
            assert key not in bar


async def test_comma_sets_your_name_from_the_welcome(new_app, new_path):
    async with new_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal) and form.form_title == "Settings"
        await pilot.press(*"Ana Ruiz")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    assert on_disk(new_path).settings.name == "Ana Ruiz"


async def test_d_fills_the_empty_file_with_the_demo_and_u_takes_it_back(new_app, new_path, screen_text, toasts):
    async with new_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("n")  # asked first: no is no
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        assert on_disk(new_path).clients == []

        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, AgendaScreen)
        assert len(on_disk(new_path).clients) == 8
        assert any("Demo data: 8 made-up clients" in t and "saved · u undo" in t for t in toasts(pilot.app))
        text = screen_text(pilot.app)
        assert "things to look at today" in text and "Welcome" not in text
        assert key_bar(pilot.app).startswith("l Log  m Draft")

        await pilot.press("u")
        await pilot.pause()
        snap = on_disk(new_path)
        assert snap.clients == [] and snap.invoices == [] and snap.settings.name == ""
        assert "Welcome to rapport" in screen_text(pilot.app)
        assert key_bar(pilot.app).startswith("n New client  , Your name  d Demo")


async def test_d_is_a_rows_key_once_there_are_clients(new_path, tmp_path):
    """`d` offers the demo only with no clients; the store would refuse it anyway
    (tests/storage/test_first_run.py)."""
    from tui.app import build_app

    store = Store.open(new_path, clock=FixedClock(FIXED_DAY))
    store.add_client(Client(name="Acme", since=FIXED_DAY))
    before = new_path.read_bytes()
    async with build_app(store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        assert "d Demo" not in key_bar(pilot.app)
    assert new_path.read_bytes() == before


async def open_draft(pilot) -> DraftScreen:
    """``m`` on the Agenda's only row: the check-in drafted."""
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    preview = pilot.app.screen
    assert isinstance(preview, DraftScreen)
    return preview


async def test_help_on_the_welcome_names_the_first_keys(new_app, screen_text):
    async with new_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        # The Agenda's own keys fit at 80x24, the first steps among them.
        for words in ("Add a client", "Your name and sign-off", "Demo data, into an empty file", "Log a contact",
                      "Write the invoice off"):
            assert words in text, words


async def test_a_draft_with_the_sign_off_unset_says_so_and_asks_before_mark_sent(new_app, new_path, screen_text):
    store = new_app.store
    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    async with new_app.run_test(size=(80, 24)) as pilot:
        preview = await open_draft(pilot)
        assert "signature" in preview.draft.unfilled
        text = screen_text(pilot.app)
        assert "{signature} is empty: set Your name (or Business, Email, Phone, Website) in" in text
        assert "{signature}" in text.split("Kind regards,")[1]  # shown exactly as written...
        # ...and marked: in the preview only (inline code, reversed), never in the message.
        assert "`{signature}`" in preview.query_one("#draft-markdown").source
        assert "`" not in preview.draft.body
        assert ", Settings" in key_bar(pilot.app)

        await pilot.press("x")
        await pilot.pause()
        ask = pilot.app.screen
        assert isinstance(ask, ConfirmModal)
        assert "{signature} still unfilled" in ask.question.plain
        await pilot.press("n")  # back to the draft: nothing logged
        await pilot.pause()
        assert pilot.app.screen is preview
        assert on_disk(new_path).contacts == []

        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")  # sent as it is, knowingly
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    contacts = on_disk(new_path).contacts
    assert [(c.client_id, c.summary) for c in contacts] == [(client.id, "Sent: Checking in")]


async def test_p_asks_before_piping_a_draft_with_the_sign_off_unset(new_app, tmp_path, toasts):
    piped = tmp_path / "piped.eml"
    store = new_app.store
    store.update_settings(mail_command=f"tee {piped}")  # a mail command that keeps what it is given
    store.add_client(Client(name="Acme", since=FIXED_DAY))
    async with new_app.run_test(size=(80, 24), notifications=True) as pilot:
        preview = await open_draft(pilot)
        await pilot.press("p")
        await pilot.pause()
        ask = pilot.app.screen
        assert isinstance(ask, ConfirmModal) and "Pipe it to the mail command" in ask.question.plain
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is preview and not piped.exists()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert any("Handed to the mail command" in t for t in toasts(pilot.app))
    assert "{signature}" in piped.read_text()  # sent as it is: the placeholder, never a backtick
    assert "`" not in piped.read_text()


async def test_comma_in_the_draft_sets_the_name_and_the_draft_is_made_again(new_app, new_path, screen_text):
    store = new_app.store
    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    async with new_app.run_test(size=(80, 24)) as pilot:
        preview = await open_draft(pilot)
        await pilot.press("comma")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal) and form.form_title == "Settings"
        await pilot.press(*"Ana Ruiz")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is preview
        assert preview.draft.unfilled == ()
        assert preview.draft.body.rstrip().endswith("Kind regards,  \nAna Ruiz")
        text = screen_text(pilot.app)
        assert "is empty" not in text and "Ana Ruiz" in text
        assert ", Settings" not in key_bar(pilot.app)  # nothing left for it to fill
        await pilot.press("x")  # nothing unfilled: no question
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    snap = on_disk(new_path)
    assert snap.settings.name == "Ana Ruiz"
    assert [c.client_id for c in snap.contacts] == [client.id]


def test_the_preview_marks_placeholders_outside_code_only():
    body = ("Hi {first_name},\n\n```\n{first_name} in a fence\n```\n\n"
            "    {first_name} indented\n`{x}` and {first_name}\n")
    marked = mark_unfilled(body, ["first_name"])
    assert marked.splitlines() == [
        "Hi `{first_name}`,", "", "```", "{first_name} in a fence", "```", "",
        "    {first_name} indented", "`{x}` and {first_name}",
    ]
    assert mark_unfilled(body, []) == body


async def test_a_client_added_in_another_session_leaves_the_welcome(new_app, new_path, screen_text):
    """Another session (a cron job, `rapport client add`) adds the first client:
    the welcome gives way to the rows at the next poll."""
    async with new_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other = Store.open(new_path, clock=FixedClock(FIXED_DAY))
        added = other.add_client(Client(name="From the CLI", since=FIXED_DAY))
        other.log_contact(Contact(client_id=added.id, date=FIXED_DAY, summary="first call"))
        pilot.app.poll_store()
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "All clear" in text and "Welcome" not in text
        assert key_bar(pilot.app).startswith("n New client  12345")


# -- how it looks (pytest-textual-snapshot; look at a picture before updating it) --


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=["60x20", "120x40"])
def test_the_welcome_looks_right(snap_compare, new_app, size):
    """At 80x24: tests/tui/test_snapshots_agenda.py, test_empty_agenda_80x24."""
    assert snap_compare(new_app, terminal_size=size)


def test_a_draft_with_the_sign_off_unset_looks_right(snap_compare, new_app):
    new_app.store.add_client(Client(name="Acme", since=FIXED_DAY))
    assert snap_compare(new_app, press=["m"], terminal_size=(80, 24))
