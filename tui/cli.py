"""The ``rapport`` command: argument parsing, the scriptable subcommands, and the TUI.

Scripts, cron jobs and tests rely on this interface (PRODUCT.md "CLI"). The
non-interactive commands never import Textual, so they start fast; only running
``rapport`` with no subcommand loads the app.

Errors print one line on stderr: exit status 1 for bad input (a value that does
not validate, a client that does not exist, an unusable data file) and 2 for
usage (an unknown option, a missing argument). Never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from storage.jsonfile import DataFileError, StorageError
from storage.values import ValidationError, parse_date, parse_decimal, parse_positive_int

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command line itself is wrong (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but errors become one line and exit 2 instead of usage dumps."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class BadValue(Exception):
    """A well-formed command line with a value that does not validate (exit 1).

    Deliberately not a ValueError, so argparse lets it through instead of
    reporting it as a usage error.
    """


def _date_arg(field: str) -> Callable[[str], dt.date]:
    def parse(text: str) -> dt.date:
        try:
            return parse_date(text, field)
        except ValidationError as exc:
            raise BadValue(str(exc)) from None

    return parse


def _days_arg(field: str, allow_zero: bool = True) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return parse_positive_int(text, field, allow_zero=allow_zero)
        except ValidationError as exc:
            raise BadValue(str(exc)) from None

    return parse


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--data and --today are accepted before or after the subcommand."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data", metavar="PATH", default=default,
                        help="the data file (default: $RAPPORT_DATA, else rapport.json in the user data folder)")
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=_date_arg("--today"), default=default,
                        help="pretend today is this date (default: today in the configured time zone)")


class _Skipped:
    """Stands in for the parser of a command that is not being run: building
    every subcommand's parser costs more than the rest of ``rapport today``."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass

    def add_subparsers(self, *args: Any, **kwargs: Any) -> _Skipped:
        return self


TOP_COMMANDS = ("demo", "today", "client", "person", "contact", "invoice", "job", "change", "promise", "rate",
                "retainer", "settings", "draft", "export", "import", "check")


