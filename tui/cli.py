"""The ``rapport`` command: argument parsing, the scriptable subcommands, and the TUI.

Scripts, cron jobs and tests rely on this interface (the synopsis in the README). The
non-interactive commands never import Textual, so they start fast; only running
``rapport`` with no subcommand loads the app.

Errors print one line on stderr: exit status 1 for bad input (a value that does
not validate, a client that does not exist, an unusable data file) and 2 for
usage (an unknown option, a missing argument). Never a traceback.

Messages, tables and errors are in the settings' language, activated once the
store (or, for ``today``, its summary) is open; ``--json`` output stays English,
ISO dates and plain numbers: it is an interface. ``--help`` and a usage error, which
come before any store is open, read the language from the data file's summary
when there is one (English otherwise), then build the parser again in it,
argparse's own words included.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from storage import formats
from storage.errors import DataFileError, UserError
from storage.languages import SOURCE_LANGUAGE
from storage.values import ValidationError, parse_date, parse_decimal, parse_positive_int

from .i18n import N_, _, activate, active, ngettext

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


def _language_arg(text: str) -> str:
    """--lang: any available language (storage/locale has a folder for it)."""
    from storage.models import check_language

    try:
        return check_language(text, "--lang")
    except ValidationError as exc:
        raise BadValue(str(exc)) from None


def _port(text: str) -> int:
    try:
        return parse_positive_int(text, "--port", maximum=65535)
    except ValidationError as exc:
        raise BadValue(str(exc)) from None


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--data and --today are accepted before or after the subcommand."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data", metavar="PATH", default=default,
                        help=_("the data file (default: $RAPPORT_DATA, else rapport.json in the user data folder)"))
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=_date_arg("--today"), default=default,
                        help=_("pretend today is this date (default: today in the configured time zone)"))


class _Skipped:
    """Stands in for the parser of a command that is not being run: building
    every subcommand's parser costs more than the rest of ``rapport today``."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass

    def add_subparsers(self, *args: Any, **kwargs: Any) -> _Skipped:
        return self

    def add_mutually_exclusive_group(self, *args: Any, **kwargs: Any) -> _Skipped:
        return self


