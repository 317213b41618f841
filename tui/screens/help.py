"""Help: every key that works on the screen underneath, and the global ones."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL_KEYS = [
    ("ctrl+p", "Command palette: every action by name"),
    ("j / k, arrows", "Move"),
    ("enter", "Open the selected row"),
    ("tab / shift+tab", "Next / previous field"),
    ("enter, ctrl+s", "In a form: save"),
    ("escape", "In a form: cancel; here: close this help"),
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
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        below = self.below
        if below is not None:
            self._section(table, "This screen", [b for b in self._ours(below) if b[0] is below])
            self._section(table, "Everywhere", [b for b in self._ours(below) if b[0] is self.app])
        self._section(table, "In lists and forms", [(None, key, what) for key, what in GENERAL_KEYS])
        with VerticalScroll():
            yield Static(table)

    def _ours(self, below: Screen) -> list[tuple[object, str, str]]:
        """rapport's own bindings (they carry an id), with the longer wording."""
        rows = []
        seen: set[str] = set()
        for key, active in below.active_bindings.items():
            binding = active.binding
            if binding.id is None or key in seen or not binding.description:
                continue
            seen.add(key)
            what = binding.description if binding.key_display == "1-4" else (binding.tooltip or binding.description)
            shown = key if binding.key_display == "1-4" else (binding.key_display or key)
            rows.append((active.node, shown, "Agenda" if binding.id == "mode-agenda" else what))
        return rows

    @staticmethod
    def _section(table: Table, title: str, rows: list[tuple[object, str, str]]) -> None:
        if not rows:
            return
        table.add_row(Text(title, style="bold underline"), Text(""))
        for _, key, what in rows:
            table.add_row(Text(key), Text(what))
        table.add_row(Text(""), Text(""))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
