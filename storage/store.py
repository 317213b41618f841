"""The store: rapport's documents in TinyDB, on the atomic, locked data file.

Screens and commands never write files; they call the methods here. Each method
is one transaction: it takes the write lock, starts from what is on disk now (so a
change another process made a moment ago is kept), validates, applies the change
and commits once. When a method returns, the change is on disk.

Ids are our own strings (``client-12``), handed out from counters kept in the
settings document, so they are never reused; TinyDB's ``doc_id`` is an internal
detail that is reused after a delete and is never shown or referred to.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, MutableMapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB, where
from tinydb.table import Table

from . import backups
from .clock import Clock, SystemClock, stamp
from .jsonfile import AtomicJSONStorage, Data, DataFileError, StorageError
from .paths import default_data_path
from .snapshot import NotFound, Snapshot, resolve_client
from .scheduler import chase, final_notice_days_of, ladder_of, invoice_promise_text, period_words, to_invoice_due_on
from .migrations import cover_existing_ids, migrate, schema_version_of
from .models import (
    MODELS,
    SCHEMA_VERSION,
    TABLES,
    Change,
    ChangeStatus,
    Client,
    ClientStatus,
    Contact,
    ContactKind,
    Document,
    Invoice,
    InvoiceStatus,
    InvoicingRule,
    Job,
    JobStatus,
    LineItem,
    Payment,
    Person,
    Promise,
    PromiseStatus,
    Rate,
    RateStatus,
    Reminder,
    Retainer,
    Settings,
    Template,
    Channel,
)
from .schema import check_document, problems_in
from .values import ValidationError, money_str, parse_money

D = TypeVar("D", bound=Document)

__all__ = ["Store", "Snapshot", "NotFound", "DataFileError", "StorageError", "ValidationError", "EditConflict"]


_PERIOD = re.compile(r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$")

class ReminderNotDue(ValidationError):
    """A reminder the ladder does not call for today. Its text is the one line
    to show: "reminder 2 is due on 2026-12-08", "final notice sent: escalate
    after 2026-12-11"."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.field = "reminder"
        self.message = message


class _IntKeys(MutableMapping):
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
            f"was changed in another session meanwhile: it is now {_shown(theirs)}; yours is {_shown(ours)}. "
            "keep one of them and save again",
        )

    def rebased(self, base: D) -> D:
        """``base`` as if read after the other session's change to this field
        alone: a form keeps it, so saving again (now that both values were
        shown) stores the value it then holds."""
        return base.replace(**{self.field: self.theirs})


def _shown(value: Any) -> str:
    """A field's value for a conflict message: one line, cut."""
    from .text import one_line

    if value is None or value == "":
        return "(empty)"
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


