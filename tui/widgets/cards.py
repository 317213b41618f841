"""The overdue board's pieces: invoice cards in one column per aging bucket.

:class:`InvoiceCard` shows one overdue invoice in four lines: who, which invoice
and how late, what is outstanding, and where it stands on the reminder ladder.
It renders to whatever width it is given, so the same card reads well in a
26-column strip at 80x24 and in a wide column at 200x60.

:class:`BucketColumn` is one aging bucket: a titled strip of cards and the
column's totals per currency. :class:`OverdueBoard` lays the five columns side
by side; narrower than the five fit, it scrolls sideways, and the focused
card is always scrolled into view.

The containers here drop the scroll bindings Textual's scroll containers have,
so the arrow keys reach the screen, which moves between cards.

Everything a person typed (names, invoice numbers) is shown as data: plain
strings in a :class:`~textual.content.Content`, never markup, with control
characters made visible (storage.text).
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from storage.formats import money
from storage.invoicing import Card, Column
from storage.text import cell_width, fit, one_line

from ..i18n import N_, _, active, ngettext
from .safe import AMBER, RED, RICH_SEVERITY, SELECTED
from .words import day_text as _day

BUCKET_TITLES = {
    "1-7": N_("1-7 days"),
    "8-14": N_("8-14 days"),
    "15-30": N_("15-30 days"),
    "31-60": N_("31-60 days"),
    "61+": N_("61+ days"),
}


def _days(n: int, short: bool) -> str:
    if short:
        return _("{n}d late").format(n=n)
    return ngettext("{n} day late", "{n} days late", n).format(n=n)


def _amount(value, currency: str) -> str:
    return money(value, currency, active())




COMPACT_WIDTH = 22
"""Narrower than this a card takes five lines: the amount and the reminders
sent on lines of their own (the five columns of an 80-column board)."""


def _side_by_side(left: str, right: str, width: int) -> tuple[str, str]:
    """``left`` truncated so that ``right`` fits after it on one line of ``width``."""
    gap = max(width - cell_width(right), 0)
    return fit(left, max(gap - 1, 0)) + (" " if gap else ""), right


def _first_that_fits(options: list[str], width: int) -> str:
    for text in options:
        if cell_width(text) <= width:
            return text
    return options[-1]


def sent_text(card: Card, width: int) -> str:
    """How many reminders went: in words when there is room."""
    n = card.sent
    words = _("no reminder sent") if n == 0 else ngettext("{n} reminder sent", "{n} reminders sent", n).format(n=n)
    return _first_that_fits([words, _("none sent") if n == 0 else _("{n} sent").format(n=n)], width)


def ladder_text(card: Card, today: dt.date, width: int) -> tuple[str, str]:
    """(text, style) of a card's last line: what comes next on the ladder,
    in words when the card is wide, abbreviated when it is narrow."""
    if card.on_hold:
        return _first_that_fits([_("ON HOLD: no reminder falls due"), _("ON HOLD: not chased"), _("ON HOLD")],
                                width), "bold $text-secondary"
    if card.escalate:
        choices = [_("escalate: call, write off or claim"), _("escalate: call or claim"), _("escalate: call"),
                   _("escalate")]
        return _first_that_fits(choices, width), RICH_SEVERITY["red"]
    if card.final_sent and card.pay_by is not None:
        day, short = _day(card.pay_by), _day(card.pay_by, year=False)
        return _first_that_fits([_("final notice sent, pay by {date}").format(date=day),
                                 _("final sent, pay by {date}").format(date=day),
                                 _("pay by {date}").format(date=day), _("pay by {date}").format(date=short)],
                                width), "$text-muted"
    if card.next_date is None:  # pragma: no cover - an overdue card has one or the other
        return "", ""
    if card.next_date <= today:
        level = card.next_level
        return _first_that_fits([_("reminder {level} due now").format(level=level),
                                 _("R{level} due now").format(level=level)], width), \
            f"bold {RICH_SEVERITY['amber']}"
    day, short = _day(card.next_date), _day(card.next_date, year=False)
    return _first_that_fits([_("next reminder {date}").format(date=day), _("next {date}").format(date=day),
                             _("next {date}").format(date=short)], width), "$text-muted"


def _client_line(card: Card, width: int) -> Content:
    """The client's name, marked "late payer" when it pays late as a habit."""
    name = one_line(card.row.client)
    if not card.late_payer:
        return Content.assemble((fit(name, width).rstrip(), "bold"))
    long_mark = _("late payer")
    mark = long_mark if cell_width(name) + cell_width(long_mark) + 1 <= width else _("late")
    left, right = _side_by_side(name, mark, width)
    return Content.assemble((left, "bold"), (right, RICH_SEVERITY["red"]))


