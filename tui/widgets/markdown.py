"""Markdown for user notes and drafts: raw HTML off, links never opened."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown

from storage.text import visible


def markdown_parser() -> MarkdownIt:
    """CommonMark plus tables, with raw HTML escaped (markdown-it's js-default)."""
    return MarkdownIt("js-default")


class SafeMarkdown(Markdown):
    """Markdown for user notes and drafts: no raw HTML, links not opened."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(visible(markdown, keep_newlines=True), parser_factory=markdown_parser, open_links=False, **kwargs)

    def show(self, markdown: str) -> None:
        self.update(visible(markdown, keep_newlines=True))
