"""Issue 16: the reminder ladder, exactly as docs/rules.md states it.

Reminder ``k+1`` is due on ``max(due_on + ladder[k], last + (ladder[k] -
ladder[k-1]))``; never beyond the ladder, never while on hold, never twice in a
day; escalation only after the final notice's pay-by date. Hand-written cases
(the repros of the issue), property tests over random ladders, histories and
gaps between the reviews, and the store's refusal (CLI included).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import scheduler as sch
from storage.models import Client, Invoice, LineItem, Reminder, Settings
from storage.snapshot import Snapshot
from storage.store import ReminderNotDue

D = dt.date
ISSUED = D(2026, 11, 1)
DUE = ISSUED + dt.timedelta(days=14)  # 2026-11-15


def inv(*reminders: tuple[dt.date, int], on_hold: bool = False, issued: dt.date = ISSUED) -> Invoice:
    return Invoice(
        id="invoice-1", number="2026-001", client_id="client-1", issued=issued, terms_days=14,
        items=[LineItem(description="work", unit_price=Decimal("100.00"))],
        reminders=[Reminder(date=d, level=lv) for d, lv in reminders], on_hold=on_hold,
    )


def snap(invoice: Invoice, ladder=(1, 8, 15), final_days: int = 7) -> Snapshot:
    docs = [
        Settings(id="settings", reminder_ladder=list(ladder), final_notice_days=final_days),
        Client(id="client-1", name="Acme", since=D(2026, 1, 1)),
        invoice,
    ]
    data: dict = {}
    for i, doc in enumerate(docs, 1):
        data.setdefault(doc.TABLE, {})[str(i)] = doc.to_doc()
    return Snapshot(data)


def state(invoice: Invoice, today: dt.date, ladder=(1, 8, 15), final_days: int = 7) -> sch.Chase:
    return sch.chase(invoice, ladder, today, final_days)


# --------------------------------------------------------------------------- #
# The rule, by hand
# --------------------------------------------------------------------------- #


def test_nothing_is_due_before_the_first_rung():
    s = state(inv(), D(2026, 11, 4))  # 11 days before the due date
    assert (s.state, s.level, s.due_on) == ("waiting", 1, D(2026, 11, 16))
    assert s.why_not("2026-001") == "reminder 1 is due on 2026-11-16"


def test_reminder_two_keeps_its_gap_after_a_late_first_reminder():
    # A week away: reminder 1 goes out on day 25 instead of day 1.
    late = DUE + dt.timedelta(days=25)
    s = state(inv((late, 1)), late)
    assert (s.state, s.level) == ("waiting", 2)
    assert s.due_on == late + dt.timedelta(days=7)  # not due + 8, which has passed
    assert state(inv((late, 1)), late + dt.timedelta(days=6)).state == "waiting"
    assert state(inv((late, 1)), late + dt.timedelta(days=7)).state == "due"


def test_on_time_reminders_follow_the_ladder_days():
    assert state(inv((D(2026, 11, 16), 1)), D(2026, 11, 23)).state == "due"  # due + 8
    assert state(inv((D(2026, 11, 16), 1)), D(2026, 11, 22)).state == "waiting"
    two = inv((D(2026, 11, 16), 1), (D(2026, 11, 23), 2))
    assert (state(two, D(2026, 11, 30)).state, state(two, D(2026, 11, 30)).level) == ("due", 3)


def test_a_reminder_logged_today_is_not_due_again_today():
    today = D(2026, 11, 20)
    s = state(inv((today, 1)), today)
    assert s.state == "waiting" and s.due_on > today
    assert sch.reminders_due(snap(inv((today, 1))), today) == []


def test_final_notice_then_pay_by_then_escalate():
    final = D(2026, 12, 4)
    done = inv((D(2026, 11, 16), 1), (D(2026, 11, 23), 2), (final, 3))
    s = state(done, D(2026, 12, 11))
    assert (s.state, s.pay_by) == ("final_sent", D(2026, 12, 11))
    assert s.why_not("2026-001") == "final notice sent: escalate after 2026-12-11"
    assert sch.reminders_due(snap(done), D(2026, 12, 11)) == []
    assert state(done, D(2026, 12, 12)).state == "escalate"
    assert state(done, D(2026, 12, 12)).why_not("2026-001") == "final notice sent: escalate after 2026-12-11"
    rows = sch.reminders_due(snap(done), D(2026, 12, 12))
    assert [(r.level, r.escalate, r.pay_by) for r in rows] == [(None, True, D(2026, 12, 11))]


def test_final_notice_days_come_from_the_settings():
    done = inv((D(2026, 11, 16), 1), (D(2026, 11, 23), 2), (D(2026, 12, 4), 3))
    assert sch.reminders_due(snap(done, final_days=14), D(2026, 12, 12)) == []
    assert sch.reminders_due(snap(done, final_days=14), D(2026, 12, 19))[0].escalate


def test_on_hold_nothing_falls_due_not_even_escalation():
    assert state(inv(on_hold=True), D(2027, 6, 1)).state == "on_hold"
    done = inv((D(2026, 11, 16), 1), (D(2026, 11, 23), 2), (D(2026, 12, 4), 3), on_hold=True)
    assert state(done, D(2027, 6, 1)).state == "on_hold"
    assert sch.reminders_due(snap(done), D(2027, 6, 1)) == []


# --------------------------------------------------------------------------- #
# Properties: random ladders, histories and gaps between the reviews
# --------------------------------------------------------------------------- #

ladders = st.lists(st.integers(0, 40), min_size=1, max_size=5, unique=True).map(sorted).map(tuple)


@settings(max_examples=150)
@given(
    ladders,
    st.lists(st.integers(-20, 150), min_size=1, max_size=40, unique=True),
    st.lists(st.booleans(), min_size=40, max_size=40),
    st.integers(0, 30),
)
def test_the_ladder_never_misfires(ladder, review_offsets, sends, final_days):
    """The freelancer opens the review on random days (days off in between) and
    sometimes does not send what is due. Whatever happens:

    * no two reminders are ever due less than their rung's gap apart, and none
      before its own rung;
    * levels go 1, 2, 3... and never beyond the ladder;
    * every rung is offered, and once sent it is never offered again;
    * escalation only after the final notice's pay-by date.
    """
    invoice = inv()
    days = sorted(DUE + dt.timedelta(days=o) for o in review_offsets)
    # ...then a daily review long enough for the whole ladder to be used up.
    last_day = days[-1]
    days += [last_day + dt.timedelta(days=i) for i in range(1, ladder[-1] + 60)]
    offered: list[int] = []
    escalated_on = None
    for i, day in enumerate(days):
        rows = sch.reminders_due(snap(invoice, ladder, final_days), day)
        assert len(rows) <= 1
        if not rows:
            continue
        row = rows[0]
        sent = invoice.reminders
        if row.escalate:
            assert len(sent) == len(ladder)
            assert day > sent[-1].date + dt.timedelta(days=final_days)
            escalated_on = escalated_on or day
            continue
        assert row.level == len(sent) + 1 <= len(ladder)
        if not offered or offered[-1] != row.level:
            assert row.level not in offered  # a rung sent is never offered again
            offered.append(row.level)
        assert day >= DUE + dt.timedelta(days=ladder[row.level - 1])
        if sent:
            assert day - sent[-1].date >= dt.timedelta(days=ladder[row.level - 1] - ladder[row.level - 2])
        if i >= len(review_offsets) or sends[i % len(sends)]:
            invoice = invoice.replace(reminders=[*sent, Reminder(date=day, level=row.level)])
            # Logged today: not due again today.
            assert sch.reminders_due(snap(invoice, ladder, final_days), day) == []
    assert offered == list(range(1, len(ladder) + 1))
    assert [r.level for r in invoice.reminders] == offered
    assert escalated_on is not None


@given(ladders, st.integers(0, 5), st.integers(-30, 200), st.integers(0, 60))
def test_chase_says_due_exactly_on_the_formula(ladder, k, offset, last_gap):
    """Checked against docs/rules.md's formula written out directly."""
    k = min(k, len(ladder))
    last = DUE + dt.timedelta(days=last_gap) if k else None
    invoice = inv(*[(last, lv) for lv in range(1, k + 1)]) if k else inv()
    today = DUE + dt.timedelta(days=offset)
    s = state(invoice, today, ladder)
    if k >= len(ladder):
        pay_by = last + dt.timedelta(days=7)
        assert s.state == ("escalate" if today > pay_by else "final_sent")
        return
    due = DUE + dt.timedelta(days=ladder[k])
    if k:
        due = max(due, last + dt.timedelta(days=ladder[k] - ladder[k - 1]))
    expected = today >= due and (last is None or last < today)
    assert s.is_due == expected
    assert s.level == k + 1


