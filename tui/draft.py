"""The draft preview: a message drafted from its template, ready to go out.

rapport drafts and never sends on its own. From here the freelancer copies the
text (OSC 52, which works over SSH), saves it as ``.md`` or ``.eml``, edits it in
``$EDITOR``, pipes it to the configured mail command, and finally marks it sent,
which logs the contact (and, for a reminder, the reminder level).

A placeholder left unfilled (``{signature}`` while the settings have no name,
say) stays in the text as written: the preview marks it, says which setting
fills it (``,`` opens the settings from here, and the draft is made again),
and marking the message sent or piping it asks first.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from storage.drafts import from_address, header_words
from storage.errors import UserError
from storage.jsonfile import atomic_write, ensure_private_dir
from storage.mail import eml
from storage.settings_keys import SETTING_LABELS
from storage.templates import settings_to_fill
from storage.text import one_line

from .i18n import N_, _
from .widgets.keybar import KeyBar
from .widgets.markdown import SafeMarkdown

_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def mark_unfilled(markdown: str, names: Iterable[str]) -> str:
    """The draft's Markdown as the preview shows it: each unfilled placeholder
    as inline code, so it stands out (DraftScreen's style), its text exactly as
    written. Code, and lines with backticks of their own, are left as they are.
    Only the preview: what is copied, saved or sent is the draft itself."""
    tokens = ["{" + name + "}" for name in names]
    if not tokens:
        return markdown
    lines = markdown.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and "`" not in line and not line.startswith("    "):
            for token in tokens:
                line = line.replace(token, f"`{token}`")
            lines[index] = line
    return "\n".join(lines)


def unfilled_words(draft: Any) -> list[str]:
    """What the preview says of the placeholders still unfilled in ``draft``, in
    the language shown: for one a setting fills (storage.templates), which
    setting, and where."""
    names = draft.unfilled
    to_fill = settings_to_fill(names)
    lines = []
    for name, keys in to_fill.items():
        labels = [_(SETTING_LABELS[key]) for key in keys]
        which = labels[0] if len(labels) == 1 else _("{first} (or {others})").format(
            first=labels[0], others=", ".join(labels[1:]))
        lines.append(_("{placeholder} is empty: set {which} in Settings (,)").format(
            placeholder="{" + name + "}", which=which))
    other = [name for name in names if name not in to_fill and name not in draft.unknown]
    if other:
        lines.append(_("Nothing to fill {names} with here: edit the draft (e)").format(
            names=", ".join("{" + name + "}" for name in other)))
    unknown = [name for name in names if name in draft.unknown]
    if unknown:
        lines.append(_("Unknown placeholders left as typed: {names}").format(
            names=", ".join("{" + one_line(name) + "}" for name in unknown)))
    return lines


class DraftScreen(ModalScreen[bool]):
    """Preview of one drafted message. Dismisses True once marked sent."""

    BINDINGS = [
        Binding("c", "copy", N_("Copy"), id="draft-copy", tooltip=N_("Copy the message (OSC 52)")),
        Binding("s", "save_md", N_("Save .md"), id="draft-save-md",
                tooltip=N_("Save the message as Markdown beside the data file (drafts/)")),
        Binding("S", "save_eml", N_("Save .eml"), id="draft-save-eml",
                tooltip=N_("Save the message as an e-mail file beside the data file (drafts/)")),
        Binding("e", "edit", N_("Edit"), id="draft-edit", tooltip=N_("Edit the message in $EDITOR")),
        Binding("p", "pipe", N_("Pipe to mail"), id="draft-pipe", tooltip=N_("Hand the message to the mail command")),
        Binding("x", "mark_sent", N_("Mark sent"), id="draft-mark-sent",
                tooltip=N_("Mark the message sent: the contact is logged")),
        Binding("comma", "settings", N_("Settings"), key_display=",", id="draft-settings",
                tooltip=N_("Settings: your name and sign-off fill the placeholders marked")),
        Binding("escape,q", "close", N_("Close"), id="draft-close"),
    ]
    KEY_PRIORITY = ("draft-mark-sent", "draft-settings", "draft-copy", "draft-edit", "draft-save-md", "draft-pipe")
    """The keys the key bar keeps first when it is short of room (tui.widgets.keybar)."""

    DEFAULT_CSS = """
    DraftScreen { align: center middle; }
    DraftScreen > Vertical { width: 100%; max-width: 100; height: 100%; background: $surface; border: thick $primary; }
    DraftScreen #draft-head { height: auto; padding: 0 1; background: $boost; }
    DraftScreen #draft-body { height: 1fr; }
    DraftScreen #draft-warning { color: $warning; height: auto; padding: 0 1; }
    /* An unfilled placeholder (mark_unfilled): amber on a tint, and underlined for no colour. */
    DraftScreen #draft-markdown MarkdownBlock > .code_inline { text-style: bold underline; }
    """

    def __init__(self, draft: Any, *, folder: Path, from_addr: str, mail_command: str,
                 mark_sent: Callable[[Any], str],
                 confirm: Callable[[Text, str], Screen[bool]] | None = None,
                 redraft: Callable[[], Any] | None = None) -> None:
        """``confirm(question, yes)``: the screen that asks before a message
        with a placeholder unfilled is marked sent or piped (tui.modals'
        ConfirmModal, handed in by the flow: a sibling of this module).
        ``redraft()``: the draft made again, once the settings may have changed."""
        super().__init__()
        self.draft = draft
        self.folder = folder
        self.from_addr = from_addr
        self.mail_command = mail_command
        self._mark_sent = mark_sent
        self._confirm = confirm
        self._redraft = redraft
        self._edited = False  # edited in $EDITOR: never drafted again over the edit
        self._resumed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._head(), id="draft-head")
            yield Static(Text(self._warning()), id="draft-warning")
            with VerticalScroll(id="draft-body"):
                yield SafeMarkdown(mark_unfilled(self.draft.body, self.draft.unfilled), id="draft-markdown")
            yield KeyBar()

    def _warning(self) -> str:
        return "\n".join(one_line(line) for line in unfilled_words(self.draft))

    def _head(self) -> Text:
        """To, Cc and Subject, in the draft's own language (Para, CC, Asunto)."""
        words = header_words(self.draft.language)
        head = Text()
        head.append(f"{words['to']}: ", style="bold")
        head.append(one_line(self.draft.recipient or _("(no email address)")))
        if self.draft.cc:
            head.append(f"\n{words['cc']}: ", style="bold")
            head.append(one_line(self.draft.copied))
        head.append(f"\n{words['subject']}: ", style="bold")
        subject = Text(one_line(self.draft.subject))
        subject.highlight_words(["{" + name + "}" for name in self.draft.unfilled], style="bold reverse")
        head.append_text(subject)
        return head

    def on_mount(self) -> None:
        self.query_one("#draft-warning").display = bool(self._warning())
        self.query_one("#draft-body").focus()

    def _show(self) -> None:
        """Show ``self.draft`` again: made again, or edited."""
        self.query_one("#draft-head", Static).update(self._head())
        warning = self.query_one("#draft-warning", Static)
        warning.update(Text(self._warning()))
        warning.display = bool(self._warning())
        self.query_one("#draft-markdown", SafeMarkdown).show(mark_unfilled(self.draft.body, self.draft.unfilled))
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        # Back from the settings (``,``): a name or sign-off set there fills
        # the draft, made again, unless it was edited by hand meanwhile.
        if not self._resumed:
            self._resumed = True  # its first show: nothing changed yet
            return
        if self._redraft is None:
            return
        settings = self.app.store.settings()  # type: ignore[attr-defined]
        self.from_addr, self.mail_command = from_address(settings), settings.mail_command
        if self._edited:
            return
        try:
            fresh = self._redraft()
        except UserError:
            return  # what it was drafted for changed meanwhile: this draft stands
        if fresh != self.draft:
            self.draft = fresh
            self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "settings":  # only while a setting would fill a placeholder left unfilled
            return bool(settings_to_fill(self.draft.unfilled))
        return True

    async def action_settings(self) -> None:
        await self.run_action("app.settings")

    def _ask_first(self, question: str, yes: str, then: Callable[[], None]) -> None:
        """Go ahead at once, or, with a placeholder unfilled, after asking:
        ``question`` (translated) names them in ``{names}``."""
        unfilled = self.draft.unfilled
        if not unfilled or self._confirm is None:
            then()
            return
        names = ", ".join("{" + one_line(name) + "}" for name in unfilled)
        words = Text(question.format(names=names))
        self.app.push_screen(self._confirm(words, yes), lambda sure: then() if sure else None)

    # -- actions -------------------------------------------------------------- #

    def _text(self) -> str:
        return self.draft.as_markdown()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self._text())
        self.notify(_("Sent to the terminal's clipboard (OSC 52)"))

    def _target(self, suffix: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{self.draft.kind}-{self.draft.subject}").strip("-")[:60] or "draft"
        return self.folder / f"{slug}{suffix}"

    def _save(self, suffix: str, payload: str) -> None:
        target = self._target(suffix)
        try:
            ensure_private_dir(self.folder)
            atomic_write(target, payload.encode("utf-8"))
        except OSError as exc:
            self.notify(_("Could not save the draft: {error}").format(error=exc.strerror), severity="error",
                        markup=False)
            return
        self.notify(_("Saved {path}").format(path=target), markup=False)

    def action_save_md(self) -> None:
        self._save(".md", self._text())

    def _eml(self) -> str:
        """The message as sent: the text, and the PDF of each invoice it is about."""
        store = self.app.store
        return eml(self.draft, store.snapshot(), from_addr=self.from_addr, now=store.clock.now())

    def action_save_eml(self) -> None:
        self._save(".eml", self._eml())

    def action_edit(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as handle:
            handle.write(self.draft.body)
            path = handle.name
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), path], check=False)
            body = Path(path).read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            self.notify(_("Could not run the editor {editor}: {error}").format(editor=repr(editor), error=exc),
                        severity="error", markup=False)
            return
        finally:
            Path(path).unlink(missing_ok=True)
        self.draft = dataclasses.replace(self.draft, body=body)
        self._edited = True
        self._show()
        self.notify(_("Draft updated from the editor"))

    def action_pipe(self) -> None:
        if not self.mail_command.strip():
            self.notify(_("No mail command set (e.g. 'msmtp -t'); set it in the settings"), severity="warning",
                        markup=False)
            return
        self._ask_first(_("{names} still unfilled in this message. Pipe it to the mail command as it is?"),
                        _("Pipe it"), self._pipe)

    def _pipe(self) -> None:
        try:
            result = subprocess.run(shlex.split(self.mail_command), input=self._eml().encode("utf-8"),
                                    capture_output=True, timeout=60, check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            self.notify(_("The mail command failed: {error}").format(error=exc), severity="error", markup=False)
            return
        if result.returncode:
            error = one_line(result.stderr.decode("utf-8", "replace"))[:200]
            self.notify(_("The mail command exited {code}: {error}").format(code=result.returncode, error=error),
                        severity="error", markup=False)
            return
        self.notify(_("Handed to the mail command. Press x to mark it sent."))

    def action_mark_sent(self) -> None:
        self._ask_first(_("{names} still unfilled in this message. Mark it sent as it is?"), _("Mark sent"),
                        self._mark_sent_now)

    def _mark_sent_now(self) -> None:
        try:
            message = self._mark_sent(self.draft)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        self.dismiss(True)
        self.app.saved(message)  # the app is a Host (tui.host): the change is u's to undo

    def action_close(self) -> None:
        self.dismiss(False)
