"""The guide's workflows (issue 7), as Pilot tests: keys pressed, then the screen
and the file on disk (read back by a fresh Store) checked.

Demo data at 2026-11-27: Delta Dental Lab (on_delivery) has the active job
"Menu cards"; Café Olé (monthly) has "Annual report" with a change of brief
waiting 6 days; Globex has a price raise waiting 7 days and a delivered
"Newsletter"; Estudio Núñez is due a rate review.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.widgets import Input, Select

from storage.models import Job, JobStatus
from tests.conftest import FIXED_DAY
from tui.draft import DraftScreen
from tui.modals import ConfirmModal
from tui.screens.agenda import AgendaScreen
from tui.screens.jobs import JobsScreen
from tui.widgets.form import Field, FormModal

from .test_agenda import agenda_text, select


async def fill(pilot, **values: str) -> None:
    """Type into the open form's fields (inputs and selects) by name."""
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    for name, value in values.items():
        widget = form.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = ""
            widget.focus()
            await pilot.press(*value) if value else None
    await pilot.pause()


def error_of(form: FormModal, name: str) -> str:
    return str(form.query_one(f"#error-{name}").render())


async def jobs_screen(pilot, job_id: str | None = None) -> JobsScreen:
    await pilot.press("5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    if job_id is not None:
        screen.select_job(job_id)
        await pilot.pause()
        assert screen.selected is not None and screen.selected.id == job_id
    return screen


# --------------------------------------------------------------------------- #
# Jobs: new, deliver, invoice
# --------------------------------------------------------------------------- #


async def test_new_job_from_the_jobs_screen(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await jobs_screen(pilot)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, client="client-4", title="Price list", price="350", deadline="2026-12-10")
        pilot.app.screen.query_one("#field-brief").text = "# Price list\n\n- two pages"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, JobsScreen)
        titles = [j.title for j in screen._jobs]
        assert "Price list" in titles
    job = next(j for j in on_disk().jobs if j.title == "Price list")
    assert (job.client_id, job.price, job.currency, job.deadline, str(job.status)) == (
        "client-4", Decimal("350.00"), "EUR", dt.date(2026, 12, 10), "active")
    assert job.brief == "# Price list\n\n- two pages"


async def test_a_bad_price_is_refused_beside_the_field(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, title="Price list", price="12,5x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        assert "price" in error_of(form, "price").lower() or error_of(form, "price")
    assert all(j.title != "Price list" for j in on_disk().jobs)


async def test_deliver_on_delivery_makes_the_promise_and_the_to_invoice_row(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        jobs = await jobs_screen(pilot, "job-24")  # Delta Dental Lab, on_delivery within 24 h
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)
        await pilot.press("enter")  # delivered today
        await pilot.pause()
        # Delivered, it moves down among the delivered jobs; the cursor goes with it.
        assert [j.id for j in jobs._jobs].index("job-24") > 0 and jobs.selected.id == "job-24"
        await pilot.press("1")
        await pilot.pause()
        agenda = pilot.app.screen
        assert isinstance(agenda, AgendaScreen)
        rows = [(i.section, i.row) for i in agenda._items.values()]
        assert any(s == "to_invoice" and r.job_id == "job-24" for s, r in rows)
        # The promise is kept on disk (below) but said once, by the To invoice row (issue 18).
        assert not any(s == "promises_due" and r.job_id == "job-24" for s, r in rows)
        assert "Invoice Menu cards within 24 h" not in agenda_text(pilot.app)
    snap = on_disk()
    job = snap.jobs_by_id["job-24"]
    assert (str(job.status), job.delivered) == ("delivered", FIXED_DAY)
    promise = next(p for p in snap.promises if p.job_id == "job-24")
    assert (promise.text, promise.due, str(promise.status), promise.auto) == (
        "Invoice Menu cards within 24 h", FIXED_DAY + dt.timedelta(days=1), "open", "invoice")


async def test_deliver_under_monthly_is_due_at_the_month_end_without_a_promise(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot, "job-18")  # Café Olé invoices monthly
        await pilot.press("x")
        await pilot.pause()
        await fill(pilot, on="2026-11-20")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        row = next(i.row for i in pilot.app.screen._items.values()
                   if i.section == "to_invoice" and i.row.job_id == "job-18")
        assert row.due_on == dt.date(2026, 11, 30)
    snap = on_disk()
    assert snap.jobs_by_id["job-18"].delivered == dt.date(2026, 11, 20)
    assert not any(p.job_id == "job-18" for p in snap.promises)


async def test_invoice_the_marked_delivered_jobs_in_one_step(demo_app, demo_store, on_disk):
    second = demo_store.add_job(Job(client_id="client-7", title="Flyer", price=Decimal("250"), status=JobStatus.ACTIVE))
    demo_store.deliver_job(second.id, dt.date(2026, 11, 26))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await jobs_screen(pilot, "job-41")  # Globex: Newsletter, 1,000.00 EUR
        await pilot.press("space")
        screen.select_job(second.id)
        await pilot.pause()
        await pilot.press("space")
        assert screen._marked == {"job-41", second.id}
        await pilot.press("i")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal) and "1,250.00 EUR" in form.form_title
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, JobsScreen)
        assert {"job-41", second.id}.isdisjoint(j.id for j in screen._jobs)
    snap = on_disk()
    invoice = next(i for i in snap.invoices if set(i.job_ids) == {"job-41", second.id})
    assert sorted((item.description, item.unit_price) for item in invoice.items) == [
        ("Flyer", Decimal("250.00")), ("Newsletter", Decimal("1000.00"))]
    assert (invoice.issued, invoice.total, invoice.client_id) == (FIXED_DAY, Decimal("1250.00"), "client-7")
    assert all(str(snap.jobs_by_id[j].status) == "invoiced" for j in invoice.job_ids)
    assert all(str(p.status) == "kept" for p in snap.promises if p.job_id in invoice.job_ids)


