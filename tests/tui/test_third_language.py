"""A third language is a folder: a catalog and template files, nothing else.

French here is a tiny test-only catalog (three words) and one template, put in
front of the shipped languages. The settings offer it, the screens, the key bar,
the header's date, ``rapport today`` and a draft then speak it; what it does not
translate stays English.
"""

from __future__ import annotations

import textwrap

import pytest

from storage import languages
from storage.drafts import draft
from storage.formats import language_name
from storage.i18n import activate, translation

PO = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Language: fr\\n"
    "Content-Type: text/plain; charset=utf-8\\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\\n"

    msgid "Promises"
    msgstr "Promesses"

    msgid "Help"
    msgstr "Aide"

    msgid "Quit"
    msgstr "Quitter"
    ''')

CHECKIN = "Subject: Des nouvelles\n\nBonjour {first_name},\n\nComment allez-vous ?\n\nBien cordialement,\n{signature}\n"


@pytest.fixture
def french(tmp_path, monkeypatch):
    root = tmp_path / "locale"
    (root / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (root / "fr" / "LC_MESSAGES" / "rapport.po").write_text(PO, encoding="utf-8")
    (root / "fr" / "templates").mkdir()
    (root / "fr" / "templates" / "checkin.md").write_text(CHECKIN, encoding="utf-8")
    monkeypatch.setattr(languages, "LOCALE_DIRS", [root, *languages.LOCALE_DIRS])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    translation.cache_clear()
    yield root
    translation.cache_clear()
    activate("en")


def test_the_catalog_is_read(french):
    assert languages.available_languages() == ["en", "es", "fr"]
    assert translation("fr").gettext("Promises") == "Promesses"
    assert translation("fr").gettext("Reminders due") == "Reminders due"  # not in it: English
    assert language_name("fr") == "Français"


async def test_the_app_speaks_it(french, demo_store, screen_text):
    from tui.app import build_app
    from tui.forms.parsers import language_choices

    assert ("Français", "fr") in language_choices()
    demo_store.update_settings(language="fr")
    app = build_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        text = screen_text(pilot.app)
        assert "vendredi 27 novembre 2026" in text.splitlines()[0]
        assert "Promesses" in text
        assert "? Aide" in text and "q Quitter" in text


def test_the_cli_and_drafts_speak_it(french, demo_store, demo_path, today, capsys):
    from tui.cli import main

    demo_store.update_settings(language="fr")
    assert main(["--data", str(demo_path), "--today", today.isoformat(), "today"]) == 0
    out = capsys.readouterr().out
    assert "Promesses" in out
    assert "200,00\u00a0EUR" not in out and "\u202f200,00 EUR" in out  # CLDR's French grouping: 11 200,00 EUR

    snapshot = demo_store.snapshot()
    client = snapshot.clients[0]
    message = draft("checkin", snapshot, client, today, lang="fr")
    assert message.subject == "Des nouvelles"
    assert message.body.startswith("Bonjour ")
