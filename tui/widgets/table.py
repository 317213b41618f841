"""Table: rows of one-line cells under a heading line, drawn a line at a time.

Textual's DataTable measures every cell it is given and renders each through
Rich's general machinery (a padded, styled renderable per cell); keeping up
with it took overrides of its private parts. The screens' tables are simpler:
columns of a given width (or one that takes what is left), one-line Rich
``Text`` cells (never markup), a row cursor. This widget does only that, on
Textual's public Line API (``ScrollView.render_line``), like
:class:`~tui.widgets.rowlist.RowList`: adding a row appends it (15,000 rows
are a list of 15,000 tuples), and only the rows on screen are drawn, each once
until it, the width or the style changes.

Styles are component classes (``table--header``, ``table--cursor``,
``table--hover``, ``table--even-row``) in :attr:`Table.DEFAULT_CSS`, with
DataTable's colours, so a stylesheet can theme them. A cell's text with
control characters in it shows them as visible symbols
(:func:`storage.text.visible`): a cell is always one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, cast

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.text import one_line, visible

from ..i18n import N_

Justify = Literal["left", "center", "right"]
Cell = Text | str
"""What a cell may be given as: a ``str`` is user text (made one line, never markup)."""

HEADER_HEIGHT = 1
STRIP_CACHE = 4096
"""Drawn lines kept at most; a long scroll starts again rather than grow."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its key, heading, width in cells (``None``: it shares what the
    fixed columns leave) and how its cells are justified unless they say."""

    key: str
    label: Text
    width: int | None = None
    justify: Justify = "left"


def fit_cell(cell: Text, width: int, justify: Justify, console: Console) -> list[Segment]:
    """``cell`` as segments exactly ``width`` cells wide: cut (with the
    cell's overflow: an ellipsis if it asks for one) or padded as justified.
    Padding takes the text's own style, as Rich's justify gives it."""
    if width <= 0:
        return []
    text = cell
    if not text.plain.isprintable():  # controls (a newline, ESC...) show as symbols, on one line
        text = text.copy()
        text.plain = visible(text.plain)
    how = text.justify if text.justify in ("left", "center", "right") else justify
    length = text.cell_len
    if length != width or how != "left":
        text = text.copy()
        if how != "left":
            text.rstrip()
        if text.cell_len > width:
            text.truncate(width, overflow=text.overflow if text.overflow in ("crop", "ellipsis") else "crop")
        room = width - text.cell_len
        if how == "right":
            text.pad_left(room)
        elif how == "center":
            text.pad_left(room // 2)
            text.pad_right(room - room // 2)
        else:
            text.pad_right(room)
    segments = text.render(console)  # the spans' styles; the text's own goes under them
    if text.style:
        segments = Segment.apply_style(segments, console.get_style(text.style, default=Style.null()))
    return list(segments)


def _texts(cells: Sequence[Cell]) -> Sequence[Text]:
    """The cells as Text: kept as given when they are (most rows: no copy)."""
    for cell in cells:
        if isinstance(cell, str):
            return [Text(one_line(c)) if isinstance(c, str) else c for c in cells]
    return cast(Sequence[Text], cells)  # every one a Text


class Table(ScrollView, can_focus=True):
    """A table of one-line cells with a row cursor.

    Keys: up/down, page up/down, home/end move the cursor; enter posts
    :class:`RowSelected`; left/right scroll columns wider than the table. A click
    moves the cursor to the row under it (a double click selects it); a click on
    a heading posts :class:`HeaderSelected`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"table--header", "table--cursor", "table--hover", "table--even-row"}

    DEFAULT_CSS = """
    Table {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .table--hover {
            background: $block-hover-background;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", N_("Select"), show=False),
        Binding("up", "cursor_up", N_("Up"), show=False),
        Binding("down", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home,ctrl+home", "first", N_("First"), show=False),
        Binding("end,ctrl+end", "last", N_("Last"), show=False),
        Binding("left", "scroll_left", N_("Scroll left"), show=False),  # columns wider than the screen
        Binding("right", "scroll_right", N_("Scroll right"), show=False),
    ]

    class RowMessage(Message):
        """About the row at ``cursor_row``, whose key is ``row_key``."""

        def __init__(self, table: Table, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> Table:
            return self.table

    class RowHighlighted(RowMessage):
        """The cursor moved to a row."""

    class RowSelected(RowMessage):
        """A row was chosen: enter, or a double click."""

    class HeaderSelected(Message):
        """A column's heading was clicked."""

        def __init__(self, table: Table, column_key: str, column_index: int) -> None:
            super().__init__()
            self.table = table
            self.column_key = column_key
            self.column_index = column_index

        @property
        def control(self) -> Table:
            return self.table

    def __init__(self, *, zebra_stripes: bool = False, cell_padding: int = 1, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.zebra_stripes = zebra_stripes
        self.cell_padding = cell_padding
        self._columns: list[Column] = []
        self._column_index: dict[str, int] = {}
        self._keys: list[str] = []
        self._cells: list[Sequence[Text]] = []
        self._index_of: dict[str, int] | None = {}  # None after a removal: rebuilt when asked
        self._cursor = 0
        self._hover: int | None = None
        self._size_due = False  # rows were added since the virtual size was set
        # Each row drawn (-1: the headings), with what it was drawn for (width, cursor, hover, focus).
        self._strips: dict[int, tuple[tuple[int, bool, bool, bool], Strip]] = {}
        self._widths: tuple[int, tuple[int, ...]] | None = None  # (table width, content width of each column)

    # -- columns ----------------------------------------------------------- #

    @property
    def columns(self) -> Sequence[Column]:
        return tuple(self._columns)

    def add_column(self, label: Cell, *, key: str, width: int | None = None, justify: Justify = "left") -> None:
        """Add a column at the right. Rows already added get an empty cell in it."""
        heading = Text(one_line(label)) if isinstance(label, str) else label
        self._column_index[key] = len(self._columns)
        self._columns.append(Column(key, heading, width, justify))
        self._changed()

    def column_width(self, key: str) -> int:
        """The cells column ``key`` takes on screen, its padding included."""
        widths = self._content_widths(self._table_width())
        return widths[self._column_index[key]] + 2 * self.cell_padding

    # -- rows -------------------------------------------------------------- #

    @property
    def row_count(self) -> int:
        return len(self._keys)

    def add_row(self, *cells: Cell, key: str) -> None:
        """Add a row at the bottom; ``key`` names it (unique in the table)."""
        index_of = self._index()
        if key in index_of:
            raise KeyError(f"a row with the key {key!r} is already in the table")
        index_of[key] = len(self._keys)
        self._keys.append(key)
        self._cells.append(_texts(cells))
        self._size_later()
        if len(self._keys) == 1:
            self._cursor = 0
            self.post_message(self.RowHighlighted(self, 0, key))

    def add_rows(self, rows: Iterable[tuple[str, Sequence[Cell]]]) -> None:
        """Add ``(key, cells)`` rows at the bottom, with one size update."""
        was_empty = not self._keys
        index_of = self._index()
        try:
            for key, cells in rows:
                if key in index_of:
                    raise KeyError(f"a row with the key {key!r} is already in the table")
                index_of[key] = len(self._keys)
                self._keys.append(key)
                self._cells.append(_texts(cells))
        finally:
            self._resized()
        if was_empty and self._keys:
            self._cursor = 0
            self.post_message(self.RowHighlighted(self, 0, self._keys[0]))

    def clear(self, columns: bool = False) -> None:
        """Remove every row (and with ``columns``, every column); the cursor goes to the top."""
        self._keys = []
        self._cells = []
        self._index_of = {}
        self._cursor = 0
        self._hover = None
        if columns:
            self._columns = []
            self._column_index = {}
        self._changed()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def remove_row(self, key: str) -> None:
        """Remove the row ``key``; the cursor keeps its index (the next row), within the table."""
        index = self.get_row_index(key)
        del self._keys[index]
        del self._cells[index]
        self._index_of = None
        self._cursor = min(self._cursor, max(len(self._keys) - 1, 0))
        self._changed()

    def get_row_index(self, key: str) -> int:
        """The index of row ``key`` (KeyError if there is none)."""
        return self._index()[key]

    def _index(self) -> dict[str, int]:
        if self._index_of is None:  # rows were removed: the indexes after them moved
            self._index_of = {k: i for i, k in enumerate(self._keys)}
        return self._index_of

    def row_key_at(self, index: int) -> str:
        return self._keys[index]

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at ``index``, one per column."""
        cells = self._cells[index]
        return [cells[i] if i < len(cells) else Text() for i in range(len(self._columns))]

    def get_row(self, key: str) -> list[Text]:
        return self.get_row_at(self.get_row_index(key))

    def update_cell(self, row_key: str, column_key: str, value: Cell) -> None:
        index = self.get_row_index(row_key)
        column = self._column_index[column_key]
        cells = list(self._cells[index])
        cells.extend(Text() for _ in range(column + 1 - len(cells)))
        cells[column] = Text(one_line(value)) if isinstance(value, str) else value
        self._cells[index] = cells
        self._forget_row(index)

    # -- the cursor -------------------------------------------------------- #

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 in an empty table)."""
        return self._cursor

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on row ``row`` (kept in the table) and show it;
        posts :class:`RowHighlighted` if it moved."""
        if not self._keys:
            return
        row = min(max(row, 0), len(self._keys) - 1)
        old, self._cursor = self._cursor, row
        self._scroll_to_cursor()
        if row != old:
            self._forget_row(old)
            self._forget_row(row)
            self.post_message(self.RowHighlighted(self, row, self._keys[row]))

    def _scroll_to_cursor(self) -> None:
        if not self.is_mounted or not self.size.height:  # not laid out (or hidden): on_resize does it
            return
        if self._size_due:
            self._resized()
        rows_shown = max(self.scrollable_content_region.height - HEADER_HEIGHT, 1)
        top = round(self.scroll_y)
        if self._cursor < top:
            top = self._cursor
        elif self._cursor >= top + rows_shown:
            top = self._cursor - rows_shown + 1
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False, force=True, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self._cursor - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self._cursor + self._page())

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._keys) - 1)

    def action_select(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self._cursor, self._keys[self._cursor]))

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - HEADER_HEIGHT, 1)

    # -- the mouse --------------------------------------------------------- #

    def row_at(self, y: int) -> int | None:
        """The index of the row drawn on line ``y`` of the widget (None: the heading or below the rows)."""
        if y < HEADER_HEIGHT:
            return None
        index = round(self.scroll_y) + y - HEADER_HEIGHT
        return index if 0 <= index < len(self._keys) else None

    def column_at(self, x: int) -> int | None:
        """The index of the column drawn at ``x`` cells from the widget's left (None: past the last)."""
        x += round(self.scroll_x)
        edge = 0
        for index, width in enumerate(self._content_widths(self._table_width())):
            edge += width + 2 * self.cell_padding
            if x < edge:
                return index
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < HEADER_HEIGHT:
            column = self.column_at(offset.x)
            if column is not None:
                self.post_message(self.HeaderSelected(self, self._columns[column].key, column))
            return
        index = self.row_at(offset.y)
        if index is None:
            return
        event.stop()
        self.move_cursor(row=index)
        if event.chain >= 2:
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        self._set_hover(None if offset is None else self.row_at(offset.y))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            old, self._hover = self._hover, index
            for row in (old, index):
                if row is not None:
                    self._forget_row(row)

    # -- drawing ----------------------------------------------------------- #

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._resized()
        if self._keys:
            self._scroll_to_cursor()

    def _changed(self) -> None:
        """Rows or columns changed: draw again, at the new size."""
        self._strips.clear()
        self._widths = None
        self._resized()

    def _forget_row(self, index: int) -> None:
        self._strips.pop(index, None)
        self.refresh_line(index + HEADER_HEIGHT)  # a virtual line: ScrollView shifts it by the scroll

    def _size_later(self) -> None:
        """Rows were added: set the size once they are all in (setting it
        lays the screen out again), or before anything needs it."""
        if not self._size_due:
            self._size_due = True
            self.call_later(self._resized)

    def _resized(self) -> None:
        """The virtual size: the rows under the headings, as wide as the
        columns at their least (flexible ones fill whatever is wider)."""
        padding = 2 * self.cell_padding
        least = sum((c.width if c.width is not None else max(c.label.cell_len, 1)) + padding for c in self._columns)
        self._size_due = False
        self.virtual_size = Size(least, len(self._keys) + HEADER_HEIGHT)
        self.refresh()

    def _table_width(self) -> int:
        return self.scrollable_content_region.width if self.is_mounted else 0

    def _content_widths(self, width: int) -> tuple[int, ...]:
        """Each column's width less its padding: fixed ones as given, the
        flexible ones share what is left (at least their heading's width)."""
        if self._widths is not None and self._widths[0] == width:
            return self._widths[1]
        padding = 2 * self.cell_padding
        fixed = sum(c.width + padding for c in self._columns if c.width is not None)
        flexible = [i for i, c in enumerate(self._columns) if c.width is None]
        left = max(width - fixed - padding * len(flexible), 0)
        widths = [c.width or 0 for c in self._columns]
        for n, index in enumerate(flexible):
            share = left // len(flexible) + (1 if n < left % len(flexible) else 0)
            widths[index] = max(share, self._columns[index].label.cell_len, 1)
        self._widths = (width, tuple(widths))
        return self._widths[1]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y < HEADER_HEIGHT:
            strip = self._strip(-1, width)
        else:
            index = scroll_y + y - HEADER_HEIGHT
            if not 0 <= index < len(self._keys):
                return Strip.blank(width, base)
            strip = self._strip(index, width)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _strip(self, index: int, width: int) -> Strip:
        """Row ``index`` (-1: the headings) drawn at the table width ``width``, uncropped."""
        cursor = index == self._cursor and index >= 0
        hover = index == self._hover and index >= 0
        key = (width, cursor, hover, self.has_focus)
        drawn_for = self._strips.get(index)
        if drawn_for is not None and drawn_for[0] == key:
            return drawn_for[1]
        console = self.app.console
        if index < 0:
            row_style = self.get_component_rich_style("table--header")
            cells: Sequence[Text] = [column.label for column in self._columns]
        else:
            if self.zebra_stripes and index % 2 == 0:
                row_style = self.get_component_rich_style("table--even-row")
            else:
                row_style = self.rich_style
            cells = self._cells[index]
        component = Style()
        if hover:
            component += self.get_component_rich_style("table--hover")
        if cursor:
            component += self.get_component_rich_style("table--cursor")
        pre = row_style + component
        # The cursor's colour wins over the text's; a cell's own background stays.
        post = Style.from_color(color=component.color) if cursor else None
        pad = [Segment(" " * self.cell_padding)] if self.cell_padding else []
        segments: list[Segment] = []
        widths = self._content_widths(width)
        for column_index, column in enumerate(self._columns):
            cell = cells[column_index] if column_index < len(cells) else Text()
            drawn = [*pad, *fit_cell(cell, widths[column_index], column.justify, console), *pad]
            segments.extend(Segment.apply_style(drawn, style=pre, post_style=post))
        used = sum(cell_len(segment.text) for segment in segments)
        if used < width:  # the row's style (and the cursor) to the right edge
            segments.append(Segment(" " * (width - used), pre))
        strip = Strip(segments).simplify()
        if len(self._strips) >= STRIP_CACHE:
            self._strips.clear()
        self._strips[index] = (key, strip)
        return strip
