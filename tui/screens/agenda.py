"""The Agenda: today's review, most urgent first, every row acted on in place.

Sections follow the review's order (storage.scheduler.SECTIONS): reminders due, overdue invoices, invoices
due soon, check-ins due, promises, deadlines, to invoice, awaiting reply, rate
reviews. An overdue invoice that wants a reminder is listed once, under
reminders. Each row says who, what is due, how late and how much; the "when"
column is amber from the due day and red once badly late, with ``!``/``!!``
so the meaning does not depend on colour.

A file with no clients (a new user's) shows a welcome instead: what rapport
does and the keys to start with, each usable here: ``,`` your name and
sign-off, ``n`` the first client, ``d`` the demo data (the store decides
whether a file may take it). With no rows, the rows' keys leave the key bar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from storage import scheduler
from storage.text import fit, one_line
from storage.values import format_money

from ..i18n import N_, _, ngettext, number, relative, short_date, speaking
from ..report import TITLES
from ..widgets.header import Header
from ..widgets.keybar import KeyBar
from ..widgets.rowlist import Row, RowList
from ..widgets.safe import RICH_SEVERITY
from .base import ModeScreen

# What `m` drafts for a row of each section.
DRAFT_KIND = {
    "reminders_due": "reminder",
    "invoices_overdue": "reminder",
    "invoices_due_soon": "invoice",
    "checkins_due": "checkin",
    "promises_due": "update",
    "deadlines": "update",
    "to_invoice": "update",
    "awaiting_reply": "change",
    "rate_reviews": "raise",
}

# The contact kind `l` suggests for a row of each section.
CONTACT_KIND = {
    "reminders_due": "reminder",
    "invoices_overdue": "reminder",
    "checkins_due": "check-in",
    "promises_due": "progress update",
    "deadlines": "progress update",
    "awaiting_reply": "proposal",
    "rate_reviews": "proposal",
}


@dataclass(frozen=True)
class Item:
    """One agenda row: its section and the scheduler row behind it."""

    section: str
    row: Any

    @property
    def key(self) -> str:
        row = self.row
        ident = getattr(row, "id", None) or getattr(row, "job_id", None) or getattr(row, "client_id", "")
        period = getattr(row, "period", None)
        if period:  # a retainer's month: one row per client and month
            ident = f"{ident}:{period}"
        return f"{self.section}:{ident}"

    @property
    def client_id(self) -> str:
        return self.row.client_id


def _when(section: str, row: Any, lang: str = "en") -> str:
    """How late (or how soon), in a few characters: the row's ``when``, worded
    in ``lang``: ``3d late``, ``today``, ``in 2d``; ``3d`` sent 3 days ago; ``14 mo``."""
    when: scheduler.When = row.when
    with speaking(lang):
        n = number(abs(when.n), lang)
        if when.kind == "waiting":
            return _("{n}d").format(n=n)
        if when.kind == "months":
            return _("{n} mo").format(n=n)
        if when.n > 0:
            return _("{n}d late").format(n=n)
        return relative(0, lang) if when.n == 0 else _("in {n}d").format(n=n)


def _value(value: object, lang: str) -> str:
    """One value of a row's phrase in ``lang``; user text as typed."""
    if isinstance(value, scheduler.Phrase):
        return _phrase(value, lang)
    if isinstance(value, scheduler.Money):
        return format_money(value.amount, value.currency, lang)
    if isinstance(value, dt.date):
        return short_date(value, lang)
    return str(value)


def _phrase(phrase: scheduler.Phrase, lang: str) -> str:
    """A phrase of the scheduler (its text is marked there, storage.scheduler),
    from the catalog, its values filled after translation."""
    with speaking(lang):
        return _(phrase.text).format(**{name: _value(value, lang) for name, value in phrase.values})


def _what(section: str, row: Any, lang: str = "en") -> str:
    """What is due: the row's ``what`` phrases, translated."""
    return "".join(_phrase(part, lang) for part in row.what)


def _amount(section: str, row: Any, lang: str = "en") -> str:
    amount: scheduler.Money | None = row.amount
    return "" if amount is None else format_money(amount.amount, amount.currency, lang)


WHEN_WIDTH = 10
AMOUNT_WIDTH = 14


def when_width(lang: str = "en") -> int:
    """Spanish says "76d tarde": one cell more than "76d late"."""
    return WHEN_WIDTH + 1 if lang == "es" else WHEN_WIDTH


