"""The draft preview: a message drafted from its template, ready to go out.

rapport drafts and never sends on its own. From here the freelancer copies the
text (OSC 52, which works over SSH), saves it as ``.md`` or ``.eml``, edits it in
``$EDITOR``, pipes it to the configured mail command, and finally marks it sent,
which logs the contact (and, for a reminder, the reminder level).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from storage.drafts import header_words
from storage.errors import UserError
from storage.jsonfile import atomic_write, ensure_private_dir
from storage.mail import eml
from storage.text import one_line

from .widgets.keybar import KeyBar
from .widgets.markdown import SafeMarkdown


class DraftScreen(ModalScreen[bool]):
    """Preview of one drafted message. Dismisses True once marked sent."""

    BINDINGS = [
        Binding("c", "copy", "Copy", id="draft-copy"),
        Binding("s", "save_md", "Save .md", id="draft-save-md"),
        Binding("S", "save_eml", "Save .eml", id="draft-save-eml"),
        Binding("e", "edit", "Edit", id="draft-edit"),
        Binding("p", "pipe", "Pipe to mail", id="draft-pipe"),
        Binding("x", "mark_sent", "Mark sent", id="draft-mark-sent"),
        Binding("escape,q", "close", "Close", id="draft-close"),
    ]
    KEY_PRIORITY = ("draft-mark-sent", "draft-copy", "draft-edit", "draft-save-md", "draft-pipe")
    """The keys the key bar keeps first when it is short of room (tui.widgets.keybar)."""

    DEFAULT_CSS = """
    DraftScreen { align: center middle; }
    DraftScreen > Vertical { width: 100%; max-width: 100; height: 100%; background: $surface; border: thick $primary; }
    DraftScreen #draft-head { height: auto; padding: 0 1; background: $boost; }
    DraftScreen #draft-body { height: 1fr; }
    DraftScreen #draft-warning { color: $warning; height: auto; padding: 0 1; }
    """

    def __init__(self, draft: Any, *, folder: Path, from_addr: str, mail_command: str,
                 mark_sent: Callable[[Any], str]) -> None:
        super().__init__()
        self.draft = draft
        self.folder = folder
        self.from_addr = from_addr
        self.mail_command = mail_command
        self._mark_sent = mark_sent

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._head(), id="draft-head")
            yield Static(Text(self._warning()), id="draft-warning")
            with VerticalScroll(id="draft-body"):
                yield SafeMarkdown(self.draft.body, id="draft-markdown")
            yield KeyBar()

    def _warning(self) -> str:
        parts = []
        if self.draft.unknown:
            parts.append("unknown placeholders left as typed: " + ", ".join("{" + n + "}" for n in self.draft.unknown))
        missing = getattr(self.draft, "missing", ())
        if missing:
            parts.append("nothing to fill " + ", ".join("{" + n + "}" for n in missing) + " with (see the settings)")
        text = "; ".join(parts)
        return one_line(text[:1].upper() + text[1:])

    def _head(self) -> Text:
        """To, Cc and Subject, in the draft's own language (Para, CC, Asunto)."""
        words = header_words(self.draft.language)
        head = Text()
        head.append(f"{words['to']}: ", style="bold")
        head.append(one_line(self.draft.recipient or "(no email address)"))
        if self.draft.cc:
            head.append(f"\n{words['cc']}: ", style="bold")
            head.append(one_line(self.draft.copied))
        head.append(f"\n{words['subject']}: ", style="bold")
        head.append(one_line(self.draft.subject))
        return head

    def on_mount(self) -> None:
        self.query_one("#draft-warning").display = bool(self._warning())
        self.query_one("#draft-body").focus()

    # -- actions -------------------------------------------------------------- #

    def _text(self) -> str:
        return self.draft.as_markdown()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self._text())
        self.notify("Sent to the terminal's clipboard (OSC 52)")

    def _target(self, suffix: str) -> Path:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{self.draft.kind}-{self.draft.subject}").strip("-")[:60] or "draft"
        return self.folder / f"{slug}{suffix}"

    def _save(self, suffix: str, payload: str) -> None:
        target = self._target(suffix)
        try:
            ensure_private_dir(self.folder)
            atomic_write(target, payload.encode("utf-8"))
        except OSError as exc:
            self.notify(f"Could not save the draft: {exc.strerror}", severity="error")
            return
        self.notify(Text(f"Saved {target}").plain, markup=False)

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
            self.notify(f"Could not run the editor {editor!r}: {exc}", severity="error", markup=False)
            return
        finally:
            Path(path).unlink(missing_ok=True)
        self.draft = dataclasses.replace(self.draft, body=body)
        self.query_one("#draft-markdown", SafeMarkdown).show(body)
        self.notify("Draft updated from the editor")

    def action_pipe(self) -> None:
        if not self.mail_command.strip():
            self.notify("No mail command set (e.g. 'msmtp -t'); set it in the settings", severity="warning")
            return
        try:
            result = subprocess.run(shlex.split(self.mail_command), input=self._eml().encode("utf-8"),
                                    capture_output=True, timeout=60, check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            self.notify(f"The mail command failed: {exc}", severity="error", markup=False)
            return
        if result.returncode:
            error = one_line(result.stderr.decode("utf-8", "replace"))[:200]
            self.notify(f"The mail command exited {result.returncode}: {error}", severity="error", markup=False)
            return
        self.notify("Handed to the mail command. Press x to mark it sent.")

    def action_mark_sent(self) -> None:
        try:
            message = self._mark_sent(self.draft)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        self.dismiss(True)
        self.app.saved(message)  # the app is a Host (tui.host): the change is u's to undo

    def action_close(self) -> None:
        self.dismiss(False)