def card_content(card: Card, today: dt.date, width: int) -> Content:
    """The four lines of a card, each fitted to ``width`` cells: who; which
    invoice and how late; what is outstanding and how many reminders went;
    what comes next on the ladder (or that it is on hold). A narrow card
    (``COMPACT_WIDTH``) gives the reminders sent a line of their own."""
    width = max(width, 8)
    row = card.row
    late_style = RICH_SEVERITY["red" if row.severity == "red" else "amber"]
    number_text = one_line(row.number)
    days = _first_that_fits([_days(row.days_overdue, False), _days(row.days_overdue, True), f"{row.days_overdue}d"],
                            width - cell_width(number_text) - 1)
    number, late = _side_by_side(number_text, days, width)
    amount = _amount(row.outstanding, row.currency)
    ladder, ladder_style = ladder_text(card, today, width)
    if width < COMPACT_WIDTH:
        return Content("\n").join(
            [
                _client_line(card, width),
                Content.assemble((number, ""), (late, late_style)),
                Content.assemble((fit(amount, width).rstrip(), "bold")),
                Content.assemble((sent_text(card, width), "$text-muted")),
                Content.assemble((fit(ladder, width).rstrip(), ladder_style)),
            ]
        )
    sent = sent_text(card, max(width - cell_width(amount) - 1, 0))
    of = ""
    if row.outstanding != row.total:
        of = " " + _("of {total}").format(total=_amount(row.total, row.currency).rsplit(" ", 1)[0])
        if cell_width(amount + of + " " + sent) > width:
            of = ""
    left, right = _side_by_side(amount + of, sent, width)
    amount_line = Content.assemble((left[: len(amount)], "bold"), (left[len(amount):], "$text-muted"),
                                   (right, "$text-muted"))
    return Content("\n").join(
        [
            _client_line(card, width),
            Content.assemble((number, ""), (late, late_style)),
            amount_line,
            Content.assemble((fit(ladder, width).rstrip(), ladder_style)),
        ]
    )


class InvoiceCard(Widget, can_focus=True):
    """One overdue invoice. Focus it to act on it (the screen's keys)."""

    DEFAULT_CSS = """
    InvoiceCard {
        height: auto;
        width: 1fr;
        padding: 0 0 0 1;
        margin-bottom: 1;
        border-left: outer AMBER_;
        background: $boost;
    }
    InvoiceCard.-red { border-left: outer RED_; }
    InvoiceCard.-hold { border-left: outer $secondary; }
    InvoiceCard:focus {
        background: SELECTED_;
        border-left: outer $accent;
    }
    """

    DEFAULT_CSS = DEFAULT_CSS.replace("AMBER_", AMBER).replace("RED_", RED).replace("SELECTED_", SELECTED)

    def __init__(self, card: Card, today: dt.date) -> None:
        super().__init__(classes=self._classes_for(card))
        self.card = card
        self.today = today

    @staticmethod
    def _classes_for(card: Card) -> str:
        if card.on_hold:
            return "-hold"
        return "-red" if (card.escalate or card.row.severity == "red") else ""

    @property
    def number(self) -> str:
        return self.card.number

    def show(self, card: Card, today: dt.date) -> None:
        """Show new figures for the same invoice (a payment, a reminder)."""
        if card == self.card and today == self.today:
            return
        self.card = card
        self.today = today
        self.set_classes(self._classes_for(card))
        self.refresh()

    def render(self) -> Content:
        return card_content(self.card, self.today, self.content_region.width or self.size.width)


