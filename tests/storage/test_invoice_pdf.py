"""The invoice as a PDF, read back (pypdf) and checked figure by figure; and
every email about invoices carries them attached (multipart/mixed)."""

from __future__ import annotations

import datetime as dt
import email
import io
import os
from decimal import Decimal

import pytest
from pypdf import PdfReader

from storage.clock import FixedClock
from storage.drafts import draft
from storage.invoice_pdf import attachment_name, invoice_pdf
from storage.mail import eml
from storage.models import Client, LineItem

TERMS_EN = "Payment is due within two weeks of the invoice date."
TERMS_ES = "El pago vence dentro de las dos semanas posteriores a la fecha de la factura."
HOSTILE = "Zürich Ñandú 東京 🚀 شركة \x1b]0;PWN\x07 [bold]x[/] <b>"
NOW = FixedClock(dt.date(2026, 11, 27)).now()


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def client(store):
    return store.add_client(Client(name="Acme Robotics", email="ana@acme.example", since=dt.date(2025, 1, 1)))


@pytest.fixture
def invoice(store, client):
    store.update_settings(name="Alex Rivera", business="Rivera Studio", address="Calle Mayor 1, Madrid")
    lines = [LineItem(description="Logo design", unit_price=Decimal("1200")),
             LineItem(description="Revisions", quantity=Decimal("2.5"), unit_price=Decimal("60.50"))]
    return store.add_invoice(client.id, lines, issued=dt.date(2026, 11, 2))


def test_the_pdf_is_a4_and_carries_every_figure_and_the_terms(store, invoice):
    pdf = invoice_pdf(store.snapshot(), invoice, created=NOW)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = text_of(pdf)
    for expected in (f"Invoice {invoice.number}", "Rivera Studio", "Calle Mayor 1, Madrid", "Acme Robotics",
                     "2026-11-02", "2026-11-16", "Logo design", "1,200.00 EUR", "Revisions", "2.5",
                     "60.50 EUR", "151.25 EUR", "1,351.25 EUR", TERMS_EN):
        assert expected in text, expected
    # the font is embedded: a machine without fonts prints it the same
    fonts = [f for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         for f in fonts)


def test_in_spanish_the_words_numbers_and_terms_are_spanish(store, invoice):
    text = text_of(invoice_pdf(store.snapshot(), invoice, created=NOW, lang="es"))
    for expected in (f"Factura {invoice.number}", "02/11/2026", "16/11/2026", "1.351,25 EUR", "2,5", TERMS_ES):
        assert expected in text, expected


def test_payments_and_what_is_still_owed_are_shown(store, invoice):
    store.record_payment(invoice.number, Decimal("351.25"), dt.date(2026, 11, 20))
    invoice = store.find_invoice(invoice.number)
    text = text_of(invoice_pdf(store.snapshot(), invoice, created=NOW))
    assert "2026-11-20" in text and "351.25 EUR" in text and "1,000.00 EUR" in text


def test_any_unicode_prints_and_controls_never_reach_the_file(store):
    client = store.add_client(Client(name=HOSTILE, since=dt.date(2025, 1, 1)))
    invoice = store.add_invoice(client.id, [LineItem(description=HOSTILE * 40, unit_price=Decimal("10"))],
                                issued=dt.date(2026, 11, 2))
    pdf = invoice_pdf(store.snapshot(), invoice, created=NOW)
    text = text_of(pdf)
    assert "Zürich Ñandú" in text and "[bold]x[/] <b>" in text
    assert "\x1b" not in text and "\x07" not in text


def test_the_same_invoice_makes_the_same_bytes(store, invoice):
    snap = store.snapshot()
    assert invoice_pdf(snap, invoice, created=NOW) == invoice_pdf(snap, invoice, created=NOW)


def test_a_long_invoice_flows_onto_more_pages(store, client):
    lines = [LineItem(description=f"Session {n}", unit_price=Decimal("10")) for n in range(120)]
    invoice = store.add_invoice(client.id, lines, issued=dt.date(2026, 11, 2))
    pdf = invoice_pdf(store.snapshot(), invoice, created=NOW)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    text = text_of(pdf)
    assert "Session 119" in text and "1,200.00 EUR" in text and TERMS_EN in text


