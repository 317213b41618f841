"""Every command of the README's synopsis, run for real on the demo data.

The table below has one case per command the README lists; the first test
fails if the README names a command the table does not run (or the other way
round). Each case runs the real CLI in a subprocess on a fresh copy of the
demo file, then checks its effect on the file, read back by a new store: the
documents, and the snapshot and daily review the screens draw from (the
Agenda from ``review``, the Clients and Invoices screens from the snapshot).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from storage.clock import FixedClock
from storage.scheduler import review
from storage.store import Store
from tests.conftest import FIXED_DAY

REPO = Path(__file__).resolve().parents[2]


def synopsis_commands() -> set[str]:
    """``client show``, ``invoice hold``, ... for each line of the README's
    synopsis (the indented block under "## The command line"); ``a|b`` in the
    command words gives both. "" is the TUI itself."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## The command line", 1)[1]
    names: set[str] = set()
    for line in block.splitlines()[1:]:
        if line and not line.startswith(" "):
            break
        words = re.split(r"\s{2,}", line.strip())[0].split()  # the description follows two spaces
        if not words or words[0] != "rapport":
            continue
        command: list[list[str]] = []
        for word in words[1:3]:
            if not re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", word):
                break
            command.append(word.split("|"))
        keys = [""]
        for options in command:
            keys = [f"{k} {o}".strip() for k in keys for o in options]
        names.update(keys)
    return names


class Data(NamedTuple):
    """What a case looks at afterwards."""

    raw: dict[str, Any]  # the file's tables: {table: {doc_id: doc}}
    store: Store
    out: str
    err: str

    def docs(self, table: str) -> list[dict[str, Any]]:
        return list(self.raw[table].values())

    def doc(self, table: str, doc_id: str) -> dict[str, Any]:
        [doc] = [d for d in self.docs(table) if d.get("id") == doc_id]
        return doc

    def invoice(self, number: str) -> dict[str, Any]:
        [doc] = [d for d in self.docs("invoice") if d["number"] == number]
        return doc

    @property
    def snap(self):
        return self.store.snapshot()

    @property
    def agenda(self):
        return review(self.snap, FIXED_DAY)


DRAFT_ID = "invoice-50"
"""The draft that `prepare` adds for the issue and void cases (after the demo's 49 invoices)."""


class Case(NamedTuple):
    args: list[str]
    check: Callable[[Data], None]
    rc: int = 0
    stdin: bytes | None = None
    env: dict[str, str] | None = None


def _json_out(d: Data) -> Any:
    return json.loads(d.out)


def _unchanged(d: Data) -> None:
    assert d.err == ""


def _client_show(d: Data) -> None:
    shown = _json_out(d)
    assert shown["id"] == "client-1" and shown["name"] == "Acme Robotics"
    assert shown["outstanding"] == {"USD": "6240.00"} and shown["next_checkin"] == "2026-12-09"
    assert shown["notes"] == d.doc("client", "client-1")["notes"]


def _client_edit(d: Data) -> None:
    doc = d.doc("client", "client-2")
    assert (doc["cadence_days"], doc["terms_days"], doc["email"]) == (30, 21, "books@bell.example")
    # a 30-day cadence from the last contact: Bellweather is no longer due a check-in
    assert "client-2" not in [row.client_id for row in d.agenda.checkins_due]


def _client_archive(d: Data) -> None:
    assert d.doc("client", "client-3")["status"] == "former"
    assert "client-3" not in [row.client_id for row in d.agenda.checkins_due]


def _client_delete(d: Data) -> None:
    assert not [c for c in d.docs("client") if c["id"] == "client-3"]
    assert not [i for i in d.docs("invoice") if i["client_id"] == "client-3"]
    assert "Café Olé" not in [c.name for c in d.snap.clients]


def _client_snooze(d: Data) -> None:
    assert d.doc("client", "client-3")["snoozed_until"] == "2026-12-15"
    assert "client-3" not in [row.client_id for row in d.agenda.checkins_due]


