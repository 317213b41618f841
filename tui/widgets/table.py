"""Table: Textual's DataTable, with a quicker way to draw a one-line text cell.

DataTable draws each cell through Rich's general machinery (a Styled Padding
rendered by the console into lines, cropped and padded): about a quarter of a
millisecond a cell here. Every focus change, refill or resize draws every
visible cell again, so on an 80x24 screen a key could spend 20 ms on the table
alone. The screens' cells are one-line rich ``Text``; for those, :class:`Table`
makes the same segments directly, with Rich's own justify, truncate and render
steps, and caches them where DataTable does. Anything else (a row label,
fixed rows or columns, a taller row, a tab or a line break in the
text, a cell too narrow for its padding, any other renderable) is drawn by DataTable itself. A property test
(tests/tui/test_table.py) holds the two to the same segments.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._types import SegmentLines
from textual.widgets import DataTable


class _OneLineOffsets(Sequence):
    """DataTable._y_offsets for a table whose rows are one line each: line y is
    row y, at offset 0. DataTable lists a (row, offset) pair for every line
    again after each change, which makes filling a long table in batches
    quadratic (~60 ms a batch at 10,000 rows); this answers without a list."""

    def __init__(self, table: DataTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table.rows)

    def __getitem__(self, y):
        if isinstance(y, slice):
            return [self[i] for i in range(*y.indices(len(self)))]
        if y < 0:
            y += len(self)
        if not 0 <= y < len(self):
            raise IndexError(y)
        return (self._table._row_locations.get_key(y), 0)

    def clear(self) -> None:  # DataTable.clear empties its list: nothing to do here
        pass


class Table(DataTable):
    """A DataTable (same API, messages and styles) that draws text cells quickly."""

    _one_line_rows = True  # every row added since the last clear is one line high

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None):
        if height != 1:
            self._one_line_rows = False
        return super().add_row(*cells, height=height, key=key, label=label)

    def clear(self, columns: bool = False):
        self._one_line_rows = True
        return super().clear(columns)

    @property
    def _y_offsets(self):
        if self._one_line_rows:
            return _OneLineOffsets(self)
        return DataTable._y_offsets.fget(self)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if self.fixed_rows or self.fixed_columns or column_index < 0 or row_index < -1:  # labels, fixed parts
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        header = row_index == -1
        row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        # DataTable's own key (and cache): either way of drawing fills it.
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count,
                     self._pseudo_class_state)
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        cell = self._get_row_renderables(row_index).cells[column_index]
        height = self.header_height if header else self.rows[row_key].height
        if (type(cell) is not Text or cell.no_wrap is False or height != 1
                or "\n" in cell.plain or "\t" in cell.plain or width <= 2 * self.cell_padding):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        lines = [self._text_cell_line(cell, row_index, column_index, base_style, width, cursor, hover)]
        self._cell_render_cache[cache_key] = lines
        return lines

    def _text_cell_line(self, cell: Text, row_index: int, column_index: int, base_style: Style, width: int,
                        cursor: bool, hover: bool) -> list[Segment]:
        """What DataTable._render_cell makes of a one-line Text, made directly."""
        component_style, post_style = self._get_styles_to_render_cell(
            row_index == -1, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        console = self.app.console
        options = self.app.console_options
        padding = self.cell_padding
        inner = max(width - 2 * padding, 0)
        # Text.__rich_console__ with no wrapping: justify, truncate, render.
        justify = cell.justify or options.justify or "default"
        overflow = cell.overflow or options.overflow or "fold"
        lines = Lines([cell.copy()])
        lines.justify(console, inner, justify=justify, overflow=overflow)
        line = lines[0]
        line.truncate(inner, overflow=overflow)
        segments = list(Text("\n").join([line]).render(console))
        # Padding: the text padded to its width, and the cell padding, in Padding's style.
        pad_style = console.get_style("none")
        used = Segment.get_line_length(segments)
        if used < inner:
            segments.append(Segment(" " * (inner - used), pad_style))
        elif used > inner:
            segments = Segment.adjust_line_length(segments, inner, style=pad_style)
        if padding:
            segments = [Segment(" " * padding, pad_style), *segments, Segment(" " * padding, pad_style)]
        # Styled: the table's style under the text's, the component's over it.
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        return list(Segment.apply_style(segments, style=pre_style, post_style=post_style))

    def _update_dimensions(self, new_rows) -> None:
        """DataTable measures every cell of every new row, to widen columns that
        size to their content; a column given a width never uses that measure.
        When every column has its width and the new rows have no label and a
        fixed height, skip the measuring (half the cost of adding a row)."""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        for row_key in new_rows:
            row = self.rows.get(row_key)
            if row is not None and (row.label is not None or row.auto_height):  # measured and drawn to size
                super()._update_dimensions(new_rows)
                return
        super()._update_dimensions(())  # the virtual size only
