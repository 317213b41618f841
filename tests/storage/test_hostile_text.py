"""Hostile text through the real CLI: stored exactly as typed, written as UTF-8
whatever the locale, exported and imported byte for byte, and never reaching the
terminal as control characters."""

from __future__ import annotations

import json
import re

import pytest

MARKUP = ["[/]", "[@click=app.quit]x", "[link=https://x]y[/link]", "[bold]loud[/bold]"]
CONTROLS = ["\x1b[31mred\x1b[0m", "ding\x07", "csi\x9b2J", "\x1b]52;c;cHduZWQ=\x07osc"]
WORLD = ["Zoë 🙂 👩🏽‍💻 🇪🇸", "مرحبا بالعالم", "שלום עולם", "abc\u202eevil\u202c def"]
NAMES = MARKUP + CONTROLS + WORLD
LONG_NOTE = ("Notes with everything: " + " ".join(NAMES) + " ") * 60
LONG_NOTE = LONG_NOTE[:10_000]
assert len(LONG_NOTE) == 10_000

C_LOCALE = {"LC_ALL": "C", "LANG": "C", "LC_CTYPE": "C", "PYTHONUTF8": "", "PYTHONIOENCODING": ""}

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


NOTES = ["\n".join(NAMES), LONG_NOTE]


def add_everything(run, env=None) -> dict[str, str]:
    """One client per hostile name, and two hostile contact notes."""
    ids = {}
    for name in NAMES:
        rc, out, err = run("client", "add", name, env=env)
        assert (rc, err) == (0, ""), (name, err)
        ids[name] = out.strip()
    for name, note in zip(NAMES, NOTES, strict=False):
        rc, out, err = run("contact", "add", ids[name], "--note", note, env=env)
        assert (rc, err) == (0, ""), (name, err)
    return ids


@pytest.fixture(scope="module", params=["utf8", "C"])
def hostile_file(request, tmp_path_factory, rapport_cli):
    """A data file holding every hostile text, written under a UTF-8 or C locale."""
    env = C_LOCALE if request.param == "C" else {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    path = tmp_path_factory.mktemp("hostile") / "rapport.json"

    def run(*args, env=None):
        return rapport_cli(path, *args, env=env)

    ids = add_everything(run, env=env)
    return path, ids, env, run


def test_every_text_is_stored_exactly_as_typed(hostile_file):
    path, ids, _, _ = hostile_file
    data = json.loads(path.read_bytes().decode("utf-8"))
    clients = {doc["id"]: doc["name"] for doc in data["client"].values()}
    assert {ids[name]: name for name in NAMES} == clients
    notes = sorted(doc["summary"] for doc in data["contact"].values())
    assert notes == sorted(NOTES)


def test_the_file_is_utf8_not_escaped_whatever_the_locale(hostile_file):
    path, _, _, _ = hostile_file
    raw = path.read_bytes()
    for text in WORLD + MARKUP + ["csi\x9b2J"]:
        assert text.encode("utf-8") in raw, text
    # JSON itself must escape C0 controls; nothing else is escaped.
    assert b"\\u001b[31mred" in raw and b"ding\\u0007" in raw
    assert not re.search(rb"\\u(?!00[01][0-9a-f])", raw), "non-control characters were \\u-escaped"


def test_export_then_import_is_byte_identical(hostile_file, tmp_path, rapport_cli):
    path, _, env, run = hostile_file
    rc, first, err = run("export", "--format", "json", env=env)
    assert (rc, err) == (0, "")
    exported = tmp_path / "export.json"
    exported.write_bytes(first.encode("utf-8", "surrogateescape"))
    assert b"[@click=app.quit]x" in exported.read_bytes()

    copy = tmp_path / "copy.json"
    rc, out, err = rapport_cli(copy, "import", str(exported), env=env)
    assert (rc, err) == (0, ""), err
    rc, second, err = rapport_cli(copy, "export", "--format", "json", env=env)
    assert (rc, err) == (0, "")
    assert second.encode("utf-8", "surrogateescape") == exported.read_bytes()
    # and the imported file itself holds the same documents
    assert json.loads(copy.read_bytes())["client"] == json.loads(path.read_bytes())["client"]


@pytest.mark.parametrize("command", [["client", "list"], ["today"]], ids=" ".join)
def test_human_output_never_sends_control_characters_to_the_terminal(hostile_file, command):
    path, ids, env, run = hostile_file
    rc, out, err = run(*command, env=env)
    assert (rc, err) == (0, ""), err
    raw = out.encode("utf-8", "surrogateescape")
    assert b"\x1b" not in raw and b"\x07" not in raw
    bad = TERMINAL_CONTROLS.findall(out.replace("\n", ""))
    assert not bad, f"control characters reached stdout: {bad!r}"
    # the names are shown (as text), not swallowed; in `today`, as check-ins
    # due for the clients not contacted yet
    for name in MARKUP + WORLD[:3]:
        if command == ["today"] and (name in NAMES[: len(NOTES)] or len(name) > 18):
            continue  # contacted today, or too long for the column
        assert name in out, name
    if command == ["client", "list"]:
        assert "␛[31mred" in out and "ding␇" in out


def test_client_list_json_keeps_the_text_exact(hostile_file):
    _, ids, env, run = hostile_file
    rc, out, err = run("client", "list", "--json", env=env)
    assert (rc, err) == (0, "")
    listed = {row["id"]: row["name"] for row in json.loads(out)}
    assert listed == {ids[name]: name for name in NAMES}


def test_a_hostile_name_is_found_by_its_exact_text(hostile_file, tmp_path, rapport_cli):
    path, ids, env, _ = hostile_file
    copy = tmp_path / "rapport.json"  # the shared file stays as the other tests expect
    copy.write_bytes(path.read_bytes())
    for name in ("[link=https://x]y[/link]", "مرحبا بالعالم"):
        rc, out, err = rapport_cli(copy, "contact", "add", name, "--note", "found by name", env=env)
        assert (rc, err) == (0, ""), (name, err)
        assert out.strip().startswith("contact-")
