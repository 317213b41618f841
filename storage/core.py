"""The store's core: the data file as TinyDB tables, transactions and ids.

One :class:`StoreCore` per data file: opening (initialise, migrate, check), the
atomic, locked transaction every change runs in, our own ids from counters in
the settings document, typed get/insert/save, edits against the version a form
read (:class:`EditConflict`), the settings, and the review's summary. The
workflows (storage/workflows/) build on it; :class:`storage.store.Store`
composes them.

Ids are our own strings (``client-12``), handed out from counters kept in the
settings document, so they are never reused; TinyDB's ``doc_id`` is an internal
detail that is reused after a delete and is never shown or referred to.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator, MutableMapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Self, TypeVar

from tinydb import TinyDB, where
from tinydb.table import Document as TinyDocument
from tinydb.table import Table

from . import backups, summary
from .clock import Clock, SystemClock, stamp
from .errors import DataFileError, NotFound, StorageError, ValidationError
from .i18n import _, ngettext
from .jsonfile import (
    AtomicJSONStorage,
    Data,
    atomic_write,
    clean_stray_temps,
    describe_os_error,
    dump_bytes,
)
from .migrations import migrate, schema_version_of
from .models import SCHEMA_VERSION, TABLES, Document, Settings
from .paths import default_data_path
from .schema import check_document, problems_in
from .snapshot import Snapshot
from .text import one_line
from .undo import Edit, Undo, undone

D = TypeVar("D", bound=Document)


class _IntKeys(MutableMapping[int, Any]):
    """TinyDB's view of one stored table: integer doc_ids over the JSON's string keys.

    TinyDB's stock ``Table._update_table`` converts every key of the table to
    int and back on every write, O(n) per insert (a tenth of a commit on the
    large data set). This view converts only the keys it touches.
    """

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def __getitem__(self, key: int) -> Any:
        return self.raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self.raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self.raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self.raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self.raw))

    def __len__(self) -> int:
        return len(self.raw)


class _Table(Table):
    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
        raw = tables.setdefault(self.name, {})
        updater(_IntKeys(raw))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()


class _Database(TinyDB):
    table_class = _Table


class EditConflict(ValidationError):
    """An edit of a field that another session changed since the form read it.

    A ValidationError naming the field, so a form shows it beside the field
    and stays open; the message shows both values."""

    def __init__(self, field: str, theirs: Any, ours: Any) -> None:
        self.theirs, self.ours = theirs, ours
        super().__init__(
            field,
            _("was changed in another session meanwhile: it is now {theirs}; yours is {ours}. "
              "keep one of them and save again").format(theirs=_shown(theirs), ours=_shown(ours)),
        )

    def rebased(self, base: D) -> D:
        """``base`` as if read after the other session's change to this field
        alone: a form keeps it, so saving again (now that both values were
        shown) stores the value it then holds."""
        return base.replace(**{self.field: self.theirs})


def _shown(value: Any) -> str:
    """A field's value for a conflict message: one line, cut."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        value = format(value, "f")
    text = one_line(str(value))
    return repr(text if len(text) <= 60 else text[:59] + "\u2026")


def changed_fields(current: D, base: D | None, changes: dict[str, Any]) -> dict[str, Any]:
    """The part of ``changes`` to apply to ``current``, the version on disk, for
    a form that read ``base``: only the fields the user changed (a value equal
    to the one read is left as it is now). A field changed both here and in
    another session meanwhile raises :class:`EditConflict`. Without ``base``,
    every change is applied."""
    if base is None:
        return dict(changes)
    kept: dict[str, Any] = {}
    for name, ours in changes.items():
        read = getattr(base, name)
        if ours == read:
            continue  # not touched in this form: whatever is on disk now stands
        now = getattr(current, name)
        if now != read and now != ours:
            raise EditConflict(name, now, ours)
        kept[name] = ours
    return kept


@dataclasses.dataclass
class Deleted:
    """What a delete removed, so the session can undo it."""

    docs: dict[str, list[dict[str, Any]]]
    label: str


