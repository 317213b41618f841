"""Drafted messages: the right template, filled from the documents, in both languages."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import subprocess
import sys
from decimal import Decimal

import pytest

from storage.clock import FixedClock
from storage.drafts import (
    Draft,
    draft,
    find_template,
    format_date,
    format_money,
    from_address,
    payment_terms_sentence,
    reminder_template_name,
    terms_words,
)
from storage.models import (
    Change,
    ChangeStatus,
    Client,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    LineItem,
    Payment,
    Rate,
    RateStatus,
    RateUnit,
    Reminder,
    Settings,
    Template,
)
from storage.store import Snapshot, Store
from storage.templates import default_template
from storage.values import ValidationError

TODAY = dt.date(2026, 3, 10)

SETTINGS = Settings(
    id="settings",
    name="María Pérez",
    business="Pérez Design",
    email="maria@perez.es",
    phone="+34 600 000 000",
    website="perez.es",
)

ANA = Client(
    id="client-1",
    name="Ana López",
    email="ana@example.com",
    since=dt.date(2020, 1, 1),
    rate=Decimal("50.00"),
    currency="EUR",
    rate_unit=RateUnit.HOUR,
)
BOB = Client(id="client-2", name="Bob", email="bob@example.com", since=dt.date(2021, 1, 1), currency="USD")


def invoice(number: str = "2026-001", *, client: Client = ANA, amount: str = "1234.50", **changes) -> Invoice:
    fields = {
        "id": f"invoice-{number}",
        "number": number,
        "client_id": client.id,
        "items": [LineItem(description="Design work", quantity=Decimal(1), unit_price=Decimal(amount))],
        "currency": client.currency,
        "issued": dt.date(2026, 2, 1),
        "terms_days": 14,
        "status": InvoiceStatus.SENT,
    }
    fields.update(changes)
    return Invoice(**fields)


def snapshot(*docs, settings: Settings = SETTINGS) -> Snapshot:
    """A Snapshot from documents, shaped like TinyDB's data (table -> doc_id -> doc)."""
    data: dict[str, dict[str, dict]] = {"settings": {"1": settings.to_doc()}}
    for doc in docs:
        table = data.setdefault(doc.TABLE, {})
        table[str(len(table) + 1)] = doc.to_doc()
    return Snapshot(data)


# --------------------------------------------------------------------------- #
# Formatting
# --------------------------------------------------------------------------- #


def test_money_is_formatted_per_language_at_the_currency_minor_unit():
    assert format_money(Decimal("1234.5"), "EUR", "en") == "1,234.50 EUR"
    assert format_money(Decimal("1234.5"), "EUR", "es") == "1.234,50 EUR"
    assert format_money(Decimal("120000"), "JPY", "en") == "120,000 JPY"
    assert format_money(Decimal("1.5"), "KWD", "es") == "1,500 KWD"
    assert format_money(Decimal("0"), "USD", "en") == "0.00 USD"


def test_dates_are_iso_in_english_and_day_first_in_spanish():
    assert format_date(dt.date(2026, 3, 4), "en") == "2026-03-04"
    assert format_date(dt.date(2026, 3, 4), "es") == "04/03/2026"


@pytest.mark.parametrize(
    ("days", "en", "es"),
    [
        (14, "Payment is due within two weeks of the invoice date.",
         "El pago vence dentro de las dos semanas posteriores a la fecha de la factura."),
        (30, "Payment is due within 30 days of the invoice date.",
         "El pago vence dentro de los 30 días posteriores a la fecha de la factura."),
        (7, "Payment is due within one week of the invoice date.",
         "El pago vence dentro de la semana posterior a la fecha de la factura."),
        (21, "Payment is due within three weeks of the invoice date.",
         "El pago vence dentro de las tres semanas posteriores a la fecha de la factura."),
        (1, "Payment is due within 1 day of the invoice date.",
         "El pago vence dentro del día posterior a la fecha de la factura."),
        (0, "Payment is due on the invoice date.", "El pago vence en la fecha de la factura."),
    ],
)
def test_payment_terms_sentence_is_the_guides_for_two_weeks_and_grammatical_otherwise(days, en, es):
    assert payment_terms_sentence(days, "en") == en
    assert payment_terms_sentence(days, "es") == es


