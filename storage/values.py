"""Value parsing shared by the models, the CLI and the forms.

Everything a person types passes through here: dates are parsed strictly (never
guessed), money is a :class:`~decimal.Decimal` with an ISO 4217 currency, never a
float. Each parser raises :class:`ValidationError` naming the field, so the CLI can
print one line and a form can show the message beside the field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ValidationError as ValidationError  # re-exported: the older home

# ISO 4217 active codes. Minor units are 2 unless listed in _MINOR_UNITS.
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
    BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK
    DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
    HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR
    MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP
    TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG
    XOF XPF YER ZAR ZMW ZWG
    """.split()
)
_MINOR_UNITS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
"""The dates rapport accepts anywhere: far enough for any real record, and far
from the ends of Python's calendar (a date plus a cadence or terms never overflows)."""

MAX_INT_DIGITS = 12
"""Digits an amount may have before the point: sums of amounts stay well inside
Decimal's 28-digit precision."""

_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ES_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def minor_units(currency: str) -> int:
    """How many decimals the currency's smallest unit has (EUR 2, JPY 0, KWD 3)."""
    return _MINOR_UNITS.get(currency, 2)


def parse_currency(value: str, field: str = "currency") -> str:
    """An ISO 4217 code, upper-cased: ``eur`` -> ``EUR``."""
    code = str(value).strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(field, f"{value!r} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)")
    return code


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round a computed amount to the currency's minor unit, half up."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def parse_decimal(value: object, field: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """A plain decimal number typed by a person: ``1200``, ``1200.50``.

    Floats, exponents, ``nan`` and ``inf`` are refused: money is never a float.
    """
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, (int, str)) and not isinstance(value, bool):
        text = str(value).strip()
    else:
        raise ValidationError(field, f"{value!r} is not a decimal number")
    if len(text) > 64 or not _DECIMAL_RE.match(text):
        raise ValidationError(field, f"{cut(value)} is not a decimal number like 1200 or 1200.50")
    if len(text.lstrip("-").split(".")[0].lstrip("0")) > MAX_INT_DIGITS:
        raise ValidationError(field, f"{cut(value)} has more than {MAX_INT_DIGITS} digits before the point")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise ValidationError(field, f"{value!r} is not a decimal number") from None
    if number < 0 and not allow_negative:
        raise ValidationError(field, "must not be negative")
    return number


def parse_money(value: object, currency: str, field: str = "amount") -> Decimal:
    """A non-negative amount with no more decimals than the currency allows."""
    number = parse_decimal(value, field)
    places = minor_units(currency)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(field, f"{currency} amounts have at most {places} decimals")
    return quantize(number, currency)


def money_str(amount: Decimal, currency: str) -> str:
    """The stored form of an amount: a decimal string at the currency's minor unit."""
    return format(quantize(amount, currency), "f")


_ES_SEPARATORS = str.maketrans(",.", ".,")


def format_money(amount: Decimal, currency: str, lang: str = "en") -> str:
    """An amount for people, the one money formatter: ``1,234.50 EUR`` in English,
    ``1.234,50 EUR`` in Spanish, ``150,000 JPY``, ``1.250 KWD``: grouped, at the
    currency's minor unit, then the code. ``lang`` is a language code (``en``,
    ``es``; a :data:`~storage.models.Language` is one); anything else reads as
    English. Screens, drafts, invoices and the CLI all call this, so a locale-aware
    version (Babel) is a change here alone."""
    text = format(quantize(amount, currency), f",.{minor_units(currency)}f")
    if lang == "es":
        text = text.translate(_ES_SEPARATORS)
    return f"{text} {currency}"


def parse_date(value: object, field: str = "date", *, lang: str = "en") -> dt.date:
    """A calendar date, strictly ``YYYY-MM-DD`` (and ``DD/MM/YYYY`` in Spanish).

    Nothing is guessed: ``2026-2-3``, ``03/02/2026`` in English, ``tomorrow`` and
    impossible dates such as ``2026-02-30`` are refused.
    """
    if isinstance(value, dt.datetime):
        raise ValidationError(field, "expected a date, not a date and time")
    if isinstance(value, dt.date):
        return check_date_range(value, field)
    text = str(value).strip()
    day: dt.date | None = None
    try:
        if _ISO_DATE_RE.match(text):
            day = dt.date.fromisoformat(text)
        elif (match := _ES_DATE_RE.match(text)) and lang == "es":
            d, m, y = (int(g) for g in match.groups())
            day = dt.date(y, m, d)
    except ValueError:
        raise ValidationError(field, f"{cut(text)} is not a real date") from None
    if day is not None:
        return check_date_range(day, field)
    hint = "YYYY-MM-DD or DD/MM/YYYY" if lang == "es" else "YYYY-MM-DD"
    raise ValidationError(field, f"{cut(text)} is not a date in the form {hint}")


def check_date_range(day: dt.date, field: str = "date") -> dt.date:
    """``day`` if it lies between :data:`MIN_DATE` and :data:`MAX_DATE`."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(field, f"{day.isoformat()} is not between {MIN_DATE} and {MAX_DATE}")
    return day


def parse_positive_int(value: object, field: str, *, allow_zero: bool = False, maximum: int = 36500) -> int:
    """A whole number of days or hours typed by a person."""
    text = str(value).strip()
    if len(text) > 20 or not re.fullmatch(r"\d+", text):
        raise ValidationError(field, f"{cut(value)} is not a whole number")
    number = int(text)
    if number == 0 and not allow_zero:
        raise ValidationError(field, "must be greater than 0")
    if number > maximum:
        raise ValidationError(field, f"must be at most {maximum}")
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
        raise ValidationError(field, "expected text")
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
        raise ValidationError(field, f"{cut(value)} does not look like an email address")
    return text