def _command_in(argv: Sequence[str]) -> str | None:
    """Which subcommand's parser to build: its name; "" for none (no subcommand:
    the app opens, and need not wait for thirty parsers); None for all of them
    (the top-level help lists them, and an unknown name is reported with them)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in ("--data", "--today"):
            skip = True
        elif not token.startswith("-"):
            return token if token in TOP_COMMANDS else None
    return None if ("-h" in argv or "--help" in argv) else ""


def build_parser(argv: Sequence[str] | None = None) -> _Parser:
    """The argument parser; given ``argv``, only the named command is built in full."""
    parser = _Parser(prog="rapport", description="Keep a freelancer's client relationships healthy.")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    only = _command_in(argv) if argv is not None else None

    def command(name: str, help_: str, parent: Any = sub) -> Any:
        if isinstance(parent, _Skipped) or (parent is sub and only is not None and name != only):
            return _Skipped()
        p = parent.add_parser(name, help=help_, description=help_)
        _common(p, top=False)
        return p

    p = command("demo", "write a demo data set (dates relative to --today)")
    p.add_argument("--size", default="small", help="small, large, or a number of clients (default: small)")
    p.add_argument("--force", action="store_true", help="replace an existing data file (a backup is kept)")

    p = command("today", "the daily review: what is due today")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    client = command("client", "add and list clients")
    client_sub = client.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "add a client; prints its id", client_sub)
    p.add_argument("name")
    p.add_argument("--email", default="")
    p.add_argument("--company", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--cadence", type=_days_arg("--cadence", allow_zero=False), default=7, help="check-in every D days (default 7)")
    p.add_argument("--terms", type=_days_arg("--terms"), default=14, help="payment terms in days (default 14)")
    p.add_argument("--since", type=_date_arg("--since"), help="client since (default today)")
    p.add_argument("--rate", help="current rate, e.g. 60 or 480.00")
    p.add_argument("--unit", choices=["hour", "day", "project"], default="hour")
    p.add_argument("--currency", default="EUR", help="ISO 4217 code (default EUR)")
    p.add_argument("--status", choices=["lead", "active", "paused", "former"], default="active")
    p.add_argument("--invoicing", choices=["on_delivery", "monthly"], default="on_delivery")
    p.add_argument("--lang", choices=["en", "es"], help="drafts and invoices for them (default: the settings')")
    p.add_argument("--legal-name", default="", help="for invoices")
    p.add_argument("--address", default="", help="for invoices (\\n between lines)")
    p.add_argument("--tax-id", default="", help="for invoices")
    p.add_argument("--tax", metavar="LINES",
                   help="their tax lines instead of the settings', e.g. 'IVA 21, IRPF -15' ('' for none)")
    p.add_argument("--tax-note", default="", help="printed under the taxes, e.g. 'Reverse charge'")
    p = command("late-interest", "whether late-payment interest and compensation apply to a client", client_sub)
    p.add_argument("client")
    p.add_argument("state", choices=["on", "off"])
    p = command("list", "list clients", client_sub)
    p.add_argument("--json", action="store_true")

    contact = command("contact", "the contact log")
    contact_sub = contact.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "log a contact with a client; prints its id", contact_sub)
    p.add_argument("client")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--channel", choices=["email", "call", "meeting", "message"], default="email")
    p.add_argument("--kind", choices=["check-in", "progress update", "interim version", "proposal", "reminder", "other"],
                   default="check-in")
    p.add_argument("--direction", choices=["out", "in"], default="out")
    p.add_argument("--note", default="")

    person = command("person", "the people at a client: who is greeted, who gets the invoices")
    person_sub = person.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "add a person to a client", person_sub)
    p.add_argument("client")
    p.add_argument("name")
    p.add_argument("--email", default="")
    p.add_argument("--role", choices=["main", "billing"], default="main",
                   help="main: greeted in every message; billing: invoices and reminders go to them")

    invoice = command("invoice", "invoices, payments and reminders")
    invoice_sub = invoice.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "add an invoice; prints its number (a draft's id)", invoice_sub)
    p.add_argument("client")
    p.add_argument("amount", nargs="?", help="the amount (not with --retainer)")
    p.add_argument("--retainer", metavar="YYYY-MM", help="the invoice of the client's retainer for that month")
    p.add_argument("--issued", type=_date_arg("--issued"))
    p.add_argument("--terms", type=_days_arg("--terms"))
    p.add_argument("--number")
    p.add_argument("--currency")
    p.add_argument("--description", default="Professional services")
    p.add_argument("--job", action="append", default=[], help="a delivered job this invoice covers (repeatable)")
    p.add_argument("--draft", action="store_true", help="a draft: no number yet, not sent, not chased")
    p = command("issue", "issue a draft: it takes the next number of its year; prints it", invoice_sub)
    p.add_argument("number", metavar="DRAFT", help="the draft's id (invoice add --draft printed it)")
    p.add_argument("--on", type=_date_arg("--on"), help="the issue date (default today)")
    p = command("pay", "record a payment (default: all that is outstanding)", invoice_sub)
    p.add_argument("number")
    p.add_argument("--amount")
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("remind", "log the next payment reminder and print its text", invoice_sub)
    p.add_argument("number")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--force", action="store_true", help="log it even when the ladder says no reminder is due")
    p.add_argument("--lang", choices=["en", "es"])
    p = command("write-off", "write an unpaid invoice off: it is no longer chased", invoice_sub)
    p.add_argument("number")
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("call", "log the call about an invoice past its final notice", invoice_sub)
    p.add_argument("number")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--note", default="")
    p = command("show", "an invoice as Markdown, HTML or PDF", invoice_sub)
    p.add_argument("number")
    p.add_argument("--format", choices=["md", "html", "pdf"], default="md")
    p.add_argument("--out", metavar="PATH", help="write to a file (a PDF needs one unless stdout is a pipe)")
    p.add_argument("--lang", choices=["en", "es"])
    p = command("list", "list invoices, newest first", invoice_sub)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--status", choices=["draft", "sent", "overdue", "paid", "void", "written_off"],
                   help="sent means sent and unpaid (overdue included); paid is sent with nothing outstanding")
    p.add_argument("--client", help="a client name (unique prefix) or id")
    p.add_argument("--year", type=_days_arg("--year"), help="the year of the issue date")

    job = command("job", "jobs")
    job_sub = job.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "add a job; prints its id", job_sub)
    p.add_argument("client")
    p.add_argument("title")
    p.add_argument("--price")
    p.add_argument("--deadline", type=_date_arg("--deadline"))
    p.add_argument("--brief", default="")
    p = command("deliver", "mark a job delivered (makes the invoicing promise)", job_sub)
    p.add_argument("job")
    p.add_argument("--on", type=_date_arg("--on"))

    change = command("change", "changes of brief")
    change_sub = change.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "propose a change of brief; prints its id", change_sub)
    p.add_argument("job")
    p.add_argument("what")
    p.add_argument("--price")
    p.add_argument("--deadline", type=_date_arg("--deadline"))
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("answer", "record the client's answer", change_sub)
    p.add_argument("change")
    p.add_argument("answer", choices=["accepted", "declined"])
    p.add_argument("--on", type=_date_arg("--on"))

    promise = command("promise", "promises")
    promise_sub = promise.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", "add a promise; prints its id", promise_sub)
    p.add_argument("client")
    p.add_argument("text")
    p.add_argument("--due", type=_date_arg("--due"), required=True)
    p.add_argument("--job")
    p = command("close", "close a promise", promise_sub)
    p.add_argument("promise")
    p.add_argument("status", choices=["kept", "broken", "dropped"])
    p.add_argument("--on", type=_date_arg("--on"))

    rate = command("rate", "rates and price raises")
    rate_sub = rate.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("propose", "propose a price raise", rate_sub)
    p.add_argument("client")
    p.add_argument("amount")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--reason", default="")
    p = command("answer", "record the answer to a price raise", rate_sub)
    p.add_argument("client")
    p.add_argument("answer", choices=["accepted", "declined"])
    p.add_argument("--on", type=_date_arg("--on"))

    retainer = command("retainer", "a client's monthly fee")
    retainer_sub = retainer.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("set", "give a client a monthly fee, invoiced on a day of each month", retainer_sub)
    p.add_argument("client")
    p.add_argument("amount")
    p.add_argument("--day", type=_days_arg("--day"), required=True, help="the day of the month it is invoiced, 1-28")
    p.add_argument("--covers", "--what", dest="covers", required=True, help="what it covers: the invoice line")
    p.add_argument("--from", dest="since", type=_date_arg("--from"), help="default today")
    p.add_argument("--until", type=_date_arg("--until"))
    p.add_argument("--currency")
    p = command("stop", "end a client's retainer", retainer_sub)
    p.add_argument("client")
    p.add_argument("--on", type=_date_arg("--on"))

    settings = command("settings", "the late-payment settings")
    settings_sub = settings.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("get", "print a setting, or the late-payment ones", settings_sub)
    p.add_argument("key", nargs="?", choices=SETTING_KEYS)
    p = command("set", "change a setting ('off' turns late-payment terms off)", settings_sub)
    p.add_argument("key", choices=SETTING_KEYS)
    p.add_argument("value")

    p = command("draft", "print a drafted message")
    p.add_argument("kind", choices=["checkin", "update", "change", "raise", "farewell", "invoice", "reminder", "statement"])
    p.add_argument("target", help="a client, or an invoice number for invoice/reminder")
    p.add_argument("--lang", choices=["en", "es"])
    p.add_argument("--eml", metavar="PATH",
                   help="also save it as an email (.eml) with the invoices it names attached as PDFs")

    p = command("export", "export everything")
    p.add_argument("--format", choices=["json", "csv", "ics"], default="json")
    p.add_argument("--out", metavar="PATH", help="a file (json, ics) or a folder (csv); default stdout for json and ics")

    p = command("import", "replace everything with a json export (a backup is kept)")
    p.add_argument("path")

    command("check", "verify the data file")
    return parser


# --------------------------------------------------------------------------- #
# Context: the store and "today", opened only when a command needs them
# --------------------------------------------------------------------------- #


class Context:
    """What a command needs: its arguments, the store and the run's one clock."""

    def __init__(self, args: argparse.Namespace) -> None:
        from storage.clock import DayClock, SystemClock

        self.args = args
        self.path = Path(args.data).expanduser() if args.data else None
        self._store: Any = None
        # `--today` fixes the date for the whole run; otherwise the wall clock.
        # Either reads the time zone from the settings once the store is open.
        self.clock = DayClock(args.today, self._zone) if args.today is not None else SystemClock(self._zone)

    def _zone(self) -> str | None:
        return self._store.timezone() if self._store is not None else None

    @property
    def creates(self) -> bool:
        """Whether this command may create a missing data file: only the ones
        that add something (and ``import``, which replaces everything). A look
        at a path that does not exist says so instead of making a file there."""
        return self.args.command == "import" or getattr(self.args, "action", None) == "add"

    @property
    def store(self):  # -> storage.store.Store
        if self._store is None:
            from storage.store import Store, default_data_path

            self.path = self.path or default_data_path()
            self._store = Store.open(
                self.path, clock=self.clock, create=self.creates, strict=self.args.command != "check"
            )
        return self._store

    @property
    def today(self) -> dt.date:
        """``--today``, else the date now in the configured time zone."""
        if self.args.today is None and self._store is None and self.args.command != "demo":
            self.store  # the time zone is in the settings
        return self.clock.today()

    def on(self, value: dt.date | None) -> dt.date:
        return value if value is not None else self.today


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


