"""Message templates: placeholder filling and the shipped defaults.

A template is Markdown with ``{placeholders}`` taken from one fixed set of names
(:data:`PLACEHOLDERS`). Filling never evaluates anything: no ``str.format``, no
attribute or index access, no code. ``{client}`` is replaced by the value given
for ``client``; ``{client.__class__}``, ``{0}`` or ``{a[b]}`` are not names in
the set, so they stay in the text exactly as typed and are reported, and the
person sees what to fix. Values are inserted as plain text and are never filled
in turn, so a client called ``{my_email}`` is just a strange name.

The shipped templates follow the guide rapport implements (docs/rules.md, "The guide
it implements"), in English and in Spanish: the guide's own wording for the
payment terms and for the first payment reminder, and its points for changes of
brief, price raises and the farewell to a client who will not pay the new rate.
They are files, ``storage/locale/<lang>/templates/<name>.md`` (storage/languages.py):
a language is a folder, and a template it lacks is drafted from the English one.
The English ``reminder1.md`` is the guide's standard wording for an unpaid
invoice, word for word; the Spanish one is the guide's, lightly corrected
(gender-neutral "me preocupa", the feminine "se la adjunto", and idiomatic
"por si no le hubiera llegado", "confírmeme que la ha recibido correctamente").
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from . import languages
from .languages import SOURCE_LANGUAGE, available_languages
from .models import Template

PLACEHOLDERS: dict[str, str] = {
    # The client
    "client": "the client's name, as stored",
    "first_name": "who to greet: the main contact's first name, else the billing "
    "contact's, else the client's name",
    "company": "the client's company",
    "client_email": "the client's email address",
    # You, from the settings
    "my_name": "your name",
    "my_business": "your business name",
    "my_email": "your email address",
    "my_phone": "your phone number",
    "my_website": "your website",
    "my_address": "your postal address",
    "signature": "your sign-off block: name, business, email, phone and website, "
    "one a line, leaving out the ones not set",
    # Work
    "job": "the job the message is about: the change's job, the client's current job, "
    "or the jobs on the invoice",
    "price": "the job's agreed price, with its currency",
    "deadline": "the job's agreed deadline",
    "change": "what the client asked to change (the newest open change of brief)",
    "new_price": "the price proposed by that change",
    "new_deadline": "the deadline proposed by that change",
    "proposal": "the change's new price and/or deadline as a list, with the old values",
    # Rates
    "rate": "the client's current rate, with its currency",
    "new_rate": "the proposed new rate of a price raise waiting for an answer",
    "rate_unit": "what the rate is per: hour, day or project",
    "reason": "the reason recorded with the price-raise proposal",
    "currency": "the ISO 4217 currency code of the client, or of the invoice",
    # Invoices and reminders
    "invoice_number": "the invoice's number",
    "invoice_date": "the date the invoice was issued",
    "due_date": "the invoice's due date (issued + payment terms)",
    "total": "the invoice's total, with its currency",
    "outstanding": "what is still unpaid: on the invoice, or in a statement everything "
    "the client owes (per currency)",
    "days_overdue": "whole days past the due date (0 when not overdue)",
    "terms_days": "the payment terms as a number of days",
    "terms": "the payment terms as words for the middle of a sentence: '2 weeks', '30 days'",
    "payment_terms": "the payment-terms sentence: 'Payment is due within two weeks of "
    "the invoice date.' (or the right variant for other terms)",
    "reminder_level": "the number of the reminder being sent: 1, 2, 3...",
    "last_reminder_date": "the date the previous reminder was sent",
    "pay_by": "a date one week from today: the deadline a final notice gives",
    "statement_lines": "a statement: one list line per unpaid invoice of the client",
    # Dates
    "today": "today's date",
}
"""Every name a template may use, with what it is. Nothing else is ever filled."""

FILLED_FROM_SETTINGS: dict[str, tuple[str, ...]] = {
    "my_name": ("name",),
    "my_business": ("business",),
    "my_email": ("email",),
    "my_phone": ("phone",),
    "my_website": ("website",),
    "my_address": ("address",),
    "signature": ("name", "business", "email", "phone", "website"),
}
"""The placeholders the settings fill (storage.drafts), each with the settings
(storage.settings_keys) that fill it: any one of them set fills it. One left
unfilled in a draft is fixed in the settings, not in the message."""


def settings_to_fill(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Of the placeholders ``names`` (a draft's ``missing``), those an empty
    setting left unfilled, each with the settings that would fill it, in order."""
    return {name: FILLED_FROM_SETTINGS[name] for name in names if name in FILLED_FROM_SETTINGS}

