"""Clients: add, edit (names unique), people, retainers, snooze, archive,
delete and undo; contacts logged; one client's documents for its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tinydb import where

from ..core import Deleted, StoreCore, changed_fields
from ..errors import ValidationError
from ..i18n import _
from ..models import (
    Change,
    Client,
    ClientStatus,
    Contact,
    Document,
    Invoice,
    Job,
    Person,
    Promise,
    Rate,
    RateStatus,
    Retainer,
)
from ..snapshot import resolve_client
from ..values import parse_money


class ClientWorkflows(StoreCore):
    """What happens to a client and its contact log."""

    # -- clients ------------------------------------------------------------ #

    def find_client(self, text: str) -> Client:
        return resolve_client(self.all(Client), text)

    def _check_unique_name(self, name: str, own_id: str = "") -> None:
        folded = name.strip().casefold()
        for other in self.all(Client):
            if other.id != own_id and other.name.strip().casefold() == folded:
                raise ValidationError("name", _("a client named {name!r} already exists").format(name=other.name))

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
                raise ValidationError("retainer", _("{client} has no retainer").format(client=client.name))
            if client.retainer.since is not None and on < client.retainer.since:
                raise ValidationError("on", _("the retainer runs from {date}").format(
                    date=client.retainer.since.isoformat()))
            return self._save(client.replace(retainer=client.retainer.replace(until=on)))

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
            owners: dict[type[Document], Any] = {
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

    def delete_contact(self, contact_id: str) -> Contact:
        """Remove one logged contact from the history (a slip: the wrong
        client, logged twice). Returns what was removed; ``undo`` brings it back."""
        with self.transaction():
            contact = self.get(Contact, contact_id)
            self._table(Contact).remove(where("id") == contact_id)
        return contact

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


