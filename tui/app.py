"""The rapport app: modes, global keys, the command palette, and the store.

Built by :func:`build_app` with the store injected (tests pass a store on a
temporary file and a fixed "today"). Screens never write files: they call the
store, which commits before it returns.

The Agenda's first frame comes from the review's summary (a lazy store): the
whole data file is then read by one thread worker (``_warm_up``), off the event
loop, so that keys are answered meanwhile. The other screens are Textual modes,
built when first shown; one shown before that read is done shows ``loading``
while a worker of its own waits for the read and prepares its rows
(tui.screens.base.ModeScreen).

File problems and another session's lock are answered by the base class
(tui.safe_app.SafeApp). Two more things a terminal app over SSH must get right:

* **Other sessions.** A cron job or a second login may change the data file.
  Every two seconds the app compares the file's identity (a ``stat``); when it
  changed, the store re-reads it and ``data_version`` moves on: the screen on
  show refreshes, the others when they are shown again.
* **Hang-ups.** When the SSH connection drops the terminal is gone. Every
  acknowledged change is already on disk, so on SIGHUP the app ends the
  process at once rather than asking Textual's driver to restore a terminal
  that no longer exists (which can hang).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import signal
import threading
from collections.abc import Callable, Iterable

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount

from storage.errors import UserError
from storage.jsonfile import StorageError
from storage.store import Store
from storage.text import one_line
from storage.undo import Edit, Undo, describe

from .i18n import N_, _, activate, long_date, ngettext
from .safe_app import SafeApp
from .screens.agenda import AgendaScreen
from .screens.base import HasCurrentClient, ModeScreen, SelectsClient, Undone
from .screens.help import HelpScreen
from .widgets.words import CLIENT_STATUS, word

POLL_SECONDS = 2.0

# The screens after the Agenda, by mode: their names and what they are for, in
# order of their keys (2-5), for the command palette.
TITLES = {
    "clients": (N_("Clients"), N_("Every client, its history and notes")),
    "overdue": (N_("Overdue board"), N_("Invoices past due, by age")),
    "invoices": (N_("Invoices"), N_("Every invoice, with filters: open, edit, record a payment")),
    "jobs": (N_("Jobs"), N_("Jobs: deliver, invoice, changes of brief")),
}

# What the screens read of the snapshot: built by the warm-up, off the event loop.
SNAPSHOT_PARTS = (
    "clients", "rates", "promises", "changes", "jobs", "invoices",
    "clients_by_id", "last_contact", "open_invoices", "pending_changes", "jobs_by_id", "invoiced_job_ids",
    "open_jobs", "open_promises",
)


class ClientsProvider(Provider):
    """``ctrl+p``: find a client by name (or company), and open it on the
    Clients screen; ``escape`` there comes back. Names are user text: they are
    highlighted as plain text, never read as markup."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, RapportApp):
            return
        matcher = self.matcher(query)
        try:
            clients = app.store.review_snapshot().clients
        except StorageError:
            return
        for client in sorted(clients, key=lambda c: c.name.casefold()):
            name = one_line(client.name)
            score = max(matcher.match(name), matcher.match(one_line(client.company)) * 0.9)
            if score > 0:
                status = word(CLIENT_STATUS, client.status)
                yield Hit(score, matcher.highlight(name), functools.partial(app.open_client, client.id),
                          text=name, help=_("Open the client ({status})").format(status=status))


def _lazy(module: str, name: str) -> Callable[[], Screen]:
    """A factory of tui.screens.<module>.<name>, imported on the first show."""

    def build() -> Screen:
        import importlib

        return getattr(importlib.import_module(f"tui.screens.{module}"), name)()

    return build


