"""`rapport serve`: the same app in a web browser, through textual-serve.

The argument rules are checked without a browser. The browser test runs the
real server and a real headless Chromium (Debian's ``chromium``, which
.ci/run installs), driven over the DevTools protocol: the page loads, shows
the Agenda, and a ``2`` typed into it brings up the Clients screen. Without
Chromium it is skipped, saying so.

The page of textual-serve draws the terminal on a canvas (xterm.js with its
WebGL or canvas renderer), so there is no text in the DOM to read. What the
page draws is what the server sent it over the page's WebSocket: the DevTools
protocol reports each frame the page receives (Network.webSocketFrameReceived)
and each one it sends, so the test reads the terminal output the page drew,
and sees the key it typed leave the page. Only aiohttp (a dependency of
textual-serve) and the system's ``chromium`` are needed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_DAY

_CONTROL = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]"  # CSI
                      r"|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"  # OSC
                      r"|\x1b[@-Z\\-_]|[\x00-\x08\x0e-\x1f]")


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def screen_text(raw: bytes) -> str:
    """Terminal output as text: escape sequences dropped, each cursor move a space."""
    return _CONTROL.sub(" ", raw.decode("utf-8", "replace"))


class Page:
    """One browser tab, through its DevTools WebSocket."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future] = {}
        self.received = bytearray()  # what the page's WebSocket received (the terminal output)
        self.sent: list[str] = []  # text frames the page sent (keys, sizes)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = message.json()
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                if response.get("opcode") == 2:
                    self.received += base64.b64decode(response["payloadData"])
            elif data.get("method") == "Network.webSocketFrameSent":
                self.sent.append(data["params"]["response"].get("payloadData", ""))

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.pending[message_id] = future
        await self.ws.send_json({"id": message_id, "method": method, "params": params})
        result = await asyncio.wait_for(future, 30)
        if "error" in result:
            raise RuntimeError(f"{method}: {result['error']}")
        return result.get("result", {})

    async def wait_for_text(self, pattern: str, *, since: int = 0, timeout: float = 60) -> str:
        """Wait until the terminal output received after byte ``since`` matches."""
        deadline = time.monotonic() + timeout
        while True:
            text = screen_text(bytes(self.received[since:]))
            if re.search(pattern, text, re.S):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never showed {pattern!r}; it showed: {text[-2000:]!r}")
            await asyncio.sleep(0.1)

    async def press(self, key: str) -> None:
        """Type one character into the terminal, as a person at the keyboard would."""
        await self.call("Runtime.evaluate",
                        expression="document.querySelector('.xterm-helper-textarea').focus()")
        code = f"Digit{key}" if key.isdigit() else f"Key{key.upper()}"
        common = {"key": key, "code": code, "windowsVirtualKeyCode": ord(key.upper())}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=key, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)


