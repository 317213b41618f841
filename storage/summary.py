"""A small derived file for the daily review, so ``rapport today`` stays fast.

The data file holds a decade of history; the review needs a few percent of it:
every client and setting, the rates that decide a rate review (each client's
latest accepted rate and every proposed one), the open invoices, jobs, promises
and changes, which of those jobs are invoiced, and the date of each client's
last contact. (Taskwarrior keeps its pending
tasks apart from its completed ones for the same reason.)

The summary is a cache, never a source of truth:

* it records the identity of the data file it was made from (device, inode,
  size, modification time in nanoseconds); every commit replaces the data file
  with a new inode, so a summary of an older version never matches;
* it is written atomically (0600) but not fsynced: after a crash it is simply
  rebuilt; a summary that cannot be read is ignored and rebuilt;
* it carries a digest of itself (its first key): a summary edited by hand or
  cut short no longer matches it and is ignored and rebuilt, never trusted;
* only ``rapport today`` reads it, and the scheduler's results from a summary
  equal those from the whole file (tests/storage/test_summary.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

import orjson

from .jsonfile import Data, atomic_write
from .models import Change, Contact, Invoice, Job, Promise, Template
from .snapshot import Snapshot, _raw_unpaid

FORMAT = 4
"""Bump when the summary's content changes shape. A summary of any other format
is ignored (the whole file is read, and a new summary written), never an error."""

HOLDS = frozenset({
    "clients", "clients_by_id", "settings", "rates", "open_invoices", "settled_invoices", "open_jobs",
    "jobs_by_id", "jobs_to_invoice", "invoiced_job_ids", "invoiced_periods", "open_promises",
    "pending_changes", "last_contact",
})
"""The :class:`~storage.snapshot.Snapshot` views a summary serves (``rates``: the
ones the review reads). It is written into the summary, which so says what it
holds; the store uses a summary only when it holds every view the registered
review sections read (:data:`storage.scheduler.SECTIONS`), and reads the whole
file otherwise."""


def summary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.summary")


def _identity(st: os.stat_result) -> list[int]:
    """The same identity AtomicJSONStorage.signature gives: (device, inode, size, mtime_ns)."""
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def build(data: Data) -> dict[str, Any]:
    """What the review needs from ``data``: open documents and last contacts."""
    from .models import SCHEMA_VERSION

    snapshot = Snapshot(data)

    def keep(table: str, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        return {key: doc for key, doc in data.get(table, {}).items() if wanted(doc)}

    changes = keep("change", lambda d: d.get("status") in ("draft", "proposed"))
    changed_jobs = {d.get("job_id") for d in changes.values()}
    jobs = keep("job", lambda d: d.get("status") in ("proposed", "active", "delivered") or d.get("id") in changed_jobs)

    return {
        "schema_version": SCHEMA_VERSION,
        "holds": sorted(HOLDS),
        "tables": {
            "client": data.get("client", {}),
            "rate": _review_rates(data.get("rate", {})),
            "settings": data.get("settings", {}),
            "invoice": keep("invoice", lambda d: d.get("status") == "sent" and _raw_unpaid(d)),
            "job": jobs,
            "promise": keep("promise", lambda d: d.get("status") == "open"),
            "change": changes,
        },
        "last_contact": {cid: day.isoformat() for cid, day in snapshot.last_contact.items()},
        "invoiced_job_ids": sorted(snapshot.invoiced_job_ids & {doc.get("id") for doc in jobs.values()}),
        "settled_invoices": [
            [cid, issued.isoformat(), due.isoformat(), last.isoformat()]
            for cid, issued, due, last in snapshot.settled_invoices
        ],
        "invoiced_periods": sorted([cid, period] for cid, period in snapshot.invoiced_periods),
    }


def _review_rates(rates: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The rates the review reads (scheduler.rate_reviews, awaiting_reply): every
    proposed one, and the accepted one with the latest ``since`` per client."""
    kept = {key: doc for key, doc in rates.items() if doc.get("status") == "proposed"}
    latest: dict[Any, tuple[str, str]] = {}
    for key, doc in rates.items():
        since = doc.get("since")
        if doc.get("status") == "accepted" and isinstance(since, str):
            client = doc.get("client_id")
            if client not in latest or since > latest[client][0]:
                latest[client] = (since, key)
    for _, key in latest.values():
        kept[key] = rates[key]
    return kept


