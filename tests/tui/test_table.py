"""Table draws a one-line text cell exactly as DataTable does, only sooner."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.align import Align
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.widgets.table import Table

STYLES = ["bold", "dim", "italic underline", "red", "on blue", "reverse", "#ff8800 on #202020", "strike"]


@st.composite
def texts(draw) -> Text:
    plain = draw(st.text(st.sampled_from(list("ab Z9 ·…-€") + ["漢", "字", "é", "🎉", "\u05d0"]), max_size=24))
    text = Text(plain, style=draw(st.sampled_from(["", *STYLES])),
                justify=draw(st.sampled_from([None, "default", "left", "center", "right", "full"])),
                overflow=draw(st.sampled_from([None, "fold", "crop", "ellipsis"])),
                no_wrap=draw(st.sampled_from([None, True])))
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(plain)))
        text.stylize(draw(st.sampled_from(STYLES)), start, draw(st.integers(start, len(plain))))
    return text


class OneTable(App):
    def compose(self) -> ComposeResult:
        yield Table()


async def test_a_text_cell_is_drawn_as_datatable_draws_it():
    app = OneTable()
    async with app.run_test(size=(80, 24)):
        table = app.query_one(Table)

        @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(cell=texts(), heading=texts(), width=st.integers(1, 30), padding=st.integers(0, 2), cursor=st.booleans(),
               hover=st.booleans(), base=st.sampled_from([Style(), Style.parse("on #101010"), Style.parse("bold")]))
        def same_segments(cell: Text, heading: Text, width: int, padding: int, cursor: bool, hover: bool,
                          base: Style) -> None:
            table.clear(columns=True)
            table.cell_padding = padding
            table.add_column(heading)
            table.add_row(cell)
            for row in (0, -1):  # the cell, and its column's heading
                table._clear_caches()
                expected = DataTable._render_cell(table, row, 0, base, width, cursor, hover)
                table._clear_caches()
                drawn = table._render_cell(row, 0, base, width, cursor, hover)
                assert drawn == expected
                assert table._render_cell(row, 0, base, width, cursor, hover) is drawn  # cached

        same_segments()


async def test_other_cells_are_left_to_datatable(monkeypatch):
    app = OneTable()
    async with app.run_test(size=(80, 24)):
        table = app.query_one(Table)
        table.add_column("c")
        table.add_row(Align.right(Text("not a Text")), label="label")
        table.add_row(Text("two\nlines"), height=2)
        table.add_row(Text("a\ttab"))
        calls: list[tuple[int, int]] = []
        original = DataTable._render_cell

        def counting(self, row, column, *args, **kwargs):
            calls.append((row, column))
            return original(self, row, column, *args, **kwargs)

        monkeypatch.setattr(DataTable, "_render_cell", counting)
        for row, column in [(0, -1), (0, 0), (1, 0), (2, 0)]:
            table._render_cell(row, column, Style(), 10)
        assert calls == [(0, -1), (0, 0), (1, 0), (2, 0)]
