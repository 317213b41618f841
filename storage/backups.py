"""Rotating backups of the data file: before a migration or import, and daily.

Backups live in a ``backups`` folder beside the data file (mode 0700), named
``<file name>-<YYYYMMDD>-<HHMMSS>-<NN>-<reason>.json`` (``work.json-...``): the
whole file name, so ``work.json`` and ``work.old`` in one folder each have their
own backups. Backups named after the stem alone (``work-...``, from before) are
still found, as long as no other file in the folder shares that stem. The
name carries the store's clock (the
configured time zone's wall time), then a two-digit sequence that orders
backups made within the same second. So the name order is the time order, and
the newest backup by name is the newest made. The newest 14 are kept. A backup
is a byte-for-byte copy, written atomically with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
from pathlib import Path

from .atomic import atomic_write, ensure_private_dir

KEEP = 14

_NAME = re.compile(r"-(\d{8})-(\d{6})-(?:(\d{2,})-)?")


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


def _prefixes(path: Path) -> list[str]:
    """The names this file's backups start with: its whole name, and its stem
    (older backups) when no other file in the folder has that stem."""
    prefixes = [path.name]
    if path.stem != path.name:
        try:
            others = [p for p in path.parent.glob(f"{glob.escape(path.stem)}.*") if p.name != path.name]
        except OSError:
            others = []
        if not others:
            prefixes.append(path.stem)
    return prefixes


def _match(prefixes: list[str], backup: Path) -> re.Match[str] | None:
    for prefix in prefixes:
        if backup.name.startswith(prefix + "-"):
            found = _NAME.match(backup.name, len(prefix))
            if found is not None:
                return found
    return None


def _order(path: Path, backup: Path, prefixes: list[str] | None = None) -> tuple[str, str, int]:
    """When ``backup`` was made: its stamp and its sequence number (a name
    from before sequence numbers counts as the first of its second)."""
    found = _match(prefixes if prefixes is not None else _prefixes(path), backup)
    if found is None:  # pragma: no cover - the glob only lets stamped names through
        return ("", "", 0)
    return (found[1], found[2], int(found[3] or 1))


def list_backups(path: Path) -> list[Path]:
    """This data file's backups, oldest first."""
    folder = backup_dir(path)
    prefixes = _prefixes(path)
    found: list[Path] = []
    try:
        for prefix in prefixes:
            for backup in folder.glob(f"{glob.escape(prefix)}-????????-??????-*.json"):
                # "work-..." must not be "work.json-..." and the like: the stamp follows the prefix.
                if _NAME.match(backup.name, len(prefix)) and backup not in found:
                    found.append(backup)
    except OSError:
        return []
    return sorted(found, key=lambda b: _order(path, b, prefixes))


def make(path: Path, reason: str, *, now: dt.datetime) -> Path | None:
    """Copy the data file into the backup folder and rotate. None if no file.

    ``now`` is the store's clock: the name's date and time, so a backup made
    with ``--today`` carries that date.
    """

    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    stamp = now.strftime("%Y%m%d-%H%M%S")
    folder = backup_dir(path)
    ensure_private_dir(folder)
    same_second = [_order(path, b)[2] for b in list_backups(path) if _order(path, b)[:2] == tuple(stamp.split("-"))]
    sequence = max(same_second, default=0) + 1
    target = folder / f"{path.name}-{stamp}-{sequence:02d}-{reason}.json"
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