def _client_notes(d: Data) -> None:
    assert d.doc("client", "client-1")["notes"] == "# Ana\n\nPrefers *calls* now.\n"
    assert d.snap.clients_by_id["client-1"].notes.startswith("# Ana")


def _client_notes_editor(d: Data) -> None:
    assert d.doc("client", "client-1")["notes"] == "written in the editor\n"


def _contact_add(d: Data) -> None:
    [new] = [c for c in d.docs("contact") if c["id"] == d.out.strip()]
    assert (new["client_id"], new["date"], new["summary"]) == ("client-3", "2026-11-27", "Called")
    assert "client-3" not in [row.client_id for row in d.agenda.checkins_due]


def _contact_list(d: Data) -> None:
    rows = _json_out(d)
    expected = [c["id"] for c in d.docs("contact") if c["client_id"] == "client-1"]
    assert sorted(r["id"] for r in rows) == sorted(expected) and rows
    assert set(rows[0]) == {"id", "client", "client_id", "date", "channel", "direction", "kind", "summary"}
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)


def _invoice_add(d: Data) -> None:
    invoice = d.invoice(d.out.strip())
    assert invoice["items"] == [{"description": "Professional services", "quantity": "1", "unit_price": "250.00"}]
    assert (invoice["client_id"], invoice["status"], invoice["issued"]) == ("client-4", "sent", "2026-11-27")


def _invoice_add_jobs(d: Data) -> None:
    invoice = d.invoice(d.out.strip())
    assert invoice["items"] == [
        {"description": "Spring campaign", "quantity": "1", "unit_price": "10400.00"},
        {"description": "Logo", "quantity": "1", "unit_price": "300.00"},
    ]
    assert invoice["currency"] == "USD" and invoice["job_ids"][0] == "job-6"
    assert {j["status"] for j in d.docs("job") if j["id"] in invoice["job_ids"]} == {"invoiced"}


def _invoice_issue(d: Data) -> None:
    assert d.out.strip() == "2026-048"  # the next number of the year, taken on issue
    invoice = d.invoice("2026-048")
    assert (invoice["status"], invoice["issued"]) == ("sent", "2026-11-27")
    assert "2026-048" in [i.number for i in d.snap.open_invoices]


def _invoice_hold(d: Data) -> None:
    assert d.invoice("2026-043")["on_hold"] is True
    assert "2026-043" not in [row.number for row in d.agenda.reminders_due]


def _invoice_release(d: Data) -> None:
    assert d.invoice("2026-042")["on_hold"] is False
    assert "2026-042" in [row.number for row in d.agenda.reminders_due]


def _invoice_void(d: Data) -> None:
    assert d.doc("invoice", DRAFT_ID)["status"] == "void"
    assert d.doc("invoice", DRAFT_ID)["number"] == ""  # voided before it was issued: no number taken


def _invoice_write_off(d: Data) -> None:
    assert d.invoice("2026-043")["status"] == "written_off"
    assert "2026-043" not in [row.number for row in d.agenda.invoices_overdue]


def _invoice_edit(d: Data) -> None:
    invoice = d.invoice("2026-043")
    assert invoice["items"] == [
        {"description": "Design", "quantity": "2", "unit_price": "300.00"},
        {"description": "Discount", "quantity": "1", "unit_price": "-50.00"},
    ]
    assert invoice["terms_days"] == 30
    assert d.snap.invoice("2026-043").total == 550


def _invoice_pay(d: Data) -> None:
    assert d.invoice("2026-043")["payments"] == [{"amount": "450.00", "date": "2026-11-27"}]
    assert "2026-043" not in [row.number for row in d.agenda.invoices_overdue]


def _invoice_remind(d: Data) -> None:
    reminders = d.invoice("2026-043")["reminders"]
    assert reminders[-1] == {"channel": "email", "date": "2026-11-27", "level": 2}
    assert "2026-043" in d.out


def _invoice_show(d: Data) -> None:
    assert "2026-043" in d.out and "450.00 EUR" in d.out


