"""The new-job form from a client (``J`` on Clients): title, brief, price, deadline, status."""

from __future__ import annotations

from typing import Any

from storage.models import Client, Job, JobStatus
from storage.text import one_line

from ..host import Host
from ..i18n import _
from ..widgets.form import Field, FormModal
from ..widgets.words import JOB_STATUS, choices
from .parsers import amount_parser, date_parser, required


def job_form(app: Host, client: Client) -> None:
    """A new job: title, brief (Markdown), agreed price and deadline."""
    store = app.store
    currency = client.currency

    def submit(values: dict[str, Any]) -> Job:
        return store.add_job(Job(client_id=client.id, title=values["title"], brief=values["brief"],
                                 price=values["price"], currency=currency, deadline=values["deadline"],
                                 status=JobStatus(values["status"])))

    form: FormModal[Job] = FormModal(
        _("New job for {client}").format(client=one_line(client.name)),
        [
            Field("title", _("Title"), "", required("title")),
            Field("price", _("Agreed price ({currency})").format(currency=currency), "",
                  amount_parser("price", currency, optional=True)),
            Field("deadline", _("Deadline"), "", date_parser(app, "deadline", optional=True),
                  placeholder=_("YYYY-MM-DD")),
            Field("status", _("Status"), "active", choices=choices(JOB_STATUS, ["active", "proposed"])),
            Field("brief", _("Brief (Markdown)"), "", str, multiline=True),
        ],
        submit,
        save_label=_("Add job"),
    )
    app.push_screen(form, lambda job: job and app.saved(_("Job added: {title}").format(title=one_line(job.title))))
