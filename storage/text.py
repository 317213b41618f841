"""Showing user text safely in a terminal, and fitting it to columns.

Anything a person types is stored exactly as typed (docs/rules.md, "Storage
promises"), but it must never drive the terminal: an ESC starts an escape
sequence, BEL rings, C1 codes (U+0080-U+009F) are escape introducers on some
terminals, a carriage return overwrites the line, and bidi overrides reorder
everything after them. :func:`visible` turns each of those into a visible
symbol, so what reaches the screen is exactly one glyph per character typed.

The fitting helpers count terminal cells, not code points: East Asian wide
characters and most emoji take two cells, combining marks none, so a name full
of emoji is truncated to the same column as a plain one.

Only the standard library: this is imported by the fast, Textual-free CLI.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["visible", "one_line", "cell_width", "fit", "ELLIPSIS"]

ELLIPSIS = "\u2026"
"""What a truncated text ends with."""

_REPLACEMENT = "\ufffd"
"""Shown for C1 controls and bidi controls, which have no picture of their own."""

# C0 controls U+0000-U+001F become their "control pictures" U+2400-U+241F
# (ESC -> U+241B, BEL -> U+2407), DEL becomes U+2421; C1 controls and the bidi
# embedding/override/isolate controls become U+FFFD.
_BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20)},
    0x7F: "\u2421",
    **{code: _REPLACEMENT for code in range(0x80, 0xA0)},
    **{code: _REPLACEMENT for code in _BIDI_CONTROLS},
}


_TABLE_KEEP_TAB = {code: char for code, char in _TABLE.items() if code != 0x09}


def visible(text: str, *, keep_newlines: bool = False, keep_tabs: bool = False) -> str:
    """``text`` with every terminal control character replaced by a visible symbol.

    C0 controls show as their Unicode control pictures (ESC as ``␛``, BEL as
    ``␇``, TAB as ``␉``), DEL as ``␡``, C1 controls and bidi override/isolate
    controls as ``�``. With ``keep_newlines`` a plain ``\\n`` is kept (for
    multi-line notes); ``\\r`` is always replaced, since it would overwrite the
    line on screen. With ``keep_tabs`` a tab is kept too (a text editor
    widget shows it as spaces).
    """
    table = _TABLE_KEEP_TAB if keep_tabs else _TABLE
    if keep_newlines:
        return "\n".join(part.translate(table) for part in text.split("\n"))
    return text.translate(table)


def one_line(text: str) -> str:
    """``text`` for a one-line cell: whitespace runs (newlines and tabs included)
    collapse to one space, then the remaining controls are made :func:`visible`."""
    return visible(" ".join(text.split()))


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        # Combining marks and format characters (ZWJ, variation selectors)
        # join the previous cell.
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """How many terminal columns ``text`` takes (wide characters count 2)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def fit(text: str, width: int, *, align: str = "<") -> str:
    """``text`` made exactly ``width`` columns: truncated with an ellipsis when
    too long, padded with spaces when short (``align`` ``<`` left, ``>`` right)."""
    if width <= 0:
        return ""
    used = cell_width(text)
    if used > width:
        kept: list[str] = []
        used = 0
        for char in text:
            w = _char_width(char)
            if used + w > width - 1:
                break
            kept.append(char)
            used += w
        text = "".join(kept) + ELLIPSIS
        used += 1
    padding = " " * (width - used)
    return padding + text if align == ">" else text + padding
