"""The Clients screen's view model: what it shows, computed from a snapshot.

Pure: no Textual here (Rich ``Text`` for the cells and the facts), so every
figure is unit-tested without an app (tests/tui/test_clients_view.py).

Speed with a decade of records: the per-client figures are computed in one
pass per store generation (and day), from the open invoices and the raw contact
dates, and the table cells are built once from them; sorting reorders those
cells, and a filter keystroke that narrows the list only removes rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rich.text import Text

from storage import scheduler
from storage.formats import money, number, short_date
from storage.models import (
    Client,
    ClientStatus,
    InvoiceStatus,
    PromiseStatus,
    Rate,
    RateStatus,
    tax_lines_text,
)
from storage.store import Snapshot
from storage.text import one_line

from ...i18n import N_, _, active, ngettext
from ...widgets.safe import RICH_SEVERITY
from ...widgets.words import CHANNEL, CLIENT_STATUS, RATE_UNIT, word

STATUS_ORDER = {ClientStatus.ACTIVE: 0, ClientStatus.LEAD: 1, ClientStatus.PAUSED: 2, ClientStatus.FORMER: 3}
UNIT_SHORT = {"hour": N_("h"), "day": N_("d"), "project": N_("proj")}
"""A rate's unit in the table's Rate column (``65 EUR/h``)."""
MARKER = {"red": "!!", "amber": "! ", "": ""}
MAX_SHOWN = 300
"""A single-line field longer than this is cut (with an ellipsis) in the detail pane."""

# Column key -> (heading, descending first?). Money and lateness sort biggest first.
# The headings are translated where they are shown (heading()).
COLUMNS: dict[str, tuple[str, bool]] = {
    "name": (N_("Name"), False),
    "status": (N_("Status"), False),
    "last": (N_("Contacted"), False),
    "next": (N_("Check-in"), False),
    "owed": (N_("Outstanding"), True),
    "overdue": (N_("Overdue"), True),
    "rate": (N_("Rate"), True),
}
SORT_ORDER = list(COLUMNS)


# --------------------------------------------------------------------------- #
# Per-client figures, computed once per store generation
# --------------------------------------------------------------------------- #


@dataclass(slots=True)
class ClientRow:
    """One client's figures for the table and the detail pane."""

    client: Client
    last: dt.date | None = None
    next_due: dt.date | None = None
    next_severity: str = ""
    owed: dict[str, Decimal] = field(default_factory=dict)
    overdue_count: int = 0
    overdue_days: int = 0
    overdue_owed: dict[str, Decimal] = field(default_factory=dict)
    overdue_severity: str = ""
    rate_since: dt.date | None = None
    pending: Rate | None = None
    promises: dict[str, int] = field(default_factory=dict)
    unpaid: list[str] = field(default_factory=list)
    """Numbers of sent invoices with something outstanding, oldest first."""
    behaviour: scheduler.Behaviour = scheduler.NO_BEHAVIOUR
    """How the client pays (median days, share paid late, the late-payer flag)."""
    haystack: str = ""
    cells: tuple[Text, ...] = ()
    """Every cell but the name (which is fitted to the width on screen)."""
    name: str = ""


def heading(key: str) -> str:
    """A column's heading in the active language."""
    return _(COLUMNS[key][0])


def _ago(days: int) -> str:
    """A compact "how long ago": today, 3d, 2w, 5mo, 2y."""
    if days < 0:
        return _("in {span}").format(span=_span(-days))
    if days == 0:
        return _("today")
    return _("{span} ago").format(span=_span(days))


