"""A draft as the email that is sent: the text, and each invoice it is about
attached as ``invoice-NUMBER.pdf``, so "I attach it again" is true.

One function for every way a draft leaves rapport (a ``.eml`` file, the mail
command, ``rapport draft --eml``). Pure: it returns the message as text.
"""

from __future__ import annotations

import datetime as dt

from .drafts import Draft
from .snapshot import Snapshot


def attachments(draft: Draft, snapshot: Snapshot, *, now: dt.datetime) -> list[tuple[str, bytes]]:
    """(file name, PDF) for each invoice the draft is about, in its order."""
    if not draft.invoice_ids:
        return []
    from .invoice_pdf import attachment_name, invoice_pdf

    by_id = {invoice.id: invoice for invoice in snapshot.invoices}
    found = [by_id[i] for i in draft.invoice_ids if i in by_id]
    return [(attachment_name(inv), invoice_pdf(snapshot, inv, created=now, lang=draft.language)) for inv in found]


def eml(draft: Draft, snapshot: Snapshot, *, from_addr: str, now: dt.datetime) -> str:
    """The draft as one RFC 5322 message, with its invoices attached."""
    return draft.as_eml(from_addr, date=now, attachments=attachments(draft, snapshot, now=now))
