"""User text on screen: always data, never markup, never terminal controls.

Every widget that shows something a person typed goes through these helpers:
``cell`` makes a Rich :class:`~rich.text.Text` (which is never parsed as markup)
with control characters replaced by visible symbols, and ``SafeMarkdown``
renders notes and drafts with raw HTML off and links that are never opened on
the server.
"""

from __future__ import annotations

import os

from rich.text import Text

from storage.text import one_line

SEVERITY_STYLE = {"red": "bold $error", "amber": "$warning", "": ""}
"""Theme-aware styles (Content markup variables) for a row's lateness."""

RICH_SEVERITY = (
    {"red": "bold reverse", "amber": "bold", "": ""}
    if os.environ.get("NO_COLOR")
    else {"red": "bold red", "amber": "yellow", "": ""}
)
"""The same, for Rich renderables: the 16 basic colours, so any terminal shows
them. With NO_COLOR, Textual turns colours to greys and a dark red would vanish
into the background: lateness is then bold, and red is reversed."""


def cell(text: str, style: str = "") -> Text:
    """One line of user text as a Text: no markup, controls made visible."""
    return Text(one_line(text), style=style, no_wrap=True, overflow="ellipsis")


def __getattr__(name: str):
    # SafeMarkdown lives in its own module: Textual's Markdown widget and
    # markdown-it cost more to import than the whole Agenda, which has no notes.
    if name in ("SafeMarkdown", "markdown_parser"):
        from . import markdown

        return getattr(markdown, name)
    raise AttributeError(name)

