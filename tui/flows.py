"""Modal flows: what every screen offers on a selected row, in one place.

Log a contact, record a payment, snooze, draft a message, put on hold: the
Agenda, the Clients screen and the Overdue board all open the same forms and
call the same store methods, so they behave identically everywhere. Each
function pushes a modal; the change is committed by the store before the modal
closes, and then the app refreshes whatever is on screen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.text import Text

from storage.errors import UserError
from storage.formats import money
from storage.jsonfile import StorageError
from storage.models import (
    Change,
    ChangeStatus,
    Channel,
    Client,
    Contact,
    ContactKind,
    Direction,
    Job,
    JobStatus,
    Promise,
    Retainer,
    tax_lines_text,
)
from storage.settings_keys import SETTING_KEYS, SETTING_LABELS
from storage.store import EditConflict, NotFound
from storage.text import one_line
from storage.values import (
    ValidationError,
    money_str,
    parse_currency,
    parse_decimal,
    parse_money,
)

from .forms.parsers import (
    amount_parser,
    date_parser,
    date_text,
    decimal_text,
    language_choices,
    required,
    timezone_parser,
)
from .forms.rate import rate_form
from .host import Host
from .i18n import N_, _, active, ngettext
from .modals import ConfirmModal, PickModal
from .widgets.form import Field, FormModal
from .widgets.words import CHANNEL, CONTACT_KIND, JOB_STATUS, PROMISE_STATUS, RATE_UNIT, choices, word

DIRECTIONS = [(N_("Out (I contacted them)"), "out"), (N_("In (they contacted me)"), "in")]

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


def _date_parser(app: Host, name: str):
    return date_parser(app, name)


def _amount(value: Decimal, currency: str) -> str:
    """``1,280.00 EUR`` / ``1.280,00 EUR``: storage.formats, in the active language."""
    return money(value, currency, active())


def log_contact(app: Host, client_id: str, *, kind: str = "check-in", summary: str = "") -> None:
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
        _("Log a contact with {client}").format(client=client.name),
        [
            Field("date", _("Date (YYYY-MM-DD)"), date_text(app.today), _date_parser(app, "date")),
            Field("channel", _("Channel"), str(client.channel), choices=choices(CHANNEL, Channel)),
            Field("direction", _("Direction"), "out", choices=[(_(label), value) for label, value in DIRECTIONS]),
            Field("kind", _("Kind"), kind, choices=choices(CONTACT_KIND, ContactKind)),
            Field("summary", _("Note"), summary, placeholder=_("What was said or sent"), aliases=("summary",)),
        ],
        submit,
    )
    app.push_screen(form, lambda saved: saved and app.saved(
        _("Logged a contact with {client}").format(client=client.name)))


def record_payment(app: Host, number: str) -> None:
    """The payment form: amount (what is outstanding) and date (today)."""
    store = app.store
    invoice = store.snapshot().invoice(number)
    currency = invoice.currency

    def parse_amount(text: str) -> Decimal:
        return parse_money(decimal_text(text), currency, "amount")

    def submit(values: dict[str, Any]):
        return store.record_payment(number, values["amount"], values["date"])

    form = FormModal(
        _("Record a payment on invoice {number} ({amount} outstanding)").format(
            number=invoice.label, amount=_amount(invoice.outstanding, currency)),
        [
            Field("amount", _("Amount ({currency})").format(currency=currency),
                  money_str(invoice.outstanding, currency), parse_amount),
            Field("date", _("Paid on (YYYY-MM-DD)"), date_text(app.today), _date_parser(app, "date")),
        ],
        submit,
        save_label=_("Record"),
    )
    # ``number`` may be the invoice's id (the Invoices list passes it): people are shown its number.
    app.push_screen(form, lambda saved: saved and app.saved(
        _("Recorded a payment on {number}").format(number=invoice.label)))


def snooze_client(app: Host, client_id: str) -> None:
    """Snooze a client's check-in until a date (a week from today by default)."""
    store = app.store
    client = store.snapshot().clients_by_id[client_id]
    form = FormModal(
        _("Snooze the check-in with {client} until").format(client=client.name),
        [Field("until", _("Until (YYYY-MM-DD)"), date_text(app.today + dt.timedelta(days=7)),
               _date_parser(app, "until"))],
        lambda values: store.snooze(client_id, values["until"]),
        save_label=_("Snooze"),
    )
    app.push_screen(form, lambda saved: saved and app.saved(_("Snoozed {client}").format(client=client.name)))


