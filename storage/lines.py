"""Invoice lines as text: ``description; quantity; unit price``, one a line.

The invoice form and ``rapport invoice edit --line`` both read this, so a line
that one accepts the other accepts too.
"""

from __future__ import annotations

from decimal import Decimal

from .i18n import N_, _
from .models import Invoice, LineItem
from .values import ValidationError, parse_decimal, parse_money

ITEMS_HELP = N_("One line per item: description; quantity; unit price (or description; amount)")
"""Help for the lines field, marked for the catalog: translate it where it is shown."""


def _where(number: int, lines: int, message: str) -> str:
    """``message`` about line ``number`` of ``lines``: "line 2: ..." when there
    are several, "the line: ..." when there is one."""
    if lines > 1:
        return _("line {number}: {message}").format(number=number, message=message)
    return _("the line: {message}").format(message=message)


def parse_items(text: str) -> list[tuple[str, Decimal, Decimal]]:
    """``description; quantity; unit price`` lines (``description; amount`` for
    one unit) as (description, quantity, unit price). The description may
    itself contain ``;``: the numbers are taken from the end of the line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError("items", _("add at least one line: description; quantity; unit price"))
    out = []
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.rsplit(";", 2)]
        if len(parts) == 2:
            description, quantity_text, price_text = parts[0], "1", parts[1]
        elif len(parts) == 3:
            description, quantity_text, price_text = parts
        else:
            raise ValidationError("items", _where(
                number, len(lines), _("write description; quantity; unit price (e.g. Logo; 1; 1200)")))
        if not description:
            raise ValidationError("items", _where(number, len(lines), _("the description is missing")))
        try:
            quantity = parse_decimal(quantity_text, "quantity")
            price = parse_decimal(price_text, "unit price", allow_negative=True)
        except ValidationError as exc:
            raise ValidationError("items", _where(
                number, len(lines), _("{field} {message}").format(field=exc.label, message=exc.message))) from None
        if quantity <= 0:
            raise ValidationError("items", _where(number, len(lines), _("the quantity must be greater than 0")))
        out.append((description, quantity, price))
    return out


def items_text(invoice: Invoice) -> str:
    """The text for an invoice's lines (what :func:`parse_items` reads back)."""
    lines = []
    for item in invoice.items:
        description = " ".join(item.description.splitlines())
        lines.append(f"{description}; {format(item.quantity, 'f')}; {format(item.unit_price, 'f')}")
    return "\n".join(lines)


def line_items(parsed: list[tuple[str, Decimal, Decimal]], currency: str) -> list[LineItem]:
    """Parsed lines as LineItems, each price held to ``currency``'s decimals."""
    items = []
    for number, (description, quantity, price) in enumerate(parsed, start=1):
        try:
            if price < 0:  # a discount line: the currency's decimals still apply
                unit_price = -parse_money(-price, currency, "unit price")
            else:
                unit_price = parse_money(price, currency, "unit price")
        except ValidationError as exc:
            raise ValidationError("items", _where(number, len(parsed), exc.message)) from None
        items.append(LineItem(description=description, quantity=quantity, unit_price=unit_price))
    return items
