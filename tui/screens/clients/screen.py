"""Clients: every relationship, its history and its notes, in one place.

A table of clients (name, status, last contact, next check-in, outstanding,
overdue, current rate) over a detail pane for the selected one: contact details,
the rate and its age, the promise record, the notes (Markdown, no raw HTML,
links not opened) and the whole history, newest first.

What is shown is computed by the view model (:mod:`.view`) once per store
generation (and day). Opening a client converts only its own documents
(``Store.client_documents``), once per generation, and the history is drawn by
a Line API widget that renders only the lines on screen.

Keys: ``/`` filter, ``a`` all clients or active only, ``s``/``S`` sort by the
next column / reverse (or click a heading), ``enter`` opens the detail full
height, ``n`` new, ``e`` edit, ``N`` notes (``E`` in ``$EDITOR``), ``l`` log a
contact, ``m`` draft a message, ``J`` new job (``j``/``k`` move, as on every
screen), ``c`` change of brief, ``i`` invoice, ``r`` price raise, ``p`` payment
on the oldest unpaid invoice, ``z`` snooze, ``A`` archive, ``D`` delete (asks
first); ``u`` (everywhere) undoes the last change, a delete too.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from storage.errors import UserError
from storage.models import Client, ClientStatus
from storage.store import NotFound
from storage.text import cell_width, fit, one_line
from storage.undo import Edit

from ... import flows
from ...forms.client import client_form
from ...forms.client_invoice import invoice_form
from ...forms.job import job_form
from ...forms.parsers import date_text
from ...i18n import N_, _, ngettext
from ...modals import ConfirmModal, DraftChoiceModal, NotesModal
from ...widgets.header import Header
from ...widgets.keybar import KeyBar
from ...widgets.markdown import SafeMarkdown
from ...widgets.table import Table
from ...widgets.timeline import ClientHistory, Entry, Timeline, timeline_entries
from ..base import ModeScreen
from .view import COLUMNS, SORT_ORDER, ClientRow, build_rows, clip, facts_text, heading, matches, sort_ids

NOTES_DELAY = 0.12
"""Seconds the cursor rests on a client before its notes are drawn (see _show_detail)."""
NARROW = 110
"""Below this width, the opened detail (enter) shows the history under the facts."""
FEW_ROWS = 8
"""A filter keystroke that hides more rows than this redraws the table rather than removing each."""


# --------------------------------------------------------------------------- #
# The command palette: every action of the screen, the hidden ones included
# --------------------------------------------------------------------------- #


class ClientCommands(Provider):
    """The Clients screen's actions that the footer has no room for."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, ClientsScreen):
            return
        matcher = self.matcher(query)
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show or not binding.description or binding.action.startswith("cursor"):
                continue
            if screen.check_action(binding.action, ()) is not True:
                continue
            label = f"{_(binding.description)} ({binding.key_display or binding.key})"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), lambda a=binding.action: self.app.run_action(a, screen),
                          help=_("Clients"))


# --------------------------------------------------------------------------- #
# The screen
# --------------------------------------------------------------------------- #


