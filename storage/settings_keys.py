"""The settings one may set, each with its parser: the settings form and
``rapport settings get|set`` read the same table, so both accept the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .i18n import N_, _
from .models import Settings, check_language, check_timezone, parse_tax_lines, tax_lines_text
from .values import ValidationError, parse_decimal, parse_email


def parse_ladder(text: str) -> list[int]:
    """``1, 8, 15``: whole days past due, rising, at most 3650."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValidationError("reminder_ladder", _("whole days past due, separated by commas, like 1, 8, 15"))
    days = [int(p) for p in parts]
    if any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise ValidationError("reminder_ladder", _("the days must rise, like 1, 8, 15"))
    if days[-1] > 3650:
        raise ValidationError("reminder_ladder", _("at most 3650 days past due"))
    return days


def _text(key: str, max_len: int = 200) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = text.strip()
        if len(text) > max_len:
            raise ValidationError(key, _("is longer than {n} characters").format(n=max_len))
        return text

    return parse


def _timezone(text: str) -> str:
    text = text.strip()
    return check_timezone(text) if text else ""


def _language(text: str) -> str:
    return check_language(text.strip())


def _days_to_pay(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or int(text) > 365:
        raise ValidationError("final_notice_days", _("a whole number of days from 0 to 365, like 7"))
    return int(text)


def _optional_amount(key: str) -> Callable[[str], Any]:
    """A decimal, or ``off`` (or nothing) for None: a late-payment term not applied."""

    def parse(text: str) -> Any:
        text = text.strip()
        if text.lower() in ("", "off", "none"):
            return None
        return parse_decimal(text.replace(",", "."), key)

    return parse


SETTING_KEYS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "name": (N_("your name, for sign-offs"), _text("name")),
    "business": (N_("your business name"), _text("business")),
    "email": (N_("your email address"), lambda t: parse_email(t.strip())),
    "phone": (N_("your phone number"), _text("phone")),
    "website": (N_("your website"), _text("website")),
    "address": (N_("your postal address"), _text("address", 1000)),
    "timezone": (N_("IANA time zone, e.g. Europe/Madrid (empty: the machine's)"), _timezone),
    "language": (N_("en or es"), _language),
    "reminder_ladder": (N_("days past due of reminders 1, 2 and final, e.g. 1, 8, 15"), parse_ladder),
    "mail_command": (N_("a command that reads a message on stdin, e.g. msmtp -t"), _text("mail_command", 1000)),
    "final_notice_days": (N_("days the final notice gives to pay (default 7)"), _days_to_pay),
    "late_interest_percent": (N_("late-payment interest, % a year (off: none)"),
                              _optional_amount("late_interest_percent")),
    "late_compensation": (N_("fixed compensation per late invoice (off: none)"), _optional_amount("late_compensation")),
    "legal_name": (N_("your legal name on invoices (default: business)"), _text("legal_name")),
    "tax_id": (N_("your tax id on invoices"), _text("tax_id")),
    "payment_details": (N_("how to pay, on invoices, e.g. an IBAN"), _text("payment_details", 1000)),
    "tax_lines": (N_("default taxes of new invoices, e.g. IVA 21, IRPF -15 (minus: withheld)"),
                  lambda t: parse_tax_lines(t)),
}
"""Every setting a person sets, with what it is (marked for the catalog: translate it
where it is shown) and how its text is read."""

SETTING_LABELS: dict[str, str] = {
    "name": N_("Your name"),
    "business": N_("Business"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "website": N_("Website"),
    "address": N_("Address"),
}
"""The settings form's labels of your own details: what a message about an
unfilled placeholder (storage.templates.FILLED_FROM_SETTINGS) tells you to set."""


def parse_setting(key: str, text: str) -> Any:
    if key not in SETTING_KEYS:
        raise ValidationError("key", _("{key!r} is not a setting; the settings are: {keys}").format(
            key=key, keys=', '.join(SETTING_KEYS)))
    return SETTING_KEYS[key][1](text)


def setting_text(settings: Settings, key: str) -> str:
    """A setting as the text ``settings set`` reads back."""
    value = getattr(settings, key)
    if key == "reminder_ladder":
        return ", ".join(str(d) for d in value)
    if key == "tax_lines":
        return tax_lines_text(value)
    if value is None:
        return "off"
    return str(value)