TEMPLATE_NAMES: tuple[str, ...] = (
    "checkin",
    "update",
    "change",
    "raise",
    "farewell",
    "invoice",
    "reminder1",
    "reminder2",
    "final",
    "statement",
)
"""The templates rapport ships: a file each per language (English has them all)."""


class Filled(NamedTuple):
    """The result of :func:`fill`.

    ``unknown``: what was written between the braces of placeholders that are
    not in :data:`PLACEHOLDERS` (``client.__class__`` for ``{client.__class__}``).
    ``missing``: names of known placeholders that had no value for this message
    (``invoice_number`` in a check-in). Both are left in ``text`` exactly as
    written, so the person sees them, and listed once each, in order.
    """

    text: str
    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


# One pass, left to right: an escaped brace, or anything between single braces on
# one line. Whatever a match is replaced with is never looked at again, so a value
# cannot smuggle in another placeholder.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")


def fill(text: str, values: Mapping[str, str | None]) -> Filled:
    """Replace ``{name}`` by ``values[name]`` for names in :data:`PLACEHOLDERS`.

    ``{{`` and ``}}`` give literal braces. A value of ``None`` or ``""`` counts as
    missing: the placeholder stays visible rather than vanishing mid-sentence.
    Passing a name that is not in the set is a programming error (ValueError),
    and so is a value that is not a string: formatting is the caller's job.
    """
    for name, value in values.items():
        if name not in PLACEHOLDERS:
            raise ValueError(f"{name!r} is not a template placeholder")
        if value is not None and not isinstance(value, str):
            raise TypeError(f"the value for {name!r} must be text, not {type(value).__name__}")
    unknown: dict[str, None] = {}
    missing: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name not in PLACEHOLDERS:
            unknown[name] = None
            return token
        value = values.get(name)
        if not value:
            missing[name] = None
            return token
        return value

    return Filled(_TOKEN.sub(replace, text), tuple(unknown), tuple(missing))


def placeholders_in(text: str) -> tuple[list[str], list[str]]:
    """(known names, unknown names) a template uses, for an editor to check it."""
    known: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is None:
            continue
        if name in PLACEHOLDERS:
            known[name] = None
        else:
            unknown[name] = None
    return list(known), list(unknown)


# --------------------------------------------------------------------------- #
# The shipped templates: one file each, under storage/locale/<lang>/templates/
# --------------------------------------------------------------------------- #

SUBJECT_PREFIX = "Subject: "
"""A template file's first line; a blank line, then the Markdown body (which
ends with the sign-off and ``{signature}``, written out in the file)."""


def _template_file(name: str, language: str) -> Path | None:
    """The shipped file of ``name`` in ``language``: the first folder of
    :data:`~storage.languages.LOCALE_DIRS` that has it, else None."""
    for root in languages.LOCALE_DIRS:
        path = root / language / "templates" / f"{name}.md"
        if path.is_file():
            return path
    return None


def parse_template_file(text: str, where: str = "template") -> tuple[str, str]:
    """(subject, body) of a template file: ``Subject: ...``, a blank line, the body."""
    first, sep, rest = text.partition("\n")
    if not first.startswith(SUBJECT_PREFIX) or not sep:
        raise ValueError(f"{where}: the first line must be '{SUBJECT_PREFIX}...'")
    if rest.startswith("\n"):
        rest = rest[1:]
    return first[len(SUBJECT_PREFIX):], rest


@functools.lru_cache(maxsize=256)
def _read(path: Path, mtime_ns: int) -> tuple[str, str]:
    """(subject, body) of one template file, read once per version of the file."""
    return parse_template_file(path.read_text(encoding="utf-8"), str(path))


