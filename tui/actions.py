"""The actions every screen offers on a selected row, in one place.

Log a contact, record a payment, snooze, draft a message, put on hold: the
Agenda, the Clients screen and the Overdue board all open the same forms and
call the same store methods, so they behave identically everywhere. Each
function pushes a modal; the change is committed by the store before the modal
closes, and then the app refreshes whatever is on screen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from storage.models import Channel, Contact, ContactKind, Direction
from storage.values import money_str, parse_date, parse_money

from .widgets.form import Field, FormModal

if TYPE_CHECKING:
    from .app import RapportApp

CHANNELS = [(c.value.capitalize(), c.value) for c in Channel]
KINDS = [(k.value.capitalize(), k.value) for k in ContactKind]
DIRECTIONS = [("Out (I contacted them)", "out"), ("In (they contacted me)", "in")]

DRAFT_CONTACT_KIND = {
    "checkin": ContactKind.CHECK_IN,
    "update": ContactKind.PROGRESS_UPDATE,
    "change": ContactKind.PROPOSAL,
    "raise": ContactKind.PROPOSAL,
    "farewell": ContactKind.OTHER,
    "invoice": ContactKind.OTHER,
    "statement": ContactKind.REMINDER,
    "reminder": ContactKind.REMINDER,
}


def _date_parser(app: RapportApp, name: str):
    lang = str(app.store.settings().language)
    return lambda text: parse_date(text, name, lang=lang)


def log_contact(app: RapportApp, client_id: str, *, kind: str = "check-in", summary: str = "") -> None:
    """The log-a-contact form: date (today), channel, direction, kind and note."""
    store = app.store
    client = store.snapshot().clients_by_id[client_id]

    def submit(values: dict[str, Any]) -> Contact:
        return store.log_contact(
            Contact(client_id=client_id, date=values["date"], channel=Channel(values["channel"]),
                    direction=Direction(values["direction"]), kind=ContactKind(values["kind"]),
                    summary=values["summary"])
        )

    form = FormModal(
        f"Log a contact with {client.name}",
        [
            Field("date", "Date (YYYY-MM-DD)", app.today.isoformat(), _date_parser(app, "date")),
            Field("channel", "Channel", str(client.channel), choices=CHANNELS),
            Field("direction", "Direction", "out", choices=DIRECTIONS),
            Field("kind", "Kind", kind, choices=KINDS),
            Field("summary", "Note", summary, placeholder="What was said or sent", aliases=("summary",)),
        ],
        submit,
    )
    app.push_screen(form, lambda saved: saved and app.saved(f"Logged a contact with {client.name}"))


def record_payment(app: RapportApp, number: str) -> None:
    """The payment form: amount (what is outstanding) and date (today)."""
    store = app.store
    invoice = store.snapshot().invoice(number)
    currency = invoice.currency

    def parse_amount(text: str) -> Decimal:
        return parse_money(text, currency, "amount")

    def submit(values: dict[str, Any]):
        return store.record_payment(number, values["amount"], values["date"])

    form = FormModal(
        f"Record a payment on invoice {number} ({money_str(invoice.outstanding, currency)} {currency} outstanding)",
        [
            Field("amount", f"Amount ({currency})", money_str(invoice.outstanding, currency), parse_amount),
            Field("date", "Paid on (YYYY-MM-DD)", app.today.isoformat(), _date_parser(app, "date")),
        ],
        submit,
        save_label="Record",
    )
    app.push_screen(form, lambda saved: saved and app.saved(f"Recorded a payment on {number}"))


def snooze_client(app: RapportApp, client_id: str) -> None:
    """Snooze a client's check-in until a date (a week from today by default)."""
    store = app.store
    client = store.snapshot().clients_by_id[client_id]
    form = FormModal(
        f"Snooze the check-in with {client.name} until",
        [Field("until", "Until (YYYY-MM-DD)", (app.today + dt.timedelta(days=7)).isoformat(), _date_parser(app, "until"))],
        lambda values: store.snooze(client_id, values["until"]),
        save_label="Snooze",
    )
    app.push_screen(form, lambda saved: saved and app.saved(f"Snoozed {client.name}"))


def postpone_promise(app: RapportApp, promise_id: str) -> None:
    """Move a promise's due date (after agreeing it with the client)."""
    store = app.store
    form = FormModal(
        "Postpone the promise to",
        [Field("due", "New due date (YYYY-MM-DD)", (app.today + dt.timedelta(days=3)).isoformat(), _date_parser(app, "due"))],
        lambda values: store.postpone_promise(promise_id, values["due"]),
        save_label="Postpone",
    )
    app.push_screen(form, lambda saved: saved and app.saved("Promise postponed"))


def close_promise(app: RapportApp, promise_id: str, status: str) -> None:
    from storage.jsonfile import StorageError
    from storage.store import NotFound
    from storage.values import ValidationError

    try:
        app.store.close_promise(promise_id, status, app.today)
    except (ValidationError, NotFound, StorageError) as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    app.saved(f"Promise marked {status}")


def open_draft(app: RapportApp, kind: str, target: Any) -> None:
    """Draft a message from its template and show the preview."""
    from storage.drafts import draft as make_draft, from_address
    from storage.values import ValidationError

    from .screens.draft import DraftScreen

    store = app.store
    snap = store.snapshot()
    try:
        message = make_draft(kind, snap, target, app.today)
    except (ValidationError, LookupError) as exc:
        app.notify(str(exc), severity="warning", markup=False)
        return
    settings = snap.settings

    def mark_sent(sent: Any) -> str:
        today = app.today
        if sent.kind == "reminder" and sent.invoice_number:
            store.add_reminder(sent.invoice_number, today, level=sent.level)
            return f"Reminder {sent.level} for {sent.invoice_number} logged as sent"
        store.log_contact(
            Contact(client_id=sent.client_id, date=today, channel=Channel.EMAIL, direction=Direction.OUT,
                    kind=DRAFT_CONTACT_KIND.get(sent.kind, ContactKind.OTHER), summary=f"Sent: {sent.subject}")
        )
        return f"Logged: {sent.subject}"

    screen = DraftScreen(
        message,
        folder=store.path.parent / "drafts",
        from_addr=from_address(settings),
        mail_command=settings.mail_command,
        mark_sent=mark_sent,
    )
    app.push_screen(screen, lambda sent: sent and app.data_changed())

