"""User text on screen: always data, never markup, never terminal controls.

Every widget that shows something a person typed goes through these helpers:
``cell`` makes a Rich :class:`~rich.text.Text` (which is never parsed as markup)
with control characters replaced by visible symbols, and ``SafeMarkdown``
(tui.widgets.markdown, a module of its own: Textual's Markdown and markdown-it
cost more to import than the whole Agenda, which shows no notes) renders notes
and drafts with raw HTML off and links that are never opened on the server.
"""

from __future__ import annotations

import os

from rich.text import Text

from storage.text import one_line

AMBER = "#ffd75f"
"""Mildly late. Downgraded, it stays yellow: bright yellow (11) in 16 colours, 221 in 256."""
RED = "#ff8787"
"""Badly late. Bright red (9) in 16 colours, 210 in 256: never magenta, never
darker than amber reads as milder. Both keep WCAG AA (4.5:1) on the surface,
the background and the selected row (tests/tui/test_colours.py)."""
SELECTED = "#3a3a3a"
"""The selected row's background (app.tcss): a dark grey that keeps AA with
both in truecolor and 256 colours (237); bright black in 16."""

RICH_SEVERITY = (
    {"red": "bold reverse", "amber": "bold", "": ""}
    if os.environ.get("NO_COLOR")
    else {"red": f"bold {RED}", "amber": AMBER, "": ""}
)
"""A row's lateness, for Rich renderables and Content alike. Explicit colours,
not the ANSI names: Textual turns those into its own palette's (a yellow
that 16-colour terminals show as bright red, a red shown as magenta). With
NO_COLOR, Textual turns colours to greys: lateness is then bold, and badly
late reversed, in every cell that shows it."""

SEVERITY_MARK = {"red": "!!", "amber": "! ", "": "  "}
"""A row's lateness without colour, before the cell that is coloured: readable
with NO_COLOR, on a monochrome terminal, or read aloud."""


def cell(text: str, style: str = "") -> Text:
    """One line of user text as a Text: no markup, controls made visible."""
    return Text(one_line(text), style=style, no_wrap=True, overflow="ellipsis")
