"""The Templates screen: every message template, per kind and language.

Opened from the settings (``ctrl+t``, or its Templates button) and from the
command palette. A row per template and language, ``*`` when the person has
their own wording; under the list, the highlighted template's subject and the
start of its body.

* ``enter``/``e`` edits subject and body in a form (tui.forms.template);
  ``E`` in ``$EDITOR`` (the app is suspended meanwhile);
* ``v`` previews it filled for a client the person picks, drafted by
  ``storage.drafts.preview``: exactly what a real draft would say;
* ``r`` puts the shipped wording back, after asking.

Every change goes through the store and can be undone with ``u``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from storage.drafts import header_words
from storage.errors import UserError
from storage.languages import available_languages
from storage.templates import TEMPLATE_NAMES, parse_template_file, shipped_language
from storage.text import one_line, visible

from ..forms.template import TemplateForm
from ..host import Host
from ..i18n import N_, _
from ..modals import ConfirmModal, PickModal
from ..widgets.keybar import KeyBar
from ..widgets.markdown import SafeMarkdown

PREVIEW_LINES = 4
"""How many lines of the highlighted template's body the pane under the list shows."""


class TemplatesScreen(ModalScreen[None]):
    """Every template, per kind and language: edit, preview, reset."""

    CSS_PATH = "templates.tcss"

    BINDINGS = [
        Binding("e", "edit", N_("Edit"), id="templates-edit", tooltip=N_("Edit the subject and body here")),
        Binding("E", "editor", N_("$EDITOR"), id="templates-editor", tooltip=N_("Edit it in $EDITOR")),
        Binding("v", "preview", N_("Preview"), id="templates-preview", tooltip=N_("Preview it filled for a client")),
        Binding("r", "reset", N_("Reset"), id="templates-reset", tooltip=N_("Put the shipped wording back")),
        Binding("u", "undo", N_("Undo"), show=False, id="templates-undo",
                tooltip=N_("Undo the last change (until the next one)")),
        Binding("escape", "close", N_("Close"), id="templates-close"),
    ]
    KEY_PRIORITY = ("templates-edit", "templates-preview", "templates-reset", "templates-editor")
    """The keys the key bar keeps first when it is short of room (tui.widgets.keybar)."""

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.rows: list[tuple[str, str]] = [(name, lang) for name in TEMPLATE_NAMES for lang in available_languages()]

    def compose(self) -> ComposeResult:
        with Vertical(id="templates-box"):
            yield Static(Text(_("Templates · * your own wording · the rest as shipped")), id="templates-title")
            yield OptionList(id="templates-list")
            yield Static("", id="templates-detail", markup=False)
            yield KeyBar()

    def on_mount(self) -> None:
        self.show_rows()
        mine = str(self.host.store.settings().language)  # start on the first template in the person's language
        options = self.query_one(OptionList)
        options.highlighted = next((i for i, (_name, lang) in enumerate(self.rows) if lang == mine), 0)
        self.watch(self.app, "data_version", self._data_changed, init=False)
        options.focus()

    def _data_changed(self, _version: int) -> None:
        self.show_rows()

    # -- what is shown ---------------------------------------------------------- #

    def _row(self, name: str, lang: str) -> Text:
        store = self.host.store
        template = store.template(name, lang)
        edited = store.template_is_edited(name, lang)
        text = Text(f"{name:<10} {lang:<3} {'*' if edited else ' '} ")
        text.append(one_line(template.subject))
        if not edited and shipped_language(name, lang) != lang:
            text.append("  " + _("(shipped in {language})").format(language=shipped_language(name, lang)),
                        style="dim")
        return text

    def show_rows(self) -> None:
        """The list again, from the store, keeping the highlighted row."""
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.clear_options()
        options.add_options([Option(self._row(name, lang), id=f"{name}:{lang}") for name, lang in self.rows])
        options.highlighted = min(keep, len(self.rows) - 1)
        self._show_detail()

    @property
    def current(self) -> tuple[str, str]:
        """(name, language) of the highlighted row."""
        index = self.query_one(OptionList).highlighted or 0
        return self.rows[index]

    def _show_detail(self) -> None:
        name, lang = self.current
        template = self.host.store.template(name, lang)
        lines = template.body.splitlines()[:PREVIEW_LINES]
        text = Text()
        text.append(_("Subject: {subject}").format(subject=one_line(template.subject)), style="bold")
        text.append("\n" + "\n".join(visible(line) for line in lines))
        self.query_one("#templates-detail", Static).update(text)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    # -- actions -------------------------------------------------------------- #

    def _saved(self, message: str, name: str, lang: str) -> None:
        """``message`` (translated) names the template in ``{name}`` and ``{language}``."""
        self.host.saved(message.format(name=name, language=lang))

    def action_edit(self, subject: str | None = None, body: str | None = None, error: str = "") -> None:
        name, lang = self.current

        def done(saved: Any) -> None:
            if saved:
                self._saved(_("Template {name} ({language}) edited"), name, lang)

        form = TemplateForm(self.host.store, name, lang, subject=subject, body=body, error=error)
        self.app.push_screen(form, done)

    def action_editor(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(_("Set $EDITOR to edit templates in your editor; e edits them here."), severity="warning",
                        markup=False)
            return
        name, lang = self.current
        store = self.host.store
        template = store.template(name, lang)
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as handle:
            handle.write(f"Subject: {template.subject}\n\n{template.body}")
            path = handle.name
        try:
            with self.app.suspend():
                done = subprocess.run([*shlex.split(editor), path], check=False)
            text = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            self.notify(_("Could not run the editor {editor}: {error}").format(editor=repr(editor), error=exc),
                        severity="error", markup=False)
            return
        finally:
            Path(path).unlink(missing_ok=True)
        if done.returncode != 0:
            self.notify(_("The editor exited {code}: nothing saved").format(code=done.returncode), severity="warning",
                        markup=False)
            return
        try:
            subject, body = parse_template_file(text)
        except ValueError:
            subject, body = template.subject, text  # no subject line: the subject stays
        if (subject, body) == (template.subject, template.body):
            self.notify(_("No change"), markup=False)
            return
        try:
            store.edit_template(name, lang, subject=subject, body=body)
        except UserError as exc:  # refused: the form opens with the edit, so nothing is lost
            self.action_edit(subject=subject, body=body, error=str(exc))
            return
        self._saved(_("Template {name} ({language}) edited in $EDITOR"), name, lang)

    def action_preview(self) -> None:
        name, lang = self.current
        store = self.host.store
        clients = sorted(store.snapshot().clients, key=lambda c: (c.status != "active", c.name.casefold()))
        if not clients:
            self.notify(_("Add a client first: the preview fills the template for one."), severity="warning",
                        markup=False)
            return

        def picked(client_id: str | None) -> None:
            if client_id is None:
                return
            from storage.drafts import preview

            snapshot = store.snapshot()
            try:
                message = preview(snapshot, name, lang, snapshot.clients_by_id[client_id], self.host.today)
            except UserError as exc:
                self.notify(str(exc), severity="warning", markup=False)
                return
            self.app.push_screen(TemplatePreview(message))

        choices = [(c.id, Text(one_line(c.name))) for c in clients]
        self.app.push_screen(PickModal(_("Preview {name} ({language}) for which client?").format(
            name=name, language=lang), choices), picked)

    def action_reset(self) -> None:
        name, lang = self.current
        store = self.host.store
        if not store.template_is_edited(name, lang):
            self.notify(_("{name} ({language}) already has the shipped wording").format(name=name, language=lang),
                        markup=False)
            return

        def answer(yes: Any) -> None:
            if not yes:
                return
            try:
                store.reset_template(name, lang)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._saved(_("Template {name} ({language}) reset to the shipped wording"), name, lang)

        question = Text(_("Put the shipped wording back in {name} ({language})? Your wording is replaced.").format(
            name=name, language=lang))
        self.app.push_screen(ConfirmModal(question, yes=_("Reset")), answer)

    def action_undo(self) -> None:
        """``u`` as on every screen: a modal keeps the app's keys out, so it is
        bound here too. The list follows through ``data_version``."""
        undo = getattr(self.app, "action_undo", None)
        if undo is not None:
            undo()

    def action_close(self) -> None:
        self.dismiss(None)


class TemplatePreview(ModalScreen[None]):
    """A template filled for one client, as its draft would read. ``escape`` closes."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="preview-close")]

    def __init__(self, draft: Any) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        words = header_words(self.draft.language)
        head = Text()
        head.append(_("Preview") + " · ", style="bold")
        head.append(f"{words['to']}: ", style="bold")
        head.append(one_line(self.draft.recipient or _("(no email address)")))
        head.append(f"\n{words['subject']}: ", style="bold")
        head.append(one_line(self.draft.subject))
        missing = getattr(self.draft, "missing", ())
        note = ""
        if missing:
            note = _("Nothing to fill {names} with for this client").format(
                names=", ".join("{" + n + "}" for n in missing))
        with Vertical(id="preview-box"):
            yield Static(head, id="preview-head")
            yield Static(Text(one_line(note)), id="preview-note")
            with VerticalScroll(id="preview-body"):
                yield SafeMarkdown(self.draft.body, id="preview-markdown")
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#preview-note").display = bool(getattr(self.draft, "missing", ()))
        self.query_one("#preview-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