TOP_COMMANDS = ("demo", "today", "client", "person", "contact", "invoice", "job", "change", "promise", "rate",
                "retainer", "draft", "settings", "template", "export", "import", "check", "serve", "completion")


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
    parser = _Parser(prog="rapport", description=_("Keep a freelancer's client relationships healthy."))
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    only = _command_in(argv) if argv is not None else None

    def command(name: str, help_: str, parent: Any = sub) -> Any:
        if isinstance(parent, _Skipped) or (parent is sub and only is not None and name != only):
            return _Skipped()
        p = parent.add_parser(name, help=help_, description=help_)
        _common(p, top=False)
        return p

    p = command("demo", _("write a demo data set (dates relative to --today)"))
    p.add_argument("--size", default="small", help=_("small, large, or a number of clients (default: small)"))
    p.add_argument("--force", action="store_true", help=_("replace an existing data file (a backup is kept)"))

    p = command("today", _("the daily review: what is due today"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))

    client = command("client", _("clients: add, list, show, edit, archive, delete, snooze, notes"))
    client_sub = client.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("add a client; prints its id"), client_sub)
    p.add_argument("name")
    p.add_argument("--email", default="")
    p.add_argument("--company", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--cadence", type=_days_arg("--cadence", allow_zero=False), default=7,
                   help=_("check-in every D days (default 7)"))
    p.add_argument("--terms", type=_days_arg("--terms"), default=14, help=_("payment terms in days (default 14)"))
    p.add_argument("--since", type=_date_arg("--since"), help=_("client since (default today)"))
    p.add_argument("--rate", help=_("current rate, e.g. 60 or 480.00"))
    p.add_argument("--unit", choices=["hour", "day", "project"], default="hour")
    p.add_argument("--currency", default="EUR", help=_("ISO 4217 code (default EUR)"))
    p.add_argument("--status", choices=["lead", "active", "paused", "former"], default="active")
    p.add_argument("--invoicing", choices=["on_delivery", "monthly"], default="on_delivery")
    p.add_argument("--lang", type=_language_arg, metavar="LANG",
                   help=_("drafts and invoices for them (default: the settings')"))
    p.add_argument("--legal-name", default="", help=_("for invoices"))
    p.add_argument("--address", default="", help=_("for invoices (\\n between lines)"))
    p.add_argument("--tax-id", default="", help=_("for invoices"))
    p.add_argument("--tax", metavar="LINES",
                   help=_("their tax lines instead of the settings', e.g. 'IVA 21, IRPF -15' ('' for none)"))
    p.add_argument("--tax-note", default="", help=_("printed under the taxes, e.g. 'Reverse charge'"))
    p = command("late-interest", _("whether late-payment interest and compensation apply to a client"), client_sub)
    p.add_argument("client")
    p.add_argument("state", choices=["on", "off"])
    p = command("list", _("list clients"), client_sub)
    p.add_argument("--json", action="store_true")
    p = command("show", _("one client: details, rate, what is owed, notes"), client_sub)
    p.add_argument("client")
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p = command("edit", _("change some of a client's fields (only those given)"), client_sub)
    p.add_argument("client")
    p.add_argument("--name")
    p.add_argument("--email")
    p.add_argument("--company")
    p.add_argument("--phone")
    p.add_argument("--channel", choices=["email", "call", "meeting", "message"])
    p.add_argument("--timezone")
    p.add_argument("--cadence", type=_days_arg("--cadence", allow_zero=False), help=_("check-in every D days"))
    p.add_argument("--terms", type=_days_arg("--terms"), help=_("payment terms in days"))
    p.add_argument("--since", type=_date_arg("--since"))
    p.add_argument("--rate", help=_("the current rate (recorded in the rate history from today)"))
    p.add_argument("--unit", choices=["hour", "day", "project"])
    p.add_argument("--currency", help=_("ISO 4217 code"))
    p.add_argument("--status", choices=["lead", "active", "paused", "former"])
    p.add_argument("--invoicing", choices=["on_delivery", "monthly"])
    p.add_argument("--within-hours", type=_days_arg("--within-hours", allow_zero=False),
                   help=_("under on_delivery: invoice within this many hours"))
    p.add_argument("--tags", help=_("comma-separated"))
    p = command("archive", _("set a client to former (the history is kept)"), client_sub)
    p.add_argument("client")
    p = command("delete", _("delete a client and everything that is theirs (a backup is kept daily)"), client_sub)
    p.add_argument("client")
    p.add_argument("--yes", action="store_true", help=_("required: yes, delete it all"))
    p = command("snooze", _("no check-in due before a date"), client_sub)
    p.add_argument("client")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--until", type=_date_arg("--until"))
    group.add_argument("--clear", action="store_true", help=_("end the snooze"))
    p = command("notes", _("edit a client's notes (Markdown) in $EDITOR, or read them from a file"), client_sub)
    p.add_argument("client")
    p.add_argument("--file", metavar="PATH", help=_("read the notes from PATH ('-': standard input)"))

    contact = command("contact", _("the contact log: add, list"))
    contact_sub = contact.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("log a contact with a client; prints its id"), contact_sub)
    p.add_argument("client")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--channel", choices=["email", "call", "meeting", "message"], default="email")
    p.add_argument("--kind", default="check-in",
                   choices=["check-in", "progress update", "interim version", "proposal", "reminder", "other"])
    p.add_argument("--direction", choices=["out", "in"], default="out")
    p.add_argument("--note", default="")
    _list_command(command, contact_sub, _("the contact log, newest first"))

    person = command("person", _("the people at a client: who is greeted, who gets the invoices"))
    person_sub = person.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("add a person to a client"), person_sub)
    p.add_argument("client")
    p.add_argument("name")
    p.add_argument("--email", default="")
    p.add_argument("--role", choices=["main", "billing"], default="main",
                   help=_("main: greeted in every message; billing: invoices and reminders go to them"))

    invoice = command("invoice",
                      _("invoices: add, issue, hold, release, void, write-off, edit, pay, remind, show, list"))
    invoice_sub = invoice.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("add an invoice; prints its number (a draft's id)"), invoice_sub)
    p.add_argument("client")
    p.add_argument("amount", nargs="?", help=_("one line for this amount (or give --job, or --retainer, instead)"))
    p.add_argument("--retainer", metavar="YYYY-MM", help=_("the invoice of the client's retainer for that month"))
    p.add_argument("--issued", type=_date_arg("--issued"))
    p.add_argument("--terms", type=_days_arg("--terms"))
    p.add_argument("--number")
    p.add_argument("--currency")
    p.add_argument("--description", default="Professional services")
    p.add_argument("--job", action="append", default=[],
                   help=_("a job this invoice covers, one line at its title and agreed price (repeatable)"))
    p.add_argument("--draft", action="store_true", help=_("a draft: no number yet, not sent, not chased"))
    p = command("issue", _("issue a draft: it takes the next number of its year; prints it"), invoice_sub)
    p.add_argument("number", metavar="DRAFT", help=_("the draft's id (invoice add --draft printed it)"))
    p.add_argument("--on", type=_date_arg("--on"), help=_("the issue date (default today)"))
    p = command("pay", _("record a payment (default: all that is outstanding)"), invoice_sub)
    p.add_argument("number")
    p.add_argument("--amount")
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("remind", _("log the next payment reminder and print its text"), invoice_sub)
    p.add_argument("number")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--force", action="store_true", help=_("log it even when the ladder says no reminder is due"))
    p.add_argument("--lang", type=_language_arg, metavar="LANG")
    p = command("write-off", _("write an unpaid invoice off: it is no longer chased"), invoice_sub)
    p.add_argument("number")
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("call", _("log the call about an invoice past its final notice"), invoice_sub)
    p.add_argument("number")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--note", default="")
    p = command("show", _("an invoice as Markdown, HTML or PDF"), invoice_sub)
    p.add_argument("number")
    p.add_argument("--format", choices=["md", "html", "pdf"], default="md")
    p.add_argument("--out", metavar="PATH", help=_("write to a file (a PDF needs one unless stdout is a pipe)"))
    p.add_argument("--lang", type=_language_arg, metavar="LANG")
    for name, help_ in (("hold", N_("put an invoice on hold: no reminder falls due")),
                        ("release", N_("release an invoice from hold")),
                        ("void", N_("void an invoice made in error (it keeps its number)"))):
        p = command(name, _(help_), invoice_sub)
        p.add_argument("number")
    p = command("edit", _("change an invoice (only what is given)"), invoice_sub)
    p.add_argument("number")
    p.add_argument("--line", action="append", default=[], metavar="'DESCRIPTION; QTY; PRICE'",
                   help=_("replaces all the lines (repeatable); 'description; amount' for one unit"))
    p.add_argument("--issued", type=_date_arg("--issued"))
    p.add_argument("--terms", type=_days_arg("--terms"))
    p.add_argument("--currency")
    p.add_argument("--number", dest="new_number", metavar="N", help=_("a new number"))
    p = command("list", _("list invoices, newest first"), invoice_sub)
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.add_argument("--status", choices=["draft", "sent", "overdue", "paid", "void", "written_off"],
                   help=_("sent means sent and unpaid (overdue included); paid is sent with nothing outstanding"))
    p.add_argument("--client", help=_("a client name (unique prefix) or id"))
    p.add_argument("--year", type=_days_arg("--year"), help=_("the year of the issue date"))

    job = command("job", _("jobs"))
    job_sub = job.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("add a job; prints its id"), job_sub)
    p.add_argument("client")
    p.add_argument("title")
    p.add_argument("--price")
    p.add_argument("--deadline", type=_date_arg("--deadline"))
    p.add_argument("--brief", default="")
    p = command("deliver", _("mark a job delivered (makes the invoicing promise)"), job_sub)
    p.add_argument("job")
    p.add_argument("--on", type=_date_arg("--on"))
    _list_command(command, job_sub, _("jobs, by deadline"))

    change = command("change", _("changes of brief"))
    change_sub = change.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("propose a change of brief; prints its id"), change_sub)
    p.add_argument("job")
    p.add_argument("what")
    p.add_argument("--price")
    p.add_argument("--deadline", type=_date_arg("--deadline"))
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("answer", _("record the client's answer"), change_sub)
    p.add_argument("change")
    p.add_argument("answer", choices=["accepted", "declined"])
    p.add_argument("--on", type=_date_arg("--on"))
    _list_command(command, change_sub, _("changes of brief, newest first"))

    promise = command("promise", _("promises"))
    promise_sub = promise.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("add", _("add a promise; prints its id"), promise_sub)
    p.add_argument("client")
    p.add_argument("text")
    p.add_argument("--due", type=_date_arg("--due"), required=True)
    p.add_argument("--job")
    p = command("close", _("close a promise"), promise_sub)
    p.add_argument("promise")
    p.add_argument("status", choices=["kept", "broken", "dropped"])
    p.add_argument("--on", type=_date_arg("--on"))
    p = command("postpone", _("move an open promise's due date"), promise_sub)
    p.add_argument("promise")
    p.add_argument("--to", type=_date_arg("--to"), required=True)
    _list_command(command, promise_sub, _("promises, by due date"))

    rate = command("rate", _("rates and price raises"))
    rate_sub = rate.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("propose", _("propose a price raise"), rate_sub)
    p.add_argument("client")
    p.add_argument("amount")
    p.add_argument("--on", type=_date_arg("--on"))
    p.add_argument("--reason", default="")
    p = command("answer", _("record the answer to a price raise"), rate_sub)
    p.add_argument("client")
    p.add_argument("answer", choices=["accepted", "declined"])
    p.add_argument("--on", type=_date_arg("--on"))

    retainer = command("retainer", _("a client's monthly fee"))
    retainer_sub = retainer.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("set", _("give a client a monthly fee, invoiced on a day of each month"), retainer_sub)
    p.add_argument("client")
    p.add_argument("amount")
    p.add_argument("--day", type=_days_arg("--day"), required=True, help=_("the day of the month it is invoiced, 1-28"))
    p.add_argument("--covers", "--what", dest="covers", required=True, help=_("what it covers: the invoice line"))
    p.add_argument("--from", dest="since", type=_date_arg("--from"), help=_("default today"))
    p.add_argument("--until", type=_date_arg("--until"))
    p.add_argument("--currency")
    p = command("stop", _("end a client's retainer"), retainer_sub)
    p.add_argument("client")
    p.add_argument("--on", type=_date_arg("--on"))

    p = command("draft", _("print a drafted message"))
    p.add_argument("kind", choices=["checkin", "update", "change", "raise", "farewell", "invoice", "reminder",
                                    "statement"])
    p.add_argument("target", help=_("a client, or an invoice number for invoice/reminder"))
    p.add_argument("--lang", type=_language_arg, metavar="LANG")
    p.add_argument("--eml", metavar="PATH",
                   help=_("also save it as an email (.eml) with the invoices it names attached as PDFs"))

    settings = command("settings", _("your details and preferences"))
    settings_sub = settings.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("get", _("print the settings, or one of them"), settings_sub)
    p.add_argument("key", nargs="?")
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p = command("set", _("set one setting"), settings_sub)
    p.add_argument("key")
    p.add_argument("value")

    template = command("template", _("the message templates"))
    template_sub = template.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    p = command("list", _("every template, per language"), template_sub)
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p = command("show", _("print a template as stored"), template_sub)
    p.add_argument("name")
    p.add_argument("--lang", type=_language_arg, metavar="LANG")
    p = command("edit", _("edit a template in $EDITOR, or read it from a file"), template_sub)
    p.add_argument("name")
    p.add_argument("--lang", type=_language_arg, metavar="LANG", help=_("default: the settings' language"))
    p.add_argument("--file", metavar="PATH",
                   help=_("read it from PATH ('-': standard input): a 'Subject: ...' line, a blank line, the body"))
    p = command("reset", _("put the shipped wording back"), template_sub)
    p.add_argument("name")
    p.add_argument("--lang", type=_language_arg, metavar="LANG", help=_("default: the settings' language"))

    p = command("export", _("export everything"))
    p.add_argument("--format", choices=["json", "csv", "ics"], default="json")
    p.add_argument("--what", choices=["due"], default="due",
                   help=_("ics: what falls due (check-ins, deadlines, promises, invoices), with reminders"))
    p.add_argument("--out", metavar="PATH",
                   help=_("a file (json, ics) or a folder (csv); default stdout for json and ics"))

    p = command("import", _("replace everything with a json export (a backup is kept)"))
    p.add_argument("path")

    command("check", _("verify the data file"))

    p = command("serve", _("the same app in a web browser (needs rapport[web])"))
    p.add_argument("--host", default="127.0.0.1", help=_("the address to listen on (default 127.0.0.1)"))
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument("--public", action="store_true",
                   help=_("allow an address other than 127.0.0.1: there is no login, "
                          "anyone who reaches it has your data"))
    p.add_argument("--url", help=_("the address browsers use, e.g. behind a proxy (default: http://HOST:PORT)"))

    p = command("completion", _("print a shell completion script"))
    p.add_argument("shell", choices=["bash", "zsh"])
    return parser


