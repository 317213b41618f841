"""Shipped templates are files, one per template and language; the data file
keeps only the person's edits, so an upgrade's new wording reaches every
template they never changed; an edit with an unknown placeholder is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import languages
from storage.clock import FixedClock
from storage.errors import ValidationError
from storage.jsonfile import dump_bytes
from storage.migrations import migrate
from storage.models import Client, Settings
from storage.store import Store
from storage.templates import (
    PLACEHOLDERS,
    SHIPPED_BEFORE,
    TEMPLATE_NAMES,
    default_template,
    fingerprint,
    is_shipped_wording,
    parse_template_file,
    shipped_language,
)
from tests.conftest import FIXED_DAY

LOCALE = Path(languages.__file__).resolve().parent / "locale"


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    """A folder in front of the shipped ones (storage.languages.LOCALE_DIRS)."""
    root = tmp_path / "locale"
    root.mkdir()
    monkeypatch.setattr(languages, "LOCALE_DIRS", [root, *languages.LOCALE_DIRS])
    return root


def write_template(root: Path, lang: str, name: str, subject: str, body: str) -> None:
    folder = root / lang / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(f"Subject: {subject}\n\n{body}", encoding="utf-8")


def test_every_shipped_template_is_a_file_in_english_and_spanish():
    for lang in ("en", "es"):
        files = {p.stem for p in (LOCALE / lang / "templates").glob("*.md")}
        assert files == set(TEMPLATE_NAMES), lang
        for name in TEMPLATE_NAMES:
            subject, body = parse_template_file((LOCALE / lang / "templates" / f"{name}.md").read_text("utf-8"))
            assert default_template(name, lang).subject == subject and default_template(name, lang).body == body
            # the Markdown hard break before the signature survives in the file
            assert body.endswith(",  \n{signature}\n"), (lang, name)
    assert not list(LOCALE.glob("*/.keep"))


def test_the_files_are_the_wording_shipped_so_far_byte_for_byte():
    """Moving the wording from Python into files changed no byte: each file is
    one of version 1's fingerprints (while the shipped wording is still v1)."""
    marks = {fingerprint(name, lang, t.subject, t.body)
             for lang in ("en", "es") for name in TEMPLATE_NAMES for t in [default_template(name, lang)]}
    assert marks == SHIPPED_BEFORE["v1"]


def test_a_template_file_needs_its_subject_line():
    assert parse_template_file("Subject: Hi {client}\n\nHello\n") == ("Hi {client}", "Hello\n")
    with pytest.raises(ValueError, match="first line must be 'Subject: ...'"):
        parse_template_file("Hello\n")


def test_a_language_without_a_template_file_gets_the_english_one(locale_dir):
    write_template(locale_dir, "fr", "checkin", "Des nouvelles", "Bonjour {first_name},\n\n{signature}\n")
    assert languages.available_languages() == ["en", "es", "fr"]
    checkin = default_template("checkin", "fr")
    assert (checkin.language, checkin.subject) == ("fr", "Des nouvelles")
    assert shipped_language("checkin", "fr") == "fr"
    final = default_template("final", "fr")
    assert (final.language, final.body) == ("fr", default_template("final", "en").body)
    assert shipped_language("final", "fr") == "en"


# --------------------------------------------------------------------------- #
# Versions: an upgrade updates the templates the person never changed
# --------------------------------------------------------------------------- #


def v3_file_with_templates(edited_body: str) -> dict:
    """A schema-3 file as rapport wrote it: a copy of every shipped template
    (version 1's wording), one of them (checkin in Spanish) edited."""
    now = "2026-01-05T09:00:00Z"
    templates = {}
    for i, (lang, name) in enumerate(((lang, name) for lang in ("en", "es") for name in TEMPLATE_NAMES), start=1):
        shipped = default_template(name, lang)
        body = edited_body if (name, lang) == ("checkin", "es") else shipped.body
        templates[str(i)] = {"id": f"template-{i}", "created_at": now, "updated_at": now, "name": name,
                             "language": lang, "subject": shipped.subject, "body": body}
    settings = Settings(id="settings", created_at=now, updated_at=now, name="Ana").to_doc()
    settings["schema_version"] = 3
    settings["counters"] = {"template": len(templates)}
    return {"client": {}, "contact": {}, "job": {}, "change": {}, "promise": {}, "rate": {}, "invoice": {},
            "template": templates, "settings": {"1": settings}}


