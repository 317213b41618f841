"""Drafted messages: a template filled from the documents, ready to send by hand.

``rapport draft`` and the screens' draft preview both call :func:`draft`. It picks
the template for the kind of message (the person's copy, or the shipped one if
they deleted it), fills the placeholders from one :class:`~storage.store.Snapshot`
and returns a :class:`Draft`: the recipient, subject and Markdown body, plus what
could not be filled. rapport drafts; it never sends on its own. A draft can be
written out as an RFC 5322 message (``.eml``, or piped to the mail command) or as
Markdown.

Pure functions of (documents, today): no Textual, no file access.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from . import formats
from .i18n import N_, _, translation
from .interest import late_charges
from .languages import available_languages
from .models import (
    DEFAULT_FINAL_NOTICE_DAYS,
    Change,
    ChangeStatus,
    Client,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    Language,
    Person,
    PersonRole,
    Rate,
    RateStatus,
    RateUnit,
    Settings,
    Template,
    check_language,
)
from .scheduler import chase, final_notice_days_of, ladder_of
from .templates import default_template, fill
from .values import ValidationError
from .values import format_money as format_money  # re-exported: tests and older callers

if TYPE_CHECKING:
    from .snapshot import Snapshot

KINDS: tuple[str, ...] = ("checkin", "update", "change", "raise", "farewell", "invoice", "reminder", "statement")
"""What ``rapport draft KIND`` accepts. ``invoice`` and ``reminder`` take an invoice."""

INVOICE_KINDS = frozenset({"invoice", "reminder"})
BILLING_KINDS = frozenset({"invoice", "reminder", "statement"})
"""Messages that go to the billing contact (Cc the main one)."""

_HEADERS = {"to": N_("To"), "cc": N_("Cc"), "subject": N_("Subject")}


def header_words(language: Language | str) -> dict[str, str]:
    """The headers' names (``To``, ``Cc``, ``Subject``) in ``language``."""
    catalog = translation(str(language))
    return {key: catalog.gettext(text) for key, text in _HEADERS.items()}


class _HeaderWords(Mapping[Language, dict[str, str]]):
    """``HEADER_WORDS[language]``: :func:`header_words`, for any language."""

    def __getitem__(self, language: Language) -> dict[str, str]:
        return header_words(language)

    def __iter__(self) -> Iterator[Language]:
        return iter(available_languages())

    def __len__(self) -> int:
        return len(available_languages())


HEADER_WORDS: Mapping[Language, dict[str, str]] = _HeaderWords()

FINAL_NOTICE_DAYS = DEFAULT_FINAL_NOTICE_DAYS
"""How long a final notice gives to pay by default (settings: ``final_notice_days``):
``{pay_by}`` is today plus this."""