def postpone_promise(app: Host, promise_id: str) -> None:
    """Move a promise's due date (after agreeing it with the client)."""
    store = app.store
    form = FormModal(
        _("Postpone the promise to"),
        [Field("due", _("New due date (YYYY-MM-DD)"), date_text(app.today + dt.timedelta(days=3)),
               _date_parser(app, "due"))],
        lambda values: store.postpone_promise(promise_id, values["due"]),
        save_label=_("Postpone"),
    )
    app.push_screen(form, lambda saved: saved and app.saved(_("Promise postponed")))


def close_promise(app: Host, promise_id: str, status: str) -> None:
    try:
        app.store.close_promise(promise_id, status, app.today)
    except UserError as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    app.saved(_("Promise marked {status}").format(status=word(PROMISE_STATUS, status)))


def open_draft(app: Host, kind: str, target: Any, *, mark_sent: Any = None, after: Any = None) -> None:
    """Draft a message from its template and show the preview.

    ``mark_sent(draft) -> message`` replaces what marking it sent records (by
    default: the contact, or the reminder); ``after(sent)`` runs once the
    preview closes, sent or not.
    """
    # Lazy, measured: the email package (~25 ms) and the preview's Markdown
    # (markdown-it, ~250 ms) load with the first draft, not with every screen.
    from storage.drafts import draft as make_draft
    from storage.drafts import from_address

    from .draft import DraftScreen

    store = app.store
    snap = store.snapshot()
    try:
        message = make_draft(kind, snap, target, app.today)
    except UserError as exc:
        app.notify(str(exc), severity="warning", markup=False)
        if after is not None:
            after(False)
        return
    settings = snap.settings
    custom_mark_sent = mark_sent

    def default_mark_sent(sent: Any) -> str:
        today = app.today
        if sent.kind == "reminder" and sent.invoice_number:
            store.add_reminder(sent.invoice_number, today, level=sent.level)
            return _("Reminder {level} for {number} logged as sent").format(level=sent.level,
                                                                             number=sent.invoice_number)
        store.log_contact(
            Contact(client_id=sent.client_id, date=today, channel=Channel.EMAIL, direction=Direction.OUT,
                    kind=DRAFT_CONTACT_KIND.get(sent.kind, ContactKind.OTHER),
                    summary=_("Sent: {subject}").format(subject=sent.subject))
        )
        return _("Logged: {subject}").format(subject=sent.subject)

    def redraft() -> Any:
        """The draft made again: the settings may have changed (``,`` from the preview)."""
        return make_draft(kind, store.snapshot(), target, app.today)

    screen = DraftScreen(
        message,
        folder=store.path.parent / "drafts",
        from_addr=from_address(settings),
        mail_command=settings.mail_command,
        mark_sent=custom_mark_sent or default_mark_sent,
        confirm=lambda question, yes: ConfirmModal(question, yes=yes, no=_("Back to the draft")),
        redraft=redraft,
    )

    def closed(sent: bool | None) -> None:
        # Marked sent: the preview has called app.saved (the change is u's to undo).
        if after is not None:
            after(sent)

    app.push_screen(screen, closed)


# --------------------------------------------------------------------------- #
# The guide's workflows (issue 7): jobs, promises, changes of brief, price raises
# --------------------------------------------------------------------------- #


def _fail(app: Host, exc: Exception) -> None:
    app.notify(str(exc), severity="error", markup=False, timeout=8)


def _errors() -> tuple[type[Exception], ...]:
    return (ValidationError, NotFound, StorageError)