def test_an_upgrade_gives_unedited_templates_the_new_wording_and_keeps_the_edited_one(tmp_path, locale_dir):
    path = tmp_path / "rapport.json"
    mine = "Hola {first_name}, ¿todo bien?\n\n{signature}\n"
    path.write_bytes(dump_bytes(v3_file_with_templates(mine)))
    # The upgrade ships new wording for the English check-in.
    write_template(locale_dir, "en", "checkin", "How are things?", "Hi {first_name}, all well?\n\n{signature}\n")

    store = Store.open(path, clock=FixedClock(FIXED_DAY))

    stored = json.loads(path.read_bytes())["template"]
    assert [(t["name"], t["language"], t["body"]) for t in stored.values()] == [("checkin", "es", mine)]
    assert store.template("checkin", "en").subject == "How are things?"
    assert store.template("checkin", "en").body.startswith("Hi {first_name}, all well?")
    assert store.template("checkin", "es").body == mine and store.template_is_edited("checkin", "es")
    assert store.template("final", "es") == default_template("final", "es")
    assert store.check() == []


def test_the_migration_drops_only_exact_shipped_wording():
    data = v3_file_with_templates("x")
    data["template"]["2"]["body"] += " "  # one space more: the person's own text
    out = migrate(data, 3, "2026-01-05T09:00:00Z")
    assert sorted(t["id"] for t in out["template"].values()) == ["template-11", "template-2"]
    assert not is_shipped_wording("checkin", "es", default_template("checkin", "es").subject, "x")


def test_saving_the_shipped_wording_stores_nothing(store, data_path):
    shipped = default_template("invoice", "en")
    store.edit_template("invoice", "en", body="Mine {invoice_number}\n")
    assert store.template_is_edited("invoice", "en")
    store.edit_template("invoice", "en", body=shipped.body)
    assert not store.template_is_edited("invoice", "en")
    assert json.loads(data_path.read_bytes())["template"] == {}


# --------------------------------------------------------------------------- #
# Refusals
# --------------------------------------------------------------------------- #


def test_an_unknown_placeholder_is_refused_with_every_placeholder_there_is(store, data_path):
    before = data_path.read_bytes()
    with pytest.raises(ValidationError) as info:
        store.edit_template("checkin", "en", subject="Hi {nmae}", body="Hello {first_name}\n")
    message = str(info.value)
    assert info.value.field == "subject" and "unknown placeholder {nmae}" in message
    for name in PLACEHOLDERS:
        assert "{" + name + "}" in message
    assert data_path.read_bytes() == before


def test_a_language_must_be_available(store, locale_dir):
    for call in (lambda: store.set_setting("language", "fr"),
                 lambda: store.update_settings(language="fr"),
                 lambda: store.add_client(Client(name="Rive Gauche", since=FIXED_DAY, language="fr")),
                 lambda: store.template("checkin", "fr"),
                 lambda: store.edit_template("checkin", "fr", body="Bonjour\n")):
        with pytest.raises(ValidationError, match="'fr' is not one of the available languages: en, es"):
            call()
    (locale_dir / "fr").mkdir()  # a folder is all a language needs to be chosen
    assert store.set_setting("language", "fr").language == "fr"
    assert store.add_client(Client(name="Rive Gauche", since=FIXED_DAY, language="fr")).language == "fr"
    assert store.template("checkin", "fr").body == default_template("checkin", "en").body