@dataclasses.dataclass(frozen=True, slots=True)
class Draft:
    """A message ready for the person to read, edit and send themselves.

    ``unknown`` names placeholders the template uses that are not in the fixed
    set (``clent`` for a typo ``{clent}``); ``missing`` names known ones with
    nothing to fill them from here (``deadline`` for a job without one). Names
    are given without braces. Both stay visible in the text as written, so
    nothing is silently dropped from a message to a client.
    """

    kind: str
    template_name: str
    language: str
    to: str
    """The client's email address (may be empty)."""
    subject: str
    body: str
    """Markdown."""
    unknown: tuple[str, ...] = ()
    level: int | None = None
    """For a reminder: the level it will be recorded with (reminders sent + 1)."""
    client_id: str = ""
    invoice_number: str | None = None
    missing: tuple[str, ...] = ()
    to_name: str = ""
    """The client's name, for the ``To:`` header."""
    cc: str = ""
    """The main contact, copied on invoices and reminders sent to billing."""
    cc_name: str = ""
    invoice_ids: tuple[str, ...] = ()
    """The invoices the message is about (a cover note or reminder: one; a
    statement: every unpaid one): each is attached as a PDF when it is sent."""

    @property
    def complete(self) -> bool:
        """True when every placeholder was filled."""
        return not self.unknown and not self.missing

    @property
    def unfilled(self) -> tuple[str, ...]:
        """The placeholders left unfilled that are still in the subject or the
        body (an edit in $EDITOR may have filled one by hand): unknown ones,
        then missing ones."""
        text = f"{self.subject}\n{self.body}"
        return tuple(name for name in (*self.unknown, *self.missing) if "{" + name + "}" in text)

    @property
    def recipient(self) -> str:
        """``Name <address>``, or just the address, or "" when the client has none."""
        return _address(self.to_name, self.to)

    @property
    def copied(self) -> str:
        """The ``Cc:`` address, or ""."""
        return _address(self.cc_name, self.cc) if self.cc else ""

    def as_eml(self, from_addr: str, *, date: dt.datetime,
               attachments: Sequence[tuple[str, bytes]] = ()) -> str:
        """The draft as an RFC 5322 message in UTF-8, for a ``.eml`` file or ``msmtp -t``.

        ``date`` is the store clock's now (the ``Date:`` header). With
        ``attachments`` (file name, PDF bytes) it is one ``multipart/mixed``
        message: the text, then each file as ``application/pdf``
        (storage.mail builds them for the invoices the draft is about).
        ``from_addr`` is ``Name <address>`` or an address (see :func:`from_address`);
        when empty, ``From:`` is left for the mail command to add. Header values
        are kept on one line (a newline in a client's name cannot add headers).
        The body is the Markdown text as ``text/plain``: quoted-printable when it
        is not plain short-lined ASCII, so no line breaks the 998-octet limit.
        """
        message = EmailMessage()
        if from_addr.strip():
            message["From"] = _one_line(from_addr)
        if self.to:
            message["To"] = self.recipient
        if self.cc:
            message["Cc"] = self.copied
        message["Subject"] = _one_line(self.subject)
        message["Date"] = format_datetime(date)
        body = self.body if self.body.endswith("\n") else self.body + "\n"
        plain = body.isascii() and all(len(line) <= 998 for line in body.splitlines())
        message.set_content(body, charset="utf-8", cte="7bit" if plain else "quoted-printable")
        for name, payload in attachments:
            message.add_attachment(payload, maintype="application", subtype="pdf", filename=name)
        return message.as_string()

    def as_markdown(self) -> str:
        """The draft as a Markdown document: recipient and subject, then the body."""
        words = header_words(self.language)
        lines = []
        if self.to:
            lines.append(f"**{words['to']}:** {self.recipient}")
        if self.cc:
            lines.append(f"**{words['cc']}:** {self.copied}")
        lines.append(f"**{words['subject']}:** {_one_line(self.subject)}")
        body = self.body if self.body.endswith("\n") else self.body + "\n"
        return "  \n".join(lines) + "\n\n" + body


