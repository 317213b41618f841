"""The Agenda words every section of the registry (storage.scheduler.SECTIONS)
from its rows' data: when, what and how much, in English and Spanish."""

from __future__ import annotations

import datetime as dt

from storage.demo import generate
from storage.languages import language_dir
from storage.scheduler import SECTIONS, Phrase, PromiseRow, review
from storage.snapshot import Snapshot
from storage.store import parse_export
from tui.screens.agenda import render_row

DAY = dt.date(2026, 11, 27)


def templates(part: Phrase) -> set[str]:
    out = {part.text}
    for __, value in part.values:
        if isinstance(value, Phrase):
            out |= templates(value)
    return out


def _spanish() -> set[str]:
    """The msgids the Spanish catalog translates."""
    from babel.messages.pofile import read_po

    folder = language_dir("es")
    assert folder is not None
    with (folder / "LC_MESSAGES" / "rapport.po").open("rb") as handle:
        return {m.id for m in read_po(handle, locale="es") if m.id and m.string and not m.fuzzy}


def test_every_section_title_and_row_phrase_has_its_spanish():
    ES = _spanish()
    result = review(Snapshot(parse_export(generate(DAY, "large"))), DAY)
    missing = {entry.title for entry in SECTIONS if entry.title not in ES}
    for __, rows in result.sections():
        for row in rows:
            for part in row.what:
                missing |= {text for text in templates(part) if text not in ES and text != "{typed}"}
    assert not missing


def test_rows_are_worded_from_their_data_in_either_language():
    result = review(Snapshot(parse_export(generate(DAY, "large"))), DAY)
    for name, rows in result.sections():
        row = rows[0]
        english = render_row(name, row, 100, lang="en").plain
        spanish = render_row(name, row, 100, lang="es").plain
        assert row.client[:10] in english and row.client[:10] in spanish
        if row.amount is not None:
            assert row.amount.currency in english and row.amount.currency in spanish
        if name == "rate_reviews":
            assert "Rate " in english and "Tarifa " in spanish


def test_the_invoicing_promise_is_worded_in_either_language():
    """The demo lists no invoicing promise any more (its jobs are under To
    invoice, which says it once: issue 18); one still open for a job that left
    that list is worded from its parts, in English and Spanish."""
    row = PromiseRow(id="promise-1", client="Globex", client_id="client-1", text="Invoice Newsletter within 24 h",
                     due_on=DAY, days_overdue=0, job_id="job-1", auto="invoice")
    assert "Invoice Newsletter within 24 h" in render_row("promises_due", row, 100, lang="en").plain
    assert "Facturar Newsletter en 24 h" in render_row("promises_due", row, 100, lang="es").plain
    assert "Invoice {job} within {hours} h" in _spanish()
