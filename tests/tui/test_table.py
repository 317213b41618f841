"""Table: one-line cells under a heading line, a row cursor, on the Line API.

What the screens rely on: every line is exactly the table's width whatever the
cells, user text shows literally (no markup, controls made visible), the
cursor stays on a row and in view, the keys and the mouse move it and say so
(RowHighlighted, RowSelected, HeaderSelected with the keys), and the colours
come from component classes a stylesheet can change.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message

from storage.text import one_line, visible
from tui.widgets.table import Table, fit_cell

STYLES = ["bold", "dim", "italic underline", "red", "on blue", "reverse", "#ff8800 on #202020", "strike"]
CHARS = [*"ab Z9 ·…-€[]/=@", "漢", "字", "é", "🎉", "\u05d0", "\x1b", "\x07", "\n", "\t", "\r", "\x9b", "\u202e"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def texts(draw) -> Text:
    plain = draw(st.text(st.sampled_from(CHARS), max_size=24))
    text = Text(plain, style=draw(st.sampled_from(["", *STYLES])),
                justify=draw(st.sampled_from([None, "default", "left", "center", "right", "full"])),
                overflow=draw(st.sampled_from([None, "fold", "crop", "ellipsis"])),
                no_wrap=draw(st.sampled_from([None, True])))
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text.plain)))
        text.stylize(draw(st.sampled_from(STYLES)), start, draw(st.integers(start, len(text.plain))))
    return text


cells = st.one_of(texts(), st.text(st.sampled_from(CHARS), max_size=24))


class OneTable(App):
    CSS = "Table { height: 1fr; }"  # as on the screens: its height whatever the rows

    def __init__(self, zebra: bool = False) -> None:
        super().__init__()
        self.zebra = zebra
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield Table(id="table", zebra_stripes=self.zebra)

    def on_table_row_highlighted(self, message: Table.RowHighlighted) -> None:
        self.messages.append(message)

    def on_table_row_selected(self, message: Table.RowSelected) -> None:
        self.messages.append(message)

    def on_table_header_selected(self, message: Table.HeaderSelected) -> None:
        self.messages.append(message)


def lines(table: Table) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def fill(table: Table, count: int) -> None:
    table.clear(columns=True)
    table.add_column("Name", key="name", width=12)
    table.add_column(Text("Amount", justify="right"), key="amount", width=8, justify="right")
    table.add_column("Note", key="note")
    table.add_rows((f"row-{i}", [Text(f"client {i}"), Text(f"{i * 10}"), f"note {i}"]) for i in range(count))


# -- drawing ------------------------------------------------------------------ #


@SETTINGS
@given(cell=texts(), width=st.integers(0, 30), justify=st.sampled_from(["left", "center", "right"]))
def test_a_cell_is_drawn_exactly_its_width_on_one_line(cell: Text, width: int, justify) -> None:
    from rich.console import Console

    segments = fit_cell(cell, width, justify, Console())
    assert Segment.get_line_length(segments) == width
    drawn = "".join(segment.text for segment in segments)
    assert drawn.isprintable() or not drawn.strip("\x20")  # no newline, tab, ESC... on screen
    shown = visible(cell.plain)
    if cell_len(shown) <= width:  # it fits: all of it, justified
        assert drawn.strip() == shown.strip()
    else:  # cut to the width, from its start
        assert shown.startswith(drawn.rstrip("…").rstrip()) or drawn.strip() == "…"


@pytest.mark.parametrize("size", [(80, 12), (41, 8), (23, 6)])
async def test_any_columns_and_rows_draw_lines_of_exactly_the_table_width(size):
    app = OneTable(zebra=True)
    async with app.run_test(size=size) as pilot:
        table = app.query_one(Table)
        table.focus()
        await pilot.pause()

        @SETTINGS
        @given(widths=st.lists(st.one_of(st.none(), st.integers(1, 20)), min_size=1, max_size=5),
               rows=st.lists(st.lists(cells, max_size=6), max_size=12), down=st.integers(0, 15),
               right=st.integers(0, 40), heading=texts())
        def exact_width(widths: list[int | None], rows: list[list], down: int, right: int, heading: Text) -> None:
            table.clear(columns=True)
            for index, width in enumerate(widths):
                table.add_column(heading if index == 0 else f"c{index}", key=f"c{index}", width=width,
                                 justify=["left", "right", "center"][index % 3])
            for index, row in enumerate(rows):
                table.add_row(*row, key=f"r{index}")
            table.move_cursor(row=down)
            table.scroll_to(x=right, animate=False, immediate=True)
            width = table.scrollable_content_region.width
            for y in range(table.size.height):
                strip = table.render_line(y)
                assert strip.cell_length == width
                assert strip.text.isprintable()

        exact_width()


async def test_user_text_is_drawn_literally_never_as_markup_or_controls():
    app = OneTable()
    async with app.run_test(size=(80, 8)) as pilot:
        table = app.query_one(Table)
        table.add_column("Text", key="text")

        @SETTINGS
        @given(cell=cells)
        def literal(cell: Text | str) -> None:
            table.clear()
            table.add_row("cursor here", key="first")
            table.add_row(cell, key="hostile")  # not under the cursor: drawn in the row's plain style
            shown = table.render_line(2)
            expected = one_line(cell) if isinstance(cell, str) else visible(cell.plain)
            assert expected.strip() in shown.text  # all of it fits: somewhere on the line, as justified
            assert shown.text.isprintable()
            if isinstance(cell, str) or not (cell.style or cell.spans):  # nothing asked for bold
                assert not any(segment.style and segment.style.bold for segment in shown)

        literal()
        # The same as the screens give it: markup-like text, an escape sequence, a newline.
        table.clear()
        table.add_row("x", key="first")
        table.add_row(Text("[b]Co[/b] [@click=app.quit]q\x1b[2J\nnext"), key="hostile")
        await pilot.pause()
        assert lines(table)[2].startswith(" [b]Co[/b] [@click=app.quit]q␛[2J␊next ")


async def test_cells_are_justified_cut_with_their_overflow_and_flexible_columns_take_the_rest():
    app = OneTable()
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(Table)
        table.add_column("Name", key="name", width=6)
        table.add_column("Amount", key="amount", width=7, justify="right")
        table.add_column("Rest", key="rest")
        table.add_row(Text("Bellweather", overflow="ellipsis"), "12", Text("mid", justify="center"), key="a")
        table.add_row(Text("Bellweather"), Text("3", justify="left"), "x", key="b")
        await pilot.pause()
        width = table.scrollable_content_region.width
        assert table.column_width("rest") == width - (6 + 2) - (7 + 2)  # the flexible column fills the line
        head, first, second = lines(table)[:3]
        assert head.startswith(" Name     Amount  Rest ")  # a heading is justified as its column
        rest = table.column_width("rest") - 2
        assert first == " Bellw…       12  " + "mid".center(rest) + " "
        assert second == " Bellwe  3        " + "x".ljust(rest) + " "


async def test_changes_show_at_once_update_remove_clear():
    app = OneTable()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(Table)
        fill(table, 5)
        await pilot.pause()
        assert lines(table)[3].startswith(" client 2")
        table.update_cell("row-2", "name", "renamed")
        assert lines(table)[3].startswith(" renamed ")
        assert [c.plain for c in table.get_row("row-2")] == ["renamed", "20", "note 2"]
        table.remove_row("row-1")
        assert table.row_count == 4 and table.get_row_index("row-3") == 2 and table.row_key_at(1) == "row-2"
        assert lines(table)[2].startswith(" renamed ")
        with pytest.raises(KeyError):  # a key names one row
            table.add_row("again", key="row-3")
        table.add_row("new", key="row-1")  # removed: free again
        assert table.row_count == 5 and table.get_row_index("row-1") == 4 and table.get_row_index("row-4") == 3
        table.clear()
        assert table.row_count == 0 and table.cursor_row == 0
        assert lines(table)[0].startswith(" Name ") and not lines(table)[1].strip()
        table.clear(columns=True)
        assert table.columns == () and not lines(table)[0].strip()


# -- the cursor and the keys --------------------------------------------------- #


async def test_the_cursor_stays_on_a_row_and_in_view_whatever_is_done():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(Table)
        await pilot.pause()
        actions = {"up": table.action_cursor_up, "down": table.action_cursor_down,
                   "pageup": table.action_page_up, "pagedown": table.action_page_down,
                   "home": table.action_first, "end": table.action_last}

        @SETTINGS
        @given(steps=st.lists(st.one_of(
            st.tuples(st.sampled_from(sorted(actions)), st.just(0)),
            st.tuples(st.just("add"), st.integers(1, 40)),
            st.tuples(st.just("remove"), st.integers(0, 100)),
            st.tuples(st.just("move"), st.integers(-5, 120)),
            st.tuples(st.just("clear"), st.just(0))), max_size=30))
        def in_range(steps: list[tuple[str, int]]) -> None:
            fill(table, 0)
            added = 0
            for step, value in steps:
                if step == "add":
                    table.add_rows((f"r{added + i}", [f"row {added + i}"]) for i in range(value))
                    added += value
                elif step == "remove" and table.row_count:
                    table.remove_row(table.row_key_at(value % table.row_count))
                elif step == "move":
                    table.move_cursor(row=value)
                elif step == "clear":
                    table.clear()
                elif step in actions:
                    actions[step]()
                if table.row_count:
                    assert 0 <= table.cursor_row < table.row_count
                else:
                    assert table.cursor_row == 0
            if table.row_count and step not in ("add", "remove", "clear"):  # moved last: shown
                shown = table.scrollable_content_region.height - 1
                assert table.scroll_y <= table.cursor_row < table.scroll_y + shown

        in_range()


async def test_keys_move_the_cursor_and_say_which_row():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(Table)
        fill(table, 100)
        table.focus()
        await pilot.pause()
        page = table.scrollable_content_region.height - 1  # rows under the heading
        app.messages.clear()
        for key, row in [("down", 1), ("down", 2), ("up", 1), ("pagedown", 1 + page), ("pageup", 1),
                         ("end", 99), ("down", 99), ("home", 0), ("up", 0)]:
            await pilot.press(key)
            assert table.cursor_row == row, key
            shown = lines(table)[1:]
            assert any(line.startswith(f" client {row} ") for line in shown), key  # in view
        await pilot.pause()
        highlighted = [m.row_key for m in app.messages if isinstance(m, Table.RowHighlighted)]
        assert highlighted == ["row-1", "row-2", "row-1", f"row-{1 + page}", "row-1", "row-99", "row-0"]
        await pilot.press("down", "enter")
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, Table.RowSelected)]
        assert [(m.row_key, m.cursor_row) for m in selected] == [("row-1", 1)]


async def test_a_cursor_moved_while_the_table_is_hidden_is_in_view_once_it_shows():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(Table)
        table.display = False
        await pilot.pause()
        fill(table, 100)
        table.move_cursor(row=80)
        await pilot.pause()
        table.display = True
        await pilot.pause()
        assert table.cursor_row == 80
        assert any(line.startswith(" client 80 ") for line in lines(table)[1:])


async def test_columns_wider_than_the_table_scroll_sideways_with_the_arrows():
    app = OneTable()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(Table)
        for name in ("first", "second", "third"):
            table.add_column(name.title(), key=name, width=20)
        table.add_row("a", "b", "c", key="row")
        table.focus()
        await pilot.pause()
        assert "Third" not in lines(table)[0]
        for _ in range(40):
            await pilot.press("right")
        assert "Third" in lines(table)[0] and " c " in lines(table)[1]
        assert table.cursor_row == 0
        for _ in range(40):
            await pilot.press("left")
        assert lines(table)[0].startswith(" First ")


async def test_the_row_under_a_click_is_the_row_selected():
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(Table)
        fill(table, 200)
        table.focus()
        await pilot.pause()
        for scroll in (0, 37, 190):
            table.move_cursor(row=scroll)
            await pilot.pause()
            for y in range(1, table.size.height):
                drawn = lines(table)[y]
                await pilot.click(Table, offset=(2, y))
                await pilot.pause()
                assert drawn.startswith(f" client {table.cursor_row} ")
        # A double click selects the row under it; a click on a heading names its column.
        app.messages.clear()
        await pilot.click(Table, offset=(2, 3), times=2)
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, Table.RowSelected)]
        assert [m.row_key for m in selected] == [table.row_key_at(table.cursor_row)]
        assert lines(table)[3].startswith(f" client {table.cursor_row} ")
        before = table.cursor_row
        for x, key in [(1, "name"), (13, "name"), (14, "amount"), (23, "amount"), (24, "note"), (30, "note")]:
            app.messages.clear()
            await pilot.click(Table, offset=(x, 0))
            await pilot.pause()
            assert [m.column_key for m in app.messages if isinstance(m, Table.HeaderSelected)] == [key], x
        assert table.cursor_row == before  # a heading never moves the cursor


# -- styles ------------------------------------------------------------------- #


class Themed(OneTable):
    CSS = """
    Table { height: 1fr; }
    Table > .table--header { background: #102030; }
    Table > .table--cursor { background: #aa0000; color: #ffffff; }
    Table:focus > .table--cursor { background: #00aa00; }
    Table > .table--even-row { background: #0000aa; }
    """


async def test_the_heading_cursor_and_stripes_take_their_colours_from_the_stylesheet():
    app = Themed(zebra=True)
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(Table)
        table.add_column("Name", key="name", width=10)
        table.add_column("Amount", key="amount", width=6)  # 20 of the 40 cells: the rows' style goes on
        for i in range(5):
            table.add_row(Text(f"client {i}", style="#cc0000"), Text(f"{i}", style="on #333333"), key=f"row-{i}")
        app.set_focus(None)
        await pilot.pause()

        def background(y: int) -> str:
            colours = {str(s.style.bgcolor.triplet.hex) for s in table.render_line(y)
                       if s.style and s.style.bgcolor and s.text.strip() != f"{y - 1}"}  # but a cell's own
            assert len(colours) == 1, colours  # the whole line, to the right edge
            return colours.pop()

        assert background(0) == "#102030"
        assert background(1) == "#aa0000"  # the cursor, the table not focused
        assert background(3) == "#0000aa"  # row 2: an even row
        assert background(2) != "#0000aa"
        table.focus()
        await pilot.pause()
        assert background(1) == "#00aa00"
        cursor_text = [s for s in table.render_line(1) if s.text.strip()]
        assert all(s.style.color.triplet.hex == "#ffffff" for s in cursor_text)  # over a cell's own colour
        assert [s.style.bgcolor.triplet.hex for s in cursor_text if s.text.strip() == "0"] == ["#333333"]
        assert table.render_line(2).text.strip().startswith("client 1")
        assert [s.style.color.triplet.hex for s in table.render_line(2) if "client" in s.text] == ["#cc0000"]