def _invoice_list(d: Data) -> None:
    rows = _json_out(d)
    assert [r["number"] for r in rows] == ["2026-043", "2026-042", "2026-041", "2026-040", "2026-039"]
    assert all(r["state"] == "overdue" for r in rows)


def _job_add(d: Data) -> None:
    job = d.doc("job", d.out.strip())
    assert (job["client_id"], job["title"], job["price"], job["deadline"]) == ("client-1", "Poster", "700.00",
                                                                             "2026-12-20")


def _job_deliver(d: Data) -> None:
    assert d.doc("job", "job-6")["status"] == "delivered"
    assert "job-6" in [row.job_id for row in d.agenda.to_invoice]


def _job_list(d: Data) -> None:
    rows = _json_out(d)
    assert sorted(r["id"] for r in rows) == sorted(j["id"] for j in d.docs("job") if j["client_id"] == "client-1")
    assert set(rows[0]) == {"id", "client", "client_id", "title", "status", "price", "currency", "deadline",
                            "delivered"}


def _change_add(d: Data) -> None:
    change = d.doc("change", d.out.strip())
    assert (change["job_id"], change["what"], change["status"]) == ("job-6", "Two more banners", "proposed")


def _change_answer(d: Data) -> None:
    assert d.doc("change", "change-1")["status"] == "accepted"
    assert d.doc("job", "job-18")["history"][-1]["change_id"] == "change-1"


def _change_list(d: Data) -> None:
    rows = _json_out(d)
    assert [r["id"] for r in rows] == ["change-1"] and rows[0]["job"] == "Annual report"


def _promise_add(d: Data) -> None:
    promise = d.doc("promise", d.out.strip())
    assert (promise["client_id"], promise["text"], promise["due"]) == ("client-1", "Send the proofs", "2026-11-27")
    assert promise["id"] in [row.id for row in d.agenda.promises_due]


def _promise_close(d: Data) -> None:
    assert (d.doc("promise", "promise-2")["status"], d.doc("promise", "promise-2")["closed"]) == ("kept",
                                                                                                   "2026-11-27")
    assert "promise-2" not in [row.id for row in d.agenda.promises_due]


def _promise_postpone(d: Data) -> None:
    assert d.doc("promise", "promise-2")["due"] == "2026-12-04"
    assert "promise-2" not in [row.id for row in d.agenda.promises_due]


def _promise_list(d: Data) -> None:
    rows = _json_out(d)
    assert rows and all(r["client_id"] == "client-1" for r in rows)
    assert set(rows[0]) == {"id", "client", "client_id", "job_id", "text", "due", "status", "closed"}


def _rate_propose(d: Data) -> None:
    rate = d.doc("rate", d.out.strip())
    assert (rate["client_id"], rate["amount"], rate["status"]) == ("client-1", "600.00", "proposed")


def _rate_answer(d: Data) -> None:
    assert d.doc("client", "client-2")["rate"] == "55.00"


def _draft(d: Data) -> None:
    assert "Hello Carmen," in d.out and "carmen@cafe.example" in d.out  # the main contact, by first name


def _person_add(d: Data) -> None:
    cafe = d.doc("client", "client-3")
    assert cafe["people"][-1] == {"name": "Accounts Dept", "email": "ap@cafe.example", "role": "billing"}
    assert [c.id for c in d.snap.clients if c.billing_contact and c.billing_contact.email == "ap@cafe.example"] == [
        "client-3"]


def _client_late_interest(d: Data) -> None:
    assert d.doc("client", "client-3")["late_interest"] is False


def _retainer_set(d: Data) -> None:
    retainer = d.doc("client", "client-7")["retainer"]
    assert (retainer["amount"], retainer["day"], retainer["covers"]) == ("300.00", 5, "Hosting and care")
    assert ("client-7", "2026-11") in [(r.client_id, r.period) for r in d.agenda.to_invoice if r.kind == "retainer"]


def _retainer_stop(d: Data) -> None:
    assert d.doc("client", "client-1")["retainer"]["until"] == "2026-11-27"


