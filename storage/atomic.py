"""Crash-safe file writes: a temporary file, fsync, rename, fsync the folder.

The data file (jsonfile.py), its backups (backups.py), the summary and exports
all write through :func:`atomic_write`; folders rapport creates are private
(:func:`ensure_private_dir`). Standard library only, and no other module of
``storage``: everything may import this one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) with mode 0700.

    A folder that already exists is left as it is: we do not chmod someone's
    ``/tmp`` or home directory.
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)
            os.chmod(path, 0o700)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, payload: bytes, *, durable: bool = True) -> os.stat_result:
    """Write ``payload`` to ``path`` so that a crash leaves old or new, never half.

    Returns the stat of the new file. On any error the temporary file is removed
    and the original file is untouched. ``durable=False`` skips the fsyncs, for
    caches that can be rebuilt (a crash may then leave the old file or none).
    """
    folder = path.parent
    tmp = folder / f".{path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(folder)
    return st
