"""JSON on stdout may land in a terminal: nothing in it may drive the terminal,
and it must still parse back to exactly what was typed."""

from __future__ import annotations

import json

import pytest

NAME = "Evil\u009b[31m\u202eX\x1b]0;owned\x07\x7f end"
RAW_CONTROLS = [b"\x1b", b"\x07", b"\x7f", "\u009b".encode(), "\u202e".encode()]


@pytest.mark.parametrize("command", [("client", "list", "--json"), ("export",), ("today", "--json")])
def test_json_on_stdout_escapes_controls_and_round_trips(run_cli, command):
    assert run_cli("client", "add", NAME, "--since", "2026-10-01").rc == 0
    done = run_cli(*command)
    assert done.rc == 0, done.stderr
    raw = done.stdout.encode("utf-8", "surrogateescape")
    for control in RAW_CONTROLS:
        assert control not in raw
    names = json.dumps(json.loads(done.stdout), ensure_ascii=False)
    assert json.dumps(NAME, ensure_ascii=False)[1:-1] in names
