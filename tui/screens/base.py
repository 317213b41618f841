"""What the five mode screens (Agenda, Clients, Overdue, Invoices, Jobs) share.

One place decides when a screen shows the data again:

* when it mounts (its first visit);
* when the data changed while it is on show (the app's ``data_version``
  reactive moves on: a save, another session's change);
* when it is shown again after the data or the day moved on meanwhile.

A first visit before the data file has been read in full (the app starts from
the review's summary) shows the screen at once, its table ``loading``, while a
thread worker reads the file and computes the screen's rows (``prepare``: pure
data, no widgets); the rows are then handed back to the event loop
(``show_prepared``). Once the file is in memory, a refresh is done at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast, runtime_checkable

from textual import events, work
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from storage.store import Store
    from storage.undo import Edit


class DataApp(Protocol):
    """What a mode screen needs of its app (tui.app.RapportApp)."""

    store: Store

    def read_data_file(self) -> None: ...

    def worker_failed(self, worker: Worker) -> None: ...

    def file_problems(self) -> AbstractContextManager[None]: ...

    def guarded(self, callback: Callable[..., Any] | None, *, saves: bool = False) -> Callable[..., Any] | None: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...


@runtime_checkable
class HasCurrentClient(Protocol):
    """A screen with a selected client (and maybe job): a new promise from
    anywhere is for them."""

    @property
    def current_client_id(self) -> str | None: ...

    @property
    def current_job_id(self) -> str | None: ...


@runtime_checkable
class SelectsClient(Protocol):
    """A screen that can show one client (the Clients screen)."""

    def select_client(self, client_id: str) -> None: ...


@runtime_checkable
class Undone(Protocol):
    """A screen that shows what an undo (``u``) put back (the Clients screen
    selects a client whose delete was undone)."""

    def undone(self, edits: list[Edit]) -> None: ...


class ModeScreen(Screen):
    """A mode's screen: switched to and away from with 1-5, never popped."""

    DATA_WIDGET: ClassVar[str | None] = None
    """The widget that shows ``loading`` while a first visit's rows are prepared."""

    READS: ClassVar[tuple[str, ...]] = ()
    """The snapshot's tables the screen reads: built by ``prepare``, off the event loop."""

    _data_key: tuple[int, dt.date] | None = None
    _held: list[events.Key] | None = None  # keys typed while the rows are prepared

    @property
    def rapport(self) -> DataApp:
        """The app, as what this screen needs of it."""
        return cast(DataApp, self.app)

    # -- when to show the data again ------------------------------------------ #

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._data_changed, init=False)
        self.reload()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.reload()

    def _data_changed(self) -> None:
        # Another screen (under a modal, or another mode's) refreshes when it
        # is shown again (on_screen_resume): refreshing it now would be wasted.
        if self.is_current:
            self.reload()

    def data_key(self) -> tuple[int, dt.date]:
        store = self.rapport.store
        return store.generation, store.today()

    @property
    def stale(self) -> bool:
        """The data or the day moved on since the screen last showed them."""
        return self._data_key != self.data_key()

    def data_in_memory(self) -> bool:
        """Whether ``refresh_data`` can run at once, without reading the whole
        file first. The Agenda can, from the review's summary."""
        return self.rapport.store.storage.loaded

    def reload(self) -> None:
        """Show the data again: at once when it is in memory, else the Toolong
        way (``loading``, a thread worker, then the rows)."""
        if self.data_in_memory():
            self._data_key = self.data_key()
            self.refresh_data()
            return
        widget = self._loading_widget()
        if widget is not None:
            widget.loading = True
        if self._held is None:
            self._held = []
        self._prepare_off_the_loop()

    def _loading_widget(self) -> Widget | None:
        return self.query_one(self.DATA_WIDGET) if self.DATA_WIDGET else None

    @work(thread=True, exclusive=True, group="screen-data", exit_on_error=False)
    def _prepare_off_the_loop(self) -> None:
        app = self.rapport
        store = app.store
        app.read_data_file()  # the first full read, shared with the warm-up
        data = self.prepare(store, store.today())
        app.call_from_thread(self._prepared, data)

    def _prepared(self, data: Any) -> None:
        held, self._held = self._held or [], None
        if not self.is_attached or self.app.return_code is not None:
            return  # the app is closing: its screens may be gone (Textual raises ScreenStackError then)
        widget = self._loading_widget()
        if widget is not None:
            widget.loading = False
        self.show_prepared(data)
        self._data_key = self.data_key()
        self.refresh_data()
        if widget is not None and widget.focusable:
            widget.focus()  # a loading widget gives its focus away (to the filter field, say)
        if self.is_current:  # the keys typed meanwhile, as if typed now
            for key in held:
                self.app.post_message(key)

    @property
    def holding(self) -> bool:
        """Whether the rows are being prepared: keys typed now wait for them."""
        return self._held is not None

    def hold(self, event: events.Key) -> None:
        """Keep a key typed while the rows are prepared, for when they are
        shown (RapportApp.on_event)."""
        if self._held is not None:
            self._held.append(events.Key(event.key, event.character))

    def drop_held(self) -> None:
        """Left for another screen: the keys typed meanwhile were for this one."""
        if self._held:
            self._held.clear()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen failed (the file broke under it): the app
        says why; the screen stops showing ``loading``."""
        if event.state is WorkerState.ERROR:
            self._held = None
            widget = self._loading_widget()
            if widget is not None:
                widget.loading = False
            self.rapport.worker_failed(event.worker)

    # -- what a screen fills in ------------------------------------------------ #

    def prepare(self, store: Store, today: dt.date) -> Any:
        """Pure data for the screen, computed in a thread (no widgets here):
        by default the snapshot's tables it reads (``READS``)."""
        snapshot = store.snapshot()
        for part in self.READS:
            getattr(snapshot, part)
        return None

    def show_prepared(self, data: Any) -> None:
        """Take what ``prepare`` computed, just before ``refresh_data``."""

    def refresh_data(self) -> None:
        """Redraw the screen from the store (the data is in memory)."""

    # -- the rest ------------------------------------------------------------- #

    async def on_event(self, event: events.Event) -> None:
        """Textual's event dispatch, with a file problem met by a handler (a
        resize redrawing from a data file broken meanwhile) said in a message,
        as for actions (RapportApp.run_action), instead of a crash."""
        with self.rapport.file_problems():
            await super().on_event(event)

    def next_piece(self, callback: Callable[..., None], *args: Any, in_view: bool = True) -> None:
        """Call back after the next frame: the rows below the first screenful,
        or a summary, come once what is in view is drawn."""
        self.call_after_refresh(partial(callback, *args))

    def set_timer(self, delay: float, callback=None, *, name=None, pause: bool = False):  # type: ignore[override]
        """Textual's timer, with a storage error in the callback a message."""
        return super().set_timer(delay, self.rapport.guarded(callback), name=name, pause=pause)

    def set_interval(self, interval: float, callback=None, *, name=None, repeat: int = 0,  # type: ignore[override]
                     pause: bool = False):
        """Textual's interval timer, with a storage error in the callback a message."""
        return super().set_interval(interval, self.rapport.guarded(callback), name=name, repeat=repeat, pause=pause)
