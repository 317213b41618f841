"""One version of the data, as typed models: what the screens, the scheduler and
the CLI read.

Kept apart from the store (and so from TinyDB) because ``rapport today`` reads
a snapshot without ever opening the database for writing; see summary.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from .errors import NotFound as NotFound  # re-exported: the older home
from .i18n import _
from .models import (
    Change,
    Client,
    Contact,
    Document,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    Promise,
    PromiseStatus,
    Rate,
    Settings,
    Template,
)
from .values import quantize

D = TypeVar("D", bound=Document)

Data = dict[str, dict[str, dict[str, Any]]]




class Snapshot:
    """Every document as typed models, read once from one version of the file.

    Tables are converted lazily, on first use, so a command that needs only a
    few of them does not pay for the rest.
    """

    def __init__(self, data: Data) -> None:
        self._data = data

    def _load(self, model: type[D]) -> list[D]:
        return [model.from_doc(doc) for doc in self._data.get(model.TABLE, {}).values()]

    def build_in_steps(self, names: Iterable[str], per_step: int = 400) -> Iterator[None]:
        """Build these parts (tables of models, derived parts) ahead of use, a
        step at a time: each ``next()`` converts up to ``per_step`` documents
        or builds one derived part. A part already built is skipped."""
        for name in names:
            if name in self.__dict__:
                continue
            model = _TABLES.get(name)
            if model is None:
                getattr(self, name)
                yield
                continue
            docs = list(self._data.get(model.TABLE, {}).values())
            built: list[Document] = []
            for start in range(0, len(docs), per_step):
                built += [model.from_doc(doc) for doc in docs[start:start + per_step]]
                if start + per_step < len(docs):
                    yield
            if name not in self.__dict__:  # not asked for meanwhile
                self.__dict__[name] = built
            yield

    @cached_property
    def clients(self) -> list[Client]:
        return self._load(Client)

    @cached_property
    def contacts(self) -> list[Contact]:
        return self._load(Contact)

    @cached_property
    def jobs(self) -> list[Job]:
        return self._load(Job)

    @cached_property
    def changes(self) -> list[Change]:
        return self._load(Change)

    @cached_property
    def promises(self) -> list[Promise]:
        return self._load(Promise)

    @cached_property
    def rates(self) -> list[Rate]:
        return self._load(Rate)

    @cached_property
    def invoices(self) -> list[Invoice]:
        return self._load(Invoice)

    @cached_property
    def templates(self) -> list[Template]:
        return self._load(Template)

    @cached_property
    def settings(self) -> Settings:
        docs = list(self._data.get("settings", {}).values())
        return Settings.from_doc(docs[0]) if docs else Settings()

    @cached_property
    def clients_by_id(self) -> dict[str, Client]:
        return {c.id: c for c in self.clients}

    @cached_property
    def jobs_by_id(self) -> dict[str, Job]:
        return {j.id: j for j in self.jobs}

    def _raw(self, table: str) -> Iterable[dict[str, Any]]:
        return self._data.get(table, {}).values()

    def _loaded(self, name: str) -> list[Any] | None:
        """A full table already converted, if something asked for it before."""
        return self.__dict__.get(name)

    @cached_property
    def last_contact(self) -> dict[str, dt.date]:
        """The latest contact-log date per client id (any direction, any kind).

        Read from the raw documents (ISO dates sort as strings), so the daily
        review does not convert thousands of contacts it never shows.
        """
        latest: dict[str, str] = {}
        for doc in self._raw("contact"):
            client_id, day = doc.get("client_id"), doc.get("date")
            if isinstance(client_id, str) and isinstance(day, str) and day > latest.get(client_id, ""):
                latest[client_id] = day
        return {client_id: dt.date.fromisoformat(day) for client_id, day in latest.items()}

    @cached_property
    def open_invoices(self) -> list[Invoice]:
        """Sent invoices with something outstanding: the ones the scheduler chases."""
        loaded = self._loaded("invoices")
        if loaded is not None:
            return [i for i in loaded if i.status is InvoiceStatus.SENT and i.outstanding > 0]
        return [
            Invoice.from_doc(doc)
            for doc in self._raw("invoice")
            if doc.get("status") == "sent" and _raw_unpaid(doc)
        ]

    @cached_property
    def settled_invoices(self) -> tuple[tuple[str, dt.date, dt.date, dt.date], ...]:
        """(client id, issued, due on, date of the last payment) of every sent
        invoice paid in full: what payment behaviour is measured on.

        Read from the raw documents, so the daily review does not convert
        thousands of settled invoices to models. Malformed ones are left out
        (``rapport check`` reports them).
        """
        out = []
        loaded = self._loaded("invoices")
        if loaded is not None:
            for inv in loaded:
                if inv.status is InvoiceStatus.SENT and inv.issued and inv.payments and inv.outstanding <= 0:
                    dates = [p.date for p in inv.payments if p.date is not None]
                    if dates:
                        out.append((inv.client_id, inv.issued, inv.due_on, max(dates)))
            return tuple(out)
        for doc in self._raw("invoice"):
            if doc.get("status") != "sent" or not doc.get("payments") or _raw_unpaid(doc):
                continue
            try:
                issued = dt.date.fromisoformat(doc["issued"])
                terms = int(doc.get("terms_days", 14))
                last = dt.date.fromisoformat(max(p["date"] for p in doc["payments"]))
            except (KeyError, TypeError, ValueError):
                continue
            out.append((doc.get("client_id", ""), issued, issued + dt.timedelta(days=terms), last))
        return tuple(out)

    @cached_property
    def invoiced_periods(self) -> frozenset[tuple[str, str]]:
        """(client id, ``YYYY-MM``) of every retainer period on an invoice that is
        not void: those months are never invoiced again."""
        return frozenset(
            (doc.get("client_id", ""), doc["period"])
            for doc in self._raw("invoice")
            if doc.get("status") != "void" and isinstance(doc.get("period"), str)
        )

    @cached_property
    def invoiced_job_ids(self) -> frozenset[str]:
        """Ids of jobs on some invoice that is not void (a voided invoice leaves its
        jobs still to invoice)."""
        return frozenset(
            job_id
            for doc in self._raw("invoice")
            if doc.get("status") != "void"
            for job_id in (doc.get("job_ids") or ())
            if isinstance(job_id, str)
        )

    @cached_property
    def open_jobs(self) -> list[Job]:
        """Jobs not yet invoiced or closed: proposed, active or delivered."""
        wanted = ("proposed", "active", "delivered")
        loaded = self._loaded("jobs")
        if loaded is not None:
            return [j for j in loaded if j.status in wanted]
        return [Job.from_doc(doc) for doc in self._raw("job") if doc.get("status") in wanted]

    def jobs_to_invoice(self, client_id: str | None = None) -> list[Job]:
        """Delivered jobs not on an invoice that is not void, oldest delivery first
        (then by id): the one definition of "delivered, not yet invoiced", used by
        the scheduler's To invoice, the store's invoice checks and the screens.
        ``client_id`` keeps one client's."""
        invoiced = self.invoiced_job_ids
        jobs = [
            job for job in self.open_jobs
            if job.status is JobStatus.DELIVERED and job.id not in invoiced
            and (client_id is None or job.client_id == client_id)
        ]
        jobs.sort(key=lambda job: (job.delivered or dt.date.min, job.id))
        return jobs

    @cached_property
    def open_promises(self) -> list[Promise]:
        loaded = self._loaded("promises")
        if loaded is not None:
            return [p for p in loaded if p.status is PromiseStatus.OPEN]
        return [Promise.from_doc(doc) for doc in self._raw("promise") if doc.get("status") == "open"]

    @cached_property
    def pending_changes(self) -> list[Change]:
        """Changes of brief not answered yet (draft or proposed)."""
        wanted = ("draft", "proposed")
        loaded = self._loaded("changes")
        if loaded is not None:
            return [c for c in loaded if c.status in wanted]
        return [Change.from_doc(doc) for doc in self._raw("change") if doc.get("status") in wanted]

    def client_name(self, client_id: str) -> str:
        client = self.clients_by_id.get(client_id)
        return client.name if client else client_id

    def find_client(self, text: str) -> Client:
        return resolve_client(self.clients, text)

    def invoice(self, number_or_id: str) -> Invoice:
        if not number_or_id:  # a draft's number is empty: never matched by it
            raise NotFound(_("no invoice numbered ''"))
        for invoice in self.invoices:
            if invoice.number == number_or_id or invoice.id == number_or_id:
                return invoice
        raise NotFound(_("no invoice numbered {number!r}").format(number=number_or_id))


