"""With language ``es`` the Agenda speaks Spanish: titles, rows, summary, keys,
the header's date; Spanish forms take DD/MM/YYYY. English stays the default."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.draft import DraftScreen
from tui.screens.agenda import AgendaScreen
from tui.widgets.form import FormModal

from .test_agenda import agenda_text, select
from .test_workflows import fill, jobs_screen


@pytest.fixture
def spanish_app(demo_store):
    from tui.app import build_app

    demo_store.update_settings(language="es")
    return build_app(demo_store)


async def test_agenda_words_are_spanish(spanish_app, screen_text):
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert pilot.app.sub_title == "viernes, 27 de noviembre de 2026"  # CLDR's full date
        text = agenda_text(pilot.app)
        # "Por facturar (3)": two jobs and the demo's retainer month (issue 16).
        for words in ("Recordatorios pendientes (4)", "Facturas vencidas", "Contactos pendientes (3)",
                      "Promesas", "Plazos de entrega", "Por facturar (3)", "Esperando respuesta (2)",
                      "Revisión de tarifas (1)", "enviar recordatorio 2", "2d tarde", "hoy",
                      "Contactar (último: 02/11/2026)", "Facturar Newsletter (entregado",
                      "Sin respuesta al cambio: Twelve",
                      "Sin respuesta: subida de tarifa", "11.200,00 EUR", "76d tarde Estudio",
                      "Plazo 25/11/2026: Menu cards", "Tarifa 560,00 EUR/día desde 23/1", "13 m"):
            assert words in text, words
        # The invoicing promise of a job under Por facturar is not listed again (issue 18).
        assert "Facturar Newsletter en 24 h" not in text
        for english in ("Reminders due", "days late", "Check in (", "To invoice", "No answer"):
            assert english not in text
        shown = screen_text(pilot.app)
        assert "cosas que revisar hoy" in shown
        for key in ("Anotar", "Carta", "Pago", "Hecho", "Vistas", "Ayuda", "Salir"):  # the footer's keys
            assert key in shown, key
        # typed text stays as typed: a promise the person wrote is not translated
        assert "Send the weekly progress update" in text


async def test_english_is_the_default(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert pilot.app.sub_title == "Friday 27 November 2026"
        text = agenda_text(pilot.app)
        assert "Reminders due (4)" in text and "Recordatorios" not in text


async def test_spanish_forms_take_day_first_dates(spanish_app, on_disk):
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot, "job-24")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)
        await fill(pilot, on="26/11/2026")
        await pilot.press("enter")
        await pilot.pause()
    assert on_disk().jobs_by_id["job-24"].delivered == dt.date(2026, 11, 26)


async def test_spanish_drafts_from_the_agenda(spanish_app):
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "awaiting_reply" and i.row.kind == "change")
        await pilot.press("m")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        assert preview.draft.language == "es"
        assert "Sí, se puede hacer" in preview.draft.body
        assert "llevará más tiempo y/o costará más" in preview.draft.body
        assert "- Precio: 2.080,00 EUR (en lugar de 1.600,00 EUR)" in preview.draft.body
        assert isinstance(pilot.app.screen, DraftScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)


async def test_the_keys_of_every_screen_are_named_in_spanish(spanish_app, screen_text):
    # The key bar translates each key's description as it draws it (tui.i18n.tr).
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "12345 Vistas" in screen_text(pilot.app) and "Aplazar" in screen_text(pilot.app)
        await pilot.press("4")
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "12345 Vistas" in text and "Ayuda" in text
