"""Invoices a tax office accepts (issue #17): tax lines added and withheld,
legal details, numbers given on issue with no gaps, people to greet and to
bill, and each client's language."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from storage import scheduler
from storage.clock import FixedClock
from storage.drafts import draft
from storage.invoice_pdf import invoice_pdf
from storage.invoice_render import render_markdown
from storage.invoicing import overdue_board
from storage.mail import eml
from storage.migrations import migrate
from storage.models import (
    Client,
    InvoiceStatus,
    LineItem,
    Person,
    PersonRole,
    TaxLine,
    parse_tax_lines,
    tax_lines_text,
)
from storage.values import ValidationError

DAY = dt.date(2026, 11, 27)
NOW = FixedClock(DAY).now()
SPAIN = [TaxLine(name="IVA", percent=Decimal(21)), TaxLine(name="IRPF", percent=Decimal(15), withheld=True)]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def client(store):
    return store.add_client(Client(name="Acme Robotics", since=dt.date(2025, 1, 1), legal_name="Acme Robotics S.L.",
                                   address="Gran Vía 1\n28013 Madrid", tax_id="B12345678",
                                   people=[Person(name="Ana López", email="ana@acme.example"),
                                           Person(name="Accounts", email="ap@acme.example",
                                                  role=PersonRole.BILLING)]))


def one_line_invoice(store, client, amount="1000", **kwargs):
    return store.add_invoice(client.id, [LineItem(description="Design", unit_price=Decimal(amount))],
                             issued=kwargs.pop("issued", dt.date(2026, 10, 1)), **kwargs)


# -- tax lines ------------------------------------------------------------------ #


def test_iva_21_and_irpf_15_on_1000_make_1060_everywhere(store, client):
    store.update_settings(tax_lines=SPAIN, legal_name="Alex Rivera Gómez", tax_id="12345678Z",
                          payment_details="IBAN ES91 2100 0418 4502 0005 1332")
    invoice = one_line_invoice(store, client)
    assert (invoice.subtotal, invoice.total, invoice.outstanding) == (Decimal("1000.00"), Decimal("1060.00"),
                                                                     Decimal("1060.00"))
    snap = store.snapshot()
    text = pdf_text(invoice_pdf(snap, invoice, created=NOW))
    for expected in ("Subtotal", "1,000.00 EUR", "IVA 21 %", "210.00 EUR", "IRPF 15 %", "-150.00 EUR",
                     "1,060.00 EUR", "Alex Rivera Gómez", "Tax ID: 12345678Z", "Acme Robotics S.L.",
                     "Gran Vía 1", "Tax ID: B12345678", "IBAN ES91 2100 0418 4502 0005 1332"):
        assert expected in text, expected
    md = render_markdown(snap, invoice)
    assert "| IRPF 15 % | | | -150.00 EUR |" in md and "**1,060.00 EUR**" in md
    # the Overdue board's card and the statement use the total
    review = scheduler.review(snap, DAY)
    [row] = [r for r in review.invoices_overdue if r.number == invoice.number]
    assert row.outstanding == Decimal("1060.00")
    [card] = [c for column in overdue_board(snap, DAY) for c in column.cards if c.number == invoice.number]
    assert card.row.outstanding == Decimal("1060.00")
    assert "1,060.00 EUR" in draft("statement", snap, client, DAY).body


def test_an_issued_invoice_keeps_the_rates_it_was_issued_with(store, client):
    store.update_settings(tax_lines=SPAIN)
    invoice = one_line_invoice(store, client)
    store.update_settings(tax_lines=[TaxLine(name="IVA", percent=Decimal(10))])
    assert store.find_invoice(invoice.number).total == Decimal("1060.00")
    assert one_line_invoice(store, client).total == Decimal("1100.00")


def test_a_client_can_have_no_taxes_with_a_note(store):
    store.update_settings(tax_lines=SPAIN)
    abroad = store.add_client(Client(name="Nordlicht GmbH", since=DAY, tax_lines=[], tax_note="Reverse charge"))
    invoice = one_line_invoice(store, abroad)
    assert invoice.total == Decimal("1000.00") and invoice.tax_lines == []
    text = pdf_text(invoice_pdf(store.snapshot(), invoice, created=NOW))
    assert "Reverse charge" in text and "IVA" not in text


def test_each_tax_line_rounds_half_up_to_cents(store, client):
    store.update_settings(tax_lines=[TaxLine(name="A", percent=Decimal(21)), TaxLine(name="B", percent=Decimal(21))])
    invoice = one_line_invoice(store, client, "0.50")  # 0.105 each: 0.11, twice
    assert [amount for _, amount in invoice.taxes()] == [Decimal("0.11"), Decimal("0.11")]
    assert invoice.total == Decimal("0.72")


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2),
       st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_total_is_subtotal_plus_added_minus_withheld(subtotal, added, withheld):
    from storage.models import Invoice

    invoice = Invoice(number="X", client_id="client-1", items=[LineItem(description="x", unit_price=subtotal)],
                      issued=DAY, tax_lines=[TaxLine(name="VAT", percent=added),
                                             TaxLine(name="WHT", percent=withheld, withheld=True)])
    [(_, plus), (_, minus)] = invoice.taxes()
    assert invoice.total == subtotal + plus - minus
    assert plus == (subtotal * added / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_tax_lines_are_typed_as_text_and_read_back():
    lines = parse_tax_lines("IVA 21%, IRPF -15")
    assert lines == SPAIN and tax_lines_text(lines) == "IVA 21, IRPF -15"
    assert parse_tax_lines("VAT 20\nWHT 7 withheld")[1].withheld
    assert parse_tax_lines("") == []
    for bad in ("21", "IVA abc", "IVA 101"):
        with pytest.raises(ValidationError):
            parse_tax_lines(bad)


# -- numbers given on issue -------------------------------------------------------- #


def test_a_draft_has_no_number_and_issuing_leaves_no_gap(store, client):
    first = one_line_invoice(store, client)
    draft_invoice = one_line_invoice(store, client, status=InvoiceStatus.DRAFT)
    second = one_line_invoice(store, client)
    assert draft_invoice.number == "" and draft_invoice.label == "draft"
    assert [first.number, second.number] == ["2026-001", "2026-002"]
    issued = store.issue_invoice(draft_invoice.id, dt.date(2026, 11, 3))
    assert (issued.number, issued.status, issued.issued) == ("2026-003", InvoiceStatus.SENT, dt.date(2026, 11, 3))
    with pytest.raises(ValidationError, match="not a draft"):
        store.issue_invoice(issued.id, DAY)
    voided = store.update_invoice(first.number, status=InvoiceStatus.VOID)
    assert voided.number == "2026-001"  # a void invoice keeps its number
    with pytest.raises(ValidationError, match="never a draft again"):
        store.update_invoice(second.number, status=InvoiceStatus.DRAFT)
    with pytest.raises(ValidationError, match="a draft has no number"):
        one_line_invoice(store, client, status=InvoiceStatus.DRAFT, number="2026-009")


def test_a_draft_marked_sent_in_the_edit_form_is_issued(store, client):
    draft_invoice = one_line_invoice(store, client, status=InvoiceStatus.DRAFT)
    sent = store.update_invoice(draft_invoice.id, status=InvoiceStatus.SENT, terms_days=30)
    assert sent.number == "2026-001" and sent.terms_days == 30


def test_issuing_in_a_new_year_starts_that_years_sequence(store, client):
    one_line_invoice(store, client)
    draft_invoice = one_line_invoice(store, client, status=InvoiceStatus.DRAFT)
    assert store.issue_invoice(draft_invoice.id, dt.date(2027, 1, 2)).number == "2027-001"


def test_the_cli_issues_a_draft(run_cli, data_path):
    assert run_cli("client", "add", "Acme").rc == 0
    draft_id = run_cli("invoice", "add", "Acme", "100", "--draft").stdout.strip()
    assert draft_id.startswith("invoice-")
    listed = run_cli("invoice", "list", "--json").stdout
    assert json.loads(listed)[0]["number"] is None
    done = run_cli("invoice", "issue", draft_id)
    assert (done.rc, done.stdout.strip()) == (0, "2026-001")
    again = run_cli("invoice", "issue", draft_id)
    assert again.rc == 1 and "not a draft" in again.stderr


def test_migration_to_3_frees_draft_numbers_makes_people_and_greets_by_first_name():
    data = {
        "settings": {"1": {"id": "settings", "schema_version": 2}},
        "client": {"1": {"id": "client-1", "name": "Acme", "email": "ana@acme.example"},
                   "2": {"id": "client-2", "name": "Beta", "email": ""}},
        "invoice": {"1": {"id": "invoice-1", "number": "2026-001", "status": "sent"},
                    "2": {"id": "invoice-2", "number": "2026-002", "status": "draft"},
                    "3": {"id": "invoice-3", "number": "2026-003", "status": "void"}},
        "template": {"1": {"id": "template-1", "body": "Hello {client},\n\nHi"},
                     "2": {"id": "template-2", "body": "Hola, {client}:\n\nHola"},
                     "3": {"id": "template-3", "body": "Dear {client}, edited by hand"}},
    }
    out = migrate(data, 2, "2026-11-27T09:00:00Z")
    assert out["client"]["1"]["people"] == [{"name": "Acme", "email": "ana@acme.example", "role": "main"}]
    assert "people" not in out["client"]["2"]
    assert [out["invoice"][k]["number"] for k in "123"] == ["2026-001", "", "2026-003"]
    assert out["template"]["1"]["body"] == "Hello {first_name},\n\nHi"
    assert out["template"]["2"]["body"] == "Hola, {first_name}:\n\nHola"
    assert out["template"]["3"]["body"] == "Dear {client}, edited by hand"


# -- people and language -------------------------------------------------------------- #


def test_greetings_use_the_main_contacts_first_name_and_invoices_go_to_billing(store, client):
    snap = store.snapshot()
    checkin = draft("checkin", snap, client, DAY)
    assert checkin.body.startswith("Hello Ana,") and checkin.to == "ana@acme.example" and not checkin.cc
    invoice = one_line_invoice(store, client)
    snap = store.snapshot()
    reminder = draft("reminder", snap, invoice, DAY)
    assert reminder.body.startswith("Hello Ana,")
    message = email.message_from_string(eml(reminder, snap, from_addr="me@example.com", now=NOW),
                                        policy=email.policy.default)
    assert message["To"] == "Accounts <ap@acme.example>" and message["Cc"] == "Ana López <ana@acme.example>"


def test_with_no_people_the_client_is_greeted_by_name(store):
    plain = store.add_client(Client(name="Café Olé", email="hola@cafe.example", since=DAY))
    message = draft("checkin", store.snapshot(), plain, DAY)
    assert message.body.startswith("Hello Café Olé,") and message.to == "hola@cafe.example"


def test_a_clients_language_writes_its_drafts_and_invoices(store):
    spanish = store.add_client(Client(name="Estudio Núñez", since=DAY, language="es",
                                      people=[Person(name="Elena Núñez", email="elena@estudio.example")]))
    message = draft("checkin", store.snapshot(), spanish, DAY)
    assert message.language == "es" and message.body.startswith("Hola, Elena:")
    assert message.as_markdown().startswith("**Para:** Elena Núñez <elena@estudio.example>  \n**Asunto:**")
    assert draft("checkin", store.snapshot(), spanish, DAY, lang="en").body.startswith("Hello Elena,")
    invoice = one_line_invoice(store, spanish)
    text = pdf_text(invoice_pdf(store.snapshot(), invoice, created=NOW))
    assert f"Factura {invoice.number}" in text and "El pago vence dentro de las dos semanas" in text


def test_the_cli_adds_people_and_legal_details(run_cli, data_path):
    assert run_cli("client", "add", "Acme", "--legal-name", "Acme S.L.", "--tax-id", "B1", "--lang", "es",
                   "--tax", "IVA 21, IRPF -15", "--address", "Calle 1\\nMadrid").rc == 0
    done = run_cli("person", "add", "Acme", "Ana López", "--email", "ana@acme.example")
    assert done.rc == 0, done.stderr
    assert run_cli("person", "add", "Acme", "Accounts", "--email", "ap@acme.example", "--role", "billing").rc == 0
    bad = run_cli("person", "add", "Acme", "X", "--email", "not-an-email")
    assert bad.rc == 1 and len(bad.stderr.splitlines()) == 1
    [client] = json.loads(data_path.read_text())["client"].values()
    assert [p["role"] for p in client["people"]] == ["main", "billing"]
    assert (client["legal_name"], client["tax_id"], client["language"], client["address"]) == (
        "Acme S.L.", "B1", "es", "Calle 1\nMadrid")
    assert client["tax_lines"] == [{"name": "IVA", "percent": "21", "withheld": False},
                                   {"name": "IRPF", "percent": "15", "withheld": True}]
    shown = json.loads(run_cli("client", "show", "Acme", "--json").stdout)
    assert [p["role"] for p in shown["people"]] == ["main", "billing"]
    assert (shown["legal_name"], shown["tax_id"], shown["language"], shown["tax_lines"]) == (
        "Acme S.L.", "B1", "es", "IVA 21, IRPF -15")
    text = run_cli("client", "show", "Acme").stdout
    assert "Billing contact:       Accounts <ap@acme.example>" in text and "Tax ID:                B1" in text
    number = run_cli("invoice", "add", "Acme", "1000").stdout.strip()
    shown = run_cli("invoice", "show", number).stdout  # in the client's language
    assert "1.060,00 EUR" in shown and "IRPF 15 %" in shown
