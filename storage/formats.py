"""The one formatter: numbers, amounts, dates, days and relative times, per language.

Every screen, the CLI, drafts and invoices format through here, so a figure reads
the same everywhere: ``1,280.00 EUR`` in English, ``1.280,00 EUR`` in Spanish.
The rules come from CLDR through Babel; Babel and a language's data are loaded on
first use only (``rapport today`` in a language pays for that language alone), and
English, the source language, has a fast path whose output a property test holds
equal to Babel's.

Conventions rapport keeps on top of CLDR:

- amounts are grouped, at the currency's minor unit (ISO 4217), followed by the
  currency code, never a symbol: a freelancer invoices in several currencies;
- a short date is what the forms accept: ISO ``2026-12-01`` in English, else the
  language's numeric date with the day and month on two digits and the year on
  four (``01/12/2026`` in Spanish, ``01.12.2026`` in German);
- a long date names the weekday and month: "Tuesday 1 December 2026" in English
  (the product's header), the language's full date elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

from .currencies import minor_units, quantize

__all__ = [
    "days",
    "hours",
    "language_name",
    "long_date",
    "money",
    "month_year",
    "number",
    "relative",
    "short_date",
    "short_date_pattern",
]

EN = "en"


def _locale(language: str) -> str:
    """A Babel locale name for ``language``; unknown codes read as English."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return EN
    return language


@cache
def _babel_locale(language: str) -> str:
    return _locale(str(language))


def number(value: Decimal | int, language: str = EN, *, places: int | None = None) -> str:
    """``1,234.5`` / ``1.234,5``: grouped; ``places`` fixes the decimals, else as many
    as the value has (a quantity ``2.5`` stays ``2.5``, ``2`` stays ``2``)."""
    value = Decimal(value)
    if places is None:
        value = value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))
        places = max(0, -int(value.as_tuple().exponent))
    else:
        value = value.quantize(Decimal(1).scaleb(-places)) if places else value.quantize(Decimal(1))
    language = str(language)
    if language == EN:
        return format(value, f",.{places}f")
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=_babel_locale(language), decimal_quantization=True)


def money(amount: Decimal, currency: str, language: str = EN) -> str:
    """``1,280.00 EUR``, ``1.280,00 EUR``, ``150,000 JPY``: at the currency's minor
    unit, then its code."""
    return f"{number(quantize(amount, currency), language, places=minor_units(currency))} {currency}"


# -- dates ------------------------------------------------------------------------ #

_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@cache
def short_date_pattern(language: str) -> str:
    """The CLDR pattern of a short date as rapport writes and reads it: ``dd/MM/yyyy``
    for Spanish, ``yyyy-MM-dd`` for English."""
    language = str(language)
    if language == EN:
        return "yyyy-MM-dd"
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=_babel_locale(language)).pattern
    pattern = re.sub(r"d+", "dd", pattern)
    pattern = re.sub(r"M+", "MM", pattern)
    pattern = re.sub(r"y+", "yyyy", pattern)
    return pattern


def short_date(day: dt.date, language: str = EN) -> str:
    """``2026-12-01`` in English, ``01/12/2026`` in Spanish: as dates are typed."""
    language = str(language)
    if language == EN:
        return day.isoformat()
    pattern = short_date_pattern(language)
    return (pattern.replace("yyyy", f"{day.year:04d}").replace("MM", f"{day.month:02d}")
            .replace("dd", f"{day.day:02d}"))


def parse_short_date(text: str, language: str) -> dt.date | None:
    """The date ``text`` spells in ``language``'s short form, else ``None``.
    Raises ``ValueError`` for a date of the right shape that does not exist."""
    pattern = short_date_pattern(str(language))
    regex = re.escape(pattern).replace("yyyy", r"(?P<y>\d{4})").replace("MM", r"(?P<m>\d{1,2})")
    regex = regex.replace("dd", r"(?P<d>\d{1,2})")
    match = re.fullmatch(regex, text)
    if match is None:
        return None
    return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))


def long_date(day: dt.date, language: str = EN) -> str:
    """"Tuesday 1 December 2026", "martes, 1 de diciembre de 2026"."""
    language = str(language)
    if language == EN:
        return f"{_EN_DAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return format_date(day, "full", locale=_babel_locale(language))


def month_year(year: int, month: int, language: str = EN) -> str:
    """A month of a year, as a retainer's period is named: "December 2026",
    "diciembre de 2026", "Dezember 2026". CLDR's ``yMMMM`` skeleton, which picks
    each language's own pattern (and the month's standalone form where the
    language has one), rather than a fixed "MMMM y"."""
    language = str(language)
    if language == EN:
        return f"{_EN_MONTHS[month - 1]} {year}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=_babel_locale(language))


# -- durations and relative times --------------------------------------------------- #


def days(count: int, language: str = EN, *, length: str = "narrow") -> str:
    """A number of days: ``14d`` (narrow), ``14 days`` / ``14 días`` (long)."""
    return _unit(count, "duration-day", language, length)


def hours(count: int, language: str = EN, *, length: str = "short") -> str:
    """A number of hours: ``24 hr`` / ``24 h``."""
    return _unit(count, "duration-hour", language, length)


def _unit(count: int, unit: str, language: str, length: str) -> str:
    from babel.units import format_unit

    return format_unit(count, unit, length=length, locale=_babel_locale(str(language)))  # type: ignore[arg-type]


def relative(delta_days: int, language: str = EN, *, length: str = "long") -> str:
    """A day in relation to today, in words: "in 2 days", "hace 3 días", "today".

    Past 4 weeks it says months, past 11 months years, as people do ("2 months
    ago"); where the exact count matters use :func:`days`.
    """
    from babel.dates import format_timedelta

    if delta_days == 0:
        from .i18n import N_, translation

        return translation(str(language)).gettext(N_("today"))
    return format_timedelta(dt.timedelta(days=delta_days), granularity="day", threshold=1,
                            add_direction=True, format=length,  # type: ignore[arg-type]
                            locale=_babel_locale(str(language)))


@cache
def language_name(language: str) -> str:
    """How ``language`` calls itself, capitalised: "English", "Español",
    "Français"; its code when CLDR does not know it."""
    language = str(language)
    if language == EN:
        return "English"
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language).get_display_name(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return language
    return name[:1].upper() + name[1:] if name else language