# -- attached to every email about invoices ------------------------------------ #


def parts(message: str) -> list[tuple[str, str | None, bytes]]:
    parsed = email.message_from_string(message)
    assert parsed.get_content_type() == "multipart/mixed"
    return [(p.get_content_type(), p.get_filename(), p.get_payload(decode=True))
            for p in parsed.walk() if not p.is_multipart()]


@pytest.mark.parametrize("kind", ["invoice", "reminder"])
def test_a_cover_note_or_reminder_carries_its_invoice(store, invoice, kind):
    snap = store.snapshot()
    message = draft(kind, snap, invoice, dt.date(2026, 11, 27))
    found = parts(eml(message, snap, from_addr="me@example.com", now=NOW))
    assert [(t, n) for t, n, _ in found] == [("text/plain", None), ("application/pdf", f"invoice-{invoice.number}.pdf")]
    assert f"Invoice {invoice.number}" in text_of(found[1][2])


def test_a_statement_carries_every_unpaid_invoice(store, client, invoice):
    second = store.add_invoice(client.id, [LineItem(description="Hosting", unit_price=Decimal("90"))],
                               issued=dt.date(2026, 10, 1))
    paid = store.add_invoice(client.id, [LineItem(description="Paid", unit_price=Decimal("5"))],
                             issued=dt.date(2026, 9, 1))
    store.record_payment(paid.number, None, dt.date(2026, 9, 5))
    snap = store.snapshot()
    found = parts(eml(draft("statement", snap, client, dt.date(2026, 11, 27)), snap, from_addr="", now=NOW))
    assert [n for _, n, _ in found[1:]] == [attachment_name(second), attachment_name(invoice)]


def test_a_check_in_has_nothing_to_attach(store, client):
    snap = store.snapshot()
    message = email.message_from_string(eml(draft("checkin", snap, client, dt.date(2026, 11, 27)), snap,
                                            from_addr="", now=NOW))
    assert message.get_content_type() == "text/plain"


def test_an_attachment_name_is_safe_whatever_the_number(store, client):
    invoice = store.add_invoice(client.id, [LineItem(description="x", unit_price=Decimal("1"))],
                                issued=dt.date(2026, 11, 2), number="A/1 ../x")
    assert attachment_name(invoice) == "invoice-A-1-..-x.pdf"


def test_the_cli_writes_the_pdf_and_the_eml(run_cli, data_path, tmp_path):
    assert run_cli("client", "add", "Acme", "--email", "ana@acme.example").rc == 0
    number = run_cli("invoice", "add", "Acme", "1000", "--issued", "2026-10-01").stdout.strip()
    out = tmp_path / "invoice.pdf"
    done = run_cli("invoice", "show", number, "--format", "pdf", "--out", str(out))
    assert done.rc == 0, done.stderr
    assert f"Invoice {number}" in text_of(out.read_bytes())
    missing = run_cli("invoice", "show", number, "--format", "pdf", "--out", str(tmp_path / "nope" / "x.pdf"))
    assert missing.rc == 1 and len(missing.stderr.splitlines()) == 1 and "does not exist" in missing.stderr
    saved = tmp_path / "reminder.eml"
    done = run_cli("draft", "reminder", number, "--eml", str(saved))
    assert done.rc == 0, done.stderr
    found = parts(saved.read_text())
    assert found[1][:2] == ("application/pdf", f"invoice-{number}.pdf")


def test_the_cli_writes_through_a_symlink_and_into_a_device_without_replacing_it(run_cli, tmp_path):
    assert run_cli("client", "add", "Acme").rc == 0
    number = run_cli("invoice", "add", "Acme", "10").stdout.strip()
    target = tmp_path / "real.pdf"
    target.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    assert run_cli("invoice", "show", number, "--format", "pdf", "--out", str(link)).rc == 0
    assert link.is_symlink() and target.read_bytes().startswith(b"%PDF-")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert run_cli("invoice", "show", number, "--format", "pdf", "--out", str(fifo)).rc == 0
    reader.join(10)
    assert fifo.exists() and not fifo.is_file() and got and got[0].startswith(b"%PDF-")
