"""An invoice as a document: Markdown, and HTML rendered from it.

``rapport invoice show NUMBER --format md|html`` prints these. The invoice
carries the guide's payment-terms sentence ("Payment is due within two weeks of
the invoice date." for the default 14 days, the right words for any other term).
It is written in the client's language (else the settings'), whatever the
language of the screens: its words come from that language's catalog
(``storage.i18n.translation``) and its figures from ``storage.formats``.

Everything typed by a person (names, addresses, line descriptions) is data: in
the Markdown it is backslash-escaped so it cannot become emphasis, a link or a
table column, and the HTML comes from markdown-it-py's ``js-default`` preset,
which escapes raw HTML, so ``<script>`` in a description is shown as text.
Control characters are made visible (storage.text), never passed through.

Pure functions: no Textual, no file access.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Callable
from decimal import Decimal

from markdown_it import MarkdownIt

from .drafts import format_date, payment_terms_sentence
from .formats import money as money_text
from .formats import number
from .i18n import N_, translation
from .interest import late_charges
from .models import Client, Invoice, InvoiceStatus, Language, Settings
from .snapshot import Snapshot
from .text import one_line

__all__ = ["FORMATS", "InvoiceView", "invoice_view", "invoice_words", "md_escape", "render", "render_html",
           "render_markdown"]

FORMATS = ("md", "html")

_LABELS = {
    "title": N_("Invoice {number}"),
    "number": N_("Invoice number"),
    "draft": N_("DRAFT: not sent"),
    "void": N_("VOID"),
    "written_off": N_("Written off"),
    "paid": N_("Paid in full"),
    "from": N_("From"),
    "to": N_("Bill to"),
    "issued": N_("Invoice date"),
    "due": N_("Due date"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "unit_price": N_("Unit price"),
    "amount": N_("Amount"),
    "total": N_("Total"),
    "paid_so_far": N_("Paid"),
    "outstanding": N_("Outstanding"),
    "payments": N_("Payments received"),
    "terms": N_("Payment terms"),
    "subtotal": N_("Subtotal"),
    "tax_id": N_("Tax ID"),
    "payment_details": N_("Payment details"),
    "late": N_("Late payment (as of {date}): interest at {percent} % a year for {days} days past due, {interest}; "
               "fixed compensation, {compensation}. Now due in all: {total}."),
}
"""An invoice's words, in English, marked for the catalog: :func:`invoice_words`
gives them in the client's language. ``title`` is the heading, ``number`` the label
of the number beside the dates."""


def invoice_words(language: Language | str) -> dict[str, str]:
    """The invoice's words in ``language`` (its catalog; English without one)."""
    catalog = translation(str(language))
    return {key: catalog.gettext(text) for key, text in _LABELS.items()}


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
    return number(value, str(language))


@dataclasses.dataclass(frozen=True)
class InvoiceView:
    """An invoice's words and figures, ready to lay out: every format (Markdown,
    HTML, PDF) draws this one view, so they never disagree on a figure.

    Texts typed by a person are here as typed but on one line, with control
    characters made visible; each format escapes them its own way.
    """

    language: Language
    words: dict[str, str]
    number: str
    state: str
    sender: list[str]
    receiver: list[str]
    issued: str | None
    due: str | None
    items: list[tuple[str, str, str, str]]
    """Description, quantity, unit price, amount."""
    subtotal: str | None
    """Shown when there are taxes."""
    taxes: list[tuple[str, str]]
    """Each tax line's label (``IVA 21 %``) and amount (withheld: negative)."""
    tax_note: str
    total: str
    payments: list[tuple[str, str]]
    """Date, amount."""
    paid: str | None
    outstanding: str | None
    terms: str
    payment_details: list[str]
    late: str = ""
    """Late-payment interest and compensation due as of the day asked for, if any."""

    @property
    def title(self) -> str:
        return self.words["title"].format(number=self.number)