def _client_choices(app: Host, *, include_former: bool = False) -> list[tuple[str, str]]:
    clients = [c for c in app.store.snapshot().clients if include_former or str(c.status) != "former"]
    clients.sort(key=lambda c: c.name.casefold())
    return [(one_line(c.name)[:50], c.id) for c in clients]


def new_job(app: Host, client_id: str | None = None) -> None:
    """A new job: client, title, brief (Markdown), agreed price and deadline."""
    store = app.store
    choices = _client_choices(app)
    if not choices:
        app.notify(_("Add a client first."), severity="warning")
        return
    ids = [value for __, value in choices]
    chosen = client_id if client_id in ids else ids[0]

    def submit(values: dict[str, Any]) -> Job:
        client = store.snapshot().clients_by_id.get(values["client"])
        if client is None:
            raise ValidationError("client", _("choose a client"))
        price = None
        if values["price"].strip():
            price = parse_money(decimal_text(values["price"]), client.currency, "price")
            if price < 0:
                raise ValidationError("price", _("must not be negative"))
        return store.add_job(Job(client_id=client.id, title=values["title"], brief=values["brief"], price=price,
                                 currency=client.currency, deadline=values["deadline"], status=JobStatus.ACTIVE))

    form = FormModal(
        _("New job"),
        [
            Field("client", _("Client"), chosen, choices=choices, aliases=("client_id",)),
            Field("title", _("Title"), "", required("title")),
            Field("price", _("Agreed price"), "", str, placeholder=_("in the client's currency, e.g. 1200")),
            Field("deadline", _("Deadline"), "", date_parser(app, "deadline", optional=True),
                  placeholder=_("YYYY-MM-DD")),
            Field("brief", _("Brief (Markdown)"), "", str, multiline=True),
        ],
        submit,
        save_label=_("Add job"),
    )
    app.push_screen(form, lambda job: job and app.saved(_("Job added: {title}").format(title=one_line(job.title))))


def deliver_job(app: Host, job_id: str) -> None:
    """Mark a job delivered on a date. Under ``on_delivery`` the store makes the
    promise "Invoice <job> within 24 h"; under ``monthly`` it is invoiced at month end."""
    store = app.store
    job = store.snapshot().jobs_by_id[job_id]
    form = FormModal(
        _("Deliver {job}").format(job=one_line(job.title)),
        [Field("on", _("Delivered on"), date_text(app.today), _date_parser(app, "on"), aliases=("delivered",))],
        lambda values: store.deliver_job(job_id, values["on"]),
        save_label=_("Delivered"),
    )
    app.push_screen(form, lambda done: done and app.saved(_("Delivered: {job}").format(job=one_line(job.title))))


def invoice_jobs(app: Host, client_id: str, job_ids: list[str] | None = None) -> None:
    """One invoice for delivered jobs, one line per job at its agreed price.

    ``job_ids`` defaults to all the client's delivered jobs not yet invoiced.
    One step: the form only asks for the issue date (today); enter saves.
    """
    store = app.store
    snap = store.snapshot()
    client = snap.clients_by_id[client_id]
    waiting = snap.jobs_to_invoice(client_id)
    jobs = [j for j in waiting if job_ids is None or j.id in job_ids]
    if not jobs:
        app.notify(_("{client} has no delivered job waiting to be invoiced.").format(client=one_line(client.name)),
                   severity="warning", markup=False)
        return
    unpriced = [j for j in jobs if j.price is None]
    if unpriced:
        app.notify(_("{job} has no agreed price: set it first, or use the invoice form (4, n).").format(
            job=one_line(unpriced[0].title)), severity="warning", markup=False)
        return
    currency = jobs[0].currency
    if any(j.currency != currency for j in jobs):
        app.notify(_("These jobs are in different currencies: invoice them one at a time."), severity="warning")
        return
    total = sum((j.price for j in jobs), Decimal(0))

    def submit(values: dict[str, Any]):
        # The store makes the lines (one per job, its title at its agreed price)
        # and checks the rules, as it does for `rapport invoice add --job`.
        return store.invoice_jobs(client_id, [j.id for j in jobs], issued=values["issued"])

    titles = ", ".join(one_line(j.title) for j in jobs)

    form = FormModal(
        ngettext("Invoice {client} for {jobs}: {amount}, {n} line",
                 "Invoice {client} for {jobs}: {amount}, {n} lines", len(jobs)).format(
            client=one_line(client.name), jobs=titles, amount=_amount(total, currency), n=len(jobs)),
        [Field("issued", _("Issued on"), date_text(app.today), _date_parser(app, "issued"))],
        submit,
        save_label=_("Invoice"),
    )
    app.push_screen(form, lambda invoice: invoice and app.saved(
        _("Invoice {number} for {amount} added").format(number=invoice.number, amount=_amount(total, currency))))


