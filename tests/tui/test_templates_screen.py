"""The Templates screen (settings, then ctrl+t; or the palette): edit, refuse an
unknown placeholder, reset, preview, undo; checked on screen and on disk."""

from __future__ import annotations

import json

from textual.widgets import Input, TextArea

from storage.templates import default_template
from tui.forms.template import TemplateForm
from tui.modals import ConfirmModal, PickModal
from tui.screens.templates import TemplatePreview, TemplatesScreen


def stored_templates(path) -> list[dict]:
    return list(json.loads(path.read_bytes())["template"].values())


async def open_templates(pilot) -> TemplatesScreen:
    await pilot.pause()
    await pilot.press("comma")
    await pilot.pause()
    await pilot.press("ctrl+t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TemplatesScreen)
    return screen


async def test_edit_save_refuse_reset_and_undo(demo_app, demo_path, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_templates(pilot)
        text = screen_text(pilot.app)
        assert "checkin    en    Checking in" in text and "checkin    es    ¿Qué tal va todo?" in text
        assert stored_templates(demo_path) == []

        # enter edits the highlighted one (checkin, en); ctrl+s saves through the store
        await pilot.press("enter")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, TemplateForm)
        form.query_one("#template-subject", Input).value = "How are things, {first_name}?"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        [doc] = stored_templates(demo_path)
        assert (doc["name"], doc["language"], doc["subject"]) == ("checkin", "en", "How are things, {first_name}?")
        assert doc["body"] == default_template("checkin", "en").body
        assert "checkin    en  * How are things, {first_name}?" in screen_text(pilot.app)

        # an unknown placeholder is refused in the form, listing those there are; nothing written
        before = demo_path.read_bytes()
        await pilot.press("down", "e")  # checkin, es
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, TemplateForm) and form.language == "es"
        form.query_one("#template-body", TextArea).text = "Hola {nombre}\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form  # still open, the text as typed
        assert form.query_one("#template-body", TextArea).text == "Hola {nombre}\n"
        shown = screen_text(pilot.app)
        assert "unknown placeholder {nombre}" in shown and "{first_name}" in shown and "{client_email}" in shown
        assert demo_path.read_bytes() == before
        await pilot.press("escape")
        await pilot.pause()
        assert demo_path.read_bytes() == before

        # r asks, then puts the shipped wording back: the stored copy is gone
        await pilot.press("up", "r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert stored_templates(demo_path) == []
        assert "checkin    en    Checking in" in screen_text(pilot.app)

        # u takes the reset back, as on every screen
        await pilot.press("u")
        await pilot.pause()
        [doc] = stored_templates(demo_path)
        assert doc["subject"] == "How are things, {first_name}?"
        assert "checkin    en  * How are things, {first_name}?" in screen_text(pilot.app)


async def test_preview_is_the_draft_for_a_client_picked(demo_app, demo_store, screen_text):
    from storage.drafts import draft

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_templates(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickModal)
        await pilot.press("enter")  # the first client offered
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, TemplatePreview)
        snapshot = demo_store.snapshot()
        first = sorted(snapshot.clients, key=lambda c: (c.status != "active", c.name.casefold()))[0]
        expected = draft("checkin", snapshot, first, demo_store.today(), lang="en")
        assert (preview.draft.subject, preview.draft.body) == (expected.subject, expected.body)
        text = screen_text(pilot.app)
        assert f"Subject: {expected.subject}" in text and expected.body.splitlines()[0] in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TemplatesScreen)


def test_templates_80x24(snap_compare, demo_app):
    async def open_it(pilot) -> None:
        await open_templates(pilot)

    assert snap_compare(demo_app, run_before=open_it, terminal_size=(80, 24))