class CardList(VerticalScroll, can_focus=False, inherit_bindings=False):
    """A column's cards; scrolls to the focused one, leaves the keys to the screen."""


class BucketColumn(Vertical):
    """One aging bucket: its cards, most overdue first, and totals per currency.

    Collapsed (``narrow``) it is a sliver: the bucket's name and how many
    invoices it holds, so that the other columns have room for their cards."""

    DEFAULT_CSS = """
    BucketColumn {
        width: 26;
        height: 100%;
        border: round $panel-lighten-2;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0;
    }
    BucketColumn > CardList { height: 1fr; padding: 0 0; scrollbar-size-vertical: 1; }
    BucketColumn .bucket-empty { color: $text-muted; padding: 0 1; }
    BucketColumn .bucket-sliver { height: 1fr; color: $text-muted; display: none; }
    BucketColumn.-narrow .bucket-sliver { display: block; }
    BucketColumn.-narrow > CardList { display: none; }
    BucketColumn .bucket-totals {
        height: auto;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
        color: $text;
        text-style: bold;
        text-align: right;
    }
    BucketColumn.-narrow .bucket-totals { padding: 0; }
    """

    def __init__(self, bucket: str) -> None:
        super().__init__(id=f"bucket-{bucket.replace('+', 'plus')}")
        self.bucket = bucket
        self.count = 0
        self.narrow = False
        self.current = False
        self._column_totals: dict[str, object] = {}
        self._title()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._draw_border())

    def set_current(self, current: bool) -> None:
        """The column of the focused card is outlined in the accent colour.

        Set here rather than with ``:focus-within`` in the CSS: Textual restyles
        the whole column, every card in it, each time focus enters or leaves
        (6-12 ms a key with a few dozen cards)."""
        if current != self.current:
            self.current = current
            self._draw_border()

    def _draw_border(self) -> None:
        if self.current:
            self.styles.border = ("round", self.app.get_css_variables()["accent"])
        else:
            self.styles.border = None  # the stylesheet's

    def _title(self) -> None:
        """``8-14 days · 2``; a sliver says its name inside (no room on its border)."""
        if self.narrow:
            self.border_title = ""
            if self.is_mounted:
                count = _("none") if not self.count else _("{n} inv").format(n=self.count)
                self.query_one(".bucket-sliver", Static).update(Content.assemble((self.bucket, "bold $text"),
                                                                                  "\n", count))
        else:
            # The border takes six cells around its title ("╭─ " and " ─╮").
            room = (self.styles.width.value if self.styles.width is not None else 26) - 6
            title = BUCKET_TITLES.get(self.bucket)
            long = f"{_(title) if title else self.bucket} · {self.count}"
            self.border_title = long if cell_width(long) <= room else f"{self.bucket} · {self.count}"

    def set_width(self, width: int, *, narrow: bool) -> None:
        if self.styles.width is None or self.styles.width.value != width:
            self.styles.width = width
            self._title()
        if narrow != self.narrow:
            self.narrow = narrow
            self.set_class(narrow, "-narrow")
            self._title()
            self._totals()

    def compose(self) -> ComposeResult:
        with CardList():
            yield Static(_("none"), classes="bucket-empty")
        yield Static("", classes="bucket-sliver")
        yield Static("", classes="bucket-totals", markup=False)

    @property
    def cards(self) -> list[InvoiceCard]:
        return list(self.query(InvoiceCard))

    def _totals(self) -> None:
        totals = self.query_one(".bucket-totals", Static)
        if self.narrow and self._column_totals:
            totals.update("…")  # no room for an amount: the column's cards, once open, say it
        elif self._column_totals:
            totals.update("\n".join(_amount(amount, currency)  # type: ignore[arg-type]
                                     for currency, amount in self._column_totals.items()))
        else:
            totals.update("—")

    async def show(self, column: Column, today: dt.date) -> None:
        """Show ``column``: update cards in place when the same invoices remain,
        else replace them (awaited, so the caller can focus a new card next)."""
        self.count = len(column.cards)
        self._title()
        current = self.cards
        if [c.number for c in current] == [c.number for c in column.cards]:
            for widget, card in zip(current, column.cards, strict=True):
                widget.show(card, today)
        else:
            cards_list = self.query_one(CardList)
            await cards_list.remove_children(InvoiceCard)
            await cards_list.mount_all([InvoiceCard(card, today) for card in column.cards])
        self.query_one(".bucket-empty").display = not column.cards
        self._column_totals = dict(column.totals)
        self._totals()


