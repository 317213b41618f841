"""The Invoices list (key 4), the invoice form, and ``rapport invoice list``:
press the keys, then check the screen and the data file on disk."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from textual.widgets import Input, Select, TextArea

from storage.invoicing import invoice_state
from storage.lines import items_text, parse_items
from storage.models import InvoiceStatus
from tests.conftest import FIXED_DAY
from tui.screens.invoices import InvoicesScreen, InvoiceView
from tui.widgets.form import FormModal
from tui.widgets.table import Table


async def open_list(pilot) -> InvoicesScreen:
    await pilot.press("4")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InvoicesScreen)
    return screen


def listed(screen: InvoicesScreen) -> list[str]:
    table = screen.query_one(Table)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def row_of(screen: InvoicesScreen, number: str) -> list[str]:
    table = screen.query_one(Table)
    return [str(cell) for cell in table.get_row_at(listed(screen).index(number))]


async def set_filter(pilot, screen: InvoicesScreen, name: str, value: str) -> None:
    screen.query_one(f"#filter-{name}", Select).value = value
    await pilot.pause()


async def test_every_invoice_newest_first_with_derived_state(demo_app, on_disk):
    snap = on_disk()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        numbers = listed(screen)
        assert sorted(numbers) == sorted(i.number for i in snap.invoices)
        issued = [snap.invoice(n).issued for n in numbers]
        assert issued == sorted(issued, reverse=True)
        assert row_of(screen, "2026-039")[-1] == "overdue 76d"
        assert row_of(screen, "2026-042")[-1] == "on hold 16d"
        assert row_of(screen, "2026-045")[-3:] == ["450.00 EUR", "225.00 EUR", "sent"]  # half paid, not yet due
        assert row_of(screen, "2025-001")[-2:] == ["0.00 EUR", "paid"]
        assert "49 invoices" in str(screen.query_one("#invoices-summary").render())


async def test_filters_for_state_client_and_year_reach_paid_history(demo_app, on_disk):
    snap = on_disk()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        await set_filter(pilot, screen, "state", "paid")
        paid = listed(screen)
        assert paid and all(invoice_state(snap.invoice(n), FIXED_DAY) == "paid" for n in paid)
        await set_filter(pilot, screen, "year", "2025")
        assert listed(screen) == ["2025-002", "2025-001"]
        await set_filter(pilot, screen, "year", "all")
        estudio = snap.find_client("Estudio").id
        await set_filter(pilot, screen, "client", estudio)
        assert set(listed(screen)) == {i.number for i in snap.invoices if i.client_id == estudio and
                                       invoice_state(i, FIXED_DAY) == "paid"}
        await set_filter(pilot, screen, "state", "overdue")
        assert listed(screen) == ["2026-039"]
        await set_filter(pilot, screen, "state", "draft")
        assert listed(screen) == []
        # `/` goes to the filters, escape back to the list.
        await pilot.press("slash")
        assert pilot.app.focused is screen.query_one("#filter-state", Select)
        await pilot.press("escape")
        assert pilot.app.focused is screen.query_one(Table)


async def test_new_invoice_is_numbered_from_the_year_sequence(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        client = on_disk().find_client("Globex")
        await pilot.press("n")
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        first = on_disk().find_client("Acme Robotics")  # the first client, chosen when the form opens
        assert form.query_one("#field-currency", Input).placeholder == f"the client's ({first.currency})"
        form.query_one("#field-client", Select).value = client.id
        await pilot.pause()
        assert (client.currency, client.terms_days) != (first.currency, first.terms_days)
        # what an empty currency or terms will take follows the client picked
        assert form.query_one("#field-currency", Input).placeholder == f"the client's ({client.currency})"
        assert form.query_one("#field-terms", Input).placeholder == f"the client's ({client.terms_days})"
        form.query_one("#field-items", TextArea).text = "Newsletter; 1; 1000\nExtra issue; special; 2; 250.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert listed(screen)[0] == "2026-048"
        assert row_of(screen, "2026-048")[-3:] == ["1,501.00 EUR", "1,501.00 EUR", "sent"]
    invoice = on_disk().invoice("2026-048")
    assert invoice.client_id == client.id
    assert [(i.description, i.quantity, i.unit_price) for i in invoice.items] == [
        ("Newsletter", Decimal(1), Decimal("1000.00")), ("Extra issue; special", Decimal(2), Decimal("250.50"))]
    assert (invoice.issued, invoice.terms_days, invoice.currency) == (FIXED_DAY, client.terms_days, client.currency)


async def test_new_invoice_with_currency_terms_status_and_number(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot)
        await pilot.press("n")
        form = pilot.app.screen
        form.query_one("#field-items", TextArea).text = "Consulting; 150000"
        form.query_one("#field-currency", Input).value = "jpy"
        form.query_one("#field-terms", Input).value = "30"
        form.query_one("#field-status", Select).value = "draft"
        form.query_one("#field-number", Input).value = "TOKYO-1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # a draft takes no number (it gets the next one when issued): refused, the form stays
        assert pilot.app.screen is form
        assert "a draft has no number" in str(form.query_one("#error-number").render())
        form.query_one("#field-status", Select).value = "sent"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormModal)
    invoice = on_disk().invoice("TOKYO-1")
    assert (invoice.currency, invoice.terms_days, invoice.status, invoice.total) == (
        "JPY", 30, InvoiceStatus.SENT, Decimal(150000))


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("items", "Logo; lots; 1200", "quantity"),
        ("items", "just words", "description; quantity; unit price"),
        ("items", "", "at least one line"),
        ("items", "Logo; 0; 100", "greater than 0"),
        ("currency", "EURO", "ISO 4217"),
        ("issued", "27/11/2026", "YYYY-MM-DD"),
        ("terms", "two weeks", "whole number"),
        ("number", "2026-039", "already exists"),
    ],
)
async def test_a_bad_value_is_refused_beside_its_field_and_nothing_saved(demo_app, demo_path, field, value, error):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot)
        await pilot.press("n")
        form = pilot.app.screen
        form.query_one("#field-items", TextArea).text = "Logo; 1; 1200"
        widget = form.query_one(f"#field-{field}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            widget.value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert error in str(form.query_one(f"#error-{field}").render())
    assert demo_path.read_bytes() == before


async def test_too_many_decimals_for_the_currency_is_refused(demo_app, demo_path):
    before = demo_path.read_bytes()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot)
        await pilot.press("n")
        form = pilot.app.screen
        form.query_one("#field-items", TextArea).text = "Logo; 1; 10.5"
        form.query_one("#field-currency", Input).value = "JPY"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert "at most 0 decimals" in str(form.query_one("#error-items").render())
    assert demo_path.read_bytes() == before


async def test_edit_voids_an_overdue_invoice_and_the_board_drops_it(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        screen.select_invoice("2026-041")
        await pilot.pause()
        await pilot.press("e")
        form = pilot.app.screen
        assert form.query_one("#field-items", TextArea).text == items_text(on_disk().invoice("2026-041"))
        assert form.query_one("#field-status", Select).value == "sent"
        form.query_one("#field-status", Select).value = "void"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert row_of(screen, "2026-041")[-1] == "void"
        assert screen.selected_number == "2026-041"
        await pilot.press("3")
        await pilot.pause()
        await pilot.pause()
        from tui.widgets.cards import InvoiceCard

        assert "2026-041" not in [c.number for c in pilot.app.screen.query(InvoiceCard)]
    assert on_disk().invoice("2026-041").status is InvoiceStatus.VOID


async def test_enter_shows_the_invoice_with_the_terms_sentence(demo_app, screen_text):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        screen.select_invoice("2026-043")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        view = pilot.app.screen
        assert isinstance(view, InvoiceView)
        assert view.markdown.startswith("# Invoice 2026-043")
        assert "Payment is due within two weeks of the invoice date." in view.markdown
        assert "Invoice 2026-043" in screen_text(pilot.app)
        await pilot.press("escape")
        assert pilot.app.screen is screen


async def test_s_on_the_shown_invoice_saves_its_pdf_beside_the_data_file(demo_app, demo_path):
    from pypdf import PdfReader

    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        screen.select_invoice("2026-043")
        await pilot.pause()
        await pilot.press("enter", "s")
        await pilot.pause()
        saved = demo_path.parent / "invoices" / "invoice-2026-043.pdf"
        assert saved.exists()
        assert isinstance(pilot.app.screen, InvoiceView)  # still showing the invoice
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Invoice 2026-043" in text and "Payment is due within two weeks of the invoice date." in text


async def test_pay_and_hold_from_the_list(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        screen.select_invoice("2026-045")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert on_disk().invoice("2026-045").on_hold is True
        assert row_of(screen, "2026-045")[-1] == "sent, held"
        await pilot.press("p")
        assert pilot.app.screen.query_one("#field-amount", Input).value == "225.00"
        await pilot.press("enter")
        await pilot.pause()
        assert row_of(screen, "2026-045")[-1] == "paid"
        await pilot.press("p")  # nothing left to pay: the key does nothing
        await pilot.pause()
        assert pilot.app.screen is screen
    assert on_disk().invoice("2026-045").outstanding == 0


def test_parse_items_reads_back_what_items_text_writes(demo_store):
    invoice = demo_store.snapshot().invoice("2026-045")
    parsed = parse_items(items_text(invoice))
    assert [(d, q, p) for d, q, p in parsed] == [(i.description, i.quantity, i.unit_price) for i in invoice.items]
    assert parse_items("Discount; -50") == [("Discount", Decimal(1), Decimal(-50))]


# --------------------------------------------------------------------------- #
# rapport invoice list
# --------------------------------------------------------------------------- #


def test_cli_invoice_list_filters(run_cli, demo_path):
    def cli(*args):
        return run_cli("invoice", "list", *args, data=demo_path)

    everything = cli("--json")
    assert everything.rc == 0, everything.stderr
    rows = json.loads(everything.stdout)
    assert len(rows) == 49
    assert {r["state"] for r in rows} == {"sent", "overdue", "paid"}
    overdue = json.loads(cli("--json", "--status", "overdue").stdout)
    assert [r["number"] for r in overdue] == ["2026-043", "2026-042", "2026-041", "2026-040", "2026-039"]
    assert overdue[-1].items() >= {"days_overdue": 76, "outstanding": "11200.00", "currency": "EUR",
                                   "reminders_sent": 3, "status": "sent"}.items()
    paid_2025 = json.loads(cli("--json", "--status", "paid", "--year", "2025").stdout)
    assert [(r["number"], r["outstanding"]) for r in paid_2025] == [("2025-002", "0.00"), ("2025-001", "0.00")]
    fern = json.loads(cli("--json", "--client", "fern").stdout)
    assert fern and {r["client"] for r in fern} == {"Fernhill Farm"}
    text = cli("--status", "overdue")
    assert text.stdout.splitlines()[0].split() == ["NUMBER", "CLIENT", "ISSUED", "DUE", "TOTAL", "OUTSTANDING", "STATE"]
    assert "overdue (on hold)" in text.stdout
    assert cli("--status", "draft").stdout.strip() == "No invoices match."
    assert cli("--status", "unknown").rc == 2
    nobody = cli("--client", "nobody")
    assert nobody.rc == 1 and "no client" in nobody.stderr


async def until(pilot, condition, tries: int = 100) -> bool:
    """Pause until ``condition()`` holds (batches arrive one refresh apart)."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


async def test_a_long_list_arrives_in_batches_and_keeps_the_selection(demo_app, on_disk, monkeypatch):
    monkeypatch.setattr("tui.screens.invoices.ROW_BATCH", 10)
    monkeypatch.setattr("tui.screens.invoices.FIRST_BATCH", 10)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        assert await until(pilot, lambda: len(listed(screen)) == 49)
        screen.select_invoice("2025-001")  # the oldest: in the last batch
        await pilot.pause()
        fills = screen._fill_generation
        pilot.app.store.record_payment("2026-043", "50", FIXED_DAY)
        pilot.app.data_changed()  # a change refills the list ...
        assert screen._fill_generation == fills + 1
        assert len(listed(screen)) == 10  # the first batch at once, the rest after refreshes
        assert await until(pilot, lambda: len(listed(screen)) == 49)
        await pilot.pause()
        assert screen.selected_number == "2025-001"  # ... and the cursor finds its row again
