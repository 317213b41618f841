"""A dropped SSH connection: the app, in a real pseudo-terminal, gets SIGHUP.

It must end within a second, and a change it acknowledged before must be on
disk. This runs the real ``rapport`` process under a pty, types into it like a
person, then hangs up.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.demo import generate
from storage.store import Store, parse_export

DAY = dt.date(2026, 11, 27)
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")


class Terminal:
    """The parent's side of a pty with the app running on the child's side."""

    def __init__(self, data: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"}
        env.update(TERM="xterm-256color", TEXTUAL_ANIMATIONS="none", COLUMNS="80", LINES="24")
        pid, fd = pty.fork()
        if pid == 0:  # the child: become rapport
            os.chdir(REPO)
            os.execve(sys.executable,
                      [sys.executable, "-m", "tui", "--data", str(data), "--today", DAY.isoformat()], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.seen = b""

    def read_until(self, needle: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{needle!r} never appeared on the terminal")
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    raise AssertionError(f"the app ended before {needle!r} appeared") from None

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def settle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Wait until the app has drawn everything and gone quiet, as a person would."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                return
            try:
                self.seen += os.read(self.fd, 65536)
            except OSError:
                return

    def drain(self) -> None:
        while select.select([self.fd], [], [], 0)[0]:
            try:
                if not os.read(self.fd, 65536):
                    return
            except OSError:
                return

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def test_hangup_ends_the_app_at_once_with_the_saved_change_on_disk(tmp_path):
    data = tmp_path / "rapport.json"
    Store.write_new(data, parse_export(generate(DAY, "small")), now=FixedClock(DAY).now())
    term = Terminal(data)
    try:
        term.read_until(b"things to look at today")
        term.type("l")
        term.read_until(b"Log a contact with")
        for key in ["\t", "\t", "\t", "\t", "said over a pty", "\r"]:  # to the note, type, enter saves
            term.settle()
            term.type(key)
        deadline = time.monotonic() + 30
        while b"said over a pty" not in data.read_bytes():  # the app committed it
            assert time.monotonic() < deadline, "the contact never reached the file"
            term.drain()
            time.sleep(0.05)
        started = time.monotonic()
        os.kill(term.pid, signal.SIGHUP)
        deadline = started + 5
        while True:
            pid, status = os.waitpid(term.pid, os.WNOHANG)
            if pid:
                break
            term.drain()
            assert time.monotonic() < deadline, "the app is still running 5 s after SIGHUP"
            time.sleep(0.01)
        elapsed = time.monotonic() - started
    finally:
        term.close()
    assert elapsed < 1.0, f"took {elapsed:.2f} s to end after SIGHUP"
    contacts = Store.open(data).snapshot().contacts
    assert [c.summary for c in contacts if c.summary == "said over a pty"] == ["said over a pty"]