class RapportApp(SafeApp):
    """Keyboard-driven review of a freelancer's clients."""

    TITLE = "rapport"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = SafeApp.COMMANDS | {ClientsProvider}
    # Each screen is built the first time it is shown (Textual calls the factory).
    MODES = {
        "agenda": AgendaScreen,
        "clients": _lazy("clients", "ClientsScreen"),
        "overdue": _lazy("overdue", "OverdueScreen"),
        "invoices": _lazy("invoices", "InvoicesScreen"),
        "jobs": _lazy("jobs", "JobsScreen"),
    }
    DEFAULT_MODE = "agenda"
    BINDINGS = [
        # One footer entry for the five screens: an 80-column footer has no room for
        # five; the help screen and the command palette list them one by one.
        Binding("1", "switch_mode('agenda')", N_("Screens"), key_display="1-5", id="mode-agenda",
                tooltip=N_("1 Agenda, 2 Clients, 3 Overdue board, 4 Invoices, 5 Jobs")),
        Binding("2", "switch_mode('clients')", N_("Clients"), show=False, id="mode-clients"),
        Binding("3", "switch_mode('overdue')", N_("Overdue"), show=False, id="mode-overdue"),
        Binding("4", "switch_mode('invoices')", N_("Invoices"), show=False, id="mode-invoices"),
        Binding("5", "switch_mode('jobs')", N_("Jobs"), show=False, id="mode-jobs"),
        Binding("P", "new_promise", N_("Promise"), show=False, id="new-promise",
                tooltip=N_("New promise to a client (from any screen)")),
        # In the key bar on the five screens while there is a change to take back
        # (check_action); pressed anywhere else, or with nothing to undo, the
        # hidden one answers (the same undo, which then says "Nothing to undo").
        Binding("u", "undo", N_("Undo"), id="undo", tooltip=N_("Undo the last change (until the next one)")),
        Binding("u", "undo_unlisted", show=False),
        Binding("comma", "settings", N_("Settings"), show=False, key_display=",", id="settings",
                tooltip=N_("Settings: your details, time zone, language, reminder ladder")),
        Binding("question_mark", "help", N_("Help"), key_display="?", id="help", tooltip=N_("This help")),
        Binding("q", "quit", N_("Quit"), id="quit", tooltip=N_("Quit (every change is already saved)")),
    ]

    data_version: reactive[int] = reactive(0, init=False)
    """Moves on whenever the data may have changed (a save, another session's
    change, a new day): the screens watch it (tui.screens.base.ModeScreen)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._shown: tuple[int, dt.date] | None = None
        self._summary_timer: Timer | None = None
        self._read_lock = threading.Lock()
        self._language_seen = "en"
        self._built_modes: set[str] = {self.DEFAULT_MODE}  # modes whose screen exists (switch_mode)
        self._hold = True  # the next delay_update masks a screen being built
        self._undo: Undo | None = None  # the last change made from a screen, until the next
        self._back: tuple[str, str] | None = None  # (from, to): where escape on "to" goes back to

    # -- switching screens --------------------------------------------------- #

    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual's switch. It holds every frame for 50 ms first
        (``delay_update``), to mask a screen being built; a screen shown before
        is built, so that hold would only make the key 50 ms late."""
        self._hold = mode not in self._built_modes
        self._back = None  # a screen chosen by its key: escape has nowhere to go back to
        try:
            return super().switch_mode(mode)
        finally:
            self._hold = True
            if mode in self.MODES:
                self._built_modes.add(mode)

    def delay_update(self, delay: float = 0.05) -> None:
        if self._hold:
            super().delay_update(delay)

    # -- "today" and the language ------------------------------------------- #

    @property
    def today(self) -> dt.date:
        """Today by the store's clock (``--today``, or the date in the
        configured time zone)."""
        return self.store.today()

    @property
    def language(self) -> str:
        """The settings' language; the last one read stands while the file
        cannot be read, so that a screen can still say what went wrong."""
        with contextlib.suppress(StorageError):
            self._language_seen = str(self.store.settings().language)
        return self._language_seen

    def _update_title(self) -> None:
        activate(self.language)  # every word shown from now on, in the settings' language
        self.sub_title = long_date(self.today, self.language)

    def settings_changed(self) -> None:
        """After the settings were saved: the time zone and language may differ."""
        self._update_title()
        self.refresh_bindings()  # the key bar translates the keys as it draws them

    # -- lifecycle ------------------------------------------------------------ #

    def on_load(self) -> None:
        # Before the first screen is composed: its words in the settings' language.
        activate(self.language)

    def on_mount(self) -> None:
        self._shown = (self.store.generation, self.today)
        self._update_title()
        self.set_interval(POLL_SECONDS, self.poll_store)
        self._install_hangup_handler()
        # After the first frame: read the whole file, off the event loop.
        self.call_after_refresh(self._warm_up)

    def read_data_file(self) -> None:
        """Read the whole data file (with its schema check) and build the
        snapshot, once: called in a worker thread (the warm-up, or a screen's
        first visit before it is done), never on the event loop."""
        with self._read_lock:
            storage = self.store.storage
            for __ in storage.load_in_steps():  # in pieces: the event loop gets the GIL between them
                pass
            self.store.snapshot()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """The one warm-up: the whole file read, and the snapshot's tables the
        screens read built. Pure data: nothing mounted or drawn."""
        self.read_data_file()
        snapshot = self.store.snapshot()
        for part in SNAPSHOT_PARTS:
            getattr(snapshot, part)
        self.call_from_thread(self.write_summary)

    def _schedule_summary(self) -> None:
        """Bring the review's summary up to date a moment after the last change,
        so the next ``rapport today`` (a login banner, cron) need not read the
        whole file. Debounced: a burst of changes writes it once."""
        if self._summary_timer is not None:
            self._summary_timer.stop()
        self._summary_timer = self.set_timer(1.0, self.write_summary)

    @property
    def summary_pending(self) -> bool:
        """Whether a change is waiting for the summary to catch up."""
        return self._summary_timer is not None

    def write_summary(self) -> None:
        """Bring the summary up to date now (the debounce's end; on quit)."""
        if self._summary_timer is not None:
            self._summary_timer.stop()
        self._summary_timer = None
        with contextlib.suppress(Exception):  # a cache: never worth an error on screen
            self.store.write_summary()

    def on_unmount(self) -> None:
        self.write_summary()

    def _install_hangup_handler(self) -> None:
        try:
            import asyncio

            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover - not on POSIX / not main thread
            pass

    def _hang_up(self) -> None:
        # The terminal is gone and every acknowledged change is on disk: end now.
        os._exit(129)

    # -- the data changed ----------------------------------------------------- #

    def poll_store(self) -> None:
        """Pick up changes made by another process (a cron job, a second login),
        and a new day."""
        self._update_title()
        try:
            if self.store.storage.changed_on_disk():
                self.store.refresh()
        except StorageError as exc:  # a file made unreadable under us: say so, keep what is shown
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        # Compare generations rather than trusting the check above: anything that
        # read the store since the last poll (an action, the warm-up) may already
        # have picked up another session's change, and the screen must show it.
        if (self.store.generation, self.today) != self._shown:
            self.data_changed()

    def data_changed(self) -> None:
        """The data may differ: every screen shows it again (the one on show
        now, the others when shown), and the summary catches up."""
        self._shown = (self.store.generation, self.today)
        self._schedule_summary()
        self._update_title()  # an undone change may have been the language's
        self.data_version += 1

    def saved(self, message: str) -> None:
        """After a store call returned (the change is on disk): say so, refresh.

        The change becomes the one ``u`` undoes, until the next: the message
        says so. A call that changed nothing leaves nothing to undo."""
        self._undo = self.store.take_change()
        self.data_changed()
        self.refresh_bindings()  # u Undo in the key bar, or no longer
        # The message names what changed; this says what became of it (outside
        # the f-string: pybabel does not look inside one).
        outcome = _("saved · u undo") if self._undo is not None else _("nothing changed")
        message = f"{message} · {outcome}"
        self.notify(message, markup=False)

    @property
    def can_undo(self) -> bool:
        """Whether ``u`` has a change to take back."""
        return self._undo is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":  # shown only where it applies (the key bar has little room)
            return self.can_undo and isinstance(self.screen, ModeScreen)
        return True

    def action_undo_unlisted(self) -> None:
        self.action_undo()

    def action_undo(self) -> list[Edit] | None:
        """Take the last change made from a screen back, through the store
        (a change like any other: refused if another session changed the same
        documents since), and tell the screen on show (:class:`Undone`).
        Returns what was put back."""
        change, self._undo = self._undo, None
        self.refresh_bindings()
        if change is None:
            self.notify(_("Nothing to undo"), markup=False)
            return None
        try:
            edits = self.store.undo(change)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return None
        finally:
            self.store.take_change()  # the undo itself is not offered for undoing
            self.data_changed()
        if len(edits) > 1:
            more = len(edits) - 1
            words = ngettext("Undone: {what} and {n} more", "Undone: {what} and {n} more", more).format(
                what=describe(edits[0]), n=more)
        else:
            words = _("Undone: {what}").format(what=describe(edits[0]))
        self.notify(words, markup=False)
        if isinstance(self.screen, Undone):
            self.screen.undone(edits)
        return edits

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # With animations off (TEXTUAL_ANIMATIONS=none: a slow link, a screen
        # reader, the tests' snapshots) a text cursor does not blink either.
        from textual.widgets import Input, TextArea

        if self.animation_level == "none" and isinstance(event.widget, Input | TextArea):
            event.widget.cursor_blink = False

    async def on_event(self, event: events.Event) -> None:
        # A key for a screen still loading its rows waits for them
        # (ModeScreen.hold); another screen's key, or quit, acts at once.
        screen = self.screen if isinstance(event, events.Key) else None
        if isinstance(screen, ModeScreen) and screen.holding:
            leaving = self._leaving_actions().get(event.key)  # type: ignore[attr-defined]
            if leaving is None:
                screen.hold(event)  # type: ignore[arg-type]
            else:
                screen.drop_held()
                await self.run_action(leaving)
            return
        await super().on_event(event)

    @classmethod
    @functools.cache
    def _leaving_actions(cls) -> dict[str, str]:
        """Key -> action of the keys that leave a screen: the screens' and quit."""
        return {key: b.action for b in cls.BINDINGS if isinstance(b, Binding)
                and (b.action.startswith("switch_mode") or b.action == "quit") for key in b.key.split(",")}

    # -- navigation ----------------------------------------------------------- #

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_new_promise(self) -> None:
        from . import flows  # lazy: its forms cost ~55 ms the first frame does not need

        screen = self.screen
        if isinstance(screen, HasCurrentClient):
            flows.new_promise(self, screen.current_client_id, screen.current_job_id)
        else:
            flows.new_promise(self, None, None)

    def action_settings(self) -> None:
        from . import flows  # lazy: its forms cost ~55 ms the first frame does not need

        flows.settings_form(self)

    def action_templates(self) -> None:
        """The message templates: edit, preview, reset (from the settings, or the palette)."""
        from .screens.templates import TemplatesScreen

        if not isinstance(self.screen, TemplatesScreen):
            self.push_screen(TemplatesScreen(self))

    def open_client(self, client_id: str) -> None:
        """Show one client on the Clients screen; ``escape`` there comes back
        to the screen it was opened from (:meth:`go_back`)."""
        came_from, back = self.current_mode, self._back
        self.switch_mode("clients")
        self._back = (came_from, "clients") if came_from != "clients" else back
        screen = self.screen
        if isinstance(screen, SelectsClient):
            screen.select_client(client_id)

    def go_back(self) -> bool:
        """Back to the screen the one on show was opened from (``enter`` on an
        Agenda row, ``o`` on a card...), as it was left: its row still
        selected. False when it was not opened from another screen."""
        back, self._back = self._back, None
        if back is None or back[1] != self.current_mode:
            return False
        self.switch_mode(back[0])
        return True

    def action_command_palette(self) -> None:
        """``ctrl+p``: Textual's command palette, its search field's hint in the
        language shown."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette's commands, in the language shown: the screens,
        the app's forms, then the keys of the screen on show."""
        yield SystemCommand(_("Agenda"), _("Today's review ({key})").format(key="1"),
                            lambda: self.switch_mode("agenda"))
        for key, (mode, (title, help)) in enumerate(TITLES.items(), start=2):
            yield SystemCommand(_(title), f"{_(help)} ({key})", functools.partial(self.switch_mode, mode))
        yield SystemCommand(_("New promise"), _("A promise to a client, with a due date (P)"), self.action_new_promise)
        yield SystemCommand(_("Settings"), _("Your details, time zone, language, reminder ladder (,)"),
                            self.action_settings)
        yield SystemCommand(_("Templates"), _("The message templates: edit, preview, reset (, then ctrl+t)"),
                            self.action_templates)
        yield SystemCommand(_("Help"), _("Every key on this screen (?)"), self.action_help)
        for binding in screen.active_bindings.values():
            b = binding.binding
            if b.show and b.description and binding.node is screen and binding.enabled:
                yield SystemCommand(_(b.tooltip or b.description),
                                    _("Key: {key}").format(key=b.key_display or b.key),
                                    lambda action=b.action, target=screen: self.run_action(action, target))
        yield SystemCommand(_("Quit"), _("Quit rapport (q)"), self.exit)


def build_app(store: Store) -> RapportApp:
    """The app on ``store``; the store's clock says what day it is (tests give
    a fixed one, ``--today`` a fixed date)."""
    return RapportApp(store)


def run_app(store: Store) -> int:
    app = build_app(store)
    app.run()
    return app.return_code or 0