class StoreCore:
    """rapport's documents on one data file: transactions, ids, typed access.
    Build with :meth:`open`."""
    """rapport's documents on one data file. Build with :meth:`open`."""

    def __init__(self, path: Path, *, clock: Clock | None = None, strict: bool = True) -> None:
        self.path = Path(os.path.realpath(path))  # a symlink is followed once (jsonfile.py)
        self.clock: Clock = clock or SystemClock(self.timezone)
        """The one clock (storage.clock): every date and time the store writes."""
        self._zone_seen: str | None = None
        self.strict = strict
        self.storage = AtomicJSONStorage(
            self.path, validate=_check_version, clock=self.clock,
            check_documents=self._check_documents if strict else None,
        )
        self.db = _Database(storage=lambda: self.storage)
        self.storage.on_reload = self._rebuild_tables
        self._snapshot: Snapshot | None = None
        self._snapshot_generation = -1
        self._quick: summary.SummarySnapshot | None = None  # the summary's snapshot, for the file version it names
        self._summary_for: tuple[int, ...] | None = None

    # -- opening ------------------------------------------------------------ #

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        clock: Clock | None = None,
        lazy: bool = False,
        strict: bool = True,
    ) -> Self:
        """Open (and, with ``create``, initialise) the data file.

        Raises :class:`DataFileError` for a file that cannot be used; it is left
        exactly as it was. An older schema is backed up, then migrated.

        With ``lazy``, a file that has an up-to-date summary (summary.py) is not
        read yet: the summary proves that this very version of the file was read
        and found valid. The first frame of the TUI draws from the summary.
        """
        store = cls(Path(path) if path is not None else default_data_path(), clock=clock, strict=strict)
        if lazy and store.storage.exists():
            if store._current_summary() is not None:
                return store
        if not store.storage.exists():
            if not create:
                raise DataFileError(
                    _("no data file at {path}; 'rapport demo' or 'rapport client add' creates one").format(
                        path=store.path))
            store._initialise()
        else:
            store.storage.refresh()
            version = schema_version_of(store.storage.read() or {})
            if version is not None and version < SCHEMA_VERSION:
                store._migrate()
        return store

    @staticmethod
    def write_new(path: str | os.PathLike[str], data: Data, *, now: dt.datetime) -> None:
        """Replace whatever is at ``path`` with ``data`` (e.g. a demo set).

        Whatever was there, readable or not, is backed up byte for byte first,
        in a backup named after ``now`` (the run's clock).
        """
        storage = AtomicJSONStorage(Path(path))
        lock = storage._acquire_lock()
        try:
            clean_stray_temps(storage.path)
            backups.make(storage.path, "replaced", now=now)
            atomic_write(storage.path, dump_bytes(data))
        except OSError as exc:
            raise StorageError(describe_os_error(exc)) from None
        finally:
            storage.release_lock(lock)

    def _initialise(self) -> None:
        with self.transaction():
            if self.storage.read():  # another process created it meanwhile
                return
            now = stamp(self.clock.now())
            data: Data = {name: {} for name in TABLES}
            data["settings"]["1"] = Settings(id="settings", created_at=now, updated_at=now).to_doc()
            self.storage.replace_all(data)  # no templates: the shipped files serve until one is edited

    def _migrate(self) -> None:
        with self.transaction():
            data = self.storage.read() or {}
            version = schema_version_of(data)
            if version is None or version >= SCHEMA_VERSION:
                return
            now = self.clock.now()
            backups.make(self.path, f"pre-migration-v{version}", now=now)
            self.storage.replace_all(migrate(data, version, stamp(now)))

    def _check_documents(self, data: Data, previous: Data | None, signature: tuple[int, ...]) -> None:
        """Refuse a file whose documents break the schema (a hand-edited file).

        Only what changed since the version in memory is checked again; and a
        first read of the very version an up-to-date summary describes is not
        checked again, since the summary is only ever made from a checked file
        (summary.py). An older schema is checked after its migration."""
        if schema_version_of(data) != SCHEMA_VERSION:
            return
        if previous is None:
            quick = summary.load(self.path)
            if quick is not None and quick.source == tuple(signature):
                return
        problems = problems_in(data, previous)
        if problems:
            if len(problems) == 1:
                raise DataFileError(_("{first}; 'rapport check' lists every problem").format(first=problems[0]))
            raise DataFileError(ngettext(
                "{first} (and {n} more); 'rapport check' lists every problem",
                "{first} (and {n} more); 'rapport check' lists every problem", len(problems) - 1,
            ).format(first=problems[0], n=len(problems) - 1))

    def _rebuild_tables(self) -> None:
        # TinyDB tables cache their next doc_id and query results; after another
        # process rewrote the file, start from fresh table objects.
        self.db = _Database(storage=lambda: self.storage)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic, locked change; nested calls join the outer one."""
        with self.storage.transaction():
            yield

    def refresh(self) -> bool:
        """Pick up another process's changes. True if the file had changed."""
        return self.storage.refresh()

    @property
    def generation(self) -> int:
        """Goes up whenever the data may differ from what was read before: a
        commit, or another process's change. Screens redraw when it moves."""
        return self.storage.generation

    def review_snapshot(self) -> Snapshot:
        """Enough for the daily review: the summary while the whole file has not
        been read (a lazy open), else the full snapshot."""
        if not self.storage.loaded:
            quick = self._current_summary()
            if quick is not None:
                return quick
        return self.snapshot()

    def _current_summary(self) -> Snapshot | None:
        """The summary if it describes the data file as it is on disk now.

        Parsed once per file version: before the first full read, the app asks
        for the settings and the review several times, and each would otherwise
        read and parse the summary again."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if self._quick is None or self._quick.source != identity:
            self._quick = summary.load(self.path)
        if self._quick is None or self._quick.source != identity:
            return None
        if not self.storage.loaded:
            # What is drawn from the summary is this version of the file: reading
            # the whole of it later is not a change to redraw for.
            self.storage.known_signature = identity
        return self._quick

    def write_summary(self) -> None:
        """Bring the summary up to date with what is in memory, if it is stale.

        Remembers the file version it last found or made a summary for, so the
        app's calls after each change cost nothing when there is nothing to do."""
        if not self.strict or not self.storage.loaded or self.storage.signature == self._summary_for:
            return
        if summary.load(self.path) is None:
            summary.write(self.path, self.storage.read() or {}, self.storage.signature)
        self._summary_for = self.storage.signature

    def snapshot(self) -> Snapshot:
        """All documents as models, rebuilt only when the data changed."""
        self.storage.refresh()
        if self._snapshot is None or self._snapshot_generation != self.storage.generation:
            self._snapshot = Snapshot(self.storage.read() or {})
            self._snapshot_generation = self.storage.generation
        return self._snapshot

    def today(self) -> dt.date:
        """Today where the user lives, by the store's clock."""
        return self.clock.today()

    def timezone(self) -> str | None:
        """The settings' time zone (None: the machine's), for the clock.

        The last one read stands while the file cannot be read, so "today"
        never fails with the file."""
        try:
            self._zone_seen = self.review_snapshot().settings.timezone or None
        except (DataFileError, StorageError):
            pass
        return self._zone_seen

    # -- generic document access ------------------------------------------- #

    def _table(self, model: type[Document]) -> Table:
        return self.db.table(model.TABLE)

    def _settings_doc(self) -> TinyDocument:
        docs = self._table(Settings).all()
        if not docs:
            raise DataFileError(_("{path} has no settings document").format(path=self.path))
        return docs[0]

    def _next_number(self, key: str, floor: int = 0) -> int:
        settings = self._settings_doc()
        counters = dict(settings.get("counters") or {})
        number = max(int(counters.get(key, 0)), floor) + 1
        counters[key] = number
        self._table(Settings).update({"counters": counters}, doc_ids=[settings.doc_id])
        return number

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{self._next_number(prefix)}"

    def get(self, model: type[D], doc_id: str) -> D:
        """The current stored version of one document."""
        doc = self._table(model).get(where("id") == doc_id)
        if doc is None:
            raise NotFound(_("no {table} with id {id!r}").format(table=model.TABLE, id=doc_id))
        return model.from_doc(dict(doc))

    def all(self, model: type[D]) -> list[D]:
        return [model.from_doc(dict(doc)) for doc in self._table(model).all()]

    def _insert(self, doc: D) -> D:
        doc.validate()
        with self.transaction():
            now = stamp(self.clock.now())
            doc = doc.replace(id=self._new_id(doc.PREFIX), created_at=now, updated_at=now)
            check_document(doc)
            self._table(type(doc)).insert(doc.to_doc())
        return doc

    def _save(self, doc: D) -> D:
        """Store a changed document over its current version."""
        doc.validate()
        with self.transaction():
            doc = doc.replace(updated_at=stamp(self.clock.now()))
            check_document(doc)
            updated = self._table(type(doc)).update(doc.to_doc(), where("id") == doc.id)
            if not updated:
                raise NotFound(_("no {table} with id {id!r}").format(table=doc.TABLE, id=doc.id))
        return doc

    def _change(self, model: type[D], doc_id: str, **changes: Any) -> D:
        """Re-read one document under the lock, change some fields, save it."""
        with self.transaction():
            return self._save(self.get(model, doc_id).replace(**changes))

    def edit(self, model: type[D], doc_id: str, changes: dict[str, Any], *, base: D | None = None) -> D:
        """Save a form's ``changes`` to one document: only the fields changed
        since ``base`` (the version the form read), inside the locked
        transaction; a field another session changed meanwhile is refused
        (:class:`EditConflict`). Clients, settings and invoices have their own
        rules: use ``update_client``, ``update_settings``, ``update_invoice``."""
        with self.transaction():
            current = self.get(model, doc_id)
            kept = changed_fields(current, base, changes)
            if not kept:
                return current
            return self._save(current.replace(**kept))

    # -- undo ----------------------------------------------------------------- #

    def take_change(self) -> Undo | None:
        """The last change committed through this store, handed out once: the
        app keeps it for ``u`` (and :meth:`undo`). None when nothing was
        committed since it was last taken, or the commit changed nothing."""
        pair = self.storage.last_commit
        self.storage.last_commit = None
        if pair is None or pair[0] == pair[1]:  # a save that left every byte as it was
            return None
        return Undo(*pair)

    def undo(self, change: Undo) -> list[Edit]:
        """Take ``change`` back: every document it inserted, altered or removed
        is put back as it was before, in one locked transaction against the
        file as it is now. Refused (:class:`storage.undo.UndoConflict`, a
        UserError) when another session changed one of those documents since,
        or (a UserError) when putting them back would break a reference made
        since; nothing is changed then. The id counters are not taken back.
        Returns what was put back."""
        edits = change.documents()
        with self.transaction():
            data = self.storage.read() or {}
            restored = undone(data, edits)
            problems = problems_in(restored, data)
            if problems:
                raise StorageError(_("cannot undo: {first}; nothing was undone").format(first=problems[0]))
            self.storage.replace_all(restored)
            self._rebuild_tables()
        return edits

    # -- settings ----------------------------------------------------------- #

    def settings(self) -> Settings:
        return self.review_snapshot().settings

    def update_settings(self, *, base: Settings | None = None, **changes: Any) -> Settings:
        """Change some settings; with ``base`` (what the form read), only the
        fields changed since, refusing one another session changed meanwhile."""
        changes.pop("counters", None)
        changes.pop("schema_version", None)
        with self.transaction():
            current = Settings.from_doc(dict(self._settings_doc()))
            kept = changed_fields(current, base, changes)
            if not kept and base is not None:
                return current
            return self._save(current.replace(**kept))

def _check_version(data: Data) -> Data:
    """Refuse files rapport cannot read; pass older schemas on for migration."""
    version = schema_version_of(data)
    if version is None:
        raise DataFileError(_("it has no schema_version in its settings: not a rapport data file"))
    if version > SCHEMA_VERSION:
        raise DataFileError(
            _("it was written by a newer rapport (schema {version}; this one reads up to {newest})").format(
                version=version, newest=SCHEMA_VERSION)
        )
    if version < 1:
        raise DataFileError(_("schema version {version} is not one rapport ever wrote").format(version=version))
    return data