async def test_x_on_a_to_invoice_row_invoices_the_job(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "to_invoice" and i.row.job_id == "job-12")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormModal)
        await pilot.press("enter")
        await pilot.pause()
        keys = pilot.app.screen._items
        assert item.key not in keys
        # its invoicing promise was kept by the invoice: gone from the agenda too
        assert not any(i.section == "promises_due" and i.row.job_id == "job-12" for i in keys.values())
    snap = on_disk()
    invoice = next(i for i in snap.invoices if i.job_ids == ["job-12"])
    assert [(li.description, li.unit_price) for li in invoice.items] == [("Shop redesign", Decimal("900.00"))]
    assert str(snap.jobs_by_id["job-12"].status) == "invoiced"
    promise = next(p for p in snap.promises if p.job_id == "job-12" and p.auto == "invoice")
    assert (str(promise.status), promise.closed) == ("kept", FIXED_DAY)


# --------------------------------------------------------------------------- #
# Promises
# --------------------------------------------------------------------------- #


async def test_new_promise_from_anywhere_shows_on_the_agenda(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot, "job-6")  # Acme Robotics: Spring campaign
        await pilot.press("P")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        assert form.raw_value("client") == "client-1" and form.raw_value("job") == "job-6"
        await fill(pilot, text="Send the storyboard", due="2026-11-28")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert any(i.section == "promises_due" and i.row.text == "Send the storyboard"
                   for i in pilot.app.screen._items.values())
    promise = next(p for p in on_disk().promises if p.text == "Send the storyboard")
    assert (promise.client_id, promise.job_id, promise.due, str(promise.status)) == (
        "client-1", "job-6", dt.date(2026, 11, 28), "open")


