"""With language ``es`` the Jobs screen, the draft preview and the Templates screen
speak Spanish: headers, status words, dates as DD/MM/YYYY, amounts as
``1.200,00 EUR``, the late and change-of-brief wording, the keys, the unfilled
placeholders' warnings and questions, the templates' form and preview. What is
data (a template's name, the message's own language) stays as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.models import Client, Language
from storage.store import Store
from tests.conftest import FIXED_DAY
from tui.draft import DraftScreen
from tui.forms.template import TemplateForm
from tui.modals import ConfirmModal, PickModal
from tui.screens.templates import TemplatePreview, TemplatesScreen
from tui.widgets.keybar import KeyBar

from .test_jobs import detail_of, row_of
from .test_workflows import jobs_screen


@pytest.fixture
def spanish_app(demo_store):
    from tui.app import build_app

    demo_store.update_settings(language="es")
    return build_app(demo_store)


def key_bar(app) -> str:
    return app.screen.query_one(KeyBar).plain


async def test_the_jobs_screen_speaks_spanish(spanish_app, screen_text):
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot, "job-24")  # Menu cards, due 2026-11-25: two days late
        text = screen_text(pilot.app)
        for words in ("Cliente", "Trabajo", "Estado", "Precio", "Plazo", "Abiertos: ", "por facturar: ",
                      "(pendientes; a: cambiar, espacio: marcar)"):
            assert words in text, words
        assert row_of(text, "Menu cards").rstrip().endswith("activo      1.200,00 EUR  !!25/11/2026")
        assert "entregado" in row_of(text, "Newsletter")
        assert "Menu cards · !! plazo 25/11/2026, 2d tarde" in detail_of(text)
        for words in ("n Nuevo", "x Entregar", "c Cambio"):
            assert words in key_bar(pilot.app), words
        for english in ("Client ", "Status", "Price", "Deadline", "active", "open,", "deadline", "late"):
            assert english not in text, english

        screen = pilot.app.screen
        job = next(j for j in screen._jobs if j.title == "Annual report")
        screen.select_job(job.id)
        await pilot.pause()
        detail = " ".join(detail_of(screen_text(pilot.app)).split())  # as one line, however it wraps
        assert ("Cambio de encargo (propuesto el 21/11/2026, y acepta / d rechaza): Twelve extra pages and a "
                "Spanish edition -> 2.080,00 EUR, para el 01/01/2027") in detail
        assert "y Aceptar" in key_bar(pilot.app) and "d Rechazar" in key_bar(pilot.app)
        await pilot.press("y")  # accepted: the old price and deadline kept, said in Spanish
        await pilot.pause()
        detail = " ".join(detail_of(screen_text(pilot.app)).split())
        assert "Era 1.600,00 EUR, 17/12/2026 hasta el 27/11/2026: Twelve extra" in detail, detail

        await pilot.press("a")  # every job: the scope said in Spanish
        await pilot.pause()
        assert "(todos; a: cambiar, espacio: marcar)" in screen_text(pilot.app)


@pytest.fixture
def new_spanish_app(tmp_path: Path):
    """A file with one Spanish client and no name in the settings: a draft's
    ``{signature}`` stays unfilled."""
    from tui.app import build_app

    store = Store.open(tmp_path / "new.json", clock=FixedClock(FIXED_DAY))
    store.update_settings(language="es")
    store.add_client(Client(name="Acme", since=FIXED_DAY, email="ana@acme.example", language=Language("es")))
    return build_app(store)


async def test_the_draft_preview_speaks_spanish_and_asks_in_spanish(new_spanish_app, screen_text):
    async with new_spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        text = screen_text(pilot.app)
        assert "Para: Acme <ana@acme.example>" in text and "Asunto: " in text
        assert "{signature} está vacío: rellene Su nombre (o " in text
        bar = key_bar(pilot.app)
        for words in ("x Marcar enviado", ", Ajustes", "c Copiar", "e Editar"):
            assert words in bar, words
        for english in ("To:", "Subject", "is empty", "Mark sent", "Copy", "Settings"):
            assert english not in text, english

        await pilot.press("x")
        await pilot.pause()
        ask = pilot.app.screen
        assert isinstance(ask, ConfirmModal)
        assert ask.question.plain == "{signature} sin rellenar en este mensaje. ¿Marcarlo como enviado así?"
        assert "Volver al borrador" in screen_text(pilot.app) and "Marcar enviado" in screen_text(pilot.app)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is preview


async def test_the_templates_screen_its_form_and_preview_speak_spanish(spanish_app, screen_text):
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TemplatesScreen)
        text = screen_text(pilot.app)
        assert "Plantillas · * su propio texto · el resto, el original" in text
        assert "Asunto: ¿Qué tal va todo?" in text  # it opens on the first template in Spanish
        for words in ("e Editar", "v Vista previa", "r Restablecer"):
            assert words in key_bar(pilot.app), words
        await pilot.press("up")
        await pilot.pause()
        assert "Asunto: Checking in" in screen_text(pilot.app)  # the English template's subject, as written
        await pilot.press("down")
        await pilot.pause()

        await pilot.press("e")  # checkin, es
        await pilot.pause()
        assert isinstance(pilot.app.screen, TemplateForm)
        text = screen_text(pilot.app)
        for words in ("Plantilla checkin (es)", "Asunto", "Cuerpo (Markdown, {placeholders})",
                      "ctrl+s guarda · escape cancela"):
            assert words in text, words
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickModal)
        assert "¿Para qué cliente mostrar checkin (es)?" in screen_text(pilot.app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TemplatePreview)
        text = screen_text(pilot.app)
        assert "Vista previa · Para: " in text and "Asunto: ¿Qué tal va todo?" in text
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("r")  # never edited: nothing to put back, said so
        await pilot.pause()
        assert isinstance(pilot.app.screen, TemplatesScreen)