def test_terms_words_for_mid_sentence():
    assert terms_words(14, "en") == "2 weeks"
    assert terms_words(14, "es") == "2 semanas"
    assert terms_words(7, "en") == "1 week"
    assert terms_words(30, "es") == "30 días"
    assert terms_words(1, "en") == "1 day"


@pytest.mark.parametrize(
    ("level", "ladder", "name"),
    [(1, 3, "reminder1"), (2, 3, "reminder2"), (3, 3, "final"), (7, 3, "final"),
     (2, 4, "reminder2"), (3, 4, "reminder2"), (4, 4, "final"), (2, 2, "final"), (1, 1, "reminder1"),
     (2, 1, "final")],
)
def test_reminder_ladder_to_template(level, ladder, name):
    assert reminder_template_name(level, ladder) == name


# --------------------------------------------------------------------------- #
# Client messages
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(("lang", "greeting", "signoff"), [("en", "Hello Ana López,", "Kind regards,"),
                                                          ("es", "Hola, Ana López:", "Un saludo,")])
def test_checkin_greets_the_client_and_signs_off_from_the_settings(lang, greeting, signoff):
    d = draft("checkin", snapshot(ANA), ANA, TODAY, lang=lang)
    assert isinstance(d, Draft)
    assert (d.kind, d.template_name, d.language) == ("checkin", "checkin", lang)
    assert d.to == "ana@example.com" and d.client_id == "client-1"
    assert d.invoice_number is None and d.level is None
    assert d.body.startswith(greeting + "\n")
    assert d.body.rstrip().endswith(
        f"{signoff}  \nMaría Pérez  \nPérez Design  \nmaria@perez.es  \n+34 600 000 000  \nperez.es"
    )
    assert d.complete and d.unknown == () and d.missing == ()


def test_language_defaults_to_the_settings():
    spanish = SETTINGS.replace(language="es")
    d = draft("checkin", snapshot(ANA, settings=spanish), ANA, TODAY)
    assert d.language == "es" and d.subject == "¿Qué tal va todo?"
    assert draft("checkin", snapshot(ANA, settings=spanish), ANA, TODAY, lang="en").language == "en"


def test_signature_leaves_out_what_is_not_set_and_is_missing_when_nothing_is():
    d = draft("checkin", snapshot(ANA, settings=Settings(id="settings", name="Solo")), ANA, TODAY, lang="en")
    assert d.body.rstrip().endswith("Kind regards,  \nSolo")
    bare = draft("checkin", snapshot(ANA, settings=Settings(id="settings")), ANA, TODAY, lang="en")
    assert bare.body.rstrip().endswith("{signature}")
    assert bare.missing == ("signature",)


def test_update_is_about_the_active_job_with_the_nearest_deadline():
    far = Job(id="job-1", client_id=ANA.id, title="Brochure", deadline=dt.date(2026, 6, 1))
    near = Job(id="job-2", client_id=ANA.id, title="Website", deadline=dt.date(2026, 4, 15))
    done = Job(id="job-3", client_id=ANA.id, title="Logo", status=JobStatus.DELIVERED,
               delivered=dt.date(2026, 3, 1), deadline=dt.date(2026, 3, 1))
    other = Job(id="job-4", client_id=BOB.id, title="Other client's", deadline=dt.date(2026, 3, 11))
    snap = snapshot(ANA, BOB, far, near, done, other)
    en = draft("update", snap, ANA, TODAY, lang="en")
    assert en.subject == "Progress update: Website"
    assert "update on Website" in en.body and "agreed deadline of 2026-04-15" in en.body
    assert "interim version" in en.body
    es = draft("update", snap, ANA, TODAY, lang="es")
    assert "cómo va Website" in es.body and "plazo acordado del 15/04/2026" in es.body


