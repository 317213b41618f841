"""The app's answer to what can go wrong around it, in one base class.

* **File problems.** The data file may break or vanish while the app is open
  (another program, a restore gone wrong, a full disk). A storage error raised
  in a key's action, a modal's result callback, a timer or a worker is said in
  a message (``file_problems``), and the app keeps running with what is on
  screen; once the file is repaired, the next action reads it again.
* **Another session's lock.** While another rapport holds the data file's
  lock, an action waits for it (storage.jsonfile.LOCK_WAIT, a few seconds at
  most): the message saying so is drawn before the wait, which holds the
  event loop.
* **Safe text.** Toasts and the clipboard show control characters as visible
  symbols.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.worker import Worker, WorkerState

from storage.jsonfile import StorageError
from storage.text import one_line, visible

from .i18n import _

if TYPE_CHECKING:
    from storage.store import Store

SAY_FIRST = 0.1  # time for a message to be drawn before a wait that holds the event loop


class SafeApp(App[int]):
    """An App on a store whose file problems are messages, never crashes."""

    store: Store
    _told_waiting = False

    @property
    def language(self) -> str:
        return "en"

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
        """Every key's action, with the one answer to a file problem; after
        the message that another session's lock is waited for, if it is."""
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
            self.notify(_("waiting for another rapport session…"), severity="warning", timeout=5)
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
        self.notify(one_line(str(exc)), title=_("Data file problem"), severity="error", markup=False, timeout=10)

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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """A worker raised: say why; the app goes on with what is on screen."""
        error = worker.error
        if isinstance(error, StorageError):
            self.file_problem(error)
        elif error is not None:
            self.notify(one_line(f"{type(error).__name__}: {error}"), title=_("Could not prepare the data"),
                        severity="error", markup=False, timeout=10)