def new_promise(app: Host, client_id: str | None = None, job_id: str | None = None) -> None:
    """A promise made to a client: what, by when, and optionally for which job."""
    store = app.store
    snap = store.snapshot()
    choices = _client_choices(app)
    if not choices:
        app.notify(_("Add a client first."), severity="warning")
        return
    ids = [value for __, value in choices]
    if job_id and job_id in snap.jobs_by_id:
        client_id = snap.jobs_by_id[job_id].client_id
    chosen = client_id if client_id in ids else ids[0]
    names = dict((value, label) for label, value in choices)
    jobs = [j for j in snap.jobs if j.client_id in names and j.status in (JobStatus.PROPOSED, JobStatus.ACTIVE,
                                                                          JobStatus.DELIVERED)]
    jobs.sort(key=lambda j: (names[j.client_id].casefold(), j.title.casefold()))
    job_choices = [(_("None"), "")] + [(f"{names[j.client_id][:20]}: {one_line(j.title)}"[:56], j.id) for j in jobs]

    def submit(values: dict[str, Any]) -> Promise:
        job = values["job"] or None
        if job and store.snapshot().jobs_by_id[job].client_id != values["client"]:
            raise ValidationError("job", _("that job is for another client"))
        return store.add_promise(Promise(client_id=values["client"], job_id=job, text=values["text"],
                                         due=values["due"]))

    form = FormModal(
        _("New promise"),
        [
            Field("client", _("Client"), chosen, choices=choices, aliases=("client_id",)),
            Field("text", _("I promised to"), "", required("text", max_len=10_000),
                  placeholder=_("send an update every Friday")),
            Field("due", _("By"), date_text(app.today + dt.timedelta(days=7)), date_parser(app, "due")),
            Field("job", _("For job"), job_id or "", choices=job_choices, aliases=("job_id",)),
        ],
        submit,
        save_label=_("Promise"),
    )
    app.push_screen(form, lambda promise: promise and app.saved(
        _("Promise recorded: {text}").format(text=one_line(promise.text))))


