"""The key bar at the bottom of every screen: its keys, in one line.

Textual's Footer mounts a widget per key and recomposes all of them whenever
the bindings change (on mount, on focus, on every refresh_bindings). On the
Agenda, with a dozen keys, that was the largest single cost of the first frame.
This bar is one Static that redraws a line of text from the screen's active
bindings (``Screen.active_bindings``, ``bindings_updated_signal``), each
description in the configured language (tui.i18n.tr): keys that
do not apply to the selected row are dimmed, as in the Footer. Keys are for
the keyboard (over SSH, often a phone); the bar is not clickable.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..i18n import tr


class KeyBar(Static):
    """One line of ``key description`` pairs for the screen's shown bindings."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)

    def on_mount(self) -> None:
        self._shown: tuple = ()
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()
        self.call_after_refresh(self._draw)  # after the app's own start-up (its language)
        # The signal only reaches the screen on show; descriptions changed while
        # another screen was up (the language, say) are caught by a cheap check.
        self.set_interval(0.5, self._draw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._draw()

    def _draw(self) -> None:
        # Only the screen on show has a bar to keep current; and while the app
        # shuts down there is no screen at all to ask for its bindings.
        if not self.is_attached or not self.screen.is_current:
            return
        shown: list[tuple[str, str, bool]] = []
        seen: set[str] = set()
        lang = self.app.language  # type: ignore[attr-defined]
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((self.app.get_key_display(binding), tr(lang, binding.description), bool(active.enabled)))
        if tuple(shown) == self._shown:
            return
        self._shown = tuple(shown)
        parts: list[tuple[str, str]] = []
        for key, description, enabled in shown:
            if enabled:
                parts += [(key, "bold $footer-key-foreground"), (f" {description}  ", "")]
            else:
                parts += [(f"{key} {description}  ", "$footer-foreground 45%")]
        self.update(Content.assemble(*parts))
