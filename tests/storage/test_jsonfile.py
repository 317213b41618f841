"""AtomicJSONStorage on its own: the bytes it writes, atomic commits, the lock,
the cache, and refusing files it cannot use. Assertions are on the file on disk."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage import backups
from storage.jsonfile import (
    AtomicJSONStorage,
    DataFileError,
    StorageError,
    atomic_write,
    clean_stray_temps,
    describe_os_error,
    dump_bytes,
    ensure_private_dir,
)

SAMPLE = {"client": {"1": {"id": "client-1", "name": "Zoë Ünal", "b": 1, "a": [1, 2]}}, "settings": {}}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp-*"))


# -- the bytes ---------------------------------------------------------------- #


def test_dump_bytes_is_sorted_indented_utf8_with_final_newline():
    raw = dump_bytes({"b": 1, "a": {"z": "Zoë 🙂 مرحبا", "y": None}})
    assert raw == (
        '{\n  "a": {\n    "y": null,\n    "z": "Zoë 🙂 مرحبا"\n  },\n  "b": 1\n}\n'
    ).encode()
    assert b"\\u" not in raw


def test_atomic_write_writes_exact_bytes_with_mode_0600_whatever_the_umask(tmp_path):
    target = tmp_path / "data.json"
    old = os.umask(0)
    try:
        atomic_write(target, b"first\n")
        assert mode(target) == 0o600
        atomic_write(target, b"second\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"second\n"
    assert mode(target) == 0o600
    assert temps(tmp_path) == []


def test_atomic_write_that_fails_at_the_rename_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "data.json"
    target.write_bytes(b"old\n")

    def refuse(src, dst):
        raise OSError(errno.EXDEV, "cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        atomic_write(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert temps(tmp_path) == []


def test_ensure_private_dir_creates_every_missing_parent_0700_and_leaves_existing_ones(tmp_path):
    os.chmod(tmp_path, 0o755)
    old = os.umask(0)
    try:
        ensure_private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    assert mode(tmp_path) == 0o755
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert folder.is_dir() and mode(folder) == 0o700


def dead_pid() -> int:
    """The PID of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_stray_temps_removes_only_this_files_orphans(tmp_path):
    data = tmp_path / "rapport.json"
    data.write_bytes(b"{}")
    dead = dead_pid()
    (tmp_path / f".rapport.json.tmp-{dead}-abcd").write_bytes(b"half")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / f".rapport-20261127-090000-daily.json.tmp-{dead}-abcd").write_bytes(b"half")
    (tmp_path / "backups" / "rapport-20261126-090000-daily.json").write_bytes(b"{}")
    (tmp_path / f".other.json.tmp-{dead}-abcd").write_bytes(b"not ours")
    (tmp_path / ".rapport.json.lock").write_bytes(b"")
    removed = clean_stray_temps(data)
    assert sorted(p.name for p in removed) == [
        f".rapport-20261127-090000-daily.json.tmp-{dead}-abcd", f".rapport.json.tmp-{dead}-abcd"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".other.json.tmp-{dead}-abcd", ".rapport.json.lock", "backups", "rapport.json"
    ]
    assert [p.name for p in (tmp_path / "backups").iterdir()] == ["rapport-20261126-090000-daily.json"]


def test_clean_stray_temps_keeps_the_temp_of_a_writer_that_is_alive(tmp_path):
    data = tmp_path / "rapport.json"
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        in_flight = tmp_path / f".rapport.json.tmp-{alive.pid}-abcd"
        in_flight.write_bytes(b"being written")
        assert clean_stray_temps(data) == []
        assert in_flight.exists()
    finally:
        alive.kill()
        alive.wait()
    assert clean_stray_temps(data) == [in_flight]


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EFBIG, "larger"), (errno.EACCES, "permission")],
)
def test_describe_os_error_is_one_actionable_line(code, words):
    text = describe_os_error(OSError(code, os.strerror(code)))
    assert words in text and "left as it was" in text and "\n" not in text


# -- transactions ------------------------------------------------------------- #


def storage_on(path: Path) -> AtomicJSONStorage:
    return AtomicJSONStorage(path)


def test_commit_writes_the_whole_file_once_and_a_second_instance_reads_it(tmp_path):
    path = tmp_path / "rapport.json"
    one = storage_on(path)
    with one.transaction():
        one.write(json.loads(json.dumps(SAMPLE)))
    assert path.read_bytes() == dump_bytes(SAMPLE)
    assert mode(path) == 0o600
    assert mode(one.lock_path) == 0o600
    assert storage_on(path).read() == SAMPLE


def test_write_outside_a_transaction_is_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "rapport.json"
    with pytest.raises(RuntimeError):
        storage_on(path).write(SAMPLE)
    assert not path.exists()


