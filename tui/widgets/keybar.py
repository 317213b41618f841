"""The key bar at the bottom of every screen: its keys, in one line.

Textual's Footer mounts a widget per key and recomposes all of them whenever
the bindings change (on mount, on focus, on every refresh_bindings). On the
Agenda, with a dozen keys, that was the largest single cost of the first frame.
This bar is one Static that redraws a line of text from the screen's active
bindings (``Screen.active_bindings``, ``bindings_updated_signal``), each
description in the language shown (marked ``N_`` in the BINDINGS): keys that
do not apply to the selected row are dimmed, as in the Footer. Keys are for
the keyboard (over SSH, often a phone); the bar is not clickable.

The line is fitted to the bar's width, whole entries only (never a word cut
in the middle): ``? Help`` and ``q Quit``, a dialog's own way out (``esc
Close``) and the screens' ``1-5`` always stay; the screen's other keys are
dropped from the last (the least important: the order of the screen's
bindings, or its ``KEY_PRIORITY``, binding ids most important first; ``u
Undo``, there only while a change can be taken back, before them) until the
rest fits. Help (``?``) lists every key.

The screens' entry marks the screen on show: ``12345`` with the current
screen's digit in reverse video, readable without colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from storage.text import cell_width

from ..i18n import _

GAP = "  "
PINNED_IDS = ("help", "quit")
"""Bindings that are never dropped, shown last, in this order."""
FIRST_IDS = ("undo",)
"""Kept before the screen's own keys when short of room: ``u Undo`` is shown
only while there is a change to take back, the change just made."""
CLOSING_ACTIONS = ("close", "cancel", "dismiss")
"""A dialog's way out (the draft's ``esc Close``): never dropped either."""
KEY_STYLE = "bold $footer-key-foreground"
DISABLED_STYLE = "$footer-foreground 70%"


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key description`` pair of the bar."""

    key: str
    description: str
    enabled: bool
    pinned: bool
    current: str = ""
    """For the screens' entry: the digit of the screen on show."""

    @property
    def width(self) -> int:
        return cell_width(self.key) + 1 + cell_width(self.description)

    def content(self) -> Content:
        if self.current and self.current in self.key:
            before, __, after = self.key.partition(self.current)
            key = Content.assemble((before, KEY_STYLE), (self.current, "bold reverse"), (after, KEY_STYLE))
            return Content.assemble(key, f" {self.description}")
        if self.enabled:
            return Content.assemble((self.key, KEY_STYLE), f" {self.description}")
        return Content.assemble((f"{self.key} {self.description}", DISABLED_STYLE))


def fit_entries(entries: list[Entry], width: int, drop_order: list[Entry] | None = None) -> list[Entry]:
    """The entries that fit in ``width`` cells, whole, in their order: the
    pinned ones always, the others dropped from the end of ``drop_order``
    (by default the entries' own order) until the rest fits."""
    pinned = [e for e in entries if e.pinned]
    others = [e for e in (entries if drop_order is None else drop_order) if not e.pinned]

    def total(chosen: list[Entry]) -> int:
        return sum(e.width for e in chosen) + len(GAP) * max(len(chosen) - 1, 0)

    while others and total(others + pinned) > width:
        others.pop()
    chosen = set(map(id, others + pinned))
    return [e for e in entries if id(e) in chosen]


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
        text-overflow: clip;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self._shown: tuple = ()
        self.plain = ""
        """What the bar says now, as plain text."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)
        self._draw()
        self.call_after_refresh(self._draw)  # after the app's own start-up (its language)
        # The signal only reaches the screen on show; descriptions changed while
        # another screen was up (the language, say) are caught by a cheap check.
        self.set_interval(0.5, self._draw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._draw()

    def _keys_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._draw()

    def _current_digit(self) -> str:
        """The key of the screen on show (``3`` on the Overdue board), if any."""
        mode = getattr(self.app, "current_mode", None)
        for binding in getattr(self.app, "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.action == f"switch_mode('{mode}')":
                return binding.key.split(",")[0]
        return ""

    def entries(self) -> list[tuple[str | None, Entry]]:
        """Every key the bar would show with room enough, in order, with its binding's id."""
        entries: list[tuple[str | None, Entry]] = []
        last: list[tuple[int, str | None, Entry]] = []
        seen: set[str] = set()
        current = self._current_digit()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            description = _(binding.description)
            enabled = bool(active.enabled)
            if binding.id in PINNED_IDS:
                last.append((PINNED_IDS.index(binding.id), binding.id, Entry(key, description, enabled, pinned=True)))
            elif binding.action.startswith("switch_mode") and binding.key_display:
                digits = "".join(str(n) for n in range(int(binding.key_display[0]), int(binding.key_display[-1]) + 1))
                entries.append((binding.id, Entry(digits, description, enabled, pinned=True, current=current)))
            else:
                entries.append((binding.id, Entry(key, description, enabled, pinned=binding.action in CLOSING_ACTIONS)))
        return entries + [(id_, entry) for __, id_, entry in sorted(last, key=lambda item: item[0])]

    def _draw(self) -> None:
        # Only the screen on show has a bar to keep current; and while the app
        # shuts down there is no screen at all to ask for its bindings.
        if not self.is_attached or not self.screen.is_current:
            return
        width = self.content_region.width or self.app.size.width
        entries = self.entries()
        priority: tuple[str, ...] = (*FIRST_IDS, *getattr(self.screen, "KEY_PRIORITY", ()))
        # Keys kept first (FIRST_IDS, then the screen's KEY_PRIORITY, binding ids), then the rest in order.
        ranked = sorted(entries, key=lambda pair: priority.index(pair[0]) if pair[0] in priority else len(priority))
        shown = fit_entries([e for __, e in entries], width, [e for __, e in ranked])
        key = (width, tuple(shown))
        if key == self._shown:
            return
        self._shown = key
        line = Content(GAP).join(entry.content() for entry in shown)
        self.plain = line.plain
        self.update(line)