def draft(
    kind: str,
    snapshot: Snapshot,
    target: Client | Invoice,
    today: dt.date,
    *,
    lang: Language | None = None,
    template: str | None = None,
) -> Draft:
    """Draft the message ``kind`` for ``target`` as of ``today``.

    ``target`` is a client (check-in, update, change, raise, farewell, statement;
    an invoice stands for its client there) or an invoice (invoice cover note,
    reminder). ``lang`` defaults to the settings' language. A reminder uses the
    next rung of the ladder: reminder1, then reminder2, then the final notice.
    Raises :class:`ValidationError` for a kind or target that makes no sense,
    such as a reminder for a paid invoice. ``template`` names the reminder
    template to use instead of the ladder's (a preview of reminder2 or the
    final notice: :func:`preview`).
    """
    if kind not in KINDS:
        raise ValidationError("kind", _("{kind!r} is not one of: {kinds}").format(kind=kind, kinds=', '.join(KINDS)))
    settings = snapshot.settings
    check_language(lang or settings.language, "lang")

    invoice: Invoice | None = None
    if kind in INVOICE_KINDS:
        if not isinstance(target, Invoice):
            raise ValidationError("target", _("a {kind} is drafted for an invoice, not a client").format(kind=kind))
        invoice = target
        client = _client_of(snapshot, invoice.client_id)
    elif isinstance(target, Invoice):
        client = _client_of(snapshot, target.client_id)
    elif isinstance(target, Client):
        client = target
    else:
        raise ValidationError("target", _("cannot draft a {kind} for {what}").format(
            kind=kind, what=type(target).__name__))

    language = str(lang or client.language or settings.language)
    fmt = _Formatter(language)
    values = _common_values(fmt, settings, client, today)
    about: tuple[str, ...] = (invoice.id,) if invoice is not None else ()
    level: int | None = None
    name = kind

    if kind in ("checkin", "update", "farewell"):
        values.update(_job_values(fmt, _current_job(snapshot, client)))
    elif kind == "change":
        change = _open_change(snapshot, client)
        job = snapshot.jobs_by_id.get(change.job_id) if change else _current_job(snapshot, client)
        values.update(_job_values(fmt, job))
        if change is not None:
            values.update(_change_values(fmt, change, job))
    elif kind == "raise":
        values.update(_job_values(fmt, _current_job(snapshot, client)))
        values.update(_raise_values(fmt, snapshot, client))
    elif kind == "statement":
        about = tuple(i.id for i in _unpaid(snapshot, client))
        values.update(_statement_values(fmt, snapshot, client, today))
    else:
        assert invoice is not None
        if kind == "reminder":
            if invoice.status is not InvoiceStatus.SENT:
                raise ValidationError(
                    "invoice", _("invoice {number} is {status}; only sent invoices are chased").format(
                        number=invoice.number, status=invoice.status)
                )
            if invoice.outstanding <= 0:
                raise ValidationError("invoice", _("invoice {number} is paid; there is nothing to chase").format(
                    number=invoice.number))
            ladder = ladder_of(snapshot)
            state = chase(invoice, ladder, today, final_notice_days_of(snapshot))
            # The reminder due, or the one next on the ladder; once every rung
            # has gone, the final notice again (with its own pay-by date).
            level = state.level if state.level is not None else len(ladder)
            name = reminder_template_name(level, len(ladder))
        values.update(_invoice_values(fmt, snapshot, invoice, today, level))

    if template is not None and kind == "reminder":
        name = template
    to, cc = recipients(client, kind)
    chosen = find_template(snapshot.templates, name, language)
    subject = fill(chosen.subject, values)
    body = fill(chosen.body, values)
    late = ""
    if name == "final" and invoice is not None:
        late = _late_paragraph(fmt, [invoice], snapshot, client, today)
    elif kind == "statement":
        late = _late_paragraph(fmt, _unpaid(snapshot, client), snapshot, client, today)
    if late:
        body = body._replace(text=_before_sign_off(body.text, late))
    return Draft(
        kind=kind,
        template_name=name,
        language=language,
        to=to.email if to else client.email,
        subject=subject.text,
        body=body.text,
        unknown=_merge(subject.unknown, body.unknown),
        level=level,
        client_id=client.id,
        invoice_number=invoice.number if invoice else None,
        missing=_merge(subject.missing, body.missing),
        to_name=to.name if to else client.name,
        cc=cc.email if cc else "",
        cc_name=cc.name if cc else "",
        invoice_ids=about,
    )


PREVIEW_KINDS = {"reminder1": "reminder", "reminder2": "reminder", "final": "reminder"}
"""The draft kind of each template, where it is not the template's own name."""


def preview(snapshot: Snapshot, name: str, language: Language, client: Client, today: dt.date) -> Draft:
    """Template ``name`` in ``language`` drafted for ``client`` as a real draft
    would be (the Templates screen's preview). A cover note uses the client's
    latest issued invoice, a reminder its oldest unpaid one; a client without
    one gets a ValidationError that says so."""
    kind = PREVIEW_KINDS.get(name, name)
    target: Client | Invoice = client
    if kind in INVOICE_KINDS:
        invoices = sorted((i for i in snapshot.invoices if i.client_id == client.id and i.status is InvoiceStatus.SENT),
                          key=lambda i: (i.issued or dt.date.min, i.number))
        if kind == "reminder":
            invoices = [i for i in invoices if i.outstanding > 0][:1]
        if not invoices:
            message = (_("{client} has no unpaid sent invoice to preview {name} with; pick another client")
                       if kind == "reminder" else
                       _("{client} has no sent invoice to preview {name} with; pick another client"))
            raise ValidationError("client", message.format(client=client.name, name=name))
        target = invoices[-1]
    return draft(kind, snapshot, target, today, lang=language, template=name)


