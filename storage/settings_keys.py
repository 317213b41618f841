"""The settings one may set, each with its parser: the settings form and
``rapport settings get|set`` read the same table, so both accept the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Language, Settings, check_timezone
from .values import ValidationError, parse_email


def parse_ladder(text: str) -> list[int]:
    """``1, 8, 15``: whole days past due, rising, at most 3650."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValidationError("reminder_ladder", "whole days past due, separated by commas, like 1, 8, 15")
    days = [int(p) for p in parts]
    if any(b <= a for a, b in zip(days, days[1:])):
        raise ValidationError("reminder_ladder", "the days must rise, like 1, 8, 15")
    if days[-1] > 3650:
        raise ValidationError("reminder_ladder", "at most 3650 days past due")
    return days


def _text(key: str, max_len: int = 200) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = text.strip()
        if len(text) > max_len:
            raise ValidationError(key, f"is longer than {max_len} characters")
        return text

    return parse


def _timezone(text: str) -> str:
    text = text.strip()
    return check_timezone(text) if text else ""


def _language(text: str) -> str:
    text = text.strip()
    if text not in {lang.value for lang in Language}:
        raise ValidationError("language", f"must be one of: {', '.join(lang.value for lang in Language)}")
    return text


SETTING_KEYS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "name": ("your name, for sign-offs", _text("name")),
    "business": ("your business name", _text("business")),
    "email": ("your email address", lambda t: parse_email(t.strip())),
    "phone": ("your phone number", _text("phone")),
    "website": ("your website", _text("website")),
    "address": ("your postal address", _text("address", 1000)),
    "timezone": ("IANA time zone, e.g. Europe/Madrid (empty: the machine's)", _timezone),
    "language": ("en or es", _language),
    "reminder_ladder": ("days past due of reminders 1, 2 and final, e.g. 1, 8, 15", parse_ladder),
    "mail_command": ("a command that reads a message on stdin, e.g. msmtp -t", _text("mail_command", 1000)),
}
"""Every setting a person sets, with what it is and how its text is read."""


def parse_setting(key: str, text: str) -> Any:
    if key not in SETTING_KEYS:
        raise ValidationError("key", f"{key!r} is not a setting; the settings are: {', '.join(SETTING_KEYS)}")
    return SETTING_KEYS[key][1](text)


def setting_text(settings: Settings, key: str) -> str:
    """A setting as the text ``settings set`` reads back."""
    value = getattr(settings, key)
    if key == "reminder_ladder":
        return ", ".join(str(d) for d in value)
    return str(value)
