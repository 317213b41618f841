"""The Agenda's row list: a highlight that skips headings, scrolling, messages, literal text."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.rowlist import Row, RowList


def rows(count: int, heading_every: int = 5) -> list[Row]:
    out = []
    for n in range(count):
        if n % heading_every == 0:
            out.append(Row(Text(f"Heading {n}", style="bold underline"), id=f"head:{n}", disabled=True))
        else:
            out.append(Row(Text(f"row {n}"), id=f"row:{n}"))
    return out


class ListApp(App[None]):
    def __init__(self, content: list[Row]) -> None:
        super().__init__()
        self.content = content
        self.highlighted: list[str | None] = []
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield RowList(id="list")

    def on_mount(self) -> None:
        row_list = self.query_one(RowList)
        row_list.add_options(self.content)
        row_list.focus()

    def on_row_list_option_highlighted(self, event: RowList.OptionHighlighted) -> None:
        self.highlighted.append(event.option_id)

    def on_row_list_option_selected(self, event: RowList.OptionSelected) -> None:
        self.selected.append(event.option_id)


async def test_the_cursor_skips_headings_both_ways() -> None:
    app = ListApp(rows(12))
    async with app.run_test(size=(40, 10)) as pilot:
        row_list = app.query_one(RowList)
        await pilot.press("down")
        assert row_list.highlighted == 1
        await pilot.press("down", "down", "down")
        assert row_list.highlighted == 4
        await pilot.press("down")  # 5 is a heading
        assert row_list.highlighted == 6
        await pilot.press("up")
        assert row_list.highlighted == 4
        await pilot.pause()
        assert app.highlighted == ["row:1", "row:2", "row:3", "row:4", "row:6", "row:4"]


async def test_home_end_and_pages_land_on_rows_and_show_the_first_heading() -> None:
    app = ListApp(rows(60))
    async with app.run_test(size=(40, 10)) as pilot:
        row_list = app.query_one(RowList)
        await pilot.press("end")
        assert row_list.highlighted == 59
        assert row_list.scroll_offset.y > 0
        await pilot.press("home")
        assert row_list.highlighted == 1
        assert row_list.scroll_offset.y == 0  # the heading above the first row is in view
        await pilot.press("pagedown")
        assert row_list.highlighted is not None and row_list.highlighted >= 9
        assert not row_list.get_option_at_index(row_list.highlighted).disabled
        await pilot.press("pageup", "pageup")
        assert row_list.highlighted == 1 and row_list.scroll_offset.y == 0


async def test_moving_up_to_the_first_row_scrolls_its_heading_back_into_view() -> None:
    app = ListApp(rows(60))
    async with app.run_test(size=(40, 10)) as pilot:
        row_list = app.query_one(RowList)
        await pilot.press("end")
        for _ in range(70):
            await pilot.press("up")
        assert row_list.highlighted == 1
        assert row_list.scroll_offset.y == 0


async def test_the_highlighted_row_stays_on_screen() -> None:
    app = ListApp(rows(100))
    async with app.run_test(size=(40, 10)) as pilot:
        row_list = app.query_one(RowList)
        for _ in range(30):
            await pilot.press("down")
        await pilot.pause()
        top = row_list.scroll_offset.y
        assert top <= row_list.highlighted < top + row_list.scrollable_content_region.height


async def test_a_click_highlights_enter_and_a_double_click_choose_a_row_but_not_a_heading() -> None:
    app = ListApp(rows(12))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == ["row:1"]
        await pilot.click(RowList, offset=(3, 2))  # one click: highlighted, not chosen
        await pilot.pause()
        assert app.query_one(RowList).highlighted == 2
        assert app.selected == ["row:1"]
        await pilot.double_click(RowList, offset=(3, 3))
        await pilot.pause()
        assert app.selected == ["row:1", "row:3"]
        assert app.query_one(RowList).highlighted == 3
        await pilot.double_click(RowList, offset=(3, 5))  # a heading: nothing happens
        await pilot.pause()
        assert app.selected == ["row:1", "row:3"]
        assert app.query_one(RowList).highlighted == 3


async def test_text_is_drawn_literally_with_its_styles() -> None:
    hostile = "[bold red]not markup[/] [@click=app.quit]x[/]"
    content = [
        Row(Text("Heading", style="bold underline"), disabled=True),
        Row(Text(hostile), id="a"),
        Row(Text.assemble(("late", "bold red"), " client")),
    ]
    app = ListApp(content)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        row_list = app.query_one(RowList)
        lines = [row_list.render_line(y) for y in range(3)]
        assert lines[0].text.startswith("Heading")
        assert any(segment.style and segment.style.bold and segment.style.underline for segment in lines[0])
        assert lines[1].text.startswith(hostile)
        late = next(segment for segment in lines[2] if segment.text == "late")
        assert late.style.bold and late.style.color is not None and late.style.color.name == "red"
        assert all(line.cell_length == row_list.scrollable_content_region.width for line in lines)
        await pilot.double_click(RowList, offset=(20, 1))  # on the "link": chooses the row, runs nothing
        await pilot.pause()
        assert app.is_running and app.selected == ["a"]


async def test_clearing_and_refilling_keeps_ids_and_counts_right() -> None:
    app = ListApp(rows(10))
    async with app.run_test(size=(40, 10)) as pilot:
        row_list = app.query_one(RowList)
        await pilot.press("down")
        row_list.clear_options()
        assert row_list.option_count == 0 and row_list.highlighted is None
        await pilot.press("down", "up", "enter")  # nothing to move to: no error
        row_list.add_options(rows(4, heading_every=2))
        assert row_list.option_count == 4
        assert row_list.get_option_index("row:3") == 3
        assert row_list.virtual_size.height == 4


async def test_a_prompt_given_as_a_function_is_made_only_when_drawn() -> None:
    made: list[int] = []

    def prompt(n: int) -> Text:
        made.append(n)
        return Text(f"lazy {n}")

    app = ListApp([Row(lambda n=n: prompt(n), id=f"r{n}") for n in range(200)])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert 0 < len(made) <= 12  # the rows on screen
        row_list = app.query_one(RowList)
        assert row_list.get_option_at_index(150).prompt.plain == "lazy 150"  # made when read
        await pilot.press("end")
        await pilot.pause()
        assert 199 in made and len(made) < 40