def recipients(client: Client, kind: str) -> tuple[Person | None, Person | None]:
    """Who a message of ``kind`` goes to, and who is copied.

    Invoices, reminders and statements go to the billing contact, with the
    main contact copied when they differ; everything else to the main contact.
    With no people (or none with an address) the client's own email is used."""
    with_email = [p for p in client.people if p.email.strip()]
    main = next((p for p in with_email if p.role is PersonRole.MAIN), None)
    billing = next((p for p in with_email if p.role is PersonRole.BILLING), None)
    if kind in BILLING_KINDS:
        to = billing or main
        cc = main if billing is not None and main is not None and main.email != billing.email else None
        return to, cc
    return main or billing, None
def _late_paragraph(
    fmt: _Formatter, invoices: list[Invoice], snapshot: Snapshot, client: Client, today: dt.date
) -> str:
    """The late-payment interest and compensation owed on ``invoices`` today, in
    words with the figures; empty when the terms are off or nothing is overdue."""
    lines = []
    for invoice in sorted(invoices, key=lambda i: (i.issued or dt.date.min, i.number)):
        charges = late_charges(invoice, snapshot.settings, client, today)
        if charges is None or charges.days <= 0:
            continue
        lines.append(fmt.gettext(
            "- Invoice {number}: late-payment interest at {percent} % a year for {days} past due, {interest}; "
            "fixed compensation for recovery costs, {compensation}."
        ).format(number=invoice.number, percent=fmt.number(charges.percent), days=fmt.days(charges.days),
                 interest=fmt.money(charges.interest, invoice.currency),
                 compensation=fmt.money(charges.compensation, invoice.currency)))
    if not lines:
        return ""
    head = fmt.gettext(
        "Under the late-payment terms (EU Directive 2011/7/EU), as of {date} the following is also due:"
    ).format(date=fmt.date(today))
    return head + "\n\n" + "\n".join(lines)


def _before_sign_off(body: str, paragraph: str) -> str:
    """``paragraph`` inserted before the body's last paragraph (the sign-off)."""
    text = body.rstrip("\n")
    head, sep, last = text.rpartition("\n\n")
    if not sep:
        return f"{text}\n\n{paragraph}\n"
    return f"{head}\n\n{paragraph}\n\n{last}\n"


def reminder_template_name(level: int, ladder_length: int = 3) -> str:
    """The template for reminder ``level`` (1-based) on a ladder of ``ladder_length`` rungs.

    The first is the guide's gentle wording, the last rung and anything after it
    the final notice, the rungs between the firm reminder.
    """
    if level <= 1:
        return "reminder1"
    if level >= max(ladder_length, 2):
        return "final"
    return "reminder2"


def find_template(templates: Iterable[Template], name: str, language: Language) -> Template:
    """The person's template ``name`` in ``language``, else the shipped default.

    If several are stored under the same name and language, the one edited
    last wins.
    """
    lang = str(language)
    mine = [t for t in templates if t.name == name and t.language == lang]
    if mine:
        return max(mine, key=lambda t: t.updated_at)
    return default_template(name, lang)


def from_address(settings: Settings) -> str:
    """The ``From:`` value for the settings: ``Name <address>``, or ""."""
    return _address(settings.name or settings.business, settings.email)


def _address(name: str, addr: str) -> str:
    """``Name <addr>`` as people write it (quoted when the name needs it), unencoded."""
    addr = _one_line(addr)
    if not addr:
        return ""
    name = _one_line(name)
    if not name:
        return addr
    try:
        return str(Address(display_name=name, addr_spec=addr))
    except (HeaderParseError, ValueError, IndexError):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{addr}>'


# --------------------------------------------------------------------------- #
# Formatting
# --------------------------------------------------------------------------- #


def format_date(date: dt.date, language: Language = "en") -> str:
    """ISO ``2026-03-14`` in English, ``14/03/2026`` in Spanish (as dates are
    typed): :func:`storage.formats.short_date`."""
    return formats.short_date(date, str(language))


