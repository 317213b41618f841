"""Benchmark: the Clients screen on the large set, one client with 500+ history entries.

Prints, on ``rapport demo --size large`` (60 clients, 12,000+ documents) with
one client padded to 500+ timeline entries:

* the per-generation work: the table's figures for every client
  (``build_rows``), one client's documents (``Store.client_documents``) and
  its timeline (``timeline_entries``);
* opening that client: the synchronous part (facts, timeline, notes queued)
  and everything the app then does until it is idle (layout, Markdown, paint);
* per key, the time the app spends handling it (every message handler, layout
  and paint until idle), for the Clients screen's keys and, as the baseline of
  the same run, a move on the Agenda.

Key figures are the app's own work: the CPU time spent inside Textual's message
dispatch (handlers, layout, paint), not the wall time a Pilot needs to notice
the app is idle (on a loaded, shared machine that is mostly waiting).
Run: ``python tests/benchmarks/clients.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

TODAY = dt.date(2026, 11, 27)
PADDED = "client-1"


def make_data(folder: Path) -> Path:
    from storage.clock import FixedClock
    from storage.demo import generate
    from storage.store import Store, parse_export

    data = generate(TODAY, "large")
    contacts = data["contact"]
    start = len(contacts)
    for k in range(250):  # client-1 gets 500+ timeline entries
        contacts.append({**contacts[0], "id": f"contact-{start + k + 1}", "client_id": PADDED,
                         "date": (TODAY - dt.timedelta(days=3 + 7 * k)).isoformat(), "summary": f"Extra note {k}"})
    path = folder / "large.json"
    Store.write_new(path, parse_export(data), now=FixedClock(TODAY).now())
    return path


class DispatchClock:
    """Adds up the time spent inside Textual's top-level message dispatch."""

    def __init__(self) -> None:
        from textual.message_pump import MessagePump

        self.total = 0.0
        self._depth = 0
        original = MessagePump._dispatch_message
        clock = self

        async def timed(pump, message):
            if clock._depth:
                return await original(pump, message)
            clock._depth += 1
            start = time.process_time()
            try:
                return await original(pump, message)
            finally:
                clock.total += time.process_time() - start
                clock._depth -= 1

        MessagePump._dispatch_message = timed


async def measure(path: Path, clock: DispatchClock) -> dict[str, list[float]]:
    from storage.clock import FixedClock
    from storage.store import Store
    from tui.app import build_app
    from tui.screens.clients.view import build_rows
    from tui.widgets.timeline import ClientHistory, timeline_entries

    out: dict[str, list[float]] = {}

    def note(label: str, seconds: float) -> None:
        out.setdefault(label, []).append(seconds * 1000)

    store = Store.open(path, clock=FixedClock(TODAY))
    snap = store.snapshot()
    for shared in ("clients", "last_contact", "open_invoices"):  # the Agenda reads them too: not counted
        getattr(snap, shared)
    start = time.perf_counter()
    build_rows(snap, TODAY)
    note("build_rows (60 clients)", time.perf_counter() - start)
    start = time.perf_counter()
    history = ClientHistory.from_documents(store.client_documents(PADDED))
    note(f"client_documents ({len(history)} documents)", time.perf_counter() - start)
    start = time.perf_counter()
    entries = timeline_entries(history, TODAY)
    note(f"timeline_entries ({len(entries)} entries)", time.perf_counter() - start)

    app = build_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:

        async def key(label: str, *keys: str, settle: float = 0.3) -> None:
            for k in keys:
                await pilot.pause()
                clock.total = 0.0
                await pilot.press(k)
                await pilot.pause(settle)
                note(label, clock.total)

        await pilot.pause(0.5)
        await key("agenda: move (baseline)", *"jjjjjk")
        await key("switch to Clients (first time)", "2")
        await key("clients: move j/k, then rest (notes drawn)", *"jjjjjjkk")
        # A key held down: the terminal repeats it about 30 times a second.
        from textual import events

        for k in "jk":
            await pilot.pause(0.3)
            clock.total = 0.0
            for _ in range(15):
                event = events.Key(k, k)
                event.set_sender(app)
                app._driver.send_message(event)
                await asyncio.sleep(1 / 30)
            await pilot.pause(0.3)
            note("clients: j/k held down (30/s), per key incl. the rest", clock.total / 15)
        await key("clients: sort (s)", *"sss")
        await key("clients: filter keystroke", "slash", *"acme")
        await key("clients: filter backspace", *["backspace"] * 4)
        await key("clients: escape (clear filter)", "escape")
        screen = app.screen
        # Opening the padded client from cold caches (as after a change to the data).
        screen._entries.clear()
        screen._detail_key = None
        await pilot.pause()
        clock.total = 0.0
        start = time.perf_counter()
        screen.select_client(PADDED)
        sync = time.perf_counter() - start
        await pilot.pause(0.4)
        note(f"open {PADDED} ({len(screen._entries[PADDED])} entries): synchronous", sync)
        note(f"open {PADDED}: then until idle", clock.total)
        await key("clients: enter (full height)", "enter")
        await key("timeline: page down", *["pagedown"] * 5)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    clock = DispatchClock()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = make_data(Path(tmp))
        for _ in range(args.runs):
            for label, values in asyncio.run(measure(path, clock)).items():
                results.setdefault(label, []).extend(values)
    print(f"Clients screen on the large set, {args.runs} run(s); milliseconds")
    for label, values in results.items():
        print(f"  {label:48s} median {statistics.median(values):7.1f}  max {max(values):7.1f}  (n={len(values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
