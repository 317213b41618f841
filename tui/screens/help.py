"""Help: every key that works on the screen underneath, and the global ones."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..i18n import N_, _
from ..widgets.header import screen_name

GENERAL_KEYS = [
    ("ctrl+p", N_("Command palette: every action by name")),
    (N_("j / k, arrows"), N_("Move")),
    ("enter", N_("Open the selected row")),
    ("tab / shift+tab", N_("Next / previous field")),
    ("enter, ctrl+s", N_("In a form: save")),
    ("escape", N_("In a form: cancel; here: close this help")),
]
"""The keys of every list and form (key names are Textual's, but for "arrows")."""

SCREEN_NAMES = {
    "agenda": N_("Agenda"),
    "clients": N_("Clients"),
    "overdue": N_("Overdue board"),
    "invoices": N_("Invoices"),
    "jobs": N_("Jobs"),
}
"""The five screens, as the help names them next to their keys 1-5 (as their headers do)."""


class HelpScreen(ModalScreen[None]):
    """A modal listing every binding of the screen below, then the global keys."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", N_("Close"), id="help-close")]

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
            name = screen_name(below) or _("This screen")
            self._section(table, name, self._ours(type(below).BINDINGS))
            self._section(table, _("Everywhere"), self._ours(type(self.app).BINDINGS))
        general = [(None, _(key), _(what)) for key, what in GENERAL_KEYS]
        self._section(table, _("In lists and forms"), general)
        with VerticalScroll(id="help-scroll"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    @staticmethod
    def _ours(bindings: list) -> list[tuple[object, str, str]]:
        """rapport's own bindings (they carry an id), with the longer wording,
        in the language shown (descriptions and tooltips are marked ``N_``).

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
                mode = binding.id.removeprefix("mode-")
                what = SCREEN_NAMES.get(mode, mode.capitalize())
            what = _(what)
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
        for __, key, what in rows:
            table.add_row(Text(key), Text(what))
        table.add_row(Text(""), Text(""))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
