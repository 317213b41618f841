"""Rotating backups of the data file: before a migration or import, and daily.

Backups live in a ``backups`` folder beside the data file (mode 0700), named
``<stem>-<YYYYMMDD>-<HHMMSS>-<NN>-<reason>.json``: the store's clock (the
configured time zone's wall time), then a two-digit sequence that orders
backups made within the same second. So the name order is the time order, and
the newest backup by name is the newest made. The newest 14 are kept. A backup
is a byte-for-byte copy, written atomically with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

KEEP = 14

_NAME = re.compile(r"-(\d{8})-(\d{6})-(?:(\d{2,})-)?")


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


def _order(path: Path, backup: Path) -> tuple[str, str, int]:
    """When ``backup`` was made: its stamp and its sequence number (a name
    from before sequence numbers counts as the first of its second)."""
    found = _NAME.match(backup.name, len(path.stem))
    if found is None:  # pragma: no cover - the glob only lets stamped names through
        return ("", "", 0)
    return (found[1], found[2], int(found[3] or 1))


def list_backups(path: Path) -> list[Path]:
    """This data file's backups, oldest first."""
    folder = backup_dir(path)
    try:
        found = [b for b in folder.glob(f"{path.stem}-????????-??????-*.json") if _NAME.match(b.name, len(path.stem))]
    except OSError:
        return []
    return sorted(found, key=lambda b: _order(path, b))


def make(path: Path, reason: str, *, now: dt.datetime) -> Path | None:
    """Copy the data file into the backup folder and rotate. None if no file.

    ``now`` is the store's clock: the name's date and time, so a backup made
    with ``--today`` carries that date.
    """
    from .jsonfile import atomic_write, ensure_private_dir

    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    stamp = now.strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(path)
    ensure_private_dir(folder)
    same_second = [_order(path, b)[2] for b in list_backups(path) if b.name.startswith(f"{path.stem}-{stamp}-")]
    sequence = max(same_second, default=0) + 1
    target = folder / f"{path.stem}-{stamp}-{sequence:02d}-{reason}.json"
    atomic_write(target, payload)
    rotate(path)
    return target


def rotate(path: Path, keep: int = KEEP) -> None:
    for old in list_backups(path)[:-keep]:
        try:
            os.unlink(old)
        except OSError:
            pass


def daily(path: Path, now: dt.datetime) -> Path | None:
    """Make today's backup unless one exists already (any reason counts)."""
    day = now.strftime("%Y%m%d")
    if any(_order(path, b)[0] == day for b in list_backups(path)):
        return None
    return make(path, "daily", now=now)
