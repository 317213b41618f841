"""``rapport template list/show/edit/reset`` on the shipped template files, and
a third language that is nothing but a folder (storage/languages.py)."""

from __future__ import annotations

import json

import pytest

from storage import languages
from storage.clock import FixedClock
from storage.drafts import draft
from storage.models import Client
from storage.store import Store
from storage.templates import PLACEHOLDERS, TEMPLATE_NAMES, default_template
from tests.conftest import FIXED_DAY
from tui.cli import main


def rapport(capsys, data_path, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """The CLI in this process (so that a LOCALE_DIRS a test put in front counts)."""
    if stdin is not None:
        import io

        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(["--data", str(data_path), "--today", FIXED_DAY.isoformat(), *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_edit_refuse_and_reset_from_the_command_line(store, capsys, data_path, monkeypatch):
    rc, out, _ = rapport(capsys, data_path, "template", "edit", "invoice", "--lang", "es", "--file", "-",
                         stdin="Subject: Factura {invoice_number}\n\nHola {first_name}\n{signature}\n",
                         monkeypatch=monkeypatch)
    assert rc == 0 and "invoice (es) saved" in out
    [doc] = json.loads(data_path.read_bytes())["template"].values()
    assert (doc["name"], doc["language"], doc["body"]) == ("invoice", "es", "Hola {first_name}\n{signature}\n")

    rc, out, _ = rapport(capsys, data_path, "template", "list")
    lines = {tuple(line.split()[:3]) for line in out.splitlines()}
    assert ("invoice", "es", "*") in lines and ("invoice", "en", "Invoice") in lines

    before = data_path.read_bytes()
    rc, _, err = rapport(capsys, data_path, "template", "edit", "invoice", "--lang", "es", "--file", "-",
                         stdin="Subject: x\n\nHola {cliente}\n", monkeypatch=monkeypatch)
    assert rc == 1 and "unknown placeholder {cliente}" in err
    assert all("{" + name + "}" in err for name in PLACEHOLDERS)
    assert data_path.read_bytes() == before

    rc, out, _ = rapport(capsys, data_path, "template", "reset", "invoice", "--lang", "es")
    assert rc == 0 and "reset to the shipped wording" in out
    assert json.loads(data_path.read_bytes())["template"] == {}
    rc, out, _ = rapport(capsys, data_path, "template", "show", "invoice", "--lang", "es")
    shipped = default_template("invoice", "es")
    assert out == f"Subject: {shipped.subject}\n\n{shipped.body}"


def test_lang_names_the_languages_there_are(store, capsys, data_path):
    rc, _, err = rapport(capsys, data_path, "template", "show", "checkin", "--lang", "xx")
    assert rc == 1 and "'xx' is not one of the available languages: en, es" in err


# --------------------------------------------------------------------------- #
# A third language is a file (issue 19, point 5)
# --------------------------------------------------------------------------- #

FR_CHECKIN = (
    "Bonjour {first_name},\n\n"
    "J'espère que tout va bien. Je voulais prendre de vos nouvelles.\n\n"
    "Bien cordialement,  \n{signature}\n"
)


@pytest.fixture
def french(tmp_path, monkeypatch):
    """French, as a language is added: a folder with template files (here one:
    the check-in) in front of the shipped ones. Nothing else changes."""
    root = tmp_path / "locale"
    folder = root / "fr" / "templates"
    folder.mkdir(parents=True)
    (folder / "checkin.md").write_text(f"Subject: Des nouvelles\n\n{FR_CHECKIN}", encoding="utf-8")
    monkeypatch.setattr(languages, "LOCALE_DIRS", [root, *languages.LOCALE_DIRS])
    return root


def test_a_third_language_is_a_folder(french, store, capsys, data_path):
    assert languages.available_languages() == ["en", "es", "fr"]
    rc, out, err = rapport(capsys, data_path, "settings", "set", "language", "fr")
    assert rc == 0, err
    assert json.loads(data_path.read_bytes())["settings"]["1"]["language"] == "fr"

    rc, out, _ = rapport(capsys, data_path, "template", "list", "--json")
    rows = {(r["name"], r["language"]): r for r in json.loads(out)}
    assert {lang for _, lang in rows} == {"en", "es", "fr"}
    assert len(rows) == 3 * len(TEMPLATE_NAMES)
    assert rows["checkin", "fr"]["subject"] == "Des nouvelles"
    assert rows["final", "fr"]["subject"] == default_template("final", "en").subject  # English until it has its own
    rc, out, _ = rapport(capsys, data_path, "template", "list")
    assert "checkin    fr   Des nouvelles\n" in out
    assert "final      fr   " in out and "(shipped in en only)" in out

    store = Store.open(data_path, clock=FixedClock(FIXED_DAY))
    client = store.add_client(Client(name="Rive Gauche", since=FIXED_DAY, email="a@rive.fr"))
    checkin = draft("checkin", store.snapshot(), client, FIXED_DAY)  # the settings' language: fr
    assert checkin.language == "fr" and checkin.subject == "Des nouvelles"
    assert checkin.body.startswith("Bonjour Rive Gauche,\n\nJ'espère que tout va bien.")
    farewell = draft("farewell", store.snapshot(), client, FIXED_DAY)  # fr has no farewell yet: English
    assert farewell.body.startswith("Hello Rive Gauche,")

    rc, out, _ = rapport(capsys, data_path, "draft", "checkin", "Rive", "--lang", "fr")
    assert rc == 0 and "Des nouvelles" in out and "Bonjour Rive Gauche," in out
