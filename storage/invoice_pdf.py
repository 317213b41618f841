"""An invoice as a PDF: the document that gets attached and paid.

A4, one typographic layout: the issuer and the client side by side, the
number and dates, the lines, the totals, the payments so far, and the terms
sentence in the invoice's language. It draws :class:`InvoiceView`, the same
words and figures as the Markdown and HTML (storage.invoice_render), so the
formats never disagree.

Made with fpdf2 (pure Python) and DejaVu Sans, shipped in ``storage/fonts``
(free licence, beside it) and embedded in every file, so any Unicode text
prints without system fonts: Latin, Greek, Cyrillic, Arabic and Hebrew letters
have glyphs; a character the font lacks (CJK, emoji) prints as the font's
empty box, never an error. Pure: no Textual, no file written here.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .invoice_render import InvoiceView, invoice_view
from .models import Invoice, Language
from .snapshot import Snapshot

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"

# A4 in millimetres, with the margins of a printed letter.
MARGIN = 20.0
INK = (34, 34, 34)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)
ALERT = (170, 30, 30)


def render_pdf(view: InvoiceView, *, created: dt.datetime) -> bytes:
    """The invoice ``view`` as the bytes of a PDF file; ``created`` (the store
    clock's now) is its creation date, so the same inputs make the same bytes."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    # fpdf2 logs each glyph a font lacks; that is expected for CJK or emoji.
    logging.getLogger("fpdf").setLevel(logging.ERROR)

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(view.title)
    pdf.set_lang(view.language)
    pdf.set_creator("rapport")
    pdf.set_creation_date(created)  # not fpdf2's default, the wall clock
    pdf.add_page()
    width = pdf.epw
    words = view.words

    def text(size: float, style: str = "", color: tuple[int, int, int] = INK) -> None:
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*color)

    def line(label: str, *, height: float = 5.0, align: str = "L", w: float = 0) -> None:
        pdf.multi_cell(w or width, height, label, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # Title and state.
    text(20, "B")
    line(view.title, height=10)
    if view.state:
        text(11, "B", ALERT)
        line(view.state, height=6)
    pdf.ln(4)

    # Issuer and client, side by side.
    half = (width - 10) / 2
    top = pdf.get_y()
    bottoms = []
    for x, label, lines in ((MARGIN, words["from"], view.sender), (MARGIN + half + 10, words["to"], view.receiver)):
        pdf.set_xy(x, top)
        text(8, "B", MUTED)
        pdf.multi_cell(half, 5, label.upper(), new_x=XPos.LEFT, new_y=YPos.NEXT)
        text(10)
        for entry in lines:
            pdf.set_x(x)
            pdf.multi_cell(half, 5, entry, new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottoms.append(pdf.get_y())
    pdf.set_xy(MARGIN, max(bottoms) + 6)

    # Number and dates.
    facts = [(words["number"], view.number)]
    if view.issued is not None:
        facts += [(words["issued"], view.issued), (words["due"], view.due or "")]
    for label, value in facts:
        text(10, "B")
        pdf.cell(50, 6, label)
        text(10)
        pdf.cell(width - 50, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(5)

    # The lines. Drawn row by row rather than with fpdf2's table, which
    # refuses a row taller than a page: a description may run to 10,000
    # characters, and then flows on over the next page.
    columns = ((78.0, "L"), (22.0, "R"), (35.0, "R"), (35.0, "R"))

    def rule() -> None:
        pdf.set_draw_color(*RULE)
        pdf.line(MARGIN, pdf.get_y(), MARGIN + width, pdf.get_y())

    def figures(cells: tuple[str, ...], y: float) -> None:
        x = MARGIN + columns[0][0]
        for (w, align), value in zip(columns[1:], cells, strict=False):
            pdf.set_xy(x, y)
            pdf.cell(w, 6, value, align=align)
            x += w

    text(9, "B", MUTED)
    top = pdf.get_y()
    pdf.multi_cell(columns[0][0], 6, words["description"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    figures((words["quantity"], words["unit_price"], words["amount"]), top)
    pdf.set_xy(MARGIN, top + 7)
    rule()
    text(10)
    for description, *amounts in view.items:
        if pdf.get_y() + 8 > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y() + 1
        figures(tuple(amounts), top)
        pdf.set_xy(MARGIN, top)
        pdf.multi_cell(columns[0][0] - 2, 6, description or " ", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + 1)
        rule()
    pdf.ln(3)

    # Totals, right-aligned under the amounts.
    label_w, value_w = 45.0, 40.0
    x = MARGIN + width - label_w - value_w
    totals: list[tuple[str, str, bool]] = []
    if view.subtotal is not None:
        totals.append((words["subtotal"], view.subtotal, False))
    totals += [(label, amount, False) for label, amount in view.taxes]
    totals.append((words["total"], view.total, True))
    if view.paid is not None:
        totals += [(words["paid_so_far"], view.paid, False), (words["outstanding"], view.outstanding or "", True)]
    for label, value, strong in totals:
        pdf.set_x(x)
        text(11 if strong else 10, "B" if strong else "")
        pdf.cell(label_w, 7, label)
        pdf.cell(value_w, 7, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    if view.tax_note:
        text(10)
        line(view.tax_note)
        pdf.ln(3)
    if view.late:
        text(10, "B", ALERT)
        line(view.late)
        pdf.ln(3)
    if view.payments:
        text(10, "B")
        line(words["payments"])
        text(10)
        for when, amount in view.payments:
            line(f"{when}   {amount}")
        pdf.ln(3)

    # How to pay, then the terms: the guide's sentence, in the invoice's language.
    rule()
    pdf.ln(3)
    if view.payment_details:
        text(10, "B")
        line(words["payment_details"])
        text(10)
        for entry in view.payment_details:
            line(entry)
        pdf.ln(2)
    text(10, "B")
    line(words["terms"])
    text(10)
    line(view.terms)
    return bytes(pdf.output())


def invoice_pdf(snapshot: Snapshot, invoice: Invoice, *, created: dt.datetime,
                lang: Language | None = None, today: dt.date | None = None) -> bytes:
    """The PDF of ``invoice`` as it stands in ``snapshot``; given ``today``,
    with the late-payment interest due as of that day (``invoice show``)."""
    return render_pdf(invoice_view(snapshot, invoice, lang=lang, today=today), created=created)


def attachment_name(invoice: Invoice) -> str:
    """``invoice-2026-001.pdf``: the file name an email gives the invoice."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in invoice.number or invoice.id)
    return f"invoice-{safe}.pdf"