class ClientsScreen(ModeScreen):
    """Key ``2``: the table of clients and the selected one's detail."""

    TITLE = N_("Clients")
    """The screen's name, in the header and help (tui.widgets.header)."""

    CSS_PATH = "clients.tcss"
    DATA_WIDGET = "#clients-table"

    COMMANDS = {ClientCommands}

    BINDINGS = [
        Binding("slash", "filter", N_("Filter"), key_display="/", id="clients-filter",
                tooltip=N_("Filter as you type: name, company, tags, email (escape clears)")),
        # a and s are hinted in the status line above the table: the footer has no room.
        Binding("a", "toggle_all", N_("All / active"), show=False, id="clients-all",
                tooltip=N_("Show all clients / active ones only")),
        Binding("s", "sort", N_("Sort"), show=False, id="clients-sort",
                tooltip=N_("Sort by the next column (or click a heading)")),
        Binding("S", "reverse", N_("Reverse sort"), show=False, id="clients-reverse",
                tooltip=N_("Reverse the sort order")),
        Binding("l", "log_contact", N_("Log"), id="clients-log", tooltip=N_("Log a contact with the client")),
        Binding("m", "draft", N_("Draft"), id="clients-draft",
                tooltip=N_("Draft a message: check-in, progress update, raise...")),
        Binding("n", "new", N_("New"), id="clients-new", tooltip=N_("New client")),
        Binding("e", "edit", N_("Edit"), id="clients-edit", tooltip=N_("Edit the client")),
        Binding("J", "new_job", N_("Job"), key_display="J", id="clients-job",
                tooltip=N_("New job (capital J: j moves down)")),
        Binding("i", "invoice", N_("Invoice"), id="clients-invoice", tooltip=N_("New invoice")),
        Binding("r", "raise_rate", N_("Raise"), id="clients-raise",
                tooltip=N_("Propose a price raise, then draft the email")),
        Binding("R", "retainer", N_("Retainer"), show=False, id="clients-retainer",
                tooltip=N_("Set the client's monthly fee (retainer), or end it")),
        Binding("c", "change", N_("Change of brief"), show=False, id="clients-change",
                tooltip=N_("Change of brief: the new price and/or deadline, and the reply drafted")),
        Binding("N", "notes", N_("Edit notes"), show=False, id="clients-notes",
                tooltip=N_("Edit the notes (Markdown)")),
        Binding("E", "notes_editor", N_("Notes in $EDITOR"), show=False, id="clients-notes-editor",
                tooltip=N_("Edit the notes in $EDITOR")),
        Binding("p", "payment", N_("Record a payment"), show=False, id="clients-pay",
                tooltip=N_("Record a payment on the oldest unpaid invoice")),
        Binding("z", "snooze", N_("Snooze check-in"), show=False, id="clients-snooze",
                tooltip=N_("Snooze the check-in")),
        Binding("A", "archive", N_("Archive"), show=False, id="clients-archive",
                tooltip=N_("Archive: status former, history kept")),
        Binding("D", "delete", N_("Delete"), show=False, id="clients-delete",
                tooltip=N_("Delete the client and its history (asks first)")),
        Binding("enter", "open", N_("Open"), show=False, id="clients-open",
                tooltip=N_("Open: the detail full height")),
        Binding("escape", "back", N_("Back"), show=False, id="clients-back",
                tooltip=N_("Back: to the table, clear the filter, then to the screen you came from")),
        Binding("j", "cursor_down", N_("Down"), show=False, id="clients-down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="clients-up"),
        # The arrows move the table from the filter field too (the table handles them itself).
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.sort_column = "name"
        self.sort_reverse = False
        self.filter_text = ""
        self._rows: dict[str, ClientRow] = {}
        self._shown: list[str] = []
        self._selected: str | None = None
        self._key: tuple[int, dt.date] | None = None
        self._entries: dict[str, list[Entry]] = {}
        self._detail_key: tuple | None = None
        self._keys_state_shown: tuple | None = None
        self._notes_timer: Timer | None = None
        self._notes_pending: str | None = None  # the client whose notes the timer draws
        self._notes_shown: str | None = None
        self._name_width = 0
        self._reveal_id: str | None = None

    def compose(self) -> ComposeResult:
        # Set before the widgets mount: set on the first resize, it restyled them all.
        self.set_class(self.app.size.width < NARROW, "-narrow")
        yield Header()
        # The filter field opens on the status line, beside the counts, so that
        # opening and closing it leaves the table where it is.
        with Horizontal(id="clients-bar"):
            yield Input(placeholder=_("name, company, tag, email"), id="clients-filter", compact=True)
            yield Static("", id="clients-status", markup=False)
        yield Table(id="clients-table")
        with Horizontal(id="clients-detail"):
            with VerticalScroll(id="client-side"):
                yield Static("", id="client-facts", markup=False)
                yield Static(Text(_("Notes")), id="client-notes-head", markup=False)
                yield SafeMarkdown("", id="client-notes")
            with Vertical(id="client-history"):
                yield Static("", id="client-history-head", markup=False)
                yield Timeline(id="client-timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Table).focus()

    def prepare(self, store, today: dt.date) -> tuple[tuple[int, dt.date], dict[str, ClientRow]]:
        """The rows, computed off the event loop on a first visit (ModeScreen)."""
        key = (store.generation, today)
        return key, build_rows(store.snapshot(), today)

    def show_prepared(self, data: tuple[tuple[int, dt.date], dict[str, ClientRow]]) -> None:
        key, rows = data
        if key == (self.app.store.generation, self.app.today):
            self._rows, self._entries, self._key = rows, {}, key

    def on_resize(self) -> None:
        # Narrow terminals stack the detail's two halves when it has the full height.
        self.set_class(self.app.size.width < NARROW, "-narrow")
        if self._rows and self._compute_name_width() != self._name_width:
            self._rebuild()

    # -- data ----------------------------------------------------------------- #

    @property
    def table(self) -> Table:
        return self.query_one("#clients-table", Table)

    @property
    def selected(self) -> ClientRow | None:
        return self._rows.get(self._selected) if self._selected else None

    def refresh_data(self) -> None:
        """Recompute the figures (once per store generation and day) and redraw."""
        app = self.app
        key = (app.store.generation, app.today)
        snap = app.store.snapshot()
        if key != self._key:
            self._rows = build_rows(snap, app.today)
            self._entries = {}
            self._key = (app.store.generation, app.today)
        self._apply_reveal()
        self._rebuild()

    def _visible_ids(self) -> list[str]:
        terms = self.filter_text.casefold().split()
        rows = [
            row for row in self._rows.values()
            if (self.show_all or row.client.status is ClientStatus.ACTIVE) and matches(row, terms)
        ]
        return sort_ids(rows, self.sort_column, self.sort_reverse)

    def _compute_name_width(self) -> int:
        """What the name column can have: the screen's width less the other columns."""
        total = self.app.size.width or 80
        others = sum(self._column_width(key) + 2 for key in COLUMNS if key != "name")
        longest = max((cell_width(row.name) for row in self._rows.values()), default=4)
        room = total - others - 2 - 1  # the name's own padding, and the scrollbar
        return max(8, min(room, max(longest, 6)))

    def _column_width(self, key: str) -> int:
        index = SORT_ORDER.index(key) - 1
        widest = max((cell_width(row.cells[index].plain) for row in self._rows.values()), default=0)
        return max(widest, cell_width(self._heading(key).plain))

    def _heading(self, key: str) -> Text:
        label = heading(key)
        if key == self.sort_column:
            return Text(f"{label} {'▼' if self.sort_reverse else '▲'}", style="bold")
        return Text(label)

    def _rebuild(self, *, moving: bool = False) -> None:
        """Redraw the table from the cached cells, in the current order and filter."""
        table = self.table
        self._name_width = self._compute_name_width()
        table.clear(columns=True)
        for key in COLUMNS:
            width = self._name_width if key == "name" else self._column_width(key)
            table.add_column(self._heading(key), width=width, key=key)
        self._shown = self._visible_ids()
        for client_id in self._shown:
            self._add_row(client_id)
        self._restore_cursor(0)
        self._update_status()
        self._show_detail(moving=moving)

    def _add_row(self, client_id: str) -> None:
        row = self._rows[client_id]
        name = Text(fit(row.name, self._name_width).rstrip(), no_wrap=True)
        if row.client.status is not ClientStatus.ACTIVE:
            name.stylize("dim")
        self.table.add_row(name, *row.cells, key=client_id)

    def _restore_cursor(self, fallback_index: int) -> None:
        table = self.table
        if not self._shown:
            self._selected = None
            return
        if self._selected in self._shown:
            index = self._shown.index(self._selected)
        else:
            index = min(max(fallback_index, 0), len(self._shown) - 1)
            self._selected = self._shown[index]
        table.move_cursor(row=index)

    def _update_status(self) -> None:
        total = sum(1 for row in self._rows.values() if self.show_all or row.client.status is ClientStatus.ACTIVE)
        order = f"{heading(self.sort_column).lower()} {'▼' if self.sort_reverse else '▲'}"
        shown = len(self._shown)
        if self.query_one("#clients-filter", Input).has_class("-shown"):
            # Beside the filter field, which shows what was typed: the counts, shorter.
            if self.show_all:
                words = ngettext("{shown} of {total} client · by {order}", "{shown} of {total} clients · by {order}",
                                 total)
            else:
                words = ngettext("{shown} of {total} active client · by {order}",
                                 "{shown} of {total} active clients · by {order}", total)
            text = Text(words.format(shown=shown, total=total, order=order))
        else:
            if shown == total:
                words = _("All clients: {shown}") if self.show_all else _("Active clients: {shown}")
            else:
                words = (_("All clients: {shown} of {total}") if self.show_all
                         else _("Active clients: {shown} of {total}"))
            text = Text(words.format(shown=shown, total=total))
            text.append(" (a)", style="dim")
            text.append(" · " + _("sorted by {order}").format(order=order))
            text.append(" (s)", style="dim")
            text.append(" · " + _("? keys"), style="dim")
        self.query_one("#clients-status", Static).update(text, layout=False)  # one line, the bar's width

    # -- the filter ------------------------------------------------------------- #

    def _apply_filter(self, text: str) -> None:
        """Narrowing removes rows; anything else redraws from the cached cells."""
        previous = self.filter_text
        self.filter_text = text
        wanted = self._visible_ids()
        wanted_set = set(wanted)
        if set(self._shown) >= wanted_set and previous.casefold() in text.casefold():
            index = self.table.cursor_row
            gone = [cid for cid in self._shown if cid not in wanted_set]
            self._shown = [cid for cid in self._shown if cid in wanted_set]
            if len(gone) <= FEW_ROWS:  # the rows left keep their drawn cells
                for client_id in gone:
                    self.table.remove_row(client_id)
            else:  # quicker than removing each (every removal shifts the rows below it)
                self.table.clear()
                for client_id in self._shown:
                    self._add_row(client_id)
            self._restore_cursor(index)
            self._update_status()
            self._show_detail(moving=True)  # typing: the notes follow once it pauses
        else:
            self._rebuild(moving=True)

    @on(Input.Changed, "#clients-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    @on(Input.Submitted, "#clients-filter")
    def _filter_submitted(self) -> None:
        filter_input = self.query_one("#clients-filter", Input)
        if not filter_input.value:
            self._show_filter(False)
        self.table.focus()

    def action_filter(self) -> None:
        self._zoom(False)
        self._show_filter(True)
        self.query_one("#clients-filter", Input).focus()

    def _show_filter(self, shown: bool) -> None:
        """Open or close the filter field, and word the status line for it.
        While it is open the table keeps the height it had, so the detail below
        stays put as rows come and go (and is not laid out and drawn again on
        every keystroke)."""
        filter_input = self.query_one("#clients-filter", Input)
        if shown == filter_input.has_class("-shown"):
            return
        filter_input.set_class(shown, "-shown")
        table = self.table
        if shown and table.outer_size.height:
            table.styles.height = table.outer_size.height
        else:
            table.styles.clear_rule("height")
        self._update_status()

    def _clear_filter(self) -> None:
        filter_input = self.query_one("#clients-filter", Input)
        self._show_filter(False)
        if filter_input.value:
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
            self._apply_filter("")
        self.table.focus()

    def action_back(self) -> None:
        filter_input = self.query_one("#clients-filter", Input)
        if self.has_class("-zoomed"):
            self._zoom(False)
        elif filter_input.has_focus or self.filter_text or filter_input.has_class("-shown"):
            self._clear_filter()
        elif not self.app.go_back():  # opened from another screen: back to it
            self.table.focus()

    # -- table events, sort, scope ------------------------------------------------ #

    @on(Table.RowHighlighted, "#clients-table")
    def _highlighted(self) -> None:
        table = self.table
        if self._shown and 0 <= table.cursor_row < len(self._shown):
            self._selected = self._shown[table.cursor_row]
        self._show_detail(moving=True)

    @on(Table.RowSelected, "#clients-table")
    def _row_selected(self) -> None:
        self.action_open()

    @on(Table.HeaderSelected, "#clients-table")
    def _header_selected(self, event: Table.HeaderSelected) -> None:
        self._sort_by(event.column_key)

    def _sort_by(self, column: str) -> None:
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column = column
            self.sort_reverse = COLUMNS[column][1]
        self._rebuild()

    def action_sort(self) -> None:
        """Sort by the next column (its natural direction)."""
        index = (SORT_ORDER.index(self.sort_column) + 1) % len(SORT_ORDER)
        self._sort_by(SORT_ORDER[index])

    def action_reverse(self) -> None:
        self._sort_by(self.sort_column)

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._rebuild()

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def select_client(self, client_id: str) -> None:
        """Show ``client_id`` (from another screen, or after a save): widen the
        scope and clear the filter if they would hide it."""
        self._reveal_id = client_id
        self._selected = client_id
        if self.is_mounted and self._rows:
            self.refresh_data()

    def _apply_reveal(self) -> None:
        client_id, self._reveal_id = self._reveal_id, None
        row = self._rows.get(client_id) if client_id else None
        if row is None:
            return
        self._selected = client_id
        if row.client.status is not ClientStatus.ACTIVE:
            self.show_all = True
        if self.filter_text and not matches(row, self.filter_text.casefold().split()):
            self.filter_text = ""
            filter_input = self.query_one("#clients-filter", Input)
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
            self._show_filter(False)

    # -- the detail pane ------------------------------------------------------------ #

    def _history_of(self, client_id: str) -> list[Entry]:
        """The client's timeline, built once per store generation."""
        entries = self._entries.get(client_id)
        if entries is None:
            history = ClientHistory.from_documents(self.app.store.client_documents(client_id))
            entries = self._entries[client_id] = timeline_entries(history, self.app.today)
        return entries

    def _keys_state(self) -> tuple:
        row = self.selected
        if row is None:
            return (None,)
        return (bool(row.unpaid), row.client.status)

    def _show_detail(self, *, moving: bool = False) -> None:
        """Show the selected client. While ``moving`` (cursor keys, possibly held
        down) the notes, the one costly part (a Markdown document of widgets),
        are drawn once the cursor rests for a moment."""
        state = self._keys_state()
        if state != self._keys_state_shown:
            # Which keys apply changed: redraw the footer (only then: it is not free).
            self._keys_state_shown = state
            self.refresh_bindings()
        row = self.selected
        key = (self._selected, self._key)
        if key == self._detail_key:
            return
        self._detail_key = key
        facts = self.query_one("#client-facts", Static)
        timeline = self.query_one("#client-timeline", Timeline)
        head = self.query_one("#client-history-head", Static)
        if row is None:
            empty = (_("No clients yet: n adds one.") if not self._rows
                     else _("No client matches: escape clears the filter, a shows all."))
            facts.update(Text(empty, style="dim"))
            self._show_notes(None, immediate=True)
            timeline.show([])
            head.update(Text(_("History")))
            self.query_one("#client-notes-head").display = False
            return
        facts.update(facts_text(row, self.app.today))
        self.query_one("#client-notes-head").display = True
        self._show_notes(row.client.id, immediate=not moving)
        entries = self._history_of(row.client.id)
        head.update(Text(ngettext("History: {n} entry, newest first", "History: {n} entries, newest first",
                                  len(entries)).format(n=len(entries))), layout=False)
        timeline.show(entries)
        self.query_one("#client-side", VerticalScroll).scroll_home(animate=False)

    def _show_notes(self, client_id: str | None, *, immediate: bool) -> None:
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        notes = self.query_one("#client-notes", SafeMarkdown)
        if immediate:
            self._render_notes(client_id)
        else:
            notes.display = False
            self._notes_pending = client_id
            self._notes_timer = self.set_timer(NOTES_DELAY, lambda: self._render_notes(client_id))

    def settle_notes(self) -> None:
        """Draw the notes the cursor rests on now, not after NOTES_DELAY
        (tests and snapshots, which must not wait on the clock)."""
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._render_notes(self._notes_pending)

    def _render_notes(self, client_id: str | None) -> None:
        self._notes_timer = None
        notes = self.query_one("#client-notes", SafeMarkdown)
        row = self._rows.get(client_id) if client_id else None
        text = "" if row is None else (row.client.notes or "*" + _("No notes yet: N writes some.") + "*")
        notes.display = row is not None
        if text != self._notes_shown:
            self._notes_shown = text
            notes.show(text)

    def _zoom(self, on: bool) -> None:
        self.set_class(on, "-zoomed")
        if on:
            self.query_one("#client-timeline", Timeline).focus()
        else:
            self.table.focus()

    def action_open(self) -> None:
        if self.selected is not None and not self.has_class("-zoomed"):
            self._zoom(True)

    # -- actions on the selected client ----------------------------------------------- #

    CLIENT_ACTIONS = frozenset({
        "retainer",
        "edit", "log_contact", "draft", "new_job", "invoice", "raise_rate", "notes", "notes_editor",
        "change", "payment", "snooze", "archive", "delete", "open",
    })

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.CLIENT_ACTIONS:
            row = self.selected
            if row is None:
                return None
            if action == "payment":
                return bool(row.unpaid) or None
            if action == "archive":
                return row.client.status is not ClientStatus.FORMER or None
            if action == "snooze":
                return row.client.status is ClientStatus.ACTIVE or None
            return True
        return True

    def _client(self) -> Client | None:
        row = self.selected
        if row is None:
            return None
        return self.app.store.snapshot().clients_by_id.get(row.client.id)

    def _after_save(self, client: Client, message: str) -> None:
        self._reveal_id = client.id  # shown and selected once the screen refreshes
        self.app.saved(message)

    def action_new(self) -> None:
        client_form(self.app, None, lambda c: self._after_save(c, _("Added {client}").format(client=one_line(c.name))))

    def action_edit(self) -> None:
        client = self._client()
        if client is not None:
            client_form(self.app, client,
                        lambda c: self._after_save(c, _("Saved {client}").format(client=one_line(c.name))))

    def action_log_contact(self) -> None:
        if (client := self._client()) is not None:
            flows.log_contact(self.app, client.id)

    def action_draft(self) -> None:
        client = self._client()
        if client is None:
            return

        def chosen(kind: str | None) -> None:
            if kind:
                fresh = self.app.store.snapshot().clients_by_id.get(client.id)
                if fresh is not None:
                    flows.open_draft(self.app, kind, fresh)

        self.app.push_screen(DraftChoiceModal(client.name), chosen)

    def action_new_job(self) -> None:
        if (client := self._client()) is not None:
            job_form(self.app, client)

    def action_change(self) -> None:
        if (client := self._client()) is not None:
            flows.change_of_brief_for(self.app, client)

    def action_invoice(self) -> None:
        if (client := self._client()) is not None:
            invoice_form(self.app, client)

    def action_retainer(self) -> None:
        if (client := self._client()) is not None:
            flows.retainer_form(self.app, client.id)

    def action_raise_rate(self) -> None:
        if (client := self._client()) is not None:
            flows.propose_raise(self.app, client.id)  # the form, then the draft email

    def action_payment(self) -> None:
        row = self.selected
        if row is not None and row.unpaid:
            flows.record_payment(self.app, row.unpaid[0])

    def action_snooze(self) -> None:
        if (client := self._client()) is not None:
            flows.snooze_client(self.app, client.id)

    def action_notes(self) -> None:
        client = self._client()
        if client is not None:
            self.app.push_screen(NotesModal(self.app, client), lambda saved: saved and self._notes_saved(client))

    def _notes_saved(self, client: Client) -> None:
        self.app.saved(_("Notes on {client}").format(client=one_line(client.name)))

    def action_notes_editor(self) -> None:
        """Edit the notes in ``$VISUAL``/``$EDITOR`` (the app is suspended meanwhile)."""
        client = self._client()
        if client is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as handle:
            handle.write(client.notes)
            path = Path(handle.name)
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
            text = path.read_text(encoding="utf-8")
        except SuspendNotSupported:
            self.notify(_("This terminal cannot hand over to an editor; N edits the notes here."), severity="warning")
            return
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            self.notify(_("Could not run the editor {editor}: {error}").format(editor=repr(editor), error=exc),
                        severity="error", markup=False)
            return
        finally:
            path.unlink(missing_ok=True)
        if text == client.notes:
            self.notify(_("Notes unchanged"))
            return
        try:
            self.app.store.update_client(client.id, base=client, notes=text)
        except UserError as exc:
            if isinstance(exc, NotFound):
                self.notify(str(exc), severity="error", markup=False, timeout=10)
                return
            # Not saved (changed in another session, too long, disk full...):
            # the text written in the editor stays, in the notes modal.
            self.app.push_screen(NotesModal(self.app, client, text=text, error=str(exc)),
                                 lambda saved: saved and self._notes_saved(client))
            return
        self._notes_saved(client)

    def action_archive(self) -> None:
        client = self._client()
        if client is None:
            return
        try:
            self.app.store.archive_client(client.id)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.saved(_("Archived {client} (status former; e changes it back)").format(client=one_line(client.name)))

    def action_delete(self) -> None:
        client = self._client()
        if client is None:
            return
        history = ClientHistory.from_documents(self.app.store.client_documents(client.id))
        counts = [words.format(n=n) for n, words in (
            (len(history.contacts), ngettext("{n} contact", "{n} contacts", len(history.contacts))),
            (len(history.jobs), ngettext("{n} job", "{n} jobs", len(history.jobs))),
            (len(history.invoices), ngettext("{n} invoice", "{n} invoices", len(history.invoices))),
            (len(history.promises), ngettext("{n} promise", "{n} promises", len(history.promises))),
            (len(history.rates), ngettext("{n} rate", "{n} rates", len(history.rates))),
            (len(history.changes), ngettext("{n} change", "{n} changes", len(history.changes))),
        ) if n]
        # The client's name in bold inside the translated sentence.
        if counts:
            sentence = _("Delete {client} and everything recorded for them ({counts})?").format(
                client="{client}", counts=", ".join(counts))
        else:
            sentence = _("Delete {client} and everything recorded for them?")
        before, __, after = sentence.partition("{client}")
        question = Text(before)
        question.append(clip(client.name), style="bold")
        question.append(after)
        question.append("\n\n")
        question.append(_("Archive (A) keeps the history instead. u undoes the delete until your next change.") + "\n",
                        style="dim")
        question.append(_("y deletes · n or escape cancels"), style="dim")

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                deleted = self.app.store.delete_client(client.id)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.app.saved(_("Deleted {what}").format(what=one_line(deleted.label)))

        self.app.push_screen(ConfirmModal(question, yes=_("Delete")), confirmed)

    @on(Timeline.DeleteRequested)
    def _delete_entry(self, event: Timeline.DeleteRequested) -> None:
        """``delete`` on a history entry: ask, then the store deletes it (u undoes it)."""
        entry = event.entry
        if entry.ref is None:
            return
        kind, ref, index = entry.ref
        questions = {"contact": _("Delete this contact from the history?"),
                     "payment": _("Delete this payment from the history?"),
                     "reminder": _("Delete this reminder from the history?")}
        question = Text(questions.get(kind, kind) + "\n\n")
        question.append(f"{date_text(entry.date)}  ", style="bold")
        question.append(clip(one_line(entry.text)))
        question.append("\n\n" + _("u undoes it until your next change.") + "\n", style="dim")
        question.append(_("y deletes · n or escape cancels"), style="dim")

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            store = self.app.store
            try:
                if kind == "contact":
                    store.delete_contact(ref)
                elif kind == "payment":
                    store.delete_payment(ref, index, on=entry.date)
                else:
                    store.delete_reminder(ref, index, on=entry.date)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            done = {"contact": _("Deleted the contact of {date} from the history"),
                    "payment": _("Deleted the payment of {date} from the history"),
                    "reminder": _("Deleted the reminder of {date} from the history")}
            self.app.saved(done.get(kind, kind).format(date=date_text(entry.date)))

        self.app.push_screen(ConfirmModal(question, yes=_("Delete")), confirmed)

    def undone(self, edits: list[Edit]) -> None:
        """After the app's undo (``u``): a client it brought back (a delete
        undone) is shown selected."""
        for edit in edits:
            if edit.table == "client" and edit.before is not None:
                self._reveal_id = edit.doc_id
                self._keys_state_shown = None
                self.app.data_changed()
                break