_WEEKS = {7: 1, 14: 2, 21: 3, 28: 4}


def terms_words(days: int, language: Language = "en") -> str:
    """Payment terms for the middle of a sentence: ``2 weeks``, ``30 days``, ``2 semanas``.

    Whole weeks up to four are said in weeks, as the guide does ("within 2 weeks").
    """
    weeks = _WEEKS.get(days)
    if weeks:
        return translation(str(language)).ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
    return formats.days(days, str(language), length="long")


def payment_terms_sentence(days: int, language: Language = "en") -> str:
    """The guide's payment-terms sentence for the invoice, right for any term.

    14 days gives the guide's words exactly: "Payment is due within two weeks of
    the invoice date." / "El pago vence dentro de las dos semanas posteriores a
    la fecha de la factura."
    """
    catalog = translation(str(language))
    weeks = _WEEKS.get(days)
    if days == 0:
        return catalog.gettext("Payment is due on the invoice date.")
    if weeks == 1:
        return catalog.gettext("Payment is due within one week of the invoice date.")
    if weeks == 2:
        return catalog.gettext("Payment is due within two weeks of the invoice date.")
    if weeks == 3:
        return catalog.gettext("Payment is due within three weeks of the invoice date.")
    if weeks == 4:
        return catalog.gettext("Payment is due within four weeks of the invoice date.")
    return catalog.ngettext("Payment is due within {n} day of the invoice date.",
                            "Payment is due within {n} days of the invoice date.", days).format(n=days)


_UNITS = {RateUnit.HOUR: N_("hour"), RateUnit.DAY: N_("day"), RateUnit.PROJECT: N_("project")}


class _Formatter:
    """Money, dates and words in one language: the client's, which a draft is
    written in (not the screens')."""

    def __init__(self, language: Language) -> None:
        self.lang = language
        self.catalog = translation(str(language))
        self.gettext = self.catalog.gettext

    def money(self, amount: Decimal | None, currency: str) -> str | None:
        return None if amount is None else formats.money(amount, currency, self.lang)

    def date(self, date: dt.date | None) -> str | None:
        return None if date is None else formats.short_date(date, self.lang)

    def number(self, value: Decimal) -> str:
        return formats.number(value, self.lang)

    def unit(self, unit: RateUnit) -> str:
        return self.gettext(_UNITS[unit])

    def days(self, n: int) -> str:
        return formats.days(n, self.lang, length="long")

    def totals(self, amounts: dict[str, Decimal]) -> str:
        """Amounts in several currencies, by currency code: ``1,200.00 EUR + 300.00 USD``."""
        return " + ".join(self.money(a, c) or "" for c, a in sorted(amounts.items()))


# --------------------------------------------------------------------------- #
# Values, per kind of message
# --------------------------------------------------------------------------- #

Values = dict[str, "str | None"]


def _common_values(fmt: _Formatter, settings: Settings, client: Client, today: dt.date) -> Values:
    signature = [settings.name, settings.business, settings.email, settings.phone, settings.website]
    lines = [_hard_breaks(s) for s in signature if s and s.strip()]
    rate = client.rate
    greeted = client.main_contact or client.billing_contact
    return {
        "client": client.name,
        "first_name": (greeted.first_name if greeted else "") or client.name,
        "company": client.company,
        "client_email": client.email,
        "my_name": settings.name,
        "my_business": settings.business,
        "my_email": settings.email,
        "my_phone": settings.phone,
        "my_website": settings.website,
        "my_address": _hard_breaks(settings.address),
        "signature": "  \n".join(lines) or None,
        "today": fmt.date(today),
        "currency": client.currency,
        "rate": fmt.money(rate, client.currency),
        "rate_unit": fmt.unit(client.rate_unit) if rate is not None else None,
        "terms_days": str(client.terms_days),
        "terms": terms_words(client.terms_days, fmt.lang),
        "payment_terms": payment_terms_sentence(client.terms_days, fmt.lang),
    }


