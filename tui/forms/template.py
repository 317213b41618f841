"""The template form: a template's subject (one line) and body (Markdown, in a
TextArea). ``ctrl+s`` saves through the store, which refuses a placeholder it
does not know, naming every one there is; the form then stays open with the
text as typed, so nothing is lost. ``escape`` cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from storage.errors import UserError
from storage.store import Store
from storage.text import visible

from ..i18n import N_, _


class TemplateForm(ModalScreen[bool]):
    """Edit one template; dismisses True once the store saved it."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="template-save"),
        Binding("escape", "cancel", N_("Cancel"), id="template-cancel"),
    ]

    DEFAULT_CSS = """
    TemplateForm { align: center middle; }
    TemplateForm > Vertical { width: 100; max-width: 100%; height: 100%; max-height: 40;
        border: round $primary; background: $surface; padding: 0 1; }
    TemplateForm .template-title { text-style: bold; height: auto; }
    TemplateForm .template-label { color: $text-muted; height: 1; }
    TemplateForm #template-subject { width: 1fr; }
    TemplateForm #template-body { height: 1fr; min-height: 4; }
    TemplateForm #template-error-box { height: auto; max-height: 8; }
    TemplateForm #template-error-box.-empty { display: none; }
    TemplateForm #template-error { color: $error; height: auto; }
    TemplateForm .template-help { color: $text-muted; height: 1; }
    """

    def __init__(self, store: Store, name: str, language: str, *, subject: str | None = None,
                 body: str | None = None, error: str = "") -> None:
        """``subject``/``body``: what to start with instead of the template as
        stored (an edit made in $EDITOR that was refused), ``error`` why."""
        super().__init__()
        self._store = store
        self.template_name = name
        self.language = language
        current = store.template(name, language)
        self._start = (current.subject if subject is None else subject, current.body if body is None else body)
        self._error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Template {name} ({language})").format(name=self.template_name,
                                                                        language=self.language)),
                         classes="template-title")
            yield Static(_("Subject"), classes="template-label", markup=False)
            yield Input(visible(self._start[0]), id="template-subject", compact=True, select_on_focus=False)
            yield Static(_("Body (Markdown, {placeholders})"), classes="template-label", markup=False)
            yield TextArea(visible(self._start[1], keep_newlines=True, keep_tabs=True), id="template-body",
                           soft_wrap=True, language=None, show_line_numbers=False)
            # A refusal lists every placeholder there is: it scrolls when the terminal is short.
            with VerticalScroll(id="template-error-box", classes="" if self._error else "-empty"):
                yield Static(Text(self._error), id="template-error", markup=False)
            yield Static(_("ctrl+s saves · escape cancels"), classes="template-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#template-body", TextArea).focus()

    def _texts(self) -> tuple[str, str]:
        """Subject and body as typed; a field left as shown is its text as
        stored, exactly (a control shown as a symbol is not stored as the symbol)."""
        subject = self.query_one("#template-subject", Input).value
        body = self.query_one("#template-body", TextArea).text
        if subject == visible(self._start[0]):
            subject = self._start[0]
        if body == visible(self._start[1], keep_newlines=True, keep_tabs=True):
            body = self._start[1]
        return subject, body

    def action_save(self) -> None:
        subject, body = self._texts()
        try:
            self._store.edit_template(self.template_name, self.language, subject=subject, body=body)
        except UserError as exc:
            self.query_one("#template-error", Static).update(Text(str(exc)))
            self.query_one("#template-error-box").remove_class("-empty")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