# --------------------------------------------------------------------------- #
# The store enforces it (so every screen and the CLI obey)
# --------------------------------------------------------------------------- #


@pytest.fixture
def owed(store):
    from storage.models import Client as C

    client = store.add_client(C(name="Acme", since=D(2026, 1, 1), email="ana@acme.test"))
    store.add_invoice(client.id, [LineItem(description="work", unit_price=Decimal("100.00"))], issued=ISSUED)
    return store


def test_store_refuses_a_reminder_not_due(owed):
    with pytest.raises(ReminderNotDue, match=r"^reminder 1 is due on 2026-11-16$"):
        owed.add_reminder("2026-001", D(2026, 11, 4))
    owed.add_reminder("2026-001", D(2026, 11, 16))
    with pytest.raises(ReminderNotDue, match=r"^reminder 2 is due on 2026-11-23$"):
        owed.add_reminder("2026-001", D(2026, 11, 16))
    assert [r.level for r in owed.find_invoice("2026-001").reminders] == [1]


def test_store_force_logs_anyway_but_never_beyond_the_ladder(owed):
    owed.add_reminder("2026-001", D(2026, 11, 4), force=True)
    for _ in range(4):
        owed.add_reminder("2026-001", D(2026, 11, 5), force=True)
    assert [r.level for r in owed.find_invoice("2026-001").reminders] == [1, 2, 3, 3, 3]


