"""Placeholder filling refuses code, and the shipped templates say what the guide says."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.models import Template
from storage.templates import (
    PLACEHOLDERS,
    TEMPLATE_NAMES,
    default_template,
    default_templates,
    fill,
    placeholders_in,
)

# --------------------------------------------------------------------------- #
# fill()
# --------------------------------------------------------------------------- #


def test_fill_replaces_known_placeholders():
    filled = fill("Hello {client}, invoice {invoice_number}.", {"client": "Ana", "invoice_number": "2026-001"})
    assert filled.text == "Hello Ana, invoice 2026-001."
    assert filled.unknown == ()
    assert filled.missing == ()


def test_doubled_braces_are_literal_braces():
    filled = fill("{{client}} is written {{{client}}}; a }} and a {{", {"client": "Ana"})
    assert filled.text == "{client} is written {Ana}; a } and a {"
    assert filled.unknown == ()


@pytest.mark.parametrize(
    "token",
    [
        "{client.__class__}",
        "{client.__class__.__mro__}",
        "{0}",
        "{client[0]}",
        "{a[b]}",
        "{__import__}",
        "{client!r}",
        "{client:>10}",
        "{ client }",
        "{Client}",
        "{}",
        "{__import__('os').system('id')}",
    ],
)
def test_anything_but_a_plain_known_name_stays_literal_and_is_reported(token):
    filled = fill("Dear " + token + ", from {my_name} to {client}", {"client": "Ana", "my_name": "Me"})
    assert filled.text == "Dear " + token + ", from Me to Ana"
    assert filled.unknown == (token[1:-1],)
    assert filled.missing == ()


def test_unknown_placeholders_are_listed_once_in_order():
    filled = fill("{b} {a} {b} {client}", {"client": "Ana"})
    assert filled.text == "{b} {a} {b} Ana"
    assert filled.unknown == ("b", "a")


def test_known_placeholder_without_a_value_stays_visible_and_is_missing():
    filled = fill("Due {due_date}. Job {job}. Hi {client}", {"job": "", "client": "Ana"})
    assert filled.text == "Due {due_date}. Job {job}. Hi Ana"
    assert filled.missing == ("due_date", "job")
    assert filled.unknown == ()


@pytest.mark.parametrize(
    "value",
    [
        "[bold]Acme[/]",
        "[@click=app.quit]x[/]",
        "{client}",
        "{my_email}",
        "{{client}}",
        "{0}{client.__class__}",
        "\x1b[31mred\x1b[0m\x07",
        "\x9b2J",
        "line one\nline two",
        "مرحبا 👋",
        "}{",
    ],
)
def test_values_are_inserted_verbatim_and_never_filled_again(value):
    filled = fill("<{client}|{my_email}>", {"client": value, "my_email": "me@example.com"})
    assert filled.text == f"<{value}|me@example.com>"
    assert filled.unknown == ()


def test_a_value_may_not_name_an_unknown_placeholder():
    with pytest.raises(ValueError, match="not a template placeholder"):
        fill("{client}", {"__class__": "x"})


def test_values_must_be_text_not_numbers():
    with pytest.raises(TypeError):
        fill("{total}", {"total": 12.5})  # type: ignore[dict-item]


def test_fill_is_linear_on_a_huge_hostile_note():
    text = ("{" * 5000 + "a" * 5000 + "}" * 5000 + "{client" + "x" * 10_000) * 5
    start = time.perf_counter()
    filled = fill(text, {"client": "Ana"})
    assert time.perf_counter() - start < 1.0
    assert len(filled.text) > 0


_NO_BRACES = st.text(st.characters(blacklist_characters="{}"), max_size=300)


@given(_NO_BRACES)
def test_text_without_braces_is_unchanged(text):
    filled = fill(text, {"client": "Ana", "today": "2026-03-10"})
    assert filled == (text, (), ())


@given(st.text(min_size=1, max_size=200))
def test_any_value_appears_verbatim(value):
    filled = fill("Hi {client}! {{ok}}", {"client": value})
    assert filled.text == f"Hi {value}! {{ok}}"


_SEGMENTS = st.lists(
    st.one_of(
        _NO_BRACES.map(lambda t: (t, t)),
        st.sampled_from(["client", "job", "total"]).map(lambda n: ("{" + n + "}", f"<{n}>")),
        st.just(("{{", "{")),
        st.just(("}}", "}")),
    ),
    max_size=20,
)


@given(_SEGMENTS)
def test_templates_built_from_text_names_and_escapes_fill_as_expected(segments):
    template = "".join(raw for raw, _ in segments)
    expected = "".join(out for _, out in segments)
    filled = fill(template, {"client": "<client>", "job": "<job>", "total": "<total>"})
    assert filled.text == expected
    assert filled.unknown == ()


def test_placeholders_in_lists_what_a_template_uses():
    known, unknown = placeholders_in("Hi {client}, {clent} {{client}} {job} {client}")
    assert known == ["client", "job"]
    assert unknown == ["clent"]


def test_every_placeholder_is_documented():
    for name, description in PLACEHOLDERS.items():
        assert name.isidentifier() and name.islower()
        assert description.strip()


# --------------------------------------------------------------------------- #
# The shipped templates
# --------------------------------------------------------------------------- #


def test_every_template_ships_in_english_and_spanish():
    templates = default_templates()
    assert {(t.name, t.language) for t in templates} == {(n, lang) for n in TEMPLATE_NAMES for lang in ("en", "es")}
    assert len(templates) == len(TEMPLATE_NAMES) * 2
    for template in templates:
        assert isinstance(template, Template)
        template.validate()
        assert template.id == ""  # the store gives it one when it inserts it
        assert template.subject.strip()


@pytest.mark.parametrize("template", default_templates(), ids=lambda t: f"{t.name}-{t.language}")
def test_shipped_templates_use_only_known_placeholders_and_sign_off(template):
    for text in (template.subject, template.body):
        known, unknown = placeholders_in(text)
        assert unknown == []
    assert template.body.rstrip().endswith("{signature}")
    assert "{first_name}" in template.body  # every message greets someone by name


def body(name: str, lang: str) -> str:
    return default_template(name, lang).body


def test_reminder1_is_the_guides_wording_in_english():
    text = body("reminder1", "en")
    for sentence in (
        "I'm a little concerned not to have heard back from you about my invoice "
        "and not to have received payment.",
        "I attach it again in case it didn't get through.",
        "Please let me know you have received it safely.",
        "I request payment within {terms} of the invoice date, so please also let me "
        "know when you have paid, so I can look out for it.",
    ):
        assert sentence in text


def test_reminder1_is_the_guides_wording_in_spanish_lightly_corrected():
    text = body("reminder1", "es")
    for phrase in (
        "Me preocupa un poco no haber tenido noticias suyas sobre mi factura y no haber recibido el pago.",
        "Se la adjunto de nuevo por si no le hubiera llegado.",
        "confírmeme que la ha recibido correctamente",
        "Solicito el pago en un plazo de {terms} a partir de la fecha de la factura",
        "me avise también cuando haya pagado, para que pueda estar pendiente del pago.",
    ):
        assert phrase in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_invoice_cover_note_carries_the_payment_terms(lang):
    text = body("invoice", lang)
    assert "{payment_terms}" in text
    assert "{invoice_number}" in text and "{due_date}" in text and "{total}" in text


def test_change_of_brief_can_be_done_but_longer_or_dearer_and_waits():
    en = body("change", "en")
    assert "it can be done" in en
    assert "take longer and/or cost more" in en
    assert "new proposal" in en and "{proposal}" in en
    assert "I will wait for your answer before I start on the extra work." in en
    es = body("change", "es")
    assert "se puede hacer" in es
    assert "llevará más tiempo y/o costará más" in es
    assert "nueva propuesta" in es and "{proposal}" in es
    assert "Esperaré su respuesta antes de empezar con el trabajo adicional." in es


def test_price_raise_says_why_the_new_price_and_suggests_a_call():
    en = body("raise", "en")
    assert "inflation" in en and "better paid" in en
    assert "{new_rate} per {rate_unit}" in en
    assert "phone call" in en
    es = body("raise", "es")
    assert "inflación" in es and "mejor pagado" in es
    assert "{new_rate} por {rate_unit}" in es
    assert "llamada telefónica" in es


def test_farewell_is_kind_thanks_hopes_and_leaves_contact_details():
    en = body("farewell", "en")
    assert "can no longer afford to work for you" in en
    assert "pleasure working together" in en
    assert "hope we will have the chance to work together again" in en
    assert "contact details are below" in en
    es = body("farewell", "es")
    assert "ya no puedo permitirme seguir trabajando para usted" in es
    assert "placer trabajar juntos" in es
    assert "Espero que tengamos la oportunidad de volver a colaborar" in es
    assert "datos de contacto" in es


def test_reminder2_is_firm_and_final_notice_names_the_next_steps():
    assert "Please arrange payment now" in body("reminder2", "en")
    assert "cuanto antes" in body("reminder2", "es")
    final_en = body("final", "en")
    assert "final notice" in final_en and "{pay_by}" in final_en
    assert "I will call you" in final_en and "formal claim" in final_en
    final_es = body("final", "es")
    assert "último aviso" in final_es and "{pay_by}" in final_es
    assert "le llamaré" in final_es and "reclamación formal" in final_es


def test_statement_lists_everything_owed():
    for lang in ("en", "es"):
        text = body("statement", lang)
        assert "{statement_lines}" in text and "{outstanding}" in text and "{today}" in text


def test_checkin_and_update_keep_the_client_informed():
    assert "check in" in body("checkin", "en")
    assert "interim version" in body("update", "en") and "{deadline}" in body("update", "en")
    assert "versión provisional" in body("update", "es")


def test_unknown_shipped_template_is_a_key_error():
    with pytest.raises(KeyError):
        default_template("nope", "en")
