"""Money: Decimal throughout, rounded to the currency's minor unit, and never
added across currencies (the overdue board's totals included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.invoicing import overdue_board, totals_by_currency
from storage.models import Client, Invoice, InvoiceStatus, LineItem, Payment, Settings
from storage.scheduler import BUCKETS, invoices_overdue
from storage.store import Snapshot
from storage.values import ValidationError, format_money, minor_units, money_str, parse_money, quantize

TODAY = dt.date(2026, 11, 27)
CURRENCIES = {"JPY": 0, "EUR": 2, "USD": 2, "KWD": 3}

currencies = st.sampled_from(sorted(CURRENCIES))
raw_amounts = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=6,
                          allow_nan=False, allow_infinity=False)


@st.composite
def money(draw, currency: str | None = None, *, positive: bool = True) -> tuple[str, Decimal]:
    """(currency, amount) with no more decimals than the currency has."""
    code = currency or draw(currencies)
    places = CURRENCIES[code]
    units = draw(st.integers(min_value=1 if positive else -10**9, max_value=10**9))
    return code, Decimal(units).scaleb(-places)


def test_minor_units_of_the_currencies_used_here():
    assert {code: minor_units(code) for code in CURRENCIES} == CURRENCIES


@given(currencies, raw_amounts)
def test_quantize_rounds_to_the_minor_unit_half_up(currency, amount):
    rounded = quantize(amount, currency)
    assert isinstance(rounded, Decimal)
    assert rounded.as_tuple().exponent == -CURRENCIES[currency]
    unit = Decimal(1).scaleb(-CURRENCIES[currency])
    assert abs(rounded - amount) <= unit / 2
    assert quantize(rounded, currency) == rounded
    # Half up: exactly half a unit rounds away from zero.
    assert quantize(Decimal("0.5") * unit, currency) == unit


def test_quantize_examples():
    assert money_str(Decimal("1234.5"), "JPY") == "1235"
    assert money_str(Decimal("1234.565"), "EUR") == "1234.57"
    assert money_str(Decimal("1.2345"), "KWD") == "1.235"
    assert money_str(Decimal("7"), "KWD") == "7.000"


@given(money())
def test_money_str_round_trips_through_parse_money(pair):
    currency, amount = pair
    text = money_str(amount, currency)
    decimals = len(text.partition(".")[2])
    assert decimals == CURRENCIES[currency]
    assert parse_money(text, currency) == amount


@given(currencies)
def test_parse_money_refuses_more_decimals_than_the_currency_has(currency):
    too_fine = "1." + "0" * CURRENCIES[currency] + "1"
    with pytest.raises(ValidationError):
        parse_money(too_fine, currency)
    with pytest.raises(ValidationError):
        parse_money(1.5, currency)  # a float is never money


@given(money(), st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3))
def test_a_line_total_is_quantity_times_price_at_the_minor_unit(pair, quantity):
    currency, price = pair
    total = LineItem(description="x", quantity=quantity, unit_price=price).total(currency)
    assert isinstance(total, Decimal)
    assert total == quantize(quantity * price, currency)
    assert total.as_tuple().exponent == -CURRENCIES[currency]


@given(st.lists(money(), max_size=30))
def test_totals_by_currency_never_mixes_currencies(pairs):
    totals = totals_by_currency(pairs)
    assert list(totals) == sorted({c for c, _ in pairs})
    for currency, total in totals.items():
        assert isinstance(total, Decimal)
        assert total == quantize(sum((a for c, a in pairs if c == currency), Decimal(0)), currency)
        assert total.as_tuple().exponent == -CURRENCIES[currency]


@given(st.lists(money(), max_size=20), money())
def test_adding_another_currency_leaves_the_other_totals_alone(pairs, extra):
    before = totals_by_currency(pairs)
    after = totals_by_currency([*pairs, extra])
    for currency, total in before.items():
        if currency != extra[0]:
            assert after[currency] == total
    assert after[extra[0]] == quantize(before.get(extra[0], Decimal(0)) + extra[1], extra[0])


@given(st.lists(money(), max_size=20), st.randoms())
def test_totals_do_not_depend_on_order(pairs, rnd):
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    assert totals_by_currency(shuffled) == totals_by_currency(pairs)


def test_totals_refuse_floats():
    with pytest.raises(TypeError):
        totals_by_currency([("EUR", 1.5)])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("11200"), "EUR", "11,200.00 EUR"),
        (Decimal("150000"), "JPY", "150,000 JPY"),
        (Decimal("1.25"), "KWD", "1.250 KWD"),
        (Decimal("1234567.891"), "KWD", "1,234,567.891 KWD"),
        (Decimal("0.005"), "EUR", "0.01 EUR"),
    ],
)
def test_format_money(amount, currency, shown):
    assert format_money(amount, currency) == shown


@given(raw_amounts, currencies)
def test_format_money_reads_back_as_the_stored_amount_in_both_languages(amount, currency):
    english = format_money(amount, currency)
    spanish = format_money(amount, currency, "es")
    assert english.endswith(f" {currency}") and spanish.endswith(f" {currency}")
    number = english.removesuffix(f" {currency}")
    assert number.replace(",", "") == money_str(amount, currency)
    assert spanish.removesuffix(f" {currency}").translate(str.maketrans(",.", ".,")) == number
    if abs(quantize(amount, currency)) >= 1000:
        assert "," in number and "." in spanish.removesuffix(f" {currency}").split(",")[0]


def test_money_has_one_formatter_under_one_name():
    from storage import drafts, invoicing, values

    # The older names are gone: every caller says format_money.
    assert not hasattr(invoicing, "money_display") and not hasattr(values, "display_money")
    assert drafts.format_money is format_money
    assert format_money(Decimal("1234.5"), "EUR", "es") == "1.234,50 EUR"
    assert format_money(Decimal("-1234.5"), "EUR") == "-1,234.50 EUR"


# --------------------------------------------------------------------------- #
# The board's totals, from invoices in several currencies
# --------------------------------------------------------------------------- #


@st.composite
def invoices(draw) -> list[Invoice]:
    out = []
    for n in range(draw(st.integers(min_value=0, max_value=12))):
        currency = draw(currencies)
        items = [
            LineItem(description=f"line {i}", quantity=draw(st.sampled_from([Decimal(1), Decimal(2), Decimal("1.5")])),
                     unit_price=draw(money(currency))[1])
            for i in range(draw(st.integers(min_value=1, max_value=3)))
        ]
        invoice = Invoice(
            id=f"invoice-{n + 1}", number=f"2026-{n + 1:03d}", client_id="client-1", items=items,
            currency=currency, issued=TODAY - dt.timedelta(days=draw(st.integers(min_value=0, max_value=120))),
            terms_days=14, status=InvoiceStatus.SENT,
        )
        # Part of it paid, in the currency's own units.
        paid_part = quantize(invoice.total * draw(st.sampled_from([0, Decimal("0.25"), Decimal("0.5")])), currency)
        if paid_part > 0:
            invoice = invoice.replace(payments=[Payment(date=TODAY, amount=paid_part)])
        out.append(invoice)
    return out


def _snapshot(docs: list[Invoice]) -> Snapshot:
    client = Client(id="client-1", name="Acme", since=dt.date(2020, 1, 1))
    return Snapshot({
        "client": {"1": client.to_doc()},
        "invoice": {str(i): doc.to_doc() for i, doc in enumerate(docs, start=1)},
        "settings": {"1": Settings(id="settings").to_doc()},
    })


@settings(max_examples=60)
@given(invoices())
def test_board_totals_are_per_column_and_per_currency(docs):
    snap = _snapshot(docs)
    columns = overdue_board(snap, TODAY)
    assert [c.bucket for c in columns] == list(BUCKETS)
    overdue = invoices_overdue(snap, TODAY)
    assert sum(len(c.cards) for c in columns) == len(overdue)
    grand: dict[str, Decimal] = {}
    for column in columns:
        currencies_here = {card.row.currency for card in column.cards}
        assert set(column.totals) == currencies_here  # no currency without a card in it
        for currency, total in column.totals.items():
            expected = sum((c.row.outstanding for c in column.cards if c.row.currency == currency), Decimal(0))
            assert isinstance(total, Decimal)
            assert total == expected
            assert total.as_tuple().exponent == -CURRENCIES[currency]
            grand[currency] = grand.get(currency, Decimal(0)) + total
        for card in column.cards:
            assert card.row.bucket == column.bucket
    assert grand == totals_by_currency((r.currency, r.outstanding) for r in overdue)
