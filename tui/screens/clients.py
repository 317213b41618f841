"""Clients: every relationship (a first version: the table)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from storage.scheduler import next_checkin


class ClientsScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="clients", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Status", "Last contact", "Next check-in")
        self.refresh_data()

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        snap = self.app.store.snapshot()
        for client in sorted(snap.clients, key=lambda c: c.name.casefold()):
            last = snap.last_contact.get(client.id)
            nxt = next_checkin(client, last)
            table.add_row(Text(client.name), Text(str(client.status)), Text(last.isoformat() if last else "-"),
                          Text(nxt.isoformat() if nxt else "-"), key=client.id)

    def select_client(self, client_id: str) -> None:
        table = self.query_one(DataTable)
        try:
            table.move_cursor(row=table.get_row_index(client_id))
        except Exception:
            pass
