"""The Agenda, help, key bar, command palette and the app's toasts in Spanish:
the words actually shown, from the catalog (language ``es`` in the settings)."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.clock import FixedClock
from storage.i18n import activate
from storage.scheduler import CheckinRow, When, review
from storage.store import Store
from storage.undo import Edit, describe
from tests.conftest import FIXED_DAY
from tests.tui.test_agenda import select
from tui.screens.agenda import AgendaScreen, _when, welcome_words
from tui.screens.help import HelpScreen
from tui.widgets.keybar import KeyBar


@pytest.fixture
def spanish_app(demo_store):
    from tui.app import build_app

    demo_store.update_settings(language="es")
    return build_app(demo_store)


class _Row:
    def __init__(self, when: When) -> None:
        self.when = when


@pytest.mark.parametrize(("when", "english", "spanish"), [
    (When("due", 2), "2d late", "2d tarde"),
    (When("due", 1234), "1,234d late", "1.234d tarde"),
    (When("due", 0), "today", "hoy"),
    (When("due", -3), "in 3d", "en 3d"),
    (When("waiting", 6), "6d", "6d"),
    (When("months", 14), "14 mo", "14 m"),
])
def test_how_late_in_either_language(when, english, spanish) -> None:
    assert _when("x", _Row(when), "en") == english
    assert _when("x", _Row(when), "es") == spanish


def test_a_row_worded_in_spanish_from_the_catalog() -> None:
    from tui.screens.agenda import render_row

    row = CheckinRow(client="Acme", client_id="client-1", cadence_days=14, last_contact=dt.date(2026, 11, 2),
                     due_on=dt.date(2026, 11, 16), days_overdue=11)
    line = render_row("checkins_due", row, 78, lang="es").plain
    assert "11d tarde" in line and "Contactar (último: 02/11/2026)" in line
    activate("es")  # the language shown does not leak into a row asked in English
    assert "Check in (last contact 2026-11-02)" in render_row("checkins_due", row, 78, lang="en").plain


def test_the_welcome_in_spanish() -> None:
    from rich.console import Console

    console = Console(width=78, record=True)
    console.print(welcome_words("es"))
    text = " ".join(console.export_text().split())
    for words in ("rapport cuida la relación con sus clientes", "Para empezar:",
                  "Su nombre y su firma, para firmar sus mensajes", "Añada su primer cliente",
                  "datos de ejemplo (u lo deshace)", "? muestra todas las teclas"):
        assert words in text


async def test_a_new_file_welcomes_in_spanish(tmp_path, screen_text) -> None:
    from tui.app import build_app

    store = Store.open(tmp_path / "new.json", clock=FixedClock(FIXED_DAY))
    store.update_settings(language="es")
    async with build_app(store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Le damos la bienvenida a rapport" in text
        assert "Para empezar:" in text
        bar = pilot.app.screen.query_one(KeyBar).plain
        for entry in ("n Nuevo cliente", ", Su nombre", "d Ejemplo", "12345 Vistas", "? Ayuda", "q Salir"):
            assert entry in bar


async def test_the_summary_counts_in_spanish(spanish_app, screen_text) -> None:
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, AgendaScreen)
        text = screen_text(pilot.app)
        n = len(screen._items)
        assert f"{n} cosas que revisar hoy" in text
        assert "Recordatorios pendientes (" in text
        assert "viernes, 27 de noviembre de 2026" in text


async def test_all_clear_in_spanish(tmp_path, screen_text) -> None:
    from storage.models import Client, Contact
    from tui.app import build_app

    store = Store.open(tmp_path / "one.json", clock=FixedClock(FIXED_DAY))
    store.update_settings(language="es")
    client = store.add_client(Client(name="Zeta", since=FIXED_DAY))
    store.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary="hola"))
    async with build_app(store).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Todo en orden" in text
        assert "Nada pendiente hoy. Disfrute del trabajo." in text


@pytest.mark.parametrize("screen", ["1", "2", "3", "4", "5"])
async def test_help_and_quit_stay_in_the_spanish_key_bar(spanish_app, screen) -> None:
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(screen)
        await pilot.pause(0.3)
        bar = pilot.app.screen.query_one(KeyBar).plain
        assert bar.endswith("? Ayuda  q Salir") and "12345 Vistas" in bar


def _help_text(help_screen: HelpScreen) -> str:
    """The whole help, scrolled or not, as plain text 70 cells wide."""
    from rich.console import Console
    from textual.widgets import Static

    visual = help_screen.query_one(Static).render()
    console = Console(width=70, record=True, file=__import__("io").StringIO())
    console.print(getattr(visual, "_renderable", visual))
    return console.export_text()


async def test_the_help_in_spanish(spanish_app, screen_text) -> None:
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        text = screen_text(pilot.app)
        for words in ("Agenda", "Anotar un contacto con el cliente", "Redactar el mensaje a partir de su plantilla",
                      "Aplazar un contacto, o una promesa"):
            assert words in text
        text = _help_text(help_screen)
        for words in ("En todas partes", "2                     Clientes", "3                     Facturas vencidas",
                      "Trabajos", "Esta ayuda", "Salir (cada cambio ya está guardado)", "Listas y formularios",
                      "j / k, flechas", "Paleta de órdenes: cada acción por su nombre"):
            assert words in text
        await pilot.press("end")
        await pilot.pause()
        assert "En un formulario: cancelar; aquí: cerrar esta" in screen_text(pilot.app)


async def test_the_command_palette_in_spanish(spanish_app, screen_text) -> None:
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        text = screen_text(pilot.app)
        for words in ("Buscar órdenes…", "La revisión de hoy (1)", "Ajustes", "Todas las teclas de esta pantalla (?)",
                      "Anotar un contacto con el cliente", "Tecla: l"):
            assert words in text
        commands = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        for title in ("Agenda", "Clientes", "Facturas vencidas", "Facturas", "Trabajos", "Nueva promesa", "Ajustes",
                      "Plantillas", "Ayuda", "Salir"):
            assert title in commands


async def test_saved_undone_and_nothing_to_undo_in_spanish(spanish_app, toasts) -> None:
    async with spanish_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "checkins_due")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        assert any("guardado · u deshace" in toast for toast in toasts(pilot.app))
        await pilot.press("u")
        await pilot.pause()
        assert any(toast.startswith("Deshecho: contacto del 27/11/2026") for toast in toasts(pilot.app))
        await pilot.press("u")
        await pilot.pause()
        assert "Nada que deshacer" in toasts(pilot.app)


def test_an_undone_document_is_named_in_spanish() -> None:
    activate("es")
    invoice = Edit("invoice", "invoice-1", None, {"id": "invoice-1", "number": "2026-014"})
    client = Edit("client", "client-1", {"id": "client-1", "name": "Acme"}, None)
    assert describe(invoice) == "factura 2026-014"
    assert describe(client) == "cliente 'Acme'"
    activate("en")
    assert describe(invoice) == "invoice 2026-014"
    assert describe(client) == "client 'Acme'"


def test_an_invoice_due_soon_in_spanish() -> None:
    from storage.demo import generate
    from storage.snapshot import Snapshot
    from storage.store import parse_export
    from tui.screens.agenda import render_row

    result = review(Snapshot(parse_export(generate(FIXED_DAY, "small"))), FIXED_DAY)
    row = result.invoices_due_soon[0]
    line = render_row("invoices_due_soon", row, 78, lang="es").plain
    days = (row.due_on - FIXED_DAY).days
    assert f"en {days}d" in line and f"{row.number} vence el {row.due_on:%d/%m/%Y}" in line
    assert line.rstrip().endswith(" EUR") and "," in line.rsplit(" ", 2)[-2]