async def test_a_promise_for_another_clients_job_is_refused(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        await fill(pilot, client="client-2", text="Call back", job="job-6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        assert "another client" in error_of(form, "job")
    assert all(p.text != "Call back" for p in on_disk().promises)


async def test_b_marks_a_promise_broken_and_d_dropped(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        broken = await select(pilot, lambda i: i.section == "promises_due" and "weekly" in i.row.text)
        await pilot.press("b")
        await pilot.pause()
        dropped = await select(pilot, lambda i: i.section == "promises_due" and "next phase" in i.row.text)
        await pilot.press("d")
        await pilot.pause()
        keys = pilot.app.screen._items
        assert broken.key not in keys and dropped.key not in keys
    by_id = {p.id: p for p in on_disk().promises}
    assert (str(by_id[broken.row.id].status), by_id[broken.row.id].closed) == ("broken", FIXED_DAY)
    assert (str(by_id[dropped.row.id].status), by_id[dropped.row.id].closed) == ("dropped", FIXED_DAY)


# --------------------------------------------------------------------------- #
# Change of brief
# --------------------------------------------------------------------------- #


async def test_change_recorded_drafted_proposed_then_accepted_keeps_history(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await jobs_screen(pilot, "job-24")  # Menu cards, 1,200.00 EUR by 2026-11-25
        await pilot.press("c")
        await pilot.pause()
        await fill(pilot, what="a second menu for the terrace", price="1500", deadline="2026-12-15")
        await pilot.press("ctrl+s")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        body = preview.draft.body
        assert "a second menu for the terrace" in body and "Yes, it can be done" in body
        assert "take longer and/or cost more" in body
        assert "- Price: 1,500.00 EUR (instead of 1,200.00 EUR)" in body
        assert "- Deadline: 2026-12-15 (instead of 2026-11-25)" in body
        assert "wait for your answer" in body
        change = next(c for c in on_disk().changes if c.job_id == "job-24")
        assert str(change.status) == "draft"
        await pilot.press("x")  # mark sent: proposed
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, JobsScreen)
        assert "proposed" in str(screen.query_one("#jobs-detail-head").render())
        snap = on_disk()
        change = snap.changes[[c.id for c in snap.changes].index(change.id)]
        assert (str(change.status), change.sent) == ("proposed", FIXED_DAY)
        assert any(c.kind == "proposal" and c.client_id == "client-4" and c.date == FIXED_DAY
                   and "terrace" in c.summary for c in snap.contacts)
        await pilot.press("y")  # the client accepted
        await pilot.pause()
    snap = on_disk()
    job = snap.jobs_by_id["job-24"]
    assert (job.price, job.deadline) == (Decimal("1500.00"), dt.date(2026, 12, 15))
    assert job.history[-1]["price"] == "1200.00" and job.history[-1]["deadline"] == "2026-11-25"
    assert job.history[-1]["change_id"] == change.id
    answered = next(c for c in snap.changes if c.id == change.id)
    assert (str(answered.status), answered.answered) == ("accepted", FIXED_DAY)


async def test_awaiting_change_declined_from_the_agenda_leaves_the_job(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = await select(pilot, lambda i: i.section == "awaiting_reply" and i.row.kind == "change")
        assert item.row.id == "change-1" and item.row.days_waiting == 6
        await pilot.press("d")
        await pilot.pause()
        assert item.key not in pilot.app.screen._items
    snap = on_disk()
    change = next(c for c in snap.changes if c.id == "change-1")
    assert (str(change.status), change.answered) == ("declined", FIXED_DAY)
    job = snap.jobs_by_id["job-18"]
    assert (job.price, job.history) == (Decimal("1600.00"), [])


async def test_awaiting_change_accepted_from_the_agenda_updates_the_job(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "awaiting_reply" and i.row.kind == "change")
        await pilot.press("a")
        await pilot.pause()
    job = on_disk().jobs_by_id["job-18"]
    assert (job.price, job.deadline) == (Decimal("2080.00"), dt.date(2027, 1, 1))
    assert job.history[-1]["price"] == "1600.00"


# --------------------------------------------------------------------------- #
# Price raise
# --------------------------------------------------------------------------- #


async def test_rate_review_raise_is_proposed_and_drafted(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "rate_reviews" and i.client_id == "client-5")
        await pilot.press("r")
        await pilot.pause()
        await fill(pilot, amount="620", reason="inflation")
        await pilot.press("ctrl+s")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        assert "my new rate will be 620.00 EUR per day" in preview.draft.body
        assert "phone call" in preview.draft.body and "My current rate of 560.00 EUR per day" in preview.draft.body
        await pilot.press("x")
        await pilot.pause()
        assert not any(i.section == "rate_reviews" and i.client_id == "client-5"
                       for i in pilot.app.screen._items.values())
    snap = on_disk()
    pending = next(r for r in snap.rates if r.client_id == "client-5" and str(r.status) == "proposed")
    assert (pending.amount, pending.sent, pending.reason) == (Decimal("620.00"), FIXED_DAY, "inflation")
    assert any(c.client_id == "client-5" and c.kind == "proposal" and c.date == FIXED_DAY for c in snap.contacts)


async def test_raise_accepted_gives_a_new_rate_from_a_date(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "awaiting_reply" and i.row.kind == "rate")
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, on="2026-12-01")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
    snap = on_disk()
    globex = snap.clients_by_id["client-7"]
    assert globex.rate == Decimal("60.00")
    rate = max((r for r in snap.rates if r.client_id == "client-7"), key=lambda r: r.since)
    assert (str(rate.status), rate.since, rate.amount) == ("accepted", dt.date(2026, 12, 1), Decimal("60.00"))


async def test_raise_declined_offers_the_farewell_then_former_when_confirmed(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "awaiting_reply" and i.row.kind == "rate")
        await pilot.press("d")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen) and preview.draft.kind == "farewell"
        assert "can no longer afford to work for you" in preview.draft.body
        assert "work together again" in preview.draft.body
        assert str(on_disk().clients_by_id["client-7"].status) == "active"  # not before confirming
        await pilot.press("x")  # sent: logged
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert not any(i.client_id == "client-7" and i.section in ("checkins_due", "rate_reviews")
                       for i in pilot.app.screen._items.values())
    snap = on_disk()
    assert str(snap.clients_by_id["client-7"].status) == "former"
    rate = next(r for r in snap.rates if r.client_id == "client-7" and r.amount == Decimal("60.00"))
    assert str(rate.status) == "declined"
    assert any(c.client_id == "client-7" and c.summary.startswith("Sent: Thank you") for c in snap.contacts)


async def test_raise_declined_and_former_refused_keeps_the_client(demo_app, on_disk):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "awaiting_reply" and i.row.kind == "rate")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")  # close the farewell without sending
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
    snap = on_disk()
    assert str(snap.clients_by_id["client-7"].status) == "active"
    assert snap.clients_by_id["client-7"].rate == Decimal("50.00")


async def test_draft_copy_says_sent_to_the_terminal_and_save_goes_beside_the_data_file(demo_app, toasts, tmp_path):
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "rate_reviews" and i.client_id == "client-5")
        await pilot.press("r")
        await pilot.pause()
        await fill(pilot, amount="620", reason="inflation")
        await pilot.press("ctrl+s")
        await pilot.pause()
        preview = pilot.app.screen
        assert isinstance(preview, DraftScreen)
        await pilot.press("c")
        await pilot.pause()
        assert any("Sent to the terminal's clipboard (OSC 52)" in t for t in toasts(pilot.app))
        assert not any("Copied" in t for t in toasts(pilot.app))
        preview.action_save_md()
        await pilot.pause()
        folder = pilot.app.store.path.parent / "drafts"
        saved = list(folder.glob("*.md"))
        assert len(saved) == 1 and "620.00 EUR" in saved[0].read_text(encoding="utf-8")
        assert any(str(saved[0]) in t.replace("\n", "") for t in toasts(pilot.app))


async def test_a_long_form_label_keeps_a_gap_before_its_value(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form: FormModal = FormModal("Payment", [Field("date", "Paid on (YYYY-MM-DD)", "2026-12-01")], lambda v: v)
        pilot.app.push_screen(form)
        await pilot.pause()
        label = form.query_one(".field-label")
        value = form.query_one("#field-date")
        assert "Paid on (YYYY-MM-DD)" in label.render().plain  # on one line
        assert label.content_region.right + 2 <= value.region.x


async def test_r_i_b_on_a_row_where_they_do_not_apply_say_why(demo_app, on_disk, toasts):
    before = on_disk()
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await select(pilot, lambda i: i.section == "checkins_due")
        for key in ("r", "i", "b"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(pilot.app.screen, AgendaScreen)
        shown = " ".join(toasts(pilot.app)).replace("\n", " ")
        assert "r: a price raise needs a row under Rate reviews" in shown
        assert "i: invoicing needs a row under To invoice" in shown
        assert "b: marking a promise broken needs a row under Promises" in shown
    assert on_disk().promises == before.promises and on_disk().invoices == before.invoices
