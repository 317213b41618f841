"""What the five mode screens (Agenda, Clients, Overdue, Invoices, Jobs) share."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual import events
from textual.message_pump import MessagePump
from textual.screen import Screen


def after(node: MessagePump, delay: float, callback: Callable[[], None]) -> None:
    """Call ``callback`` on ``node``, as a message of its own (in turn with the
    keys), once ``delay`` seconds have passed: the pieces of background work.

    Not Textual's set_timer: a one-shot Timer reads the clock twice before it
    sleeps, and when the process was held up between the two for longer than
    the delay (a loaded machine, a delay of 1 ms) it counts its one tick as
    skipped and ends without calling back (textual.timer.Timer._run); the
    piece, and all the work after it, was then never done."""
    asyncio.get_running_loop().call_later(delay, node.call_later, callback)


def style_context(app) -> tuple:
    """Everything outside a screen that its styles can depend on: the
    stylesheet's generation and sources, the app's classes and pseudo-classes
    (focus, dark, ansi...) and the terminal's size. A change inside the screen
    (a class, focus, hover) restyles its widgets as it happens, shown or not."""
    return (app._css_update_count, len(app.stylesheet.source), app.classes, app.pseudo_classes, app.size)


class ModeScreen(Screen):
    """A mode's screen: switched to and away from with 1-5, never popped.

    Textual (8.2) restyles every widget of a screen each time it is switched
    back to, in case something outside it changed meanwhile, and every
    DataTable then renders all its visible cells again: 15-30 ms a switch on the
    large set. Here that restyle happens only when something outside the screen
    did change (:func:`style_context`) since it was last styled."""

    _styled_in: tuple | None = None
    _pieces_due = 0  # pieces in view asked for by next_piece and not done yet

    async def on_event(self, event: events.Event) -> None:
        """Textual's event dispatch, with a file problem met by a handler (a
        resize or resume redrawing from a data file broken meanwhile) said in a
        message, as for actions (RapportApp.run_action), instead of a crash."""
        problems = getattr(self.app, "file_problems", None)
        if problems is None:
            await super().on_event(event)
            return
        with problems():
            await super().on_event(event)

    @property
    def busy(self) -> bool:
        """Some of the work this screen spreads out (next_piece) that shows in
        its first frame is still to come: it is not ready to be shown."""
        return self._pieces_due > 0

    def app_closing(self) -> bool:
        """True once the app has begun to close. A screen being mounted in the
        background just after start-up (RapportApp._mount_screen) may still get
        its mount, resume and resize events then, without its widgets: its
        handlers of those return at once."""
        return not self.app.is_running

    def next_piece(self, callback: Callable[..., None], *args: Any, in_view: bool = True) -> None:
        """Call back for the next piece of work this screen spreads out (a
        batch of rows...). On show: after the next frame, so the rows appear as
        they come. Off screen: in a turn of the event loop of its own, and
        only in a pause of the typing, so that a key never waits for more than
        one piece (RapportApp.piece_pause). A piece not ``in_view`` (rows below
        the first screenful) keeps the screen ``busy`` only when it has more
        to do in view."""
        if in_view:
            self._pieces_due += 1
        piece = partial(self._piece, in_view, callback, *args)
        if self.is_current:
            self.call_after_refresh(piece)
        else:
            after(self, self.app.piece_pause(in_view), piece)

    def _piece(self, in_view: bool, callback: Callable[..., None], *args: Any) -> None:
        try:
            callback(*args)
        finally:
            if in_view:
                self._pieces_due -= 1

    def fill_on_mount(self) -> None:
        """Fill the screen just mounted (its ``refresh_data``): at once when it
        is on show. Mounted in the background (RapportApp._mount_screen), as a
        piece of its own, so that a key waits for the mount or for the data,
        never both; its ``on_screen_resume`` does nothing off screen. If it
        was shown meanwhile, showing it filled it."""
        if self.is_current:
            self.refresh_data()
        else:
            self.next_piece(self._fill_off_screen)

    def _fill_off_screen(self) -> None:
        if not self.is_current and not self.app_closing():
            self.refresh_data()

    def mark_styled(self) -> None:
        """The screen's styles are those of the app as it is now."""
        self._styled_in = style_context(self.app)

    def _on_screen_suspend(self) -> None:
        self.mark_styled()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs after the subclass's on_screen_resume, before Screen's own.
        if self._styled_in is not None and self._styled_in == style_context(self.app):
            event.refresh_styles = False
        else:
            self._styled_in = None
