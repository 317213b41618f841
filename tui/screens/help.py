"""Help: every key that works on the screen underneath, and the global ones."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..i18n import tr
from ..widgets.header import screen_name

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
        lang = getattr(self.app, "language", "en")
        if below is not None:
            name = screen_name(below, lang) or tr(lang, "This screen")
            self._section(table, name, self._ours(type(below).BINDINGS, lang))
            self._section(table, tr(lang, "Everywhere"), self._ours(type(self.app).BINDINGS, lang))
        general = [(None, key, tr(lang, what)) for key, what in GENERAL_KEYS]
        self._section(table, tr(lang, "In lists and forms"), general)
        with VerticalScroll(id="help-scroll"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    @staticmethod
    def _ours(bindings: list, lang: str = "en") -> list[tuple[object, str, str]]:
        """rapport's own bindings (they carry an id), with the longer wording,
        in the configured language (tui.i18n.tr).

        Read from the class's BINDINGS rather than the active ones, so that keys
        which only apply to some rows (a promise, a to-invoice row) are listed
        whichever row is selected.
        """
        rows: list[tuple[object, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for binding in bindings:
            if not isinstance(binding, Binding) or binding.id is None or not binding.description:
                continue
            if binding.action in ("cursor_down", "cursor_up"):
                continue  # "j / k, arrows: Move", under "In lists and forms"
            grouped = binding.key_display is not None and "-" in binding.key_display and binding.id.startswith("mode-")
            key = binding.key.split(",")[0] if grouped else (binding.key_display or binding.key.split(",")[0])
            what = binding.tooltip or binding.description
            if grouped or binding.id.startswith("mode-"):
                what = binding.id.removeprefix("mode-").capitalize()
            what = tr(lang, what)
            if (key, what) in seen:  # one key may do different things on different rows
                continue
            seen.add((key, what))
            rows.append((None, key, what))
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