def test_update_without_a_job_leaves_the_job_visible_to_fill_in():
    d = draft("update", snapshot(ANA), ANA, TODAY, lang="en")
    assert "{job}" in d.subject and "{job}" in d.body
    assert d.missing == ("job", "deadline")


def _change_snapshot(*extra):
    job = Job(id="job-1", client_id=ANA.id, title="Website", price=Decimal("1200.00"),
              deadline=dt.date(2026, 4, 15))
    old = Change(id="change-1", job_id="job-1", client_id=ANA.id, what="old request", price=Decimal("9999"),
                 sent=dt.date(2026, 1, 1), status=ChangeStatus.ACCEPTED, answered=dt.date(2026, 1, 2),
                 created_at="2026-01-01T00:00:00Z")
    new = Change(id="change-2", job_id="job-1", client_id=ANA.id, what="add a French version",
                 price=Decimal("1500.00"), deadline=dt.date(2026, 4, 30), sent=dt.date(2026, 3, 9),
                 created_at="2026-03-09T00:00:00Z")
    return snapshot(ANA, job, old, new, *extra)


def test_change_proposes_the_newest_open_change_with_old_and_new_values():
    en = draft("change", _change_snapshot(), ANA, TODAY, lang="en")
    assert en.subject == "Change to Website: a new proposal"
    assert "You asked for this change: add a French version. Yes, it can be done." in en.body
    assert "take longer and/or cost more" in en.body
    assert "- Price: 1,500.00 EUR (instead of 1,200.00 EUR)\n- Deadline: 2026-04-30 (instead of 2026-04-15)" in en.body
    assert "I will wait for your answer before I start on the extra work." in en.body
    assert "old request" not in en.body and "9,999" not in en.body
    assert en.complete
    es = draft("change", _change_snapshot(), ANA, TODAY, lang="es")
    assert "llevará más tiempo y/o costará más" in es.body
    assert "- Precio: 1.500,00 EUR (en lugar de 1.200,00 EUR)" in es.body
    assert "- Plazo de entrega: 30/04/2026 (en lugar del 15/04/2026)" in es.body
    assert "Esperaré su respuesta antes de empezar con el trabajo adicional." in es.body


def test_change_with_only_a_new_deadline_proposes_only_that():
    job = Job(id="job-1", client_id=ANA.id, title="Website", price=Decimal("1200.00"))
    change = Change(id="change-1", job_id="job-1", client_id=ANA.id, what="two more pages",
                    deadline=dt.date(2026, 5, 1), status=ChangeStatus.DRAFT)
    d = draft("change", snapshot(ANA, job, change), ANA, TODAY, lang="en")
    assert "Here is my new proposal:\n\n- Deadline: 2026-05-01\n\n" in d.body
    assert "Price:" not in d.body


def test_change_without_an_open_change_shows_what_to_fill_in():
    d = draft("change", snapshot(ANA), ANA, TODAY, lang="en")
    assert "{change}" in d.body and "{proposal}" in d.body
    assert set(d.missing) >= {"change", "proposal"}


def test_price_raise_states_the_current_and_pending_new_rate_and_suggests_a_call():
    pending = Rate(id="rate-2", client_id=ANA.id, amount=Decimal("60.00"), since=dt.date(2026, 3, 1),
                   status=RateStatus.PROPOSED, sent=dt.date(2026, 3, 1), reason="inflation")
    en = draft("raise", snapshot(ANA, pending), ANA, TODAY, lang="en")
    assert "My current rate of 50.00 EUR per hour" in en.body
    assert "my new rate will be 60.00 EUR per hour." in en.body
    assert "inflation" in en.body and "phone call" in en.body
    assert en.complete
    es = draft("raise", snapshot(ANA, pending), ANA, TODAY, lang="es")
    assert "Mi tarifa actual de 50,00 EUR por hora" in es.body
    assert "mi nueva tarifa será de 60,00 EUR por hora." in es.body
    assert "llamada telefónica" in es.body


def test_price_raise_without_a_proposal_leaves_the_new_rate_to_type():
    d = draft("raise", snapshot(ANA), ANA, TODAY, lang="en")
    assert "my new rate will be {new_rate} per hour." in d.body
    assert d.missing == ("new_rate",)