def test_store_refuses_on_hold_and_after_the_final_notice(owed):
    owed.set_hold("2026-001", True)
    with pytest.raises(ReminderNotDue, match="on hold"):
        owed.add_reminder("2026-001", D(2026, 12, 1))
    owed.set_hold("2026-001", False)
    for day in (D(2026, 11, 16), D(2026, 11, 23), D(2026, 11, 30)):
        owed.add_reminder("2026-001", day)
    with pytest.raises(ReminderNotDue, match=r"^final notice sent: escalate after 2026-12-07$"):
        owed.add_reminder("2026-001", D(2026, 12, 7))


def test_cli_remind_exits_1_with_the_due_date_and_force_overrides(run_cli):
    run = lambda *a: run_cli(*a, today=D(2026, 11, 16))  # noqa: E731
    assert run("client", "add", "Acme", "--email", "ana@acme.test").rc == 0
    assert run("invoice", "add", "Acme", "100", "--issued", "2026-11-01").rc == 0
    assert run("invoice", "remind", "2026-001").rc == 0
    again = run("invoice", "remind", "2026-001")
    assert again.rc == 1 and again.stdout == ""
    assert again.stderr.strip() == "rapport: reminder 2 is due on 2026-11-23"
    forced = run("invoice", "remind", "2026-001", "--force")
    assert forced.rc == 0 and "Overdue: invoice 2026-001" in forced.stdout
    # Reminder 2's text names the date of reminder 1, not today's.
    assert "I wrote to you on 2026-11-16" in forced.stdout


def test_board_cards_follow_the_same_rule():
    from storage.invoicing import overdue_board

    final = D(2026, 12, 4)
    done = inv((D(2026, 11, 16), 1), (D(2026, 11, 23), 2), (final, 3))

    def card(day):
        (c,) = [c for col in overdue_board(snap(done), day) for c in col.cards]
        return c

    before = card(D(2026, 12, 11))
    assert (before.final_sent, before.escalate, before.pay_by, before.next_date) == (True, False, D(2026, 12, 11), None)
    after = card(D(2026, 12, 12))
    assert (after.final_sent, after.escalate) == (False, True)
    late = inv((DUE + dt.timedelta(days=25), 1))
    (c,) = [c for col in overdue_board(snap(late), DUE + dt.timedelta(days=25)) for c in col.cards]
    assert (c.next_level, c.next_date, c.reminder_due(DUE + dt.timedelta(days=25))) == (
        2, DUE + dt.timedelta(days=32), False)