def test_a_failing_transaction_writes_nothing_and_forgets_its_change(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    before = path.read_bytes()
    storage = storage_on(path)
    with pytest.raises(ZeroDivisionError):
        with storage.transaction():
            data = storage.read()
            data["client"]["1"]["name"] = "changed"
            storage.write(data)
            raise ZeroDivisionError  # anything that breaks off the transaction
    assert path.read_bytes() == before
    assert storage.read()["client"]["1"]["name"] == "Zoë Ünal"


def test_nested_transactions_commit_once_at_the_end(tmp_path, monkeypatch):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = storage_on(path)
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append(b), real_replace(a, b)))
    with storage.transaction():
        with storage.transaction():
            data = storage.read()
            data["client"]["1"]["b"] = 2
            storage.write(data)
        assert json.loads(path.read_bytes())["client"]["1"]["b"] == 1  # not yet
        data = storage.read()
        data["client"]["1"]["b"] = 3
        storage.write(data)
    assert replaced == [path]
    assert json.loads(path.read_bytes())["client"]["1"]["b"] == 3


def test_a_transaction_that_changes_nothing_does_not_rewrite_the_file(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    before = os.stat(path)
    storage = storage_on(path)
    with storage.transaction():
        storage.read()
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_change_made_by_another_writer_is_picked_up_and_not_lost(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    one, two = storage_on(path), storage_on(path)
    reloads = []
    one.on_reload = lambda: reloads.append(True)
    assert one.read() == SAMPLE
    with two.transaction():
        data = two.read()
        data["client"]["2"] = {"id": "client-2", "name": "Second"}
        two.write(data)
    # `one` still holds the old version in memory; its next write must start
    # from the file on disk, so client-2 survives.
    with one.transaction():
        data = one.read()
        data["client"]["3"] = {"id": "client-3", "name": "Third"}
        one.write(data)
    assert reloads == [True]
    on_disk = json.loads(path.read_bytes())
    assert sorted(on_disk["client"]) == ["1", "2", "3"]


def test_the_write_lock_is_exclusive_across_processes(tmp_path):
    """While a transaction is open, another process cannot take the lock."""
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = storage_on(path)
    probe = textwrap.dedent(
        f"""
        import fcntl, os, sys
        fd = os.open({str(storage.lock_path)!r}, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.exit(3)
        sys.exit(0)
        """
    )
    with storage.transaction():
        held = subprocess.run([sys.executable, "-c", probe], timeout=30).returncode
    free = subprocess.run([sys.executable, "-c", probe], timeout=30).returncode
    assert (held, free) == (3, 0)


def test_an_os_error_while_writing_raises_storage_error_and_leaves_the_file(tmp_path, monkeypatch):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    before = path.read_bytes()
    storage = storage_on(path)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StorageError, match="disk is full"):
        with storage.transaction():
            data = storage.read()
            data["client"]["1"]["name"] = "lost?"
            storage.write(data)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert temps(tmp_path) == []
    assert storage.read()["client"]["1"]["name"] == "Zoë Ünal"


def test_a_read_only_data_file_is_not_written_over(tmp_path):
    """docs/rules.md: "a read-only file leaves the file as it was ... and says what
    went wrong". Renaming over a file ignores its mode, so the storage has to check."""
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    os.chmod(path, 0o444)
    before = path.read_bytes()
    storage = storage_on(path)
    with pytest.raises(StorageError, match="read-only"):
        with storage.transaction():
            data = storage.read()
            data["client"]["1"]["name"] = "changed"
            storage.write(data)
    assert path.read_bytes() == before
    assert mode(path) == 0o444
    assert temps(tmp_path) == []


# -- reading and refusing ----------------------------------------------------- #


def test_an_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = storage_on(path)
    first = storage.read()
    generation = storage.generation
    assert storage.refresh() is False
    assert storage.read() is first and storage.generation == generation
    atomic_write(path, dump_bytes({**SAMPLE, "job": {}}))
    assert storage.refresh() is True
    assert "job" in storage.read()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b'{"client": {"1": {"id": "client-1"', "not valid JSON"),
        (b"[1, 2, 3]", "not a rapport data file"),
        (b'{"client": [1, 2]}', "not a rapport data file"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_unusable_content_is_refused_with_a_reason_and_never_changed(tmp_path, content, why):
    path = tmp_path / "rapport.json"
    path.write_bytes(content)
    storage = storage_on(path)
    with pytest.raises(DataFileError) as caught:
        storage.read()
    message = str(caught.value)
    assert why in message and str(path) in message
    assert "no backups" in message
    with pytest.raises(DataFileError):
        with storage.transaction():
            storage.write({"client": {}})
    assert path.read_bytes() == content


def test_the_refusal_names_the_newest_backup_and_how_to_restore_it(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    import datetime as dt

    backups.make(path, "daily", now=dt.datetime(2026, 11, 25, 9, 0, 0))
    newest = backups.make(path, "daily", now=dt.datetime(2026, 11, 26, 9, 0, 0))
    path.write_bytes(b"{broken")
    with pytest.raises(DataFileError) as caught:
        storage_on(path).read()
    message = str(caught.value)
    assert "2 backup(s)" in message and newest.name in message
    assert f"rapport --data {newest} check" in message
    assert "\n" not in message
    assert path.read_bytes() == b"{broken"


def test_a_folder_in_place_of_the_file_is_refused(tmp_path):
    path = tmp_path / "rapport.json"
    path.mkdir()
    with pytest.raises(DataFileError, match="folder"):
        storage_on(path).read()
    assert path.is_dir() and list(path.iterdir()) == []