def _shipped(name: str, language: str) -> tuple[str, str, str]:
    """(language it is in, subject, body)."""
    for lang in dict.fromkeys((language, SOURCE_LANGUAGE)):
        path = _template_file(name, lang)
        if path is not None:
            return (lang, *_read(path, path.stat().st_mtime_ns))
    raise KeyError(f"no shipped template named {name!r}")


def default_template(name: str, language: str) -> Template:
    """The shipped template ``name`` in ``language``, as a new (unsaved) document.

    Read from ``storage/locale/<language>/templates/<name>.md``. A language
    that has no file for ``name`` gets the English wording (the document still
    says ``language``: it is what that language's drafts use until it has its
    own; :func:`shipped_language` tells which). Every body ends with the
    sign-off line and ``{signature}`` on the line below.
    """
    if name not in TEMPLATE_NAMES:
        raise KeyError(f"no shipped template named {name!r}")
    _, subject, body = _shipped(name, str(language))
    return Template(name=name, language=str(language), subject=subject, body=body)


def shipped_language(name: str, language: str) -> str:
    """The language the shipped ``name`` for ``language`` is written in:
    ``language`` itself, or English when that language has no file for it."""
    return _shipped(name, str(language))[0]


def default_templates(languages: Iterable[str] | None = None) -> list[Template]:
    """Every shipped template in every available language (or in ``languages``)."""
    langs = available_languages() if languages is None else list(languages)
    return [default_template(name, lang) for lang in langs for name in TEMPLATE_NAMES]


# --------------------------------------------------------------------------- #
# Versions: a stored template is the person's own edit, never a shipped copy
# --------------------------------------------------------------------------- #

# The data file keeps only templates the person edited: an unedited one is not
# stored, so drafting reads the shipped file, and an upgrade that changes the
# shipped wording reaches every template the person never changed. Files
# written before (schema 3 and older) stored a copy of every shipped template;
# migrations.py drops each copy whose text is the shipped wording of some
# version, recognised by these fingerprints (see :func:`fingerprint`). When the
# shipped wording changes, nothing needs adding here: no file stores copies of
# it. Version 1: the wording shipped up to schema 3 (after the v2->v3
# migration's greeting change), which is also the first wording in files.
SHIPPED_BEFORE: dict[str, frozenset[str]] = {
    "v1": frozenset({
        "22b3f97d1f9f0ab4cd05",  # checkin en
        "267f9ab3a8a57d19b15c",  # update en
        "889ce700e491886d3a4c",  # change en
        "64c4eae7b1f0e4328682",  # raise en
        "792f5aa139e87508a6b3",  # farewell en
        "8e180f72b8aecb5efb73",  # invoice en
        "9b7a58cd7ccc8c23d005",  # reminder1 en
        "a4dc86491bce07d158a3",  # reminder2 en
        "6d9cb45b581134c09eee",  # final en
        "a43510c4bb1eae18e2a6",  # statement en
        "cff33888a8b8a66bd6fe",  # checkin es
        "d493b0ac7bd2e1a84208",  # update es
        "47c36bbf259eab7134fc",  # change es
        "98fbc370ccd0636180b2",  # raise es
        "4e7905c58b747840dab4",  # farewell es
        "cac0f453daeddee15e04",  # invoice es
        "5ece156849869ef9454a",  # reminder1 es
        "5cdd5985eb1606472ad1",  # reminder2 es
        "5edb777def5ce110e20f",  # final es
        "bcb07dfce2998a4f1a90",  # statement es
    }),
}


def fingerprint(name: str, language: str, subject: str, body: str) -> str:
    """A short hash of one template's exact text, to recognise shipped wording."""
    text = f"{name}\n{language}\n{subject}\n\n{body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def is_shipped_wording(name: str, language: str, subject: str, body: str) -> bool:
    """Whether this text is the shipped wording: today's, or an earlier version's."""
    if name in TEMPLATE_NAMES:
        shipped = default_template(name, language)
        if (subject, body) == (shipped.subject, shipped.body):
            return True
    mark = fingerprint(name, language, subject, body)
    return any(mark in marks for marks in SHIPPED_BEFORE.values())
