"""The data file: one human-readable JSON file that is never left broken.

:class:`AtomicJSONStorage` is a TinyDB storage that keeps rapport's storage
promises (docs/rules.md):

* **Atomic commits.** The new contents go to a temporary file in the same folder,
  which is fsynced, renamed over the data file with ``os.replace`` and followed by
  an fsync of the folder. A kill at any moment leaves the old file or the new one.
* **Locked writes.** Every write happens inside :meth:`transaction`, which holds an
  exclusive ``flock`` on a lock file beside the data file, re-reads the file if
  another process changed it, lets the caller change the data, and commits once.
* **A cache between writes.** An unchanged file (same inode, size and mtime) is not
  parsed again.
* **Readable.** UTF-8 (whatever the locale), keys sorted, indented two spaces.
* **Refusal, never repair.** A file that cannot be read is never written over:
  :class:`DataFileError` says why and names the backups.

No Textual here, and nothing that prints: callers decide how to report errors.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from . import backups
from .atomic import atomic_write as atomic_write  # re-exported: the older home
from .atomic import ensure_private_dir as ensure_private_dir
from .atomic import fsync_dir as fsync_dir
from .errors import DataFileError as DataFileError  # re-exported: the older home
from .errors import StorageError as StorageError
from .i18n import N_, _

if TYPE_CHECKING:
    from .clock import Clock

Data = dict[str, dict[str, dict[str, Any]]]

_DUMP_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS

LOCK_WAIT = 5.0
"""Seconds to wait for another session's lock before giving up with a message."""




def dump_bytes(data: Any) -> bytes:
    """The exact bytes rapport writes for ``data``: sorted keys, indented, UTF-8."""
    return orjson.dumps(data, option=_DUMP_OPTIONS) + b"\n"


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


_TEMP_PID = re.compile(r"\.tmp-(\d+)-[0-9a-f]+$")


def _writer_alive(pid: int) -> bool:
    """Whether the process that named a temporary file may still be writing it."""
    if pid == os.getpid():
        return False  # this process is not mid-commit while it cleans up
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


def clean_stray_temps(path: Path) -> list[Path]:
    """Remove temporary files left by a writer that died mid-commit: the data
    file's own (``.rapport.json.tmp-PID-XXXX``) and its backups'.

    Call it while holding the lock, when any temporary file is an orphan. Files
    whose writer (the PID in the name) is still alive are kept all the same, so
    that a call made without the lock cannot break another process's commit.
    """
    candidates: list[Path] = []
    with contextlib.suppress(OSError):
        candidates += path.parent.glob(f".{glob.escape(path.name)}.tmp-*")
    with contextlib.suppress(OSError):
        candidates += backups.backup_dir(path).glob(f".{glob.escape(path.name)}-*.json.tmp-*")
        candidates += backups.backup_dir(path).glob(f".{glob.escape(path.stem)}-*.json.tmp-*")
    removed = []
    for stray in candidates:
        match = _TEMP_PID.search(stray.name)
        if match is None or _writer_alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            stray.unlink()
            removed.append(stray)
    return removed


