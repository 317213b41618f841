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

Three things a terminal app over SSH must get right live here too:

* **Other sessions.** A cron job or a second login may change the data file.
  Every two seconds the app compares the file's identity (a ``stat``); when it
  changed, the store re-reads it and ``data_version`` moves on: the screen on
  show refreshes, the others when they are shown again.
* **File problems.** A storage error in an action, a modal's result, a timer or
  a worker is said in a message (``file_problems``); the app keeps running.
* **Hang-ups.** When the SSH connection drops the terminal is gone. Every
  acknowledged change is already on disk, so on SIGHUP the app ends the
  process at once rather than asking Textual's driver to restore a terminal
  that no longer exists (which can hang).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from storage.jsonfile import StorageError
from storage.store import Store
from storage.text import one_line, visible

from .i18n import long_date, tr
from .screens.agenda import AgendaScreen
from .screens.base import HasCurrentClient, ModeScreen, SelectsClient
from .screens.help import HelpScreen

POLL_SECONDS = 2.0
SAY_FIRST = 0.1  # time for a message to be drawn before a wait that holds the event loop

# The screens after the Agenda, by mode: their names and what they are for, in
# order of their keys (2-5), for the command palette.
TITLES = {
    "clients": ("Clients", "Every client, its history and notes"),
    "overdue": ("Overdue board", "Invoices past due, by age"),
    "invoices": ("Invoices", "Every invoice, with filters: open, edit, record a payment"),
    "jobs": ("Jobs", "Jobs: deliver, invoice, changes of brief"),
}

# What the screens read of the snapshot: built by the warm-up, off the event loop.
SNAPSHOT_PARTS = (
    "clients", "rates", "promises", "changes", "jobs", "invoices",
    "clients_by_id", "last_contact", "open_invoices", "pending_changes", "jobs_by_id", "invoiced_job_ids",
    "open_jobs", "open_promises",
)



def _clients_screen() -> Screen:
    from .screens.clients import ClientsScreen

    return ClientsScreen()


def _overdue_screen() -> Screen:
    from .screens.overdue import OverdueScreen

    return OverdueScreen()


def _invoices_screen() -> Screen:
    from .screens.invoices import InvoicesScreen

    return InvoicesScreen()


def _jobs_screen() -> Screen:
    from .screens.jobs import JobsScreen

    return JobsScreen()


