"""The store speaks the person's language: its refusals (and the field each one
names) in the language shown, its invoices and drafts in the client's language
whatever the screens', and every figure through the one formatter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage.drafts import draft, header_words, payment_terms_sentence, terms_words
from storage.errors import ValidationError
from storage.i18n import activate
from storage.invoice_pdf import invoice_pdf
from storage.invoice_render import invoice_view, render_markdown
from storage.models import Client, LineItem
from storage.values import format_money, parse_date, parse_decimal


@pytest.fixture
def spanish_client(store):
    return store.add_client(Client(name="Estudio Norte", email="eva@norte.example", since=dt.date(2025, 1, 1),
                                   language="es"))


def _invoice(store, client, amount="1280"):
    return store.add_invoice(client.id, [LineItem(description="Diseño", unit_price=Decimal(amount))],
                             issued=dt.date(2026, 11, 2))


# -- refusals ------------------------------------------------------------------------- #


def test_a_refusal_is_in_spanish_with_the_field_label_translated(store):
    store.add_client(Client(name="Acme", since=dt.date(2025, 1, 1)))
    activate("es")
    with pytest.raises(ValidationError) as caught:
        store.add_client(Client(name="Acme", since=dt.date(2025, 1, 1)))
    assert str(caught.value) == "nombre: ya existe un cliente llamado 'Acme'"
    assert caught.value.field == "name"  # the machine name: forms match it to their input
    assert caught.value.label == "nombre"
    assert caught.value.message == "ya existe un cliente llamado 'Acme'"


def test_a_validation_error_shows_the_field_label_in_the_language_shown():
    activate("es")
    error = ValidationError("cadence_days", "debe ser mayor que 0")
    assert str(error) == "frecuencia de contacto (días): debe ser mayor que 0"
    assert error.field == "cadence_days"
    activate("en")
    assert str(ValidationError("cadence_days", "must be greater than 0")) == "cadence_days: must be greater than 0"
    # A field that is not a label (a command-line option) is shown as it is.
    activate("es")
    assert str(ValidationError("--currency", "x")) == "--currency: x"


def test_a_parser_refuses_in_spanish():
    activate("es")
    with pytest.raises(ValidationError) as caught:
        parse_decimal("doce", "amount")
    assert str(caught.value) == "importe: 'doce' no es un número decimal como 1200 o 1200.50"


def test_a_workflow_refusal_in_spanish_formats_the_amount_the_spanish_way(store):
    client = store.add_client(Client(name="Acme", since=dt.date(2025, 1, 1), rate=Decimal("1200"), currency="EUR"))
    activate("es")
    with pytest.raises(ValidationError) as caught:
        store.propose_rate(client.id, "1100", dt.date(2026, 11, 27))
    assert str(caught.value) == "importe: una subida debe superar la tarifa actual de 1.200,00 EUR"


def test_invoice_lines_refusal_in_spanish():
    from storage.lines import parse_items

    activate("es")
    with pytest.raises(ValidationError) as caught:
        parse_items("Logo; uno; 1200\nRevisión; 1; 60")
    assert str(caught.value) == "líneas: línea 1: cantidad 'uno' no es un número decimal como 1200 o 1200.50"


def test_why_no_reminder_is_due_in_spanish_with_a_spanish_date(store, spanish_client):
    invoice = _invoice(store, spanish_client)
    activate("es")
    with pytest.raises(ValidationError) as caught:
        store.add_reminder(invoice.number, dt.date(2026, 11, 3))
    assert str(caught.value) == "el recordatorio 1 toca el 17/11/2026"  # one line, no field


# -- dates typed in the language ------------------------------------------------------ #


def test_parse_date_accepts_the_languages_short_date_and_says_its_pattern():
    assert parse_date("01/12/2026", lang="es") == dt.date(2026, 12, 1)
    assert parse_date("1/12/2026", lang="es") == dt.date(2026, 12, 1)
    assert parse_date("2026-12-01", lang="es") == dt.date(2026, 12, 1)
    assert parse_date("01.12.2026", lang="de") == dt.date(2026, 12, 1)
    with pytest.raises(ValidationError, match=r"YYYY-MM-DD$"):
        parse_date("01/12/2026", lang="en")
    activate("es")
    with pytest.raises(ValidationError) as caught:
        parse_date("mañana", "deadline", lang="es")
    assert str(caught.value) == "plazo de entrega: 'mañana' no es una fecha con la forma YYYY-MM-DD o DD/MM/YYYY"
    with pytest.raises(ValidationError, match="no es una fecha real"):
        parse_date("31/02/2026", lang="es")


# -- invoices and drafts: the client's language ----------------------------------------- #


def test_an_invoice_for_a_spanish_client_is_in_spanish_while_the_screens_are_english(store, spanish_client):
    invoice = _invoice(store, spanish_client)
    md = render_markdown(store.snapshot(), invoice)
    assert md.startswith(f"# Factura {invoice.number}\n")
    assert "**Facturar a:** Estudio Norte" in md
    assert "| Descripción | Cantidad | Precio unitario | Importe |" in md
    assert "| Diseño | 1 | 1.280,00 EUR | 1.280,00 EUR |" in md
    assert "| **Total** | | | **1.280,00 EUR** |" in md
    assert "**Fecha de vencimiento:** 16/11/2026" in md
    assert md.rstrip().endswith(
        "**Condiciones de pago:** El pago vence dentro de las dos semanas posteriores a la fecha de la factura.")


def test_an_invoice_for_an_english_client_stays_english_when_the_screens_are_spanish(store):
    client = store.add_client(Client(name="Acme", since=dt.date(2025, 1, 1), language="en"))
    invoice = _invoice(store, client)
    activate("es")
    md = render_markdown(store.snapshot(), invoice)
    assert md.startswith(f"# Invoice {invoice.number}\n")
    assert "| **Total** | | | **1,280.00 EUR** |" in md


def test_the_pdf_view_uses_the_catalogs_words(store, spanish_client):
    invoice = _invoice(store, spanish_client)
    view = invoice_view(store.snapshot(), invoice)
    assert view.title == f"Factura {invoice.number}"
    assert view.words["number"] == "Número de factura"
    assert view.total == "1.280,00 EUR"
    pdf = invoice_pdf(store.snapshot(), invoice, created=dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC))
    assert pdf.startswith(b"%PDF")


def test_drafts_words_come_from_the_clients_catalog(store, spanish_client):
    _invoice(store, spanish_client)
    assert header_words("es") == {"to": "Para", "cc": "CC", "subject": "Asunto"}
    assert terms_words(21, "es") == "3 semanas"
    assert terms_words(1, "es") == "1 día"
    assert payment_terms_sentence(1, "es") == "El pago vence dentro del día posterior a la fecha de la factura."
    assert payment_terms_sentence(45, "es") == (
        "El pago vence dentro de los 45 días posteriores a la fecha de la factura.")
    message = draft("statement", store.snapshot(), spanish_client, dt.date(2026, 11, 27))
    assert "- Factura 2026-001 del 02/11/2026, vencimiento el 16/11/2026: 1.280,00 EUR (vencida hace 11 días)" \
        in message.body


def test_format_money_is_the_formatters():
    assert format_money(Decimal("1280"), "EUR", "es") == "1.280,00 EUR"
    assert format_money(Decimal("1280"), "EUR") == "1,280.00 EUR"
    assert format_money(Decimal("150000"), "JPY", "es") == "150.000 JPY"


def test_the_calendar_speaks_the_language_shown(store):
    from storage.exchange import due_events

    store.add_client(Client(name="Acme", since=dt.date(2026, 10, 1), cadence_days=14))
    activate("es")
    (event,) = [e for e in due_events(store, dt.date(2026, 11, 27)) if e[0].startswith("checkin-")]
    assert event[2] == "Contactar con Acme (57 días de retraso)"
    assert event[3] == "Aún sin contactar"
