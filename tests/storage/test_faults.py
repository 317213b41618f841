"""Faults: a process killed at each step of a commit, a write that hits the file
size limit or a full disk, and data files that cannot be used.

The promise (docs/rules.md, "Storage promises"): a kill at any moment leaves the old
file or the new one, never a broken one; a file that cannot be read is never
overwritten, and the CLI says so in one line with exit status 1.

A killed process keeps what it had handed to the kernel, so these tests prove the
order of operations (old or new, never half; no stray temporary files), not
durability across a power cut; ``test_commit_fsyncs_the_data_before_the_rename_and_the_folder_after``
checks the fsync order that durability depends on.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage import backups
from storage.clock import FixedClock
from storage.jsonfile import DataFileError, StorageError, dump_bytes
from storage.models import SCHEMA_VERSION, Client, Contact
from storage.store import Store
from tests.conftest import FIXED_DAY

REPO = Path(__file__).resolve().parents[2]

# A child that commits one contact and kills itself with SIGKILL at the Nth call
# of os.fsync/os.replace ("before" it runs, or "after" it returned). Timestamps
# are frozen (a FixedClock) so the file it would have written is known exactly.
KILL_CHILD = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from storage.clock import FixedClock
    from storage.models import Contact
    from storage.store import Store

    path, target, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    store = Store.open(path, clock=FixedClock(dt.date(2026, 11, 27)))
    calls = []

    def hooked(name, real):
        def call(*args):
            calls.append(name)
            if len(calls) == target and when == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = real(*args)
            if len(calls) == target and when == "after":
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return call

    os.fsync = hooked("fsync", os.fsync)
    os.replace = hooked("replace", os.replace)
    store.log_contact(Contact(client_id="client-1", date=dt.date(2026, 11, 27), summary="the new one"))
    print(" ".join(calls))
    """
)


def child_env() -> dict[str, str]:
    """Children here are killed or size-limited mid-write. They must not write
    bytecode: CPython writes a .pyc without checking for a short write, so a
    file-size limit leaves a truncated .pyc that breaks every later import."""
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def run_child(script: str, *args: str, preexec=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=preexec,
    )


def stray_temps(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp-*"))


@pytest.fixture(scope="module")
def old_state(tmp_path_factory) -> bytes:
    """A data file with one client, written on an earlier day (so the commit
    under test also makes the day's backup)."""
    path = tmp_path_factory.mktemp("old") / "rapport.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY - dt.timedelta(days=1)))
    store.add_client(Client(name="Acme", since=FIXED_DAY))
    assert store.get(Client, "client-1").name == "Acme"
    return path.read_bytes()


@pytest.fixture(scope="module")
def commit_trace(tmp_path_factory, old_state) -> tuple[list[str], bytes]:
    """The fsync/replace calls of one commit, and the exact new file it writes."""
    path = tmp_path_factory.mktemp("dry") / "rapport.json"
    path.write_bytes(old_state)
    done = run_child(KILL_CHILD, str(path), "0", "never")
    assert done.returncode == 0, done.stderr
    calls = done.stdout.split()
    # the day's backup (write, rename, folder) and then the data file (the same)
    assert calls == ["fsync", "replace", "fsync", "fsync", "replace", "fsync"], calls
    new_state = path.read_bytes()
    assert json.loads(new_state)["contact"]["1"]["summary"] == "the new one"
    return calls, new_state


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("step", range(1, 7))
def test_a_kill_at_any_step_of_a_commit_leaves_the_old_or_the_new_file(tmp_path, old_state, commit_trace, step, when):
    calls, new_state = commit_trace
    path = tmp_path / "rapport.json"
    path.write_bytes(old_state)

    done = run_child(KILL_CHILD, str(path), str(step), when)
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stderr)

    after = path.read_bytes()
    json.loads(after)  # parses
    data_replaced = calls.index("replace", 2) + 1  # the data file's rename is call 5
    if step > data_replaced or (step == data_replaced and when == "after"):
        assert after == new_state
    else:
        assert after == old_state

    # Reopening and writing once cleans up whatever the dead writer left behind.
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    store.log_contact(Contact(client_id="client-1", date=FIXED_DAY, summary="after the crash"))
    assert stray_temps(tmp_path) == []
    assert store.check() == []
    summaries = sorted(c.summary for c in store.snapshot().contacts)
    assert summaries == (["after the crash", "the new one"] if after == new_state else ["after the crash"])


