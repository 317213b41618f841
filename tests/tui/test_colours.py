"""Lateness colours on 16-colour, 256-colour and truecolor terminals (issue #18,
point 7): severity keeps its order (yellow for mildly late, red for badly late,
never magenta) and WCAG AA contrast (4.5:1), on the selected row too."""

from __future__ import annotations

import pytest
from rich.color import Color, ColorSystem
from rich.terminal_theme import DEFAULT_TERMINAL_THEME

from tui.widgets.safe import AMBER, RED, SELECTED

YELLOWS, REDS, MAGENTAS = {3, 11}, {1, 9}, {5, 13}


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(tuple(a.get_truecolor(DEFAULT_TERMINAL_THEME))),
                     luminance(tuple(b.get_truecolor(DEFAULT_TERMINAL_THEME)))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_16_colours_keep_the_order_yellow_then_red_never_magenta():
    amber = Color.parse(AMBER).downgrade(ColorSystem.STANDARD).number
    red = Color.parse(RED).downgrade(ColorSystem.STANDARD).number
    assert amber in YELLOWS and red in REDS
    assert amber not in MAGENTAS and red not in MAGENTAS


@pytest.mark.parametrize("system", [ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT])
@pytest.mark.parametrize("background", ["#1e1e1e", "#121212", SELECTED])  # surface, background, selected row
def test_lateness_keeps_aa_contrast(system, background):
    bg = Color.parse(background).downgrade(system)
    for colour in (AMBER, RED):
        assert contrast(Color.parse(colour).downgrade(system), bg) >= 4.5, (colour, background, system)
    assert contrast(Color.parse("#ffffff").downgrade(system), bg) >= 4.5  # the selected row's own text


async def test_the_selected_row_uses_the_dark_selection(demo_app):
    from textual.color import Color as TextualColor

    from tui.widgets.table import Table

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause(0.2)
        table = pilot.app.screen.query_one(Table)
        table.focus()
        await pilot.pause()
        style = table.get_component_rich_style("table--cursor")
        assert style.bgcolor is not None
        assert TextualColor.from_rich_color(style.bgcolor) == TextualColor.parse(SELECTED)


async def test_disabled_keys_stay_readable(demo_app):
    """A key that does not apply to the row is dimmed, not grey on grey: 4.5:1
    against the bar, from the theme's resolved colours."""
    from textual.color import Color as TextualColor

    from tui.widgets.keybar import DISABLED_STYLE

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        variables = pilot.app.get_css_variables()
        background = TextualColor.parse(variables["footer-background"])
        foreground = TextualColor.parse(variables["footer-foreground"])
        percent = int(DISABLED_STYLE.rsplit(" ", 1)[1].rstrip("%"))
        dimmed = background.blend(foreground, percent / 100)
        for system in (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT):
            fg = Color.parse(dimmed.hex).downgrade(system)
            bg = Color.parse(background.hex).downgrade(system)
            assert contrast(fg, bg) >= 4.5, system


NO_COLOR_SCRIPT = r'''
import asyncio, os, re, sys, tempfile
from pathlib import Path
from storage.clock import FixedClock
from storage.store import Store
from tests.conftest import FIXED_DAY
from tests.tui.conftest import write_demo
from tui.app import build_app

async def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Store.open(write_demo(Path(tmp) / "d.json"), clock=FixedClock(FIXED_DAY)))
        async with app.run_test(size=(100, 30)) as pilot:
            for key in ("1", "2", "3", "5"):
                await pilot.press(key)
                await pilot.pause(0.3)
                svg = app.export_screenshot()
                for cls, body in re.findall(r'<text class="([^"]+)"[^>]*>([^<]*)</text>', svg):
                    if "!!" in body:
                        print(key, re.search(r"\." + cls + r" \{([^}]*)\}", svg).group(1).strip())
asyncio.run(main())
'''


def test_under_no_color_every_badly_late_cell_is_bold_reverse_video():
    """NO_COLOR turns colours to greys: every ``!!`` cell, on every screen and on
    the selected row too, is then bold and reversed (its text in the colour of
    its background), never plain."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "NO_COLOR": "1", "TEXTUAL_ANIMATIONS": "none", "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", NO_COLOR_SCRIPT], cwd=root, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.splitlines()
    # the Agenda's, the Clients' and the Jobs' (a deadline past, issue 18) !! cells
    assert {line.split()[0] for line in out} == {"1", "2", "5"}
    for line in out:
        fill = Color.parse(line.split("fill: ")[1].split(";")[0])
        assert "font-weight: bold" in line
        assert luminance(tuple(fill.get_truecolor())) < 0.05, line  # reversed: dark text on the light cell