def change_of_brief(app: Host, job_id: str) -> None:
    """Record what changed on a job and the new price and/or deadline proposed, then
    draft the renegotiation reply. Marking the draft sent marks the change proposed
    (and logs the proposal); the answer is then awaited."""
    store = app.store
    job = store.snapshot().jobs_by_id[job_id]
    if job.status not in (JobStatus.PROPOSED, JobStatus.ACTIVE):
        app.notify(_("{job} is {status}: a change of brief is for work not yet delivered.").format(
            job=one_line(job.title), status=word(JOB_STATUS, job.status)), severity="warning", markup=False)
        return
    was_price = (_("now {value}").format(value=_amount(job.price, job.currency)) if job.price is not None
                 else _("none agreed"))
    was_deadline = (_("now {value}").format(value=date_text(job.deadline)) if job.deadline
                    else _("none agreed"))

    def submit(values: dict[str, Any]) -> Change:
        if values["price"] is None and values["deadline"] is None:
            raise ValidationError("price", _("propose a new price, a new deadline, or both"))
        return store.add_change(Change(job_id=job_id, what=values["what"], price=values["price"],
                                       deadline=values["deadline"], status=ChangeStatus.DRAFT))

    form = FormModal(
        _("Change of brief: {job}").format(job=one_line(job.title)),
        [
            Field("what", _("What changed"), "", required("what", max_len=10_000),
                  placeholder=_("what the client asked for")),
            Field("price", _("New price ({currency})").format(currency=job.currency), "",
                  amount_parser("price", job.currency, optional=True), placeholder=was_price),
            Field("deadline", _("New deadline"), "", date_parser(app, "deadline", optional=True),
                  placeholder=_("YYYY-MM-DD, {was}").format(was=was_deadline)),
        ],
        submit,
        save_label=_("Draft reply"),
    )

    def recorded(change: Any) -> None:
        if not change:
            return
        app.saved(_("Change of brief recorded as a draft"))  # u takes it back, until the next change
        client = store.snapshot().clients_by_id[job.client_id]

        def propose(sent: Any) -> str:
            store.propose_change(change.id, app.today)
            return _("Change proposed: the answer is awaited before the extra work")

        open_draft(app, "change", client, mark_sent=propose)

    app.push_screen(form, recorded)


def _id_number(doc_id: str) -> int:
    number = doc_id.rpartition("-")[2]
    return int(number) if number.isdigit() else 0


def change_of_brief_for(app: Host, client: Client) -> None:
    """A change of brief on one of the client's open jobs (asked which, when
    there are several): the shared flow of :func:`change_of_brief`, which
    records it and drafts the renegotiation reply."""
    snap = app.store.snapshot()
    jobs = [j for j in snap.jobs if j.client_id == client.id and j.status in (JobStatus.PROPOSED, JobStatus.ACTIVE)]
    if not jobs:
        app.notify(_("No job in progress to change: J starts one."), severity="warning")
        return
    if len(jobs) == 1:
        change_of_brief(app, jobs[0].id)
        return
    jobs.sort(key=lambda j: _id_number(j.id), reverse=True)  # ids are handed out in order: newest first
    choices = [(j.id, Text(f"{one_line(j.title)[:50]} ({word(JOB_STATUS, j.status)})")) for j in jobs]
    app.push_screen(PickModal(_("Which job changed, for {client}?").format(client=one_line(client.name)), choices),
                    lambda job_id: job_id and change_of_brief(app, job_id))


def answer_change(app: Host, change_id: str, answer: str) -> None:
    """Accepted: the job takes the new price and/or deadline (old values kept in
    its history). Declined: the job stays as agreed."""
    try:
        change = app.store.answer_change(change_id, answer, app.today)
    except _errors() as exc:
        _fail(app, exc)
        return
    job = app.store.snapshot().jobs_by_id.get(change.job_id)
    title = job.title if job else change.job_id
    if answer == "accepted":
        app.saved(_("Change accepted: {job} updated, the old price and deadline kept in its history").format(
            job=title))
    else:
        app.saved(_("Change declined: {job} stays as agreed").format(job=title))


def propose_raise(app: Host, client_id: str) -> None:
    """A price raise: the new rate and why, recorded as a proposal; then the draft
    (why, the new price, a suggested call). Its answer is awaited."""
    client = app.store.snapshot().clients_by_id[client_id]

    def draft_it() -> None:
        fresh = app.store.snapshot().clients_by_id.get(client_id)
        if fresh is not None:
            open_draft(app, "raise", fresh)

    rate_form(app, client, after=draft_it)


