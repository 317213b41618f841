"""Small modals the screens and flows share: notes, a yes/no question, a pick
among a few things, and the choice of message to draft.

User text in them is data: shown through ``Text`` (never markup), stored
controls as visible symbols.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from storage.errors import UserError
from storage.models import Client
from storage.store import EditConflict
from storage.text import one_line, visible

from .host import Host
from .i18n import N_, _


class NotesModal(ModalScreen[bool]):
    """The client's notes (Markdown) in a multi-line editor. ``ctrl+s`` saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="notes-save"),
        Binding("escape", "cancel", N_("Cancel"), id="notes-cancel"),
    ]

    DEFAULT_CSS = """
    NotesModal { align: center middle; }
    NotesModal > Vertical { width: 100; max-width: 100%; height: 100%; max-height: 40;
        border: round $primary; background: $surface; padding: 0 1; }
    NotesModal .notes-title { text-style: bold; height: auto; }
    NotesModal TextArea { height: 1fr; }
    NotesModal #notes-error { color: $error; height: auto; }
    NotesModal #notes-error.-empty { display: none; }
    NotesModal .notes-help { color: $text-muted; height: 1; }
    """

    def __init__(self, app_: Host, client: Client, *, text: str | None = None, error: str = "") -> None:
        """``text``: what to start with instead of the stored notes (an edit
        made in $EDITOR that could not be saved), with ``error`` saying why."""
        super().__init__()
        self._store = app_.store
        self.client = client
        self._shown = visible(client.notes, keep_newlines=True, keep_tabs=True)
        self._start = self._shown if text is None else visible(text, keep_newlines=True, keep_tabs=True)
        self._error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Notes on {client}").format(client=one_line(self.client.name))), classes="notes-title")
            # Stored controls as visible symbols: nothing stored reaches the terminal raw.
            yield TextArea(self._start, id="notes-text", soft_wrap=True, language=None, show_line_numbers=False)
            yield Static(Text(self._error), id="notes-error", classes="" if self._error else "-empty", markup=False)
            yield Static(Text(_("ctrl+s saves · escape cancels · Markdown")), classes="notes-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)  # notes are mostly added to
        area.focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if text == self._shown:
            text = self.client.notes  # left as shown: the notes as stored, exactly
        error = self.query_one("#notes-error", Static)
        try:
            self._store.update_client(self.client.id, base=self.client, notes=text)
        except EditConflict as exc:
            self.client = exc.rebased(self.client)  # both shown: saving again keeps this text
            error.update(Text(str(exc)))
            error.remove_class("-empty")
            return
        except UserError as exc:
            error.update(Text(str(exc)))
            error.remove_class("-empty")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question. ``y`` confirms; ``n`` or ``escape`` cancels (the default)."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm-yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm-no"),
    ]

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 64; max-width: 100%; height: auto; border: thick $error;
        background: $surface; padding: 0 1; }
    ConfirmModal #confirm-question { height: auto; margin-bottom: 1; }
    ConfirmModal Horizontal { height: auto; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    def __init__(self, question: Text | str, *, yes: str | None = None, no: str | None = None) -> None:
        """``question`` and the labels come translated; "Yes" and "Cancel" by default."""
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.yes_label = yes if yes is not None else _("Yes")
        self.no_label = no if no is not None else _("Cancel")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question")
            with Horizontal():
                yield Button(self.no_label, id="confirm-no", compact=True)
                yield Button(self.yes_label, id="confirm-yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)


class PickModal(ModalScreen[str | None]):
    """Pick one of a few things (enter), or escape for none."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="pick-cancel")]

    DEFAULT_CSS = """
    PickModal { align: center middle; }
    PickModal > Vertical { width: 64; max-width: 100%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; }
    PickModal OptionList { height: auto; max-height: 20; border: none; }
    PickModal .pick-title { text-style: bold; padding: 0 1; }
    """

    def __init__(self, title: str, choices: list[tuple[str, Text]]) -> None:
        super().__init__()
        self.pick_title = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.pick_title), classes="pick-title")
            yield OptionList(*[Option(label, id=value) for value, label in self.choices])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


DRAFT_CHOICES = [
    ("checkin", "c", N_("Check-in")),
    ("update", "u", N_("Progress update")),
    ("change", "b", N_("Change of brief proposal")),
    ("raise", "r", N_("Price raise")),
    ("statement", "s", N_("Statement of what is owed")),
    ("farewell", "f", N_("Farewell")),
]


class DraftChoiceModal(ModalScreen[str | None]):
    """Which message to draft for a client: enter picks, or the letter shown."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="draft-choice-cancel")] + [
        Binding(letter, f"pick('{kind}')", label, show=False) for kind, letter, label in DRAFT_CHOICES
    ]

    DEFAULT_CSS = """
    DraftChoiceModal { align: center middle; }
    DraftChoiceModal > Vertical { width: 44; height: auto; border: round $primary; background: $surface; }
    DraftChoiceModal OptionList { height: auto; border: none; }
    DraftChoiceModal .draft-choice-title { text-style: bold; padding: 0 1; }
    """

    def __init__(self, client_name: str) -> None:
        super().__init__()
        self.client_name = client_name

    def compose(self) -> ComposeResult:
        with Vertical():
            title = _("Draft for {client}").format(client=one_line(self.client_name))
            yield Static(Text(title), classes="draft-choice-title")
            yield OptionList(*[Option(Text(f"{letter}  {_(label)}"), id=kind) for kind, letter, label in DRAFT_CHOICES])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, kind: str) -> None:
        self.dismiss(kind)

    def action_cancel(self) -> None:
        self.dismiss(None)
