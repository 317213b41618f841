"""The rapport app: modes, global keys, the command palette, and the store.

Built by :func:`build_app` with the store injected (tests pass a store on a
temporary file and a fixed "today"). Screens never write files: they call the
store, which commits before it returns.

Two things a terminal app over SSH must get right live here too:

* **Other sessions.** A cron job or a second login may change the data file.
  Every two seconds the app compares the file's identity (a ``stat``); when it
  changed, the store re-reads it and the screen on show refreshes.
* **Hang-ups.** When the SSH connection drops the terminal is gone. Every
  acknowledged change is already on disk, so on SIGHUP the app ends the
  process at once rather than asking Textual's driver to restore a terminal
  that no longer exists (which can hang).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget

from storage.store import Store

from .screens.agenda import AgendaScreen
from .screens.base import ModeScreen, after, style_context
from .screens.help import HelpScreen
from .screens.waiting import WaitingScreen
from .widgets.safe import UNBATCHED

POLL_SECONDS = 2.0
QUIET_SECONDS = 0.3  # no key for this long: a pause to do background work in
PAINT_PIECE = (20, 4)  # columns and lines of a background screen drawn in one piece (RapportApp._paint_screen)
PAINT_PIECES = (10, 15)  # enough pieces across and down for 200x60
PIECE_PAUSE = 0.01  # between two pieces of the background work: the app takes keys and messages
HURRIED_PAUSE = 0.001  # the same while the screen on show waits for that work (a WaitingScreen)
FULL_COLLECTIONS_LATER = 1 << 30  # the collector's third threshold: full collections only by _collect
FULL_COLLECTION_SECONDS = 10.0  # how often a pause of the typing gets a full collection (RapportApp._collect)

# A piece of the background work may start something that goes on in tasks of
# its own (a mount, an import): it then gives what to wait for, a test that is
# true once it is done. A step gives True when it did something, False when
# there was nothing to do, or that test (RapportApp._steps).
Wait = Callable[[], bool]
Step = bool | Wait


def _styled(screen: Screen) -> Screen:
    """``screen``, marked as styled by the stylesheet as it is now.

    Textual (8.2) restyles every widget of every screen when it switches to a
    screen whose recorded CSS generation is not the app's, and records it only
    for a screen that is already mounted, which a mode's screen is not when it
    is first switched to: so every later switch to it restyled everything again
    (30-70 ms a key on the large set). A new screen is styled as it mounts, with
    the stylesheet as it is then: it is current by construction (but the first
    screen, which start-up's full restyle gives the theme's variables). A theme
    change still moves the app's generation on and restyles as it should."""
    screen._css_update_count = screen.app._css_update_count
    return screen


def _screen(module: str, name: str) -> Screen:
    """A new screen from tui.screens.<module>, imported on first use."""
    import importlib

    return _styled(getattr(importlib.import_module(f"tui.screens.{module}"), name)())


# The screens after the Agenda: (mode, module, class). They are built in the
# background just after start-up (RapportApp._prepare); one asked for before
# then is got ready first, while a WaitingScreen stands in for it.
LATER_SCREENS = (
    ("clients", "clients", "ClientsScreen"),
    ("overdue", "overdue", "OverdueScreen"),
    ("invoices", "invoices", "InvoicesScreen"),
    ("jobs", "jobs", "JobsScreen"),
)
# Their names and what they are for, in order of their keys (2-5): for the
# command palette and the screen that stands in for one (tui.screens.waiting).
TITLES = {
    "clients": ("Clients", "Every client, its history and notes"),
    "overdue": ("Overdue board", "Invoices past due, by age"),
    "invoices": ("Invoices", "Every invoice, with filters: open, edit, record a payment"),
    "jobs": ("Jobs", "Jobs: deliver, invoice, changes of brief"),
}