def column_widths(width: int, when: int = WHEN_WIDTH) -> tuple[int, int]:
    """(client, what) widths for a row ``width`` cells wide: the client gets about
    a third of the room, between 12 and 28 cells; what is due gets the rest."""
    room = max(width - when - AMOUNT_WIDTH - 3, 20)
    client = max(12, min(28, room // 3))
    return client, room - client


def render_row(section: str, row: Any, width: int = 78, ladder_length: int = 3, lang: str = "en") -> Text:
    """One row, one line: when | who | what | how much, in fixed columns.

    Built as a Text from plain strings (never markup), each cell fitted by
    terminal cells, so wide characters and emoji keep the columns aligned.
    ``ladder_length`` is no longer read (the row says whether its reminder is
    the final one); it stays for the callers.
    """
    severity = getattr(row, "severity", "") or ""
    marker = {"red": "!!", "amber": "! "}.get(severity, "  ")
    when = when_width(lang)
    client_width, what_width = column_widths(width, when)
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(fit(f"{marker}{_when(section, row, lang)}", when), style=RICH_SEVERITY.get(severity, ""))
    line.append(" ")
    line.append(fit(one_line(row.client), client_width))
    line.append(" ")
    line.append(fit(one_line(_what(section, row, lang)), what_width))
    line.append(" ")
    line.append(fit(_amount(section, row, lang), AMOUNT_WIDTH, align=">"))
    return line


def agenda_items(review: scheduler.Review) -> list[tuple[str, list[Item]]]:
    """The sections to show, each with its rows (empty sections left out)."""
    reminded = {row.number for row in review.reminders_due}
    out = []
    for section, rows in review.sections():
        if section == "invoices_overdue":
            rows = tuple(r for r in rows if r.number not in reminded)
        if rows:
            out.append((section, [Item(section, row) for row in rows]))
    return out


WELCOME = N_(
    "rapport keeps your client relationships healthy. Every morning this screen lists "
    "who to get in touch with, the promises falling due, the work to invoice and the "
    "invoices to chase, and drafts a polite message for each."
)
WELCOME_KEYS = (
    (",", N_("Your name and sign-off, to sign your messages")),
    ("n", N_("Add your first client: it shows here, and l logs your first contact")),
    ("d", N_("Or look around first, with demo data (u takes it back)")),
)
WELCOME_END = N_("Every change is saved at once. ? lists every key.")


def welcome_words(lang: str = "en") -> Group:
    """The first-run screen's words: what rapport does, then the keys to start."""
    keys = Table.grid(padding=(0, 2))
    keys.add_column(style="bold", no_wrap=True)
    keys.add_column()
    with speaking(lang):
        for key, what in WELCOME_KEYS:
            keys.add_row(Text(key), Text(_(what)))
        return Group(
            Text(_(WELCOME)), Text(""), Text(_("To start:"), style="bold"), keys, Text(""),
            Text(_(WELCOME_END)),
        )


def _flows():
    """tui.flows, imported on the first action: its forms (Textual's Input and
    Select among them, ~55 ms) are not needed to draw the first frame."""
    from .. import flows  # lazy: a measured start-up win (see the docstring)

    return flows


class AgendaScreen(ModeScreen):
    """Home: the two-minute daily review."""

    TITLE = N_("Agenda")
    """The screen's name, in the header and help (tui.widgets.header)."""

    BINDINGS = [
        # The first steps, first in the key bar when they show. `n` is there only
        # while the Agenda has no rows (its quiet twin works always); `,` and `d`
        # (below) only in a file with no clients: there `,` is the app's settings
        # again, and `d` the rows' key.
        Binding("n", "new_client", N_("New client"), id="agenda-new-client", tooltip=N_("Add a client")),
        Binding("n", "new_client('quiet')", N_("New client"), show=False, id="agenda-new-client-quiet",
                tooltip=N_("Add a client")),
        Binding("comma", "first_settings", N_("Your name"), key_display=",", id="agenda-first-settings",
                tooltip=N_("Your name and sign-off (the settings)")),
        Binding("enter", "open", N_("Open"), id="agenda-open", show=False, tooltip=N_("Open the client")),
        Binding("l", "log_contact", N_("Log"), id="agenda-log", tooltip=N_("Log a contact with the client")),
        Binding("m", "draft", N_("Draft"), id="agenda-draft", tooltip=N_("Draft the message from its template")),
        Binding("p", "payment", N_("Pay"), id="agenda-pay", tooltip=N_("Record a payment on the invoice")),
        Binding("z", "snooze", N_("Snooze"), id="agenda-snooze",
                tooltip=N_("Snooze a check-in, or postpone a promise")),
        Binding("x", "done", N_("Done"), id="agenda-done",
                tooltip=N_("Done: mark the promise kept, or invoice the delivered job")),
        Binding("b", "broken", N_("Broken"), id="agenda-broken", tooltip=N_("Mark the promise broken")),
        Binding("d", "dropped", N_("Dropped"), id="agenda-dropped",
                tooltip=N_("Mark the promise dropped (no longer wanted)")),
        Binding("i", "invoice", N_("Invoice"), id="agenda-invoice",
                tooltip=N_("Invoice all the client's delivered jobs, one line each")),
        Binding("a", "accept", N_("Accept"), id="agenda-accept", tooltip=N_("The client accepted the proposal")),
        Binding("d", "decline", N_("Decline"), id="agenda-decline",
                tooltip=N_("The client declined the proposal (a declined raise offers the farewell)")),
        Binding("r", "raise_rate", N_("Raise"), id="agenda-raise",
                tooltip=N_("Propose a price raise, then draft the email")),
        Binding("c", "log_call", N_("Called"), id="agenda-call", show=False,
                tooltip=N_("Log the call to the client about the invoice past its final notice")),
        Binding("w", "write_off", N_("Write off"), id="agenda-write-off", show=False,
                tooltip=N_("Write the invoice off (asks first)")),
        Binding("j", "cursor_down", N_("Down"), show=False, id="agenda-down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="agenda-up"),
        Binding("d", "demo", N_("Demo"), id="agenda-demo",
                tooltip=N_("Demo data, into an empty file (asks first)")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[str, Item] = {}
        self._generation = -1
        self._width = 0
        self._day = None
        self._keys_for: tuple[object, ...] | None = None
        self._lang = "en"
        self._welcome = False  # a file with no clients: the first-run screen
        self._reveal: str | None = None  # a row to select once shown (a client just added)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agenda-summary", markup=False)
        yield RowList(id="agenda")
        with VerticalScroll(id="agenda-welcome"):
            yield Static("", id="agenda-welcome-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RowList).focus()

    def data_in_memory(self) -> bool:
        return True  # the review's summary, until the whole file is read

    # -- data ---------------------------------------------------------------- #

    def refresh_data(self) -> None:
        """Recompute the review and redraw, keeping the selected row if it remains."""
        app = self.app
        store = app.store
        snapshot = store.review_snapshot()
        review = scheduler.review(snapshot, app.today)
        ladder_length = len(scheduler.ladder_of(snapshot))
        lang = self._lang = str(snapshot.settings.language)
        self._generation = store.generation
        self._day = app.today
        option_list = self.query_one(RowList)
        previous = self.selected
        previous_index = option_list.highlighted
        options: list[Row] = []
        self._items = {}
        width = self._width = self._row_width()
        sections = agenda_items(review)
        total = 0
        for section, items in sections:
            options.append(Row(Text(f"{_(TITLES[section])} ({len(items)})", style="bold underline"),
                                  id=f"head:{section}", disabled=True))
            for item in items:
                key = item.key
                while key in self._items:  # the same job twice would share a key
                    key += "+"
                self._items[key] = item
                options.append(Row(partial(render_row, section, item.row, width, ladder_length, lang), id=key))
                total += 1
        if not sections:
            options.append(Row(Text(_("Nothing due today. Enjoy the work itself.")), id="head:empty",
                                  disabled=True))
        option_list.clear_options()
        option_list.add_options(options)  # cheap: only the rows on screen are drawn
        self._show_welcome(not snapshot.clients, lang)
        summary = self.query_one("#agenda-summary", Static)
        if self._welcome:
            words = _("Welcome to rapport")
        elif total:
            words = ngettext("{n} thing to look at today", "{n} things to look at today", total).format(
                n=number(total, lang))
        else:
            words = _("All clear")
        summary.update(Text(words))
        reveal, self._reveal = self._reveal, None
        if reveal is not None and reveal in self._items:
            previous = self._items[reveal]
        self._restore(previous, previous_index)
        self._keys_follow_selection()

    def _show_welcome(self, welcome: bool, lang: str) -> None:
        """The first-run screen in place of the rows, or the rows again."""
        self._welcome = welcome
        box = self.query_one("#agenda-welcome", VerticalScroll)
        option_list = self.query_one(RowList)
        if welcome:
            self.query_one("#agenda-welcome-text", Static).update(welcome_words(lang))
        if box.display != welcome:
            box.display = welcome
            option_list.display = not welcome
            (box if welcome else option_list).focus()

    @property
    def current_client_id(self) -> str | None:
        """The selected row's client (a new promise from here is for them)."""
        item = self.selected
        return item.client_id if item else None

    @property
    def current_job_id(self) -> str | None:
        item = self.selected
        return getattr(item.row, "job_id", None) if item else None

    def _restore(self, previous: Item | None, previous_index: int | None) -> None:
        option_list = self.query_one(RowList)
        if previous is not None and previous.key in self._items:
            option_list.highlighted = option_list.get_option_index(previous.key)
            return
        # The row went away (done, paid): stay at the same place in the list.
        count = option_list.option_count
        start = min(previous_index or 0, max(count - 1, 0))
        for index in [*range(start, count), *range(start - 1, -1, -1)]:
            if not option_list.get_option_at_index(index).disabled:
                option_list.highlighted = index
                return

    @property
    def selected(self) -> Item | None:
        option_list = self.query_one(RowList)
        index = option_list.highlighted
        if index is None:
            return None
        option = option_list.get_option_at_index(index)
        return self._items.get(option.id or "")

    def on_resize(self) -> None:
        # Rows are fitted to the width: redraw when it changed, not on the first
        # layout (on_mount has just drawn them).
        if self._generation != -1 and self._row_width() != self._width:
            self.refresh_data()

    def _row_width(self) -> int:
        # From the terminal's width (known before the first layout, unlike the
        # list's own region), less the list's scrollbar and a spare cell.
        return max(self.app.size.width, 42) - 3

    @on(RowList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._keys_follow_selection()

    def _keys_follow_selection(self) -> None:
        # Which keys apply depends only on the row's section, whether there are
        # rows at all and whether there are clients (check_action): redraw the
        # footer (a recompose and relayout) only when that changes, not on
        # every move or refresh.
        item = self.selected
        keys_for = (item.section if item else None, bool(self._items), self._welcome)
        if keys_for != self._keys_for:
            self._keys_for = keys_for
            self.refresh_bindings()

    @on(RowList.OptionSelected)
    def _selected(self) -> None:
        self.action_open()

    # -- actions ------------------------------------------------------------- #

    ROW_ACTIONS = frozenset({"open", "log_contact", "draft", "payment", "snooze", "done"})
    """The everyday keys of a row: dimmed on a row they do not apply to, gone with no rows."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The everyday keys stay in the footer, dimmed where they do not apply; the
        # workflow keys appear only on the rows they act on (the footer has no
        # room for all of them at 80 columns). With no rows at all, the rows'
        # keys leave it: the first steps (n, and in a file with no clients `,`
        # and d) take their place.
        if action == "new_client":
            return bool(parameters) or not self._items
        if action in ("first_settings", "demo"):
            return self._welcome
        if action in self.ROW_ACTIONS and not self._items:
            return False
        item = self.selected
        section = item.section if item else None
        if action in ("log_contact", "draft", "open"):
            return item is not None or None
        if action == "payment":
            return section in ("reminders_due", "invoices_overdue", "invoices_due_soon") or None
        if action == "snooze":
            return section in ("checkins_due", "promises_due") or None
        if action == "done":
            return section in ("promises_due", "to_invoice") or None
        if action in ("broken", "dropped"):
            return section == "promises_due"
        if action == "invoice":
            return section == "to_invoice"
        if action in ("accept", "decline"):
            return section == "awaiting_reply"
        if action == "raise_rate":
            return section == "rate_reviews"
        if action in ("log_call", "write_off"):
            return section == "reminders_due" and bool(item and item.row.escalate)
        return True

    _WHY_NOT = {
        "r": ("raise_rate", N_("r: a price raise needs a row under Rate reviews")),
        "i": ("invoice", N_("i: invoicing needs a row under To invoice")),
        "b": ("broken", N_("b: marking a promise broken needs a row under Promises")),
    }

    def on_key(self, event: events.Key) -> None:
        # r, i and b are hidden where they do not apply; pressed there, say why.
        why = self._WHY_NOT.get(event.key)
        if why is not None and not self.check_action(why[0], ()):
            event.stop()
            self.notify(_(why[1]), severity="warning")

    def action_new_client(self, _quiet: str = "") -> None:
        """``n``: the new-client form; once saved, the client's row is selected
        (a new client is due its first check-in: ``l`` logs it)."""
        from ..forms.client import client_form  # lazy, as _flows(): forms are not in the first frame

        def saved(client: Any) -> None:
            self._reveal = f"checkins_due:{client.id}"
            self.app.saved(_("Added {client}").format(client=one_line(client.name)))

        client_form(self.app, None, saved)

    def action_first_settings(self) -> None:
        """``,`` on the first-run screen: the settings form (your name and sign-off)."""
        _flows().settings_form(self.app)

    def action_demo(self) -> None:
        """``d`` on the first-run screen: the demo data, after asking (the store
        refuses a file with clients)."""
        _flows().fill_with_demo(self.app)

    def action_cursor_down(self) -> None:
        self.query_one(RowList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(RowList).action_cursor_up()

    def action_open(self) -> None:
        item = self.selected
        if item is not None:
            self.app.open_client(item.client_id)

    def action_log_contact(self) -> None:
        item = self.selected
        if item is not None:
            _flows().log_contact(self.app, item.client_id, kind=CONTACT_KIND.get(item.section, "other"))

    def action_payment(self) -> None:
        item = self.selected
        if item is not None and hasattr(item.row, "number"):
            _flows().record_payment(self.app, item.row.number)

    def action_snooze(self) -> None:
        item = self.selected
        if item is None:
            return
        if item.section == "checkins_due":
            _flows().snooze_client(self.app, item.client_id)
        elif item.section == "promises_due":
            _flows().postpone_promise(self.app, item.row.id)

    def action_done(self) -> None:
        item = self.selected
        if item is None:
            return
        if item.section == "promises_due":
            _flows().close_promise(self.app, item.row.id, "kept")
        elif item.section == "to_invoice" and item.row.kind == "retainer":
            _flows().invoice_retainer(self.app, item.client_id, item.row.period)
        elif item.section == "to_invoice":
            _flows().invoice_jobs(self.app, item.client_id, [item.row.job_id])

    def action_broken(self) -> None:
        item = self.selected
        if item is not None and item.section == "promises_due":
            _flows().close_promise(self.app, item.row.id, "broken")

    def action_dropped(self) -> None:
        item = self.selected
        if item is not None and item.section == "promises_due":
            _flows().close_promise(self.app, item.row.id, "dropped")

    def action_invoice(self) -> None:
        item = self.selected
        if item is not None and item.section == "to_invoice" and item.row.kind == "retainer":
            _flows().invoice_retainer(self.app, item.client_id, item.row.period)
        elif item is not None and item.section == "to_invoice":
            _flows().invoice_jobs(self.app, item.client_id)

    def _answer(self, answer: str) -> None:
        item = self.selected
        if item is None or item.section != "awaiting_reply":
            return
        if item.row.kind == "change":
            _flows().answer_change(self.app, item.row.id, answer)
        else:
            _flows().answer_raise(self.app, item.client_id, answer)

    def action_accept(self) -> None:
        self._answer("accepted")

    def action_decline(self) -> None:
        self._answer("declined")

    def action_log_call(self) -> None:
        item = self.selected
        if item is not None and item.section == "reminders_due" and item.row.escalate:
            _flows().log_call(self.app, item.row.number)

    def action_write_off(self) -> None:
        item = self.selected
        if item is not None and item.section == "reminders_due" and item.row.escalate:
            _flows().write_off(self.app, item.row.number)

    def action_raise_rate(self) -> None:
        item = self.selected
        if item is not None and item.section == "rate_reviews":
            _flows().propose_raise(self.app, item.client_id)

    def action_draft(self) -> None:
        item = self.selected
        if item is None:
            return
        kind = DRAFT_KIND[item.section]
        if kind == "reminder":
            # The store decides whether a reminder is due; the action says so.
            _flows().draft_reminder(self.app, item.row.number)
            return
        snap = self.app.store.snapshot()
        if kind in ("reminder", "invoice"):
            target = snap.invoice(item.row.number)
        else:
            target = snap.clients_by_id[item.client_id]
            if item.section == "awaiting_reply" and item.row.kind == "rate":
                kind = "raise"
        _flows().open_draft(self.app, kind, target)