def _list_command(command: Callable[..., Any], sub: Any, help_: str) -> None:
    p = command("list", help_, sub)
    p.add_argument("--client", help=_("a client name (unique prefix) or id"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))


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
        self.timezone: str | None = None
        """The settings' time zone once known without opening the store
        (``today`` reads it from the summary)."""
        # `--today` fixes the date for the whole run; otherwise the wall clock.
        # Either reads the time zone from the settings once the store is open.
        self.clock = DayClock(args.today, self._zone) if args.today is not None else SystemClock(self._zone)

    def _zone(self) -> str | None:
        if self.timezone is not None:
            return self.timezone or None
        return self._store.timezone() if self._store is not None else None

    @property
    def store(self):  # -> storage.store.Store
        return self.open_store()

    def open_store(self):  # -> storage.store.Store
        """The store, opened on first use (``store`` reads it the same way)."""
        if self._store is None:
            from storage.store import Store, default_data_path

            self.path = self.path or default_data_path()
            # Only the commands that add something make a new file: a mistyped
            # --data given to `today`, a list or `check` says so instead.
            try:
                self._store = Store.open(
                    self.path, clock=self.clock, create=self.creates, strict=self.args.command != "check"
                )
            except DataFileError:
                # A file refused (a hand edit `check` reports on): said in its
                # settings' language when they can be read, else in English.
                if active() != SOURCE_LANGUAGE or not _activate_file_language(self.path):
                    raise
                self._store = Store.open(
                    self.path, clock=self.clock, create=self.creates, strict=self.args.command != "check"
                )
            # What follows is said in the settings' language; a file whose settings
            # cannot be read (`check` reports on it) is reported on in English.
            with contextlib.suppress(UserError):
                activate(str(self._store.settings().language))
        return self._store

    @property
    def creates(self) -> bool:
        """Whether this command may create the data file (it adds data to it)."""
        command, action = self.args.command, getattr(self.args, "action", None)
        return command in ("demo", "import") or (command, action) in (("client", "add"), ("settings", "set"))

    @property
    def today(self) -> dt.date:
        """``--today``, else the date now in the configured time zone."""
        if self.args.today is None and self._store is None and self.timezone is None and self.args.command != "demo":
            self.open_store()  # the time zone is in the settings
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
    """``1,280.00 EUR`` / ``1.280,00 EUR``: an amount for people, in the active language."""
    return formats.money(amount, currency, active())


def _header(columns: Sequence[tuple[str, int]]) -> str:
    """A table's header line: each title fitted to its column's width (negative:
    right-aligned), the last one as it is."""
    from storage.text import fit

    return " ".join(fit(title, abs(width), align=">" if width < 0 else "<") if width else title
                    for title, width in columns)


def _date(day: dt.date | None) -> str:
    """``2026-12-01`` / ``01/12/2026``: a date for people, in the active language; ``-`` for none."""
    return formats.short_date(day, active()) if day else "-"


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
            raise UsageError(_("rapport demo: --size must be small, large or a number of clients")) from None
    path = ctx.path or default_data_path()
    if path.exists() and not ctx.args.force:
        raise ValidationError(
            "demo", _("{path} already exists; add --force to replace it (a backup is kept)").format(path=path))
    data = parse_export(generate(ctx.today, size))
    Store.write_new(path, data, now=ctx.clock.now())
    # The set was just checked whole (parse_export): its summary lets the app and
    # `rapport today` start without reading, and checking, it all again.
    from storage import summary

    target = Path(os.path.realpath(path))
    st = os.stat(target)
    summary.write(target, data, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    counts = {name: len(table) for name, table in data.items()}
    _out(_("wrote a demo data set to {path}: {clients} clients, {documents} documents").format(
        path=path, clients=counts["client"], documents=sum(counts.values())))
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
    ctx.timezone = snapshot.settings.timezone or ""  # known: "today" need not open the store
    activate(str(snapshot.settings.language))  # the store, if opened above, did the same
    result = review(snapshot, ctx.today)
    if ctx.args.json:
        _out(_json(result.to_json(ctx.today)))
        return 0
    from .report import render_review

    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    sys.stdout.write(render_review(result, ctx.today, color=color))
    return 0


def cmd_client(ctx: Context) -> int:
    from storage.models import Client, ClientStatus, InvoicingRule, RateUnit, parse_tax_lines
    from storage.values import parse_currency, parse_email, parse_money

    args = ctx.args
    store = ctx.store
    if args.action == "late-interest":
        found = store.find_client(args.client)
        saved = store.update_client(found.id, late_interest=args.state == "on")
        said = _("{client}: late-payment interest on") if saved.late_interest else _(
            "{client}: late-payment interest off")
        _out(said.format(client=_safe(saved.name)))
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
            language=args.lang or None,
            legal_name=args.legal_name,
            address=args.address.replace("\\n", "\n"),
            tax_id=args.tax_id,
            tax_lines=parse_tax_lines(args.tax, "--tax") if args.tax is not None else None,
            tax_note=args.tax_note,
        )
        _out(store.add_client(client).id)
        return 0
    if args.action != "list":
        return _client_action(ctx)
    # list
    from storage.scheduler import NO_BEHAVIOUR, next_checkin, outstanding_by_currency, payment_behaviour
    from storage.text import fit, one_line

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
        _out(_("No clients yet. Add one with: rapport client add NAME"))
        return 0
    _out(_header([(_("NAME"), 28), (_("STATUS"), 7), (_("LAST"), 10), (_("NEXT"), 10), (_("PAYS"), 9),
                  (_("OUTSTANDING"), 0)]))
    for c, last, nxt, owed in rows:
        name = fit(one_line(c.name), 28)  # by terminal columns: combining accents and wide characters
        owed_text = ", ".join(_money(v, k) for k, v in owed.items() if v) or "-"
        b = behaviour.get(c.id, NO_BEHAVIOUR)
        pays = "-"
        if b.days_to_pay is not None:
            pays = (_("{n}d late!") if b.late_payer else _("{n}d")).format(n=b.days_to_pay)
        _out(f"{name} {c.status!s:<7} {_date(last):<10} {_date(nxt):<10} {pays:<9} {owed_text}")
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
    if args.action == "list":
        return _list(ctx, "contact")
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
    said = _("added {person} to {client} as a billing contact") if person.role == PersonRole.BILLING else _(
        "added {person} to {client} as a main contact")
    _out(said.format(person=_one_line(person.name), client=_one_line(client.name)))
    return 0