def _span(days: int) -> str:
    if days < 14:
        return _("{n}d").format(n=days)
    if days < 63:
        return _("{n}w").format(n=days // 7)
    if days < 730:
        return _("{n}mo").format(n=days * 12 // 365)
    return _("{n}y").format(n=days // 365)


def _age(start: dt.date, today: dt.date) -> str:
    months = scheduler.months_between(start, today)
    if months < 1:
        return _("under a month")
    years, rest = divmod(months, 12)
    if not years:
        return _("{n} mo").format(n=rest)
    if not rest:
        return _("{years} y").format(years=years)
    return _("{years} y {months} mo").format(years=years, months=rest)


def _money(amount: Decimal, currency: str) -> str:
    """``1,200.00 EUR`` / ``1.200,00 EUR`` (storage.formats, the active language)."""
    return money(amount, currency, active())


def _short_money(amount: Decimal, currency: str) -> str:
    """An amount without its decimals when they are zero: ``11,200 EUR``,
    ``11.200 EUR``; else as :func:`_money`."""
    if amount == amount.to_integral_value():
        return f"{number(amount, active(), places=0)} {currency}"
    return _money(amount, currency)


def _day(day: dt.date) -> str:
    return short_date(day, active())


def _unit(unit: object) -> str:
    return word(RATE_UNIT, unit)


def _owed_text(owed: dict[str, Decimal]) -> str:
    """The largest amount owed (whole units without ``.00``), ``+N`` for other currencies."""
    if not owed:
        return ""
    ordered = sorted(owed.items(), key=lambda kv: (-kv[1], kv[0]))
    currency, amount = ordered[0]
    more = f" +{len(ordered) - 1}" if len(ordered) > 1 else ""
    return _short_money(amount, currency) + more


def build_rows(snap: Snapshot, today: dt.date) -> dict[str, ClientRow]:
    """Every client's row, from one pass over the contacts, invoices, rates and promises."""
    rows = {c.id: ClientRow(client=c) for c in snap.clients}
    last = snap.last_contact
    # open_invoices and last_contact read the raw documents: a decade of paid
    # invoices and thousands of contacts are never converted for the table.
    for invoice in snap.open_invoices:
        row = rows.get(invoice.client_id)
        if row is None or invoice.status is not InvoiceStatus.SENT or invoice.issued is None:
            continue
        outstanding = invoice.outstanding
        if outstanding <= 0:
            continue
        row.owed[invoice.currency] = row.owed.get(invoice.currency, Decimal(0)) + outstanding
        row.unpaid.append(invoice.number)
        late = (today - invoice.due_on).days
        if late >= 1:
            row.overdue_count += 1
            row.overdue_owed[invoice.currency] = row.overdue_owed.get(invoice.currency, Decimal(0)) + outstanding
            if late > row.overdue_days:
                row.overdue_days = late
            sev = scheduler.severity(late, invoice.terms_days)
            if sev == "red" or not row.overdue_severity:
                row.overdue_severity = sev
    for rate in snap.rates:
        row = rows.get(rate.client_id)
        if row is None:
            continue
        if rate.status is RateStatus.PROPOSED:
            row.pending = rate
        elif rate.status is RateStatus.ACCEPTED and rate.since is not None:
            if row.rate_since is None or rate.since > row.rate_since:
                row.rate_since = rate.since
    for promise in snap.promises:
        row = rows.get(promise.client_id)
        if row is not None:
            key = str(promise.status)
            row.promises[key] = row.promises.get(key, 0) + 1
    invoice_dates = {inv.number: inv.issued for inv in snap.open_invoices}
    behaviour = scheduler.payment_behaviour(snap, today)
    for row in rows.values():
        client = row.client
        row.behaviour = behaviour.get(client.id, scheduler.NO_BEHAVIOUR)
        row.last = last.get(client.id)
        row.next_due = scheduler.checkin_due_on(client, row.last, today)
        if row.next_due is not None:
            row.next_severity = scheduler.severity((today - row.next_due).days, client.cadence_days)
        if row.rate_since is None and client.rate is not None:
            row.rate_since = client.since
        row.unpaid.sort(key=lambda n: (invoice_dates.get(n) or dt.date.min, n))
        row.haystack = "\n".join([client.name, client.company, client.email, *client.tags]).casefold()
        row.name = one_line(client.name)
        row.cells = _cells(row, today)
    return rows


def _cells(row: ClientRow, today: dt.date) -> tuple[Text, ...]:
    client = row.client
    if row.last is None:
        last = Text(_("never"), style="dim")
    else:
        last = Text(_ago((today - row.last).days))
    if row.next_due is None:
        nxt = Text("-", style="dim")
    else:
        days = (row.next_due - today).days
        sev = row.next_severity
        if days > 0:
            label = _("in {span}").format(span=_span(days))
        elif days == 0:
            label = _("today")
        else:
            label = _("{span} late").format(span=_span(-days))
        nxt = Text(f"{MARKER[sev]}{label}", style=RICH_SEVERITY.get(sev, ""))
    owed = Text(_owed_text(row.owed), justify="right")
    if row.overdue_count:
        times = f" ×{row.overdue_count}" if row.overdue_count > 1 else ""
        sev = row.overdue_severity
        late = _("{n}d").format(n=row.overdue_days)
        overdue = Text(f"{MARKER[sev]}{late}{times}", style=RICH_SEVERITY.get(sev, ""),
                       justify="right")
    else:
        overdue = Text("")
    if client.rate is None:
        rate = Text("-", style="dim", justify="right")
    else:
        unit = UNIT_SHORT.get(str(client.rate_unit))
        rate = Text(f"{_short_money(client.rate, client.currency)}/{_(unit) if unit else ''}", justify="right")
        if row.pending is not None:
            rate.append("↑", style="bold")
    status = Text(word(CLIENT_STATUS, client.status), style="" if client.status is ClientStatus.ACTIVE else "dim")
    return (status, last, nxt, owed, overdue, rate)


def _sort_value(row: ClientRow, column: str):
    """The value a column sorts by; None sorts last whatever the direction."""
    if column == "name":
        return row.name.casefold()
    if column == "status":
        return STATUS_ORDER.get(row.client.status, 9)
    if column == "last":
        return row.last
    if column == "next":
        return row.next_due
    if column == "owed":
        return max(row.owed.values()) if row.owed else None
    if column == "overdue":
        return row.overdue_days or None
    if column == "rate":
        return row.client.rate
    raise KeyError(column)


def sort_ids(rows: Iterable[ClientRow], column: str, reverse: bool) -> list[str]:
    """Client ids in the order of ``column`` (ties by name); empty values last."""
    present, missing = [], []
    for row in rows:
        value = _sort_value(row, column)
        (missing if value is None else present).append((value, row.name.casefold(), row.client.id))
    # Sorting by name first, then stably by the value, keeps ties in name order
    # whichever the direction (a reversed sort is stable too).
    present.sort(key=lambda t: (t[1], t[2]))
    present.sort(key=lambda t: t[0], reverse=reverse)
    missing.sort(key=lambda t: (t[1], t[2]))
    return [t[2] for t in present] + [t[2] for t in missing]


def matches(row: ClientRow, terms: list[str]) -> bool:
    """Every typed word appears in the name, company, email or tags (any case)."""
    return all(term in row.haystack for term in terms)


# --------------------------------------------------------------------------- #
# The detail pane's facts
# --------------------------------------------------------------------------- #


def clip(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def facts_text(row: ClientRow, today: dt.date) -> Text:
    """Contact details, cadence, rate and its age, money owed and the promise record.

    Short lines, so that the pane reads well at 80 columns.
    """
    c = row.client
    out = Text()
    out.append(clip(c.name), style="bold")
    if c.company.strip() and c.company.strip() != c.name.strip():
        out.append("\n" + clip(c.company))
    out.append("\n" + word(CLIENT_STATUS, c.status))
    if c.since:
        out.append(" · " + _("since {date} ({age})").format(date=_day(c.since), age=_age(c.since, today)))
    if c.email.strip():
        out.append("\n" + clip(c.email))
    for person in c.people:
        who = f"{person.name} <{person.email}>" if person.email.strip() else person.name
        out.append(f"\n{person.role}: " + clip(who))
    prefers = _("prefers {channel}").format(channel=word(CHANNEL, c.channel))
    out.append("\n" + " · ".join([*([clip(c.phone)] if c.phone.strip() else []), prefers]))
    billing = [clip(x) for x in (c.legal_name, c.tax_id) if x.strip()]
    if c.language:
        billing.append(_("writes in {language}").format(language=c.language))
    if c.tax_lines is not None:
        billing.append(_("taxes: {taxes}").format(taxes=clip(tax_lines_text(c.tax_lines)) or _("none")))
    if billing:
        out.append("\n" + _("Invoices: {details}").format(details=" · ".join(billing)), style="dim")
    extra = []
    if c.timezone:
        extra.append(clip(c.timezone))
    if c.tags:
        extra.append(_("tags: {tags}").format(tags=clip(", ".join(c.tags))))
    if extra:
        out.append("\n" + " · ".join(extra), style="dim")

    out.append("\n" + _("Check-in every {n} d").format(n=c.cadence_days))
    if row.next_due is not None:
        days = (row.next_due - today).days
        if days == 0:
            when = _("due today")
        elif days > 0:
            when = _("next in {n} d").format(n=days)
        else:
            when = _("{n} d late").format(n=-days)
        out.append(", ")
        out.append(f"{MARKER[row.next_severity]}{when}", style=RICH_SEVERITY.get(row.next_severity, ""))
    if c.snoozed_until and c.snoozed_until >= today:
        out.append("\n" + _("Snoozed until {date}").format(date=_day(c.snoozed_until)), style="dim")
    if row.last:
        out.append("\n" + _("Last contact {date} ({ago})").format(date=_day(row.last),
                                                                   ago=_ago((today - row.last).days)))
    else:
        out.append("\n" + _("Never contacted"), style="dim")

    if c.rate is not None:
        out.append("\n" + _("Rate {amount}/{unit}").format(amount=_short_money(c.rate, c.currency),
                                                           unit=_unit(c.rate_unit)))
        if row.rate_since:
            months = scheduler.months_between(row.rate_since, today)
            review = months >= scheduler.RATE_REVIEW_MONTHS
            out.append(", ")
            old = _("{age} old").format(age=_age(row.rate_since, today))
            out.append(f"{'! ' if review else ''}{old}", style="yellow" if review else "")
    else:
        out.append("\n" + _("No rate set"), style="dim")
    if row.pending is not None:
        p = row.pending
        sent = p.sent or p.since
        rate = f"{_short_money(p.amount, p.currency)}/{_unit(p.unit)}"
        if sent:
            line = _("Raise proposed: {rate}, {n} d waiting").format(rate=rate, n=(today - sent).days)
        else:
            line = _("Raise proposed: {rate}").format(rate=rate)
        out.append("\n" + line, style="yellow")
    if str(c.invoicing) == "monthly":
        terms = _("Terms {n} d · invoice monthly").format(n=c.terms_days)
    else:
        terms = _("Terms {n} d · invoice within {hours} h").format(n=c.terms_days, hours=c.invoice_within_hours)
    out.append("\n" + terms, style="dim")
    if c.retainer is not None:
        r = c.retainer
        amount = _short_money(r.amount, r.currency)
        if r.until:
            line = _("Retainer {amount}/month, day {day}, until {date}").format(amount=amount, day=r.day,
                                                                               date=_day(r.until))
        else:
            line = _("Retainer {amount}/month, day {day}").format(amount=amount, day=r.day)
        out.append("\n" + line)
    b = row.behaviour
    if b.days_to_pay is not None and b.paid_late is not None:
        out.append("\n" + _("Pays in {n} d (median) · {percent}% late").format(n=b.days_to_pay,
                                                                              percent=round(b.paid_late * 100)))
        if b.late_payer:
            out.append(" · ")
            out.append(_("late payer"), style="bold red")

    if row.owed:
        owed = ", ".join(_money(v, k) for k, v in sorted(row.owed.items()))
        out.append("\n" + _("Owed {amounts}").format(amounts=owed))
        if row.overdue_count:
            sev = row.overdue_severity
            amounts = ", ".join(_money(v, k) for k, v in sorted(row.overdue_owed.items()))
            line = ngettext("Overdue {amounts} ({n} invoice, {days} d)", "Overdue {amounts} ({n} invoices, {days} d)",
                            row.overdue_count).format(amounts=amounts, n=row.overdue_count, days=row.overdue_days)
            out.append("\n")
            out.append(f"{MARKER[sev]}{line}", style=RICH_SEVERITY.get(sev, ""))
    else:
        out.append("\n" + _("Nothing owed"), style="dim")
    p = row.promises
    kept, broken = p.get(str(PromiseStatus.KEPT), 0), p.get(str(PromiseStatus.BROKEN), 0)
    dropped = p.get(str(PromiseStatus.DROPPED), 0)
    # One sentence, its broken promises in red: "Promises 3 kept · 1 broken · 0 open".
    sentence = _("Promises {kept} kept · {broken} · {open} open")
    before, __, after = sentence.partition("{broken}")
    counts = {"kept": kept, "open": p.get(str(PromiseStatus.OPEN), 0)}
    out.append("\n" + before.format(**counts))
    out.append(_("{n} broken").format(n=broken), style="bold red" if broken else "")
    out.append(after.format(**counts))
    if dropped:
        out.append(" · " + _("{n} dropped").format(n=dropped))
    return out