class OverdueBoard(HorizontalScroll, can_focus=False, inherit_bindings=False):
    """The five aging-bucket columns side by side, all on screen.

    Wide enough (``COMFORT_WIDTH`` a column), they share the width equally.
    Narrower, an empty column is a sliver and the others share the rest; when
    even they do not all fit at ``MIN_COLUMN_WIDTH``, the column of the
    focused card and then the oldest buckets keep their cards, and the
    youngest become slivers too: the oldest, largest debts are never the ones
    hidden. Only below a sliver a column does the board scroll sideways."""

    DEFAULT_CSS = """
    OverdueBoard { height: 1fr; scrollbar-size-horizontal: 1; }
    """

    COMFORT_WIDTH = 26
    """A column this wide shows a card in four lines, every word spelled out."""
    MIN_COLUMN_WIDTH = 18
    """Narrower than this a card cannot show an amount on a line (five-line cards)."""
    SLIVER_WIDTH = 7
    """A collapsed column: its border and a bucket's name ("15-30")."""

    def __init__(self, buckets: tuple[str, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.buckets = buckets
        self.focused_column: int | None = None

    def on_resize(self) -> None:
        self._fit_columns()

    def on_mount(self) -> None:
        self._fit_columns()

    def focus_column(self, index: int | None) -> None:
        """The focused card is in column ``index``: keep that column open."""
        if index != self.focused_column:
            self.focused_column = index
            self._fit_columns()

    def plan(self, width: int, counts: list[int]) -> list[int]:
        """Each column's width, 0 for a sliver (pure: see the class's docstring)."""
        n = len(counts)
        if width >= self.COMFORT_WIDTH * n:
            return [width // n + (1 if i >= n - width % n else 0) for i in range(n)]
        focused = self.focused_column
        candidates = sorted((i for i in range(n) if counts[i]), key=lambda i: (i != focused, -i))
        full: list[int] = []
        for index in candidates:
            trial = full + [index]
            rest = width - self.SLIVER_WIDTH * (n - len(trial))
            if full and rest < self.MIN_COLUMN_WIDTH * len(trial):
                break
            full = trial
        widths = [0] * n
        if not full:
            return widths
        rest = max(width - self.SLIVER_WIDTH * (n - len(full)), self.MIN_COLUMN_WIDTH * len(full))
        share, extra = divmod(rest, len(full))
        for rank, index in enumerate(sorted(full)):
            widths[index] = share + (1 if rank >= len(full) - extra else 0)
        return widths

    def _fit_columns(self) -> None:
        width = self.size.width
        columns = self.columns
        if not width or not columns:
            return
        for column, column_width in zip(columns, self.plan(width, [c.count for c in columns]), strict=True):
            if column_width:
                column.set_width(column_width, narrow=False)
            else:
                column.set_width(self.SLIVER_WIDTH, narrow=True)

    def compose(self) -> ComposeResult:
        for bucket in self.buckets:
            yield BucketColumn(bucket)

    @property
    def columns(self) -> list[BucketColumn]:
        return list(self.query(BucketColumn))

    async def show(self, columns: list[Column], today: dt.date) -> None:
        # Totals take one line per currency; give every column the same number
        # of lines so the cards and the totals line up across the board.
        lines = max([len(column.totals) for column in columns] + [1])
        for widget, column in zip(self.columns, columns, strict=True):
            await widget.show(column, today)
            widget.query_one(".bucket-totals").styles.height = lines + 1
        self._fit_columns()
