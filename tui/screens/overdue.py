"""Overdue board (a first version: the overdue invoices as a list)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from storage import scheduler
from storage.values import money_str


class OverdueScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="overdue", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Bucket", "Client", "Number", "Outstanding", "Days")
        self.refresh_data()

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in scheduler.invoices_overdue(self.app.store.snapshot(), self.app.today):
            table.add_row(Text(row.bucket or ""), Text(row.client), Text(row.number),
                          Text(f"{money_str(row.outstanding, row.currency)} {row.currency}"), Text(str(row.days_overdue)))
