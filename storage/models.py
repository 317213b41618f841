"""The documents rapport keeps, as typed dataclasses.

Each model knows its TinyDB table, converts itself to and from the stored JSON
document (``to_doc``/``from_doc``) and validates itself (``validate``), raising a
:class:`~storage.values.ValidationError` that names the field. Stored documents are
plain JSON: dates are ISO strings, money is a decimal string next to its currency.

Conversion is driven by the field annotations, so adding a field is one line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Self

from .i18n import _
from .values import (
    ValidationError,
    cut,
    minor_units,
    parse_currency,
    parse_decimal,
    parse_email,
    quantize,
)

SCHEMA_VERSION = 4
"""The data file's current schema. Older files are migrated on open (migrations.py).

Fields added later with a default (settings' final-notice days and late-payment
terms, a client's retainer and interest flag, an invoice's period and call date)
need no migration: a key missing from an older file takes the default on read."""

_PERIOD_RE = re.compile(r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$")
"""A retainer period: a month, ``YYYY-MM``."""


class ClientStatus(StrEnum):
    LEAD = "lead"
    ACTIVE = "active"
    PAUSED = "paused"
    FORMER = "former"


class Channel(StrEnum):
    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    MESSAGE = "message"


class Direction(StrEnum):
    OUT = "out"
    IN = "in"


class ContactKind(StrEnum):
    CHECK_IN = "check-in"
    PROGRESS_UPDATE = "progress update"
    INTERIM_VERSION = "interim version"
    PROPOSAL = "proposal"
    REMINDER = "reminder"
    OTHER = "other"


class InvoicingRule(StrEnum):
    ON_DELIVERY = "on_delivery"
    MONTHLY = "monthly"


class RateUnit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    PROJECT = "project"


class JobStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    DELIVERED = "delivered"
    INVOICED = "invoiced"
    CLOSED = "closed"


class ChangeStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PromiseStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    DROPPED = "dropped"


class RateStatus(StrEnum):
    ACCEPTED = "accepted"
    PROPOSED = "proposed"
    DECLINED = "declined"


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    VOID = "void"
    WRITTEN_OFF = "written_off"


Language = str
"""A language code: one of :func:`storage.languages.available_languages` (``en``,
``es``, and any language whose folder was added). Checked at every door by
:func:`check_language`; the list is open, so it is not an enum."""


def check_language(value: object, name: str = "language") -> str:
    """``value`` if it is an available language, else a ValidationError that
    lists the available ones."""
    from .languages import available_languages

    languages = available_languages()
    if not isinstance(value, str) or value not in languages:
        raise ValidationError(name, f"{cut(value)} is not one of the available languages: {', '.join(languages)}")
    return value


class PersonRole(StrEnum):
    MAIN = "main"
    BILLING = "billing"


# --------------------------------------------------------------------------- #
# Conversion driven by annotations
# --------------------------------------------------------------------------- #

_ENUMS: dict[str, type[StrEnum]] = {
    cls.__name__: cls
    for cls in (
        ClientStatus, Channel, Direction, ContactKind, InvoicingRule, RateUnit,
        JobStatus, ChangeStatus, PromiseStatus, RateStatus, InvoiceStatus, PersonRole,
    )
}
_NESTED = ("LineItem", "Payment", "Reminder", "TaxLine", "Person", "Retainer")


def _identity(value: Any) -> Any:
    return value


def _converters(annotation: str, name: str) -> tuple[Any, Any]:
    """(load, dump) for one annotation, as written in this module."""
    optional = annotation.endswith(" | None")
    base = annotation.removesuffix(" | None")
    load: Any
    dump: Any
    if base == "dt.date":
        def load(v: Any) -> dt.date:
            try:
                return dt.date.fromisoformat(v)
            except (TypeError, ValueError):
                raise ValidationError(name, _("{value!r} is not an ISO date").format(value=v)) from None
        dump = dt.date.isoformat
    elif base == "Decimal":
        def load(v: Any) -> Decimal:
            return parse_decimal(v, name, allow_negative=True)
        def dump(v: Decimal) -> str:
            return format(v, "f")
    elif base in _ENUMS:
        enum = _ENUMS[base]
        def load(v: Any) -> StrEnum:
            try:
                return enum(v)
            except ValueError:
                allowed = ", ".join(m.value for m in enum)
                raise ValidationError(name, _("{value!r} is not one of: {allowed}").format(
                    value=v, allowed=allowed)) from None
        dump = str
    elif base == "Language":
        def load(v: Any) -> str:
            return check_language(v, name)
        dump = str
    elif base.startswith("list[") and base[5:-1] in _NESTED:
        nested = globals()[base[5:-1]]
        def load(v: Any) -> list:
            return [nested.from_doc(item) for item in v]
        def dump(v: list) -> list:
            return [item.to_doc() for item in v]
    elif base in _NESTED:
        def load(v: Any, _name: str = base) -> Any:
            return globals()[_name].from_doc(v)
        def dump(v: Any) -> Any:
            return v.to_doc()
    elif base in ("list[str]", "list[int]"):
        load = dump = list
    elif base == "dict":
        load = dump = dict
    elif base in ("list[dict]",):
        def load(v: Any) -> list:
            return [dict(item) for item in v]
        dump = load
    elif base in ("str", "int", "bool"):
        load = dump = _identity
    else:  # pragma: no cover - a programming error caught by the tests
        raise TypeError(f"no converter for {annotation!r}")
    if optional:
        inner_load, inner_dump = load, dump
        def load(v: Any, _f: Any = inner_load) -> Any:
            return None if v is None else _f(v)
        def dump(v: Any, _f: Any = inner_dump) -> Any:
            return None if v is None else _f(v)
    return load, dump


@dataclass(slots=True, kw_only=True)
class Record:
    """Something stored as a JSON object: converts by its annotations."""

    @classmethod
    def _fields(cls) -> tuple[tuple[str, Any, Any], ...]:
        codec = cls.__dict__.get("_codec_cache")
        if codec is None:
            codec = tuple(
                (f.name, *_converters(str(f.type), f.name))
                for f in dataclasses.fields(cls)
                if f.name != "extra"
            )
            type.__setattr__(cls, "_codec_cache", codec)
        return codec

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Build from a stored document. Unknown keys are kept in ``extra``."""
        if not isinstance(doc, dict):
            raise ValidationError(cls.__name__.lower(), _("is not a JSON object"))
        values: dict[str, Any] = {}
        for name, load, _dump in cls._fields():
            if name in doc:
                values[name] = load(doc[name])
        obj = cls(**values)
        if len(doc) > len(values):
            known = {name for name, __, ___ in cls._fields()}
            extra = {k: v for k, v in doc.items() if k not in known}
            if extra and hasattr(obj, "extra"):
                obj.extra = extra
        return obj

    def to_doc(self) -> dict[str, Any]:
        """The JSON document to store: plain str/int/bool/list/dict values."""
        doc = {name: dump(getattr(self, name)) for name, __, dump in self._fields()}
        extra = getattr(self, "extra", None)
        if extra:
            for key, value in extra.items():
                doc.setdefault(key, value)
        return doc

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)