def write(path: Path, data: Data, source: tuple[int, ...] | None) -> None:
    """Write the summary of ``data``, read from the file version ``source``
    identifies (AtomicJSONStorage.signature)."""
    if source is None:
        return
    payload = {"format": FORMAT, "source": list(source), **build(data)}
    with contextlib.suppress(OSError):  # a cache: failing to write it is not an error
        atomic_write(summary_path(path), _sealed(orjson.dumps(payload)), durable=False)


_SEAL = b'{"digest":"'
_DIGEST_HEX = 32


def _digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST_HEX // 2).hexdigest().encode("ascii")


def _sealed(body: bytes) -> bytes:
    """``body`` (a JSON object) with a first key ``digest``: the hash of ``body``."""
    return _SEAL + _digest(body) + b'",' + body[1:]


def _unsealed(raw: bytes) -> bytes | None:
    """The JSON object that was sealed, if ``raw`` still matches its digest."""
    head = len(_SEAL) + _DIGEST_HEX
    if not raw.startswith(_SEAL) or raw[head:head + 2] != b'",':
        return None
    body = b"{" + raw[head + 2:]
    if raw[len(_SEAL):head] != _digest(body):
        return None
    return body


def load(path: Path) -> SummarySnapshot | None:
    """The review's snapshot from the summary, or None when it is missing, stale,
    unreadable, of another format, or lacks a view a review section reads (then
    read the data file itself)."""
    from .models import SCHEMA_VERSION
    from .scheduler import reads

    try:
        current = os.stat(path)
        raw = summary_path(path).read_bytes()
        body = _unsealed(raw)
        if body is None:
            return None
        summary = orjson.loads(body)
    except (OSError, orjson.JSONDecodeError):
        return None
    if (
        not isinstance(summary, dict)
        or summary.get("format") != FORMAT
        or summary.get("schema_version") != SCHEMA_VERSION
        or summary.get("source") != _identity(current)
    ):
        return None
    try:
        quick = SummarySnapshot(summary)
    except (KeyError, TypeError, ValueError):
        return None
    return quick if quick.serves(reads()) else None


class SummarySnapshot(Snapshot):
    """A snapshot holding only what the daily review reads.

    The open-document views, clients and settings work as usual; ``rates`` holds
    the ones the review reads (:func:`_review_rates`). The full history (every
    contact, invoice, job...) is not here: asking for it is a programming error,
    caught by the tests.
    """

    def __init__(self, summary: dict[str, Any]) -> None:
        super().__init__(summary["tables"])
        self.source = tuple(summary["source"])
        """The identity of the data file version this summary describes."""
        self.holds = frozenset(summary["holds"])
        """The views it serves (:data:`HOLDS` when it was written)."""
        self.__dict__["last_contact"] = {
            cid: dt.date.fromisoformat(day) for cid, day in summary["last_contact"].items()
        }
        self.__dict__["invoiced_job_ids"] = frozenset(summary["invoiced_job_ids"])
        self.__dict__["settled_invoices"] = tuple(
            (cid, dt.date.fromisoformat(a), dt.date.fromisoformat(b), dt.date.fromisoformat(c))
            for cid, a, b, c in summary["settled_invoices"]
        )
        self.__dict__["invoiced_periods"] = frozenset((cid, period) for cid, period in summary["invoiced_periods"])

    def serves(self, views: frozenset[str]) -> bool:
        """True when it holds every one of ``views``."""
        return views <= self.holds

    def _partial(self, name: str) -> NoReturn:
        raise RuntimeError(f"the summary has no full {name} table; open the store for it")

    @cached_property
    def contacts(self) -> list[Contact]:
        self._partial("contact")

    @cached_property
    def invoices(self) -> list[Invoice]:
        self._partial("invoice")

    @cached_property
    def jobs(self) -> list[Job]:
        self._partial("job")

    @cached_property
    def promises(self) -> list[Promise]:
        self._partial("promise")

    @cached_property
    def changes(self) -> list[Change]:
        self._partial("change")

    @cached_property
    def templates(self) -> list[Template]:
        self._partial("template")

    @cached_property
    def jobs_by_id(self) -> dict[str, Job]:
        # The open jobs, and the jobs of unanswered changes (the review looks them up).
        return {job.id: job for job in self._load(Job)}
