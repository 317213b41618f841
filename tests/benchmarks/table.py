"""Benchmark: the Table widget with 15,000 rows at 80x24, against the old one.

Prints, for the new ``tui.widgets.table.Table`` (a ScrollView drawing one line
at a time, public API only) and the old one (a DataTable subclass overriding
DataTable's private ``_render_cell``, ``_y_offsets`` and ``_update_dimensions``,
copied below as ``OldTable``, the baseline of the same process):

* fill: clear, add the columns and 15,000 rows, until the frame showing them
  is drawn (the table's last line drawn before it goes quiet);
* a cursor move: from the key (``App.simulate_key``) to the end of the next
  frame that draws the row under the moved cursor, per key, for down, up and
  page down from the middle of the rows (the cursor starts on the last row
  shown: each down scrolls the whole table a line, each up moves within
  it; a key during which Python ran a full
  garbage collection is listed apart: that pause is the process's, not the
  table's);
* refill: the same as fill with 15,000 rows already there.

Each is given as wall time (ms; on a shared machine it includes waiting for
the CPU and Textual's frame pacing) and the process's CPU time (ms; the app's
own work). Run: ``python tests/benchmarks/table.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import DataTable

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
ROWS = 15_000
SegmentLines = list  # textual._types.SegmentLines, not imported: a private module


# --------------------------------------------------------------------------- #
# The old Table, as it was (tui/widgets/table.py before the Line-API rewrite)
# --------------------------------------------------------------------------- #


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


class OldTable(DataTable):
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


# --------------------------------------------------------------------------- #
# The measurement
# --------------------------------------------------------------------------- #

COLUMNS = [("Number", 8), ("Client", 20), ("Issued", 10), ("Total", 11), ("State", 11)]


def rows() -> list[tuple[str, list[Text]]]:
    out = []
    for i in range(ROWS):
        out.append((f"inv-{i}", [Text(f"2026-{i:05d}"), Text(f"Client number {i % 97}", overflow="ellipsis"),
                                 Text(f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"),
                                 Text(f"{(i * 37) % 10000:,}.00 EUR", justify="right"),
                                 Text("overdue" if i % 7 == 0 else "paid", style="bold red" if i % 7 == 0 else "")]))
    return out


class FullCollections:
    """Counts Python's full (generation 2) garbage collections, to tell their pauses from the table's."""

    def __init__(self) -> None:
        self.full = 0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict) -> None:
        if phase == "stop" and info.get("generation") == 2:
            self.full += 1


GC = FullCollections()


class Watched:
    """Remembers when the table last drew a line, and when it drew the cursor's row."""

    def __init__(self) -> None:
        self.last_line = (0.0, 0.0)
        self.cursor_line = (0.0, 0.0)


def watched(base: type) -> type:
    class Bench(base):  # type: ignore[misc, valid-type]
        watch = Watched()

        def render_line(self, y: int) -> Strip:
            strip = super().render_line(y)
            now = (time.perf_counter(), time.process_time())
            self.watch.last_line = now
            if y >= 1 and round(self.scroll_y) + y - 1 == self.cursor_row:
                self.watch.cursor_line = now
            return strip

    Bench.__name__ = base.__name__
    return Bench


class BenchApp(App):
    CSS = "DataTable, Table { height: 1fr; }"

    def __init__(self, table_class: type) -> None:
        super().__init__()
        self.table_class = table_class
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        if issubclass(self.table_class, DataTable):
            yield self.table_class(cursor_type="row", zebra_stripes=True)
        else:
            yield self.table_class(zebra_stripes=True)


def fill(table, data: list[tuple[str, list[Text]]]) -> None:
    table.clear(columns=True)
    for label, width in COLUMNS:
        table.add_column(label, width=width, key=label.lower())
    for key, cells in data:
        table.add_row(*cells, key=key)


async def quiet(watch: Watched, since: float, timeout: float = 30.0) -> None:
    """Wait until the table has drawn since ``since`` and then drawn nothing for 0.3 s."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        await asyncio.sleep(0.05)
        if watch.last_line[0] > since and time.perf_counter() - watch.last_line[0] > 0.3:
            return
    raise RuntimeError("the table never drew")


async def measure(base: type, data) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    cls = watched(base)
    watch = cls.watch = Watched()
    app = BenchApp(cls)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(cls)
        table.focus()
        for label in ("fill", "refill"):
            await pilot.pause(0.2)
            collections = GC.full
            wall, cpu = time.perf_counter(), time.process_time()
            fill(table, data)
            added = (time.perf_counter() - wall, time.process_time() - cpu)
            await quiet(watch, wall)
            if GC.full != collections:
                label += " (a full GC ran)"
            out.setdefault(f"{label}: add_row x {ROWS:,}", []).append(added)
            out.setdefault(f"{label}: until drawn", []).append((watch.last_line[0] - wall, watch.last_line[1] - cpu))
        table.move_cursor(row=ROWS // 2)
        await quiet(watch, 0)
        for key in ["down"] * 10 + ["up"] * 10 + ["pagedown"] * 5:
            await pilot.pause(0.1)
            before = watch.cursor_line
            wall, cpu = time.perf_counter(), time.process_time()
            app.simulate_key(key)
            collections = GC.full
            while watch.cursor_line == before:
                await asyncio.sleep(0.0005)
            while time.perf_counter() - watch.last_line[0] < 0.03:  # the rest of that frame
                await asyncio.sleep(0.001)
            label = f"key {key}" + (" (a full GC ran)" if GC.full != collections else "")
            out.setdefault(label, []).append((watch.last_line[0] - wall, watch.last_line[1] - cpu))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from tui.widgets.table import Table

    data = rows()
    results: dict[str, dict[str, list[tuple[float, float]]]] = {"new Table": {}, "old Table": {}}
    for _ in range(args.runs):
        for name, base in (("new Table", Table), ("old Table", OldTable)):
            for label, values in asyncio.run(measure(base, data)).items():
                results[name].setdefault(label, []).extend(values)
    print(f"Table, {ROWS:,} rows at 80x24, {args.runs} run(s); milliseconds, wall (CPU)")
    for name, figures in results.items():
        print(f"  {name}")
        for label, values in figures.items():
            wall = [v[0] * 1000 for v in values]
            cpu = [v[1] * 1000 for v in values]
            print(f"    {label:42s} median {statistics.median(wall):7.1f} ({statistics.median(cpu):6.1f})"
                  f"  max {max(wall):7.1f} ({max(cpu):6.1f})  n={len(values)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
