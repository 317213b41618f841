"""The Jobs screen (key ``5``): the work itself, from agreed to invoiced.

A table of jobs (open ones first: active and proposed, then delivered and not
yet invoiced; ``a`` shows every job; a deadline near or past on work not yet
delivered marked ``!``/``!!`` and coloured as on the Agenda), and under it the
selected job: its title once, its brief rendered as Markdown, its pending
change of brief and the history of accepted changes. From here the guide's workflows start:

* ``n`` a new job; ``x`` deliver it (under ``on_delivery`` this makes the
  invoicing promise); ``space`` marks delivered jobs and ``i`` invoices them
  in one step, one line per job at its agreed price (no marks: all of the
  client's delivered jobs);
* ``c`` a change of brief: what changed and the new price and/or deadline, then
  the renegotiation draft, which marks it proposed once sent; ``y``/``d``
  record the client's answer (accepted: the job is updated, old values kept);
* ``P`` a promise for the job (a global key: from any screen).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from storage.formats import money
from storage.models import Change, ChangeStatus, Job, JobStatus
from storage.scheduler import job_deadline_severity
from storage.text import one_line

from .. import flows
from ..i18n import N_, _, active
from ..widgets.header import Header
from ..widgets.keybar import KeyBar
from ..widgets.markdown import SafeMarkdown
from ..widgets.safe import RICH_SEVERITY, SEVERITY_MARK, cell
from ..widgets.table import Table
from ..widgets.words import JOB_STATUS, day_text, word
from .base import ModeScreen

ORDER = {JobStatus.ACTIVE: 0, JobStatus.PROPOSED: 1, JobStatus.DELIVERED: 2, JobStatus.INVOICED: 3,
         JobStatus.CLOSED: 4}


def brief_under_title(brief: str, title: str) -> str:
    """``brief`` as shown under the job's title: without its opening heading
    when that heading is the title (the detail would say it twice), else as
    typed."""
    lines = brief.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = re.match(r" {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*$", line.rstrip("\r\n"))
        if heading is None:
            return brief
        text = (heading.group(1) or "").strip()
        wanted = title.strip().casefold()
        if wanted and wanted in (text.casefold(), re.sub(r"[ \t]+#+$", "", text).casefold()):
            return "".join(lines[index + 1:]).lstrip("\r\n")
        return brief
    return brief


def _how_late(deadline: dt.date, today: dt.date) -> str:
    """A deadline in a few words, as the Agenda's "when" column says it."""
    days = (today - deadline).days
    if days > 0:
        return _("{n}d late").format(n=days)
    return _("today") if days == 0 else _("in {n}d").format(n=-days)


def _old_value(value: object, currency: str) -> str:
    """A value a job's history kept (a price or an ISO deadline, as stored), as
    the screen shows figures and dates; anything else as stored."""
    text = str(value)
    with contextlib.suppress(ValueError, ArithmeticError):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return day_text(dt.date.fromisoformat(text))
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return money(Decimal(text), currency, active())
    return text


COLUMNS = (N_("Client"), N_("Job"), N_("Status"), N_("Price"), N_("Deadline"))
"""The table's headers, translated when the screen is mounted."""