# What those screens import that takes longest (markdown-it, Textual's Markdown
# and Pygments, the forms): one step each, ahead of the first screen's, the
# parts of a package before the package, so no one step holds a key long.
LATER_IMPORTS = (
    "markdown_it", "pygments.lexer", "pygments.lexers", "textual.highlight", "textual.widgets._markdown",
    "tui.widgets.markdown", "textual.widgets._input", "textual.widgets._select", "tui.widgets.form", "tui.flows",
)
THREAD_IMPORTS = frozenset({"markdown_it", "pygments.lexer", "pygments.lexers"})  # no Textual in them (_import)

# What those screens read of the snapshot, made ready in the background too:
# each is a table of models built on first use (the jobs, 3,000 invoices...).
SNAPSHOT_PARTS = (
    "clients", "rates", "promises", "changes", "jobs", "invoices",
    "clients_by_id", "last_contact", "open_invoices", "pending_changes", "jobs_by_id", "invoiced_job_ids",
    "open_jobs", "open_promises",
)


class RapportApp(App[int]):
    """Keyboard-driven review of a freelancer's clients."""

    TITLE = "rapport"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # The Agenda comes first; the other screens are installed by name and built
    # when first needed, so starting up does not pay for them.
    SCREENS = {
        mode: (lambda module=module, name=name: _screen(module, name)) for mode, module, name in LATER_SCREENS
    }
    MODES = {"agenda": AgendaScreen, **{mode: mode for mode, _, _ in LATER_SCREENS}}
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

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._shown_generation = -1
        self._summary_timer: Timer | None = None
        # The background work after start-up (_prepare): its parts, each a
        # generator of pieces, and what a part's next piece waits for (a mount...).
        self._work: dict[str, Iterator[Wait | None]] = {}
        self._work_done: set[str] = set()
        self._work_calls = 0  # the last call of _prepare asked for (_prepare_in)
        self._waits: dict[str, Wait] = {}  # a part's next piece waits until this is true
        self._ready_modes = {self.DEFAULT_MODE}  # modes whose screen can be shown at once (is_ready)
        self._primer: Widget | None = None
        self._frozen_at_start = False
        self._instant_switch = False
        self._last_key = 0.0
        self.prepared = False  # True once the background work after start-up is done
        self._gc_threshold = gc.get_threshold()
        if self.language != "en":  # before any screen draws its keys
            self._localise_keys()

    # -- "today" ------------------------------------------------------------- #

    @property
    def today(self) -> dt.date:
        """Today by the store's clock (``--today``, or the date in the
        configured time zone)."""
        return self.store.today()

    @property
    def language(self) -> str:
        """The settings' language; the last one read stands while the file
        cannot be read, so that a screen can still say what went wrong."""
        from storage.jsonfile import StorageError

        try:
            self._language_seen = str(self.store.settings().language)
        except StorageError:
            pass
        return getattr(self, "_language_seen", "en")

    def _update_title(self) -> None:
        from .i18n import long_date

        self.sub_title = long_date(self.today, self.language)

    def settings_changed(self) -> None:
        """After the settings were saved: the time zone and language may differ."""
        self._update_title()
        self._localise_keys()

    APP_KEYS = {"mode-agenda": "Screens", "help": "Help", "quit": "Quit"}

    def _localise_keys(self) -> None:
        """The footer's global keys in the configured language."""
        import dataclasses

        from .i18n import tr

        lang = self.language
        bindings = self._bindings.key_to_bindings
        for key, entries in bindings.items():
            bindings[key] = [
                dataclasses.replace(b, description=tr(lang, self.APP_KEYS[b.id])) if b.id in self.APP_KEYS else b
                for b in entries
            ]
        self.refresh_bindings()

    # -- lifecycle ------------------------------------------------------------ #

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame_drawn)
        self._shown_generation = self.store.generation
        self._update_title()
        self.set_interval(POLL_SECONDS, self.poll_store)
        self._install_hangup_handler()
        # A lock held by another session is waited for a few seconds at most
        # (storage.jsonfile.LOCK_WAIT); say why the app is waiting.
        self.store.storage.on_wait = lambda: self.notify(
            "waiting for another rapport session…", severity="warning", timeout=5)

    def _first_frame_drawn(self) -> None:
        # `rapport` starts with garbage collection off (tui.cli.cmd_tui). What
        # start-up made lives as long as the app: set it aside for good
        # (gc.freeze), so later collections, during key presses, skip it.
        if not gc.isenabled():
            gc.freeze()
            # No full collection on the collector's own schedule from now on: one
            # goes over every object not set aside, 100-150 ms while the
            # background work below runs, 20-25 ms after, and lands on whatever
            # key is pressed then. The young generations are still collected as
            # usual; full collections run in pauses of the typing (_collect).
            gc.set_threshold(*self._gc_threshold[:2], FULL_COLLECTIONS_LATER)
            gc.enable()
            self._frozen_at_start = True
        # The Agenda was styled by start-up's own full restyle (which brings in
        # the theme's variables, so it must not be skipped); now it is current.
        _styled(self.screen)
        # The first frame may come from the summary; read the whole file just
        # after it, so the first action does not wait for it, then get the other
        # screens ready so that switching to one is a single frame.
        after(self, 0.3, self._warm_up)

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
        try:
            self.store.write_summary()
        except Exception:  # a cache: never worth an error on screen
            pass

    def on_unmount(self) -> None:
        self.write_summary()
        if self._frozen_at_start:
            gc.set_threshold(*self._gc_threshold)

    def keys_quiet(self) -> bool:
        """A pause for background work: no key in the last QUIET_SECONDS, and
        nothing (a key just typed) waiting for the app."""
        return time.monotonic() - self._last_key >= QUIET_SECONDS and not self.message_queue_size

    def may_work(self) -> bool:
        """The background work may go on now: in a pause of the typing
        (keys_quiet), or while the screen on show waits for it (WaitingScreen)."""
        return self._waiting_screen() is not None or self.keys_quiet()

    def piece_pause(self, in_view: bool = True) -> float:
        """How long background work leaves the app free before its next
        piece: PIECE_PAUSE in a pause of the typing, next to nothing while a
        WaitingScreen is on show (a key typed meanwhile still comes first),
        and QUIET_SECONDS while keys come. Work out of view (rows below the
        first screenful) waits while a WaitingScreen is on show: it would
        only slow down the screen awaited."""
        if self._waiting_screen() is not None:
            return HURRIED_PAUSE if in_view else QUIET_SECONDS
        return PIECE_PAUSE if self.keys_quiet() else QUIET_SECONDS

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key = time.monotonic()
        await super().on_event(event)

    # -- the background work after start-up ----------------------------------- #
    #
    # The other screens are got ready in the background, so that switching to
    # one is a single frame: the whole file read, their modules imported, their
    # tables built, each screen composed, styled, filled and drawn off screen.
    # It is done in pieces of a few ms (30 at most on the large set), in pauses
    # of the typing, with the app free for keys between two pieces. A screen
    # asked for before it is ready is stood in for by a WaitingScreen; its
    # pieces then come first and no longer wait for pauses.

    def is_ready(self, mode: str) -> bool:
        """Whether a mode's screen can be shown at once (else a WaitingScreen
        stands in for it until it can)."""
        return self.prepared or mode in self._ready_modes

    def _waiting_screen(self) -> WaitingScreen | None:
        """The WaitingScreen on show, if one is."""
        stack = self._screen_stacks.get(self._current_mode)
        return stack[-1] if stack and isinstance(stack[-1], WaitingScreen) else None

    def _waiting_modes(self) -> list[str]:
        """The modes a WaitingScreen stands in for, the one on show first."""
        modes = [mode for mode, stack in self._screen_stacks.items() if stack and isinstance(stack[0], WaitingScreen)]
        return sorted(modes, key=lambda mode: mode != self._current_mode)

    def leaves_waiting(self, key: str) -> bool:
        """Whether ``key`` leaves a WaitingScreen: another screen's key, or quit."""
        here = f"switch_mode({self._current_mode!r})"
        return any(binding.action == "quit" or binding.action.startswith("switch_mode") and binding.action != here
                   for binding in self._bindings.key_to_bindings.get(key, ()))

    def _warm_up(self) -> None:
        """Start the background work, 0.3 s after the first frame (a screen
        key that comes before then starts it: _stand_in)."""
        if not self._work and not self.prepared:
            self._prepare_in(PIECE_PAUSE)

    def _prepare_in(self, delay: float) -> None:
        """Do the next piece of the background work in ``delay`` seconds. One
        call at a time: a later one (a screen asked for) replaces the last."""
        self._work_calls += 1
        after(self, delay, partial(self._prepare, self._work_calls))

    def _work_order(self) -> Iterator[tuple[str, Callable[[], Iterator[Wait | None]]]]:
        """The parts of the background work, by name, in the order they are
        done: what every screen needs, a screen asked for, the others."""
        yield "start", self._start_pieces
        for mode in self._waiting_modes():
            yield f"show {mode}", partial(self._screen_pieces, mode, show=True)
        for mode, _, _ in LATER_SCREENS:
            yield f"mount {mode}", partial(self._screen_pieces, mode, show=False)
        yield "finish", self._finish_pieces

    def _prepare(self, call: int | None = None) -> None:
        """Do the next piece of the background work (_work_order), if the app
        may work now (may_work). A piece may start something that goes on in
        tasks of its own (a mount, an import): the next piece of its part, and
        of every part after it, waits until that is done; a part before it, a
        screen asked for, need not. Once all are done, what they made is set
        aside from the collector as start-up's was."""
        if call is not None and call != self._work_calls:  # replaced by a later call
            return
        if not self.is_running or self.prepared:  # closing: its timers may still fire, and it empties the stacks
            return
        if not self.may_work():
            self._prepare_in(max(QUIET_SECONDS - (time.monotonic() - self._last_key), 0.05))
            return
        try:
            for name, pieces in self._work_order():
                if name in self._work_done:
                    continue
                if name in self._waits:
                    if not self._waits[name]():
                        self._prepare_in(self.piece_pause())
                        return
                    del self._waits[name]
                if name not in self._work:
                    self._work[name] = pieces()
                try:
                    wait = next(self._work[name])
                except StopIteration:
                    self._work_done.add(name)
                    if self.prepared:  # the part stopped the work (_stop)
                        return
                    continue
                if wait is not None:
                    self._waits[name] = wait
                break
            else:
                self._prepared()
                return
        except Exception as exc:  # e.g. a document that does not convert: say so, stop here
            self._stop(f"Could not get the other screens ready: {exc}")
            return
        if not self.prepared:
            self._prepare_in(self.piece_pause())

    def _prepared(self) -> None:
        self.prepared = True
        if self._frozen_at_start:
            gc.freeze()
            self.set_interval(FULL_COLLECTION_SECONDS, self._collect)

    def _stop(self, message: str) -> None:
        """The background work cannot go on: say why, on any WaitingScreen too."""
        self._prepared()
        self.notify(message, severity="error", markup=False, timeout=10)
        for mode in self._waiting_modes():
            self._screen_stacks[mode][0].failed(message)

    def _collect(self) -> None:
        """A full garbage collection, in a pause of the typing only (see
        _first_frame_drawn): what the collector would do every few seconds of use."""
        if self.keys_quiet():
            gc.collect()

    def _start_pieces(self) -> Iterator[Wait | None]:
        """What every later screen needs: the whole file read, the snapshot's
        tables, the summary, the heavier modules, the Markdown blocks' CSS."""
        try:
            yield from self.store.storage.load_in_steps()
            snapshot = self.store.snapshot()
        except Exception as exc:  # a file made unusable since the summary: say so
            self._stop(str(exc))
            return
        if self._frozen_at_start:
            # The whole file's documents live as long as the data is unchanged.
            gc.freeze()
        # What the later screens read, built before they mount, so that no one
        # screen's mount builds it all at once.
        yield from snapshot.build_in_steps(SNAPSHOT_PARTS)
        yield from self._steps([self._prepare_summary, *[partial(self._import, module) for module in LATER_IMPORTS]])
        from .widgets.markdown import EVERY_BLOCK  # imported by the steps just done

        yield from self._steps([step for part in range(len(EVERY_BLOCK))
                                for step in (partial(self._read_markdown_css, part), self._remove_markdown_primer)])

    def _screen_pieces(self, mode: str, *, show: bool) -> Iterator[Wait | None]:
        """One later screen built, styled and mounted off screen (it fills
        itself, in pieces of its own); if it was asked for (``show``), also
        filled, laid out, drawn, and shown in place of its WaitingScreen. Each
        step does nothing when already done, so a screen asked for midway
        through its own steps goes on from there."""
        yield from self._steps([partial(self._build_screen, mode), partial(self._read_screen_css, mode),
                                partial(self._mount_screen, mode)])
        if show:
            yield from self._steps([partial(self._settle_screen, mode), partial(self._restyle_screen, mode),
                                    partial(self._paint_screen, mode, -1, -1),
                                    *[partial(self._paint_screen, mode, across, down)
                                      for down in range(PAINT_PIECES[1]) for across in range(PAINT_PIECES[0])],
                                    partial(self._show_ready, mode), partial(self.swap_in, mode)])

    def _finish_pieces(self) -> Iterator[Wait | None]:
        """Every screen restyled for the CSS that came in after it, and drawn."""
        steps: list[Callable[[], Step]] = [partial(self._restyle_screen, mode) for mode in self.MODES]
        steps += [step for mode in self.MODES
                  for step in (partial(self._settle_screen, mode), partial(self._paint_screen, mode, -1, -1))]
        steps += [partial(self._paint_screen, mode, across, down) for mode in self.MODES
                  for down in range(PAINT_PIECES[1]) for across in range(PAINT_PIECES[0])]
        yield from self._steps(steps)

    @staticmethod
    def _steps(steps: list[Callable[[], Step]]) -> Iterator[Wait | None]:
        """A piece per step that did something (a step returns False when
        there was nothing to do, and what to wait for when it started
        something that goes on in tasks of its own)."""
        for step in steps:
            done = step()
            if done:
                yield None if done is True else done

    # The steps. Each is a piece short enough not to hold a key for long; the
    # ones for a screen get it composed, styled and laid out off screen, so
    # that the first switch to it finds it ready (Textual's own first switch
    # does all that, 100-200 ms on the large set, while the key waits).

    def _prepare_summary(self) -> bool:
        self.write_summary()
        return True

    def _import(self, module: str) -> Step:
        """Import one of the later screens' heavier modules ahead of them.

        A library that knows nothing of Textual (THREAD_IMPORTS) is imported
        in a thread of its own: executing its modules gives the GIL back every
        few milliseconds, so a key need not wait for the whole import
        (markdown-it's is one package of ~25 ms). The next step waits for it."""
        import importlib
        import sys

        if module in sys.modules:
            return False
        if module not in THREAD_IMPORTS:
            importlib.import_module(module)
            return True

        def load() -> None:
            try:
                importlib.import_module(module)
            except Exception:  # imported again where it is used, which reports it
                pass

        importing = threading.Thread(target=load, name=f"import {module}", daemon=True)
        importing.start()
        return lambda: not importing.is_alive()

    def _mode_screen(self, mode: str) -> ModeScreen | None:
        """A mode's own screen, once built (never the WaitingScreen standing in
        for it)."""
        screen = self._installed_screens.get(mode)
        if isinstance(screen, ModeScreen):
            return screen
        stack = self._screen_stacks.get(mode)
        return stack[0] if stack and isinstance(stack[0], ModeScreen) else None

    def _off_screen(self, mode: str) -> ModeScreen | None:
        """A mode's screen, mounted and not on show (under a modal counts as
        on show): one the steps below may restyle and draw."""
        screen = self._mode_screen(mode)
        if screen is None or not screen.is_mounted or screen in self.screen_stack:
            return None
        return screen

    def _build_screen(self, mode: str) -> bool:
        """Import and build a screen not built yet."""
        if self._mode_screen(mode) is not None:
            return False
        try:
            self.get_screen(mode)
        except KeyError:  # the app is closing: its screens are gone
            return False
        return True

    def _read_screen_css(self, mode: str) -> bool:
        """Read and parse a built screen's styles, so that mounting it does not
        re-parse and restyle the whole app as Textual does when a screen brings
        new CSS."""
        screen = self._installed_screens.get(mode)
        if not isinstance(screen, Screen):
            return False
        new = [path for path in screen.css_path if not self.stylesheet.has_source(str(path), "")]
        for path in new:
            self.stylesheet.read(path)
        if new:
            self.stylesheet.parse()
        return bool(new)

    def _mount_screen(self, mode: str) -> Step:
        """Mount a built screen off screen: what App.switch_mode does for a
        mode's first screen (_init_mode), less the switch, and without holding
        the app's messages (keys) until the mount is done. The screen mounts in
        its own task, is resumed (laid out), and stays in the background, in
        its mode's stack unless a WaitingScreen holds its place. The next step
        waits until it is mounted."""
        screen = self._installed_screens.get(mode)
        if not isinstance(screen, Screen) or screen.is_attached:
            return False
        self._register(self, screen)
        self._screen_stacks.setdefault(mode, [screen])
        # Its widgets are styled as they mount; the CSS they bring restyles the
        # screen once, later (_restyle_screen), not on this resume.
        screen.post_message(events.ScreenResume(refresh_styles=False))
        return lambda: screen.is_mounted

    def _settle_screen(self, mode: str) -> Step:
        """Wait until a screen mounted off screen has been filled, before it is
        drawn: the pieces it spreads its filling over (ModeScreen.next_piece)
        are all done."""
        screen = self._mode_screen(mode)
        if screen is None or not screen.busy:
            return False
        return lambda: not screen.busy

    def _read_markdown_css(self, part: int) -> Step:
        """Mount a Markdown with some kinds of block, hidden, so that their CSS
        is in before any later screen mounts and shows notes
        (tui.widgets.markdown.EVERY_BLOCK). It goes on the Agenda, which is
        never removed. The next step waits for it."""
        from .widgets.markdown import EVERY_BLOCK, SafeMarkdown

        primer = self._primer = SafeMarkdown(EVERY_BLOCK[part])
        primer.display = False
        self._screen_stacks[self.DEFAULT_MODE][0].mount(primer)
        return lambda: primer.is_mounted

    def _remove_markdown_primer(self) -> bool:
        if self._primer is None:
            return False
        self._primer.remove()
        self._primer = None
        return True

    def _restyle_screen(self, mode: str) -> bool:
        """Restyle a screen in the background if the stylesheet grew after it
        was mounted (each screen's widgets bring their own CSS), so that the
        first switch to it need not (tui.screens.base.ModeScreen)."""
        screen = self._off_screen(mode)
        if screen is None or screen._styled_in == style_context(self):
            return False
        screen.update_node_styles(animate=False)
        screen.mark_styled()
        return True

    def _paint_screen(self, mode: str, across: int, down: int) -> bool:
        """Lay out a background screen (-1, -1), or render one piece of it, of
        PAINT_PIECE columns and lines, into its widgets' caches (the frame
        itself is dropped), so that the first switch to it paints from them.
        Drawing a widget the first time costs 1-2 ms: a whole screen at once
        (the Overdue board's cards) can take 50-100 ms on the large set, too
        long for a key that comes meanwhile to wait."""
        screen = self._off_screen(mode)
        width, height = PAINT_PIECE
        if screen is None or across * width >= self.size.width or down * height >= self.size.height:
            return False
        if across < 0:
            screen._refresh_layout(self.size)
            screen._compositor._dirty_regions.clear()  # the layout marks it all: drawn piece by piece below
            return True
        compositor = screen._compositor
        compositor._dirty_regions.add(Region(across * width, down * height, width, height))
        compositor.render_update()
        return True

    def _show_ready(self, mode: str) -> Step:
        """A screen asked for is ready: it is shown (swap_in) once the
        WaitingScreen standing in for it has been drawn."""
        self._ready_modes.add(mode)
        stack = self._screen_stacks.get(mode)
        waiting = stack[0] if stack else None
        return isinstance(waiting, WaitingScreen) and not waiting.drawn and (lambda: waiting.drawn)

    def swap_in(self, mode: str) -> bool:
        """Put a mode's screen, once ready, in the place of the WaitingScreen
        standing in for it. On show, it is switched to, and gets the keys
        typed meanwhile; under a modal (the command palette), when the
        WaitingScreen is shown again (its on_screen_resume)."""
        stack = self._screen_stacks.get(mode)
        screen = self._mode_screen(mode)
        if not stack or not isinstance(stack[0], WaitingScreen) or screen is None or not self.is_ready(mode):
            return False
        waiting = stack[0]
        if stack[-1] is not waiting or not waiting.drawn:  # under a modal, or still mounting
            return False
        stack[0] = screen
        if mode == self._current_mode:  # what switch_mode does, within the mode
            waiting.post_message(events.ScreenSuspend())
            self.screen_change_signal.publish(screen)
            screen._screen_resized(self.size)
            screen.post_message(events.ScreenResume())
            screen.call_after_refresh(waiting.hand_over, screen)
        waiting.remove()
        return True

    def _install_hangup_handler(self) -> None:
        try:
            import asyncio

            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover - not on POSIX / not main thread
            pass

    def _hang_up(self) -> None:
        # The terminal is gone and every acknowledged change is on disk: end now.
        os._exit(129)

    def poll_store(self) -> None:
        """Pick up changes made by another process (a cron job, a second login)."""
        self._update_title()  # the date moves on at midnight
        try:
            if self.store.storage.changed_on_disk():
                self.store.refresh()
        except Exception as exc:  # a file made unreadable under us: say so, keep what is shown
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        # Compare generations rather than trusting the check above: anything that
        # read the store since the last poll (an action, the warm-up) may already
        # have picked up another session's change, and the screen must show it.
        if self.store.generation != self._shown_generation:
            self.data_changed()

    def data_changed(self) -> None:
        """Refresh the screen on show. Every other screen (one under a modal, or
        another mode's) compares the store's generation when it is shown again
        (on_screen_resume) and refreshes then: refreshing it now could find it
        half-built."""
        self._shown_generation = self.store.generation
        self._schedule_summary()
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh is not None:
            refresh()

    # -- safe text ------------------------------------------------------------- #

    def notify(self, message: str, *, title: str = "", severity: str = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = True) -> None:
        """Textual's toast, with any control character in the message or title
        (an error quoting a stored name, say) shown as a visible symbol."""
        from storage.text import visible

        if isinstance(message, str):
            message = visible(message, keep_newlines=True)
        super().notify(message, title=visible(title), severity=severity, timeout=timeout,  # type: ignore[arg-type]
                       markup=markup)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` (a draft, an invoice) with its controls as visible
        symbols: what is pasted later into a shell or a mail carries none."""
        from storage.text import visible

        super().copy_to_clipboard(visible(text, keep_newlines=True, keep_tabs=True))

    # -- file problems -------------------------------------------------------- #

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:  # type: ignore[override]
        """Every key's action, with the one answer to a file problem.

        The data file may break or vanish while the app is open (another
        program, a restore gone wrong, a full disk). Any action that reads or
        writes it then raises a StorageError (DataFileError for an unusable
        file): it is said in a message, and the app keeps running with what is
        on screen; once the file is repaired, the next action reads it again."""
        with self.file_problems():
            return await super().run_action(action, default_namespace, namespaces)
        return True

    @contextlib.contextmanager
    def file_problems(self) -> Iterator[None]:
        """Turn a storage error raised inside into a message (see run_action).
        For handlers that are not key actions: ``with app.file_problems(): ...``."""
        from storage.jsonfile import StorageError

        try:
            yield
        except StorageError as exc:
            self.file_problem(exc)

    def file_problem(self, exc: Exception) -> None:
        """Say what went wrong with the data file; nothing is lost on screen."""
        from storage.text import one_line

        self.notify(one_line(str(exc)), title="Data file problem", severity="error", markup=False, timeout=10)

    def saved(self, message: str) -> None:
        """After a store call returned (the change is on disk): say so, refresh."""
        self.data_changed()
        self.notify(message, markup=False)

    # -- navigation ----------------------------------------------------------- #

    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual's switch, painted at once when the screen is built.

        A screen not ready yet (is_ready) is stood in for by a WaitingScreen,
        and got ready first (_stand_in). Textual holds every repaint for 50 ms
        after a switch (delay_update), to hide a screen being built; a screen
        shown before, or mounted in the background, is built, and the hold
        alone would take a whole frame's budget. A mode has a screen stack once
        its screen (or a WaitingScreen) was shown, or mounted in the background."""
        if mode != self._current_mode and mode in self._modes and not self.is_ready(mode):
            self._stand_in(mode)
        self._instant_switch = mode in self._screen_stacks
        try:
            return super().switch_mode(mode)
        finally:
            self._instant_switch = False

    @contextlib.contextmanager
    def batch_update(self) -> Iterator[None]:
        """Textual's: no frame until the block ends. Not for a change nobody can
        see (tui.widgets.safe.UNBATCHED): a Markdown filled on a background
        screen would hold the frames of the screen on show, and its keys."""
        if UNBATCHED.get():
            yield
            return
        with super().batch_update():
            yield

    def _stand_in(self, mode: str) -> None:
        """Put a WaitingScreen in a mode's place until its screen is ready,
        and bring the background work forward: that screen's pieces come first."""
        stack = self._screen_stacks.get(mode)
        if not stack or not isinstance(stack[0], WaitingScreen):
            # A screen mounted in the background stays registered (it is installed).
            waiting = _styled(WaitingScreen(TITLES[mode][0]))
            self._register(self, waiting)
            self._screen_stacks[mode] = [waiting]
        self._prepare_in(PIECE_PAUSE)

    def delay_update(self, delay: float = 0.05) -> None:
        super().delay_update(0.001 if self._instant_switch else delay)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_new_promise(self) -> None:
        from . import flows  # lazy: its forms cost ~55 ms the first frame does not need

        screen = self.screen
        flows.new_promise(self, getattr(screen, "current_client_id", None), getattr(screen, "current_job_id", None))

    def action_settings(self) -> None:
        from . import flows  # lazy: its forms cost ~55 ms the first frame does not need

        flows.settings_form(self)

    def open_client(self, client_id: str) -> None:
        """Show one client on the Clients screen."""
        self.switch_mode("clients")
        screen = self.screen
        if isinstance(screen, WaitingScreen):  # once the Clients screen is ready
            screen.then.append(lambda clients: clients.select_client(client_id))
            return
        select = getattr(screen, "select_client", None)
        if select is not None:
            select(client_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Agenda", "Today's review (1)", lambda: self.switch_mode("agenda"))
        for key, (mode, (title, help)) in enumerate(TITLES.items(), start=2):
            yield SystemCommand(title, f"{help} ({key})", partial(self.switch_mode, mode))
        yield SystemCommand("New promise", "A promise to a client, with a due date (P)", self.action_new_promise)
        yield SystemCommand("Settings", "Your details, time zone, language, reminder ladder (,)",
                            self.action_settings)
        yield SystemCommand("Help", "Every key on this screen (?)", self.action_help)
        for binding in screen.active_bindings.values():
            b = binding.binding
            if b.show and b.description and binding.node is screen and binding.enabled:
                yield SystemCommand(b.tooltip or b.description, f"Key: {b.key_display or b.key}",
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