def answer_raise(app: Host, client_id: str, answer: str) -> None:
    """The client's answer to a price raise.

    Accepted: the new rate applies from a date (asked, today by default).
    Declined: the farewell draft is offered, then (when confirmed) the client
    becomes former; the history is kept.
    """
    store = app.store
    client = store.snapshot().clients_by_id[client_id]
    pending = store.pending_rate(client_id)
    if pending is None:
        app.notify(_("{client} has no price raise waiting for an answer.").format(client=one_line(client.name)),
                   severity="warning", markup=False)
        return
    new_rate = f"{_amount(pending.amount, pending.currency)}/{word(RATE_UNIT, pending.unit)}"
    if answer == "accepted":
        form = FormModal(
            _("{client} accepted {rate}").format(client=one_line(client.name), rate=new_rate),
            [Field("on", _("New rate from"), date_text(app.today), _date_parser(app, "on"), aliases=("since",))],
            lambda values: store.answer_rate(client_id, "accepted", values["on"]),
            save_label=_("Accept"),
        )
        app.push_screen(form, lambda rate: rate and app.saved(
            _("New rate for {client}: {rate} from {date}").format(client=one_line(client.name), rate=new_rate,
                                                                  date=date_text(rate.since))))
        return
    try:
        store.answer_rate(client_id, "declined", app.today)
    except _errors() as exc:
        _fail(app, exc)
        return
    app.saved(_("{client} declined the raise to {rate}").format(client=one_line(client.name), rate=new_rate))
    farewell(app, client_id)


def farewell(app: Host, client_id: str) -> None:
    """The farewell draft (thanks, hope to work together again, contact details);
    once it is closed, ask whether to set the client to former."""
    store = app.store
    client = store.snapshot().clients_by_id[client_id]

    def ask(__: Any = None) -> None:
        question = Text(_("Set {client} to former? Their history is kept; "
                          "they leave the check-ins and rate reviews.").format(client=one_line(client.name)))
        app.push_screen(ConfirmModal(question, yes=_("Set to former"), no=_("Keep")), archive)

    def archive(yes: bool | None) -> None:
        if not yes:
            return
        try:
            store.archive_client(client_id)
        except _errors() as exc:
            _fail(app, exc)
            return
        app.saved(_("{client} is now a former client").format(client=one_line(client.name)))

    open_draft(app, "farewell", client, after=ask)


def settings_form(app: Host) -> None:
    """The settings: who you are (for sign-offs), time zone, language, reminder
    ladder and mail command. Every field is checked before anything is saved."""
    store = app.store
    s = store.settings()
    ladder = SETTING_KEYS["reminder_ladder"][1]  # the rule lives in storage: `settings set` obeys it too
    parse_email = SETTING_KEYS["email"][1]

    read = [s]  # what the form read; a conflict shown moves it on (EditConflict.rebased)

    def rule(key: str):
        """The setting's parser, from storage: `settings set` obeys the same one."""
        return SETTING_KEYS[key][1]

    def submit(values: dict[str, Any]):
        try:
            return store.update_settings(base=read[0], **values)
        except EditConflict as exc:
            read[0] = exc.rebased(read[0])
            raise

    def shown(value: Decimal | None) -> str:
        return "" if value is None else format(value, "f")

    form = FormModal(
        _("Settings"),
        [
            # Your details: labelled as a draft's unfilled placeholder names them (tui.draft).
            Field("name", _(SETTING_LABELS["name"]), s.name, str.strip, placeholder=_("used to sign your messages")),
            Field("business", _(SETTING_LABELS["business"]), s.business, str.strip),
            Field("email", _(SETTING_LABELS["email"]), s.email, parse_email),
            Field("phone", _(SETTING_LABELS["phone"]), s.phone, str.strip),
            Field("website", _(SETTING_LABELS["website"]), s.website, str.strip),
            Field("address", _(SETTING_LABELS["address"]), s.address, str.strip),
            Field("timezone", _("Time zone"), s.timezone, timezone_parser, placeholder=_("IANA, e.g. Europe/Madrid")),
            Field("language", _("Language"), str(s.language),
                  choices=language_choices()),
            Field("reminder_ladder", _("Reminder ladder"), ", ".join(str(d) for d in s.reminder_ladder), ladder,
                  placeholder=_("days past due, e.g. 1, 8, 15")),
            Field("mail_command", _("Mail command"), s.mail_command, str.strip, placeholder=_("e.g. msmtp -t")),
            Field("legal_name", _("Legal name"), s.legal_name, str.strip,
                  placeholder=_("on invoices (default: business)")),
            Field("tax_id", _("Tax ID"), s.tax_id, str.strip, placeholder=_("on invoices, e.g. NIF 12345678Z")),
            Field("payment_details", _("Payment details"), s.payment_details, str.strip, multiline=True,
                  placeholder=_("on invoices, e.g. IBAN ES12 3456 ...")),
            Field("tax_lines", _("Default taxes"), tax_lines_text(s.tax_lines),
                  rule("tax_lines"), placeholder=_("e.g. IVA 21, IRPF -15 (minus: withheld)")),
            Field("final_notice_days", _("Final notice: days to pay"), str(s.final_notice_days),
                  rule("final_notice_days")),
            Field("late_interest_percent", _("Late interest, % a year"), shown(s.late_interest_percent),
                  rule("late_interest_percent"), placeholder=_("empty: off (e.g. 12.15)")),
            Field("late_compensation", _("Late compensation"), shown(s.late_compensation),
                  rule("late_compensation"), placeholder=_("per invoice, empty: off (e.g. 40)")),
        ],
        submit,
        links=[("ctrl+t", _("Templates"), "app.templates")],
    )

    def saved(result: Any) -> None:
        if result:
            app.settings_changed()
            app.saved(_("Settings"))

    app.push_screen(form, saved)