@dataclass(slots=True, kw_only=True)
class Document(Record):
    """A top-level document: a stable id that is never reused, and timestamps."""

    TABLE: ClassVar[str] = ""
    PREFIX: ClassVar[str] = ""

    id: str = ""
    created_at: str = ""
    updated_at: str = ""
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    def validate(self) -> None:
        """Raise ValidationError naming the first bad field."""


def _require_text(value: str, name: str, *, max_len: int = 200) -> None:
    if not value or not value.strip():
        raise ValidationError(name, _("is required"))
    if len(value) > max_len:
        raise ValidationError(name, _("is longer than {n} characters").format(n=max_len))


def _check_currency(value: str, name: str = "currency") -> None:
    if parse_currency(value, name) != value:
        raise ValidationError(name, _("{value!r} must be an upper-case ISO 4217 code").format(value=value))


def _check_money(value: Decimal | None, currency: str, name: str, *, allow_negative: bool = False) -> None:
    if value is None:
        return
    if value < 0 and not allow_negative:
        raise ValidationError(name, _("must not be negative"))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > minor_units(currency):
        raise ValidationError(name, _("{currency} amounts have at most {n} decimals").format(
            currency=currency, n=minor_units(currency)))


@dataclass(slots=True, kw_only=True)
class TaxLine(Record):
    """A tax on an invoice: added to it (VAT/IVA 21 %) or withheld from it
    (IRPF 15 %). Its amount is the subtotal times the percent, rounded half up
    to the currency's minor unit, line by line."""

    name: str = ""
    percent: Decimal = Decimal(0)
    withheld: bool = False

    def amount(self, subtotal: Decimal, currency: str) -> Decimal:
        """What this line adds (or, withheld, takes off): always positive."""
        return quantize(subtotal * self.percent / 100, currency)

    def validate(self) -> None:
        _require_text(self.name, "tax name", max_len=40)
        if not isinstance(self.percent, Decimal) or not 0 <= self.percent <= 100:
            raise ValidationError("tax percent", _("{name}: {percent} is not a percent from 0 to 100").format(
                name=self.name, percent=self.percent))