def test_a_stray_temp_file_is_removed_by_the_next_write_under_the_lock(tmp_path, old_state):
    """What a writer killed between writing its temp file and renaming it leaves
    behind (as large as the data file) must not stay there for ever."""
    path = tmp_path / "rapport.json"
    path.write_bytes(old_state)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # the writer that died
    stray = tmp_path / f".rapport.json.tmp-{child.pid}-deadbeef"
    stray.write_bytes(old_state[: len(old_state) // 2])
    backup_stray = tmp_path / "backups" / f".rapport-20261127-090000-daily.json.tmp-{child.pid}-deadbeef"
    backup_stray.parent.mkdir(mode=0o700)
    backup_stray.write_bytes(b"half a backup")
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    store.log_contact(Contact(client_id="client-1", date=FIXED_DAY, summary="x"))
    assert stray_temps(tmp_path) == []


def test_commit_fsyncs_the_data_before_the_rename_and_the_folder_after(store, data_path, monkeypatch):
    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", f"{src} -> {dst}"))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.log_contact(Contact(client_id=client.id, date=FIXED_DAY))
    monkeypatch.undo()
    data_events = [
        e for e in events if str(data_path.parent / ".rapport.json.tmp-") in e[1] or e[1] == str(data_path.parent)
    ]
    assert [kind for kind, _ in data_events] == ["fsync", "replace", "fsync"], events
    assert data_events[1][1].endswith(f" -> {data_path}")
    assert data_events[2][1] == str(data_path.parent)


# -- a write that cannot complete --------------------------------------------- #

FSIZE_CHILD = textwrap.dedent(
    """
    import datetime as dt, os, resource, signal, sys
    from storage.clock import FixedClock
    from storage.jsonfile import StorageError
    from storage.models import Contact
    from storage.store import Store

    path = sys.argv[1]
    store = Store.open(path, clock=FixedClock(dt.date(2026, 11, 27)))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = os.path.getsize(path) + 2000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        store.log_contact(Contact(client_id="client-1", date=dt.date(2026, 11, 27), summary="x" * 50_000))
    except StorageError as exc:
        print("StorageError:", exc)
    # the failed change is not kept in memory as if it were saved
    print("contacts after:", len(store.snapshot().contacts))
    """
)


def test_a_write_past_the_file_size_limit_raises_storage_error_and_changes_nothing(tmp_path, old_state):
    path = tmp_path / "rapport.json"
    path.write_bytes(old_state)
    done = run_child(FSIZE_CHILD, str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("StorageError: could not save (the file is larger than this process may write)")
    assert "left as it was" in lines[0]
    assert lines[1] == "contacts after: 0"
    assert path.read_bytes() == old_state
    assert stray_temps(tmp_path) == []


def test_the_cli_reports_a_file_size_limit_in_one_line(tmp_path, old_state):
    import resource

    path = tmp_path / "rapport.json"
    path.write_bytes(old_state)
    limit = len(old_state) + 2000

    def limit_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "tui", "--data", str(path), "--today", "2026-11-27",
         "contact", "add", "client-1", "--note", "y" * 20_000],
        cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=60, preexec_fn=limit_size,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "could not save" in done.stderr and "larger" in done.stderr
    assert path.read_bytes() == old_state
    assert stray_temps(tmp_path) == []


def test_a_full_disk_raises_storage_error_and_changes_nothing(store, data_path, monkeypatch):
    client = store.add_client(Client(name="Acme", since=FIXED_DAY))
    store.log_contact(Contact(client_id=client.id, date=FIXED_DAY))  # today's backup is made
    before = data_path.read_bytes()
    real_write = os.write

    def write(fd, data):
        if len(data) > 1000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(StorageError, match="disk is full"):
        store.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary="lost"))
    monkeypatch.undo()
    assert data_path.read_bytes() == before
    assert [c.summary for c in store.snapshot().contacts] == [""]
    assert stray_temps(data_path.parent) == []


# -- files that cannot be used ------------------------------------------------ #


