"""Benchmark: the whole ``rapport today`` process against Taskwarrior's ``task overdue``.

docs/rules.md's target: on ``rapport demo --size large``, the whole process takes
at most half the time of ``task overdue`` over 10,000 pending tasks, measured in
the same run. Machines here are shared and noisy, so the two commands alternate
and the figures are medians; the ratio is what counts.

Also shown: the "cold" run, the first after a change, which reads the whole file
and rebuilds the summary (storage/summary.py); and that ``rapport today`` never
imports Textual (``python -X importtime``).

Run: ``python tests/benchmarks/today.py [--runs 21] [--scale 1] [--language es]``. Needs the
Debian package ``taskwarrior`` (``task``); without it only rapport's figure is
printed. ``--scale 5`` uses five times the large set (300 clients) and 50,000
tasks, for the growth check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

TODAY = dt.date(2026, 11, 27)


def make_rapport_data(folder: Path, scale: int, language: str = "en") -> Path:
    from storage.clock import FixedClock
    from storage.demo import LARGE_CLIENTS, generate
    from storage.store import Store, parse_export

    path = folder / "rapport.json"
    size: str | int = "large" if scale == 1 else LARGE_CLIENTS * scale
    Store.write_new(path, parse_export(generate(TODAY, size)), now=FixedClock(TODAY).now())
    if language != "en":
        Store.open(path, clock=FixedClock(TODAY)).update_settings(language=language)
    return path


def make_taskwarrior_data(folder: Path, count: int) -> dict[str, str]:
    """``count`` pending tasks with due dates around today, a third overdue."""
    data = folder / "task"
    data.mkdir()
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\n")
    tasks = []
    for i in range(count):
        due = TODAY + dt.timedelta(days=(i % 90) - 30)
        tasks.append({
            "uuid": str(uuid.UUID(int=i + 1)),
            "description": f"Follow up with client {i % 60} about item {i}",
            "status": "pending",
            "entry": "20250101T000000Z",
            "due": due.strftime("%Y%m%dT000000Z"),
            "project": f"client{i % 60}",
        })
    source = folder / "tasks.json"
    source.write_text(json.dumps(tasks))
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    subprocess.run(["task", "import", str(source)], env=env, check=True, capture_output=True)
    return env


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def imports_textual(data: Path, env: dict[str, str]) -> bool:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "tui", "--data", str(data), "today"],
                          env=env, capture_output=True, text=True, check=True)
    return any(line.split("|")[-1].strip().startswith(("textual", "rich")) for line in done.stderr.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--scale", type=int, default=1, help="1 = the large set; 5 = five times it")
    parser.add_argument("--language", default="en",
                        help="the settings' language: es loads its catalog and CLDR data (Babel)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        folder = Path(tmp)
        data = make_rapport_data(folder, args.scale, args.language)
        documents = sum(len(t) for t in json.loads(data.read_bytes()).values())
        rapport = [sys.executable, "-m", "tui", "--data", str(data), "today"]
        subprocess.run(rapport, env=env, check=True, capture_output=True)  # compile bytecode once
        have_task = shutil.which("task") is not None
        tasks = 10_000 * args.scale
        task_env = make_taskwarrior_data(folder, tasks) if have_task else {}
        from storage.summary import summary_path

        ours, cold, theirs = [], [], []
        for _ in range(args.runs):
            ours.append(timed(rapport, env))
            if have_task:
                theirs.append(timed(["task", "overdue"], task_env))
            summary_path(data).unlink()  # as after a change: read the whole file, rebuild the summary
            cold.append(timed(rapport, env))
        print(f"data: {data.stat().st_size / 1e6:.1f} MB, {documents} documents; {args.runs} alternating runs; "
              f"language {args.language}")
        print(f"rapport today      median {statistics.median(ours) * 1000:7.1f} ms   "
              f"min {min(ours) * 1000:6.1f} ms   (summary up to date: the usual case)")
        print(f"rapport today cold median {statistics.median(cold) * 1000:7.1f} ms   "
              f"min {min(cold) * 1000:6.1f} ms   (first run after a change: whole file read)")
        if have_task:
            print(f"task overdue ({tasks} pending) median {statistics.median(theirs) * 1000:7.1f} ms   "
                  f"min {min(theirs) * 1000:6.1f} ms")
            ratio = statistics.median(ours) / statistics.median(theirs)
            print(f"ratio rapport/task {ratio:.2f}  (target <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
        else:
            print("task (Debian package taskwarrior) not installed: no baseline")
        print(f"imports Textual or Rich: {'YES' if imports_textual(data, env) else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
