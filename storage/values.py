"""Value parsing shared by the models, the CLI and the forms.

Everything a person types passes through here: dates are parsed strictly (never
guessed), money is a :class:`~decimal.Decimal` with an ISO 4217 currency, never a
float. Each parser raises :class:`ValidationError` naming the field, so the CLI can
print one line and a form can show the message beside the field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .currencies import CURRENCIES as CURRENCIES  # re-exported: the older home
from .currencies import minor_units as minor_units
from .currencies import quantize as quantize
from .errors import ValidationError as ValidationError  # re-exported: the older home
from .i18n import _

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
"""The dates rapport accepts anywhere: far enough for any real record, and far
from the ends of Python's calendar (a date plus a cadence or terms never overflows)."""

MAX_INT_DIGITS = 12
"""Digits an amount may have before the point: sums of amounts stay well inside
Decimal's 28-digit precision."""

_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_currency(value: str, field: str = "currency") -> str:
    """An ISO 4217 code, upper-cased: ``eur`` -> ``EUR``."""
    code = str(value).strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(
            field, _("{value} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)").format(value=repr(value))
        )
    return code


def parse_decimal(value: object, field: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """A plain decimal number typed by a person: ``1200``, ``1200.50``.

    Floats, exponents, ``nan`` and ``inf`` are refused: money is never a float.
    """
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, (int, str)) and not isinstance(value, bool):
        text = str(value).strip()
    else:
        raise ValidationError(field, _("{value} is not a decimal number").format(value=repr(value)))
    if len(text) > 64 or not _DECIMAL_RE.match(text):
        raise ValidationError(field, _("{value} is not a decimal number like 1200 or 1200.50").format(value=cut(value)))
    if len(text.lstrip("-").split(".")[0].lstrip("0")) > MAX_INT_DIGITS:
        raise ValidationError(field, _("{value} has more than {n} digits before the point").format(
            value=cut(value), n=MAX_INT_DIGITS))
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise ValidationError(field, _("{value} is not a decimal number").format(value=repr(value))) from None
    if number < 0 and not allow_negative:
        raise ValidationError(field, _("must not be negative"))
    return number


def parse_money(value: object, currency: str, field: str = "amount") -> Decimal:
    """A non-negative amount with no more decimals than the currency allows."""
    number = parse_decimal(value, field)
    places = minor_units(currency)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(field, _("{currency} amounts have at most {n} decimals").format(
            currency=currency, n=places))
    return quantize(number, currency)


def money_str(amount: Decimal, currency: str) -> str:
    """The stored form of an amount: a decimal string at the currency's minor unit."""
    return format(quantize(amount, currency), "f")


def format_money(amount: Decimal, currency: str, lang: str = "en") -> str:
    """An amount for people: ``1,234.50 EUR`` in English, ``1.234,50 EUR`` in
    Spanish, ``150,000 JPY``, ``1.250 KWD``: grouped, at the currency's minor
    unit, then the code. The older name of :func:`storage.formats.money`, the one
    formatter, which it calls; ``lang`` is a language code (a
    :class:`~storage.models.Language` is one)."""
    from .formats import money

    return money(amount, currency, str(lang))


def parse_date(value: object, field: str = "date", *, lang: str = "en") -> dt.date:
    """A calendar date, strictly ``YYYY-MM-DD``, or the short numeric date of
    ``lang`` (``DD/MM/YYYY`` in Spanish, ``DD.MM.YYYY`` in German; see
    :func:`storage.formats.parse_short_date`).

    Nothing is guessed: ``2026-2-3``, ``03/02/2026`` in English, ``tomorrow`` and
    impossible dates such as ``2026-02-30`` are refused.
    """
    from .formats import parse_short_date, short_date_pattern

    if isinstance(value, dt.datetime):
        raise ValidationError(field, _("expected a date, not a date and time"))
    if isinstance(value, dt.date):
        return check_date_range(value, field)
    text = str(value).strip()
    lang = str(lang or "en")
    day: dt.date | None = None
    try:
        if _ISO_DATE_RE.match(text):
            day = dt.date.fromisoformat(text)
        elif lang != "en":
            day = parse_short_date(text, lang)
    except ValueError:
        raise ValidationError(field, _("{value} is not a real date").format(value=cut(text))) from None
    if day is not None:
        return check_date_range(day, field)
    pattern = short_date_pattern(lang).upper()
    if pattern == "YYYY-MM-DD":
        raise ValidationError(field, _("{value} is not a date in the form {pattern}").format(
            value=cut(text), pattern=pattern))
    raise ValidationError(field, _("{value} is not a date in the form {iso} or {pattern}").format(
        value=cut(text), iso="YYYY-MM-DD", pattern=pattern))


def check_date_range(day: dt.date, field: str = "date") -> dt.date:
    """``day`` if it lies between :data:`MIN_DATE` and :data:`MAX_DATE`."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(field, _("{date} is not between {first} and {last}").format(
            date=day.isoformat(), first=MIN_DATE.isoformat(), last=MAX_DATE.isoformat()))
    return day


def parse_positive_int(value: object, field: str, *, allow_zero: bool = False, maximum: int = 36500) -> int:
    """A whole number of days or hours typed by a person."""
    text = str(value).strip()
    if len(text) > 20 or not re.fullmatch(r"\d+", text):
        raise ValidationError(field, _("{value} is not a whole number").format(value=cut(value)))
    number = int(text)
    if number == 0 and not allow_zero:
        raise ValidationError(field, _("must be greater than 0"))
    if number > maximum:
        raise ValidationError(field, _("must be at most {n}").format(n=maximum))
    return number


def cut(value: object, limit: int = 40) -> str:
    """A value for an error message: its repr, cut to ``limit`` characters, so a
    pasted 80 KB value gives a one-line error."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


MAX_EMAIL = 320


def parse_email(value: str, field: str = "email") -> str:
    """An email address of a plausible shape (``local@domain.tld``), or the empty
    string. Checked by splitting, in linear time, whatever is pasted."""
    if not isinstance(value, str):
        raise ValidationError(field, _("expected text"))
    text = value.strip()
    if not text:
        return text
    local, at, domain = text.partition("@")
    ok = (
        len(text) <= MAX_EMAIL
        and at and local
        and "." in domain[1:-1]
        and "@" not in domain
        and not any(ch.isspace() for ch in text)
    )
    if not ok:
        raise ValidationError(field, _("{value} does not look like an email address").format(value=cut(value)))
    return text
