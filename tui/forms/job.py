"""The new-job form from a client (``J`` on Clients): title, brief, price, deadline, status."""

from __future__ import annotations

from typing import Any

from storage.models import Client, Job, JobStatus
from storage.text import one_line

from ..host import Host
from ..widgets.form import Field, FormModal
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
        f"New job for {one_line(client.name)}",
        [
            Field("title", "Title", "", required("title")),
            Field("price", f"Agreed price ({currency})", "", amount_parser("price", currency, optional=True)),
            Field("deadline", "Deadline", "", date_parser(app, "deadline", optional=True), placeholder="YYYY-MM-DD"),
            Field("status", "Status", "active", choices=[("Active", "active"), ("Proposed", "proposed")]),
            Field("brief", "Brief (Markdown)", "", str, multiline=True),
        ],
        submit,
        save_label="Add job",
    )
    app.push_screen(form, lambda job: job and app.saved(f"Job added: {one_line(job.title)}"))
