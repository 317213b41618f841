"""Fixtures for the app: demo data on a temporary file, a fixed today, no
animations (and so a text cursor that does not blink: RapportApp.on_descendant_focus)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from storage.clock import FixedClock
from storage.demo import generate
from storage.store import Store, parse_export
from tests.conftest import FIXED_DAY

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def write_demo(path: Path, size: str | int = "small", today: dt.date = FIXED_DAY) -> Path:
    """Write the demo data set for ``today`` to ``path``."""
    Store.write_new(path, parse_export(generate(today, size)), now=FixedClock(today).now())
    return path


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
def toasts():
    """``toasts(app)``: the text (title, then message) of each notification on
    screen now, oldest first. The app runs with ``run_test(notifications=True)``."""

    def read(app) -> list[str]:
        return [toast.render().plain for toast in app.screen.query("Toast")]

    return read


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
    """``await type_keys(pilot, *keys)``: keys as the terminal sends them, one
    after another, without waiting for the app to be idle in between (as
    Pilot.press does): what a person types while a screen loads its rows."""
    import asyncio

    from textual import events

    async def press(pilot, *keys: str) -> None:
        for key in keys:
            pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
            await asyncio.sleep(0.01)

    return press
