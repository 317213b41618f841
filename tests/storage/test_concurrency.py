"""Several processes on one file, and processes killed with SIGKILL mid-stream:
every acknowledged change is on disk, and the file is always valid."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from storage.clock import FixedClock
from storage.models import Client
from storage.store import Store
from tests.conftest import FIXED_DAY

REPO = Path(__file__).resolve().parents[2]

# Adds COUNT documents one store call at a time; prints each id only once the
# call has returned (the change is acknowledged), and flushes it at once.
WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from storage.clock import FixedClock
    from storage.models import Client, Contact
    from storage.store import Store

    path, what, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = Store.open(path, clock=FixedClock(dt.date(2026, 11, 27)))
    print("ready", flush=True)
    for n in range(count):
        if what == "client":
            doc = store.add_client(Client(name=f"{tag} {n}", since=dt.date(2026, 11, 27)))
        else:
            doc = store.log_contact(Contact(client_id="client-1", date=dt.date(2026, 11, 27), summary=f"{tag} {n}"))
        print(doc.id, flush=True)
    """
)


def writer(path: Path, what: str, tag: str, count: int, *, text: bool = True) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), what, tag, str(count)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text,
    )


def read_until_ready(proc: subprocess.Popen) -> bytes:
    """What the child printed up to and including "ready" (read from the pipe
    itself, so nothing is left in a buffer that communicate() would not see)."""
    seen = b""
    while b"ready\n" not in seen:
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    return seen


def test_two_processes_adding_200_clients_each_lose_nothing(tmp_path):
    # The file does not exist yet: both processes race to create it, too.
    path = tmp_path / "rapport.json"
    procs = [writer(path, "client", tag, 200) for tag in ("left", "right")]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=False):
        assert proc.returncode == 0, err
    acknowledged = [line for out, _ in outputs for line in out.split()[1:]]
    assert len(acknowledged) == 400 and len(set(acknowledged)) == 400

    data = json.loads(path.read_bytes())
    clients = list(data["client"].values())
    assert len(clients) == 400
    assert sorted(c["id"] for c in clients) == sorted(acknowledged)
    assert {c["name"] for c in clients} == {f"{t} {n}" for t in ("left", "right") for n in range(200)}
    # created once, not once per racing process: one settings document, and no
    # template (a new file stores none: the shipped files serve until one is edited)
    assert len(data["settings"]) == 1
    assert data["template"] == {}
    store = Store.open(path)
    assert store.check() == []


def test_sigkill_at_random_moments_never_loses_an_acknowledged_change(tmp_path):
    path = tmp_path / "rapport.json"
    Store.open(path, clock=FixedClock(FIXED_DAY)).add_client(Client(name="Acme", since=FIXED_DAY))
    rng = random.Random(20261127)
    acknowledged: list[str] = []
    started = time.monotonic()
    rounds = 0
    for round_ in range(15):
        proc = writer(path, "contact", f"round{round_}", 100_000, text=False)
        # Every fourth kill lands while the child may still be starting (or
        # opening the store); the others mid-stream, however slow the machine.
        seen = b"" if round_ % 4 == 3 else read_until_ready(proc)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # A line cut short by the kill was not acknowledged.
        lines = (seen + out).decode().split("\n")
        acknowledged += [line for line in lines[:-1] if line and line != "ready"]
        rounds += 1

        data = json.loads(path.read_bytes())  # parses after every kill
        on_disk = {doc["id"] for doc in data["contact"].values()}
        missing = set(acknowledged) - on_disk
        assert not missing, f"round {round_}: acknowledged but not on disk: {sorted(missing)[:5]}"
        if time.monotonic() - started > 15:
            break
    assert rounds >= 5
    assert len(acknowledged) > 50, "the writer never got going: the test proves nothing"
    assert len(set(acknowledged)) == len(acknowledged)
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    assert store.check() == []
    assert {c.id for c in store.snapshot().contacts} >= set(acknowledged)


def test_creating_a_file_does_not_delete_another_writers_temp_file(tmp_path, monkeypatch):
    """Store.open on a new path cleans up stray temp files. The moment it lets go
    of the lock, another process may take it and start writing its temp file;
    that one is not a stray and must survive, or the other process's commit fails.

    The interleaving is forced: right after the lock is released, a temp file
    appears whose writer (a live process) is mid-commit."""
    from storage.jsonfile import AtomicJSONStorage

    path = tmp_path / "rapport.json"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    in_flight = tmp_path / f".rapport.json.tmp-{other.pid}-0badc0de"
    real_release = AtomicJSONStorage.release_lock

    def release_then_another_writer_starts(fd: int) -> None:
        real_release(fd)
        if path.exists() and not in_flight.exists():
            in_flight.write_bytes(b'{"half": ')

    monkeypatch.setattr(AtomicJSONStorage, "release_lock", staticmethod(release_then_another_writer_starts))
    try:
        Store.open(path, clock=FixedClock(FIXED_DAY))
        assert in_flight.exists(), "a live writer's temp file was deleted"
    finally:
        other.kill()
        other.wait()
