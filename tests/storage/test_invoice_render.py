"""The invoice as a document (``rapport invoice show``): the guide's payment
terms sentence, and user text that stays text (HTML escaped, Markdown inert)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from storage.invoice_render import md_escape, render, render_html, render_markdown
from storage.models import Client, InvoiceStatus, LineItem

TERMS_EN = "Payment is due within two weeks of the invoice date."
TERMS_ES = "El pago vence dentro de las dos semanas posteriores a la fecha de la factura."


@pytest.fixture
def client(store):
    return store.add_client(Client(name="Acme Robotics", email="ana@acme.example", since=dt.date(2025, 1, 1)))


def _invoice(store, client, *items, **kwargs):
    lines = [LineItem(description=d, quantity=Decimal(q), unit_price=Decimal(p)) for d, q, p in items]
    return store.add_invoice(client.id, lines or [LineItem(description="Design", unit_price=Decimal("1200"))],
                             issued=kwargs.pop("issued", dt.date(2026, 11, 2)), **kwargs)


def test_markdown_has_the_lines_totals_dates_and_the_terms_sentence(store, client):
    invoice = _invoice(store, client, ("Logo design", "1", "1200"), ("Revisions", "2.5", "60.50"))
    md = render_markdown(store.snapshot(), invoice)
    assert md.startswith(f"# Invoice {invoice.number}\n")
    assert "| Logo design | 1 | 1,200.00 EUR | 1,200.00 EUR |" in md
    assert "| Revisions | 2.5 | 60.50 EUR | 151.25 EUR |" in md
    assert "**1,351.25 EUR**" in md
    assert "**Invoice date:** 2026-11-02" in md
    assert "**Due date:** 2026-11-16" in md
    assert "**Bill to:** Acme Robotics" in md
    assert md.rstrip().endswith(TERMS_EN)


def test_html_escapes_a_script_in_a_line_description(store, client):
    invoice = _invoice(store, client, ("<script>alert('x')</script> & <b>bold</b>", "1", "100"))
    page = render_html(store.snapshot(), invoice)
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert TERMS_EN in page
    assert page.startswith("<!DOCTYPE html>")
    assert f"<title>Invoice {invoice.number}</title>" in page


def test_markdown_in_user_text_is_shown_literally(store):
    client = store.add_client(Client(name="**Bold** [link](http://evil.example) `code`", since=dt.date(2025, 1, 1)))
    invoice = _invoice(
        store, client, ("a | b | c", "1", "10"), ("# not a heading", "1", "5"), ("- not a list", "1", "5")
    )
    page = render_html(store.snapshot(), invoice)
    body = page.split("<body>", 1)[1]
    assert "<strong>Bold</strong>" not in body
    assert "<a " not in body
    assert "<code>" not in body
    assert "**Bold** [link](http://evil.example) `code`" in body
    # The pipes stay in their cell: every row of the table has four cells.
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    assert rows and all(len(re.findall(r"<t[dh][ >]", row)) == 4 for row in rows)
    assert "a | b | c" in body
    assert "<h2>" not in body and body.count("<h1>") == 1
    assert "<ul>" not in body


def test_control_characters_are_made_visible(store):
    client = store.add_client(Client(name="Evil\x1b[31m Co\x07", since=dt.date(2025, 1, 1)))
    invoice = _invoice(store, client, ("Line\x1b]0;title\x07", "1", "10"))
    for text in (render_markdown(store.snapshot(), invoice), render_html(store.snapshot(), invoice)):
        assert "\x1b" not in text and "\x07" not in text
        assert "Evil\u241b" in text


@pytest.mark.parametrize(
    ("days", "sentence"),
    [
        (14, TERMS_EN),
        (7, "Payment is due within one week of the invoice date."),
        (30, "Payment is due within 30 days of the invoice date."),
        (0, "Payment is due on the invoice date."),
    ],
)
def test_the_terms_sentence_follows_the_invoice_terms(store, client, days, sentence):
    invoice = _invoice(store, client, terms_days=days)
    assert sentence in render_markdown(store.snapshot(), invoice)
    assert sentence in render_html(store.snapshot(), invoice)


def test_spanish_when_the_settings_say_so(store, client):
    store.update_settings(language="es")
    invoice = _invoice(store, client, ("Diseño", "1", "1234.5"))
    md = render_markdown(store.snapshot(), invoice)
    assert md.startswith(f"# Factura {invoice.number}")
    assert TERMS_ES in md
    assert "1.234,50 EUR" in md
    assert "**Fecha de la factura:** 02/11/2026" in md
    assert TERMS_ES in render_html(store.snapshot(), invoice)
    assert '<html lang="es">' in render_html(store.snapshot(), invoice)
    # An explicit language wins over the settings.
    assert TERMS_EN in render_markdown(store.snapshot(), invoice, lang="en")


def test_payments_status_and_currency_minor_units(store, client):
    invoice = _invoice(store, client, ("Work", "1", "150000"), currency="JPY")
    store.record_payment(invoice.number, "50000", dt.date(2026, 11, 20))
    md = render_markdown(store.snapshot(), store.find_invoice(invoice.number))
    assert "- 2026-11-20: 50,000 JPY" in md
    assert "**Outstanding:** 100,000 JPY" in md
    store.record_payment(invoice.number, None, dt.date(2026, 11, 21))
    assert "**Paid in full**" in render_markdown(store.snapshot(), store.find_invoice(invoice.number))
    draft = _invoice(store, client, status=InvoiceStatus.DRAFT)
    assert "**DRAFT: not sent**" in render_markdown(store.snapshot(), draft)


def test_render_picks_the_format(store, client):
    invoice = _invoice(store, client)
    snap = store.snapshot()
    assert render(snap, invoice, "md") == render_markdown(snap, invoice)
    assert render(snap, invoice, "html") == render_html(snap, invoice)
    with pytest.raises(ValueError):
        render(snap, invoice, "pdf")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("+34 600 000 000", "+34 600 000 000"),
        ("1.5 hours", "1.5 hours"),
        ("1. first", "1\\. first"),
        ("# 5 Main St", "\\# 5 Main St"),
        ("a*b_c", "a\\*b\\_c"),
    ],
)
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


# --------------------------------------------------------------------------- #
# The command
# --------------------------------------------------------------------------- #


def test_cli_invoice_show(run_cli):
    assert run_cli("client", "add", "Acme", "--since", "2026-01-01").rc == 0
    number = run_cli("invoice", "add", "Acme", "1200", "--issued", "2026-11-02",
                     "--description", "<script>x</script>").stdout.strip()
    md = run_cli("invoice", "show", number)
    assert md.rc == 0, md.stderr
    assert md.stdout.startswith(f"# Invoice {number}")
    assert TERMS_EN in md.stdout
    page = run_cli("invoice", "show", number, "--format", "html")
    assert page.rc == 0, page.stderr
    assert "&lt;script&gt;x&lt;/script&gt;" in page.stdout and "<script>" not in page.stdout
    assert TERMS_EN in page.stdout
    spanish = run_cli("invoice", "show", number, "--lang", "es")
    assert TERMS_ES in spanish.stdout
    missing = run_cli("invoice", "show", "1999-999")
    assert missing.rc == 1 and "no invoice" in missing.stderr and "Traceback" not in missing.stderr
    pdf = run_cli("invoice", "show", number, "--format", "pdf")  # stdout is a pipe here
    assert pdf.rc == 0 and pdf.stdout.startswith("%PDF-"), pdf.stderr
    assert run_cli("invoice", "show", number, "--format", "odt").rc == 2