def invoice_view(snapshot: Snapshot, invoice: Invoice, *, lang: Language | None = None,
                 today: dt.date | None = None) -> InvoiceView:
    """What the invoice says, in ``lang`` (default: the client's, else the
    settings' language). Given ``today``, an overdue invoice under late-payment
    terms also states the interest and compensation due as of that day."""
    settings: Settings = snapshot.settings
    client: Client | None = snapshot.clients_by_id.get(invoice.client_id)
    language = str(lang or (client.language if client else None) or settings.language)
    words = invoice_words(language)
    currency = invoice.currency

    def money(amount: Decimal) -> str:
        return money_text(amount, currency, str(language))

    def tax_id(value: str) -> list[str]:
        return [f"{words['tax_id']}: {value}"] if value.strip() else []

    issuer = settings.legal_name or settings.business or settings.name
    sender = [issuer, *([settings.name] if settings.name != issuer and not settings.legal_name else []),
              *([settings.business] if settings.legal_name and settings.business != issuer else []),
              *settings.address.splitlines(), *tax_id(settings.tax_id),
              settings.email, settings.phone, settings.website]
    sender = [s for s in sender if s and s.strip()]
    if client is not None:
        receiver = [client.legal_name or client.name]
        if client.company.strip() and client.company.strip().casefold() not in (
                client.name.strip().casefold(), client.legal_name.strip().casefold()):
            receiver.append(client.company)
        receiver += client.address.splitlines() + tax_id(client.tax_id)
        billing = client.billing_contact
        if billing is not None:
            receiver.append(f"{billing.name} <{billing.email}>" if billing.email else billing.name)
        elif client.email.strip():
            receiver.append(client.email)
        receiver = [r for r in receiver if r and r.strip()]
    else:
        receiver = [invoice.client_id]
    taxes = [(f"{one_line(line.name)} {_number(line.percent, language)} %",
              money(-amount if line.withheld else amount)) for line, amount in invoice.taxes()]
    payments = [
        (format_date(p.date, language) if p.date else "?", money(p.amount))
        for p in sorted(invoice.payments, key=lambda p: (p.date is None, p.date))
    ]
    return InvoiceView(
        language=language,
        words=words,
        number=one_line(invoice.number),
        state=_state_note(invoice, words),
        sender=[one_line(s) for s in sender],
        receiver=[one_line(s) for s in receiver],
        issued=format_date(invoice.issued, language) if invoice.issued is not None else None,
        due=format_date(invoice.due_on, language) if invoice.issued is not None else None,
        items=[(one_line(item.description), _number(item.quantity, language), money(item.unit_price),
                money(item.total(currency))) for item in invoice.items],
        subtotal=money(invoice.subtotal) if taxes else None,
        taxes=taxes,
        tax_note=one_line(invoice.tax_note),
        total=money(invoice.total),
        payments=payments,
        paid=money(invoice.paid) if invoice.payments else None,
        outstanding=money(invoice.outstanding) if invoice.payments else None,
        terms=payment_terms_sentence(invoice.terms_days, language),
        payment_details=[one_line(line) for line in settings.payment_details.splitlines() if line.strip()],
        late=_late_words(invoice, settings, client, today, words, language, money),
    )


def _late_words(invoice: Invoice, settings: Settings, client: Client | None, today: dt.date | None,
                words: dict[str, str], language: Language, money: Callable[[Decimal], str]) -> str:
    if today is None:
        return ""
    charges = late_charges(invoice, settings, client, today)
    if charges is None or charges.days <= 0:
        return ""
    return words["late"].format(
        date=format_date(today, language), percent=_number(charges.percent, language), days=charges.days,
        interest=money(charges.interest), compensation=money(charges.compensation),
        total=money(invoice.outstanding + charges.total),
    )


def render_markdown(
    snapshot: Snapshot, invoice: Invoice, *, lang: Language | None = None, today: dt.date | None = None
) -> str:
    """The invoice as a Markdown document (CommonMark plus a table). Given
    ``today``, an overdue invoice under late-payment terms also states the
    interest and compensation due as of that day."""
    view = invoice_view(snapshot, invoice, lang=lang, today=today)
    words = view.words
    out: list[str] = [f"# {words['title'].format(number=md_escape(view.number))}", ""]
    if view.state:
        out += [f"**{view.state}**", ""]
    if view.sender:
        out.append(f"**{words['from']}:** " + "  \n".join(md_escape(s) for s in view.sender))
        out.append("")
    out.append(f"**{words['to']}:** " + "  \n".join(md_escape(s) for s in view.receiver))
    out.append("")
    if view.issued is not None:
        out.append(f"**{words['issued']}:** {view.issued}  ")
        out.append(f"**{words['due']}:** {view.due}")
        out.append("")

    out.append(f"| {words['description']} | {words['quantity']} | {words['unit_price']} | {words['amount']} |")
    out.append("| --- | ---: | ---: | ---: |")
    for description, quantity, unit, amount in view.items:
        out.append(f"| {md_escape(description) or ' '} | {quantity} | {unit} | {amount} |")
    if view.subtotal is not None:
        out.append(f"| {words['subtotal']} | | | {view.subtotal} |")
    for label, amount in view.taxes:
        out.append(f"| {md_escape(label)} | | | {amount} |")
    out.append(f"| **{words['total']}** | | | **{view.total}** |")
    out.append("")
    if view.tax_note:
        out += [md_escape(view.tax_note), ""]

    if view.payments:
        out.append(f"**{words['payments']}:**")
        out.append("")
        for when, amount in view.payments:
            out.append(f"- {when}: {amount}")
        out.append("")
        out.append(f"**{words['paid_so_far']}:** {view.paid}  ")
        out.append(f"**{words['outstanding']}:** {view.outstanding}")
        out.append("")

    if view.payment_details:
        out.append(f"**{words['payment_details']}:** " + "  \n".join(md_escape(s) for s in view.payment_details))
        out.append("")
    out.append(f"**{words['terms']}:** {view.terms}")
    if view.late:
        out += ["", view.late]
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
    snapshot: Snapshot, invoice: Invoice, *, lang: Language | None = None, today: dt.date | None = None
) -> str:
    """The invoice as a standalone HTML page, rendered from :func:`render_markdown`
    by markdown-it-py's ``js-default`` preset (raw HTML escaped, tables on)."""
    view = invoice_view(snapshot, invoice, lang=lang, today=today)
    language = view.language
    body = MarkdownIt("js-default").render(render_markdown(snapshot, invoice, lang=language, today=today))
    title = html.escape(view.title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


def render(
    snapshot: Snapshot, invoice: Invoice, fmt: str = "md", *, lang: Language | None = None,
    today: dt.date | None = None,
) -> str:
    """``md`` or ``html``."""
    if fmt == "html":
        return render_html(snapshot, invoice, lang=lang, today=today)
    if fmt == "md":
        return render_markdown(snapshot, invoice, lang=lang, today=today)
    raise ValueError(f"{fmt!r} is not one of: {', '.join(FORMATS)}")