# DEL, the C1 controls and the bidi controls are valid inside JSON strings, but a
# terminal acts on them. Written as \uXXXX escapes they parse back to exactly
# the same text. (json.dumps already escapes the C0 controls, ESC included.)
_JSON_TERMINAL_ESCAPES = {
    code: f"\\u{code:04x}" for code in [0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


def _json(value: Any) -> str:
    """JSON for stdout: UTF-8 text as typed, nothing a terminal would act on."""
    import json  # only the --json outputs need it

    return json.dumps(value, ensure_ascii=False, indent=2).translate(_JSON_TERMINAL_ESCAPES)


def _safe(text: str) -> str:
    """User text for the terminal: controls made visible, line breaks kept."""
    from storage.text import visible

    return visible(text, keep_newlines=True)


def _money(amount: Decimal, currency: str) -> str:
    from storage.values import money_str

    return f"{money_str(amount, currency)} {currency}"


# --------------------------------------------------------------------------- #
# Commands
# --------------------------------------------------------------------------- #


def cmd_demo(ctx: Context) -> int:
    from storage.demo import generate
    from storage.store import Store, default_data_path, parse_export

    size = ctx.args.size
    if size not in ("small", "large"):
        try:
            size = parse_positive_int(size, "--size", maximum=10_000)
        except ValidationError:
            raise UsageError("rapport demo: --size must be small, large or a number of clients") from None
    path = ctx.path or default_data_path()
    if path.exists() and not ctx.args.force:
        raise ValidationError("demo", f"{path} already exists; add --force to replace it (a backup is kept)")
    data = parse_export(generate(ctx.today, size))
    Store.write_new(path, data, now=ctx.clock.now())
    # The set was just checked whole (parse_export): its summary lets the app and
    # `rapport today` start without reading, and checking, it all again.
    from storage import summary

    target = Path(os.path.realpath(path))
    st = os.stat(target)
    summary.write(target, data, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    counts = {name: len(table) for name, table in data.items()}
    _out(f"wrote a demo data set to {path}: {counts['client']} clients, {sum(counts.values())} documents")
    return 0


def cmd_today(ctx: Context) -> int:
    from storage import summary
    from storage.paths import default_data_path
    from storage.scheduler import review

    path = Path(os.path.realpath(ctx.path or default_data_path()))
    snapshot = summary.load(path)
    if snapshot is None:  # no summary of this version of the file yet: read it all
        store = ctx.store
        snapshot = store.snapshot()
        summary.write(path, store.storage.read() or {}, store.storage.signature)
    ctx.timezone = snapshot.settings.timezone
    result = review(snapshot, ctx.today)
    if ctx.args.json:
        _out(_json(result.to_json(ctx.today)))
        return 0
    from .report import render_review

    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    sys.stdout.write(render_review(result, ctx.today, color=color))
    return 0


def cmd_client(ctx: Context) -> int:
    from storage.models import Client, ClientStatus, InvoicingRule, Language, RateUnit, parse_tax_lines
    from storage.values import parse_currency, parse_email, parse_money

    args = ctx.args
    store = ctx.store
    if args.action == "late-interest":
        found = store.find_client(args.client)
        saved = store.update_client(found.id, late_interest=args.state == "on")
        _out(f"{_safe(saved.name)}: late-payment interest {'on' if saved.late_interest else 'off'}")
        return 0
    if args.action == "add":
        currency = parse_currency(args.currency, "--currency")
        client = Client(
            name=args.name.strip(),
            company=args.company,
            email=parse_email(args.email, "--email"),
            phone=args.phone,
            status=ClientStatus(args.status),
            since=ctx.on(args.since),
            cadence_days=args.cadence,
            terms_days=args.terms,
            invoicing=InvoicingRule(args.invoicing),
            rate=parse_money(args.rate, currency, "--rate") if args.rate is not None else None,
            currency=currency,
            rate_unit=RateUnit(args.unit),
            language=Language(args.lang) if args.lang else None,
            legal_name=args.legal_name,
            address=args.address.replace("\\n", "\n"),
            tax_id=args.tax_id,
            tax_lines=parse_tax_lines(args.tax, "--tax") if args.tax is not None else None,
            tax_note=args.tax_note,
        )
        _out(store.add_client(client).id)
        return 0
    # list
    from storage.scheduler import NO_BEHAVIOUR, next_checkin, outstanding_by_currency, payment_behaviour

    snap = store.snapshot()
    behaviour = payment_behaviour(snap, ctx.today)
    by_client: dict[str, list] = {}
    for invoice in snap.invoices:
        by_client.setdefault(invoice.client_id, []).append(invoice)
    rows = []
    for client in sorted(snap.clients, key=lambda c: c.name.casefold()):
        last = snap.last_contact.get(client.id)
        nxt = next_checkin(client, last)
        owed = outstanding_by_currency(by_client.get(client.id, []))
        rows.append((client, last, nxt, owed))
    if args.json:
        _out(_json([
            {
                "id": c.id,
                "name": c.name,
                "status": str(c.status),
                "last_contact": last.isoformat() if last else None,
                "next_checkin": nxt.isoformat() if nxt else None,
                "outstanding": {cur: format(amount, "f") for cur, amount in owed.items()},
                "days_to_pay": behaviour.get(c.id, NO_BEHAVIOUR).days_to_pay,
                "paid_late": behaviour.get(c.id, NO_BEHAVIOUR).paid_late,
                "late_payer": behaviour.get(c.id, NO_BEHAVIOUR).late_payer,
                "retainer": _retainer_json(c.retainer),
            }
            for c, last, nxt, owed in rows
        ]))
        return 0
    if not rows:
        _out("No clients yet. Add one with: rapport client add NAME")
        return 0
    _out(f"{'NAME':<28} {'STATUS':<7} {'LAST':<10} {'NEXT':<10} {'PAYS':<9} OUTSTANDING")
    for c, last, nxt, owed in rows:
        name = _one_line(c.name)
        name = name if len(name) <= 28 else name[:27] + "…"
        owed_text = ", ".join(_money(v, k) for k, v in owed.items() if v) or "-"
        b = behaviour.get(c.id, NO_BEHAVIOUR)
        pays = "-" if b.days_to_pay is None else f"{b.days_to_pay}d" + (" late!" if b.late_payer else "")
        _out(f"{name:<28} {c.status!s:<7} {last.isoformat() if last else '-':<10} "
             f"{nxt.isoformat() if nxt else '-':<10} {pays:<9} {owed_text}")
    return 0


def _retainer_json(retainer: Any) -> dict[str, Any] | None:
    if retainer is None:
        return None
    return {
        "amount": format(retainer.amount, "f"), "currency": retainer.currency, "covers": retainer.covers,
        "day": retainer.day, "from": retainer.since.isoformat() if retainer.since else None,
        "until": retainer.until.isoformat() if retainer.until else None,
    }


def cmd_contact(ctx: Context) -> int:
    from storage.models import Channel, Contact, ContactKind, Direction

    args = ctx.args
    client = ctx.store.find_client(args.client)
    contact = ctx.store.log_contact(
        Contact(client_id=client.id, date=ctx.on(args.on), channel=Channel(args.channel),
                direction=Direction(args.direction), summary=args.note, kind=ContactKind(args.kind))
    )
    _out(contact.id)
    return 0


def cmd_person(ctx: Context) -> int:
    from storage.models import Person, PersonRole
    from storage.values import parse_email

    args = ctx.args
    client = ctx.store.find_client(args.client)
    person = Person(name=args.name.strip(), email=parse_email(args.email, "--email"), role=PersonRole(args.role))
    ctx.store.add_person(client.id, person)
    _out(f"added {_one_line(person.name)} to {_one_line(client.name)} as a {person.role} contact")
    return 0


def cmd_invoice(ctx: Context) -> int:
    from storage.models import InvoiceStatus, LineItem
    from storage.values import parse_currency

    args = ctx.args
    store = ctx.store
    if args.action == "add" and args.retainer is not None:
        if args.amount is not None:
            raise UsageError("rapport invoice add: give an AMOUNT or --retainer, not both")
        client = store.find_client(args.client)
        _out(store.add_retainer_invoice(client.id, args.retainer, issued=ctx.on(args.issued)).number)
        return 0
    if args.action == "add":
        if args.amount is None:
            raise UsageError("rapport invoice add: AMOUNT is required (or --retainer YYYY-MM)")
        client = store.find_client(args.client)
        currency = parse_currency(args.currency, "--currency") if args.currency is not None else client.currency
        amount = parse_decimal(args.amount, "amount")
        if amount <= 0:
            raise ValidationError("amount", "must be greater than 0")
        invoice = store.add_invoice(
            client.id,
            [LineItem(description=args.description, quantity=Decimal(1), unit_price=amount)],
            issued=ctx.on(args.issued),
            currency=currency,
            terms_days=args.terms,
            number=args.number,
            status=InvoiceStatus.DRAFT if args.draft else InvoiceStatus.SENT,
            job_ids=[_find_job(store, j).id for j in args.job],
        )
        _out(invoice.number or invoice.id)
        return 0
    if args.action == "issue":
        _out(store.issue_invoice(args.number, ctx.on(args.on)).number)
        return 0
    if args.action == "pay":
        invoice = store.record_payment(args.number, args.amount, ctx.on(args.on))
        _out(f"{invoice.number}: paid {_money(invoice.payments[-1].amount, invoice.currency)}, "
             f"outstanding {_money(invoice.outstanding, invoice.currency)}")
        return 0
    if args.action == "remind":
        from storage.drafts import draft

        invoice = store.find_invoice(args.number)
        message = draft("reminder", store.snapshot(), invoice, ctx.on(args.on), lang=args.lang)
        store.add_reminder(invoice.number, ctx.on(args.on), level=message.level, force=args.force)
        _out(_safe(message.as_markdown()))
        _warn_placeholders(message)
        return 0
    if args.action == "write-off":
        invoice = store.write_off(args.number, ctx.on(args.on))
        _out(f"{invoice.number}: written off, {_money(invoice.outstanding, invoice.currency)} unpaid")
        return 0
    if args.action == "call":
        invoice = store.log_call(args.number, ctx.on(args.on), args.note)
        _out(f"{invoice.number}: call logged")
        return 0
    if args.action == "show":
        return _invoice_show(ctx)
    if args.action == "list":
        return _invoice_list(ctx)
    raise UsageError(f"rapport invoice: unknown action {args.action}")  # pragma: no cover


def _invoice_show(ctx: Context) -> int:
    args = ctx.args
    snap, invoice = ctx.store.snapshot(), ctx.store.find_invoice(args.number)
    if args.format == "pdf":
        from storage.invoice_pdf import invoice_pdf

        if args.out is None and sys.stdout.isatty():
            raise BadValue("a PDF is not for the terminal: give --out PATH, or pipe it")
        payload = invoice_pdf(snap, invoice, created=ctx.clock.now(), lang=args.lang, today=ctx.today)
    else:
        from storage.invoice_render import render

        payload = render(snap, invoice, args.format, lang=args.lang, today=ctx.today).encode("utf-8")
    if args.out is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return 0
    _write_file(Path(args.out).expanduser(), payload)
    _out(f"wrote {_one_line(str(args.out))}")
    return 0


def _write_file(path: Path, payload: bytes) -> None:
    """Write a file the user asked for; a clear error if it cannot be.

    A regular file (or a new one) is replaced atomically, through a symlink to
    its target; anything else that exists (/dev/stdout, a named pipe) is
    written to as it is, never renamed over."""
    from storage.jsonfile import atomic_write

    try:
        if path.exists() and not path.is_file():
            with open(path, "wb") as handle:
                handle.write(payload)
            return
        target = path.resolve()
        if not target.parent.is_dir():
            raise BadValue(f"cannot write {path}: the folder {target.parent} does not exist")
        atomic_write(target, payload)
    except OSError as exc:
        raise BadValue(f"cannot write {path}: {exc.strerror}") from None


def _invoice_list(ctx: Context) -> int:
    from storage.invoicing import invoice_state, select_invoices
    from storage.text import fit, one_line
    from storage.values import money_str

    from storage.interest import late_charges

    args = ctx.args
    snap = ctx.store.snapshot()
    client_id = snap.find_client(args.client).id if args.client else None
    invoices = select_invoices(snap, ctx.today, state=args.status, client_id=client_id, year=args.year)
    if args.json:
        rows = []
        for i in invoices:
            due = i.due_on if i.issued else None
            state = invoice_state(i, ctx.today)
            charges = late_charges(i, snap.settings, snap.clients_by_id.get(i.client_id), ctx.today)
            rows.append({
                "number": i.number or None, "id": i.id, "client": snap.client_name(i.client_id), "client_id": i.client_id,
                "status": str(i.status), "state": state, "currency": i.currency,
                "total": money_str(i.total, i.currency), "paid": money_str(i.paid, i.currency),
                "outstanding": money_str(i.outstanding, i.currency),
                "issued": i.issued.isoformat() if i.issued else None, "due_on": due.isoformat() if due else None,
                "days_overdue": (ctx.today - due).days if due and state == "overdue" else 0,
                "terms_days": i.terms_days, "reminders_sent": len(i.reminders), "on_hold": i.on_hold,
                "period": i.period,
                "interest": money_str(charges.interest, i.currency) if charges else None,
                "compensation": money_str(charges.compensation, i.currency) if charges else None,
            })
        _out(_json(rows))
        return 0
    if not invoices:
        _out("No invoices match.")
        return 0
    _out(f"{'NUMBER':<10} {'CLIENT':<24} {'ISSUED':<10} {'DUE':<10} {'TOTAL':>16} {'OUTSTANDING':>16} STATE")
    for i in invoices:
        name = fit(one_line(snap.client_name(i.client_id)), 24)
        state = invoice_state(i, ctx.today).replace("_", " ") + (" (on hold)" if i.on_hold else "")
        _out(f"{_safe(i.label):<10} {name} {i.issued.isoformat() if i.issued else '-':<10} "
             f"{i.due_on.isoformat() if i.issued else '-':<10} {_money(i.total, i.currency):>16} "
             f"{_money(i.outstanding, i.currency):>16} {state}")
    return 0


def _find_job(store, text: str):
    from storage.models import Job

    return store.get(Job, text)


def cmd_job(ctx: Context) -> int:
    from storage.models import Job
    from storage.values import parse_money

    args = ctx.args
    store = ctx.store
    if args.action == "add":
        client = store.find_client(args.client)
        job = store.add_job(Job(client_id=client.id, title=args.title, brief=args.brief, currency=client.currency,
                                price=parse_money(args.price, client.currency, "--price") if args.price else None,
                                deadline=args.deadline))
        _out(job.id)
        return 0
    job = store.deliver_job(_find_job(store, args.job).id, ctx.on(args.on))
    _out(f"{job.id} delivered on {job.delivered}")
    return 0


def cmd_change(ctx: Context) -> int:
    from storage.models import Change, ChangeStatus

    args = ctx.args
    store = ctx.store
    if args.action == "add":
        job = _find_job(store, args.job)  # price and deadline may follow later, in the reply
        change = store.add_change(Change(job_id=job.id, what=args.what,
                                         price=parse_decimal(args.price, "--price") if args.price else None,
                                         deadline=args.deadline, sent=ctx.on(args.on), status=ChangeStatus.PROPOSED))
        _out(change.id)
        return 0
    change = store.answer_change(args.change, args.answer, ctx.on(args.on))
    _out(f"{change.id} {change.status} on {change.answered}")
    return 0


def cmd_promise(ctx: Context) -> int:
    from storage.models import Promise

    args = ctx.args
    store = ctx.store
    if args.action == "add":
        client = store.find_client(args.client)
        job_id = _find_job(store, args.job).id if args.job else None
        _out(store.add_promise(Promise(client_id=client.id, job_id=job_id, text=args.text, due=args.due)).id)
        return 0
    promise = store.close_promise(args.promise, args.status, ctx.on(args.on))
    _out(f"{promise.id} {promise.status} on {promise.closed}")
    return 0


def cmd_rate(ctx: Context) -> int:
    args = ctx.args
    store = ctx.store
    client = store.find_client(args.client)
    if args.action == "propose":
        rate = store.propose_rate(client.id, args.amount, ctx.on(args.on), reason=args.reason)
        _out(rate.id)
        return 0
    rate = store.answer_rate(client.id, args.answer, ctx.on(args.on))
    _out(f"{rate.id} {rate.status} on {rate.answered}")
    return 0


SETTING_KEYS = ("final_notice_days", "late_interest_percent", "late_compensation")


def cmd_settings(ctx: Context) -> int:
    args = ctx.args
    store = ctx.store
    if args.action == "get":
        current = store.settings()
        for key in ([args.key] if args.key else SETTING_KEYS):
            value = getattr(current, key)
            _out(f"{key} = {'off' if value is None else value}")
        return 0
    text = args.value.strip()
    if args.key == "final_notice_days":
        if not text.isdigit():
            raise ValidationError("final_notice_days", f"{text!r} is not a whole number of days")
        value: Any = int(text)
    elif text.lower() in ("off", "none", ""):
        value = None
    else:
        value = parse_decimal(text, args.key)
    saved = store.update_settings(**{args.key: value})
    _out(f"{args.key} = {'off' if getattr(saved, args.key) is None else getattr(saved, args.key)}")
    return 0


def cmd_retainer(ctx: Context) -> int:
    from storage.models import Retainer
    from storage.values import parse_currency

    args = ctx.args
    store = ctx.store
    client = store.find_client(args.client)
    if args.action == "set":
        currency = parse_currency(args.currency, "--currency") if args.currency else client.currency
        saved = store.set_retainer(client.id, Retainer(
            amount=parse_decimal(args.amount, "amount"), currency=currency, covers=args.covers, day=args.day,
            since=ctx.on(args.since), until=args.until,
        ))
        r = saved.retainer
        _out(f"{_safe(saved.name)}: {_money(r.amount, r.currency)} a month from {r.since.isoformat()}"
             + (f" until {r.until.isoformat()}" if r.until else "") + f", invoiced on day {r.day}")
        return 0
    if args.action == "stop":
        saved = store.stop_retainer(client.id, ctx.on(args.on))
        _out(f"{_safe(saved.name)}: retainer ends on {saved.retainer.until.isoformat()}")
        return 0
    raise UsageError(f"rapport retainer: unknown action {args.action}")  # pragma: no cover


def cmd_draft(ctx: Context) -> int:
    from storage.drafts import draft

    args = ctx.args
    store = ctx.store
    snap = store.snapshot()
    if args.kind in ("invoice", "reminder"):
        target: Any = snap.invoice(args.target)
    else:
        target = snap.find_client(args.target)
    message = draft(args.kind, snap, target, ctx.today, lang=args.lang)
    _out(_safe(message.as_markdown()))
    _warn_placeholders(message)
    if args.eml:
        from storage.drafts import from_address
        from storage.mail import eml

        text = eml(message, snap, from_addr=from_address(snap.settings), now=ctx.clock.now())
        _write_file(Path(args.eml).expanduser(), text.encode("utf-8"))
        sys.stderr.write(f"rapport: saved {_one_line(args.eml)}\n")
    return 0


def _warn_placeholders(message: Any) -> None:
    for name in message.unknown:
        sys.stderr.write(f"rapport: warning: unknown placeholder {{{_safe(name)}}} left as typed\n")
    for name in getattr(message, "missing", ()):
        sys.stderr.write(f"rapport: warning: nothing to fill {{{name}}} with (see the settings)\n")


def cmd_export(ctx: Context) -> int:
    from storage import exchange

    args = ctx.args
    store = ctx.store
    if args.format == "json":
        payload = exchange.export_json(store)
    elif args.format == "ics":
        payload = exchange.export_ics(store, ctx.today)
    else:
        if not args.out:
            raise ValidationError("--out", "csv export writes one file per table: give a folder with --out")
        written = _writing(args.out, lambda: exchange.export_csv(store, Path(args.out)))
        _out(f"wrote {len(written)} CSV files to {_safe(args.out)}")
        return 0
    if args.out:
        _writing(args.out, lambda: exchange.write_private(Path(args.out), payload))
        _out(f"wrote {_safe(args.out)}")
    else:
        if args.format == "json":  # to a terminal, perhaps: escape what it would act on
            payload = payload.decode("utf-8").translate(_JSON_TERMINAL_ESCAPES).encode("utf-8")
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


def _writing(target: str, write: Callable[[], Any]) -> Any:
    """Run an export's write; a folder that does not exist (or any other
    OSError) is one line naming the path, not a traceback."""
    try:
        return write()
    except FileNotFoundError:
        raise ValidationError("--out", f"cannot write {target}: its folder does not exist") from None
    except NotADirectoryError:
        raise ValidationError("--out", f"cannot write {target}: part of the path is a file, not a folder") from None
    except OSError as exc:
        raise ValidationError("--out", f"cannot write {target}: {exc.strerror or exc}") from None


def cmd_import(ctx: Context) -> int:
    from storage import exchange

    counts = ctx.store.import_data(exchange.read_json(Path(ctx.args.path)))
    _out(f"imported {sum(counts.values())} documents from {ctx.args.path}")
    return 0


def cmd_check(ctx: Context) -> int:
    store = ctx.store
    problems = store.check()
    total = sum(len(t) for t in (store.storage.read() or {}).values())
    if problems:
        for problem in problems[:50]:
            sys.stderr.write(f"rapport: {_safe(problem)}\n")
        sys.stderr.write(f"rapport: {len(problems)} problem(s) in {store.path}\n")
        return EXIT_BAD_INPUT
    _out(f"ok: {store.path} is a valid rapport data file ({total} documents)")
    return 0


def cmd_tui(ctx: Context) -> int:
    # No cyclic garbage collection until the first frame is on screen: start-up
    # allocates a great deal that lives on (modules, styles, the review), and
    # collecting it repeatedly is a fifth of the time to the first frame. The
    # app turns collection back on once the frame is drawn
    # (RapportApp._first_frame_drawn).
    import gc

    gc.disable()
    from storage.store import Store, default_data_path

    from .app import run_app

    store = Store.open(ctx.path or default_data_path(), clock=ctx.clock, lazy=True)
    ctx._store = store
    return run_app(store)


COMMANDS: dict[str | None, Callable[[Context], int]] = {
    None: cmd_tui,
    "demo": cmd_demo,
    "today": cmd_today,
    "client": cmd_client,
    "contact": cmd_contact,
    "person": cmd_person,
    "invoice": cmd_invoice,
    "job": cmd_job,
    "change": cmd_change,
    "promise": cmd_promise,
    "rate": cmd_rate,
    "retainer": cmd_retainer,
    "settings": cmd_settings,
    "draft": cmd_draft,
    "export": cmd_export,
    "import": cmd_import,
    "check": cmd_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    from storage.snapshot import NotFound

    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        args = build_parser(argv).parse_args(argv)
        ctx = Context(args)
        status = COMMANDS[args.command](ctx)
        if ctx._store is not None and args.command is not None:
            # Keep the daily review's summary current for the next `rapport today`.
            ctx._store.write_summary()
        return status
    except UsageError as exc:
        # The message may echo what was typed: one line, controls made visible.
        sys.stderr.write(f"{_one_line(str(exc))} (see 'rapport --help')\n")
        return EXIT_USAGE
    except (BadValue, ValidationError, NotFound, DataFileError, StorageError) as exc:
        sys.stderr.write(f"rapport: {_one_line(str(exc))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `rapport today | head`: the reader left; that is not an error.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _one_line(text: str) -> str:
    from storage.text import visible

    return visible(" ".join(text.split()))

