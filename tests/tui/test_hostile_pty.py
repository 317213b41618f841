"""Issue 15, finding 1: nothing stored reaches the terminal raw, from any widget.

The real ``rapport`` runs in a pseudo-terminal on a file full of hostile text
(an OSC title, a screen clear, a C1 CSI, a DCS, a bidi override, an OSC 52
clipboard write, BEL); the test opens every form that shows stored text in an
Input, TextArea or Select (client edit, notes, settings, invoice edit) and
reads the raw bytes the app wrote to the terminal: none of those sequences may
be there. The screen must show them as visible symbols instead.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from decimal import Decimal
from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.models import Client, LineItem
from storage.store import Store
from tests.conftest import FIXED_DAY

REPO = Path(__file__).resolve().parents[2]

HOSTILE = {
    "osc title": "\x1b]0;PWNED\x07",
    "clear screen": "\x1b[2J",
    "c1 csi": "\x9b31mRED",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "bidi override": "\u202eevil",
    "osc 52": "\x1b]52;c;SGVsbG8=\x07",
}

FORBIDDEN = {
    "ESC ] (OSC) from the data": b"\x1b]0;PWNED",
    "OSC 52 from the data": b"\x1b]52;",
    "clear screen from the data": b"\x1b[2J",
    "C1 CSI": "\x9b".encode(),
    "DCS from the data": b"\x1bPq",
    "bidi override": "\u202e".encode(),
    "BEL": b"\x07",
}


def hostile_file(path: Path) -> None:
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    text = " ".join(HOSTILE.values())
    client = store.add_client(Client(
        name=f"A {HOSTILE['osc title']} Evil", company=HOSTILE["clear screen"], phone=HOSTILE["c1 csi"],
        tags=[HOSTILE["bidi override"]], notes=f"notes {text}\nline two {HOSTILE['osc 52']}", since=FIXED_DAY,
        rate=Decimal("50"),
    ))
    store.update_settings(name=f"Me {HOSTILE['dcs']}", business=HOSTILE["osc 52"], address=text)
    store.add_invoice(client.id, [LineItem(description=f"Work {text}", unit_price=Decimal("100"))],
                      issued=FIXED_DAY)


def _read(fd: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_forms_write_no_raw_control_from_the_data_to_the_terminal(tmp_path):
    path = tmp_path / "rapport.json"
    hostile_file(path)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"}
    env.update(TERM="xterm-256color", TEXTUAL_ANIMATIONS="none", COLUMNS="110", LINES="30")
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--data", str(path), "--today", FIXED_DAY.isoformat()],
        stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env, close_fds=True, start_new_session=True,
    )
    os.close(slave)
    stream = b""
    try:
        stream += _read(master, 6)  # start-up and the first frame
        for keys in ("2", "e", "\x1b", "N", "\x1b", ",", "\x1b", "4", "e", "\x1b"):
            os.write(master, keys.encode())
            stream += _read(master, 2.5)
        os.write(master, b"q")
        stream += _read(master, 3)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        os.close(master)
    # The forms were drawn, with the stored controls as visible symbols.
    for shown in ("Edit A", "Notes on A", "Settings", "notes ", "Work "):
        assert shown.encode() in stream, shown
    assert "\u241b".encode() in stream  # ESC shown as ␛
    # Textual's own sequences: OSC 22 (the mouse pointer's shape) ends with BEL.
    stream = re.sub(rb"\x1b\]22;[a-z-]*\x07", b"", stream)
    found = {what: stream.count(raw) for what, raw in FORBIDDEN.items() if raw in stream}
    assert not found, found


async def test_forms_show_symbols_and_keep_the_stored_text_when_left_as_shown(tmp_path, toasts):
    from textual.widgets import Input, TextArea

    from tui.app import build_app
    from tui.modals import NotesModal
    from tui.widgets.form import FormModal

    path = tmp_path / "rapport.json"
    hostile_file(path)
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    [client] = store.snapshot().clients
    app = build_app(store)
    async with app.run_test(size=(110, 30), notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause(0.5)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        name = form.query_one("#field-name", Input).value
        assert "\x1b" not in name and "\u241b]0;PWNED\u2407" in name
        await pilot.press("ctrl+s")  # nothing changed: nothing written differently
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NotesModal)
        text = app.screen.query_one(TextArea).text
        assert "\x1b" not in text and "\u202e" not in text and "\nline two" in text
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.notify(f"about {client.name}")
        await pilot.pause()
        shown = toasts(app)
        assert any(toast.startswith("about ") for toast in shown) and all("\x1b" not in toast for toast in shown)
    saved = Store.open(path, clock=FixedClock(FIXED_DAY)).snapshot().clients_by_id[client.id]
    assert (saved.name, saved.notes, saved.phone) == (client.name, client.notes, client.phone)