def _invoice_call(d: Data) -> None:
    assert d.invoice("2026-039")["called"] == "2026-11-27"
    assert any(c["kind"] == "reminder" and c["channel"] == "call" and "2026-039" in c["summary"]
               for c in d.docs("contact"))


def _settings_get(d: Data) -> None:
    assert _json_out(d)["reminder_ladder"] == [1, 8, 15]


def _settings_set(d: Data) -> None:
    [settings] = d.docs("settings")
    assert settings["reminder_ladder"] == [2, 9, 16]
    assert d.snap.settings.reminder_ladder == [2, 9, 16]


def _template_list(d: Data) -> None:
    rows = _json_out(d)
    assert {(r["name"], r["language"]) for r in rows} >= {("checkin", "en"), ("final", "es")}
    assert set(rows[0]) == {"name", "language", "subject", "customised"}


def _template_show(d: Data) -> None:
    assert d.out.startswith("Subject: ")


def _template_edit(d: Data) -> None:
    [template] = [t for t in d.docs("template") if (t["name"], t["language"]) == ("checkin", "en")]
    assert (template["subject"], template["body"]) == ("Hi {client}", "Hello {client}\n{signature}\n")


def _template_reset(d: Data) -> None:
    from storage.templates import default_template

    # reset keeps no copy: the shipped file serves (and its next wording will)
    assert not [t for t in d.docs("template") if (t["name"], t["language"]) == ("checkin", "es")]
    assert d.store.template("checkin", "es").body == default_template("checkin", "es").body


def _export(d: Data) -> None:
    assert d.out.startswith("BEGIN:VCALENDAR") and "BEGIN:VALARM" in d.out


def _import(d: Data) -> None:
    assert [c["name"] for c in d.docs("client")] == ["Solo"]


def _check(d: Data) -> None:
    assert d.out.startswith("ok:")


def _today(d: Data) -> None:
    assert _json_out(d)["date"] == "2026-11-27"


def _demo(d: Data) -> None:
    assert len(d.docs("client")) == 8


def _client_add(d: Data) -> None:
    assert d.doc("client", d.out.strip())["name"] == "Newco"


def _client_list(d: Data) -> None:
    assert len(_json_out(d)) == 8


def _serve(d: Data) -> None:
    assert d.err.startswith("rapport serve: --host 0.0.0.0") and d.err.count("\n") == 1


def _completion(shell: str) -> Callable[[Data], None]:
    def check(d: Data) -> None:
        assert "rapport" in d.out and ("compdef" in d.out if shell == "zsh" else "complete " in d.out)

    return check


EDITOR = "editor.sh"  # written by the test: puts its text in the file it is given