def check_tax_lines(lines: list[TaxLine]) -> None:
    for line in lines:
        line.validate()


def parse_tax_lines(text: str, field_name: str = "tax_lines") -> list[TaxLine]:
    """Tax lines as typed: ``IVA 21, IRPF -15`` (a negative percent is withheld),
    or one a line; ``21 %`` and ``21%`` are fine, and so is ``15 withheld``.
    Empty text is no tax lines."""
    lines: list[TaxLine] = []
    for part in text.replace("\n", ",").replace(";", ",").split(","):
        words = part.replace("%", " ").split()
        if not words:
            continue
        withheld = words[-1].casefold() in ("withheld", "retenido", "retención")
        if withheld:
            words = words[:-1]
        if len(words) < 2:
            raise ValidationError(field_name, _("{text!r}: write a name and a percent, like IVA 21 or IRPF -15").format(
                text=part.strip()))
        number = parse_decimal(words[-1].replace(",", "."), field_name, allow_negative=True)
        line = TaxLine(name=" ".join(words[:-1]), percent=abs(number), withheld=withheld or number < 0)
        line.validate()
        lines.append(line)
    return lines


def tax_lines_text(lines: list[TaxLine] | None) -> str:
    """The text :func:`parse_tax_lines` reads back: ``IVA 21, IRPF -15``."""
    return ", ".join(f"{line.name} {'-' if line.withheld else ''}{format(line.percent.normalize(), 'f')}"
                     for line in lines or [])


@dataclass(slots=True, kw_only=True)
class Person(Record):
    """Someone at a client: the main contact (greetings) or billing (invoices)."""

    name: str = ""
    email: str = ""
    role: PersonRole = PersonRole.MAIN

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        return parts[0] if parts else ""


# --------------------------------------------------------------------------- #
# Documents
# --------------------------------------------------------------------------- #


@dataclass(slots=True, kw_only=True)
class Retainer(Record):
    """A fixed monthly fee: invoiced once a month, on its day, for that month."""

    amount: Decimal = Decimal(0)
    currency: str = "EUR"
    covers: str = ""
    """What the fee covers, the invoice line's words (e.g. "Website care")."""
    day: int = 1
    """The day of the month it is invoiced on, 1-28 (every month has it)."""
    since: dt.date | None = None
    """The first day it runs from."""
    until: dt.date | None = None
    """The last day it runs to; None while it goes on."""

    def validate(self) -> None:
        _require_text(self.covers, "covers", max_len=500)
        _check_currency(self.currency)
        _check_money(self.amount, self.currency, "amount")
        if self.amount <= 0:
            raise ValidationError("amount", _("must be greater than 0"))
        if not isinstance(self.day, int) or isinstance(self.day, bool) or not 1 <= self.day <= 28:
            raise ValidationError("day", _("{day!r} is not a day of the month from 1 to 28").format(day=self.day))
        if self.since is None:
            raise ValidationError("from", _("is required"))
        if self.until is not None and self.until < self.since:
            raise ValidationError("until", _("is before the date it runs from"))