def _job_values(fmt: _Formatter, job: Job | None) -> Values:
    if job is None:
        return {}
    return {
        "job": job.title,
        "price": fmt.money(job.price, job.currency),
        "deadline": fmt.date(job.deadline),
    }


def _change_values(fmt: _Formatter, change: Change, job: Job | None) -> Values:
    currency = job.currency if job else "EUR"
    lines = []
    if change.price is not None:
        if job is not None and job.price is not None:
            lines.append(fmt.gettext("- Price: {new} (instead of {old})").format(
                new=fmt.money(change.price, currency), old=fmt.money(job.price, currency)))
        else:
            lines.append(fmt.gettext("- Price: {new}").format(new=fmt.money(change.price, currency)))
    if change.deadline is not None:
        if job is not None and job.deadline is not None:
            lines.append(fmt.gettext("- Deadline: {new} (instead of {old})").format(
                new=fmt.date(change.deadline), old=fmt.date(job.deadline)))
        else:
            lines.append(fmt.gettext("- Deadline: {new}").format(new=fmt.date(change.deadline)))
    return {
        "change": change.what.strip(),
        "new_price": fmt.money(change.price, currency),
        "new_deadline": fmt.date(change.deadline),
        "proposal": "\n".join(lines) or None,
    }


def _raise_values(fmt: _Formatter, snapshot: Snapshot, client: Client) -> Values:
    values: Values = {}
    current = client.rate
    if current is None:
        # No rate on the client: the newest accepted rate in its history.
        accepted = [r for r in snapshot.rates if r.client_id == client.id and r.status is RateStatus.ACCEPTED]
        if accepted:
            latest = max(accepted, key=_rate_order)
            values["rate"] = fmt.money(latest.amount, latest.currency)
            values["rate_unit"] = fmt.unit(latest.unit)
    pending = _pending_rate(snapshot, client)
    if pending is not None:
        values["new_rate"] = fmt.money(pending.amount, pending.currency)
        values["rate_unit"] = fmt.unit(pending.unit)
        values["reason"] = pending.reason.strip()
        values["currency"] = pending.currency
    return values


def _unpaid(snapshot: Snapshot, client: Client) -> list[Invoice]:
    """What a statement lists: the client's sent invoices with money owed, oldest first."""
    return sorted(
        (
            i
            for i in snapshot.invoices
            if i.client_id == client.id and i.status is InvoiceStatus.SENT and i.outstanding > 0
        ),
        key=lambda i: (i.issued or dt.date.min, i.number),
    )


def _statement_values(fmt: _Formatter, snapshot: Snapshot, client: Client, today: dt.date) -> Values:
    unpaid = _unpaid(snapshot, client)
    totals: dict[str, Decimal] = {}
    lines = []
    for invoice in unpaid:
        totals[invoice.currency] = totals.get(invoice.currency, Decimal(0)) + invoice.outstanding
        lines.append(_statement_line(fmt, invoice, today))
    if not lines:
        lines.append(fmt.gettext("- Nothing is outstanding."))
        totals[client.currency] = Decimal(0)
    return {"statement_lines": "\n".join(lines), "outstanding": fmt.totals(totals)}


def _statement_line(fmt: _Formatter, invoice: Invoice, today: dt.date) -> str:
    amount = fmt.money(invoice.outstanding, invoice.currency)
    if invoice.paid > 0:
        amount = fmt.gettext("{outstanding} (of {total})").format(
            outstanding=amount, total=fmt.money(invoice.total, invoice.currency))
    late = (today - invoice.due_on).days if invoice.issued else 0
    if late > 0:
        state = (fmt.gettext("{days} overdue, on hold") if invoice.on_hold
                 else fmt.gettext("{days} overdue")).format(days=fmt.days(late))
    else:
        state = fmt.gettext("not yet due, on hold") if invoice.on_hold else fmt.gettext("not yet due")
    return fmt.gettext("- Invoice {number} of {issued}, due {due}: {amount} ({state})").format(
        number=invoice.number, issued=fmt.date(invoice.issued),
        due=fmt.date(invoice.due_on) if invoice.issued else None, amount=amount, state=state)


