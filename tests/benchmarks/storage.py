"""Commit latency: one change (log a contact) on the large demo set, crash-safe,
against TinyDB's stock JSONStorage doing the same insert on the same data.

docs/rules.md, "Performance targets": at least 4x faster than stock, measured in the
same run (machines here are shared and noisy, so only the ratio is a target);
at 5x the large set, no worse than linear growth.

Run it from the repository root:

    .venv/bin/python tests/benchmarks/storage.py [--rounds 25]

Both sides are timed alternately, round by round, so a noisy neighbour slows
both. "ours" is Store.log_contact: lock, check the file is unchanged, validate,
serialise the whole file (orjson), write a temporary file, fsync, rename, fsync
the folder. "stock" is TinyDB(path, storage=JSONStorage).table("contact").insert:
parse the whole file, serialise it, write it in place, fsync (not crash-safe).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

# This file is called storage.py: keep its own folder off sys.path, or
# `import storage` would import this script instead of the package.
HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))

from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402

from storage.clock import FixedClock, stamp
from storage.demo import generate  # noqa: E402
from storage.models import Channel, Contact, ContactKind  # noqa: E402
from storage.store import Store, parse_export  # noqa: E402

TODAY = dt.date(2026, 11, 27)


def measure(label: str, size: str | int, rounds: int, folder: Path) -> dict[str, float | int | str]:
    data = parse_export(generate(TODAY, size))
    documents = sum(len(table) for table in data.values())
    ours_path = folder / f"ours-{label}.json"
    stock_path = folder / f"stock-{label}.json"
    Store.write_new(ours_path, data, now=FixedClock(TODAY).now())
    shutil.copyfile(ours_path, stock_path)  # the same data, TinyDB-shaped
    size_mb = ours_path.stat().st_size / 1e6

    store = Store.open(ours_path, clock=FixedClock(TODAY))
    client_id = store.snapshot().clients[0].id
    stock = TinyDB(stock_path, storage=JSONStorage)
    stock_contacts = stock.table("contact")

    def contact(n: int) -> Contact:
        return Contact(client_id=client_id, date=TODAY, channel=Channel.CALL,
                       kind=ContactKind.PROGRESS_UPDATE, summary=f"Benchmark call {n}")

    # Warm-up, not timed: the first commit of the day also makes the daily
    # backup, and the first stock insert rewrites the file in its own format.
    stock_contacts.insert(store.log_contact(contact(-1)).to_doc())

    ours: list[float] = []
    theirs: list[float] = []
    gc.collect()
    for n in range(rounds):
        # The same document on both sides: the contact exactly as ours stores it.
        # Ours hands out the id from its counter, so the next one is known.
        nxt = int(store.settings().counters.get("contact", 0)) + 1
        now = stamp(store.clock.now())
        doc = contact(n).replace(id=f"contact-{nxt}", created_at=now, updated_at=now).to_doc()
        # Bound now (both run in this round): ours still builds its Contact inside the timing.
        sides = [("ours", lambda n=n: store.log_contact(contact(n))),
                 ("stock", lambda doc=doc: stock_contacts.insert(doc))]
        if n % 2:
            sides.reverse()  # alternate who goes first
        for side, run in sides:
            start = time.perf_counter()
            run()
            (ours if side == "ours" else theirs).append(time.perf_counter() - start)
    stock.close()

    # Both files really hold every contact.
    reopened = Store.open(ours_path, clock=FixedClock(TODAY))
    ours_count = sum(1 for c in reopened.snapshot().contacts if c.summary.startswith("Benchmark call"))
    with TinyDB(stock_path, storage=JSONStorage) as check:
        stock_count = sum(1 for d in check.table("contact").all()
                          if str(d.get("summary", "")).startswith("Benchmark call"))
    assert ours_count == stock_count == rounds + 1, (ours_count, stock_count)

    ours_ms = statistics.median(ours) * 1000
    stock_ms = statistics.median(theirs) * 1000
    return {
        "label": label,
        "documents": documents,
        "size_mb": size_mb,
        "ours_ms": ours_ms,
        "ours_p90": sorted(ours)[int(len(ours) * 0.9)] * 1000,
        "stock_ms": stock_ms,
        "stock_p90": sorted(theirs)[int(len(theirs) * 0.9)] * 1000,
        "ratio": stock_ms / ours_ms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25, help="timed commits per side and size (at least 20)")
    args = parser.parse_args()
    rounds = max(args.rounds, 20)

    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        rows = [
            measure("large", "large", rounds, Path(tmp)),
            measure("5x large", 300, rounds, Path(tmp)),
        ]

    print(f"Commit latency: one contact logged, median of {rounds} (p90), same run, alternating")
    print()
    header = f"{'data set':<10} {'documents':>9} {'file MB':>8} {'ours ms':>16} {'stock ms':>17} {'stock/ours':>10}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['label']:<10} {row['documents']:>9,} {row['size_mb']:>8.1f} "
            f"{row['ours_ms']:>7.1f} ({row['ours_p90']:>5.1f})  {row['stock_ms']:>7.1f} ({row['stock_p90']:>6.1f})"
            f" {row['ratio']:>9.1f}x"
        )
    large, big = rows
    growth_docs = big["documents"] / large["documents"]
    growth_ours = big["ours_ms"] / large["ours_ms"]
    print()
    print(f"target: stock/ours >= 4x  -> large {large['ratio']:.1f}x, 5x large {big['ratio']:.1f}x: "
          f"{'met' if min(large['ratio'], big['ratio']) >= 4 else 'NOT met'}")
    print(f"growth: {growth_docs:.1f}x the documents -> ours {growth_ours:.1f}x the time "
          f"({'linear, within 10%' if growth_ours <= growth_docs * 1.1 else 'WORSE than linear'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