def cmd_invoice(ctx: Context) -> int:
    from storage.models import InvoiceStatus, LineItem
    from storage.values import parse_currency

    args = ctx.args
    store = ctx.store
    if args.action == "add" and args.retainer is not None:
        if args.amount is not None:
            raise UsageError(_("rapport invoice add: give an AMOUNT or --retainer, not both"))
        client = store.find_client(args.client)
        _out(store.add_retainer_invoice(client.id, args.retainer, issued=ctx.on(args.issued)).number)
        return 0
    if args.action == "add":
        client = store.find_client(args.client)
        if args.job and args.amount is not None:
            raise UsageError(
                _("rapport invoice add: give AMOUNT or --job, not both (each job is a line at its price)"))
        if args.job:
            if args.currency:
                raise UsageError(_("rapport invoice add: --currency is the jobs' own with --job"))
            invoice = store.invoice_jobs(
                client.id, [_find_job(store, j).id for j in args.job], issued=ctx.on(args.issued),
                terms_days=args.terms, number=args.number,
                status=InvoiceStatus.DRAFT if args.draft else InvoiceStatus.SENT)
            _out(invoice.number or invoice.id)
            return 0
        if args.amount is None:
            raise UsageError(_("rapport invoice add: give AMOUNT, --job for each job, or --retainer YYYY-MM"))
        currency = parse_currency(args.currency, "--currency") if args.currency is not None else client.currency
        amount = parse_decimal(args.amount, "amount")
        if amount <= 0:
            raise ValidationError("amount", _("must be greater than 0"))
        invoice = store.add_invoice(
            client.id,
            [LineItem(description=args.description, quantity=Decimal(1), unit_price=amount)],
            issued=ctx.on(args.issued),
            currency=currency,
            terms_days=args.terms,
            number=args.number,
            status=InvoiceStatus.DRAFT if args.draft else InvoiceStatus.SENT,
        )
        _out(invoice.number or invoice.id)
        return 0
    if args.action == "issue":
        _out(store.issue_invoice(args.number, ctx.on(args.on)).number)
        return 0
    if args.action == "pay":
        invoice = store.record_payment(args.number, args.amount, ctx.on(args.on))
        _out(_("{number}: paid {amount}, outstanding {outstanding}").format(
            number=_safe(invoice.number), amount=_money(invoice.payments[-1].amount, invoice.currency),
            outstanding=_money(invoice.outstanding, invoice.currency)))
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
        _out(_("{number}: written off, {amount} unpaid").format(
            number=_safe(invoice.number), amount=_money(invoice.outstanding, invoice.currency)))
        return 0
    if args.action == "call":
        invoice = store.log_call(args.number, ctx.on(args.on), args.note)
        _out(_("{number}: call logged").format(number=_safe(invoice.number)))
        return 0
    if args.action == "show":
        return _invoice_show(ctx)
    if args.action == "list":
        return _invoice_list(ctx)
    if args.action in ("hold", "release"):
        invoice = store.set_hold(args.number, args.action == "hold")
        said = _("{number} on hold") if invoice.on_hold else _("{number} released from hold")
        _out(said.format(number=_safe(invoice.number)))
        return 0
    if args.action == "void":
        invoice = store.void_invoice(args.number)
        _out(_("{number} void").format(number=_safe(invoice.number)))
        return 0
    if args.action == "edit":
        return _invoice_edit(ctx)
    raise UsageError(f"rapport invoice: unknown action {args.action}")  # pragma: no cover


