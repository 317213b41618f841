"""Snapshots of what issue #18 changed in the look of the screens: the board at
60x20, and the lateness colours as 16-colour, 256-colour and truecolor
terminals show them. The small demo set on the fixed day, 80x24 unless the
name says otherwise.

A terminal with fewer colours gets Textual's truecolor output downgraded by
Rich (Color.downgrade) as it is written; the pictures here apply that same
downgrade with a line filter (``App.get_line_filters``, public), each colour
then shown as a standard terminal palette shows it.
"""

from __future__ import annotations

from pathlib import Path

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.color import Color
from textual.filter import LineFilter

import tui.app as app_module
from tui.app import RapportApp


class Downgrade(LineFilter):
    """Every colour as a terminal with ``system`` colours shows it."""

    def __init__(self, system: ColorSystem) -> None:
        super().__init__()
        self.system = system

    def _colour(self, colour: RichColor | None) -> RichColor | None:
        if colour is None or colour.is_default:
            return colour
        return RichColor.from_triplet(colour.downgrade(self.system).get_truecolor(DEFAULT_TERMINAL_THEME))

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, style + Style(color=self._colour(style.color), bgcolor=self._colour(style.bgcolor))
                        if style else style, control) for text, style, control in segments]


def on_terminal(system: ColorSystem):
    class OnTerminal(RapportApp):
        CSS_PATH = str(Path(app_module.__file__).parent / RapportApp.CSS_PATH)  # relative to tui/, not here

        def get_line_filters(self):
            return [*super().get_line_filters(), Downgrade(system)]

    return OnTerminal


def test_board_60x20(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["3"], terminal_size=(60, 20))


def test_clients_16_colours(snap_compare, demo_store):
    assert snap_compare(on_terminal(ColorSystem.STANDARD)(demo_store), press=["2"], terminal_size=(80, 24))


def test_clients_256_colours(snap_compare, demo_store):
    assert snap_compare(on_terminal(ColorSystem.EIGHT_BIT)(demo_store), press=["2"], terminal_size=(80, 24))


def test_clients_truecolor(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["2"], terminal_size=(80, 24))


def test_board_16_colours(snap_compare, demo_store):
    assert snap_compare(on_terminal(ColorSystem.STANDARD)(demo_store), press=["3"], terminal_size=(80, 24))


def test_agenda_16_colours(snap_compare, demo_store):
    assert snap_compare(on_terminal(ColorSystem.STANDARD)(demo_store), terminal_size=(80, 24))