class JobsScreen(ModeScreen):
    """Key ``5``: jobs, their changes of brief, delivery and invoicing."""

    TITLE = N_("Jobs")
    """The screen's name, in the header and help (tui.widgets.header)."""

    CSS_PATH = "jobs.tcss"
    DATA_WIDGET = "#jobs"
    READS = ("clients", "jobs", "open_jobs", "invoiced_job_ids", "pending_changes")

    BINDINGS = [
        Binding("n", "new_job", N_("New"), id="jobs-new", tooltip=N_("New job: title, brief, agreed price, deadline")),
        Binding("x", "deliver", N_("Deliver"), id="jobs-deliver", tooltip=N_("Deliver the job, with a date")),
        Binding("space", "mark", N_("Mark"), id="jobs-mark", tooltip=N_("Mark a delivered job for one invoice")),
        Binding("i", "invoice", N_("Invoice"), id="jobs-invoice",
                tooltip=N_("Invoice the marked delivered jobs (else all the client's), one line each")),
        Binding("c", "change", N_("Change"), id="jobs-change",
                tooltip=N_("Change of brief: record it, draft the new proposal")),
        Binding("y", "accept", N_("Accept"), id="jobs-accept", tooltip=N_("The client accepted the change of brief")),
        Binding("d", "decline", N_("Decline"), id="jobs-decline",
                tooltip=N_("The client declined the change of brief")),
        Binding("m", "draft", N_("Draft"), show=False, id="jobs-draft",
                tooltip=N_("Draft the change proposal (or a progress update)")),
        Binding("a", "toggle_all", N_("All / open"), show=False, id="jobs-all",
                tooltip=N_("Show every job / the open and to-invoice ones")),
        Binding("enter", "open", N_("Open client"), show=False, id="jobs-open", tooltip=N_("Open the job's client")),
        Binding("j", "cursor_down", N_("Down"), show=False, id="jobs-down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="jobs-up"),
    ]

    KEY_PRIORITY = ("jobs-accept", "jobs-decline", "jobs-deliver", "jobs-change", "jobs-mark", "jobs-invoice")
    """Short of room (u Undo shown, at 80 columns), ``n New`` goes first: never
    ``y Accept`` without ``d Decline`` (tui.widgets.keybar)."""

    def __init__(self) -> None:
        super().__init__()
        self._generation = -1
        self._jobs: list[Job] = []
        self._marked: set[str] = set()
        self._show_all = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="jobs-summary", markup=False)
        yield Table(id="jobs", zebra_stripes=True)
        with VerticalScroll(id="jobs-detail"):
            yield Static("", id="jobs-detail-head", markup=False)
            yield SafeMarkdown("", id="jobs-brief")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(Table)
        client, job, status, price, deadline = (_(title) for title in COLUMNS)
        table.add_column(" ", key="mark", width=1)
        table.add_column(client, key="client", width=14)
        table.add_column(job, key="job", width=17)  # 78 in all: 80 columns, a scroll bar included
        table.add_column(status, key="status", width=9)
        table.add_column(price, key="price", width=13)
        table.add_column(deadline, key="deadline", width=12)  # "!!" and the date: late, as on the Agenda
        table.focus()

    # -- data ---------------------------------------------------------------- #

    def refresh_data(self) -> None:
        snap = self.app.store.snapshot()
        self._generation = self.app.store.generation
        names = {c.id: c.name for c in snap.clients}
        to_invoice = {j.id for j in snap.jobs_to_invoice()}
        shown = [
            j for j in snap.jobs
            if self._show_all or j.status in (JobStatus.ACTIVE, JobStatus.PROPOSED) or j.id in to_invoice
        ]
        shown.sort(key=lambda j: (ORDER.get(j.status, 9), j.deadline or dt.date.max,
                                  names.get(j.client_id, "").casefold(), j.title.casefold(), j.id))
        previous = self.selected  # the job selected before: the cursor follows it to its new row
        self._jobs = shown
        self._marked &= {j.id for j in shown if j.status is JobStatus.DELIVERED}
        table = self.query_one(Table)
        table.clear()
        today = self.app.today
        for job in shown:
            table.add_row(*self._row(job, names, today), key=job.id)
        if previous is not None and previous.id in {j.id for j in shown}:
            table.move_cursor(row=table.get_row_index(previous.id))
        open_count = sum(1 for j in shown if j.status in (JobStatus.ACTIVE, JobStatus.PROPOSED))
        waiting = len(to_invoice)  # every one of them is shown, whatever the scope
        scope = _("all jobs") if self._show_all else _("open and to invoice")
        self.query_one("#jobs-summary", Static).update(Text(
            _("{open} open, {waiting} delivered to invoice ({scope}; a: toggle, space: mark)").format(
                open=open_count, waiting=waiting, scope=scope)))
        self._show_detail()
        self.refresh_bindings()

    def _row(self, job: Job, names: dict[str, str], today: dt.date) -> list[Any]:
        price = money(job.price, job.currency, active()) if job.price is not None else ""
        # A deadline near or past on work not yet delivered: marked and coloured
        # as the Agenda's Deadlines (amber within a week, red once past).
        severity = job_deadline_severity(job, today)
        deadline = f"{SEVERITY_MARK[severity]}{day_text(job.deadline)}" if job.deadline else ""
        return [
            Text("✓" if job.id in self._marked else ""),
            cell(names.get(job.client_id, job.client_id)),
            cell(job.title),
            Text(word(JOB_STATUS, job.status)),
            Text(price, justify="right"),
            Text(deadline, style=RICH_SEVERITY[severity]),
        ]

    def _pending_change(self, job_id: str) -> Change | None:
        changes = [c for c in self.app.store.snapshot().pending_changes
                   if c.job_id == job_id and c.status in (ChangeStatus.DRAFT, ChangeStatus.PROPOSED)]
        return max(changes, key=lambda c: c.created_at) if changes else None

    def _show_detail(self) -> None:
        job = self.selected
        head = self.query_one("#jobs-detail-head", Static)
        brief = self.query_one("#jobs-brief", SafeMarkdown)
        if job is None:
            head.update(Text(_("No jobs here. n adds one.") if not self._show_all else _("No jobs yet. n adds one.")))
            brief.show("")
            return
        out = Text()
        out.append(one_line(job.title), style="bold")
        if job.delivered:
            out.append(" · " + _("delivered {date}").format(date=day_text(job.delivered)))
        today = self.app.today
        severity = job_deadline_severity(job, today)
        if severity and job.deadline is not None:  # late or near, in words too (NO_COLOR, a screen reader)
            out.append(" · ")
            out.append(_("{mark} deadline {date}, {when}").format(
                mark=SEVERITY_MARK[severity].strip(), date=day_text(job.deadline),
                when=_how_late(job.deadline, today)), style=RICH_SEVERITY[severity])
        change = self._pending_change(job.id)
        if change is not None:
            proposal = []
            if change.price is not None:
                proposal.append(money(change.price, job.currency, active()))
            if change.deadline is not None:
                proposal.append(_("by {date}").format(date=day_text(change.deadline)))
            sent = day_text(change.sent) if change.sent else ""
            state = (_("proposed {date}, y accept / d decline").format(date=sent)
                     if change.status is ChangeStatus.PROPOSED else _("draft, m drafts the reply"))
            # Said in words (the table's status once had a bare "*" for it).
            out.append("\n" + _("Change of brief ({state}): {what} -> {proposal}").format(
                state=state, what=one_line(change.what)[:60], proposal=", ".join(proposal)))
        for old in job.history[-2:]:
            was = ", ".join(_old_value(v, job.currency) for v in (old.get("price"), old.get("deadline")) if v)
            out.append("\n" + _("Was {was} until {date}: {what}").format(
                was=was or "-", date=_old_value(old.get("date", ""), job.currency),
                what=one_line(str(old.get("what", "")))[:50]), style="dim")
        head.update(out)
        # The title once: a brief that opens with it as a heading goes on from there.
        brief.show(brief_under_title(job.brief, job.title) or "*" + _("No brief.") + "*")

    @property
    def selected(self) -> Job | None:
        table = self.query_one(Table)
        if not self._jobs or table.cursor_row is None or not 0 <= table.cursor_row < len(self._jobs):
            return None
        return self._jobs[table.cursor_row]

    @property
    def current_client_id(self) -> str | None:
        return self.selected.client_id if self.selected else None

    @property
    def current_job_id(self) -> str | None:
        return self.selected.id if self.selected else None

    def select_job(self, job_id: str) -> None:
        table = self.query_one(Table)
        for index, job in enumerate(self._jobs):
            if job.id == job_id:
                table.move_cursor(row=index)
                return

    @on(Table.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(Table.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    # -- actions ------------------------------------------------------------- #

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        job = self.selected
        open_ = job is not None and job.status in (JobStatus.ACTIVE, JobStatus.PROPOSED)
        # Keys that do not apply to the selected job are hidden: the footer has room
        # only for what can be done now.
        if action in ("deliver", "change"):
            return open_
        if action in ("mark", "invoice"):
            return job is not None and job.status is JobStatus.DELIVERED
        if action in ("accept", "decline"):
            change = self._pending_change(job.id) if job is not None else None
            return (change is not None and change.status is ChangeStatus.PROPOSED) or False
        if action in ("draft", "open"):
            return job is not None or None
        return True

    def action_cursor_down(self) -> None:
        self.query_one(Table).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(Table).action_cursor_up()

    def action_toggle_all(self) -> None:
        self._show_all = not self._show_all
        self.refresh_data()

    def action_open(self) -> None:
        if (job := self.selected) is not None:
            self.app.open_client(job.client_id)

    def action_new_job(self) -> None:
        job = self.selected
        flows.new_job(self.app, job.client_id if job else None)

    def action_deliver(self) -> None:
        if (job := self.selected) is not None:
            flows.deliver_job(self.app, job.id)

    def action_mark(self) -> None:
        job = self.selected
        if job is None or job.status is not JobStatus.DELIVERED:
            return
        others = {j.client_id for j in self._jobs if j.id in self._marked}
        if others and job.client_id not in others:
            self.notify(_("One invoice is for one client: unmark the other client's jobs first."),
                        severity="warning")
            return
        self._marked ^= {job.id}
        table = self.query_one(Table)
        table.update_cell(job.id, "mark", Text("✓" if job.id in self._marked else ""))
        table.action_cursor_down()

    def action_invoice(self) -> None:
        job = self.selected
        if job is None:
            return
        marked = [j for j in self._jobs if j.id in self._marked]
        if marked:
            client_id, job_ids = marked[0].client_id, [j.id for j in marked]
        else:
            client_id, job_ids = job.client_id, None
        self._marked.clear()
        flows.invoice_jobs(self.app, client_id, job_ids)

    def action_change(self) -> None:
        if (job := self.selected) is not None:
            flows.change_of_brief(self.app, job.id)

    def _answer(self, answer: str) -> None:
        job = self.selected
        change = self._pending_change(job.id) if job is not None else None
        if change is not None:
            flows.answer_change(self.app, change.id, answer)

    def action_accept(self) -> None:
        self._answer("accepted")

    def action_decline(self) -> None:
        self._answer("declined")

    def action_draft(self) -> None:
        job = self.selected
        if job is None:
            return
        store = self.app.store
        client = store.snapshot().clients_by_id[job.client_id]
        change = self._pending_change(job.id)
        if change is not None and change.status is ChangeStatus.DRAFT:
            flows.open_draft(self.app, "change", client,
                               mark_sent=lambda sent: (store.propose_change(change.id, self.app.today),
                                                    _("Change proposed: the answer is awaited"))[1])
        elif change is not None:
            flows.open_draft(self.app, "change", client)
        else:
            flows.open_draft(self.app, "update", client)
