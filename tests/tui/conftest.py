"""Fixtures for the app: demo data on a temporary file, a fixed today, no
animations, a text cursor that does not blink."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.demo import generate
from storage.store import Store, parse_export

FIXED_DAY = dt.date(2026, 11, 27)

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def write_demo(path: Path, size: str | int = "small", today: dt.date = FIXED_DAY) -> Path:
    """Write the demo data set for ``today`` to ``path``."""
    Store.write_new(path, parse_export(generate(today, size)), now=FixedClock(today).now())
    return path


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A text field's cursor stays shown. It blinks every half second after
    the field is focused, so a snapshot taken a little later on a busy machine
    (a full test run on two cores) would catch it hidden."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def keys_reach_the_screen_they_ask_for(monkeypatch):
    """Pilot.press presses keys one by one, each once the app looks idle, or
    after a second at most. A screen key in the first seconds shows a
    WaitingScreen while that screen is got ready (tui.screens.waiting); on a
    loaded machine that takes longer than Pilot waits, and the next keys, or a
    snapshot, would find the WaitingScreen. A test that presses keys means the
    screen they lead to, so press waits for it (8 s at most) before the next
    key. Tests of the WaitingScreen itself post their keys (type_keys)."""
    import asyncio

    from textual.pilot import Pilot

    from tui.screens.waiting import WaitingScreen

    press = Pilot.press

    async def press_and_wait(self, *keys: str) -> None:
        for key in keys:
            await press(self, key)
            waiting = self.app.screen
            if not isinstance(waiting, WaitingScreen):
                continue
            for _ in range(400):
                if waiting.message or not waiting.is_attached:
                    break
                await asyncio.sleep(0.02)
            else:
                raise AssertionError("the screen asked for never took the WaitingScreen's place")
            await self.pause()

    monkeypatch.setattr(Pilot, "press", press_and_wait)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return write_demo(tmp_path / "rapport.json")


@pytest.fixture
def demo_store(demo_path: Path) -> Store:
    return Store.open(demo_path, clock=FixedClock(FIXED_DAY))


@pytest.fixture
def demo_app(demo_store: Store):
    from tui.app import build_app

    return build_app(demo_store)


@pytest.fixture
def on_disk(demo_path: Path):
    """``on_disk()``: a snapshot read by a fresh store from the file: what is really saved."""

    def read():
        return Store.open(demo_path, clock=FixedClock(FIXED_DAY)).snapshot()

    return read


@pytest.fixture
def screen_text():
    """``screen_text(app)``: everything on screen now, as plain text lines."""
    import html
    import re

    def read(app) -> str:
        svg = app.export_screenshot()
        lines: dict[str, list[tuple[float, str]]] = {}
        for match in re.finditer(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
            x, y, body = match.groups()
            lines.setdefault(y, []).append((float(x), html.unescape(re.sub(r"<[^>]+>", "", body))))
        return "\n".join(
            "".join(part for _, part in sorted(parts)).replace("\xa0", " ")
            for _, parts in sorted(lines.items(), key=lambda item: float(item[0]))
        )

    return read


@pytest.fixture
def held_screen(monkeypatch) -> list[bool]:
    """Until something is appended to the list, a screen asked for before it
    was ready (tui.screens.waiting) stays at its last step: ready, not shown."""
    from tui.app import RapportApp

    released: list[bool] = []
    original = RapportApp._show_ready

    def held(self, mode):
        wait = original(self, mode)
        return lambda: bool(released) and (not callable(wait) or wait())

    monkeypatch.setattr(RapportApp, "_show_ready", held)
    return released


@pytest.fixture
def until():
    """``await until(pilot, test, what)``: pause until ``test()`` is true (8 s at most)."""

    async def wait(pilot, test, what: str) -> None:
        for _ in range(400):
            if test():
                return
            await pilot.pause(0.02)
        raise AssertionError(f"never {what}")

    return wait


@pytest.fixture
def type_keys():
    """``await type_keys(pilot, *keys)``: keys as the terminal sends them.
    Pilot.press waits until the app is idle, which it is not while a
    WaitingScreen hurries the background work on."""
    import asyncio

    from textual import events

    async def press(pilot, *keys: str) -> None:
        for key in keys:
            pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
            await asyncio.sleep(0.01)

    return press
