"""Demo data: a freelancer's history, deterministic from a seed, relative to today.

``small`` is eight clients and a year of work; ``large`` is the reference data
set of docs/rules.md (60 clients, a busy decade: 3,000 invoices, 8,000 contacts, and
jobs, promises, changes and rates, over 12,000 documents); a number ``N`` is N
clients at the large set's density (300 is five times the large set).

Old history is settled (delivered, invoiced, paid). The last weeks follow a cycle
of situations, so that every section of the daily review has real rows: a
check-in due and one badly late, an invoice past due at each step of the reminder
ladder, one on hold, one due soon, a delivered job not yet invoiced, a promise
due, a deadline close, a change of brief and a price raise waiting for an answer,
a rate unchanged for over a year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from .models import (
    Change,
    ChangeStatus,
    Channel,
    Client,
    ClientStatus,
    Contact,
    ContactKind,
    Direction,
    Document,
    Invoice,
    InvoiceStatus,
    InvoicingRule,
    Job,
    JobStatus,
    LineItem,
    Payment,
    Person,
    PersonRole,
    Promise,
    PromiseStatus,
    Rate,
    RateStatus,
    RateUnit,
    Reminder,
    Retainer,
    Settings,
)
from .scheduler import (
    invoice_promise_text,
    period_words,
    retainer_periods,
    to_invoice_due_on,
)

D = TypeVar("D", bound=Document)

SEED = 20261127

NAMES = [
    "Acme Robotics", "Bellweather Books", "Café Olé", "Delta Dental Lab", "Estudio Núñez",
    "Fernhill Farm", "Globex", "Harbour Lights Hotel", "Iberia Tiles", "Juniper Analytics",
    "Kestrel Kites", "Lumen Studio", "Marlowe & Sons", "Nordlicht GmbH", "Orchard Dental",
    "Pixel Pâtisserie", "Quillfeather Press", "Riverside Clinic", "Solaris Energy", "Tinto Bodegas",
    "Umbra Architects", "Verdant Gardens", "Waveform Audio", "Xanadu Travel", "Yellowfin Sushi",
    "Zephyr Cycles", "Aurora Yoga", "Brightwater Legal", "Copperleaf Tea", "Dunmore Estates",
    "Ember Coffee", "Fjord Outfitters", "Granite Gym", "Hollow Oak Films", "Indigo Print",
    "Jasper & Vine", "Kōen Ramen", "Lighthouse Charity", "Mosaic School", "Nimbus Cloud",
    "Olive Grove Deli", "Peregrine Maps", "Quartz Jewellery", "Rook Chess Club", "Saffron Kitchen",
    "Thistle Wool", "Upland Cider", "Vega Observatory", "Willow Vet", "Xenial Hostels",
    "Yarrow Herbals", "Zinc Roofing", "Alba Musica", "Birchwood Joinery", "Cobalt Marine",
    "Dahlia Florist", "Elm Street Dental", "Fable Games", "Gilded Frame", "Heron Bay Kayaks",
]
PEOPLE = ["Ana", "Ben", "Carmen", "David", "Elena", "Farid", "Grace", "Hugo", "Inés", "Jon", "Kai", "Lucía"]
SURNAMES = ["López", "Hart", "Ruiz", "Okafor", "Núñez", "Haddad", "Lee", "Martin", "Vidal", "Ibarra", "Sato", "Gil"]
WORK = ["Website refresh", "Annual report", "Brand guidelines", "Newsletter", "Product photos",
        "Brochure", "Landing page", "Translation", "Data cleanup", "Booking system", "Menu design",
        "Catalogue", "Grant application", "Video edit", "Logo"]
SUMMARIES = ["Weekly update sent", "Sent interim version", "Call about next steps", "They asked for a quote",
             "Shared progress and the next milestone", "Coffee meeting", "Answered questions on the draft"]

LARGE_CLIENTS = 60
# Density of the large set, per client over its ~10 years.
INVOICES_PER_CLIENT = 53
CONTACTS_PER_CLIENT = 134


class _Builder:
    """Collects documents with ids from per-prefix counters, as the store would."""

    def __init__(self, stamp: str, counters: Mapping[str, int] | None = None) -> None:
        self.stamp = stamp
        self.counters: dict[str, int] = dict(counters or {})
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def add(self, doc: D) -> D:
        number = self.counters.get(doc.PREFIX, 0) + 1
        self.counters[doc.PREFIX] = number
        doc = doc.replace(id=f"{doc.PREFIX}-{number}", created_at=self.stamp, updated_at=self.stamp)
        self.tables.setdefault(doc.TABLE, []).append(doc.to_doc())
        return doc


def generate(
    today: dt.date, size: str | int = "small", seed: int = SEED, *, counters: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The demo data, as an export object (see Store.import_data).

    ``counters``: a file's id counters (its settings' ``counters``), for a demo
    that goes into that file (Store.fill_with_demo): its ids and invoice
    numbers then follow the ones the file has handed out, never reusing one."""
    from .models import SCHEMA_VERSION

    if size == "small":
        n_clients, years = 8, 1
    elif size == "large":
        n_clients, years = LARGE_CLIENTS, 10
    else:
        n_clients, years = int(size), 10
    rng = random.Random(seed)
    stamp = f"{today.isoformat()}T08:00:00Z"
    b = _Builder(stamp, {k: v for k, v in (counters or {}).items() if not k.startswith("invoice-")})
    invoice_seq: dict[int, int] = {
        int(k.removeprefix("invoice-")): v for k, v in (counters or {}).items()
        if k.startswith("invoice-") and k.removeprefix("invoice-").isdigit()
    }

    def number_for(issued: dt.date) -> str:
        invoice_seq[issued.year] = invoice_seq.get(issued.year, 0) + 1
        return f"{issued.year}-{invoice_seq[issued.year]:03d}"

    def days(n: int) -> dt.timedelta:
        return dt.timedelta(days=n)

    invoices_per = INVOICES_PER_CLIENT if years > 1 else 8
    contacts_per = CONTACTS_PER_CLIENT if years > 1 else 20
    pending_invoices: list[tuple[dt.date, Client, Job | None, Decimal, dict[str, Any]]] = []

    for i in range(n_clients):
        name = NAMES[i % len(NAMES)] + (f" {i // len(NAMES) + 1}" if i >= len(NAMES) else "")
        person = PEOPLE[i % len(PEOPLE)]
        history_days = 365 * years - rng.randrange(0, 120)
        if i % 10 in (4, 9):  # their rate is over a year old: a rate review
            history_days = max(history_days, 480)
        since = today - days(history_days)
        status = ClientStatus.ACTIVE
        if i % 13 == 11:
            status = ClientStatus.PAUSED
        elif i % 17 == 16:
            status = ClientStatus.FORMER
        elif i % 19 == 18:
            status = ClientStatus.LEAD
        currency = "EUR" if i % 5 else ("GBP" if i % 10 else "USD")
        rate = Decimal(rng.choice([45, 50, 55, 60, 65, 70, 80, 90]))
        unit = RateUnit.HOUR if i % 4 else RateUnit.DAY
        if unit is RateUnit.DAY:
            rate *= 8
        domain = f"{_ascii(name.split()[0])}.example"
        people = [Person(name=f"{person} {SURNAMES[i % len(SURNAMES)]}", email=f"{_ascii(person)}@{domain}")]
        if i % 2 == 1:  # invoices go to their accounts team
            people.append(Person(name="Accounts", email=f"accounts@{domain}", role=PersonRole.BILLING))
        client = b.add(
            Client(
                name=name,
                company=name,
                email=f"{_ascii(person)}@{domain}",
                people=people,
                language="es" if name.startswith(("Iberia", "Tinto")) else None,
                phone=f"+34 600 {100 + i:03d} {200 + i:03d}",
                channel=rng.choice(list(Channel)),
                status=status,
                since=since,
                cadence_days=rng.choice([7, 7, 7, 14, 14, 30]),
                terms_days=14 if i % 6 else 30,
                invoicing=InvoicingRule.MONTHLY if i % 3 == 2 else InvoicingRule.ON_DELIVERY,
                invoice_within_hours=24 if i % 4 else 48,
                rate=rate,
                currency=currency,
                rate_unit=unit,
                tags=[rng.choice(["design", "web", "print", "retainer", "nonprofit"])],
                retainer=_demo_retainer(today, currency) if i == 0 else None,
                notes=(
                    f"# {name}\n\nMain contact: **{person}**. "
                    f"Prefers {rng.choice(['email', 'calls', 'short messages'])}.\n\n"
                    "- Weekly update on Fridays\n"
                ),
            )
        )
        assert isinstance(client, Client)
        # Rate history: a raise roughly every two years; the recent cycle decides
        # whether the current rate is over a year old.
        cycle = i % 10
        raises = max(1, years // 2)
        amount = rate - Decimal(5) * raises * (8 if unit is RateUnit.DAY else 1)
        b.add(Rate(client_id=client.id, amount=amount, currency=currency, unit=unit, since=since,
                   reason="starting rate", status=RateStatus.ACCEPTED))
        for r in range(1, raises + 1):
            amount += Decimal(5) * (8 if unit is RateUnit.DAY else 1)
            when = since + days(int(history_days * r / (raises + 1)))
            if r == raises:
                when = today - days(400 if cycle in (4, 9) else 120)
            b.add(Rate(client_id=client.id, amount=amount, currency=currency, unit=unit, since=when,
                       reason="yearly review" if r % 2 else "inflation", status=RateStatus.ACCEPTED,
                       sent=when - days(10), answered=when))

        # Contacts spread over the history, ending at a cycle-dependent last contact.
        last_gap = [2, 9, 25, 4, 1, 12, 3, 40, 6, 8][cycle]
        if status is not ClientStatus.ACTIVE:
            last_gap = 30 + cycle
        span = max(1, history_days - last_gap)
        for k in range(contacts_per):
            when = since + days(int(span * k / max(1, contacts_per - 1)))
            b.add(Contact(client_id=client.id, date=when, channel=rng.choice(list(Channel)),
                          direction=rng.choice([Direction.OUT, Direction.OUT, Direction.IN]),
                          summary=rng.choice(SUMMARIES), kind=rng.choice(list(ContactKind)[:4])))

        # Settled history: jobs delivered, invoiced and paid.
        settled_span = max(1, history_days - 75)
        for k in range(invoices_per - 3):
            issued = since + days(int(settled_span * (k + 1) / invoices_per))
            hours = Decimal(rng.randrange(4, 40))
            job = b.add(Job(client_id=client.id, title=f"{rng.choice(WORK)} #{k + 1}", brief="Settled work.",
                            price=(hours * rate).quantize(Decimal("0.01")), currency=currency,
                            deadline=issued - days(2), status=JobStatus.INVOICED, delivered=issued - days(1)))
            assert isinstance(job, Job)
            pay_after = rng.randrange(3, client.terms_days + 10)
            if i == 2:  # Café Olé pays late as a habit: the late-payer mark
                pay_after = client.terms_days + 4 + k % 9
            reminders = (
                [Reminder(date=issued + days(client.terms_days + 1), level=1)]
                if pay_after > client.terms_days + 1
                else []
            )
            pending_invoices.append((issued, client, job, hours * rate, {
                "payments": [Payment(date=issued + days(pay_after), amount=(hours * rate).quantize(Decimal("0.01")))],
                "reminders": reminders,
            }))
            if k % 9 == 4:
                b.add(Promise(client_id=client.id, job_id=job.id, text=f"Invoice {job.title} within 24 h",
                              due=issued, status=PromiseStatus.KEPT, closed=issued, auto="invoice"))
            if k % 12 == 7:
                b.add(Change(job_id=job.id, client_id=client.id, what="Two extra pages",
                             price=(hours * rate * Decimal("1.2")).quantize(Decimal("0.01")),
                             sent=issued - days(20), status=ChangeStatus.ACCEPTED, answered=issued - days(18)))

        if status is not ClientStatus.ACTIVE:
            continue
        # The recent situation, by cycle.
        recent = _recent(cycle, today)
        for issued_ago, amount_hours, extra in recent["invoices"]:
            issued = today - days(issued_ago)
            pending_invoices.append((issued, client, None, Decimal(amount_hours) * rate, extra))
        if client.retainer is not None:
            # The retainer's past months (none in the demo as shipped), invoiced
            # on their day and paid; this month's is still to invoice.
            for period, day in retainer_periods(client.retainer, today - days(30)):
                pending_invoices.append((day, client, None, client.retainer.amount, {
                    "payments": [Payment(date=day + days(9), amount=client.retainer.amount)],
                    "period": period,
                    "description": f"{client.retainer.covers}, {period_words(period)}",
                }))
        for title, state in recent["jobs"]:
            job = b.add(Job(client_id=client.id, title=title, brief=f"## {title}\n\nAgreed scope, see email.",
                            price=(Decimal(20) * rate).quantize(Decimal("0.01")), currency=currency,
                            deadline=today + days(state.get("deadline", 20)),
                            status=state.get("status", JobStatus.ACTIVE),
                            delivered=(today - days(state["delivered"])) if "delivered" in state else None))
            assert isinstance(job, Job)
            if "delivered" in state and client.invoicing is InvoicingRule.ON_DELIVERY:
                hours_rule = client.invoice_within_hours
                b.add(Promise(client_id=client.id, job_id=job.id, text=invoice_promise_text(title, hours_rule),
                              due=to_invoice_due_on(today - days(state["delivered"]), client.invoicing, hours_rule),
                              auto="invoice"))
            if "change" in state:
                b.add(Change(job_id=job.id, client_id=client.id, what=state["change"],
                             price=(Decimal(26) * rate).quantize(Decimal("0.01")),
                             deadline=today + days(35), sent=today - days(state.get("change_sent", 6)),
                             status=ChangeStatus.PROPOSED))
        for text, due_in in recent["promises"]:
            b.add(Promise(client_id=client.id, text=text, due=today + days(due_in)))
        if recent.get("raise"):
            b.add(Rate(client_id=client.id, amount=rate + Decimal(10), currency=currency, unit=unit,
                       since=today - days(7), sent=today - days(7), reason="inflation and a full calendar",
                       status=RateStatus.PROPOSED))

    # Invoices are numbered in date order, like a real per-year sequence.
    pending_invoices.sort(key=lambda row: (row[0], row[1].id))
    for issued, client, billed_job, raw_total, extra in pending_invoices:
        total = raw_total.quantize(Decimal("0.01"))
        title = billed_job.title if billed_job else extra.get("description", "Work this month")
        status = extra.get("status", InvoiceStatus.SENT)
        b.add(
            Invoice(
                number="" if status is InvoiceStatus.DRAFT else number_for(issued),
                client_id=client.id,
                job_ids=[billed_job.id] if billed_job else [],
                items=[LineItem(description=title, quantity=Decimal(1), unit_price=total)],
                currency=client.currency,
                issued=issued,
                terms_days=client.terms_days,
                status=status,
                payments=[
                    p if p.amount != Decimal(-1) else Payment(date=p.date, amount=(total / 2).quantize(Decimal("0.01")))
                    for p in extra.get("payments", [])
                ],
                reminders=extra.get("reminders", []),
                on_hold=extra.get("on_hold", False),
                period=extra.get("period"),
            )
        )

    counters = dict(b.counters)
    for year, last in invoice_seq.items():
        counters[f"invoice-{year}"] = last
    settings = Settings(
        id="settings",
        created_at=stamp,
        updated_at=stamp,
        name="Alex Rivera",
        business="Rivera Studio",
        legal_name="Alex Rivera Gómez",
        tax_id="12345678Z",
        address="Calle del Prado 12, 28014 Madrid, Spain",
        payment_details="IBAN ES91 2100 0418 4502 0005 1332 · BIC CAIXESBBXXX",
        email="alex@rivera.example",
        phone="+34 600 000 000",
        website="rivera.example",
        timezone="Europe/Madrid",
        counters=counters,
    )
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for table in ("client", "contact", "job", "change", "promise", "rate", "invoice", "template"):
        out[table] = b.tables.get(table, [])
    out["settings"] = [settings.to_doc()]
    return out


def _demo_retainer(today: dt.date, currency: str) -> Retainer:
    """Acme Robotics' monthly fee: from the first of this month, invoiced on
    the day two days before the demo's today, so this month's is to invoice.
    (Starting earlier would add invoices and renumber the demo's others.)"""
    first = today.replace(day=1)
    day = min(max((today - dt.timedelta(days=2)).day, 1), 28)
    return Retainer(amount=Decimal("600.00"), currency=currency, covers="Website care and hosting",
                    day=day, since=first)


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _recent(cycle: int, today: dt.date) -> dict[str, Any]:
    """The last weeks of one client, by its place in a ten-step cycle."""
    half = Decimal(-1)  # marker: pay half of the total
    def paid(ago: int) -> list[Payment]:
        return [Payment(date=today - dt.timedelta(days=ago), amount=half)]
    situations: list[dict[str, Any]] = [
        {
            "invoices": [(20, 12, {"reminders": []})],
            "jobs": [("Spring campaign", {"deadline": 3})],
            "promises": [("Send the weekly progress update", 0)],
        },
        {
            "invoices": [(25, 10, {"reminders": [Reminder(date=today - dt.timedelta(days=10), level=1)]})],
            "jobs": [("Shop redesign", {"delivered": 1, "status": JobStatus.DELIVERED})],
            "promises": [],
        },
        {
            "invoices": [
                (
                    45,
                    16,
                    {
                        "reminders": [
                            Reminder(date=today - dt.timedelta(days=30), level=1),
                            Reminder(date=today - dt.timedelta(days=23), level=2),
                        ]
                    },
                )
            ],
            "jobs": [("Annual report", {"change": "Twelve extra pages and a Spanish edition", "change_sent": 6})],
            "promises": [],
        },
        {
            "invoices": [(12, 8, {})],
            "jobs": [("Menu cards", {"deadline": -2})],
            "promises": [("Send interim version of the catalogue", 2)],
        },
        {
            "invoices": [
                (
                    90,
                    20,
                    {
                        "reminders": [
                            Reminder(date=today - dt.timedelta(days=75), level=1),
                            Reminder(date=today - dt.timedelta(days=68), level=2),
                            Reminder(date=today - dt.timedelta(days=61), level=3),
                        ]
                    },
                )
            ],
            "jobs": [],
            "promises": [],
            "raise": False,
        },
        {
            "invoices": [(30, 14, {"on_hold": True})],
            "jobs": [("Booking system", {"deadline": 6})],
            "promises": [("Call to agree the next phase", -1)],
        },
        {
            "invoices": [(18, 9, {"payments": paid(3)})],
            "jobs": [("Newsletter", {"delivered": 3, "status": JobStatus.DELIVERED})],
            "promises": [],
            "raise": True,
        },
        {
            "invoices": [(5, 6, {}), (40, 7, {"reminders": [Reminder(date=today - dt.timedelta(days=25), level=1)]})],
            "jobs": [],
            "promises": [],
        },
        {
            "invoices": [(2, 10, {"status": InvoiceStatus.DRAFT})],
            "jobs": [("Grant application", {"deadline": 12})],
            "promises": [("Invoice monthly retainer", 1)],
        },
        {
            "invoices": [(65, 5, {"reminders": []})],
            "jobs": [("Video edit", {"delivered": 10, "status": JobStatus.DELIVERED})],
            "promises": [],
        },
    ]
    return situations[cycle]