def fill_with_demo(app: Host) -> None:
    """``d`` on the first-run screen: after asking, the demo data into this
    file. The store refuses a file that has clients; ``u`` takes it back."""
    store = app.store

    def answer(yes: bool | None) -> None:
        if not yes:
            return
        try:
            counts = store.fill_with_demo(app.today)
        except UserError as exc:
            app.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        app.settings_changed()  # the demo freelancer's time zone and name, unless yours were set
        app.saved(ngettext("Demo data: {n} made-up client and a year of their work",
                           "Demo data: {n} made-up clients and a year of their work",
                           counts["client"]).format(n=counts["client"]))

    question = Text(_("Fill this empty file with the demo data? Eight made-up clients and a year of their work, "
                      "dated around today, to look around with. Your settings, if you set any, stay; "
                      "u takes it all back."))
    app.push_screen(ConfirmModal(question, yes=_("Fill with demo"), no=_("Cancel")), answer)


# --------------------------------------------------------------------------- #
# Chasing an invoice (issue 16): the ladder decides, the store enforces it
# --------------------------------------------------------------------------- #


def draft_reminder(app: Host, number: str) -> None:
    """``m`` on an unpaid invoice, wherever it is shown.

    The store says where the invoice stands on the ladder today. A reminder
    that is due is drafted, and marking it sent logs it. With nothing due, the
    app says so (and when the next one is) and still offers the draft, but
    marking it sent logs nothing. Once the final notice's pay-by date has
    passed, no further notice is drafted: the message says what to do instead.
    """
    store = app.store
    try:
        state = store.reminder_state(number, app.today)
    except _errors() as exc:
        _fail(app, exc)
        return
    if state.state in ("paid", "not_sent"):
        app.notify(state.why_not(number).capitalize(), severity="warning", markup=False)
        return
    if state.state == "on_hold":
        app.notify(_("Invoice {number} is on hold: press h to release it before chasing it.").format(number=number),
                   severity="warning", markup=False)
        return
    if state.state == "escalate":
        app.notify(
            _("Invoice {number}: the final notice's pay-by date ({date}) has passed, so no further "
              "notice: time to call, write it off or make a claim (c logs the call, w writes it off).").format(
                number=number, date=date_text(state.pay_by)),
            severity="warning", markup=False, timeout=10,
        )
        return
    if state.is_due:
        open_draft(app, "reminder", store.snapshot().invoice(number))
        return
    why = state.why_not(number)
    app.notify(_("No reminder is due: {why}. Here is the draft; marking it sent will not log a reminder.").format(
        why=why),
               severity="warning", markup=False, timeout=8)

    def not_logged(sent: Any) -> str:
        return _("Nothing logged: {why}").format(why=why)

    open_draft(app, "reminder", store.snapshot().invoice(number), mark_sent=not_logged)


