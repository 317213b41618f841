"""What a screen key shows at once when its screen is not ready yet.

In the first second or two after start-up the other screens are still being
got ready in the background (RapportApp._prepare): the whole file read, their
modules imported, their widgets composed, filled and drawn. Doing all that for
one screen while its key waits took 250-350 ms on the large set. Instead the key
shows this screen within a frame, in the mode of the screen asked for, and the
work for that screen goes first and no longer waits for pauses in the typing.
Once the screen is ready, it takes this one's place (RapportApp.swap_in).

Keys typed meanwhile are for the screen on its way: they are kept, in order,
and pressed again on it once it is shown. The keys that leave (another screen's
number, quit) act at once and drop them.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ..i18n import tr
from ..widgets.header import Header
from ..widgets.keybar import KeyBar


class WaitingScreen(Screen):
    """Stands in for a mode's screen until it is ready. Its styles are in
    app.tcss, read at start-up: CSS of its own would restyle the whole app the
    first time it is shown."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.keys: list[events.Key] = []  # typed meanwhile, for the screen on its way
        self.then: list[Callable[[Screen], None]] = []  # what to do on it once it is shown
        self.drawn = False  # its first frame is drawn: it may be taken away (RapportApp.swap_in)
        self.message = ""  # why the screen could not be got ready (failed)

    def compose(self) -> ComposeResult:
        yield Header()
        lang = self.app.language
        yield Static(self.message or tr(lang, "{screen}: getting ready…", screen=tr(lang, self.title_text)),
                     id="waiting", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        # Not taken away before its first frame: a screen removed while it
        # mounts leaves its widgets' callbacks (the Header's title) to run
        # without them.
        self.call_after_refresh(setattr, self, "drawn", True)

    def failed(self, message: str) -> None:
        """The background work stopped: say why, here, rather than wait forever."""
        self.keys.clear()
        self.then.clear()
        self.message = message
        if self.is_mounted:
            self.query_one("#waiting", Static).update(message)

    def on_key(self, event: events.Key) -> None:
        if self.app.leaves_waiting(event.key):  # handled by the app's own binding
            self.keys.clear()
            self.then.clear()
            return
        self.keys.append(events.Key(event.key, event.character))
        event.stop()
        event.prevent_default()

    def on_screen_resume(self) -> None:
        # Under a modal (the command palette) when its screen became ready.
        self.app.call_later(self.app.swap_in, self.app.current_mode)

    def hand_over(self, screen: Screen) -> None:
        """``screen`` took this one's place: do what was asked of it, then the
        keys typed meanwhile, as if typed now."""
        for call in self.then:
            call(screen)
        for key in self.keys:
            self.app.post_message(key)
        self.then.clear()
        self.keys.clear()
