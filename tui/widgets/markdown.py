"""Markdown for user notes and drafts: raw HTML off, links never opened."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.content import Content
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownFence

from storage.text import visible


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
        super().__init__(
            visible(markdown, keep_newlines=True), parser_factory=markdown_parser, open_links=False, **kwargs
        )

    def show(self, markdown: str) -> None:
        self.update(visible(markdown, keep_newlines=True))


EVERY_BLOCK = (
    "# 1\n\n## 2\n\n### 3", "#### 4\n\n##### 5\n\n###### 6\n\ntext", "> quote\n\n- item\n\n1. item\n\n---",
    "```\ncode\n```", "| a | b |\n| - | - |\n| 1 | 2 |",
)
"""Documents with, between them, a block of every kind (for tests of notes)."""