CASES: dict[str, Case] = {
    "demo": Case(["demo", "--force"], _demo),
    "today": Case(["today", "--json"], _today),
    "client add": Case(["client", "add", "Newco", "--rate", "50"], _client_add),
    "client list": Case(["client", "list", "--json"], _client_list),
    "client show": Case(["client", "show", "acme", "--json"], _client_show),
    "client edit": Case(["client", "edit", "Bellweather", "--cadence", "30", "--terms", "21", "--email",
                         "books@bell.example"], _client_edit),
    "client archive": Case(["client", "archive", "Café"], _client_archive),
    "client delete": Case(["client", "delete", "Café", "--yes"], _client_delete),
    "client snooze": Case(["client", "snooze", "Café", "--until", "2026-12-15"], _client_snooze),
    "client late-interest": Case(["client", "late-interest", "Café", "off"], _client_late_interest),
    "person add": Case(["person", "add", "Café", "Accounts Dept", "--email", "ap@cafe.example", "--role", "billing"],
                       _person_add),
    "retainer set": Case(["retainer", "set", "Globex", "300", "--day", "5", "--covers", "Hosting and care",
                          "--from", "2026-11-01"], _retainer_set),
    "retainer stop": Case(["retainer", "stop", "acme"], _retainer_stop),
    "invoice call": Case(["invoice", "call", "2026-039"], _invoice_call),
    "client notes": Case(["client", "notes", "acme", "--file", "-"], _client_notes,
                         stdin=b"# Ana\n\nPrefers *calls* now.\n"),
    "contact add": Case(["contact", "add", "Café", "--channel", "call", "--note", "Called"], _contact_add),
    "contact list": Case(["contact", "list", "--client", "acme", "--json"], _contact_list),
    "invoice add": Case(["invoice", "add", "Delta", "250"], _invoice_add),
    "invoice issue": Case(["invoice", "issue", DRAFT_ID], _invoice_issue),
    "invoice hold": Case(["invoice", "hold", "2026-043"], _invoice_hold),
    "invoice release": Case(["invoice", "release", "2026-042"], _invoice_release),
    "invoice void": Case(["invoice", "void", DRAFT_ID], _invoice_void),
    "invoice write-off": Case(["invoice", "write-off", "2026-043"], _invoice_write_off),
    "invoice edit": Case(["invoice", "edit", "2026-043", "--line", "Design; 2; 300", "--line", "Discount; -50",
                          "--terms", "30"], _invoice_edit),
    "invoice pay": Case(["invoice", "pay", "2026-043"], _invoice_pay),
    "invoice remind": Case(["invoice", "remind", "2026-043"], _invoice_remind),
    "invoice show": Case(["invoice", "show", "2026-043"], _invoice_show),
    "invoice list": Case(["invoice", "list", "--status", "overdue", "--json"], _invoice_list),
    "job add": Case(["job", "add", "acme", "Poster", "--price", "700", "--deadline", "2026-12-20"], _job_add),
    "job deliver": Case(["job", "deliver", "job-6"], _job_deliver),
    "job list": Case(["job", "list", "--client", "acme", "--json"], _job_list),
    "change add": Case(["change", "add", "job-6", "Two more banners", "--price", "11000"], _change_add),
    "change answer": Case(["change", "answer", "change-1", "accepted"], _change_answer),
    "change list": Case(["change", "list", "--json"], _change_list),
    "promise add": Case(["promise", "add", "acme", "Send the proofs", "--due", "2026-11-27"], _promise_add),
    "promise close": Case(["promise", "close", "promise-2", "kept"], _promise_close),
    "promise postpone": Case(["promise", "postpone", "promise-2", "--to", "2026-12-04"], _promise_postpone),
    "promise list": Case(["promise", "list", "--client", "acme", "--json"], _promise_list),
    "rate propose": Case(["rate", "propose", "acme", "600"], _rate_propose),
    "rate answer": Case(["rate", "answer", "Bellweather", "accepted"], _rate_answer),
    "draft": Case(["draft", "checkin", "Café"], _draft),
    "settings get": Case(["settings", "get", "--json"], _settings_get),
    "settings set": Case(["settings", "set", "reminder_ladder", "2, 9, 16"], _settings_set),
    "template list": Case(["template", "list", "--json"], _template_list),
    "template show": Case(["template", "show", "final", "--lang", "es"], _template_show),
    "template edit": Case(["template", "edit", "checkin", "--lang", "en", "--file", "-"], _template_edit,
                          stdin=b"Subject: Hi {client}\n\nHello {client}\n{signature}\n"),
    "template reset": Case(["template", "reset", "checkin", "--lang", "es"], _template_reset),
    "export": Case(["export", "--format", "ics", "--what", "due"], _export),
    "import": Case(["import", "solo.json"], _import),
    "check": Case(["check"], _check),
    "serve": Case(["serve", "--host", "0.0.0.0"], _serve, rc=2),
    "completion bash": Case(["completion", "bash"], _completion("bash")),
    "completion zsh": Case(["completion", "zsh"], _completion("zsh")),
}
"""One run per synopsis command. Some need a setup, done in ``prepare``."""

NOT_HERE = {"": "the TUI itself: tests/tui drive it with Pilot (and test_cli_on_screen.py after these commands)"}


