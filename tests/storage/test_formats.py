"""The one formatter (storage.formats): CLDR's rules through Babel, English by a
fast path that must say exactly what Babel says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from storage import formats

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(amounts, st.sampled_from([0, 2, 3]))
def test_english_fast_path_is_babel(value: Decimal, places: int) -> None:
    pattern = "#,##0" + ("." + "0" * places if places else "")
    assert formats.number(value, "en", places=places) == format_decimal(
        value.quantize(Decimal(1).scaleb(-places)), format=pattern, locale="en", decimal_quantization=True)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_english_long_date_is_babel(day: dt.date) -> None:
    assert formats.long_date(day, "en") == format_date(day, "EEEE d MMMM y", locale="en")


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)),
       st.sampled_from(["en", "es", "fr", "de"]))
def test_a_short_date_reads_back(day: dt.date, language: str) -> None:
    assert formats.parse_short_date(formats.short_date(day, language), language) == day


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1,280.00 EUR"), ("es", "1.280,00 EUR"), ("de", "1.280,00 EUR"), ("xx", "1,280.00 EUR")])
def test_amounts_keep_the_code(language: str, expected: str) -> None:
    assert formats.money(Decimal("1280"), "EUR", language) == expected


def test_minor_units_follow_the_currency() -> None:
    assert formats.money(Decimal("150000"), "JPY", "es") == "150.000 JPY"
    assert formats.money(Decimal("1.2505"), "KWD", "en") == "1.251 KWD"
    assert formats.money(Decimal("-0.5"), "EUR", "es") == "-0,50 EUR"


def test_dates_per_language() -> None:
    day = dt.date(2026, 12, 1)
    assert formats.short_date(day, "en") == "2026-12-01"
    assert formats.short_date(day, "es") == "01/12/2026"
    assert formats.long_date(day, "en") == "Tuesday 1 December 2026"
    assert formats.long_date(day, "es") == "martes, 1 de diciembre de 2026"


def test_days_and_relative_times() -> None:
    assert formats.days(14, "en") == "14d"
    assert formats.days(14, "es", length="long") == "14 días"
    assert formats.relative(-3, "es") == "hace 3 días"
    assert formats.relative(2, "en") == "in 2 days"


def test_quantities_keep_their_decimals() -> None:
    assert formats.number(Decimal("2.5"), "es") == "2,5"
    assert formats.number(Decimal("2.50"), "en") == "2.5"
    assert formats.number(Decimal("3"), "en") == "3"
    assert formats.number(Decimal("1234.5"), "es") == "1.234,5"


@given(st.integers(min_value=1900, max_value=2200), st.integers(min_value=1, max_value=12))
def test_english_month_year_is_babel(year: int, month: int) -> None:
    from babel.dates import format_skeleton

    day = dt.date(year, month, 1)
    assert formats.month_year(year, month, "en") == format_skeleton("yMMMM", day, locale="en")
    assert formats.month_year(year, month, "en") == format_date(day, "MMMM y", locale="en")


def test_month_year_per_language() -> None:
    assert formats.month_year(2026, 12, "en") == "December 2026"
    assert formats.month_year(2026, 12, "es") == "diciembre de 2026"
    assert formats.month_year(2026, 3, "de") == "März 2026"
    assert formats.month_year(2026, 3, "xx") == "March 2026"  # an unknown language reads as English


def test_a_retainer_period_in_words() -> None:
    from storage.scheduler import period_words

    assert period_words("2026-12") == "December 2026"
    assert period_words("2026-12", "es") == "diciembre de 2026"