def test_price_raise_uses_the_rate_history_when_the_client_has_no_rate():
    client = ANA.replace(rate=None)
    history = Rate(id="rate-1", client_id=ANA.id, amount=Decimal("45.00"), unit=RateUnit.DAY,
                   since=dt.date(2024, 1, 1))
    d = draft("raise", snapshot(client, history), client, TODAY, lang="en")
    assert "My current rate of 45.00 EUR per day" in d.body


def test_farewell_thanks_hopes_and_signs_off_with_contact_details():
    for lang, phrases in {
        "en": ["can no longer afford to work for you", "pleasure working together", "work together again"],
        "es": ["ya no puedo permitirme", "placer trabajar juntos", "volver a colaborar"],
    }.items():
        d = draft("farewell", snapshot(ANA), ANA, TODAY, lang=lang)
        for phrase in phrases:
            assert phrase in d.body
        assert "maria@perez.es" in d.body and "+34 600 000 000" in d.body and "perez.es" in d.body


# --------------------------------------------------------------------------- #
# Invoices and reminders
# --------------------------------------------------------------------------- #


def test_invoice_cover_note_carries_the_guides_payment_terms():
    inv = invoice()
    en = draft("invoice", snapshot(ANA, inv), inv, TODAY, lang="en")
    assert (en.subject, en.invoice_number, en.to) == ("Invoice 2026-001", "2026-001", "ana@example.com")
    assert "invoice 2026-001, dated 2026-02-01, for 1,234.50 EUR." in en.body
    assert "Payment is due within two weeks of the invoice date. The due date is 2026-02-15." in en.body
    es = draft("invoice", snapshot(ANA, inv), inv, TODAY, lang="es")
    assert es.subject == "Factura 2026-001"
    assert ("El pago vence dentro de las dos semanas posteriores a la fecha de la factura. "
            "La fecha de vencimiento es el 15/02/2026.") in es.body
    assert "por un importe de 1.234,50 EUR" in es.body


def test_invoice_with_other_terms_says_so():
    inv = invoice(terms_days=30)
    en = draft("invoice", snapshot(ANA, inv), inv, TODAY, lang="en")
    assert "Payment is due within 30 days of the invoice date. The due date is 2026-03-03." in en.body
    es = draft("invoice", snapshot(ANA, inv), inv, TODAY, lang="es")
    assert "dentro de los 30 días posteriores a la fecha de la factura" in es.body


def test_first_reminder_is_the_guides_wording_with_the_invoice_details():
    inv = invoice()
    en = draft("reminder", snapshot(ANA, inv), inv, TODAY, lang="en")
    assert (en.template_name, en.level) == ("reminder1", 1)
    for sentence in (
        "I'm a little concerned not to have heard back from you about my invoice and not to have received payment.",
        "I attach it again in case it didn't get through.",
        "Please let me know you have received it safely.",
        "I request payment within 2 weeks of the invoice date, so please also let me know when you have paid, "
        "so I can look out for it.",
        "Invoice 2026-001, dated 2026-02-01: 1,234.50 EUR outstanding, due on 2026-02-15.",
    ):
        assert sentence in en.body
    assert en.complete
    es = draft("reminder", snapshot(ANA, inv), inv, TODAY, lang="es")
    for phrase in (
        "Me preocupa un poco no haber tenido noticias suyas sobre mi factura y no haber recibido el pago.",
        "Se la adjunto de nuevo por si no le hubiera llegado.",
        "confírmeme que la ha recibido correctamente",
        "Solicito el pago en un plazo de 2 semanas a partir de la fecha de la factura",
        "cuando haya pagado, para que pueda estar pendiente del pago.",
        "importe pendiente de 1.234,50 EUR, con vencimiento el 15/02/2026",
    ):
        assert phrase in es.body