def _invoice_show(ctx: Context) -> int:
    args = ctx.args
    snap, invoice = ctx.store.snapshot(), ctx.store.find_invoice(args.number)
    if args.format == "pdf":
        from storage.invoice_pdf import invoice_pdf

        if args.out is None and sys.stdout.isatty():
            raise BadValue(_("a PDF is not for the terminal: give --out PATH, or pipe it"))
        payload = invoice_pdf(snap, invoice, created=ctx.clock.now(), lang=args.lang, today=ctx.today)
    else:
        from storage.invoice_render import render

        payload = render(snap, invoice, args.format, lang=args.lang, today=ctx.today).encode("utf-8")
    if args.out is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return 0
    _write_file(Path(args.out).expanduser(), payload)
    _out(_("wrote {path}").format(path=_one_line(str(args.out))))
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
            raise BadValue(_("cannot write {path}: the folder {folder} does not exist").format(
                path=path, folder=target.parent))
        atomic_write(target, payload)
    except OSError as exc:
        raise BadValue(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None


def _invoice_list(ctx: Context) -> int:
    from storage.interest import late_charges
    from storage.invoicing import invoice_state, select_invoices
    from storage.text import fit, one_line
    from storage.values import money_str

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
                "number": i.number or None, "id": i.id,
                "client": snap.client_name(i.client_id), "client_id": i.client_id,
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
        _out(_("No invoices match."))
        return 0
    _out(_header([(_("NUMBER"), 10), (_("CLIENT"), 24), (_("ISSUED"), 10), (_("DUE"), 10), (_("TOTAL"), -16),
                  (_("OUTSTANDING"), -16), (_("STATE"), 0)]))
    for i in invoices:
        name = fit(one_line(snap.client_name(i.client_id)), 24)
        state = invoice_state(i, ctx.today).replace("_", " ")  # as --status takes it
        if i.on_hold:
            state = _("{state} (on hold)").format(state=state)
        label = _safe(i.number) if i.number else _("draft")
        _out(f"{label:<10} {name} {_date(i.issued):<10} "
             f"{_date(i.due_on if i.issued else None):<10} {_money(i.total, i.currency):>16} "
             f"{_money(i.outstanding, i.currency):>16} {state}")
    return 0


def _invoice_edit(ctx: Context) -> int:
    from storage.lines import line_items, parse_items
    from storage.values import parse_currency

    args = ctx.args
    store = ctx.store
    invoice = store.find_invoice(args.number)
    changes: dict[str, Any] = {}
    currency = parse_currency(args.currency, "--currency") if args.currency else invoice.currency
    if args.currency:
        changes["currency"] = currency
    if args.line:
        changes["items"] = line_items(parse_items("\n".join(" ".join(line.split()) for line in args.line)), currency)
    elif args.currency:  # the lines stay, held to the new currency's decimals
        changes["items"] = line_items([(i.description, i.quantity, i.unit_price) for i in invoice.items], currency)
    if args.issued is not None:
        changes["issued"] = args.issued
    if args.terms is not None:
        changes["terms_days"] = args.terms
    if args.new_number:
        changes["number"] = args.new_number.strip()
    if not changes:
        raise UsageError(_("rapport invoice edit: nothing to change (see --help)"))
    invoice = store.update_invoice(invoice.id, **changes)
    _out(_("{number}: {total}, issued {issued}, due {due}").format(
        number=_safe(invoice.number or invoice.id), total=_money(invoice.total, invoice.currency),
        issued=_date(invoice.issued), due=_date(invoice.due_on if invoice.issued else None)))
    return 0


_ANSWERED = {"accepted": N_("{id} accepted on {date}"), "declined": N_("{id} declined on {date}")}
_CLOSED = {"kept": N_("{id} kept on {date}"), "broken": N_("{id} broken on {date}"),
           "dropped": N_("{id} dropped on {date}")}


def _said(sentences: dict[str, str], status: object) -> str:
    """The sentence for a status (``change-3 accepted on 2026-11-27``), translated;
    for a status with no sentence, its value as stored."""
    sentence = sentences.get(str(status))
    return _(sentence) if sentence else "{id} " + str(status) + " {date}"


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
    if args.action == "list":
        return _list(ctx, "job")
    job = store.deliver_job(_find_job(store, args.job).id, ctx.on(args.on))
    _out(_("{id} delivered on {date}").format(id=job.id, date=_date(job.delivered)))
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
    if args.action == "list":
        return _list(ctx, "change")
    change = store.answer_change(args.change, args.answer, ctx.on(args.on))
    _out(_said(_ANSWERED, change.status).format(id=change.id, date=_date(change.answered)))
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
    if args.action == "list":
        return _list(ctx, "promise")
    if args.action == "postpone":
        promise = store.postpone_promise(args.promise, args.to)
        _out(_("{id} due on {date}").format(id=promise.id, date=_date(promise.due)))
        return 0
    promise = store.close_promise(args.promise, args.status, ctx.on(args.on))
    _out(_said(_CLOSED, promise.status).format(id=promise.id, date=_date(promise.closed)))
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
    _out(_said(_ANSWERED, rate.status).format(id=rate.id, date=_date(rate.answered)))
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
        if r.until:
            said = _("{client}: {amount} a month from {since} until {until}, invoiced on day {day}")
        else:
            said = _("{client}: {amount} a month from {since}, invoiced on day {day}")
        _out(said.format(client=_safe(saved.name), amount=_money(r.amount, r.currency), since=_date(r.since),
                         until=_date(r.until), day=r.day))
        return 0
    if args.action == "stop":
        saved = store.stop_retainer(client.id, ctx.on(args.on))
        _out(_("{client}: retainer ends on {date}").format(client=_safe(saved.name),
                                                            date=_date(saved.retainer.until)))
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
        sys.stderr.write(_("rapport: saved {path}").format(path=_one_line(args.eml)) + "\n")
    return 0


def _warn_placeholders(message: Any) -> None:
    for name in message.unknown:
        warning = _("rapport: warning: unknown placeholder {placeholder} left as typed")
        sys.stderr.write(warning.format(placeholder="{" + _safe(name) + "}") + "\n")
    for name in getattr(message, "missing", ()):
        warning = _("rapport: warning: nothing to fill {placeholder} with (see the settings)")
        sys.stderr.write(warning.format(placeholder="{" + name + "}") + "\n")


def cmd_export(ctx: Context) -> int:
    from storage import exchange

    args = ctx.args
    store = ctx.store
    if args.format == "json":
        payload = exchange.export_json(store)
    elif args.format == "ics":
        payload = exchange.export_ics(store, ctx.today, what=args.what)
    else:
        if not args.out:
            raise ValidationError("--out", _("csv export writes one file per table: give a folder with --out"))
        written = _writing(args.out, lambda: exchange.export_csv(store, Path(args.out)))
        _out(ngettext("wrote {n} CSV file to {path}", "wrote {n} CSV files to {path}", len(written)).format(
            n=len(written), path=_safe(args.out)))
        return 0
    if args.out:
        _writing(args.out, lambda: exchange.write_private(Path(args.out), payload))
        _out(_("wrote {path}").format(path=_safe(args.out)))
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
        raise ValidationError("--out", _("cannot write {path}: its folder does not exist").format(
            path=target)) from None
    except NotADirectoryError:
        raise ValidationError("--out", _("cannot write {path}: part of the path is a file, not a folder").format(
            path=target)) from None
    except OSError as exc:
        raise ValidationError("--out", _("cannot write {path}: {reason}").format(
            path=target, reason=exc.strerror or exc)) from None


def cmd_import(ctx: Context) -> int:
    from storage import exchange

    counts = ctx.store.import_data(exchange.read_json(Path(ctx.args.path)))
    total = sum(counts.values())
    _out(ngettext("imported {n} document from {path}", "imported {n} documents from {path}", total).format(
        n=total, path=_one_line(ctx.args.path)))
    return 0


def cmd_check(ctx: Context) -> int:
    store = ctx.store
    problems = store.check()
    total = sum(len(t) for t in (store.storage.read() or {}).values())
    if problems:
        for problem in problems[:50]:
            sys.stderr.write(f"rapport: {_safe(problem)}\n")
        sys.stderr.write(ngettext("rapport: {n} problem in {path}", "rapport: {n} problems in {path}",
                                  len(problems)).format(n=len(problems), path=store.path) + "\n")
        return EXIT_BAD_INPUT
    _out(ngettext("ok: {path} is a valid rapport data file ({n} document)",
                  "ok: {path} is a valid rapport data file ({n} documents)", total).format(path=store.path, n=total))
    return 0


# -- client show|edit|archive|delete|snooze|notes -------------------------------- #


def _client_json(snap: Any, client: Any) -> dict[str, Any]:
    from storage.models import tax_lines_text
    from storage.scheduler import next_checkin, outstanding_by_currency

    last = snap.last_contact.get(client.id)
    nxt = next_checkin(client, last)
    owed = outstanding_by_currency([i for i in snap.invoices if i.client_id == client.id])
    money = None if client.rate is None else format(client.rate, "f")
    return {
        "id": client.id, "name": client.name, "company": client.company, "email": client.email,
        "phone": client.phone, "channel": str(client.channel), "timezone": client.timezone,
        "status": str(client.status), "since": _iso(client.since), "cadence_days": client.cadence_days,
        "terms_days": client.terms_days, "invoicing": str(client.invoicing),
        "invoice_within_hours": client.invoice_within_hours, "rate": money, "currency": client.currency,
        "rate_unit": str(client.rate_unit), "tags": list(client.tags), "snoozed_until": _iso(client.snoozed_until),
        "last_contact": _iso(last), "next_checkin": _iso(nxt),
        "outstanding": {cur: format(amount, "f") for cur, amount in owed.items()},
        "notes": client.notes,
        "people": [{"name": p.name, "email": p.email, "role": str(p.role)} for p in client.people],
        "language": str(client.language) if client.language else None,
        "legal_name": client.legal_name, "address": client.address, "tax_id": client.tax_id,
        "tax_lines": None if client.tax_lines is None else tax_lines_text(client.tax_lines),
        "tax_note": client.tax_note,
        "late_interest": client.late_interest,
        "retainer": _retainer_json(client.retainer),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _raw_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


_CLIENT_LABELS = [
    ("id", N_("Id:")), ("company", N_("Company:")), ("email", N_("Email:")), ("phone", N_("Phone:")),
    ("status", N_("Status:")), ("since", N_("Since:")), ("cadence_days", N_("Check in every (days):")),
    ("last_contact", N_("Last contact:")), ("next_checkin", N_("Next check-in:")),
    ("snoozed_until", N_("Snoozed until:")), ("terms_days", N_("Terms (days):")), ("invoicing", N_("Invoicing:")),
    ("language", N_("Language:")), ("legal_name", N_("Legal name:")), ("tax_id", N_("Tax ID:")),
    ("tax_lines", N_("Taxes:")), ("tax_note", N_("Tax note:")),
]
"""``client show``'s fields: the key in its JSON, the label (translated when shown)."""

_RATE_UNITS = {"hour": N_("hour"), "day": N_("day"), "project": N_("project")}


def _field(label: str, value: str) -> str:
    """One ``client show`` line: the label in a column of 22, then the value."""
    return f"  {label:<22} {value}"


def _client_action(ctx: Context) -> int:
    from storage.models import Channel, ClientStatus, InvoicingRule, PersonRole, RateUnit
    from storage.values import parse_currency, parse_email

    args = ctx.args
    store = ctx.store
    client = store.find_client(args.client)
    name = _one_line(client.name)
    if args.action == "show":
        row = _client_json(store.snapshot(), client)
        if args.json:
            _out(_json(row))
            return 0
        _out(name)
        dates = {"since": client.since, "last_contact": _raw_date(row["last_contact"]),
                 "next_checkin": _raw_date(row["next_checkin"]), "snoozed_until": client.snoozed_until}
        for key, label in _CLIENT_LABELS:
            if row[key] not in (None, ""):
                value = _date(dates[key]) if key in dates else str(row[key])
                _out(_field(_(label), _one_line(value)))
        if client.rate is not None:
            unit = str(client.rate_unit)
            _out(_field(_("Rate:"), f"{_money(client.rate, client.currency)}/{_(_RATE_UNITS.get(unit, unit))}"))
        owed = ", ".join(_money(Decimal(v), k) for k, v in row["outstanding"].items()) or "-"
        _out(_field(_("Outstanding:"), owed))
        if client.address:
            _out(_field(_("Address:"), _one_line(", ".join(client.address.splitlines()))))
        for person in client.people:
            who = f"{person.name} <{person.email}>" if person.email else person.name
            label = _("Billing contact:") if person.role == PersonRole.BILLING else _("Main contact:")
            _out(_field(label, _one_line(who)))
        if client.tags:
            _out(_field(_("Tags:"), _one_line(", ".join(client.tags))))
        if client.notes:
            _out("")
            _out(_safe(client.notes.rstrip("\n")))
        return 0
    if args.action == "edit":
        changes: dict[str, Any] = {}
        for key in ("name", "company", "phone"):
            if getattr(args, key) is not None:
                changes[key] = getattr(args, key).strip()
        if args.email is not None:
            changes["email"] = parse_email(args.email.strip(), "--email")
        if args.currency is not None:
            changes["currency"] = parse_currency(args.currency, "--currency")
        if args.timezone is not None:
            from storage.models import check_timezone

            changes["timezone"] = check_timezone(args.timezone.strip(), "--timezone") if args.timezone.strip() else ""
        simple = {"cadence": "cadence_days", "terms": "terms_days", "since": "since",
                  "within_hours": "invoice_within_hours"}
        for arg, key in simple.items():
            if getattr(args, arg) is not None:
                changes[key] = getattr(args, arg)
        enums = {"status": ("status", ClientStatus), "invoicing": ("invoicing", InvoicingRule),
                 "unit": ("rate_unit", RateUnit), "channel": ("channel", Channel)}
        for arg, (key, enum) in enums.items():
            if getattr(args, arg) is not None:
                changes[key] = enum(getattr(args, arg))
        if args.rate is not None:
            changes["rate"] = parse_decimal(args.rate, "--rate")
        if args.tags is not None:
            changes["tags"] = [t.strip() for t in args.tags.split(",") if t.strip()]
        if not changes:
            raise UsageError(_("rapport client edit: nothing to change (see --help)"))
        client = store.update_client(client.id, **changes)
        _out(_("{id} saved").format(id=client.id))
        return 0
    if args.action == "archive":
        client = store.archive_client(client.id)
        _out(_("{id} is now {status}").format(id=client.id, status=client.status))
        return 0
    if args.action == "delete":
        if not args.yes:
            raise UsageError(_("rapport client delete: this deletes {name} and all of their records; add --yes")
                             .format(name=name))
        deleted = store.delete_client(client.id)
        count = sum(len(docs) for docs in deleted.docs.values()) - 1
        _out(ngettext("deleted {name} ({id}) and {n} document of theirs",
                      "deleted {name} ({id}) and {n} documents of theirs", count).format(
                          name=name, id=client.id, n=count))
        return 0
    if args.action == "snooze":
        client = store.snooze(client.id, None if args.clear else args.until)
        said = _("{id} snoozed until {date}") if client.snoozed_until else _("{id} not snoozed")
        _out(said.format(id=client.id, date=_date(client.snoozed_until)))
        return 0
    if args.action == "notes":
        text = _read_text(args.file, client.notes, suffix=".md")
        client = store.update_client(client.id, notes=text)
        n = len(client.notes)
        _out(ngettext("{id} notes saved ({n} character)", "{id} notes saved ({n} characters)", n).format(
            id=client.id, n=n))
        return 0
    raise UsageError(f"rapport client: unknown action {args.action}")  # pragma: no cover


def _read_text(path: str | None, initial: str, *, suffix: str) -> str:
    """Text from a file, standard input (``-``) or, with no file, ``$EDITOR``.

    An editor that exits with an error, or a file left unchanged by it, is
    "nothing saved" (exit 1), so a script never saves by accident."""
    if path == "-":
        return sys.stdin.read()
    if path is not None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError("--file", _("cannot read {path}: {reason}").format(
                path=path, reason=getattr(exc, "strerror", None) or exc)) from None
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        if not sys.stdin.isatty():
            raise ValidationError("editor", _("set $EDITOR, or give --file PATH (--file - reads standard input)"))
        editor = "vi"
    with tempfile.TemporaryDirectory(prefix="rapport-") as folder:
        file = Path(folder) / f"edit{suffix}"
        file.write_text(initial, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(file)])
        except OSError as exc:
            raise ValidationError("editor", _("cannot run {editor}: {reason}").format(
                editor=editor, reason=exc.strerror)) from None
        if done.returncode != 0:
            raise ValidationError("editor", _("{editor} exited with status {status}; nothing saved").format(
                editor=editor, status=done.returncode))
        text = file.read_text(encoding="utf-8")
    if text == initial:
        raise ValidationError("editor", _("nothing changed; nothing saved"))
    return text


# -- lists: contacts, jobs, promises, changes ------------------------------------ #


def _id_key(doc_id: str) -> tuple[str, int]:
    prefix, __, number = doc_id.rpartition("-")
    return (prefix, int(number) if number.isdigit() else 0)


def _list(ctx: Context, table: str) -> int:
    """``rapport contact|job|promise|change list [--client C] [--json]``."""
    from storage.text import fit, one_line
    from storage.values import minor_units, money_str

    args = ctx.args
    snap = ctx.store.snapshot()
    client_id = snap.find_client(args.client).id if args.client else None
    names = {c.id: c.name for c in snap.clients}
    jobs = snap.jobs_by_id
    rows: list[dict[str, Any]] = []
    if table == "contact":
        docs = sorted(snap.contacts, key=lambda c: (c.date or dt.date.min, _id_key(c.id)), reverse=True)
        for c in docs:
            rows.append({"id": c.id, "client": names.get(c.client_id, c.client_id), "client_id": c.client_id,
                         "date": _iso(c.date), "channel": str(c.channel), "direction": str(c.direction),
                         "kind": str(c.kind), "summary": c.summary})
        columns = [("date", 10), ("client", 22), ("channel", 7), ("direction", 9), ("kind", 15), ("summary", 0)]
    elif table == "job":
        docs = sorted(snap.jobs, key=lambda j: (j.deadline is None, j.deadline or dt.date.min, _id_key(j.id)))
        for j in docs:
            rows.append({"id": j.id, "client": names.get(j.client_id, j.client_id), "client_id": j.client_id,
                         "title": j.title, "status": str(j.status),
                         "price": None if j.price is None else money_str(j.price, j.currency),
                         "currency": j.currency, "deadline": _iso(j.deadline), "delivered": _iso(j.delivered)})
        columns = [("id", 9), ("client", 20), ("status", 9), ("deadline", 10), ("price", 12), ("currency", 8),
                   ("title", 0)]
    elif table == "promise":
        docs = sorted(snap.promises, key=lambda p: (p.due or dt.date.min, _id_key(p.id)))
        for p in docs:
            rows.append({"id": p.id, "client": names.get(p.client_id, p.client_id), "client_id": p.client_id,
                         "job_id": p.job_id, "text": p.text, "due": _iso(p.due), "status": str(p.status),
                         "closed": _iso(p.closed)})
        columns = [("id", 12), ("client", 20), ("due", 10), ("status", 7), ("text", 0)]
    else:
        docs = sorted(snap.changes, key=lambda c: (c.sent or dt.date.min, _id_key(c.id)), reverse=True)
        for c in docs:
            job = jobs.get(c.job_id)
            client = job.client_id if job else c.client_id
            currency = job.currency if job else None
            rows.append({"id": c.id, "job_id": c.job_id, "job": job.title if job else None,
                         "client": names.get(client, client), "client_id": client, "what": c.what,
                         "price": None if c.price is None else money_str(c.price, currency or "EUR"),
                         "currency": currency, "deadline": _iso(c.deadline), "sent": _iso(c.sent),
                         "status": str(c.status), "answered": _iso(c.answered)})
        columns = [("id", 10), ("client", 20), ("status", 8), ("sent", 10), ("job", 18), ("what", 0)]
    if client_id is not None:
        rows = [r for r in rows if r["client_id"] == client_id]
    if args.json:
        _out(_json(rows))
        return 0
    if not rows:
        _out(_(_NONE_LISTED[table]))
        return 0
    _out(_header([(_(_COLUMN_TITLES[name]), width) for name, width in columns]))
    language = active()
    for row in rows:
        cells = []
        for name, width in columns:
            value = row[name]
            if value is None:
                text = "-"
            elif name in _DATE_COLUMNS:
                text = formats.short_date(dt.date.fromisoformat(value), language)
            elif name == "price":  # beside its currency column: the number alone
                currency = row["currency"] or "EUR"
                text = formats.number(Decimal(value), language, places=minor_units(currency))
            else:
                text = one_line(str(value))
            cells.append(fit(text, width) if width else text)
        _out(" ".join(cells))
    return 0


_NONE_LISTED = {"contact": N_("No contacts."), "job": N_("No jobs."), "promise": N_("No promises."),
                "change": N_("No changes.")}

_COLUMN_TITLES = {
    "id": N_("ID"), "date": N_("DATE"), "client": N_("CLIENT"), "channel": N_("CHANNEL"),
    "direction": N_("DIRECTION"), "kind": N_("KIND"), "summary": N_("SUMMARY"), "status": N_("STATUS"),
    "deadline": N_("DEADLINE"), "price": N_("PRICE"), "currency": N_("CURRENCY"), "title": N_("TITLE"),
    "due": N_("DUE"), "text": N_("TEXT"), "sent": N_("SENT"), "job": N_("JOB"), "what": N_("WHAT"),
}
"""The list tables' column headings, by the row key they show."""

_DATE_COLUMNS = frozenset({"date", "deadline", "due", "sent"})


# -- settings and templates ------------------------------------------------------ #


def cmd_settings(ctx: Context) -> int:
    from storage.settings_keys import SETTING_KEYS, setting_text

    args = ctx.args
    store = ctx.store
    if args.action == "set":
        settings = store.set_setting(args.key, args.value)
        _out(f"{args.key} = {_one_line(setting_text(settings, args.key))}")
        return 0
    settings = store.settings()
    keys = list(SETTING_KEYS)
    if args.key is not None:
        if args.key not in SETTING_KEYS:
            raise ValidationError("key", _("{key} is not a setting; the settings are: {keys}").format(
                key=repr(args.key), keys=", ".join(keys)))
        keys = [args.key]
    if args.json:
        values = {k: list(settings.reminder_ladder) if k == "reminder_ladder" else setting_text(settings, k)
                  for k in keys}
        _out(_json(values if args.key is None else values[args.key]))
        return 0
    if args.key is not None:
        _out(_one_line(setting_text(settings, args.key)))
        return 0
    for key in keys:
        _out(f"{key:<16} {_one_line(setting_text(settings, key))}")
    return 0


def cmd_template(ctx: Context) -> int:
    from storage.templates import TEMPLATE_NAMES

    args = ctx.args
    store = ctx.store
    lang = getattr(args, "lang", None) or str(store.settings().language)
    if args.action == "list":
        from storage.languages import available_languages

        rows = []
        for name in TEMPLATE_NAMES:
            for language in available_languages():
                template = store.template(name, language)
                rows.append({"name": name, "language": language, "subject": template.subject,
                             "customised": store.template_is_edited(name, language)})
        if args.json:
            _out(_json(rows))
            return 0
        from storage.templates import shipped_language

        for row in rows:
            mark = "*" if row["customised"] else " "
            note = ""
            if not row["customised"] and shipped_language(row["name"], row["language"]) != row["language"]:
                note = "  " + _("(shipped in {language} only)").format(
                    language=shipped_language(row["name"], row["language"]))
            _out(f"{row['name']:<10} {row['language']} {mark} {_one_line(row['subject'])}{note}")
        _out(_("* edited (rapport template reset NAME --lang L puts the shipped wording back)"))
        return 0
    if args.action == "show":
        template = store.template(args.name, lang)
        _out(_safe(f"{_(SUBJECT)} {template.subject}\n\n{template.body}".rstrip("\n")))
        return 0
    if args.action == "reset":
        template = store.reset_template(args.name, lang)
        _out(_("{name} ({language}) reset to the shipped wording").format(name=template.name,
                                                                          language=template.language))
        return 0
    # edit
    current = store.template(args.name, lang)
    text = _read_text(args.file, f"{_(SUBJECT)} {current.subject}\n\n{current.body}", suffix=".md")
    subject, body = _split_template(text, current.subject)
    template = store.edit_template(args.name, lang, subject=subject, body=body)
    _out(_("{name} ({language}) saved").format(name=template.name, language=template.language))
    return 0


SUBJECT = N_("Subject:")
"""The first line of a template as shown and edited; read back in English or in
the active language."""


def _split_template(text: str, subject: str) -> tuple[str, str]:
    """A 'Subject: ...' first line (optional: else the subject stays), then the body."""
    text = text.replace("\r\n", "\n")
    first, __, rest = text.partition("\n")
    for label in dict.fromkeys((SUBJECT, _(SUBJECT))):
        if first.lower().startswith(label.lower()):
            return first[len(label):].strip(), rest.lstrip("\n")
    return subject, text


# -- serve, completion ----------------------------------------------------------- #

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def cmd_serve(ctx: Context) -> int:
    """The TUI in a browser: every tab runs its own ``rapport`` process on the
    same data file (the same locking and live refresh as two terminals)."""
    import shlex

    args = ctx.args
    if args.host not in LOOPBACK and not args.public:
        raise UsageError(_("rapport serve: --host {host} would let others reach your data with no login; "
                           "use an SSH tunnel, or add --public").format(host=args.host))
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ValidationError("serve", _("needs textual-serve: pip install 'rapport[web]'")) from None
    path = (ctx.path or _default_path()).expanduser().resolve()
    if not path.exists():
        raise DataFileError(_("no data file at {path}; 'rapport demo' or 'rapport client add' creates one").format(
            path=path))
    command = [sys.executable, "-m", "tui", "--data", str(path)]
    if ctx.args.today is not None:
        command += ["--today", ctx.args.today.isoformat()]
    if args.public:
        sys.stderr.write(_("rapport: warning: serving on {host}:{port} with no login: "
                           "anyone who can reach it can read and change your data").format(
                               host=args.host, port=args.port) + "\n")
    server = Server(shlex.join(command), host=args.host, port=args.port, title="rapport",
                    public_url=args.url or _public_url(args.host, args.port))
    server.serve()
    return 0


def _public_url(host: str, port: int) -> str:
    """Where a browser finds the server: the page names its scripts and its
    WebSocket by this address, so it must be one the browser can reach."""
    import socket

    if host in LOOPBACK:
        name = "localhost"  # also right through `ssh -L 8000:localhost:8000`
    elif host in ("0.0.0.0", "::", ""):
        name = socket.getfqdn()  # every interface: the machine's own name
    else:
        name = host
    if ":" in name:
        name = f"[{name}]"  # an IPv6 address
    return f"http://{name}:{port}"


def _default_path() -> Path:
    from storage.paths import default_data_path

    return default_data_path()


def cmd_completion(ctx: Context) -> int:
    import shtab

    parser = build_parser(None)
    parser.prog = "rapport"
    sys.stdout.write(shtab.complete(parser, shell=ctx.args.shell))
    return 0


def cmd_tui(ctx: Context) -> int:
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
    "template": cmd_template,
    "serve": cmd_serve,
    "completion": cmd_completion,
    "export": cmd_export,
    "import": cmd_import,
    "check": cmd_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        args = _parse(argv)
        ctx = Context(args)
        status = COMMANDS[args.command](ctx)
        if ctx._store is not None and args.command is not None:
            # Keep the daily review's summary current for the next `rapport today`.
            ctx._store.write_summary()
        return status
    except UsageError as exc:
        # The message may echo what was typed: one line, controls made visible.
        sys.stderr.write(_("{error} (see 'rapport --help')").format(error=_one_line(str(exc))) + "\n")
        return EXIT_USAGE
    except (BadValue, UserError) as exc:
        sys.stderr.write(f"rapport: {_one_line(str(exc))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `rapport today | head`: the reader left; that is not an error.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _parse(argv: list[str]) -> argparse.Namespace:
    """The command line, parsed. ``--help`` and a usage error come before any store
    is open: they read the language from the data file's summary, and an error is
    reported by parsing again in that language (cheap, and only on the error path)."""
    if "-h" in argv or "--help" in argv:
        _activate_from_summary(argv)
    try:
        with _argparse_words():
            return build_parser(argv).parse_args(argv)
    except (UsageError, BadValue):
        if active() != SOURCE_LANGUAGE or not _activate_from_summary(argv):
            raise
    with _argparse_words():  # the same error, now in the settings' language
        return build_parser(argv).parse_args(argv)


def _activate_file_language(path: Path) -> bool:
    """Activate the language the settings of the data file at ``path`` name, read
    from the file as it is (its summary is stale after a hand edit); False when
    they cannot be read, or name English or a language rapport does not have."""
    import orjson

    from storage.languages import available_languages

    try:
        tables = orjson.loads(Path(path).read_bytes())
        settings = next(iter(tables["settings"].values()))
        language = settings["language"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError, StopIteration):
        return False
    if not isinstance(language, str) or language == SOURCE_LANGUAGE or language not in available_languages():
        return False
    activate(language)
    return True


def _activate_from_summary(argv: Sequence[str]) -> bool:
    """Activate the language of the data file the command line names (else the
    default one), as its summary records it; False when unknown or English."""
    from storage import summary
    from storage.paths import default_data_path

    data = None
    for index, token in enumerate(argv):
        if token == "--data" and index + 1 < len(argv):
            data = argv[index + 1]
        elif token.startswith("--data="):
            data = token.partition("=")[2]
    try:
        path = Path(os.path.realpath(Path(data).expanduser() if data else default_data_path()))
        snapshot = summary.load(path)
        language = str(snapshot.settings.language) if snapshot is not None else SOURCE_LANGUAGE
    except (OSError, UserError, ValueError, KeyError, TypeError):
        return False
    activate(language)
    return active() != SOURCE_LANGUAGE


# argparse's own words, as Python 3.11 writes them: argparse looks each up through
# its module's gettext ``_``, pointed at our catalog while it runs (_argparse_words).
_ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


@contextlib.contextmanager
def _argparse_words() -> Iterator[None]:
    """While argparse runs, its words in the active language (nothing changes in English)."""
    if active() == SOURCE_LANGUAGE:
        yield
        return
    saved = argparse._  # type: ignore[attr-defined]
    argparse._ = _  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved  # type: ignore[attr-defined]


def _one_line(text: str) -> str:
    from storage.text import visible

    return visible(" ".join(text.split()))