@dataclass(slots=True, kw_only=True)
class Client(Document):
    """A client: who they are, how often to check in, their terms and current rate."""

    TABLE: ClassVar[str] = "client"
    PREFIX: ClassVar[str] = "client"

    name: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    channel: Channel = Channel.EMAIL
    timezone: str = ""
    status: ClientStatus = ClientStatus.ACTIVE
    since: dt.date | None = None
    cadence_days: int = 7
    terms_days: int = 14
    invoicing: InvoicingRule = InvoicingRule.ON_DELIVERY
    invoice_within_hours: int = 24
    rate: Decimal | None = None
    currency: str = "EUR"
    rate_unit: RateUnit = RateUnit.HOUR
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    snoozed_until: dt.date | None = None
    people: list[Person] = field(default_factory=list)
    """Who to write to: greetings use the main contact, invoices go to billing."""
    legal_name: str = ""
    address: str = ""
    tax_id: str = ""
    language: Language | None = None
    """Drafts and invoices for this client; None: the settings' language."""
    tax_lines: list[TaxLine] | None = None
    """Overrides the settings' default tax lines (``[]``: none, e.g. reverse charge)."""
    tax_note: str = ""
    """Printed on the invoice under the taxes, e.g. "Reverse charge"."""

    def person(self, role: PersonRole) -> Person | None:
        """The first person with ``role``."""
        return next((p for p in self.people if p.role is role), None)

    @property
    def main_contact(self) -> Person | None:
        return self.person(PersonRole.MAIN)

    @property
    def billing_contact(self) -> Person | None:
        """Who invoices and reminders go to: billing, else the main contact."""
        return self.person(PersonRole.BILLING) or self.person(PersonRole.MAIN)
    retainer: Retainer | None = None
    """A fixed monthly fee, if the client pays one."""
    late_interest: bool = True
    """Whether late-payment interest and compensation apply (a business client: yes)."""

    def validate(self) -> None:
        _require_text(self.name, "name")
        if self.retainer is not None:
            self.retainer.validate()
        parse_email(self.email)
        for person in self.people:
            _require_text(person.name, "person name")
            parse_email(person.email, "person email")
        if self.tax_lines is not None:
            check_tax_lines(self.tax_lines)
        for name in ("legal_name", "tax_id", "tax_note"):
            if len(getattr(self, name)) > 200:
                raise ValidationError(name, _("is longer than 200 characters"))
        if len(self.address) > 1000:
            raise ValidationError("address", _("is longer than 1,000 characters"))
        if self.since is None:
            raise ValidationError("since", _("is required"))
        for name in ("cadence_days", "terms_days", "invoice_within_hours"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 36500:
                raise ValidationError(name, _("{value!r} is not a number of days from 0 to 36500").format(value=value))
        if self.cadence_days == 0:
            raise ValidationError("cadence_days", _("must be greater than 0"))
        _check_currency(self.currency)
        _check_money(self.rate, self.currency, "rate")
        if len(self.notes) > 100_000:
            raise ValidationError("notes", _("is longer than 100,000 characters"))


@dataclass(slots=True, kw_only=True)
class Contact(Document):
    """One contact with a client (an email, a call...), in either direction."""

    TABLE: ClassVar[str] = "contact"
    PREFIX: ClassVar[str] = "contact"

    client_id: str = ""
    date: dt.date | None = None
    channel: Channel = Channel.EMAIL
    direction: Direction = Direction.OUT
    summary: str = ""
    kind: ContactKind = ContactKind.CHECK_IN

    def validate(self) -> None:
        _require_text(self.client_id, "client")
        if self.date is None:
            raise ValidationError("date", _("is required"))
        if len(self.summary) > 100_000:
            raise ValidationError("summary", _("is longer than 100,000 characters"))


@dataclass(slots=True, kw_only=True)
class Job(Document):
    """A piece of work for a client: the brief, the agreed price and deadline, delivery."""

    TABLE: ClassVar[str] = "job"
    PREFIX: ClassVar[str] = "job"

    client_id: str = ""
    title: str = ""
    brief: str = ""
    price: Decimal | None = None
    currency: str = "EUR"
    deadline: dt.date | None = None
    status: JobStatus = JobStatus.ACTIVE
    delivered: dt.date | None = None
    history: list[dict] = field(default_factory=list)
    """Old values replaced by accepted changes: {date, change_id, price, deadline}."""

    def validate(self) -> None:
        _require_text(self.client_id, "client")
        _require_text(self.title, "title")
        _check_currency(self.currency)
        _check_money(self.price, self.currency, "price")
        if self.status in (JobStatus.DELIVERED, JobStatus.INVOICED) and self.delivered is None:
            raise ValidationError("delivered", _("is required once the job is delivered"))


@dataclass(slots=True, kw_only=True)
class Change(Document):
    """A change of brief on a job: what changes, the new price or deadline, the answer."""

    TABLE: ClassVar[str] = "change"
    PREFIX: ClassVar[str] = "change"

    job_id: str = ""
    client_id: str = ""
    what: str = ""
    price: Decimal | None = None
    deadline: dt.date | None = None
    sent: dt.date | None = None
    status: ChangeStatus = ChangeStatus.PROPOSED
    answered: dt.date | None = None

    def validate(self) -> None:
        _require_text(self.job_id, "job")
        _require_text(self.what, "what", max_len=10_000)
        if self.price is not None and self.price < 0:
            raise ValidationError("price", _("must not be negative"))
        if self.status is not ChangeStatus.DRAFT and self.sent is None:
            raise ValidationError("sent", _("is required once the change is proposed"))


@dataclass(slots=True, kw_only=True)
class Promise(Document):
    """Something promised to a client, by a date: kept, broken or dropped."""

    TABLE: ClassVar[str] = "promise"
    PREFIX: ClassVar[str] = "promise"

    client_id: str = ""
    job_id: str | None = None
    text: str = ""
    due: dt.date | None = None
    status: PromiseStatus = PromiseStatus.OPEN
    closed: dt.date | None = None
    auto: str = ""
    """Why rapport made this promise itself: ``invoice`` for the invoicing promise
    made when a job is delivered under ``on_delivery``; empty when typed."""

    def validate(self) -> None:
        _require_text(self.client_id, "client")
        _require_text(self.text, "text", max_len=10_000)
        if self.due is None:
            raise ValidationError("due", _("is required"))


@dataclass(slots=True, kw_only=True)
class Rate(Document):
    """A client's rate from a date, or a price raise proposed to them."""

    TABLE: ClassVar[str] = "rate"
    PREFIX: ClassVar[str] = "rate"

    client_id: str = ""
    amount: Decimal = Decimal(0)
    currency: str = "EUR"
    unit: RateUnit = RateUnit.HOUR
    since: dt.date | None = None
    """From when the rate applies (for a proposal: the date it was proposed)."""
    reason: str = ""
    status: RateStatus = RateStatus.ACCEPTED
    sent: dt.date | None = None
    """For a price-raise proposal: when it was sent to the client."""
    answered: dt.date | None = None

    def validate(self) -> None:
        _require_text(self.client_id, "client")
        _check_currency(self.currency)
        _check_money(self.amount, self.currency, "amount")
        if self.since is None:
            raise ValidationError("since", _("is required"))


@dataclass(slots=True, kw_only=True)
class LineItem(Record):
    """One line of an invoice."""

    description: str = ""
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = Decimal(0)

    def total(self, currency: str) -> Decimal:
        return quantize(self.quantity * self.unit_price, currency)


@dataclass(slots=True, kw_only=True)
class Payment(Record):
    """A payment received on an invoice."""

    date: dt.date | None = None
    amount: Decimal = Decimal(0)


@dataclass(slots=True, kw_only=True)
class Reminder(Record):
    """A payment reminder sent for an invoice."""

    date: dt.date | None = None
    level: int = 1
    channel: Channel = Channel.EMAIL


@dataclass(slots=True, kw_only=True)
class Invoice(Document):
    """An invoice: its lines, terms, payments and the reminders sent."""

    TABLE: ClassVar[str] = "invoice"
    PREFIX: ClassVar[str] = "invoice"

    number: str = ""
    client_id: str = ""
    job_ids: list[str] = field(default_factory=list)
    items: list[LineItem] = field(default_factory=list)
    currency: str = "EUR"
    issued: dt.date | None = None
    terms_days: int = 14
    status: InvoiceStatus = InvoiceStatus.SENT
    payments: list[Payment] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    on_hold: bool = False
    tax_lines: list[TaxLine] = field(default_factory=list)
    """The taxes and their rates, copied when it is issued: a later change of
    the settings never alters an issued invoice."""
    tax_note: str = ""

    @property
    def label(self) -> str:
        """Its number, or "draft" before it is issued (a draft has no number)."""
        return self.number or "draft"

    @property
    def subtotal(self) -> Decimal:
        return sum((item.total(self.currency) for item in self.items), Decimal(0))

    def taxes(self) -> list[tuple[TaxLine, Decimal]]:
        """Each tax line and its amount (positive; a withheld one is taken off)."""
        subtotal = self.subtotal
        return [(line, line.amount(subtotal, self.currency)) for line in self.tax_lines]
    period: str | None = None
    """For a retainer's invoice: the month it bills, ``YYYY-MM``."""
    called: dt.date | None = None
    """When the client was called about it after the final notice's pay-by date."""

    @property
    def total(self) -> Decimal:
        """Subtotal, plus the taxes added, minus those withheld."""
        total = self.subtotal
        for line, amount in self.taxes():
            total += -amount if line.withheld else amount
        return total

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def outstanding(self) -> Decimal:
        return self.total - self.paid

    @property
    def due_on(self) -> dt.date:
        assert self.issued is not None
        return self.issued + dt.timedelta(days=self.terms_days)

    def validate(self) -> None:
        if self.status is InvoiceStatus.DRAFT:
            if self.number:
                raise ValidationError("number", _("a draft has no number; it gets one when it is issued"))
        elif self.status is InvoiceStatus.VOID and not self.number:
            pass  # a draft voided before it was ever issued
        else:
            _require_text(self.number, "number", max_len=40)
        _require_text(self.client_id, "client")
        _check_currency(self.currency)
        check_tax_lines(self.tax_lines)
        if self.issued is None:
            raise ValidationError("issued", _("is required"))
        if not isinstance(self.terms_days, int) or not 0 <= self.terms_days <= 3650:
            raise ValidationError("terms_days", _("{days!r} is not a number of days from 0 to 3650").format(
                days=self.terms_days))
        if not self.items:
            raise ValidationError("items", _("an invoice needs at least one line"))
        for item in self.items:
            _require_text(item.description, "description", max_len=10_000)
            if item.quantity <= 0:
                raise ValidationError("quantity", _("must be greater than 0"))
            _check_money(item.unit_price, self.currency, "unit_price", allow_negative=True)
        if self.total < 0:
            raise ValidationError("total", _("must not be negative"))
        for payment in self.payments:
            if payment.date is None:
                raise ValidationError("payment date", _("is required"))
            if payment.amount <= 0:
                raise ValidationError("payment", _("must be greater than 0"))
            _check_money(payment.amount, self.currency, "payment")
        if self.period is not None and not _PERIOD_RE.match(self.period):
            raise ValidationError("period", _("{period!r} is not a month like 2026-12").format(period=self.period))
        if self.paid > self.total:
            raise ValidationError(
                "payment",
                _("payments of {paid} {currency} exceed the invoice total of {total} {currency}").format(
                    paid=self.paid, currency=self.currency, total=self.total),
            )


@dataclass(slots=True, kw_only=True)
class Template(Document):
    """A message template in one language: its subject and body, with placeholders."""

    TABLE: ClassVar[str] = "template"
    PREFIX: ClassVar[str] = "template"

    name: str = ""
    language: Language = "en"
    subject: str = ""
    body: str = ""

    def validate(self) -> None:
        _require_text(self.name, "name")
        if len(self.body) > 100_000:
            raise ValidationError("body", _("is longer than 100,000 characters"))


DEFAULT_LADDER = [1, 8, 15]
DEFAULT_FINAL_NOTICE_DAYS = 7
"""How many days a final notice gives the client to pay."""


@dataclass(slots=True, kw_only=True)
class Settings(Document):
    """The freelancer's own details and preferences; one document."""

    TABLE: ClassVar[str] = "settings"
    PREFIX: ClassVar[str] = "settings"

    name: str = ""
    business: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    timezone: str = ""
    language: Language = "en"
    reminder_ladder: list[int] = field(default_factory=lambda: list(DEFAULT_LADDER))
    final_notice_days: int = DEFAULT_FINAL_NOTICE_DAYS
    late_interest_percent: Decimal | None = None
    """Annual late-payment interest, in percent (e.g. 12.15); None: off."""
    late_compensation: Decimal | None = None
    """Fixed compensation per late invoice, in the invoice's currency (e.g. 40); None: off."""
    mail_command: str = ""
    legal_name: str = ""
    """The issuer's legal name on invoices (default: business, else name)."""
    tax_id: str = ""
    payment_details: str = ""
    """How to pay, printed on invoices: e.g. an IBAN."""
    tax_lines: list[TaxLine] = field(default_factory=list)
    """Default taxes of new invoices (none by default)."""
    schema_version: int = SCHEMA_VERSION
    counters: dict = field(default_factory=dict)
    """The last number handed out per id prefix (and per invoice year): ids are
    never reused, even after a delete."""

    def validate(self) -> None:
        parse_email(self.email)
        ladder = self.reminder_ladder
        if not ladder or any(not isinstance(d, int) or isinstance(d, bool) or d < 0 for d in ladder):
            raise ValidationError("reminder_ladder", _("must be a list of whole days past due, like 1, 8, 15"))
        if sorted(ladder) != ladder or len(set(ladder)) != len(ladder):
            raise ValidationError("reminder_ladder", _("days must rise, like 1, 8, 15"))
        if self.timezone:
            check_timezone(self.timezone)
        check_tax_lines(self.tax_lines)
        days = self.final_notice_days
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
            raise ValidationError("final_notice_days", _("{days!r} is not a number of days from 0 to 365").format(
                days=days))
        if self.late_interest_percent is not None and not Decimal(0) <= self.late_interest_percent <= Decimal(100):
            raise ValidationError("late_interest_percent", _("must be a percent from 0 to 100"))
        if self.late_compensation is not None and self.late_compensation < 0:
            raise ValidationError("late_compensation", _("must not be negative"))


def check_timezone(name: str, field_name: str = "timezone") -> str:
    """An IANA zone name such as ``Europe/Madrid``."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(field_name, _("{value!r} is not a time zone such as Europe/Madrid").format(
            value=name)) from None
    return name


MODELS: tuple[type[Document], ...] = (Client, Contact, Job, Change, Promise, Rate, Invoice, Template, Settings)
TABLES: dict[str, type[Document]] = {m.TABLE: m for m in MODELS}