class RapportApp(App[int]):
    """Keyboard-driven review of a freelancer's clients."""

    TITLE = "rapport"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Each screen is built the first time it is shown (Textual calls the factory).
    MODES = {
        "agenda": AgendaScreen,
        "clients": _clients_screen,
        "overdue": _overdue_screen,
        "invoices": _invoices_screen,
        "jobs": _jobs_screen,
    }
    DEFAULT_MODE = "agenda"
    BINDINGS = [
        # One footer entry for the five screens: an 80-column footer has no room for
        # five; the help screen and the command palette list them one by one.
        Binding("1", "switch_mode('agenda')", "Screens", key_display="1-5", id="mode-agenda",
                tooltip="1 Agenda, 2 Clients, 3 Overdue board, 4 Invoices, 5 Jobs"),
        Binding("2", "switch_mode('clients')", "Clients", show=False, id="mode-clients"),
        Binding("3", "switch_mode('overdue')", "Overdue", show=False, id="mode-overdue"),
        Binding("4", "switch_mode('invoices')", "Invoices", show=False, id="mode-invoices"),
        Binding("5", "switch_mode('jobs')", "Jobs", show=False, id="mode-jobs"),
        Binding("P", "new_promise", "Promise", show=False, id="new-promise",
                tooltip="New promise to a client (from any screen)"),
        Binding("comma", "settings", "Settings", show=False, key_display=",", id="settings",
                tooltip="Settings: your details, time zone, language, reminder ladder"),
        Binding("question_mark", "help", "Help", key_display="?", id="help", tooltip="This help"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (every change is already saved)"),
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
        self._told_waiting = False

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
        self.sub_title = long_date(self.today, self.language)

    def settings_changed(self) -> None:
        """After the settings were saved: the time zone and language may differ."""
        self._update_title()
        self.refresh_bindings()  # the key bar translates the keys as it draws them

    # -- lifecycle ------------------------------------------------------------ #

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
            for _ in storage.load_in_steps():  # in pieces: the event loop gets the GIL between them
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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """A worker raised: say why; the app goes on with what is on screen."""
        error = worker.error
        if isinstance(error, StorageError):
            self.file_problem(error)
        elif error is not None:
            self.notify(one_line(f"{type(error).__name__}: {error}"), title="Could not prepare the data",
                        severity="error", markup=False, timeout=10)

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
        self.data_version += 1

    def saved(self, message: str) -> None:
        """After a store call returned (the change is on disk): say so, refresh."""
        self.data_changed()
        self.notify(message, markup=False)

    # -- safe text ------------------------------------------------------------- #

    def notify(self, message: str, *, title: str = "", severity: str = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = True) -> None:
        """Textual's toast, with any control character in the message or title
        (an error quoting a stored name, say) shown as a visible symbol."""
        if isinstance(message, str):
            message = visible(message, keep_newlines=True)
        super().notify(message, title=visible(title), severity=severity, timeout=timeout,  # type: ignore[arg-type]
                       markup=markup)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` (a draft, an invoice) with its controls as visible
        symbols: what is pasted later into a shell or a mail carries none."""
        super().copy_to_clipboard(visible(text, keep_newlines=True, keep_tabs=True))

    # -- file problems and another session's lock ------------------------------ #

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:  # type: ignore[override]
        """Every key's action, with the one answer to a file problem.

        The data file may break or vanish while the app is open (another
        program, a restore gone wrong, a full disk). Any action that reads or
        writes it then raises a StorageError (DataFileError for an unusable
        file): it is said in a message, and the app keeps running with what is
        on screen; once the file is repaired, the next action reads it again.

        While another session holds the file's lock, the action waits for it
        (a few seconds at most): the message saying so is drawn first."""
        if self._lock_held_elsewhere():
            self.set_timer(SAY_FIRST, functools.partial(self._run_action, action, default_namespace, namespaces))
            return True
        return await self._run_action(action, default_namespace, namespaces)

    async def _run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        with self.file_problems():
            return await super().run_action(action, default_namespace, namespaces)
        return True

    def _lock_held_elsewhere(self) -> bool:
        """Whether another session holds the data file's lock now. If so, say
        that what comes next waits for it (once while it lasts), so that the
        message is on screen before the wait (storage.jsonfile.LOCK_WAIT)."""
        try:
            free = self.store.storage.lock_is_free()
        except StorageError:
            return False  # the action meets the problem and says it
        if free:
            self._told_waiting = False
        elif not self._told_waiting:
            self._told_waiting = True
            self.notify(tr(self.language, "waiting for another rapport session…"), severity="warning", timeout=5)
        return not free

    @contextlib.contextmanager
    def file_problems(self) -> Iterator[None]:
        """Turn a storage error raised inside into a message (see run_action).
        For handlers that are not key actions: ``with app.file_problems(): ...``."""
        try:
            yield
        except StorageError as exc:
            self.file_problem(exc)

    def file_problem(self, exc: Exception) -> None:
        """Say what went wrong with the data file; nothing is lost on screen."""
        self.notify(one_line(str(exc)), title="Data file problem", severity="error", markup=False, timeout=10)

    def guarded(self, callback: Callable[..., Any] | None, *, saves: bool = False) -> Callable[..., Any] | None:
        """``callback`` (a modal's result, a timer's tick) with a storage error
        inside said in a message, as for actions. One that ``saves`` (a form's
        result) waits for another session's lock as actions do."""
        if callback is None:
            return None

        @functools.wraps(callback)  # the same parameters: Textual passes only those it takes
        async def run(*args: Any, checked: bool = False) -> Any:
            if saves and not checked and self._lock_held_elsewhere():
                self.set_timer(SAY_FIRST, lambda: run(*args, checked=True))
                return None
            with self.file_problems():
                result = callback(*args)
                if inspect.isawaitable(result):
                    result = await result
                return result
            return None

        return run

    def push_screen(self, screen, callback=None, wait_for_dismiss=False, *, mode=None):  # type: ignore[override]
        """Textual's, with the result callback guarded (a storage error in it
        is a message)."""
        return super().push_screen(screen, self.guarded(callback, saves=True), wait_for_dismiss,  # type: ignore[call-overload]
                                   mode=mode)

    def set_timer(self, delay, callback=None, *, name=None, pause=False):  # type: ignore[override]
        """Textual's timer, its callback guarded."""
        return super().set_timer(delay, self.guarded(callback), name=name, pause=pause)

    def set_interval(self, interval, callback=None, *, name=None, repeat=0, pause=False):  # type: ignore[override]
        """Textual's interval timer, its callback guarded."""
        return super().set_interval(interval, self.guarded(callback), name=name, repeat=repeat, pause=pause)

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
        from . import actions

        screen = self.screen
        if isinstance(screen, HasCurrentClient):
            actions.new_promise(self, screen.current_client_id, screen.current_job_id)
        else:
            actions.new_promise(self, None, None)

    def action_settings(self) -> None:
        from . import actions

        actions.settings_form(self)

    def open_client(self, client_id: str) -> None:
        """Show one client on the Clients screen."""
        self.switch_mode("clients")
        screen = self.screen
        if isinstance(screen, SelectsClient):
            screen.select_client(client_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Agenda", "Today's review (1)", lambda: self.switch_mode("agenda"))
        for key, (mode, (title, help)) in enumerate(TITLES.items(), start=2):
            yield SystemCommand(title, f"{help} ({key})", functools.partial(self.switch_mode, mode))
        yield SystemCommand("New promise", "A promise to a client, with a due date (P)", self.action_new_promise)
        yield SystemCommand("Settings", "Your details, time zone, language, reminder ladder (,)",
                            self.action_settings)
        yield SystemCommand("Help", "Every key on this screen (?)", self.action_help)
        for binding in screen.active_bindings.values():
            b = binding.binding
            if b.show and b.description and binding.node is screen and binding.enabled:
                yield SystemCommand(b.tooltip or tr(self.language, b.description), f"Key: {b.key_display or b.key}",
                                    lambda action=b.action, target=screen: self.run_action(action, target))
        yield SystemCommand("Quit", "Quit rapport (q)", self.exit)


def build_app(store: Store) -> RapportApp:
    """The app on ``store``; the store's clock says what day it is (tests give
    a fixed one, ``--today`` a fixed date)."""
    return RapportApp(store)


def run_app(store: Store) -> int:
    app = build_app(store)
    app.run()
    return app.return_code or 0
