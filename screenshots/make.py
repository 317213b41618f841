"""Make the README's screenshots from demo data at a fixed date.

    python screenshots/make.py            # every screenshot
    python screenshots/make.py agenda     # only some

Each shot is an SVG written by Textual itself, at 80x24 (the terminal people
open over SSH) unless it says otherwise. The demo data and "today" are fixed, so
the pictures only change when the app does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

TODAY = dt.date(2026, 11, 27)

Steps = Callable[[object], Awaitable[None]]


async def _nothing(pilot) -> None:
    return None


async def _help(pilot) -> None:
    await pilot.press("question_mark")


async def _draft(pilot) -> None:
    await pilot.press("down", "m")


async def _clients(pilot) -> None:
    await pilot.press("2")


async def _overdue(pilot) -> None:
    await pilot.press("3")


async def _invoices(pilot) -> None:
    await pilot.press("4")


async def _jobs(pilot) -> None:
    await pilot.press("5")


async def _templates(pilot) -> None:
    await pilot.press("comma")
    await pilot.pause()
    await pilot.press("ctrl+t")


async def _agenda_es(pilot) -> None:
    app = pilot.app
    app.store.update_settings(language="es")
    app.settings_changed()
    app.data_changed()


# name -> (keys to press, terminal size)
SHOTS: dict[str, tuple[Steps, tuple[int, int]]] = {
    "agenda": (_nothing, (80, 24)),
    "agenda-wide": (_nothing, (120, 36)),
    "help": (_help, (80, 24)),
    "draft": (_draft, (80, 24)),
    "clients": (_clients, (80, 24)),
    "overdue": (_overdue, (80, 24)),
    "invoices": (_invoices, (80, 24)),
    "jobs": (_jobs, (80, 24)),
    "agenda-es": (_agenda_es, (80, 24)),
    "templates": (_templates, (80, 24)),
    "welcome": (_nothing, (80, 24)),
}
EMPTY = {"welcome"}
"""Shots taken on a new, empty file instead of the demo data."""


async def shoot(name: str, steps: Steps, size: tuple[int, int], folder: Path) -> Path:
    from storage.clock import FixedClock
    from storage.demo import generate
    from storage.store import Store, parse_export
    from tui.app import build_app

    data = folder / f"{name}.json"
    clock = FixedClock(TODAY)
    if name not in EMPTY:
        Store.write_new(data, parse_export(generate(TODAY, "small")), now=clock.now())
    app = build_app(Store.open(data, clock=clock))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await steps(pilot)
        await pilot.pause(0.3)
        target = HERE / f"{name}.svg"
        app.save_screenshot(filename=target.name, path=str(HERE))
    return target


def main(names: list[str]) -> int:
    chosen = names or list(SHOTS)
    unknown = [n for n in chosen if n not in SHOTS]
    if unknown:
        print(f"unknown screenshot(s): {', '.join(unknown)}; known: {', '.join(SHOTS)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        for name in chosen:
            steps, size = SHOTS[name]
            print(asyncio.run(shoot(name, steps, size, Path(tmp))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
