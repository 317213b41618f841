"""Parsers for the forms: text typed in a field -> value, or ValidationError naming the field.

Every form is a :class:`~tui.widgets.form.FormModal`: each field is parsed
strictly before anything is saved (a bad value gets its message beside the
field), and the store validates again under its lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from storage.formats import parse_short_date, short_date
from storage.models import Client, check_timezone
from storage.text import one_line
from storage.values import (
    ValidationError,
    check_date_range,
    parse_date,
    parse_decimal,
    parse_money,
    parse_positive_int,
)

from ..host import Host
from ..i18n import _, active


def language_choices() -> list[tuple[str, str]]:
    """(label, code) for every available language (storage/languages.py), each
    named as it calls itself: "English", "Español", "Français" (CLDR)."""
    from storage.formats import language_name
    from storage.languages import available_languages

    return [(language_name(code), code) for code in available_languages()]


MAX_DAYS = 3650
"""Cadence and terms are at most ten years (an invoice refuses longer terms)."""


def date_text(day: dt.date | None) -> str:
    """A date as a form shows it, and takes it back: ``2026-12-01`` in English,
    ``01/12/2026`` in Spanish (storage.formats.short_date); empty for none."""
    return short_date(day, active()) if day is not None else ""


def parse_day(text: str, name: str) -> dt.date:
    """A date typed in a form: ISO ``YYYY-MM-DD`` in every language, or the
    active language's short date (``DD/MM/YYYY`` in Spanish)."""
    lang = active()
    try:
        return parse_date(text, name, lang=lang)
    except ValidationError:
        try:
            day = parse_short_date(text.strip(), lang)
        except ValueError:
            day = None
        if day is None:
            raise
        return check_date_range(day, name)


def date_parser(app: Host, name: str, *, optional: bool = False) -> Callable[[str], dt.date | None]:
    def parse(text: str) -> dt.date | None:
        if optional and not text.strip():
            return None
        if not text.strip():
            raise ValidationError(name, _("is required"))
        return parse_day(text, name)

    return parse


def days_parser(name: str, *, allow_zero: bool = False, maximum: int = MAX_DAYS) -> Callable[[str], int]:
    return lambda text: parse_positive_int(text, name, allow_zero=allow_zero, maximum=maximum)


def decimal_text(text: str) -> str:
    """An amount as typed, with a decimal comma read as the point outside English
    (``65,50`` in Spanish); the store takes ``65.50``."""
    text = text.strip()
    if active() != "en" and "," in text and "." not in text and text.count(",") == 1:
        return text.replace(",", ".")
    return text


def amount_parser(name: str, currency: str | None, *, optional: bool = False, positive: bool = False):
    """A decimal amount (``1200`` or ``1200.50``); with ``currency``, at most its decimals."""

    def parse(text: str) -> Decimal | None:
        if not text.strip():
            if optional:
                return None
            raise ValidationError(name, _("is required"))
        text = decimal_text(text)
        value = parse_money(text, currency, name) if currency else parse_decimal(text, name)
        if positive and value <= 0:
            raise ValidationError(name, _("must be greater than 0"))
        return value

    return parse


def required(name: str, *, max_len: int = 200) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip():
            raise ValidationError(name, _("is required"))
        if len(text) > max_len:
            raise ValidationError(name, _("is longer than {n} characters").format(n=max_len))
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
                raise ValidationError("name", _("a client named {name} already exists").format(
                    name=repr(one_line(other.name))))
        return name

    return parse


def tags_parser(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def timezone_parser(text: str) -> str:
    text = text.strip()
    return check_timezone(text, "timezone") if text else ""
