"""``rapport today``'s human output (tui/report.py) and the text helpers it uses
(storage/text.py): layout at 80 columns, truncation, colour, and that user text
never reaches the terminal as control characters."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage import scheduler as sch
from storage.models import (
    Change,
    Client,
    Contact,
    Document,
    Invoice,
    Job,
    JobStatus,
    LineItem,
    Promise,
    Rate,
    RateStatus,
    Reminder,
    Settings,
)
from storage.store import Snapshot
from storage.text import cell_width, fit, one_line, visible
from tui.report import NOTHING_DUE, render_review

D = dt.date
TODAY = D(2026, 3, 10)
SGR = re.compile(r"\x1b\[[0-9;]*m")


def snap(*docs: Document) -> Snapshot:
    data: dict[str, dict[str, dict]] = {}
    for doc in docs:
        table = data.setdefault(doc.TABLE, {})
        table[str(len(table) + 1)] = doc.to_doc()
    return Snapshot(data)


def inv(number: str, client_id: str, issued: dt.date, total: str = "100.00", **kw) -> Invoice:
    return Invoice(id=f"invoice-{number}", number=number, client_id=client_id, issued=issued,
                   items=[LineItem(description="work", unit_price=Decimal(total))], **kw)


def busy(name1: str = "Acme", name2: str = "Bravo") -> sch.Review:
    """A review with a row in every one of the nine sections."""
    s = snap(
        Settings(id="settings"),
        Client(id="client-1", name=name1, since=D(2020, 1, 1), rate=Decimal("50.00")),
        Client(id="client-2", name=name2, since=D(2026, 3, 1)),
        Contact(id="contact-1", client_id="client-1", date=D(2026, 3, 3)),
        inv("2026-001", "client-1", D(2026, 1, 1), reminders=[Reminder(date=D(2026, 1, 16), level=1),
                                                               Reminder(date=D(2026, 1, 23), level=2),
                                                               Reminder(date=D(2026, 1, 30), level=3)]),
        inv("2026-002", "client-1", D(2026, 2, 1), total="123456.78"),
        inv("2026-003", "client-2", D(2026, 2, 25)),
        Job(id="job-1", client_id="client-1", title="Logo", status=JobStatus.DELIVERED,
            delivered=D(2026, 3, 8), price=Decimal("900.00")),
        Job(id="job-2", client_id="client-2", title="Site", status=JobStatus.ACTIVE, deadline=D(2026, 3, 12)),
        Promise(id="promise-1", client_id="client-1", text="Weekly update", due=D(2026, 3, 9)),
        Change(id="change-1", job_id="job-2", client_id="client-2", what="Add a page", sent=D(2026, 3, 2)),
        Rate(id="rate-1", client_id="client-2", amount=Decimal("70.00"), since=D(2026, 3, 1),
             sent=D(2026, 3, 1), status=RateStatus.PROPOSED),
    )
    review = sch.review(s, TODAY)
    assert all(rows for _, rows in review.sections())
    return review


# --------------------------------------------------------------------------- #
# Text helpers
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain", "plain"),
        ("a\x1b[31mb", "a\u241b[31mb"),          # ESC
        ("ding\x07", "ding\u2407"),              # BEL
        ("\x00\x1f", "\u2400\u241f"),            # the C0 range ends
        ("del\x7f", "del\u2421"),                # DEL
        ("csi\x9b31m", "csi\ufffd31m"),          # C1 CSI
        ("nel\x85x", "nel\ufffdx"),              # C1 NEL
        ("a\rb", "a\u240db"),                    # CR would overwrite the line
        ("evil\u202etxt", "evil\ufffdtxt"),      # right-to-left override
        ("\u2067iso\u2069", "\ufffdiso\ufffd"),  # isolates
        ("مرحبا שלום", "مرحبا שלום"),            # right-to-left text renders as is
        ("café 😀 東京", "café 😀 東京"),
    ],
)
def test_visible(raw, shown):
    assert visible(raw) == shown


def test_visible_keeps_newlines_only_when_asked():
    assert visible("a\nb\r\n") == "a\u240ab\u240d\u240a"
    assert visible("a\nb\r\n", keep_newlines=True) == "a\nb\u240d\n"


def test_one_line_collapses_whitespace_then_shows_controls():
    assert one_line("  Send\n\tweekly\r\n update\x1b ") == "Send weekly update\u241b"


@given(st.text())
def test_visible_leaves_no_control_character(text):
    out = visible(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in out)
    assert len(out) == len(text)  # one symbol per character: nothing hidden, nothing dropped


@pytest.mark.parametrize(
    "text, width",
    [("abc", 3), ("東京", 4), ("😀x", 3), ("e\u0301", 1), ("", 0), ("\u241b", 1)],
)
def test_cell_width(text, width):
    assert cell_width(text) == width


@pytest.mark.parametrize(
    "text, width, align, out",
    [
        ("abc", 5, "<", "abc  "),
        ("abc", 5, ">", "  abc"),
        ("abcdef", 5, "<", "abcd…"),
        ("abcde", 5, "<", "abcde"),
        ("東京都庁", 5, "<", "東京…"),
        ("東京都庁", 6, "<", "東京… "),
        ("abc", 0, "<", ""),
    ],
)
def test_fit(text, width, align, out):
    assert fit(text, width, align=align) == out
    assert cell_width(fit(text, width, align=align)) == width


# --------------------------------------------------------------------------- #
# The report
# --------------------------------------------------------------------------- #


def test_empty_review_says_nothing_due():
    out = render_review(sch.review(snap(), TODAY), TODAY, color=False)
    assert out.endswith("Nothing due today.\n")
    assert out.splitlines() == [
        "rapport: daily review for Tuesday 10 March 2026 (2026-03-10)", "", NOTHING_DUE,
    ]


def test_sections_in_agenda_order_with_counts_and_rows():
    out = render_review(busy(), TODAY, color=False)
    assert out.endswith("\n") and not out.endswith("\n\n")
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")][1:]
    assert headings == [
        "Reminders due (2)", "Overdue invoices (2)", "Invoices due soon (1)", "Check-ins due (2)",
        "Promises (1)", "Deadlines (1)", "To invoice (1)", "Awaiting reply (2)", "Rate reviews (1)",
    ]
    lines = out.splitlines()
    def section(title: str) -> list[str]:
        start = lines.index(title) + 1
        end = lines.index("", start) if "" in lines[start:] else len(lines)
        return lines[start:end]
    assert section("Reminders due (2)") == [
        "  Acme  2026-001: call, write off or claim          54 days late      100.00 EUR",
        "  Acme  2026-002: send reminder 1                   23 days late  123,456.78 EUR",
    ]
    overdue = section("Overdue invoices (2)")
    assert [line.split()[1].rstrip(",") for line in overdue] == ["2026-001", "2026-002"]
    assert overdue[1].endswith("23 days late  123,456.78 EUR")
    assert "3 reminders sent" in overdue[0]
    assert section("Invoices due soon (1)")[0].endswith("due tomorrow  100.00 EUR")
    checkins = section("Check-ins due (2)")
    assert checkins[0].split()[:1] == ["Bravo"] and checkins[0].endswith("9 days late")
    assert "last contact 2026-03-03" in checkins[1] and checkins[1].endswith("due today")
    assert section("To invoice (1)")[0].endswith("1 day late  900.00 EUR")
    assert "Invoice Logo (delivered 2026-03-08)" in section("To invoice (1)")[0]
    assert section("Deadlines (1)")[0].endswith("in 2 days")
    awaiting = section("Awaiting reply (2)")
    assert awaiting[0].endswith("waiting 9 days") and "price raise: Price raise to 70.00 EUR/hour" in awaiting[0]
    assert awaiting[1].endswith("waiting 8 days") and "No answer to change: Add a page" in awaiting[1]
    assert section("Rate reviews (1)") == [
        "  Acme  Rate 50.00 EUR/hour since 2020-01-01                           74 months"]


def test_every_line_fits_80_columns_and_long_names_get_an_ellipsis():
    long = "Extraordinarily Long Client Name International Holdings GmbH & Co. KG"
    out = render_review(busy(long, "東京デザイン事務所株式会社グループ"), TODAY, color=False)
    for line in out.splitlines():
        assert cell_width(line) <= 80, line
    assert "  Extraordinarily Lon…  " in out  # 20 columns with the ellipsis
    assert long not in out
    assert "123,456.78 EUR" in out  # amounts are never truncated
    # Wide characters are cut at a cell boundary too, and columns still align.
    cjk = [line for line in out.splitlines() if "東京" in line]
    assert cjk and all("…" in line for line in cjk)
    soon = out.splitlines()[out.splitlines().index("Invoices due soon (1)") + 1]
    assert cell_width(soon) == cell_width(soon.rstrip()) <= 80


@pytest.mark.parametrize("width", [30, 40, 60, 100, 132])
def test_lines_fit_other_widths(width):
    out = render_review(busy("A" * 50, "B" * 50), TODAY, color=True, width=width)
    for line in out.splitlines():
        assert cell_width(SGR.sub("", line)) <= width, line
    if width >= 40:
        assert "123,456.78 EUR" in out  # amounts are kept whole while there is any room


@pytest.mark.parametrize("width, names", [(40, ("Acme", "Bravo")), (60, ("A" * 50, "B" * 50))])
def test_narrow_widths_keep_the_invoice_number(width, names):
    """Long names give up space before the invoice number does."""
    lines = render_review(busy(*names), TODAY, color=False, width=width).splitlines()
    overdue = lines[lines.index("Overdue invoices (2)") + 2]
    assert overdue.split()[1] in ("2026-002", "2026-002…")  # whole; the words after it may be cut
    assert overdue.endswith("23d late 123,456.78 EUR")  # compact below 64 columns


def test_no_colour_unless_asked():
    plain = render_review(busy(), TODAY, color=False)
    assert "\x1b" not in plain
    coloured = render_review(busy(), TODAY, color=True)
    assert SGR.sub("", coloured) == plain


def test_colours_amber_for_due_red_for_severe():
    lines = render_review(busy(), TODAY, color=True).splitlines()
    # Check-in due today: amber; Bravo never contacted since 2026-03-01, 9 days
    # with a 7-day cadence: red.
    acme = next(line for line in lines if "last contact 2026-03-03" in line)
    bravo = next(line for line in lines if "never contacted" in line)
    assert "\x1b[33mdue today\x1b[0m" in acme
    assert "\x1b[31m9 days late\x1b[0m" in bravo
    escalate = next(line for line in lines if "call, write off or claim" in line)
    assert "\x1b[31m54 days late\x1b[0m" in escalate
    assert lines[0].startswith("\x1b[1m")


def test_control_characters_in_user_text_never_reach_the_terminal():
    evil = "Evil\x1b]0;pwned\x07\x1b[2J\x9b1m\u202eCo"
    review = busy(evil)
    for color in (False, True):
        out = render_review(review, TODAY, color=color)
        text = SGR.sub("", out) if color else out
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\u202e" not in text
        assert "Evil\u241b]0;pwned\u2407" in text
    # With colour, the only escape sequences are our own SGR codes.
    coloured = render_review(review, TODAY, color=True)
    assert set(SGR.findall(coloured)) <= {"\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[33m"}


def test_markup_looking_text_is_shown_as_typed():
    out = render_review(busy("[bold]Acme[/]"), TODAY, color=False)
    assert "[bold]Acme[/]" in out


def test_multiline_promise_text_is_one_line():
    s = snap(Client(id="client-1", name="Acme", since=D(2020, 1, 1)),
             Contact(id="contact-1", client_id="client-1", date=TODAY),
             Promise(id="promise-1", client_id="client-1", text="Send\nthe\tdraft", due=TODAY))
    out = render_review(sch.review(s, TODAY), TODAY, color=False)
    assert out.splitlines()[-2:] == ["Promises (1)", "  Acme  " + "Send the draft".ljust(61) + "  due today"]


def test_upcoming_only_counts():
    s = snap(Client(id="client-1", name="Acme", since=D(2020, 1, 1)),
             Contact(id="contact-1", client_id="client-1", date=TODAY),
             Promise(id="promise-1", client_id="client-1", text="Call", due=TODAY + dt.timedelta(days=2)),
             Promise(id="promise-2", client_id="client-1", text="Mail", due=TODAY + dt.timedelta(days=1)))
    out = render_review(sch.review(s, TODAY), TODAY, color=False)
    assert out.splitlines()[2:] == [
        "Promises (2 upcoming)",
        "  Acme  Mail" + " " * 56 + "due tomorrow",
        "  Acme  Call" + " " * 59 + "in 2 days",
    ]
    assert all(cell_width(line) == 80 for line in out.splitlines()[3:])


def test_report_does_not_import_textual():
    code = "import tui.report, sys; assert 'textual' not in sys.modules and 'rich' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