class Store:
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
        self._quick: Any = None  # the summary's snapshot, for the file version it names
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
    ) -> Store:
        """Open (and, with ``create``, initialise) the data file.

        Raises :class:`DataFileError` for a file that cannot be used; it is left
        exactly as it was. An older schema is backed up, then migrated.

        With ``lazy``, a file that has an up-to-date summary (summary.py) is not
        read yet: the summary proves that this very version of the file was read
        and found valid. The first frame of the TUI draws from the summary.
        """
        store = cls(Path(path) if path is not None else default_data_path(), clock=clock)
        if lazy and store.storage.exists():
            if store._current_summary() is not None:
                return store
        if not store.storage.exists():
            if not create:
                raise DataFileError(f"no data file at {store.path}; 'rapport demo' or 'rapport client add' creates one")
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
        from .jsonfile import clean_stray_temps

        storage = AtomicJSONStorage(Path(path))
        lock = storage._acquire_lock()
        try:
            clean_stray_temps(storage.path)
            backups.make(storage.path, "replaced", now=now)
            from .jsonfile import atomic_write, dump_bytes

            atomic_write(storage.path, dump_bytes(data))
        except OSError as exc:
            from .jsonfile import describe_os_error

            raise StorageError(describe_os_error(exc)) from None
        finally:
            storage.release_lock(lock)

    def _initialise(self) -> None:
        from .templates import default_templates

        with self.transaction():
            if self.storage.read():  # another process created it meanwhile
                return
            now = stamp(self.clock.now())
            data: Data = {name: {} for name in TABLES}
            data["settings"]["1"] = Settings(id="settings", created_at=now, updated_at=now).to_doc()
            self.storage.replace_all(data)
            for template in default_templates():
                self._insert(template)

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
        from . import summary

        if schema_version_of(data) != SCHEMA_VERSION:
            return
        if previous is None:
            quick = summary.load(self.path)
            if quick is not None and quick.source == tuple(signature):
                return
        problems = problems_in(data, previous)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DataFileError(f"{problems[0]}{more}; 'rapport check' lists every problem")

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
        from . import summary

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
        from . import summary

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

    def _table(self, model: type[Document]):
        return self.db.table(model.TABLE)

    def _settings_doc(self) -> dict[str, Any]:
        docs = self._table(Settings).all()
        if not docs:
            raise DataFileError(f"{self.path} has no settings document")
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
            raise NotFound(f"no {model.TABLE} with id {doc_id!r}")
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
                raise NotFound(f"no {doc.TABLE} with id {doc.id!r}")
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

    # -- clients ------------------------------------------------------------ #

    def find_client(self, text: str) -> Client:
        return resolve_client(self.all(Client), text)

    def _check_unique_name(self, name: str, own_id: str = "") -> None:
        folded = name.strip().casefold()
        for other in self.all(Client):
            if other.id != own_id and other.name.strip().casefold() == folded:
                raise ValidationError("name", f"a client named {other.name!r} already exists")

    def add_client(self, client: Client) -> Client:
        """A new client; with a rate, that rate is recorded from ``since``."""
        if client.rate is not None:
            client = client.replace(rate=parse_money(client.rate, client.currency, "rate"))
        client.validate()
        with self.transaction():
            self._check_unique_name(client.name)
            client = self._insert(client)
            if client.rate is not None:
                self._insert(
                    Rate(
                        client_id=client.id,
                        amount=client.rate,
                        currency=client.currency,
                        unit=client.rate_unit,
                        since=client.since,
                        reason="starting rate",
                        status=RateStatus.ACCEPTED,
                    )
                )
        return client

    def add_person(self, client_id: str, person: Person) -> Client:
        """Add someone at a client (a main or billing contact)."""
        with self.transaction():
            client = self.get(Client, client_id)
            return self._save(client.replace(people=[*client.people, person]))

    def update_client(self, client_id: str, *, base: Client | None = None, **changes: Any) -> Client:
        """Change some fields of a client; with ``base`` (the version the form
        read), only the fields the user changed since, and a field another
        session changed meanwhile is refused (:class:`EditConflict`)."""
        with self.transaction():
            current = self.get(Client, client_id)
            changes = changed_fields(current, base, changes)
            if not changes and base is not None:
                return current
            updated = current.replace(**changes)
            if updated.rate is not None:
                updated = updated.replace(rate=parse_money(updated.rate, updated.currency, "rate"))
            updated.validate()
            if updated.name.strip().casefold() != current.name.strip().casefold():
                self._check_unique_name(updated.name, client_id)
            if updated.rate != current.rate and updated.rate is not None:
                self._insert(
                    Rate(
                        client_id=client_id,
                        amount=updated.rate,
                        currency=updated.currency,
                        unit=updated.rate_unit,
                        since=self.today(),
                        reason="edited",
                        status=RateStatus.ACCEPTED,
                    )
                )
            return self._save(updated)

    # -- retainers ----------------------------------------------------------- #

    def set_retainer(self, client_id: str, retainer: Retainer) -> Client:
        """Give the client a monthly fee (replacing any it had)."""
        retainer = retainer.replace(amount=parse_money(retainer.amount, retainer.currency, "amount"))
        retainer.validate()
        with self.transaction():
            return self._save(self.get(Client, client_id).replace(retainer=retainer))

    def stop_retainer(self, client_id: str, on: dt.date) -> Client:
        """End the client's retainer on ``on``: no month invoiced after that day."""
        with self.transaction():
            client = self.get(Client, client_id)
            if client.retainer is None:
                raise ValidationError("retainer", f"{client.name} has no retainer")
            if client.retainer.since is not None and on < client.retainer.since:
                raise ValidationError("on", f"the retainer runs from {client.retainer.since.isoformat()}")
            return self._save(client.replace(retainer=client.retainer.replace(until=on)))

    def add_retainer_invoice(self, client_id: str, period: str, *, issued: dt.date) -> Invoice:
        """The invoice for one month of the client's retainer: one line (what it
        covers, the month) at the monthly fee. A month is never invoiced twice:
        a period already on an invoice that is not void is refused."""
        client = self.get(Client, client_id)
        retainer = client.retainer
        if retainer is None:
            raise ValidationError("retainer", f"{client.name} has no retainer")
        if not _PERIOD.match(period):
            raise ValidationError("period", f"{period!r} is not a month like 2026-12")
        language = str(self.settings().language)
        month = period_words(period, language)
        return self.add_invoice(
            client.id,
            [LineItem(description=f"{retainer.covers}, {month}", quantity=Decimal(1), unit_price=retainer.amount)],
            issued=issued,
            currency=retainer.currency,
            period=period,
        )

    def snooze(self, client_id: str, until: dt.date | None) -> Client:
        return self._change(Client, client_id, snoozed_until=until)

    def archive_client(self, client_id: str) -> Client:
        return self._change(Client, client_id, status=ClientStatus.FORMER)

    def delete_client(self, client_id: str) -> Deleted:
        """Remove a client and everything that belongs to it; see :meth:`restore`."""
        removed: dict[str, list[dict[str, Any]]] = {}
        with self.transaction():
            client = self.get(Client, client_id)
            job_ids = {d["id"] for d in self._table(Job).search(where("client_id") == client_id)}
            owners = {
                Client: where("id") == client_id,
                Contact: where("client_id") == client_id,
                Job: where("client_id") == client_id,
                Change: where("job_id").one_of(sorted(job_ids)) | (where("client_id") == client_id),
                Promise: where("client_id") == client_id,
                Rate: where("client_id") == client_id,
                Invoice: where("client_id") == client_id,
            }
            for model, condition in owners.items():
                table = self._table(model)
                docs = table.search(condition)
                if docs:
                    removed[model.TABLE] = [dict(d) for d in docs]
                    table.remove(doc_ids=[d.doc_id for d in docs])
        return Deleted(removed, client.name)

    def restore(self, deleted: Deleted) -> None:
        """Put back what a delete removed, with the same ids."""
        with self.transaction():
            for table_name, docs in deleted.docs.items():
                table = self.db.table(table_name)
                for doc in docs:
                    if not table.contains(where("id") == doc["id"]):
                        table.insert(doc)

    # -- contacts ----------------------------------------------------------- #

    def log_contact(self, contact: Contact) -> Contact:
        with self.transaction():
            self.get(Client, contact.client_id)
            return self._insert(contact)

    # -- jobs, changes, promises ---------------------------------------------#

    def add_job(self, job: Job) -> Job:
        with self.transaction():
            client = self.get(Client, job.client_id)
            if job.price is not None and job.currency != client.currency and job.currency == "EUR":
                job = job.replace(currency=client.currency)
            if job.price is not None:
                job = job.replace(price=parse_money(job.price, job.currency, "price"))
            return self._insert(job)

    def update_job(self, job_id: str, **changes: Any) -> Job:
        return self._change(Job, job_id, **changes)

    def deliver_job(self, job_id: str, on: dt.date) -> Job:
        """Mark delivered; under ``on_delivery`` this makes the invoicing promise."""
        with self.transaction():
            job = self.get(Job, job_id)
            if job.status not in (JobStatus.PROPOSED, JobStatus.ACTIVE):
                raise ValidationError("status", f"job {job.id} is already {job.status}")
            client = self.get(Client, job.client_id)
            job = self._save(job.replace(status=JobStatus.DELIVERED, delivered=on))
            if client.invoicing is InvoicingRule.ON_DELIVERY:
                hours = client.invoice_within_hours
                self._insert(
                    Promise(
                        client_id=client.id,
                        job_id=job.id,
                        text=invoice_promise_text(job.title, hours),
                        due=to_invoice_due_on(on, client.invoicing, hours),
                        auto="invoice",
                    )
                )
            return job

    def add_change(self, change: Change) -> Change:
        with self.transaction():
            job = self.get(Job, change.job_id)
            change = change.replace(client_id=job.client_id)
            if change.price is not None:
                change = change.replace(price=parse_money(change.price, job.currency, "price"))
            return self._insert(change)

    def answer_change(self, change_id: str, answer: str, on: dt.date) -> Change:
        """Accept (the job takes the new price/deadline, old values kept) or decline."""
        status = ChangeStatus(answer)
        if status not in (ChangeStatus.ACCEPTED, ChangeStatus.DECLINED):
            raise ValidationError("answer", "must be accepted or declined")
        with self.transaction():
            change = self.get(Change, change_id)
            if change.status not in (ChangeStatus.PROPOSED, ChangeStatus.DRAFT):
                raise ValidationError("status", f"change {change.id} was already {change.status}")
            if status is ChangeStatus.ACCEPTED:
                job = self.get(Job, change.job_id)
                history = [
                    *job.history,
                    {
                        "date": on.isoformat(),
                        "change_id": change.id,
                        "what": change.what,
                        "price": None if job.price is None else money_str(job.price, job.currency),
                        "deadline": None if job.deadline is None else job.deadline.isoformat(),
                    },
                ]
                updates: dict[str, Any] = {"history": history}
                if change.price is not None:
                    updates["price"] = change.price
                if change.deadline is not None:
                    updates["deadline"] = change.deadline
                self._save(job.replace(**updates))
            return self._save(change.replace(status=status, answered=on, sent=change.sent or on))

    def propose_change(self, change_id: str, on: dt.date) -> Change:
        """A drafted change of brief sent to the client: ``proposed`` from ``on``,
        and the proposal logged as a contact. The answer is awaited from then."""
        with self.transaction():
            change = self.get(Change, change_id)
            if change.status is not ChangeStatus.DRAFT:
                raise ValidationError("status", f"change {change.id} is already {change.status}")
            job = self.get(Job, change.job_id)
            self._insert(
                Contact(
                    client_id=job.client_id,
                    date=on,
                    channel=Channel.EMAIL,
                    summary=f"Proposed a change to {job.title}: {change.what}"[:10_000],
                    kind=ContactKind.PROPOSAL,
                )
            )
            return self._save(change.replace(status=ChangeStatus.PROPOSED, sent=on))

    def add_promise(self, promise: Promise) -> Promise:
        with self.transaction():
            self.get(Client, promise.client_id)
            if promise.job_id:
                self.get(Job, promise.job_id)
            return self._insert(promise)

    def postpone_promise(self, promise_id: str, due: dt.date) -> Promise:
        with self.transaction():
            promise = self.get(Promise, promise_id)
            if promise.status is not PromiseStatus.OPEN:
                raise ValidationError("status", f"promise {promise.id} is already {promise.status}")
            return self._save(promise.replace(due=due))

    def close_promise(self, promise_id: str, status: str, on: dt.date) -> Promise:
        final = PromiseStatus(status)
        if final is PromiseStatus.OPEN:
            raise ValidationError("status", "must be kept, broken or dropped")
        with self.transaction():
            promise = self.get(Promise, promise_id)
            if promise.status is not PromiseStatus.OPEN:
                raise ValidationError("status", f"promise {promise.id} is already {promise.status}")
            return self._save(promise.replace(status=final, closed=on))

    # -- rates -------------------------------------------------------------- #

    def pending_rate(self, client_id: str) -> Rate | None:
        for rate in self.all(Rate):
            if rate.client_id == client_id and rate.status is RateStatus.PROPOSED:
                return rate
        return None

    def propose_rate(self, client_id: str, amount: Decimal | str, on: dt.date, reason: str = "") -> Rate:
        """A price-raise proposal: a rate with status ``proposed`` until answered."""
        with self.transaction():
            client = self.get(Client, client_id)
            pending = self.pending_rate(client_id)
            if pending is not None:
                raise ValidationError(
                    "rate", f"{client.name} already has a proposal waiting ({pending.amount} {pending.currency}, {pending.id})"
                )
            value = parse_money(amount, client.currency, "amount")
            if value <= 0:
                raise ValidationError("amount", "must be greater than 0")
            if client.rate is not None and value <= client.rate:
                # A raise is a raise: the guide's rule 4, for the form and the CLI alike.
                raise ValidationError(
                    "amount", f"a raise must be above the current {money_str(client.rate, client.currency)} {client.currency}"
                )
            return self._insert(
                Rate(
                    client_id=client_id,
                    amount=value,
                    currency=client.currency,
                    unit=client.rate_unit,
                    since=on,
                    reason=reason,
                    status=RateStatus.PROPOSED,
                    sent=on,
                )
            )

    def answer_rate(self, client_id: str, answer: str, on: dt.date) -> Rate:
        status = RateStatus(answer)
        if status is RateStatus.PROPOSED:
            raise ValidationError("answer", "must be accepted or declined")
        with self.transaction():
            client = self.get(Client, client_id)
            pending = self.pending_rate(client_id)
            if pending is None:
                raise NotFound(f"{client.name} has no price raise waiting for an answer")
            if status is RateStatus.ACCEPTED:
                self._save(client.replace(rate=pending.amount, currency=pending.currency, rate_unit=pending.unit))
                return self._save(pending.replace(status=status, answered=on, since=on))
            return self._save(pending.replace(status=status, answered=on))

    # -- invoices ----------------------------------------------------------- #

    def next_invoice_number(self, year: int) -> str:
        """Peek at the number the next invoice of ``year`` would get."""
        counters = self.settings().counters
        used = self._max_number_used(year)
        return f"{year}-{max(int(counters.get(f'invoice-{year}', 0)), used) + 1:03d}"

    def _max_number_used(self, year: int) -> int:
        pattern = re.compile(rf"^{year}-(\d+)$")
        best = 0
        for doc in self._table(Invoice).all():
            match = pattern.match(str(doc.get("number", "")))
            if match:
                best = max(best, int(match.group(1)))
        return best

    def add_invoice(
        self,
        client_id: str,
        items: list[LineItem],
        *,
        issued: dt.date,
        currency: str | None = None,
        terms_days: int | None = None,
        number: str | None = None,
        status: InvoiceStatus = InvoiceStatus.SENT,
        job_ids: list[str] | None = None,
        period: str | None = None,
    ) -> Invoice:
        """A new invoice, numbered ``YYYY-NNN`` unless a number is given; a
        draft takes no number (it gets the next one when it is issued, so the
        issued sequence has no gaps). Its tax lines are the client's, else the
        settings' defaults, as they are now.

        Jobs on it become ``invoiced``, and their invoicing promises are kept.
        ``period`` (``YYYY-MM``) makes it a retainer's invoice for that month:
        refused when that month of that client is already on an invoice that is
        not void.
        """
        with self.transaction():
            client = self.get(Client, client_id)
            if period is not None:
                for doc in self._table(Invoice).all():
                    if doc.get("client_id") == client.id and doc.get("period") == period and doc.get("status") != "void":
                        raise ValidationError(
                            "period", f"{client.name}'s retainer for {period} is already on invoice {doc.get('number')}"
                        )
            currency = currency or client.currency
            items = [
                item.replace(unit_price=parse_money(item.unit_price, currency, "unit_price"))
                for item in items
            ]
            jobs = self._jobs_to_invoice(client, job_ids or [])
            if status is InvoiceStatus.DRAFT:
                if number:
                    raise ValidationError("number", "a draft has no number; it gets one when it is issued")
                number = ""
            elif number is not None:
                number = _invoice_number(number)
            if number is None:
                number = self._take_number(issued.year)
            elif number and self._table(Invoice).contains(where("number") == number):
                raise ValidationError("number", f"invoice {number} already exists")
            taxes, tax_note = self._taxes_for(client)
            invoice = self._insert(
                Invoice(
                    number=number,
                    client_id=client.id,
                    job_ids=list(job_ids or []),
                    items=items,
                    currency=currency,
                    issued=issued,
                    terms_days=client.terms_days if terms_days is None else terms_days,
                    status=status,
                    tax_lines=taxes,
                    tax_note=tax_note,
                    period=period,
                )
            )
            for job in jobs:
                job_id = job.id
                self._save(job.replace(status=JobStatus.INVOICED, delivered=job.delivered or issued))
                for promise in self.all(Promise):
                    if (
                        promise.job_id == job_id
                        and promise.status is PromiseStatus.OPEN
                        and promise.auto == "invoice"
                    ):
                        self._save(promise.replace(status=PromiseStatus.KEPT, closed=issued))
            return invoice

    def _take_number(self, year: int) -> str:
        """The next number of ``year``'s sequence, taken (inside a transaction)."""
        return f"{year}-{self._next_number(f'invoice-{year}', self._max_number_used(year)):03d}"

    def _taxes_for(self, client: Client) -> tuple[list[Any], str]:
        """The tax lines a new invoice of ``client`` carries, and its note."""
        settings = Settings.from_doc(dict(self._settings_doc()))
        lines = client.tax_lines if client.tax_lines is not None else settings.tax_lines
        return [line.replace() for line in lines], client.tax_note

    def issue_invoice(self, number_or_id: str, on: dt.date) -> Invoice:
        """Issue a draft: the next number of ``on``'s year, dated ``on``, with
        the tax lines that apply now; from then on it is ``sent``."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.DRAFT:
                raise ValidationError("invoice", f"invoice {invoice.label} is {invoice.status}, not a draft")
            taxes, tax_note = self._taxes_for(self.get(Client, invoice.client_id))
            return self._save(invoice.replace(number=self._take_number(on.year), issued=on,
                                              status=InvoiceStatus.SENT, tax_lines=taxes, tax_note=tax_note))

    def _jobs_to_invoice(self, client: Client, job_ids: list[str]) -> list[Job]:
        """The jobs an invoice is to cover: each once, the client's, delivered
        and not on another invoice that is not void."""
        if len(set(job_ids)) != len(job_ids):
            raise ValidationError("jobs", "the same job is listed twice")
        waiting = {job.id for job in self.snapshot().jobs_to_invoice(client.id)}
        jobs = []
        for job_id in job_ids:
            job = self.get(Job, job_id)
            if job.client_id != client.id:
                raise ValidationError("jobs", f"job {job_id} belongs to another client")
            if job.id in waiting:
                jobs.append(job)
                continue
            if job.status in (JobStatus.DELIVERED, JobStatus.INVOICED):
                raise ValidationError("jobs", f"job {job_id} is already invoiced")
            raise ValidationError("jobs", f"job {job_id} is {job.status}, not delivered: deliver it first")
        return jobs

    def find_invoice(self, number_or_id: str) -> Invoice:
        if not number_or_id.strip():
            raise NotFound("no invoice numbered ''")
        doc = self._table(Invoice).get((where("number") == number_or_id) | (where("id") == number_or_id))
        if doc is None:
            raise NotFound(f"no invoice numbered {number_or_id!r}")
        return Invoice.from_doc(dict(doc))

    @staticmethod
    def _check_status_change(invoice: Invoice, status: InvoiceStatus) -> None:
        """The invoice's life cycle, whichever door the change comes through (the
        edit form, ``invoice void``...): a draft is issued or voided; a sent
        invoice is voided (if nothing was paid on it) or written off (if
        something is still owed); a written-off one may be reopened; a void
        one stays void (it keeps its number), and an issued one is never a
        draft again."""
        old = invoice.status
        if status is old:
            return
        number = invoice.number
        if old is InvoiceStatus.VOID:
            raise ValidationError("status", f"invoice {number} is void and stays so (it keeps its number); add a new one")
        if status is InvoiceStatus.DRAFT:
            raise ValidationError("status", f"invoice {number} is {old}: an issued invoice is never a draft again")
        if status is InvoiceStatus.VOID and invoice.payments:
            raise ValidationError("status", f"invoice {number} has payments recorded; write off what is left instead")
        if status is InvoiceStatus.WRITTEN_OFF:
            if old is not InvoiceStatus.SENT:
                raise ValidationError("status", f"invoice {number} is {old}; only a sent invoice is written off")
            if invoice.outstanding <= 0:
                raise ValidationError("status", f"invoice {number} is paid; there is nothing to write off")

    def update_invoice(self, number_or_id: str, *, base: Invoice | None = None, **changes: Any) -> Invoice:
        """Change an invoice, within its life cycle (:meth:`_check_status_change`).
        A draft whose status becomes ``sent`` is issued (the next number, today's
        tax lines). With ``base`` (what the form read), only the fields the user
        changed, and one changed elsewhere meanwhile is refused (EditConflict)."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            changes = changed_fields(invoice, base, changes)
            if not changes and base is not None:
                return invoice
            status = InvoiceStatus(changes.get("status", invoice.status))
            self._check_status_change(invoice, status)
            if invoice.status is InvoiceStatus.DRAFT and status is InvoiceStatus.SENT:
                issued = changes.get("issued") or invoice.issued or self.today()
                issued_now = self.issue_invoice(invoice.id, issued)
                rest = {k: v for k, v in changes.items() if k not in ("status", "number", "issued")}
                return self.update_invoice(issued_now.id, **rest) if rest else issued_now
            if "number" in changes:
                changes["number"] = _invoice_number(changes["number"])
            new_number = changes.get("number")
            if new_number and new_number != invoice.number and self._table(Invoice).contains(where("number") == new_number):
                raise ValidationError("number", f"invoice {new_number} already exists")
            updated = self._save(invoice.replace(**changes))
            if updated.status is InvoiceStatus.VOID and invoice.status is not InvoiceStatus.VOID:
                # A voided invoice no longer bills its jobs: they are to invoice again.
                for job_id in updated.job_ids:
                    job = self.get(Job, job_id)
                    if job.status is JobStatus.INVOICED:
                        self._save(job.replace(status=JobStatus.DELIVERED))
            return updated

    def record_payment(self, number_or_id: str, amount: Decimal | str | None, on: dt.date) -> Invoice:
        """A payment; the amount defaults to what is outstanding. Overpaying is refused."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.SENT:
                raise ValidationError("status", f"invoice {invoice.number} is {invoice.status}, not sent; it cannot take a payment")
            outstanding = invoice.outstanding
            if outstanding <= 0:
                raise ValidationError("amount", f"invoice {invoice.number} is already paid in full")
            value = outstanding if amount is None else parse_money(amount, invoice.currency)
            if value <= 0:
                raise ValidationError("amount", "must be greater than 0")
            if value > outstanding:
                raise ValidationError(
                    "amount",
                    f"{money_str(value, invoice.currency)} {invoice.currency} is more than the "
                    f"{money_str(outstanding, invoice.currency)} {invoice.currency} outstanding on {invoice.number}",
                )
            return self._save(invoice.replace(payments=[*invoice.payments, Payment(date=on, amount=value)]))

    def add_reminder(
        self,
        number_or_id: str,
        on: dt.date,
        *,
        channel: Channel = Channel.EMAIL,
        level: int | None = None,
        force: bool = False,
    ) -> Invoice:
        """Record that a payment reminder was sent, and log it as a contact.

        Only a reminder the ladder says is due on ``on`` is recorded (see
        :func:`storage.scheduler.chase`): anything else raises
        :class:`ReminderNotDue` saying when the next one is due, or that the
        invoice is on hold or past its final notice. ``force`` records it
        anyway (as the next level, or again as the final notice once the
        ladder is done). ``level`` is what the draft was written as; it is
        recorded only when it is the level due.
        """
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.SENT:
                raise ValidationError("status", f"invoice {invoice.number} is {invoice.status}; only sent invoices are chased")
            if invoice.outstanding <= 0:
                raise ValidationError("invoice", f"invoice {invoice.number} is paid; there is nothing to chase")
            snap = self.snapshot()
            ladder = ladder_of(snap)
            state = chase(invoice, ladder, on, final_notice_days_of(snap))
            if not state.is_due and not force:
                raise ReminderNotDue(state.why_not(invoice.number))
            due_level = state.level if state.level is not None else len(ladder)
            if level is not None and level != due_level and not force:
                raise ReminderNotDue(f"reminder {due_level} is due, not reminder {level}")
            level = due_level if level is None or not force else min(max(level, 1), len(ladder))
            invoice = self._save(
                invoice.replace(reminders=[*invoice.reminders, Reminder(date=on, level=level, channel=channel)])
            )
            self._insert(
                Contact(
                    client_id=invoice.client_id,
                    date=on,
                    channel=channel,
                    summary=f"Payment reminder {level} for invoice {invoice.number}",
                    kind=ContactKind.REMINDER,
                )
            )
            return invoice

    def write_off(self, number_or_id: str, on: dt.date) -> Invoice:
        """Give up on what is still owed: the invoice becomes ``written_off`` (it
        keeps its number and payments) and it is no longer chased. Logged on the
        client's history."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            self._check_status_change(invoice, InvoiceStatus.WRITTEN_OFF)  # the life cycle's one rule
            saved = self._save(invoice.replace(status=InvoiceStatus.WRITTEN_OFF))
            self._insert(
                Contact(client_id=invoice.client_id, date=on, channel=Channel.EMAIL, kind=ContactKind.OTHER,
                        summary=f"Invoice {invoice.number} written off: "
                                f"{money_str(invoice.outstanding, invoice.currency)} {invoice.currency} unpaid")
            )
            return saved

    def log_call(self, number_or_id: str, on: dt.date, note: str = "") -> Invoice:
        """The escalation call about an unpaid invoice: a contact (a call, kind
        reminder) and the invoice's ``called`` date, which the screens show."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status is not InvoiceStatus.SENT or invoice.outstanding <= 0:
                raise ValidationError("invoice", f"invoice {invoice.number} is not owed; there is no one to call about it")
            saved = self._save(invoice.replace(called=on))
            summary = f"Called about unpaid invoice {invoice.number}"
            self._insert(
                Contact(client_id=invoice.client_id, date=on, channel=Channel.CALL, kind=ContactKind.REMINDER,
                        summary=f"{summary}: {note}" if note.strip() else summary)
            )
            return saved

    def reminder_state(self, number_or_id: str, on: dt.date):
        """Where the invoice stands on the ladder on ``on``
        (:class:`~storage.scheduler.Chase`): what :meth:`add_reminder` allows."""
        snap = self.snapshot()
        return chase(snap.invoice(number_or_id), ladder_of(snap), on, final_notice_days_of(snap))

    def set_hold(self, number_or_id: str, on_hold: bool) -> Invoice:
        """Put a sent invoice on hold (disputed, or agreed to wait: no reminder
        falls due), or release it. Only a sent invoice is ever chased, so only
        one can be held; releasing is always allowed."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if on_hold and invoice.status is not InvoiceStatus.SENT:
                raise ValidationError("status", f"invoice {invoice.number} is {invoice.status}; only a sent invoice is put on hold")
            return self._save(invoice.replace(on_hold=on_hold))

    def void_invoice(self, number_or_id: str) -> Invoice:
        """Cancel an invoice made in error. It keeps its number (no gap in the
        sequence); its jobs are to invoice again. One that has taken a payment
        is not voided: write off what is left instead."""
        with self.transaction():
            invoice = self.find_invoice(number_or_id)
            if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.SENT):
                raise ValidationError("status", f"invoice {invoice.number} is already {invoice.status}")
            return self.update_invoice(invoice.id, status=InvoiceStatus.VOID, on_hold=False)

    def invoice_jobs(
        self,
        client_id: str,
        job_ids: list[str],
        *,
        issued: dt.date,
        status: InvoiceStatus = InvoiceStatus.SENT,
        terms_days: int | None = None,
        number: str | None = None,
    ) -> Invoice:
        """One invoice for ``job_ids``: one line per job, its title at its agreed
        price, in the jobs' currency. Each job must be the client's, priced, and
        not already on an invoice that stands (void ones do not count)."""
        if not job_ids:
            raise ValidationError("jobs", "name at least one job")
        if len(set(job_ids)) != len(job_ids):
            raise ValidationError("jobs", "a job is named twice")
        with self.transaction():
            client = self.get(Client, client_id)
            billed = self.snapshot().invoiced_job_ids
            jobs = [self.get(Job, job_id) for job_id in job_ids]
            for job in jobs:
                if job.client_id != client.id:
                    raise ValidationError("jobs", f"job {job.id} belongs to another client")
                if job.id in billed or job.status in (JobStatus.INVOICED, JobStatus.CLOSED):
                    raise ValidationError("jobs", f"job {job.id} ({job.title}) is already invoiced")
                if job.price is None:
                    raise ValidationError("jobs", f"job {job.id} ({job.title}) has no agreed price: set it first")
            currency = jobs[0].currency
            if any(job.currency != currency for job in jobs):
                raise ValidationError("jobs", "these jobs are in different currencies: invoice them one at a time")
            items = [LineItem(description=job.title, quantity=Decimal(1), unit_price=job.price) for job in jobs]
            return self.add_invoice(client.id, items, issued=issued, currency=currency, terms_days=terms_days,
                                    number=number, status=status, job_ids=[job.id for job in jobs])

    # -- templates ---------------------------------------------------------- #

    def save_template(self, template: Template) -> Template:
        if template.id:
            return self._save(template)
        return self._insert(template)

    def template(self, name: str, language: str) -> Template:
        """The template ``name`` in ``language`` as stored, else the shipped one."""
        from .templates import TEMPLATE_NAMES, default_template

        if name not in TEMPLATE_NAMES:
            raise NotFound(f"no template named {name!r} (known: {', '.join(TEMPLATE_NAMES)})")
        for template in self.all(Template):
            if template.name == name and str(template.language) == str(language):
                return template
        return default_template(name, language)

    def edit_template(self, name: str, language: str, *, subject: str | None = None, body: str | None = None) -> Template:
        """Change a template's subject and/or body. A placeholder that is not one
        of the known names is refused, with the names it could be."""
        from .templates import PLACEHOLDERS, placeholders_in

        for field_name, text in (("subject", subject), ("body", body)):
            if text is None:
                continue
            _, unknown = placeholders_in(text)
            if unknown:
                names = ", ".join("{" + n + "}" for n in unknown)
                raise ValidationError(
                    field_name, f"unknown placeholder {names}; the known ones are: {', '.join(sorted(PLACEHOLDERS))}")
        with self.transaction():
            current = self.template(name, language)
            changes = {k: v for k, v in (("subject", subject), ("body", body)) if v is not None}
            return self.save_template(current.replace(**changes))

    def reset_template(self, name: str, language: str) -> Template:
        """Put the shipped wording back."""
        from .templates import default_template

        with self.transaction():
            current = self.template(name, language)
            shipped = default_template(name, language)
            return self.save_template(current.replace(subject=shipped.subject, body=shipped.body))

    # -- settings, one key at a time ------------------------------------------ #

    def set_setting(self, key: str, text: str) -> Settings:
        """Set one setting from its text (``rapport settings set``), parsed and
        checked as the settings form does."""
        from .settings_keys import parse_setting

        return self.update_settings(**{key: parse_setting(key, text)})

    # -- export, import, check ---------------------------------------------- #

    def export_data(self) -> dict[str, Any]:
        """Everything, as PRODUCT.md's export: schema_version and one array per table."""
        data = self.storage.read() or {}
        out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for model in MODELS:
            table = data.get(model.TABLE, {})
            out[model.TABLE] = [table[key] for key in sorted(table, key=int)]
        return out

    def import_data(self, payload: Any) -> dict[str, int]:
        """Replace everything with an export (backed up first). Validated whole first."""
        data = parse_export(payload, now=self.clock.now())
        made: Path | None = None
        try:
            with self.transaction():
                made = backups.make(self.path, "pre-import", now=self.clock.now())
                self.storage.replace_all(data)
        except BaseException:
            # Nothing was imported: a backup "before the import" would only
            # push an older, useful one out of the rotation.
            if made is not None:
                with contextlib.suppress(OSError):
                    made.unlink()
            raise
        return {name: len(table) for name, table in data.items()}

    def check(self) -> list[str]:
        """Every problem found in the data: invalid documents, broken references."""
        return check_data(self.storage.read() or {})

    # -- one client's documents (the Clients screen's history) ---------------- #

    def client_documents(self, client_id: str) -> dict[str, list[Document]]:
        """Everything that belongs to one client, as models by table name
        (``contact``, ``job``, ``change``, ``promise``, ``rate``, ``invoice``),
        from the version of the file read last.

        Only this client's documents are converted: opening one client of a
        decade of records does not convert the other clients' thousands.
        A change of brief belongs to the client of its job.
        """
        data = self.storage.read() or {}
        jobs = [doc for doc in data.get("job", {}).values() if doc.get("client_id") == client_id]
        job_ids = {doc.get("id") for doc in jobs}
        out: dict[str, list[Document]] = {}
        for model in (Contact, Job, Change, Promise, Rate, Invoice):
            if model is Job:
                docs = jobs
            elif model is Change:
                docs = [doc for doc in data.get("change", {}).values()
                        if doc.get("client_id") == client_id or doc.get("job_id") in job_ids]
            else:
                docs = [doc for doc in data.get(model.TABLE, {}).values() if doc.get("client_id") == client_id]
            out[model.TABLE] = [model.from_doc(doc) for doc in docs]
        return out


