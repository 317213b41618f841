"""Rotating backups of the data file: before a migration or import, and daily.

Backups live in a ``backups`` folder beside the data file (mode 0700), named
``<stem>-<YYYYMMDD>-<HHMMSS>-<reason>.json`` so they sort by time. The newest 14
are kept. A backup is a byte-for-byte copy, written atomically with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

KEEP = 14


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


def list_backups(path: Path) -> list[Path]:
    """This data file's backups, oldest first."""
    folder = backup_dir(path)
    try:
        return sorted(folder.glob(f"{path.stem}-????????-??????-*.json"))
    except OSError:
        return []


def make(path: Path, reason: str, *, now: dt.datetime | None = None) -> Path | None:
    """Copy the data file into the backup folder and rotate. None if no file."""
    from .jsonfile import atomic_write, ensure_private_dir

    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(path)
    ensure_private_dir(folder)
    target = folder / f"{path.stem}-{stamp}-{reason}.json"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem}-{stamp}-{reason}{counter}.json"
    atomic_write(target, payload)
    rotate(path)
    return target


def rotate(path: Path, keep: int = KEEP) -> None:
    for old in list_backups(path)[:-keep]:
        try:
            os.unlink(old)
        except OSError:
            pass


def daily(path: Path, today: dt.date) -> Path | None:
    """Make today's backup unless one exists already (any reason counts)."""
    stamp = today.strftime("%Y%m%d")
    if any(b.name[len(path.stem) + 1 :].startswith(stamp) for b in list_backups(path)):
        return None
    return make(path, "daily", now=dt.datetime.combine(today, dt.datetime.now().time()))