def test_the_table_runs_every_command_of_the_readmes_synopsis():
    listed = synopsis_commands()
    assert listed - set(CASES) - set(NOT_HERE) == set(), "commands in the README with no case here"
    assert set(CASES) - listed == set(), "cases for commands the README does not list"


@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory, rapport_cli) -> bytes:
    path = tmp_path_factory.mktemp("synopsis") / "demo.json"
    rc, out, err = rapport_cli(path, "demo")
    assert rc == 0, err
    return path.read_bytes()


def prepare(name: str, path: Path, folder: Path) -> None:
    """What a case needs beyond the demo data."""
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    if name in ("invoice issue", "invoice void"):
        from decimal import Decimal

        from storage.models import InvoiceStatus, LineItem

        draft = store.add_invoice("client-1", [LineItem(description="Draft", unit_price=Decimal(5))],
                                  issued=FIXED_DAY, status=InvoiceStatus.DRAFT)
        assert (draft.number, draft.id) == ("", DRAFT_ID)  # a draft has no number until it is issued
    if name == "import":
        from storage.models import Client

        other = Store.open(folder / "solo-data.json", clock=FixedClock(FIXED_DAY))
        other.add_client(Client(name="Solo", since=FIXED_DAY))
        (folder / "solo.json").write_bytes(json.dumps(other.export_data()).encode())
    if name == "rate answer":
        store.update_client("client-2", rate="50")
        store.propose_rate("client-2", "55", FIXED_DAY)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_synopsis_command_does_what_it_says(name, tmp_path, demo_bytes, monkeypatch):
    case = CASES[name]
    path = tmp_path / "rapport.json"
    path.write_bytes(demo_bytes)
    prepare(name, path, tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [str(tmp_path / a) if a == "solo.json" else a for a in case.args]
    rc, out, err = run_with_stdin(path, args, case.stdin, case.env)
    assert rc == case.rc, (out, err)
    if case.rc == 0:
        assert err == "" or name in ("invoice remind", "draft"), err
        assert "Traceback" not in err
    store = Store.open(path, clock=FixedClock(FIXED_DAY), create=False)
    case.check(Data(json.loads(path.read_bytes()), store, out, err))


def run_with_stdin(path: Path, args: list[str], stdin: bytes | None, env: dict[str, str] | None):
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"} | {"PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "tui", "--data", str(path), "--today", FIXED_DAY.isoformat(), *args],
                          cwd=REPO, env=environ | (env or {}), input=stdin or b"", capture_output=True, timeout=120)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_invoice_add_with_jobs_makes_one_line_per_job_at_its_price(tmp_path, demo_bytes):
    path = tmp_path / "rapport.json"
    path.write_bytes(demo_bytes)
    rc, job, err = run_with_stdin(path, ["job", "add", "acme", "Logo", "--price", "300"], None, None)
    assert rc == 0, err
    for delivered in ("job-6", job.strip()):  # only delivered work is invoiced
        assert run_with_stdin(path, ["job", "deliver", delivered], None, None)[0] == 0
    rc, out, err = run_with_stdin(path, ["invoice", "add", "acme", "--job", "job-6", "--job", job.strip()], None, None)
    assert rc == 0, err
    _invoice_add_jobs(Data(json.loads(path.read_bytes()), Store.open(path, create=False), out, err))
    # the same job again is refused, and nothing changes
    before = path.read_bytes()
    rc, out, err = run_with_stdin(path, ["invoice", "add", "acme", "--job", "job-6"], None, None)
    assert (rc, out) == (1, "") and "already invoiced" in err and path.read_bytes() == before