def test_second_reminder_is_firm_and_refers_to_the_first():
    inv = invoice(reminders=[Reminder(date=dt.date(2026, 2, 16), level=1)],
                  payments=[Payment(date=dt.date(2026, 2, 20), amount=Decimal("234.50"))])
    d = draft("reminder", snapshot(ANA, inv), inv, TODAY, lang="en")
    assert (d.template_name, d.level) == ("reminder2", 2)
    assert d.subject == "Overdue: invoice 2026-001"
    assert "I wrote to you on 2026-02-16" in d.body
    assert "1,000.00 EUR is still outstanding" in d.body
    assert "Please arrange payment now" in d.body


def test_third_and_later_reminders_are_the_final_notice():
    sent = [Reminder(date=dt.date(2026, 2, 16), level=1), Reminder(date=dt.date(2026, 2, 23), level=2)]
    inv = invoice(reminders=sent)
    en = draft("reminder", snapshot(ANA, inv), inv, TODAY, lang="en")
    assert (en.template_name, en.level) == ("final", 3)
    assert en.subject == "Final notice: invoice 2026-001"
    assert "Please pay the full amount by 2026-03-17." in en.body
    assert "I will call you" in en.body and "formal claim" in en.body
    es = draft("reminder", snapshot(ANA, inv), inv, TODAY, lang="es")
    assert "a más tardar el 17/03/2026" in es.body and "reclamación formal" in es.body
    # issue 16: the ladder has three rungs, so a draft after the final notice is
    # the final notice again (level 3, never 4), and it keeps the pay-by date the
    # notice sent on 2 March gave (+7 days), instead of inventing a new one.
    more = invoice(reminders=[*sent, Reminder(date=dt.date(2026, 3, 2), level=3)])
    after = draft("reminder", snapshot(ANA, more), more, TODAY, lang="en")
    assert (after.template_name, after.level) == ("final", 3)
    assert "Please pay the full amount by 2026-03-09." in after.body


def test_reminder_ladder_length_comes_from_the_settings():
    inv = invoice(reminders=[Reminder(date=dt.date(2026, 2, 16), level=1)])
    two_rungs = SETTINGS.replace(reminder_ladder=[1, 15])
    assert draft("reminder", snapshot(ANA, inv, settings=two_rungs), inv, TODAY).template_name == "final"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"payments": [Payment(date=dt.date(2026, 2, 20), amount=Decimal("1234.50"))]}, "is paid"),
        ({"status": InvoiceStatus.DRAFT}, "only sent invoices"),
        ({"status": InvoiceStatus.VOID}, "only sent invoices"),
    ],
)
def test_no_reminder_for_an_invoice_that_is_not_owed(changes, message):
    inv = invoice(**changes)
    with pytest.raises(ValidationError, match=message):
        draft("reminder", snapshot(ANA, inv), inv, TODAY)


def test_invoice_kinds_need_an_invoice_and_unknown_kinds_and_languages_are_refused():
    with pytest.raises(ValidationError, match="for an invoice"):
        draft("reminder", snapshot(ANA), ANA, TODAY)
    with pytest.raises(ValidationError, match="kind"):
        draft("thanks", snapshot(ANA), ANA, TODAY)
    with pytest.raises(ValidationError, match="lang"):
        draft("checkin", snapshot(ANA), ANA, TODAY, lang="fr")


# --------------------------------------------------------------------------- #
# Statement
# --------------------------------------------------------------------------- #