def _truncated(valid: bytes) -> bytes:
    return valid[: len(valid) // 2]


def _no_settings(valid: bytes) -> bytes:
    data = json.loads(valid)
    del data["settings"]
    return dump_bytes(data)


def _no_schema_version(valid: bytes) -> bytes:
    data = json.loads(valid)
    for doc in data["settings"].values():
        del doc["schema_version"]
    return dump_bytes(data)


def _future_schema(valid: bytes) -> bytes:
    data = json.loads(valid)
    for doc in data["settings"].values():
        doc["schema_version"] = SCHEMA_VERSION + 1
    return dump_bytes(data)


BAD_FILES = {
    "corrupt": (lambda valid: valid.replace(b'"client": {', b'"client": {{', 1), "not valid JSON"),
    "truncated": (_truncated, "not valid JSON"),
    "empty": (lambda valid: b"", "empty"),
    "other-tinydb-file": (lambda valid: b'{"_default": {"1": {"task": "milk"}}}', "no schema_version"),
    "no-settings": (_no_settings, "no schema_version"),
    "no-schema-version": (_no_schema_version, "no schema_version"),
    "future-schema": (_future_schema, "newer rapport"),
    "not-an-object": (lambda valid: b"[]", "not a rapport data file"),
    "a-folder": (None, "folder"),
}


def make_bad(path: Path, kind: str, valid: bytes) -> None:
    spoil, _ = BAD_FILES[kind]
    if spoil is None:
        path.mkdir()
    else:
        path.write_bytes(spoil(valid))


def snapshot_of(folder: Path) -> dict[str, bytes | None]:
    """Every file under ``folder`` and its bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if not p.name.endswith(".lock")
    }


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_an_unusable_file_is_refused_never_changed_and_no_backups_is_said(tmp_path, old_state, kind):
    path = tmp_path / "rapport.json"
    make_bad(path, kind, old_state)
    before = snapshot_of(tmp_path)
    with pytest.raises(DataFileError) as caught:
        Store.open(path, clock=FixedClock(FIXED_DAY))
    message = str(caught.value)
    assert BAD_FILES[kind][1] in message
    assert str(path) in message and "it was not changed" in message
    assert "there are no backups of it yet" in message
    assert snapshot_of(tmp_path) == before


@pytest.mark.parametrize("kind", ["corrupt", "truncated", "future-schema"])
def test_the_refusal_names_the_backup_to_restore(tmp_path, old_state, kind):
    path = tmp_path / "rapport.json"
    path.write_bytes(old_state)
    backup = backups.make(path, "daily", now=FixedClock(FIXED_DAY).now())
    path.unlink()
    make_bad(path, kind, old_state)
    with pytest.raises(DataFileError) as caught:
        Store.open(path, clock=FixedClock(FIXED_DAY))
    message = str(caught.value)
    assert "1 backup(s)" in message and backup.name in message and "copy it over the data file" in message
    # and the backup it names is a usable file
    assert Store.open(backup, clock=FixedClock(FIXED_DAY)).check() == []


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("command", [["check"], ["today"], ["client", "add", "Newco"]], ids=" ".join)
def test_the_cli_refuses_an_unusable_file_in_one_line(tmp_path, old_state, run_cli, kind, command):
    path = tmp_path / "rapport.json"
    make_bad(path, kind, old_state)
    before = snapshot_of(tmp_path)
    rc, out, err = run_cli(*command, data=path)
    assert rc == 1, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("rapport: cannot use data file"), err
    assert "Traceback" not in err
    assert BAD_FILES[kind][1] in err
    assert snapshot_of(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes files whatever their mode")
@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_file_without_permission_is_refused_in_one_line(tmp_path, old_state, run_cli, where):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "rapport.json"
    path.write_bytes(old_state)
    locked = path if where == "file" else folder
    os.chmod(locked, 0)
    try:
        with pytest.raises(DataFileError, match="cannot read it"):
            Store.open(path, clock=FixedClock(FIXED_DAY))
        for command in (["check"], ["client", "add", "Newco"]):
            rc, out, err = run_cli(*command, data=path)
            assert rc == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    finally:
        os.chmod(locked, 0o700)
    assert path.read_bytes() == old_state


def test_a_path_that_cannot_be_looked_at_is_refused_not_a_crash(tmp_path, old_state, monkeypatch):
    """What a user who may not search the data file's folder gets (EACCES from
    stat). Simulated, since these tests may run as root."""
    path = tmp_path / "rapport.json"
    path.write_bytes(old_state)
    real_stat = os.stat

    def stat(target, *args, **kwargs):
        if os.fspath(target) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    with pytest.raises(DataFileError, match="Permission denied"):
        Store.open(path, clock=FixedClock(FIXED_DAY))
    monkeypatch.undo()
    assert path.read_bytes() == old_state


def test_text_that_is_not_unicode_on_the_command_line_is_refused_in_one_line(run_cli, data_path):
    """Bytes that are not UTF-8 in argv (a mangled paste over SSH) arrive as lone
    surrogates, which JSON cannot hold: one line and exit 1, not a traceback."""
    assert run_cli("client", "add", "Acme").rc == 0
    before = data_path.read_bytes()
    rc, out, err = run_cli("contact", "add", "Acme", "--note", b"caf\xe9")
    assert rc == 1, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert data_path.read_bytes() == before
