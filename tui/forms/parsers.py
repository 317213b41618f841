"""Parsers for the forms: text typed in a field -> value, or ValidationError naming the field.

Every form is a :class:`~tui.widgets.form.FormModal`: each field is parsed
strictly before anything is saved (a bad value gets its message beside the
field), and the store validates again under its lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from storage.models import Client, check_timezone
from storage.text import one_line
from storage.values import (
    ValidationError,
    parse_date,
    parse_decimal,
    parse_money,
    parse_positive_int,
)

from ..host import Host

LANGUAGE_NAMES = {"en": "English", "es": "Español"}
"""How a language calls itself, for the language selects; a language added
later without a name here shows its code."""


def language_choices() -> list[tuple[str, str]]:
    """(label, code) for every available language (storage/languages.py)."""
    from storage.languages import available_languages

    return [(LANGUAGE_NAMES.get(code, code), code) for code in available_languages()]


MAX_DAYS = 3650
"""Cadence and terms are at most ten years (an invoice refuses longer terms)."""


def _lang(app: Host) -> str:
    return str(app.store.settings().language)


def date_parser(app: Host, name: str, *, optional: bool = False) -> Callable[[str], dt.date | None]:
    lang = _lang(app)

    def parse(text: str) -> dt.date | None:
        if optional and not text.strip():
            return None
        if not text.strip():
            raise ValidationError(name, "is required")
        return parse_date(text, name, lang=lang)

    return parse


def days_parser(name: str, *, allow_zero: bool = False, maximum: int = MAX_DAYS) -> Callable[[str], int]:
    return lambda text: parse_positive_int(text, name, allow_zero=allow_zero, maximum=maximum)


def amount_parser(name: str, currency: str | None, *, optional: bool = False, positive: bool = False):
    """A decimal amount (``1200`` or ``1200.50``); with ``currency``, at most its decimals."""

    def parse(text: str) -> Decimal | None:
        if not text.strip():
            if optional:
                return None
            raise ValidationError(name, "is required")
        value = parse_money(text, currency, name) if currency else parse_decimal(text, name)
        if positive and value <= 0:
            raise ValidationError(name, "must be greater than 0")
        return value

    return parse


def required(name: str, *, max_len: int = 200) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip():
            raise ValidationError(name, "is required")
        if len(text) > max_len:
            raise ValidationError(name, f"is longer than {max_len} characters")
        return text.strip()

    return parse


def client_name_parser(clients: list[Client], own_id: str = "") -> Callable[[str], str]:
    """Required, and unique among the other clients ignoring case."""
    base = required("name")

    def parse(text: str) -> str:
        name = base(text)
        folded = name.casefold()
        for other in clients:
            if other.id != own_id and other.name.strip().casefold() == folded:
                raise ValidationError("name", f"a client named {one_line(other.name)!r} already exists")
        return name

    return parse


def tags_parser(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def timezone_parser(text: str) -> str:
    text = text.strip()
    return check_timezone(text, "timezone") if text else ""
