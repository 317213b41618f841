"""The Clients screen's view model (tui.screens.clients.view), without an app:
the rows, their cells, sorting, filtering and the detail pane's facts, computed
from a snapshot of a store on a fixed day."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from storage.models import Client, ClientStatus, Contact, ContactKind, LineItem, Promise
from storage.store import Store
from tui.screens.clients import view
from tui.screens.clients.view import MAX_SHOWN, build_rows, facts_text, matches, sort_ids
from tui.widgets.safe import RICH_SEVERITY


def _days(today: dt.date, n: int) -> dt.date:
    return today + dt.timedelta(days=n)


@pytest.fixture
def acme(store: Store, today: dt.date) -> Client:
    """Contacted 10 days ago (cadence 14), 65 EUR/h since a year ago, one
    invoice of 1,200 EUR 30 days past its 30-day terms, one paid, a promise kept."""
    client = store.add_client(Client(name="Acme", company="Acme Industries", email="ops@acme.example",
                                     tags=["web", "Retainer"], cadence_days=14, terms_days=30,
                                     rate=Decimal(65), since=_days(today, -400)))
    store.log_contact(Contact(client_id=client.id, date=_days(today, -10), kind=ContactKind.CHECK_IN))
    store.add_invoice(client.id, [LineItem(description="Site", quantity=Decimal(1), unit_price=Decimal(1200))],
                      issued=_days(today, -60), terms_days=30)
    paid = store.add_invoice(client.id, [LineItem(description="Logo", quantity=Decimal(1), unit_price=Decimal(300))],
                             issued=_days(today, -90), terms_days=30)
    store.record_payment(paid.number, None, _days(today, -70))
    promise = store.add_promise(Promise(client_id=client.id, text="Send the mock-ups", due=_days(today, -5)))
    store.close_promise(promise.id, "kept", _days(today, -6))
    return client


def test_a_row_holds_the_clients_figures_and_cells(store, acme, today):
    row = build_rows(store.snapshot(), today)[acme.id]
    assert row.last == _days(today, -10)
    assert row.next_due == _days(today, 4)
    assert row.owed == {"EUR": Decimal("1200.00")}  # the paid invoice owes nothing
    assert (row.overdue_count, row.overdue_days) == (1, 30)
    assert row.overdue_severity == "red"  # a whole extra term late
    assert len(row.unpaid) == 1
    assert row.promises == {"kept": 1}
    status, last, nxt, owed, overdue, rate = (cell.plain for cell in row.cells)
    assert (status, last, nxt, owed, overdue, rate) == ("active", "10d ago", "in 4d", "1,200 EUR", "!!30d", "65 EUR/h")


def test_a_pending_raise_marks_the_rate_and_the_facts(store, acme, today):
    store.propose_rate(acme.id, Decimal(80), _days(today, -3), "a full calendar")
    row = build_rows(store.snapshot(), today)[acme.id]
    assert row.cells[-1].plain == "65 EUR/h↑"
    assert "Raise proposed: 80 EUR/hour, 3 d waiting" in facts_text(row, today).plain


def test_a_client_never_contacted_and_owing_nothing(store, today):
    client = store.add_client(Client(name="Quiet", status=ClientStatus.LEAD, since=today))
    row = build_rows(store.snapshot(), today)[client.id]
    status, last, _, owed, overdue, rate = row.cells
    assert (status.plain, last.plain, owed.plain, overdue.plain, rate.plain) == ("lead", "never", "", "", "-")
    assert status.style == "dim" and last.style == "dim"
    facts = facts_text(row, today).plain
    assert "Never contacted" in facts and "Nothing owed" in facts and "No rate set" in facts


def test_sorting_puts_empty_values_last_in_both_directions(store, acme, today):
    other = store.add_client(Client(name="Beta", since=today))
    rows = build_rows(store.snapshot(), today).values()
    assert sort_ids(rows, "owed", reverse=True) == [acme.id, other.id]
    assert sort_ids(rows, "owed", reverse=False) == [acme.id, other.id]
    assert sort_ids(rows, "name", reverse=True) == [other.id, acme.id]


def test_ties_sort_by_name_whichever_the_direction(store, today):
    ids = [store.add_client(Client(name=name, cadence_days=7, since=today)).id for name in ("Cee", "Ay", "Bee")]
    rows = build_rows(store.snapshot(), today).values()
    by_name = [ids[1], ids[2], ids[0]]
    assert sort_ids(rows, "status", reverse=False) == by_name
    assert sort_ids(rows, "status", reverse=True) == by_name


def test_the_filter_matches_every_word_in_name_company_email_or_tags(store, acme, today):
    row = build_rows(store.snapshot(), today)[acme.id]
    assert matches(row, [])
    assert matches(row, ["industries", "ops@"])
    assert matches(row, ["retainer"])  # tags, any case (the terms come folded)
    assert not matches(row, ["acme", "nowhere"])


def test_the_facts_say_cadence_rate_money_and_promises(store, acme, today):
    facts = facts_text(build_rows(store.snapshot(), today)[acme.id], today)
    lines = facts.plain.split("\n")
    assert lines[0] == "Acme" and lines[1] == "Acme Industries"
    assert "Check-in every 14 d, next in 4 d" in lines
    assert "Rate 65 EUR/hour, ! 1 y 1 mo old" in lines  # over a year: time to review it
    assert "Owed 1,200.00 EUR" in lines
    assert "!!Overdue 1,200.00 EUR (1 invoice, 30 d)" in lines
    assert "Promises 1 kept · 0 broken · 0 open" in lines
    overdue_at = facts.plain.index("!!Overdue")
    badly_late = RICH_SEVERITY["red"]  # the red of badly late (tui.widgets.safe)
    assert any(span.start <= overdue_at < span.end and str(span.style) == badly_late for span in facts.spans)


def test_stored_text_is_shown_visibly_and_cut(store, today):
    tags = [f"tag{n:03}" for n in range(60)]  # joined: 478 characters
    client = store.add_client(Client(name="Evil\x1b[2J\nName", tags=tags, since=today))
    lines = facts_text(build_rows(store.snapshot(), today)[client.id], today).plain.split("\n")
    assert "\x1b" not in lines[0] and lines[0].startswith("Evil")  # one line, controls visible
    shown = next(line for line in lines if line.startswith("tags: "))
    assert len(shown) == len("tags: ") + MAX_SHOWN and shown.endswith("…")


def test_the_view_model_imports_no_textual():
    """Pure: the module names nothing of Textual (its cells are Rich Text)."""
    tree = ast.parse(Path(view.__file__).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level]
    assert imported and not [name for name in imported if name.split(".")[0] == "textual"]
