"""The settings form (`,` or the palette): validated beside each field, nothing
saved until every field is right; then saved to disk and used at once."""

from __future__ import annotations

import datetime as dt

from tui.screens.agenda import AgendaScreen
from tui.widgets.form import FormModal

from .test_workflows import error_of, fill


async def open_settings(pilot) -> FormModal:
    await pilot.pause()
    await pilot.press("comma")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, FormModal) and form.form_title == "Settings"
    return form


async def test_bad_timezone_and_ladder_are_refused_beside_the_fields(demo_app, demo_path, on_disk):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        form = await open_settings(pilot)
        await fill(pilot, timezone="Mars/Olympus", reminder_ladder="8, 1", name="María Pérez")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert "Mars/Olympus" in error_of(form, "timezone") and "time zone" in error_of(form, "timezone")
        assert "rise" in error_of(form, "reminder_ladder")
        await fill(pilot, timezone="Europe/Madrid", reminder_ladder="1, eight")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert error_of(form, "timezone") == ""
        assert "whole days" in error_of(form, "reminder_ladder")
        await fill(pilot, email="not an address", reminder_ladder="1, 8, 15")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form and error_of(form, "email")
    assert demo_path.read_bytes() == before
    assert on_disk().settings.name != "María Pérez"


async def test_settings_saved_are_on_disk_and_used(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await fill(pilot, name="María Pérez", business="Pérez Design", email="maria@perez.es",
                   phone="+34 600 000 000", timezone="Europe/Madrid", reminder_ladder="2, 9, 20",
                   mail_command="msmtp -t", language="es")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        assert pilot.app.sub_title == "viernes, 27 de noviembre de 2026"
        assert "cosas que revisar hoy" in str(pilot.app.screen.query_one("#agenda-summary").render())
    s = on_disk().settings
    assert (s.name, s.business, s.email, s.phone, s.timezone, str(s.language), s.reminder_ladder, s.mail_command) == (
        "María Pérez", "Pérez Design", "maria@perez.es", "+34 600 000 000", "Europe/Madrid", "es", [2, 9, 20],
        "msmtp -t")


async def test_the_sign_off_uses_the_saved_details(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await fill(pilot, name="Sam Field", business="Field Works", phone="+44 7700 900000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Draft from the second agenda row: the first is an invoice past its final
        # notice, where m drafts nothing (issue 16: no further final notice).
        await pilot.press("j", "m")
        await pilot.pause()
        body = pilot.app.screen.draft.body
        assert "Sam Field" in body and "Field Works" in body and "+44 7700 900000" in body


def test_long_dates_in_both_languages():
    from tui.i18n import long_date

    assert long_date(dt.date(2026, 11, 27), "en") == "Friday 27 November 2026"
    assert long_date(dt.date(2026, 11, 27), "es") == "viernes, 27 de noviembre de 2026"


async def test_late_payment_terms_and_final_notice_days_are_saved(demo_app, on_disk):
    from decimal import Decimal

    async with demo_app.run_test(size=(80, 24)) as pilot:
        form = await open_settings(pilot)
        await fill(pilot, final_notice_days="10", late_interest_percent="x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form  # a bad percent is refused beside the field
        assert "x" in error_of(form, "late_interest_percent")
        await fill(pilot, late_interest_percent="12.15", late_compensation="40")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormModal)
    s = on_disk().settings
    assert (s.final_notice_days, s.late_interest_percent, s.late_compensation) == (10, Decimal("12.15"), Decimal("40"))


async def test_enter_in_the_language_field_saves_and_space_opens_the_list(demo_app, on_disk):
    from textual.widgets import Select

    async with demo_app.run_test(size=(80, 24)) as pilot:
        form = await open_settings(pilot)
        await fill(pilot, name="Sam Field")
        language = form.query_one("#field-language", Select)
        language.focus()
        await pilot.press("space")
        await pilot.pause()
        assert language.expanded and pilot.app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        assert not language.expanded and pilot.app.screen is form
        language.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    assert on_disk().settings.name == "Sam Field"