def test_statement_lists_every_unpaid_invoice_and_totals_per_currency():
    usd_ana = ANA.replace(currency="USD")
    unpaid = invoice("2026-001")
    partly = invoice("2026-003", issued=dt.date(2026, 3, 1), amount="1500.00",
                     payments=[Payment(date=dt.date(2026, 3, 2), amount=Decimal("500.00"))], on_hold=True)
    dollars = invoice("2026-002", client=usd_ana, amount="300.00", issued=dt.date(2026, 2, 20))
    paid = invoice("2025-050", payments=[Payment(date=dt.date(2026, 2, 2), amount=Decimal("1234.50"))])
    void = invoice("2025-051", status=InvoiceStatus.VOID)
    draft_inv = invoice("2025-052", status=InvoiceStatus.DRAFT)
    bobs = invoice("2026-009", client=BOB, amount="99.00")
    snap = snapshot(ANA, BOB, unpaid, partly, dollars, paid, void, draft_inv, bobs)
    en = draft("statement", snap, ANA, TODAY, lang="en")
    assert en.subject == "Statement of account"
    assert (
        "- Invoice 2026-001 of 2026-02-01, due 2026-02-15: 1,234.50 EUR (23 days overdue)\n"
        "- Invoice 2026-002 of 2026-02-20, due 2026-03-06: 300.00 USD (4 days overdue)\n"
        "- Invoice 2026-003 of 2026-03-01, due 2026-03-15: 1,000.00 EUR (of 1,500.00 EUR) (not yet due, on hold)\n"
    ) in en.body
    assert "**Total outstanding: 2,234.50 EUR + 300.00 USD**" in en.body
    assert "as of 2026-03-10" in en.body
    for absent in ("2025-050", "2025-051", "2025-052", "2026-009"):
        assert absent not in en.body
    es = draft("statement", snap, ANA, TODAY, lang="es")
    assert (
        "- Factura 2026-001 del 01/02/2026, vencimiento el 15/02/2026: 1.234,50 EUR (vencida hace 23 días)" in es.body
    )
    assert "(de 1.500,00 EUR) (aún no vencida, en espera)" in es.body
    assert "**Total pendiente: 2.234,50 EUR + 300,00 USD**" in es.body


def test_statement_with_nothing_owed_says_so():
    d = draft("statement", snapshot(ANA), ANA, TODAY, lang="en")
    assert "- Nothing is outstanding." in d.body and "Total outstanding: 0.00 EUR" in d.body


def test_statement_from_an_invoice_card_is_for_its_client():
    inv = invoice()
    d = draft("statement", snapshot(ANA, inv), inv, TODAY, lang="en")
    assert d.client_id == ANA.id and "Invoice 2026-001" in d.body


# --------------------------------------------------------------------------- #
# Templates the person edited
# --------------------------------------------------------------------------- #


def test_the_persons_template_wins_and_its_mistakes_are_reported_not_run():
    mine = Template(id="template-1", name="checkin", language="en", subject="Hi {client}",
                    body="Hey {client}! {client.__class__} {clent} {0} {{literal}}",
                    updated_at="2026-01-01T00:00:00Z")
    d = draft("checkin", snapshot(ANA, mine), ANA, TODAY, lang="en")
    assert d.subject == "Hi Ana López"
    assert d.body == "Hey Ana López! {client.__class__} {clent} {0} {literal}"
    assert d.unknown == ("client.__class__", "clent", "0")


def test_the_last_edited_copy_wins_and_a_deleted_one_falls_back_to_the_shipped_default():
    older = Template(id="template-1", name="invoice", language="es", subject="viejo", body="viejo",
                     updated_at="2026-01-01T00:00:00Z")
    newer = Template(id="template-2", name="invoice", language="es", subject="nuevo", body="nuevo",
                     updated_at="2026-02-01T00:00:00Z")
    assert find_template([older, newer], "invoice", "es").subject == "nuevo"
    english_only = Template(id="template-3", name="invoice", language="en", subject="mine", body="mine")
    inv = invoice()
    d = draft("invoice", snapshot(ANA, inv, english_only), inv, TODAY, lang="es")
    assert d.subject == "Factura 2026-001"  # the shipped Spanish one
    assert "El pago vence dentro de las dos semanas posteriores" in d.body


def test_hostile_client_text_is_inserted_as_typed_and_never_expanded():
    name = "[bold]{my_email}[/] \x1b[2J{{x}}"
    client = ANA.replace(name=name)
    d = draft("checkin", snapshot(client), client, TODAY, lang="en")
    assert d.body.startswith(f"Hello {name},\n")
    assert d.unknown == () and d.missing == ()


# --------------------------------------------------------------------------- #
# Output: .eml and Markdown
# --------------------------------------------------------------------------- #

WHEN = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def _parse(eml: str):
    return email.message_from_string(eml, policy=email.policy.default)