def _invoice_values(
    fmt: _Formatter, snapshot: Snapshot, invoice: Invoice, today: dt.date, level: int | None
) -> Values:
    titles = [snapshot.jobs_by_id[j].title for j in invoice.job_ids if j in snapshot.jobs_by_id]
    # "I wrote to you on ...": the latest reminder sent on or before today.
    sent = [r.date for r in invoice.reminders if r.date is not None and r.date <= today]
    pay_by = today + dt.timedelta(days=final_notice_days_of(snapshot))
    if level is not None and level >= len(ladder_of(snapshot)):
        state = chase(invoice, ladder_of(snapshot), today, final_notice_days_of(snapshot))
        if state.pay_by is not None:  # a final notice already went: keep its date
            pay_by = state.pay_by
    values: Values = {
        "invoice_number": invoice.number,
        "invoice_date": fmt.date(invoice.issued),
        "total": fmt.money(invoice.total, invoice.currency),
        "outstanding": fmt.money(invoice.outstanding, invoice.currency),
        "currency": invoice.currency,
        "terms_days": str(invoice.terms_days),
        "terms": terms_words(invoice.terms_days, fmt.lang),
        "payment_terms": payment_terms_sentence(invoice.terms_days, fmt.lang),
        "last_reminder_date": fmt.date(max(sent)) if sent else None,
        "pay_by": fmt.date(pay_by),
        "job": ", ".join(titles) or None,
    }
    if invoice.issued is not None:
        values["due_date"] = fmt.date(invoice.due_on)
        values["days_overdue"] = str(max(0, (today - invoice.due_on).days))
    if level is not None:
        values["reminder_level"] = str(level)
    return values


# --------------------------------------------------------------------------- #
# Picking the documents a message is about
# --------------------------------------------------------------------------- #


def _client_of(snapshot: Snapshot, client_id: str) -> Client:
    client = snapshot.clients_by_id.get(client_id)
    if client is None:
        raise ValidationError("client", _("no client with id {client_id!r}").format(client_id=client_id))
    return client


def _id_number(doc_id: str) -> int:
    """``job-12`` -> 12: ids are handed out in order, so this orders by creation."""
    match = re.search(r"(\d+)$", doc_id)
    return int(match.group(1)) if match else 0


def _current_job(snapshot: Snapshot, client: Client) -> Job | None:
    """The job a message is most likely about: active (or proposed), nearest deadline first."""
    open_jobs = [
        j for j in snapshot.jobs if j.client_id == client.id and j.status in (JobStatus.ACTIVE, JobStatus.PROPOSED)
    ]
    if not open_jobs:
        return None
    return min(
        open_jobs,
        key=lambda j: (
            j.status is not JobStatus.ACTIVE,
            j.deadline is None,
            j.deadline or dt.date.max,
            -_id_number(j.id),
        ),
    )


def _open_change(snapshot: Snapshot, client: Client) -> Change | None:
    """The newest change of brief on the client's jobs that is not yet answered."""
    job_ids = {j.id for j in snapshot.jobs if j.client_id == client.id}
    open_changes = [
        c
        for c in snapshot.changes
        if (c.client_id == client.id or c.job_id in job_ids)
        and c.status in (ChangeStatus.PROPOSED, ChangeStatus.DRAFT)
    ]
    if not open_changes:
        return None
    return max(open_changes, key=lambda c: (c.created_at, _id_number(c.id)))


def _pending_rate(snapshot: Snapshot, client: Client) -> Rate | None:
    pending = [r for r in snapshot.rates if r.client_id == client.id and r.status is RateStatus.PROPOSED]
    return max(pending, key=_rate_order) if pending else None


def _rate_order(rate: Rate) -> tuple[dt.date, int]:
    return (rate.since or dt.date.min, _id_number(rate.id))


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(token for group in groups for token in group))


def _hard_breaks(text: str) -> str:
    """Several lines kept apart when the Markdown is rendered (two spaces, newline)."""
    return "  \n".join(line.strip() for line in text.strip().splitlines() if line.strip())


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _one_line(text: str) -> str:
    """Text for a header or a single line: control characters and newlines become a space."""
    return _CONTROL.sub(" ", text).strip()
