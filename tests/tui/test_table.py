"""Table draws a one-line text cell exactly as DataTable does, only sooner."""

from __future__ import annotations

import pytest
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


def settle(table: DataTable) -> None:
    """What DataTable's idle handler does with the rows added since the last one."""
    if table._require_update_dimensions:
        table._require_update_dimensions = False
        new_rows = table._new_rows.copy()
        table._new_rows.clear()
        table._update_dimensions(new_rows)


class TwoTables(App):
    def compose(self) -> ComposeResult:
        yield Table(id="quick")
        yield DataTable(id="stock")


async def test_rows_added_give_the_size_and_widths_datatable_gives():
    # Table skips measuring new cells when every column has its own width; it
    # must end with the sizes DataTable computes, whatever the columns and rows.
    app = TwoTables()
    async with app.run_test(size=(80, 24)):
        quick, stock = app.query_one("#quick", Table), app.query_one("#stock", DataTable)

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(widths=st.lists(st.one_of(st.none(), st.integers(1, 20)), min_size=1, max_size=4),
               rows=st.lists(st.tuples(texts(), st.sampled_from([None, "label", "a longer label"]),
                                       st.sampled_from([1, 2, None])), max_size=6),
               batches=st.integers(1, 3))
        def same_sizes(widths: list[int | None], rows: list, batches: int) -> None:
            for table in (quick, stock):
                table.clear(columns=True)
                for width in widths:
                    table.add_column("heading", width=width)
                for index, (cell, label, height) in enumerate(rows):
                    table.add_row(*[cell.copy() for _ in widths], label=label, height=height)
                    if index % batches == 0:
                        settle(table)
                settle(table)
            assert quick.virtual_size == stock.virtual_size
            assert [c.get_render_width(quick) for c in quick.ordered_columns] == \
                   [c.get_render_width(stock) for c in stock.ordered_columns]
            assert quick._row_label_column_width == stock._row_label_column_width
            assert [r.height for r in quick.ordered_rows] == [r.height for r in stock.ordered_rows]

        same_sizes()


async def test_lines_map_to_rows_as_datatable_maps_them():
    # Table answers which row a line shows without listing every line when
    # all rows are one line high; any sequence of changes must agree.
    app = TwoTables()
    async with app.run_test(size=(80, 24)):
        quick, stock = app.query_one("#quick", Table), app.query_one("#stock", DataTable)

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(changes=st.lists(st.one_of(
            st.tuples(st.just("add"), st.sampled_from([1, 1, 1, 2, None])),
            st.tuples(st.just("remove"), st.integers(0, 20)),
            st.tuples(st.just("clear"), st.booleans())), max_size=25))
        def same_offsets(changes: list) -> None:
            for table in (quick, stock):
                table.clear(columns=True)
                table.add_column("c", width=5)
                added = 0
                for change, value in changes:
                    if change == "add":
                        table.add_row(Text(f"r{added}"), height=value, key=f"r{added}")
                        added += 1
                    elif change == "remove" and table.row_count:
                        table.remove_row(table.coordinate_to_cell_key((value % table.row_count, 0)).row_key)
                    elif change == "clear":
                        table.clear(columns=value)
                        if value:
                            table.add_column("c", width=5)
                settle(table)
            def named(table: DataTable, pair) -> tuple:
                key, offset = pair
                return ("header" if key is table._header_row_key else key.value, offset)

            assert [named(quick, p) for p in quick._y_offsets] == [named(stock, p) for p in stock._y_offsets]
            assert quick._total_row_height == stock._total_row_height
            assert quick.virtual_size == stock.virtual_size
            for y in range(-1, quick._total_row_height + quick.header_height + 2):
                try:
                    expected = named(stock, stock._get_offsets(y))
                except LookupError:
                    with pytest.raises(LookupError):
                        quick._get_offsets(y)
                else:
                    assert named(quick, quick._get_offsets(y)) == expected

        same_offsets()