def test_eml_is_a_utf8_message_that_reads_back():
    inv = invoice()
    d = draft("reminder", snapshot(ANA, inv), inv, TODAY, lang="es")
    eml = d.as_eml(from_address(SETTINGS), date=WHEN)
    assert eml.isascii()  # encoded: safe for any mail command and locale
    msg = _parse(eml)
    assert msg["From"] == "María Pérez <maria@perez.es>"
    assert msg["To"] == "Ana López <ana@example.com>"
    assert msg["Subject"] == "Factura 2026-001"
    assert msg["Date"] == "Tue, 10 Mar 2026 09:30:00 +0000"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    assert msg.get_content() == d.body


def test_plain_ascii_eml_stays_readable():
    d = Draft(kind="checkin", template_name="checkin", language="en", to="bob@example.com",
              subject="Hello", body="Hi Bob,\n\nHow are you?\n", to_name="Bob")
    eml = d.as_eml("me@example.com", date=WHEN)
    assert "Content-Transfer-Encoding: 7bit" in eml
    assert eml.endswith("\n\nHi Bob,\n\nHow are you?\n")
    long_line = Draft(kind="checkin", template_name="checkin", language="en", to="", subject="x", body="a" * 2000)
    parsed = _parse(long_line.as_eml("me@example.com", date=WHEN))
    assert parsed["Content-Transfer-Encoding"] == "quoted-printable"
    assert parsed.get_content() == "a" * 2000 + "\n"
    assert all(len(line) <= 998 for line in long_line.as_eml("", date=WHEN).splitlines())


def test_eml_headers_cannot_be_injected():
    client = ANA.replace(name="Ana\nBcc: evil@example.com")
    d = draft("checkin", snapshot(client), client, TODAY, lang="en")
    d = Draft(**{**{f: getattr(d, f) for f in d.__dataclass_fields__}, "subject": "Hi\r\nBcc: evil@example.com"})
    msg = _parse(d.as_eml("Me <me@example.com>\nCc: evil2@example.com", date=WHEN))
    assert msg["Bcc"] is None and msg["Cc"] is None
    assert msg["Subject"] == "Hi Bcc: evil@example.com"
    assert msg["To"].addresses[0].addr_spec == "ana@example.com"


def test_eml_without_addresses_leaves_them_to_the_mail_command():
    client = ANA.replace(email="")
    d = draft("checkin", snapshot(client), client, TODAY, lang="en")
    msg = _parse(d.as_eml("", date=WHEN))
    assert msg["To"] is None and msg["From"] is None and msg["Subject"] == "Checking in"


def test_markdown_has_recipient_subject_and_body():
    d = draft("checkin", snapshot(ANA), ANA, TODAY, lang="es")
    md = d.as_markdown()
    assert md.startswith("**Para:** Ana López <ana@example.com>  \n**Asunto:** ¿Qué tal va todo?\n\n")
    assert md.endswith(d.body if d.body.endswith("\n") else d.body + "\n")


def test_from_address_quotes_names_that_need_it():
    assert from_address(SETTINGS.replace(name="Pérez, María")) == '"Pérez, María" <maria@perez.es>'
    assert from_address(SETTINGS.replace(name="", business="")) == "maria@perez.es"
    assert from_address(SETTINGS.replace(email="")) == ""


# --------------------------------------------------------------------------- #
# Wiring
# --------------------------------------------------------------------------- #


def test_a_new_data_file_stores_no_template_and_drafts_from_the_shipped_ones(tmp_path):
    """Only the person's edits are stored (docs/rules.md, Templates): a new file
    has none, and every draft comes from the shipped files."""
    store = Store.open(tmp_path / "rapport.json", clock=FixedClock(TODAY))
    assert store.snapshot().templates == []
    client = store.add_client(ANA.replace(id=""))
    d = draft("checkin", store.snapshot(), client, TODAY, lang="es")
    assert d.subject == "¿Qué tal va todo?"
    assert store.template("checkin", "es") == default_template("checkin", "es")


def test_drafting_never_imports_textual():
    code = "import storage.drafts, storage.templates, sys; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