def test_client_notes_in_the_editor(tmp_path, demo_bytes):
    path = tmp_path / "rapport.json"
    path.write_bytes(demo_bytes)
    editor = tmp_path / EDITOR
    editor.write_text('#!/bin/sh\nprintf "written in the editor\\n" > "$1"\n')
    editor.chmod(0o755)
    rc, out, err = run_with_stdin(path, ["client", "notes", "acme"], None, {"EDITOR": str(editor)})
    assert rc == 0, err
    _client_notes_editor(Data(json.loads(path.read_bytes()), Store.open(path, create=False), out, err))
    # an editor that fails saves nothing
    failing = tmp_path / "fail.sh"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    before = path.read_bytes()
    rc, out, err = run_with_stdin(path, ["client", "notes", "acme"], None, {"EDITOR": str(failing)})
    assert rc == 1 and "status 3" in err and path.read_bytes() == before


BAD = {
    "a raise not above the current rate": (["rate", "propose", "acme", "520"], "must be above the current"),
    "an unknown placeholder": (["template", "edit", "checkin", "--file", "-"], "unknown placeholder {bogus}"),
    "an unknown setting": (["settings", "set", "colour", "red"], "not a setting"),
    "a ladder that does not rise": (["settings", "set", "reminder_ladder", "1, 8, 4"], "must rise"),
    "an unknown template": (["template", "reset", "haiku"], "no template named"),
    "holding a written-off invoice": (["invoice", "hold", "2026-043"], "only a sent invoice"),
    "issuing a sent invoice": (["invoice", "issue", "2026-043"], "not a draft"),
    "voiding a paid invoice": (["invoice", "void", "2026-001"], "write off"),
    "writing off a paid invoice": (["invoice", "write-off", "2026-001"], "nothing to write off"),
    "postponing a kept promise": (["promise", "postpone", "promise-1", "--to", "2026-12-01"], "already kept"),
    "an invoice line without a price": (["invoice", "edit", "2026-043", "--line", "Design"], "description; quantity"),
    "notes from a missing file": (["client", "notes", "acme", "--file", "/nonexistent/notes.md"], "cannot read"),
    "notes with no editor and no file": (["client", "notes", "acme"], "set $EDITOR"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_what_the_store_refuses_the_cli_refuses_in_one_line(case, tmp_path, demo_bytes):
    path = tmp_path / "rapport.json"
    path.write_bytes(demo_bytes)
    [first] = [i for i in json.loads(demo_bytes)["invoice"].values() if i["number"] == "2026-001"]
    assert first["payments"] and first["status"] == "sent"  # the demo's first invoice is paid
    if case == "holding a written-off invoice":
        from storage.models import InvoiceStatus

        Store.open(path, clock=FixedClock(FIXED_DAY)).update_invoice("2026-043", status=InvoiceStatus.WRITTEN_OFF)
    before = path.read_bytes()
    args, words = BAD[case]
    rc, out, err = run_with_stdin(path, args, b"Subject: x\n\n{bogus}\n", {"EDITOR": "", "VISUAL": ""})
    assert (rc, out) == (1, ""), err
    assert err.startswith("rapport: ") and err.count("\n") == 1 and words in err, err
    assert path.read_bytes() == before


USAGE = {
    "delete without --yes": ["client", "delete", "acme"],
    "snooze without a date": ["client", "snooze", "acme"],
    "an amount and jobs": ["invoice", "add", "acme", "100", "--job", "job-6"],
    "neither amount nor jobs": ["invoice", "add", "acme"],
    "edit with nothing to change": ["invoice", "edit", "2026-043"],
    "client edit with nothing to change": ["client", "edit", "acme"],
    "postpone without --to": ["promise", "postpone", "promise-2"],
    "another host without --public": ["serve", "--host", "192.168.1.5"],
    "an unknown shell": ["completion", "fish"],
}


@pytest.mark.parametrize("case", sorted(USAGE))
def test_usage_errors_exit_2_in_one_line(case, tmp_path, demo_bytes):
    path = tmp_path / "rapport.json"
    path.write_bytes(demo_bytes)
    before = path.read_bytes()
    rc, out, err = run_with_stdin(path, USAGE[case], None, None)
    assert (rc, out) == (2, ""), err
    assert err.startswith("rapport") and err.count("\n") == 1 and "Traceback" not in err, err
    assert path.read_bytes() == before


READ_ONLY = [["today"], ["today", "--json"], ["check"], ["client", "list"], ["client", "show", "x"],
             ["contact", "list"], ["job", "list"], ["promise", "list"], ["change", "list"], ["invoice", "list"],
             ["settings", "get"], ["template", "list"], ["export"], ["contact", "add", "x"], ["serve"]]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_a_mistyped_data_path_is_reported_not_created(args, tmp_path):
    path = tmp_path / "typo.json"
    rc, out, err = run_with_stdin(path, args, None, None)
    assert (rc, out) == (1, ""), err
    assert err == f"rapport: no data file at {path}; 'rapport demo' or 'rapport client add' creates one\n" or (
        args == ["serve"] and "no data file at" in err and err.count("\n") == 1), err
    assert list(tmp_path.iterdir()) == []


def test_commands_that_add_data_may_create_the_file(tmp_path):
    path = tmp_path / "new.json"
    rc, out, err = run_with_stdin(path, ["client", "add", "First"], None, None)
    assert (rc, err) == (0, "") and json.loads(path.read_bytes())["client"]


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


HOSTILE = "Evil\x1b]52;c;aGk=\x07 \x1b[2J[bold]x[/] \u202eRTL\x9b31m"


def test_what_the_new_commands_print_never_carries_raw_controls(tmp_path):
    """User text in every new listing and view: controls shown as symbols, in
    plain and --json output alike (JSON escapes them; they parse back)."""
    path = tmp_path / "rapport.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    from decimal import Decimal

    from storage.models import Change, Client, Contact, Job, Promise

    client = store.add_client(Client(name=HOSTILE, since=FIXED_DAY, notes=HOSTILE, tags=[HOSTILE]))
    store.log_contact(Contact(client_id=client.id, date=FIXED_DAY, summary=HOSTILE))
    job = store.add_job(Job(client_id=client.id, title=HOSTILE, price=Decimal(1)))
    store.add_change(Change(job_id=job.id, what=HOSTILE, sent=FIXED_DAY))
    store.add_promise(Promise(client_id=client.id, text=HOSTILE, due=FIXED_DAY))
    store.set_setting("name", HOSTILE)
    store.edit_template("checkin", "en", subject=HOSTILE, body=HOSTILE)
    commands = [["client", "show", client.id], ["client", "show", client.id, "--json"], ["contact", "list"],
                ["contact", "list", "--json"], ["job", "list"], ["job", "list", "--json"], ["change", "list"],
                ["change", "list", "--json"], ["promise", "list"], ["promise", "list", "--json"],
                ["settings", "get"], ["settings", "get", "name"], ["settings", "get", "--json"],
                ["template", "list"], ["template", "list", "--json"], ["template", "show", "checkin"],
                ["settings", "set", "name", HOSTILE], ["export", "--format", "ics"]]
    for args in commands:
        rc, out, err = run_with_stdin(path, args, None, None)
        assert rc == 0, (args, err)
        raw = [c for c in out if c in "\x1b\x07\x9b\u202e"]
        assert raw == [], (args, out)
        if "--json" in args:
            assert HOSTILE in strings(json.loads(out))  # as typed, once parsed back
        elif args[0] != "export":
            assert "␛" in out, (args, out)  # shown, as a symbol


def test_client_list_columns_line_up_by_terminal_columns(tmp_path):
    """A decomposed accent (e + U+0301) takes no column of its own, a CJK name
    takes two a character: the STATUS column starts at the same column on each row."""
    from storage.models import Client
    from storage.text import cell_width

    path = tmp_path / "rapport.json"
    store = Store.open(path, clock=FixedClock(FIXED_DAY))
    for name in ("Cafe\u0301 Ole\u0301", "東京デザイン事務所", "Plain"):
        store.add_client(Client(name=name, since=FIXED_DAY))
    rc, out, err = run_with_stdin(path, ["client", "list"], None, None)
    assert rc == 0, err
    starts = {cell_width(line[: line.index(" active")]) for line in out.splitlines()[1:]}
    assert starts == {28}, out
