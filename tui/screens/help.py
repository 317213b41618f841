"""Help: every key that works on the screen underneath, and the global ones."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GLOBAL_KEYS = [
    ("1 / 2 / 3", "Agenda / Clients / Overdue board"),
    ("?", "This help"),
    ("ctrl+p", "Command palette: every action by name"),
    ("/", "Filter (Clients)"),
    ("j / k, arrows", "Move"),
    ("enter", "Open the selected row"),
    ("l", "Log a contact"),
    ("m", "Draft the message (preview: c copy, s save, e edit, p pipe, x mark sent)"),
    ("p", "Record a payment"),
    ("z", "Snooze"),
    ("x", "Done (promise kept)"),
    ("n / e", "New / edit"),
    ("In a form", "enter or ctrl+s saves, escape cancels"),
    ("q", "Quit"),
]


class HelpScreen(ModalScreen[None]):
    """A modal listing every binding of the screen below, then the global keys."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help-close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, below: Screen | None = None) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        below = self.below
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row(Text("Keys", style="bold underline"), Text(""))
        seen: set[str] = set()
        if below is not None and below is not self:
            for key, active in below.active_bindings.items():
                binding = active.binding
                mine = active.node is below or active.node is self.app
                if mine and binding.description and key not in seen:
                    seen.add(key)
                    table.add_row(Text(binding.key_display or active.binding.key), Text(binding.description))
        table.add_row(Text(""), Text(""))
        table.add_row(Text("Everywhere", style="bold underline"), Text(""))
        for key, what in GLOBAL_KEYS:
            table.add_row(Text(key), Text(what))
        with VerticalScroll():
            yield Static(table)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
