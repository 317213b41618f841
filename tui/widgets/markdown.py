"""Markdown for user notes and drafts: raw HTML off, links never opened."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.content import Content
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownFence

from storage.text import visible

from .safe import UNBATCHED


def markdown_parser() -> MarkdownIt:
    """CommonMark plus tables, with raw HTML escaped (markdown-it's js-default)."""
    return MarkdownIt("js-default")


class NoteFence(MarkdownFence):
    """A code block in a note: highlighted in the language its fence names, and
    shown as plain text when it names none. Textual would guess the language
    by running every lexer Pygments has over it (~200 ms the first time,
    tens of ms each time after)."""

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        return super().highlight(code, language or "text", ansi=ansi, dark=dark)


class SafeMarkdown(Markdown):
    """Markdown for user notes and drafts: no raw HTML, links not opened."""

    BLOCKS = {**Markdown.BLOCKS, "fence": NoteFence, "code_block": NoteFence}

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(visible(markdown, keep_newlines=True), parser_factory=markdown_parser, open_links=False, **kwargs)

    def show(self, markdown: str) -> None:
        self.update(visible(markdown, keep_newlines=True))

    def update(self, markdown: str):
        """Textual's update, which mounts the blocks in a task of its own and
        holds every frame of the app (App.batch_update) while it does: a key
        pressed on the screen on show then waited for a note being drawn on
        another screen (100-200 ms). Off screen or hidden, the task runs with
        UNBATCHED set, and RapportApp.batch_update holds nothing for it."""
        off_screen = not self.display or not self.is_attached or self.screen is not self.app.screen
        token = UNBATCHED.set(off_screen)
        try:
            return super().update(markdown)  # the task copies the context now
        finally:
            UNBATCHED.reset(token)


EVERY_BLOCK = (
    "# 1\n\n## 2\n\n### 3", "#### 4\n\n##### 5\n\n###### 6\n\ntext", "> quote\n\n- item\n\n1. item\n\n---",
    "```\ncode\n```", "| a | b |\n| - | - |\n| 1 | 2 |",
)
"""Documents with, between them, a block of every kind. Textual adds a block
widget's CSS to the app's stylesheet when the first one mounts, and the next
switch to each screen then restyles all of it; mounted once each, hidden,
these bring them all in ahead of the notes that would, a few blocks at a time
(RapportApp._read_markdown_css)."""
