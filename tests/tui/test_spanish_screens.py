"""With language ``es`` the Clients screen, the Overdue board, the Invoices list and
their forms speak Spanish: headings, figures (``11.200 EUR``, ``1.280,00 EUR``),
dates typed and shown as DD/MM/YYYY, validation messages and toasts; what the
person typed stays as typed, and what is stored stays English (data)."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.models import Channel, ContactKind, Direction
from tui.screens.clients import ClientsScreen
from tui.screens.invoices import InvoicesScreen
from tui.screens.overdue import OverdueScreen
from tui.widgets.form import FormModal

from .test_workflows import error_of, fill


@pytest.fixture
def spanish_app(demo_store):
    from tui.app import build_app

    demo_store.update_settings(language="es")
    return build_app(demo_store)


async def test_clients_board_and_invoices_speak_spanish(spanish_app, screen_text):
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ClientsScreen)
        pilot.app.screen.settle_notes()
        await pilot.pause()
        shown = screen_text(pilot.app)
        for words in ("Clientes", "Nombre", "Estado", "Clientes activos:", "por nombre", "activo",
                      "11.200 EUR", "hace ", "Historial:", "Anotar", "Carta"):
            assert words in shown, words
        for english in ("Active clients", "Outstanding", "Contacted", "sorted by", "ago", "History"):
            assert english not in shown, english

        await pilot.press("3")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(pilot.app.screen, OverdueScreen)
        shown = screen_text(pilot.app)
        for words in ("Facturas vencidas", "facturas", "11.200,00 EUR", "escalar", "Recordar", "Retener"):
            assert words in shown, words
        for english in ("invoices ·", "escalate", "days", "Remind", "Hold"):
            assert english not in shown, english

        await pilot.press("4")
        await pilot.pause()
        assert isinstance(pilot.app.screen, InvoicesScreen)
        shown = screen_text(pilot.app)
        for words in ("Número", "Cliente", "Emitida", "Pendiente", "Estado", "pendiente ", "vencida ",
                      "Todos", "Año"):
            assert words in shown, words
        assert "2026-11-" not in shown  # dates as DD/MM/YYYY
        assert "/11/2026" in shown
        for english in ("Number", "Issued", "Outstanding", "overdue", "outstanding"):
            assert english not in shown, english


async def test_a_contact_logged_in_spanish_lands_on_disk(spanish_app, on_disk, screen_text, toasts):
    async with spanish_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ClientsScreen)
        client = screen.selected.client
        await pilot.press("l")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        shown = screen_text(pilot.app)
        for words in ("Anotar un contacto con", "Fecha (DD/MM/AAAA)", "Canal", "Sentido", "Tipo", "Nota",
                      "Guardar", "Cancelar", "Saliente (yo le contacté)", "Seguimiento"):
            assert words in shown, words
        assert form.query_one("#field-date").value == "27/11/2026"  # today, as Spanish dates are typed

        # An empty date: the message beside the field is Spanish.
        await fill(pilot, date="")
        await pilot.press("enter")
        await pilot.pause()
        assert error_of(form, "date") == "es obligatorio"
        await fill(pilot, date="25/11/2026", channel="call", summary="Hablamos del menú de invierno")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormModal)
        assert any(f"Contacto con {client.name} anotado" in toast for toast in toasts(pilot.app))

    contacts = [c for c in on_disk().contacts if c.summary == "Hablamos del menú de invierno"]
    assert len(contacts) == 1
    contact = contacts[0]
    # Stored as data: the date, and the English values of the choices.
    assert contact.date == dt.date(2026, 11, 25)
    assert contact.client_id == client.id
    assert (contact.channel, contact.direction, contact.kind) == (Channel.CALL, Direction.OUT, ContactKind.CHECK_IN)


async def test_a_payment_in_spanish_takes_a_decimal_comma(spanish_app, on_disk, toasts):
    async with spanish_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, InvoicesScreen)
        invoice = next(i for i in screen._shown if i.status == "sent" and i.outstanding > 1)
        screen.select_invoice(invoice.number)
        await pilot.press("p")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        assert form.form_title.startswith(f"Anotar un pago de la factura {invoice.number} (")
        await fill(pilot, amount="0")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)  # refused by the store, the form stays open
        await fill(pilot, amount="1,50", date="26/11/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormModal)
        assert any(f"Pago de {invoice.number} anotado" in toast for toast in toasts(pilot.app))
    saved = on_disk().invoice(invoice.number)
    assert saved.payments[-1].amount == pytest.approx(1.5)
    assert saved.payments[-1].date == dt.date(2026, 11, 26)
