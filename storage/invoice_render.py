"""An invoice as a document: Markdown, and HTML rendered from it.

``rapport invoice show NUMBER --format md|html`` prints these. The invoice
carries the guide's payment-terms sentence ("Payment is due within two weeks of
the invoice date." for the default 14 days, the right words for any other term,
and the Spanish with ``settings.language`` ``es``).

Everything typed by a person (names, addresses, line descriptions) is data: in
the Markdown it is backslash-escaped so it cannot become emphasis, a link or a
table column, and the HTML comes from markdown-it-py's ``js-default`` preset,
which escapes raw HTML, so ``<script>`` in a description is shown as text.
Control characters are made visible (storage.text), never passed through.

Pure functions: no Textual, no file access.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from markdown_it import MarkdownIt

from .drafts import format_date, format_money, payment_terms_sentence
from .interest import late_charges
from .models import Client, Invoice, InvoiceStatus, Language, Settings
from .store import Snapshot
from .text import one_line

__all__ = ["FORMATS", "render", "render_html", "render_markdown", "md_escape"]

FORMATS = ("md", "html")

_LABELS = {
    Language.EN: {
        "invoice": "Invoice",
        "draft": "DRAFT: not sent",
        "void": "VOID",
        "written_off": "Written off",
        "paid": "Paid in full",
        "from": "From",
        "to": "Bill to",
        "issued": "Invoice date",
        "due": "Due date",
        "description": "Description",
        "quantity": "Quantity",
        "unit_price": "Unit price",
        "amount": "Amount",
        "total": "Total",
        "paid_so_far": "Paid",
        "outstanding": "Outstanding",
        "payments": "Payments received",
        "terms": "Payment terms",
        "late": "Late payment (as of {date}): interest at {percent} % a year for {days} days past due, {interest}; "
                "fixed compensation, {compensation}. Now due in all: {total}.",
    },
    Language.ES: {
        "invoice": "Factura",
        "draft": "BORRADOR: no enviada",
        "void": "ANULADA",
        "written_off": "Dada por incobrable",
        "paid": "Pagada",
        "from": "De",
        "to": "Facturar a",
        "issued": "Fecha de la factura",
        "due": "Fecha de vencimiento",
        "description": "Descripción",
        "quantity": "Cantidad",
        "unit_price": "Precio unitario",
        "amount": "Importe",
        "total": "Total",
        "paid_so_far": "Pagado",
        "outstanding": "Pendiente",
        "payments": "Pagos recibidos",
        "terms": "Condiciones de pago",
        "late": "Demora en el pago (a {date}): intereses al {percent} % anual por {days} días de retraso, {interest}; "
                "indemnización fija, {compensation}. Total a pagar ahora: {total}.",
    },
}

# Every ASCII punctuation character that can start inline Markdown (emphasis,
# code, links, images, autolinks, raw HTML, entities, strikethrough) or split a
# table cell. Block syntax (#, -, 1.) only matters at the start of a line, and
# user text never starts one here.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!])")


# What would start a block (heading, quote, list, setext underline) at the
# start of a line: user lines are joined with hard breaks, so each starts one.
_MD_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[+-](?=\s|$)|[=-]+\s*$|\d{1,9}(?=[.)](?:\s|$)))")


def md_escape(text: str) -> str:
    """User text for one line of Markdown: shown literally, whatever it contains."""
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line(text))
    match = _MD_LINE_START.match(escaped)
    if match:
        end = match.end()
        if escaped[0].isdigit() and end < len(escaped):  # "1. x": escape the dot or parenthesis
            return escaped[:end] + "\\" + escaped[end:]
        return "\\" + escaped
    return escaped


def _number(value: Decimal, language: Language) -> str:
    """A quantity as typed people expect: ``1``, ``2.5`` (``2,5`` in Spanish)."""
    if value == value.to_integral_value():
        text = format(value.quantize(Decimal(1)), "f")
    else:
        text = format(value.normalize(), "f")
    return text.replace(".", ",") if language is Language.ES else text


def render_markdown(
    snapshot: Snapshot, invoice: Invoice, *, lang: str | Language | None = None, today: dt.date | None = None
) -> str:
    """The invoice as a Markdown document (CommonMark plus a table). Given
    ``today``, an overdue invoice under late-payment terms also states the
    interest and compensation due as of that day."""
    settings: Settings = snapshot.settings
    language = Language(lang or settings.language)
    words = _LABELS[language]
    client: Client | None = snapshot.clients_by_id.get(invoice.client_id)
    currency = invoice.currency

    def money(amount: Decimal) -> str:
        return format_money(amount, currency, language)

    out: list[str] = [f"# {words['invoice']} {md_escape(invoice.number)}", ""]
    state = _state_note(invoice, words)
    if state:
        out += [f"**{state}**", ""]

    sender = [s for s in (settings.business, settings.name, settings.address, settings.email,
                          settings.phone, settings.website) if s and s.strip()]
    if sender:
        out.append(f"**{words['from']}:** " + "  \n".join(md_escape(s) for s in sender))
        out.append("")
    if client is not None:
        receiver = [client.name]
        if client.company.strip() and client.company.strip().casefold() != client.name.strip().casefold():
            receiver.append(client.company)
        if client.email.strip():
            receiver.append(client.email)
    else:
        receiver = [invoice.client_id]
    out.append(f"**{words['to']}:** " + "  \n".join(md_escape(s) for s in receiver))
    out.append("")
    if invoice.issued is not None:
        out.append(f"**{words['issued']}:** {format_date(invoice.issued, language)}  ")
        out.append(f"**{words['due']}:** {format_date(invoice.due_on, language)}")
        out.append("")

    out.append(f"| {words['description']} | {words['quantity']} | {words['unit_price']} | {words['amount']} |")
    out.append("| --- | ---: | ---: | ---: |")
    for item in invoice.items:
        out.append(
            f"| {md_escape(item.description) or ' '} | {_number(item.quantity, language)} "
            f"| {money(item.unit_price)} | {money(item.total(currency))} |"
        )
    out.append(f"| **{words['total']}** | | | **{money(invoice.total)}** |")
    out.append("")

    if invoice.payments:
        out.append(f"**{words['payments']}:**")
        out.append("")
        for payment in sorted(invoice.payments, key=lambda p: (p.date is None, p.date)):
            when = format_date(payment.date, language) if payment.date else "?"
            out.append(f"- {when}: {money(payment.amount)}")
        out.append("")
        out.append(f"**{words['paid_so_far']}:** {money(invoice.paid)}  ")
        out.append(f"**{words['outstanding']}:** {money(invoice.outstanding)}")
        out.append("")

    out.append(f"**{words['terms']}:** {payment_terms_sentence(invoice.terms_days, language)}")
    if today is not None:
        charges = late_charges(invoice, settings, client, today)
        if charges is not None and charges.days > 0:
            out.append("")
            out.append(words["late"].format(
                date=format_date(today, language), percent=_number(charges.percent, language), days=charges.days,
                interest=money(charges.interest), compensation=money(charges.compensation),
                total=money(invoice.outstanding + charges.total),
            ))
    return "\n".join(out) + "\n"


def _state_note(invoice: Invoice, words: dict[str, str]) -> str:
    if invoice.status is InvoiceStatus.DRAFT:
        return words["draft"]
    if invoice.status is InvoiceStatus.VOID:
        return words["void"]
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        return words["written_off"]
    if invoice.outstanding <= 0:
        return words["paid"]
    return ""


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left; }
th:not(:first-child), td:not(:first-child) { text-align: right; }
""".strip()


def render_html(
    snapshot: Snapshot, invoice: Invoice, *, lang: str | Language | None = None, today: dt.date | None = None
) -> str:
    """The invoice as a standalone HTML page, rendered from :func:`render_markdown`
    by markdown-it-py's ``js-default`` preset (raw HTML escaped, tables on)."""
    settings = snapshot.settings
    language = Language(lang or settings.language)
    body = MarkdownIt("js-default").render(render_markdown(snapshot, invoice, lang=language, today=today))
    title = html.escape(f"{_LABELS[language]['invoice']} {one_line(invoice.number)}")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language.value}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


def render(
    snapshot: Snapshot, invoice: Invoice, fmt: str = "md", *, lang: str | Language | None = None,
    today: dt.date | None = None,
) -> str:
    """``md`` or ``html``."""
    if fmt == "html":
        return render_html(snapshot, invoice, lang=lang, today=today)
    if fmt == "md":
        return render_markdown(snapshot, invoice, lang=lang, today=today)
    raise ValueError(f"{fmt!r} is not one of: {', '.join(FORMATS)}")