def describe_os_error(exc: OSError) -> str:
    """One line a person can act on, for the errors a commit can meet."""
    reasons = {
        errno.ENOSPC: N_("the disk is full"),
        errno.EDQUOT: N_("the disk quota is used up"),
        errno.EROFS: N_("the file system is read-only"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("permission denied"),
        errno.EFBIG: N_("the file is larger than this process may write"),
    }
    known = reasons.get(exc.errno or 0)
    reason = _(known) if known else exc.strerror or str(exc)
    return _("could not save ({reason}); the data file was left as it was").format(reason=reason)


class AtomicJSONStorage:
    """A TinyDB storage with atomic, locked commits and an in-memory cache.

    It implements TinyDB's storage interface (``read``, ``write``, ``close``)
    without subclassing ``tinydb.Storage``, so that reading the file (``rapport
    today``) does not import TinyDB at all.

    ``validate`` is called on every freshly parsed file; it may raise
    :class:`DataFileError` (wrong schema) or return migrated data together with
    a flag saying it changed. ``clock`` (storage.clock) names the daily backup;
    without one, none is made.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        validate: Callable[[Data], Data] | None = None,
        clock: Clock | None = None,
        check_documents: Callable[[Data, Data | None, tuple[int, int, int, int]], None] | None = None,
    ) -> None:
        # A data file that is a symlink is written through to its target: the
        # path is resolved once, so the commit's rename replaces the target (not
        # the link) and the lock, backups and summary live beside the target.
        self.path = Path(os.path.realpath(path))
        self._check_documents = check_documents
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        self._validate = validate
        self._clock = clock
        self._data: Data | None = None
        self._signature: tuple[int, int, int, int] | None = None
        self._depth = 0
        self._dirty = False
        self._backed_up_on: Any = None
        self._cleaned = False
        self.generation = 0
        """Goes up whenever the data changes (a commit here or a re-read)."""
        self.known_signature: tuple[int, int, int, int] | None = None
        """A version of the file whose content is already on show without having
        read the file (the review's summary vouches for it): reading exactly that
        version for the first time is then not a change."""
        self.on_reload: Callable[[], None] | None = None
        """Called after the file was re-read because another process changed it."""
        self.on_wait: Callable[[], None] | None = None
        """Called once when the lock is held by another session and we wait."""
        self._bytes: bytes | None = None  # the version in memory as it is on disk, when known
        self.last_commit: tuple[bytes, bytes] | None = None
        """The file before and after the last commit made here (an undo's
        record: storage.core.Change); each version is bytes the file held."""

    # -- TinyDB's Storage interface ---------------------------------------- #

    def read(self) -> Data | None:
        if self._depth == 0:
            self.refresh()
        return self._data

    def write(self, data: Data) -> None:
        if self._depth == 0:
            raise RuntimeError("writes must happen inside storage.transaction()")
        self._data = data
        self._dirty = True

    def close(self) -> None:
        pass

    # -- reading ------------------------------------------------------------ #

    def exists(self) -> bool:
        """Whether there is something at the path (a file we may refuse later).

        A path that cannot even be looked at (EACCES on its folder) is refused
        here, rather than raising a bare PermissionError at the caller.
        """
        try:
            os.stat(self.path)
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError as exc:
            raise self._refusal(_("cannot read it ({error})").format(error=exc.strerror)) from None
        return True

    @property
    def loaded(self) -> bool:
        """Whether the file has been read (or written) by this process yet."""
        return self._data is not None

    @property
    def signature(self) -> tuple[int, int, int, int] | None:
        """The identity of the file version in memory: (device, inode, size, mtime_ns)."""
        return self._signature

    def changed_on_disk(self) -> bool:
        """True when the file is not the one we last read or wrote; before the
        first read, not the version on show (``known_signature``), so that the
        first read is not made at once, in one piece, as if it were news."""
        known = self._signature if self._data is not None else self.known_signature
        try:
            return _signature(os.stat(self.path)) != known
        except FileNotFoundError:
            return known is not None

    def refresh(self) -> bool:
        """Re-read the file if it changed on disk. Returns True if it was re-read."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if self._signature is not None:
                self._signature = None
                self._data = None
                self._bytes = None
                self.generation += 1
                return True
            return False
        except PermissionError as exc:
            raise self._refusal(_("cannot read it ({error})").format(error=exc.strerror)) from None
        if _signature(st) == self._signature and self._data is not None:
            return False
        had_data = self._signature is not None
        data, signature, raw = self._load()
        self._take(data, signature, had_data=had_data, raw=raw)
        return True

    def _take(self, data: Data, signature: tuple[int, int, int, int], *, had_data: bool, raw: bytes) -> None:
        """Make a version just read the one in memory. The first read of the
        version already on show (``known_signature``) is not a change."""
        self._data, self._signature, self._bytes = data, signature, raw
        if had_data or signature != self.known_signature:
            self.generation += 1
        if had_data and self.on_reload is not None:
            self.on_reload()

    def _load(self) -> tuple[Data, tuple[int, int, int, int], bytes]:
        raw, signature = self._read_bytes()
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise self._refusal(_("it is not valid JSON ({error})").format(error=exc)) from None
        return self._checked(data, signature), signature, raw

    def load_in_steps(self) -> Iterator[None]:
        """The first read of the file, a piece at a time (see pieces.py): each
        ``next()`` reads or parses about a quarter of a megabyte.

        Meant for an app that reads the file in the background: whatever reads
        the file meanwhile (``read``, a transaction) does it at once, and then
        what was read here is dropped. Raises :class:`DataFileError` as
        ``read`` would.
        """
        from . import pieces

        if self._data is not None:
            return
        chunks: list[bytes] = []
        try:
            with open(self.path, "rb") as handle:
                st = os.fstat(handle.fileno())
                while chunk := handle.read(4 * pieces.PIECE_BYTES):
                    chunks.append(chunk)
                    yield
        except OSError as exc:
            raise self._read_error(exc) from None
        raw = b"".join(chunks)
        del chunks
        self._check_not_empty(raw)
        try:
            data = yield from pieces.parse_in_pieces(raw, pieces.PIECE_BYTES)
        except orjson.JSONDecodeError as exc:
            raise self._refusal(_("it is not valid JSON ({error})").format(error=exc)) from None
        data = self._checked(data, _signature(st))
        if self._data is None:  # nothing read the file meanwhile
            self._take(data, _signature(st), had_data=False, raw=raw)

    def _read_bytes(self) -> tuple[bytes, tuple[int, int, int, int]]:
        try:
            with open(self.path, "rb") as handle:
                st = os.fstat(handle.fileno())
                raw = handle.read()
        except OSError as exc:
            raise self._read_error(exc) from None
        self._check_not_empty(raw)
        return raw, _signature(st)

    def _read_error(self, exc: OSError) -> DataFileError:
        if isinstance(exc, IsADirectoryError):
            return self._refusal(_("it is a folder, not a file"))
        return self._refusal(_("cannot read it ({error})").format(error=exc.strerror))

    def _check_not_empty(self, raw: bytes) -> None:
        if not raw or raw.isspace():  # as "not raw.strip()", without copying the file
            raise self._refusal(_("it is empty"))

    def _checked(self, data: Any, signature: tuple[int, int, int, int]) -> Data:
        """``data`` if it has the shape of a rapport file (after ``validate``),
        and its documents pass ``check_documents`` (given the version in memory
        before, so that only what changed need be checked again)."""
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise self._refusal(_("it is JSON, but not a rapport data file"))
        if self._validate is not None:
            try:
                data = self._validate(data)
            except DataFileError as exc:
                raise self._refusal(str(exc)) from None
        if self._check_documents is not None:
            try:
                self._check_documents(data, self._data, signature)
            except DataFileError as exc:
                raise self._refusal(str(exc)) from None
        checked: Data = data
        return checked

    def _refusal(self, why: str) -> DataFileError:
        return DataFileError(refusal_message(self.path, why))

    # -- writing ------------------------------------------------------------ #

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the write lock, start from the file's current contents, commit once.

        Nested transactions join the outer one. If the body raises, nothing is
        written and the in-memory copy is dropped (the next read re-parses the
        file), so a failed change never lingers on screen as if it were saved.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        lock = self._acquire_lock()
        try:
            if not self._cleaned:
                # What a writer killed mid-commit left behind; once per session
                # is enough, and only under the lock is every temp an orphan.
                clean_stray_temps(self.path)
                self._cleaned = True
            self.refresh()
            self._depth = 1
            self._dirty = False
            before = self._bytes
            if before is None and self._data is not None:
                before = dump_bytes(self._data)
            try:
                yield
                if self._dirty:
                    self._commit()
                    assert self._bytes is not None
                    self.last_commit = (before, self._bytes) if before is not None else None
            except BaseException:
                self._forget()
                raise
            finally:
                self._depth = 0
                self._dirty = False
        finally:
            self.release_lock(lock)

    @staticmethod
    def release_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def lock_is_free(self) -> bool:
        """Whether no other session holds the write lock now (not waited for,
        not kept): an app can say it will wait before it does."""
        try:
            fd = os.open(self.lock_path, os.O_RDWR)
        except FileNotFoundError:
            return True
        except OSError as exc:
            raise StorageError(describe_os_error(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            raise StorageError(describe_os_error(exc)) from None
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
        finally:
            os.close(fd)

    def _acquire_lock(self) -> int:
        """The exclusive lock, waited for at most :data:`LOCK_WAIT` seconds.

        Another session holds it for the few milliseconds of a commit; one that
        holds it longer is stuck (stopped with ^Z, or hung on a network drive),
        and waiting for ever would freeze this session with no word why."""
        import time

        ensure_private_dir(self.path.parent)
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageError(describe_os_error(exc)) from None
        deadline = time.monotonic() + LOCK_WAIT
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                pass
            except OSError as exc:
                os.close(fd)
                raise StorageError(describe_os_error(exc)) from None
            if not told and self.on_wait is not None:
                told = True
                self.on_wait()
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StorageError(
                    _("waiting for another rapport session: it has held the data file's lock for {seconds} s; "
                      "nothing was saved, try again when it is done").format(seconds=f"{LOCK_WAIT:g}")
                )
            time.sleep(0.02)

    def _forget(self) -> None:
        """Drop the cache: the next read parses the file on disk again."""
        self._data = None
        self._signature = None
        self._bytes = None
        self.generation += 1

    def _commit(self) -> None:
        assert self._data is not None
        try:
            payload = dump_bytes(self._data)
        except orjson.JSONEncodeError as exc:
            # e.g. bytes that are not UTF-8 typed in a terminal set to another
            # encoding, which Python hands over as lone surrogates
            raise StorageError(
                _("could not save (some text is not valid Unicode: {error}); the data file was left as it was").format(
                    error=exc)
            ) from None
        self._refuse_read_only()
        try:
            if self._clock is not None and self._signature is not None:
                now = self._clock.now()
                if now.date() != self._backed_up_on:
                    backups.daily(self.path, now)
                    self._backed_up_on = now.date()
            atomic_write(self.path, payload)
        except OSError as exc:
            raise StorageError(describe_os_error(exc)) from None
        self._signature = _signature(os.stat(self.path))
        self._bytes = payload
        self.generation += 1

    def _refuse_read_only(self) -> None:
        """A data file made read-only (``chmod a-w``) is not written over.

        Renaming a new file over it would succeed whatever its mode, so the
        mode is checked here; the owner-write bit counts even for root.
        """
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError(describe_os_error(exc)) from None
        if not st.st_mode & 0o222 or not os.access(self.path, os.W_OK):
            raise StorageError(
                _("could not save ({path} is read-only; 'chmod u+w' it to allow changes); "
                  "the data file was left as it was").format(path=self.path)
            )

    def replace_all(self, data: Data) -> None:
        """Inside a transaction: make ``data`` the whole new contents."""
        self.write(data)


def refusal_message(path: Path, why: str) -> str:
    """The one-line refusal for an unusable data file, naming the newest backup."""
    found = backups.list_backups(path)
    if found:
        newest = found[-1]
        return _("cannot use data file {path}: {why}; it was not changed. {n} backup(s) in {folder}, newest "
                 "{name}: check it with 'rapport --data {backup} check', then copy it over the data file").format(
            path=path, why=why, n=len(found), folder=newest.parent, name=newest.name, backup=newest)
    return _("cannot use data file {path}: {why}; it was not changed, and there are no backups of it yet").format(
        path=path, why=why)
