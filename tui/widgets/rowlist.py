"""A list of one-line rows: the Agenda's list, drawn a line at a time.

Textual's OptionList measures every option's height and renders each through
the Visual machinery (wrapping, padding, a style per option). The Agenda's rows
are already fitted to the width, one line each, so none of that is needed: this
list draws only the rows on screen, each straight from its Rich ``Text``
(never markup), and keeps the drawn lines until the style or width changes.
It keeps the part of OptionList's interface the Agenda uses (``highlighted``,
``option_count``, ``get_option_at_index``, ``get_option_index``,
``clear_options``, ``add_options``, the highlighted/selected messages), and
disabled rows are headings the cursor skips.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..i18n import N_


class Row:
    """One line: its prompt (a Rich Text), an optional id, and whether it is a
    heading (``disabled``: shown, never highlighted).

    The prompt may be given as a function that makes it: it is then made when
    the row is first drawn (or read), so a long list costs only what is shown."""

    __slots__ = ("_make", "_prompt", "disabled", "id")

    def __init__(self, prompt: Text | Callable[[], Text], id: str | None = None, disabled: bool = False) -> None:
        if isinstance(prompt, Text):
            self._prompt: Text | None = prompt
            self._make = None
        else:
            self._prompt = None
            self._make = prompt
        self.id = id
        self.disabled = disabled

    @property
    def prompt(self) -> Text:
        if self._prompt is None:
            self._prompt = self._make()
            self._make = None
        return self._prompt

    def __repr__(self) -> str:
        return f"Row({self.prompt.plain!r}, id={self.id!r}, disabled={self.disabled})"


class RowList(ScrollView, can_focus=True):
    """A scrolling list of one-line rows with a highlight that skips headings."""

    COMPONENT_CLASSES = {"row-list--highlighted", "row-list--disabled"}

    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        & > .row-list--disabled {
            color: $text;
        }
        & > .row-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .row-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", N_("Up"), show=False),
        Binding("down", "cursor_down", N_("Down"), show=False),
        Binding("home", "first", N_("First"), show=False),
        Binding("end", "last", N_("Last"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("enter", "select", N_("Select"), show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, always_update=False)
    """The index of the highlighted row, or None."""

    class RowMessage(Message):
        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.option_index = index
            self.option = row_list.get_option_at_index(index)
            self.option_id = self.option.id

        @property
        def control(self) -> RowList:
            return self.row_list

    class OptionHighlighted(RowMessage):
        """The highlight moved to a row."""

    class OptionSelected(RowMessage):
        """A row was chosen (enter or a double click)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._index_of: dict[str, int] = {}
        self._strips: dict[tuple[int, Style, int], Strip] = {}

    # -- the rows ------------------------------------------------------------ #

    @property
    def option_count(self) -> int:
        return len(self._rows)

    def get_option_at_index(self, index: int) -> Row:
        return self._rows[index]

    def get_option_index(self, option_id: str) -> int:
        """The index of the row with this id (KeyError if there is none)."""
        return self._index_of[option_id]

    def clear_options(self) -> None:
        self._rows = []
        self._index_of = {}
        self._strips.clear()
        self.highlighted = None
        self._resized()

    def add_options(self, rows: Iterable[Row]) -> None:
        start = len(self._rows)
        self._rows.extend(rows)
        for index in range(start, len(self._rows)):
            row_id = self._rows[index].id
            if row_id is not None:
                self._index_of[row_id] = index
        self._resized()

    def _resized(self) -> None:
        self.virtual_size = Size(0, len(self._rows))
        self.refresh()

    # -- drawing ------------------------------------------------------------- #

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        if row.disabled:
            style = self.get_component_rich_style("row-list--disabled")
        elif index == self.highlighted:
            style = self.get_component_rich_style("row-list--highlighted")
        else:
            style = base
        key = (index, style, width)
        strip = self._strips.get(key)
        if strip is None:
            prompt = row.prompt
            console = self.app.console
            # Text.render applies the spans; the Text's own style goes under them.
            under = style + console.get_style(prompt.style) if prompt.style else style
            segments = Segment.apply_style(prompt.render(console), under)
            strip = Strip(segments).crop_extend(0, width, style)
            if len(self._strips) > 4096:  # a long scroll: keep memory bounded
                self._strips.clear()
            self._strips[key] = strip
        return strip

    # -- the highlight ------------------------------------------------------- #

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self._rows:
            return None
        return min(max(index, 0), len(self._rows) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self.refresh()
        if new is None or self._rows[new].disabled:
            return
        self.scroll_to_highlight()
        self.post_message(self.OptionHighlighted(self, new))

    def scroll_to_highlight(self) -> None:
        """Bring the highlighted row into view, with the headings just above it."""
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        top = index
        while top > 0 and self._rows[top - 1].disabled:
            top -= 1
        self.scroll_to_region(Region(0, top, 1, index - top + 1), animate=False, force=True, immediate=True)

    def _next_enabled(self, start: int, step: int) -> int | None:
        index = start
        while 0 <= index < len(self._rows):
            if not self._rows[index].disabled:
                return index
            index += step
        return None

    def action_cursor_down(self) -> None:
        start = 0 if self.highlighted is None else self.highlighted + 1
        found = self._next_enabled(start, 1)
        if found is not None:
            self.highlighted = found

    def action_cursor_up(self) -> None:
        if self.highlighted is None:
            self.action_last()
            return
        found = self._next_enabled(self.highlighted - 1, -1)
        if found is not None:
            self.highlighted = found
        else:  # the first row: show the heading above it
            self.scroll_home(animate=False, immediate=True)

    def action_first(self) -> None:
        found = self._next_enabled(0, 1)
        if found is not None:
            self.highlighted = found
        self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        found = self._next_enabled(len(self._rows) - 1, -1)
        if found is not None:
            self.highlighted = found

    def _move_page(self, step: int) -> None:
        if not self._rows:
            return
        height = max(self.scrollable_content_region.height, 1)
        target = min(max((self.highlighted or 0) + step * height, 0), len(self._rows) - 1)
        found = self._next_enabled(target, step)
        if found is None:
            found = self._next_enabled(target, -step)
        if found is not None:
            self.highlighted = found
        if step < 0 and self._next_enabled(0, 1) == found:
            self.scroll_home(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        index = self.highlighted
        if index is not None and not self._rows[index].disabled:
            self.post_message(self.OptionSelected(self, index))

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self._rows) and not self._rows[index].disabled:
            # A click selects the row, as the arrows do; a double click opens it, as enter does.
            self.highlighted = index
            if event.chain >= 2:
                self.action_select()