def write_off(app: Host, number: str) -> None:
    """Ask first, then write the invoice off (no longer chased, kept on record)."""
    store = app.store
    invoice = store.snapshot().invoice(number)
    owed = _amount(invoice.outstanding, invoice.currency)

    def answer(yes: bool | None) -> None:
        if not yes:
            return
        try:
            store.write_off(number, app.today)
        except _errors() as exc:
            _fail(app, exc)
            return
        app.saved(_("Invoice {number} written off ({amount} unpaid)").format(number=number, amount=owed))

    question = Text(_("Write off invoice {number}? The {amount} still owed will no longer be chased; "
                      "the invoice keeps its number and payments.").format(number=number, amount=owed))
    app.push_screen(ConfirmModal(question, yes=_("Write off"), no=_("Keep chasing")), answer)


def log_call(app: Host, number: str) -> None:
    """The escalation call: a short form (date, note), logged as a call."""
    store = app.store

    def submit(values: dict[str, Any]):
        return store.log_call(number, values["date"], values["note"])

    form = FormModal(
        _("Log the call about invoice {number}").format(number=number),
        [
            Field("date", _("Called on (YYYY-MM-DD)"), date_text(app.today), _date_parser(app, "date")),
            Field("note", _("What was said"), ""),
        ],
        submit,
        save_label=_("Log call"),
    )
    app.push_screen(form, lambda saved: saved and app.saved(_("Call about {number} logged").format(number=number)))


def invoice_retainer(app: Host, client_id: str, period: str) -> None:
    """``x``/``i`` on a retainer's month: issue its invoice now, one line (what
    it covers, the month). The store refuses a month already invoiced."""
    store = app.store
    try:
        invoice = store.add_retainer_invoice(client_id, period, issued=app.today)
    except _errors() as exc:
        _fail(app, exc)
        return
    total = _amount(invoice.total, invoice.currency)
    app.saved(_("Invoice {number} issued for the retainer of {period} ({amount})").format(
        number=invoice.number, period=period, amount=total))


def retainer_form(app: Host, client_id: str) -> None:
    """The client's monthly fee: amount, currency, what it covers, the day of the
    month it is invoiced (1-28), from, until (empty: it goes on)."""
    store = app.store
    client = store.snapshot().clients_by_id[client_id]
    r = client.retainer or Retainer(currency=client.currency, since=app.today)
    dates = _date_parser(app, "since")

    def day(text: str) -> int:
        text = text.strip()
        if not text.isdigit() or not 1 <= int(text) <= 28:
            raise ValidationError("day", _("a day of the month from 1 to 28"))
        return int(text)

    def until(text: str) -> dt.date | None:
        return None if not text.strip() else _date_parser(app, "until")(text.strip())

    def submit(values: dict[str, Any]):
        return store.set_retainer(client_id, Retainer(
            amount=parse_decimal(values["amount"].replace(",", "."), "amount"), currency=values["currency"],
            covers=values["covers"], day=values["day"], since=values["since"], until=values["until"],
        ))

    form = FormModal(
        _("Retainer of {client}").format(client=client.name),
        [
            Field("amount", _("Monthly fee"), "" if client.retainer is None else format(r.amount, "f"), str.strip),
            Field("currency", _("Currency"), r.currency, lambda t: parse_currency(t, "currency")),
            Field("covers", _("What it covers"), r.covers, str.strip,
                  placeholder=_("the invoice line, e.g. Website care")),
            Field("day", _("Invoiced on day"), str(r.day), day),
            Field("since", _("From"), date_text(r.since or app.today), dates),
            Field("until", _("Until"), date_text(r.until), until, placeholder=_("empty: it goes on")),
        ],
        submit,
    )
    app.push_screen(form, lambda saved: saved and app.saved(_("Retainer of {client}").format(
        client=client.name)))