@contextlib.asynccontextmanager
async def open_page(url: str, *, size: tuple[int, int] = (1280, 800)) -> AsyncIterator[Page]:
    """Start a headless Chromium, open ``url`` in it, and yield the tab."""
    import aiohttp

    binary = chromium_binary()
    assert binary is not None
    # Chromium's helper processes may still be writing to the profile as it is
    # removed: what is left behind in the temporary folder is no failure.
    with tempfile.TemporaryDirectory(prefix="rapport-chromium-", ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-dev-shm-usage", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             f"--window-size={size[0]},{size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            for _ in range(300):
                if port_file.exists() and port_file.read_text().strip():
                    break
                if process.poll() is not None:
                    raise AssertionError(f"chromium exited with status {process.returncode}")
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("chromium did not open its DevTools port")
            port = int(port_file.read_text().split()[0])
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json()
                [target] = [t for t in targets if t.get("type") == "page"][:1]
                async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    page = Page(ws)
                    await page.call("Network.enable")
                    await page.call("Page.enable")
                    await page.call("Page.navigate", url=url)
                    try:
                        yield page
                    finally:
                        page.reader.cancel()
        finally:
            # Chromium and its helpers: the process group it was started in.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# --------------------------------------------------------------------------- #
# The tests
# --------------------------------------------------------------------------- #

REPO = Path(__file__).resolve().parents[2]


def rapport(data: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"} | {"TEXTUAL_ANIMATIONS": "none"}
    return subprocess.Popen([sys.executable, "-m", "tui", "--data", str(data), "--today", FIXED_DAY.isoformat(), *args],
                            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """End the server and the app processes it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"rapport serve exited: {process.stderr.read().decode()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture
def demo_file(tmp_path, rapport_cli) -> Path:
    path = tmp_path / "rapport.json"
    assert rapport_cli(path, "demo").rc == 0
    return path


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])
def test_another_host_without_public_is_refused_in_one_line(demo_file, host):
    process = rapport(demo_file, "serve", "--host", host)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert out == b""
    text = err.decode()
    assert text.count("\n") == 1 and text.startswith(f"rapport serve: --host {host}") and "--public" in text, text


def test_public_warns_that_there_is_no_login(demo_file):
    port = free_port()
    process = rapport(demo_file, "serve", "--host", "0.0.0.0", "--port", str(port), "--public")
    try:
        wait_for_port(port, process)
        first = process.stderr.readline().decode()
        assert first.startswith("rapport: warning: serving on 0.0.0.0:") and "no login" in first, first
    finally:
        stop(process)


def test_a_bad_port_is_bad_input(demo_file):
    process = rapport(demo_file, "serve", "--port", "70000")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and b"--port" in err and err.count(b"\n") == 1


@pytest.mark.skipif(chromium_binary() is None,
                    reason="no chromium: install Debian's chromium (.ci/run does) to run the browser test")
def test_in_a_real_browser_the_agenda_then_clients_on_2(demo_file):
    port = free_port()
    process = rapport(demo_file, "serve", "--port", str(port))
    try:
        wait_for_port(port, process)

        async def browse() -> tuple[str, str, list[str]]:
            async with open_page(f"http://localhost:{port}") as page:
                # the Agenda: its count of today's items, then its sections
                agenda = await page.wait_for_text(r"things to look at today.*Reminders due.*Check-ins due", timeout=90)
                mark = len(page.received)
                await page.press("2")
                # the Clients screen: its table's headings, in what arrived after the key
                clients = await page.wait_for_text(r"Name.*Status.*Contacted.*Check-in.*Outstanding", since=mark,
                                                   timeout=60)
                return agenda, clients, page.sent

        agenda, clients, sent = asyncio.run(browse())
    finally:
        stop(process)
    assert "Bellweather Books" in agenda  # the demo's check-in due today, on the Agenda
    assert "Acme Robotics" in clients
    assert '["stdin", "2"]' in sent or '["stdin","2"]' in sent  # the key left the page, typed in the browser


def app_processes(server: subprocess.Popen, data: Path) -> list[int]:
    """The app processes the server started (one per browser tab) on ``data``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            group = os.getpgid(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
        if group == server.pid and int(entry.name) != server.pid and str(data).encode() in command \
                and b"serve" not in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(chromium_binary() is None,
                    reason="no chromium: install Debian's chromium (.ci/run does) to run the browser test")
def test_two_tabs_are_two_sessions_on_one_file_and_both_see_a_change(demo_file, rapport_cli):
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("counting the app processes reads /proc")
    port = free_port()
    process = rapport(demo_file, "serve", "--port", str(port))
    try:
        wait_for_port(port, process)

        async def browse() -> tuple[list[int], str, str]:
            async with open_page(f"http://localhost:{port}") as one, open_page(f"http://localhost:{port}") as two:
                for page in (one, two):
                    await page.wait_for_text(r"things to look at today", timeout=90)
                sessions = app_processes(process, demo_file)
                marks = len(one.received), len(two.received)
                # another session (here the CLI) changes the file: both tabs pick it up
                rc, out, err = await asyncio.to_thread(
                    rapport_cli, demo_file, "promise", "add", "Globex", "Call about the browser", "--due",
                    FIXED_DAY.isoformat())
                assert (rc, err) == (0, "")
                seen = [await page.wait_for_text(r"Call about the browser", since=mark, timeout=30)
                        for page, mark in zip((one, two), marks, strict=True)]
                return sessions, *seen

        sessions, first, second = asyncio.run(browse())
    finally:
        stop(process)
    assert len(sessions) == 2, sessions  # one rapport process per tab


def test_the_page_names_an_address_the_browser_can_reach():
    from tui.cli import _public_url

    assert _public_url("127.0.0.1", 8000) == "http://localhost:8000"  # through the SSH tunnel too
    assert _public_url("192.168.1.5", 8080) == "http://192.168.1.5:8080"
    assert _public_url("fe80::1", 8000) == "http://[fe80::1]:8000"
    assert _public_url("0.0.0.0", 8000) == f"http://{socket.getfqdn()}:8000"
    assert "0.0.0.0" not in _public_url("0.0.0.0", 8000) or socket.getfqdn() == "0.0.0.0"