_TABLES: dict[str, type[Document]] = {
    "clients": Client, "contacts": Contact, "jobs": Job, "changes": Change,
    "promises": Promise, "rates": Rate, "invoices": Invoice, "templates": Template,
}
"""Snapshot's cached tables of models, by attribute name."""


def _raw_unpaid(doc: dict[str, Any]) -> bool:
    """Whether a stored invoice has something outstanding, without building it.

    Same arithmetic as :attr:`Invoice.outstanding` (each line rounded to the
    currency's minor unit). A malformed document counts as unpaid, so that
    converting it reports the problem instead of hiding it.
    """
    try:
        items, payments = doc["items"], doc.get("payments") or ()
        if not payments:
            return True
        if (
            len(items) == 1
            and len(payments) == 1
            and items[0]["quantity"] == "1"
            and items[0]["unit_price"] == payments[0]["amount"]
        ):
            return False  # the common case, paid in one go: no arithmetic needed
        currency = doc["currency"]
        total = sum(
            (quantize(Decimal(item["quantity"]) * Decimal(item["unit_price"]), currency) for item in doc["items"]),
            Decimal(0),
        )
        paid = sum((Decimal(p["amount"]) for p in doc.get("payments") or ()), Decimal(0))
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return True
    return total - paid > 0


def resolve_client(clients: Iterable[Client], text: str) -> Client:
    """A client by id, by name (any case), or by a unique prefix of the name."""
    text = text.strip()
    clients = list(clients)
    for client in clients:
        if client.id == text:
            return client
    folded = text.casefold()
    exact = [c for c in clients if c.name.casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    matches = [c for c in clients if c.name.casefold().startswith(folded)] if folded else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(_("no client matches {text!r}").format(text=text))
    names = ", ".join(sorted(c.name for c in matches)[:5])
    raise NotFound(_("{text!r} matches {n} clients ({names}); type more of the name").format(
        text=text, n=len(matches), names=names))