def _check_version(data: Data) -> Data:
    """Refuse files rapport cannot read; pass older schemas on for migration."""
    version = schema_version_of(data)
    if version is None:
        raise DataFileError("it has no schema_version in its settings: not a rapport data file")
    if version > SCHEMA_VERSION:
        raise DataFileError(
            f"it was written by a newer rapport (schema {version}; this one reads up to {SCHEMA_VERSION})"
        )
    if version < 1:
        raise DataFileError(f"schema version {version} is not one rapport ever wrote")
    return data


def _invoice_number(number: str) -> str:
    """An invoice number as stored: no spaces around it, so `` 2026-001`` is
    ``2026-001`` (and clashes with it). Inside, it is text as typed, shown
    with its controls made visible like any other."""
    if not isinstance(number, str):
        raise ValidationError("number", "expected text")
    number = number.strip()
    if not number:
        raise ValidationError("number", "is required")
    return number


def parse_export(payload: Any, *, now: dt.datetime | None = None) -> Data:
    """Turn an export object into TinyDB's data, validating every document.

    An export of an older schema is migrated, which needs ``now``, the run's
    clock (its timestamps for what the migration adds)."""
    if not isinstance(payload, dict):
        raise ValidationError("import", "the file is not a rapport export (expected a JSON object)")
    version = payload.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError("schema_version", "is missing: not a rapport export")
    if version > SCHEMA_VERSION:
        raise ValidationError("schema_version", f"{version} is newer than this rapport reads ({SCHEMA_VERSION})")
    if version < 1:
        raise ValidationError("schema_version", f"{version} is not a schema rapport ever wrote")
    unknown = set(payload) - set(TABLES) - {"schema_version"}
    if unknown:
        raise ValidationError("import", f"unknown tables: {', '.join(sorted(unknown))}")
    data: Data = {}
    for name in TABLES:
        docs = payload.get(name, [])
        if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
            raise ValidationError(name, "must be an array of objects")
        data[name] = {str(i): dict(doc) for i, doc in enumerate(docs, start=1)}
    if not data["settings"]:
        raise ValidationError("settings", "the export has no settings document")
    if len(data["settings"]) != 1:
        raise ValidationError("settings", "the export must have exactly one settings document")
    for doc in data["settings"].values():
        doc["schema_version"] = version
    if version < SCHEMA_VERSION:
        if now is None:
            raise ValueError("parse_export: migrating an older export needs the clock's now")
        data = migrate(data, version, stamp(now))
    # An export written by hand or by another tool may lack the id counters (or
    # carry low ones); new ids must never repeat an imported one. Our own
    # exports already cover their ids, so their round trip stays exact.
    cover_existing_ids(data)
    problems = check_data(data)
    if problems:
        raise ValidationError("import", f"{len(problems)} problem(s), first: {problems[0]}")
    return data


def check_data(data: Data) -> list[str]:
    """Every problem found in ``data``: the one schema (storage/schema.py)."""
    return problems_in(data)

