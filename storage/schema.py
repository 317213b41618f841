"""One schema for every door: the type and range of every field of every document.

The CLI, the forms (through the store), ``import``, the open of a file that
another program or a person edited, and ``rapport check`` all ask this module,
so a document that passes here can be shown, listed, exported, drafted and
reviewed without an exception (tests/storage/test_schema.py proves it with
Hypothesis).

The checks follow the dataclasses in models.py, field by field, from their
annotations; then each model's own ``validate`` adds the rules between fields.
Every problem is one line naming the document and the field::

    client-3.phone: expected text, got number

Only the standard library and models.py: ``rapport today`` imports it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from .formats import number as format_number
from .i18n import N_, _, active
from .models import (
    _ENUMS,
    MODELS,
    SCHEMA_VERSION,
    TABLES,
    Document,
    Invoice,
    LineItem,
    Payment,
    Person,
    Reminder,
    Retainer,
    Settings,
    TaxLine,
    check_language,
)
from .values import (
    MAX_DATE,
    MAX_INT_DIGITS,
    MIN_DATE,
    ValidationError,
    cut,
    minor_units,
)

__all__ = ["problems_in", "document_problems", "check_document", "describe_type", "MAX_TEXT"]

MAX_TEXT = 10_000
"""The longest a text field may be, unless listed in :data:`_TEXT_LIMITS`."""

_TEXT_LIMITS = {
    "notes": 100_000, "body": 100_000, "summary": 100_000, "brief": 100_000,
    "id": 100, "created_at": 64, "updated_at": 64, "currency": 8, "timezone": 64,
    "number": 40, "client_id": 100, "job_id": 100, "change_id": 100, "auto": 40,
    "name": 200, "company": 200, "email": 320, "phone": 100, "title": 1_000,
}
_INT_RANGES = {
    "level": (1, 100), "schema_version": (1, SCHEMA_VERSION),
}
_INT_RANGE = (0, 36500)

_DECIMAL_RE = re.compile(r"-?\d{1,40}(\.\d{1,40})?")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ID_RE = re.compile(r"([a-z]+)-(\d{1,15})")

_REFERENCES = {
    # field -> the table its ids belong to
    "client_id": "client",
    "job_id": "job",
    "change_id": "change",
    "job_ids": "job",
}
_MISSING = {
    "client": N_("refers to a missing client {value}"),
    "job": N_("refers to a missing job {value}"),
    "change": N_("refers to a missing change {value}"),
}
"""A reference to a document not there, per table (translated where it is said)."""


def describe_type(value: Any) -> str:
    """What a JSON value is, in words in the language shown: ``number``,
    ``text``, ``list``... (``null`` and ``true/false`` as JSON writes them)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float, Decimal)):
        return _("number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, (list, tuple)):
        return _("list")
    if isinstance(value, dict):
        return _("object")
    return type(value).__name__


def _got(message: str, value: Any) -> str:
    """``message`` (translated, "expected text, got {type}") for ``value``."""
    return message.format(type=describe_type(value))


def _between(value: object, low: object, high: object) -> str:
    return _("{value} is not between {low} and {high}").format(value=value, low=low, high=high)


_cut = cut


# --------------------------------------------------------------------------- #
# One field
# --------------------------------------------------------------------------- #


def _check_text(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return _got(_("expected text, got {type}"), value)
    limit = _TEXT_LIMITS.get(name, MAX_TEXT)
    if len(value) > limit:
        return _("is longer than {n} characters").format(n=format_number(limit, active()))
    return None


def _check_int(name: str, value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return _got(_("expected a whole number, got {type}"), value)
    low, high = _INT_RANGES.get(name, _INT_RANGE)
    if not low <= value <= high:
        return _between(value, low, high)
    return None


def _check_bool(name: str, value: Any) -> str | None:
    if not isinstance(value, bool):
        return _got(_("expected true or false, got {type}"), value)
    return None


def check_date_text(value: Any) -> str | None:
    """Why ``value`` is not a stored date (ISO text within the range), or None."""
    if not isinstance(value, str):
        return _got(_("expected a date (YYYY-MM-DD), got {type}"), value)
    if not _DATE_RE.fullmatch(value):
        return _("{value} is not a date in the form YYYY-MM-DD").format(value=_cut(value))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return _("{value} is not a real date").format(value=_cut(value))
    if not MIN_DATE <= day <= MAX_DATE:
        return _between(value, MIN_DATE, MAX_DATE)
    return None


def check_decimal_text(value: Any) -> str | None:
    """Why ``value`` is not a stored amount (a decimal string or a whole number
    with at most 12 digits before the point), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif not isinstance(value, str):
        return _got(_("expected an amount as text (e.g. \"1200.50\"), got {type}"), value)
    if not _DECIMAL_RE.fullmatch(value):
        return _("{value} is not a decimal number like 1200 or 1200.50").format(value=_cut(value))
    whole = value.lstrip("-").split(".")[0].lstrip("0")
    if len(whole) > MAX_INT_DIGITS:
        return _("has more than {n} digits before the point").format(n=MAX_INT_DIGITS)
    if "." in value and len(value.split(".")[1]) > 6:
        return _("has more than 6 decimals")
    return None


def _check_timezone(value: str) -> str | None:
    if value and not _zone_exists(value):
        return _("{value} is not a time zone such as Europe/Madrid").format(value=_cut(value))
    return None


@lru_cache(maxsize=256)
def _zone_exists(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@cache
def _plan(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(field name, base annotation, optional) for each stored field of ``cls``."""
    out = []
    for f in dataclasses.fields(cls):
        if f.name == "extra":
            continue
        annotation = str(f.type)
        optional = annotation.endswith(" | None")
        out.append((f.name, annotation.removesuffix(" | None"), optional))
    return tuple(out)


_NESTED = {"LineItem": LineItem, "Payment": Payment, "Reminder": Reminder, "TaxLine": TaxLine, "Person": Person,
           "Retainer": Retainer}


def _field_problems(cls: type, doc: dict[str, Any], where: str) -> Iterator[str]:
    for name, base, optional in _plan(cls):
        if name not in doc:
            continue  # the dataclass default applies
        value = doc[name]
        if value is None:
            if not optional:
                yield f"{where}.{name}: {_got(_(_expected(base)), None)}"
            continue
        why: str | None
        if base == "str":
            why = _check_text(name, value)
            if why is None and name == "timezone":
                why = _check_timezone(value)
        elif base == "int":
            why = _check_int(name, value)
        elif base == "bool":
            why = _check_bool(name, value)
        elif base == "dt.date":
            why = check_date_text(value)
        elif base == "Decimal":
            why = check_decimal_text(value)
        elif base == "Language":
            try:
                check_language(value, name)
                why = None
            except ValidationError as exc:
                why = exc.message
        elif base in _ENUMS:
            allowed = _ENUMS[base]
            if not isinstance(value, str):
                why = _got(_("expected text, got {type}"), value)
            elif value not in allowed._value2member_map_:
                why = _("{value} is not one of: {choices}").format(
                    value=_cut(value), choices=", ".join(m.value for m in allowed))
            else:
                why = None
        elif base in _NESTED:  # one nested object, e.g. a client's retainer
            if not isinstance(value, dict):
                why = _got(_("expected an object, got {type}"), value)
            else:
                why = None
                yield from _field_problems(_NESTED[base], value, f"{where}.{name}")
        elif base.startswith("list["):
            if not isinstance(value, list):
                why = _got(_("expected a list, got {type}"), value)
            elif len(value) > 10_000:
                why = _("has more than {n} entries").format(n=format_number(10_000, active()))
            else:
                why = None
                inner = base[5:-1]
                for i, item in enumerate(value):
                    here = f"{where}.{name}[{i}]"
                    if inner in _NESTED:
                        if not isinstance(item, dict):
                            problem = _got(_("expected an object, got {type}"), item)
                            yield f"{here}: {problem}"
                        else:
                            yield from _field_problems(_NESTED[inner], item, here)
                    elif inner == "str":
                        bad = _check_text(name, item)
                        if bad:
                            yield f"{here}: {bad}"
                    elif inner == "int":
                        bad = _check_int(name, item)
                        if bad:
                            yield f"{here}: {bad}"
                    elif inner == "dict":
                        if not isinstance(item, dict):
                            problem = _got(_("expected an object, got {type}"), item)
                            yield f"{here}: {problem}"
                        elif name == "history":
                            yield from _history_problems(item, here)
        elif base == "dict":
            why = None if isinstance(value, dict) else _got(_("expected an object, got {type}"), value)
            if why is None and name == "counters":
                for key, number in value.items():
                    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < 10**15:
                        problem = _got(_("expected a whole number, got {type}"), number)
                        yield f"{where}.counters.{key}: {problem}"
        else:  # pragma: no cover - a new kind of field needs a rule here
            raise TypeError(f"schema: no rule for {base!r}")
        if why is not None:
            yield f"{where}.{name}: {why}"


def _history_problems(item: dict[str, Any], where: str) -> Iterator[str]:
    """An entry of a job's history (old values replaced by an accepted change)."""
    for key, check in (("date", check_date_text), ("deadline", check_date_text), ("price", check_decimal_text)):
        value = item.get(key)
        if value is None and key != "date":
            continue
        why = check(value)
        if why:
            yield f"{where}.{key}: {why}"
    for key in ("change_id", "what"):
        if key in item and not isinstance(item[key], str):
            problem = _got(_("expected text, got {type}"), item[key])
            yield f"{where}.{key}: {problem}"


_EXPECTED = {
    "str": N_("expected text, got {type}"),
    "int": N_("expected a whole number, got {type}"),
    "bool": N_("expected true or false, got {type}"),
    "dt.date": N_("expected a date, got {type}"),
    "Decimal": N_("expected an amount, got {type}"),
    "dict": N_("expected an object, got {type}"),
}


def _expected(base: str) -> str:
    """What a field of type ``base`` holds, as the message for another value
    (untranslated: the caller translates)."""
    if base.startswith("list["):
        return N_("expected a list, got {type}")
    return _EXPECTED.get(base, _EXPECTED["str"])


# --------------------------------------------------------------------------- #
# One document, and a whole data set
# --------------------------------------------------------------------------- #


def _label(model: type[Document], doc: dict[str, Any], key: str) -> str:
    doc_id = doc.get("id")
    if isinstance(doc_id, str) and doc_id and len(doc_id) <= 100:
        from .text import one_line

        return one_line(doc_id)
    return f"{model.TABLE} #{key}"


def document_problems(model: type[Document], doc: Any, key: str = "?") -> list[str]:
    """Every problem of one stored document, one line each (no references)."""
    if not isinstance(doc, dict):
        problem = _got(_("expected an object, got {type}"), doc)
        return [f"{model.TABLE} #{key}: {problem}"]
    where = _label(model, doc, key)
    found = list(_field_problems(model, doc, where))
    doc_id = doc.get("id")
    if not found:
        if model is Settings:
            if doc_id != "settings":
                found.append(f"{where}.id: " + _("the settings document's id is 'settings'"))
        elif not doc_id:
            found.append(f"{where}.id: " + _("is required"))
        else:
            match = _ID_RE.fullmatch(doc_id)
            if match is None or match.group(1) != model.PREFIX:
                found.append(f"{where}.id: " + _("{value} is not a {table} id like {example}").format(
                    value=_cut(doc_id), table=model.TABLE, example=f"{model.PREFIX}-1"))
    if not found:
        try:
            obj = model.from_doc(doc)
            obj.validate()
            if isinstance(obj, Invoice):
                _check_invoice_totals(obj)
        except ValidationError as exc:
            found.append(f"{where}.{exc.field}: {exc.message}")
    return found


def _check_invoice_totals(invoice: Invoice) -> None:
    """Line totals and the invoice total stay within the amount's digits too."""
    limit = Decimal(10) ** MAX_INT_DIGITS
    places = minor_units(invoice.currency)
    for item in invoice.items:
        product = item.quantity * item.unit_price
        if abs(product) >= limit:
            raise ValidationError("items", _("a line comes to more than {n} digits before the point").format(
                n=MAX_INT_DIGITS))
        exponent = item.quantity.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > 6:
            raise ValidationError("quantity", _("has more than 6 decimals"))
    if abs(invoice.total) >= limit:
        raise ValidationError("total", _("has more than {n} digits before the point").format(n=MAX_INT_DIGITS))
    del places


def check_document(doc: Document) -> None:
    """Raise ValidationError for the first problem of a model about to be stored.

    The store calls it on every insert and save: the same rules as a file's."""
    problems = document_problems(type(doc), doc.to_doc())
    if problems:
        first = problems[0]
        where, __, message = first.partition(": ")
        field = where.rsplit(".", 1)[-1] if "." in where else where
        raise ValidationError(field, message)


def problems_in(data: Any, known: Any = None) -> list[str]:
    """Every problem in a whole data set (TinyDB's dict of tables): each
    document's fields, ids used twice, references to missing documents, invoice
    numbers used twice, and the settings (exactly one).

    ``known`` is a version of the data already checked: a document equal to
    its version there (same table, same key) is not checked field by field
    again, so re-reading a large file another session changed costs little."""
    if not isinstance(known, dict):
        known = {}
    if not isinstance(data, dict):
        return [_got(_("expected an object of tables, got {type}"), data)]
    problems: list[str] = []
    unknown = sorted(set(data) - set(TABLES))
    for name in unknown:
        problems.append(f"{_cut(name)}: " + _("not a rapport table"))
    ids: dict[str, set[str]] = {}
    valid: dict[str, list[dict[str, Any]]] = {}
    for name, model in TABLES.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            problems.append(f"{name}: " + _got(_("expected an object of documents, got {type}"), table))
            continue
        seen: set[str] = set()
        good: list[dict[str, Any]] = []
        before = known.get(name)
        if not isinstance(before, dict):
            before = {}
        for key, doc in table.items():
            old = before.get(key)
            if old is None or (old is not doc and old != doc):
                found = document_problems(model, doc, key)
                if found:
                    problems += found
                    continue
            if doc["id"] in seen:
                problems.append(f"{_label(model, doc, key)}: " + _("the id is used twice"))
            seen.add(doc["id"])
            good.append(doc)
        ids[name] = seen
        valid[name] = good
    if len(data.get("settings") or {}) != 1 and isinstance(data.get("settings", {}), dict):
        problems.append("settings: " + _("expected exactly one settings document, found {n}").format(
            n=len(data.get("settings") or {})))
    for model in MODELS:
        model_type: type = model  # as _plan's cache key (mypy: a dataclass is unhashable, its class is not)
        fields = [(name, target) for name, target in _REFERENCES.items()
                  if name != "change_id" and any(f[0] == name for f in _plan(model_type))]
        if not fields:
            continue
        for doc in valid.get(model.TABLE, []):
            for name, target in fields:
                value = doc.get(name)
                refs = value if isinstance(value, list) else (value,)
                for ref in refs:
                    if ref is None or (ref == "" and (name == "job_id" or model.TABLE == "change")):
                        continue
                    if ref not in ids[target]:
                        problems.append(f"{_label(model, doc, '?')}.{name}: "
                                        + _(_MISSING[target]).format(value=_cut(ref)))
    numbers: set[str] = set()
    for doc in valid.get("invoice", []):
        number = doc.get("number")
        if not number:  # a draft: no number until it is issued
            continue
        if number in numbers:
            problems.append(f"{_label(Invoice, doc, '?')}.number: "
                            + _("invoice number {number} is used twice").format(number=_cut(number)))
        numbers.add(number)
    return problems
