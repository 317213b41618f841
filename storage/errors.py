"""The errors rapport shows to the user, under one base class.

Every refusal the storage layer raises because of what the user asked (a value
that cannot be stored, a rule the change would break, a client or invoice that
does not exist, a change another session made first, a file that cannot be
written) is a :class:`UserError`. Its message is the one line to show; the data
file is unchanged. Screens and commands catch ``UserError`` once instead of a
tuple of classes; anything else is a bug and is allowed to surface.

Messages are written in the active language (``storage.i18n``) where they are
raised. A :class:`ValidationError` keeps the machine name of its field in
``.field`` (forms match it to their inputs) and shows the field's label, in the
active language, in ``str(error)``.

Only ``storage.i18n`` is imported here (it imports nothing of the store): every
module in ``storage`` may import this one.
"""

from __future__ import annotations

from .i18n import N_, _

__all__ = ["DataFileError", "NotFound", "StorageError", "UserError", "ValidationError", "field_label"]

FIELD_LABELS = frozenset({
    N_("address"), N_("amount"), N_("answer"), N_("body"), N_("business"), N_("cadence_days"),
    N_("client"), N_("covers"), N_("currency"), N_("date"), N_("day"), N_("deadline"), N_("delivered"),
    N_("description"), N_("due"), N_("email"), N_("final_notice_days"), N_("from"), N_("import"),
    N_("invoice"), N_("invoice_within_hours"), N_("issued"), N_("items"), N_("job"), N_("jobs"), N_("key"),
    N_("kind"), N_("lang"), N_("language"), N_("late_compensation"), N_("late_interest_percent"),
    N_("legal_name"), N_("mail_command"), N_("name"), N_("notes"), N_("number"), N_("on"), N_("payment"),
    N_("payment date"), N_("payment_details"), N_("period"), N_("person email"), N_("person name"),
    N_("phone"), N_("price"), N_("quantity"), N_("rate"), N_("reminder"), N_("reminder_ladder"),
    N_("retainer"), N_("schema_version"), N_("sent"), N_("settings"), N_("since"), N_("status"),
    N_("subject"), N_("summary"), N_("target"), N_("tax name"), N_("tax percent"), N_("tax_id"),
    N_("tax_lines"), N_("tax_note"), N_("terms"), N_("terms_days"), N_("text"), N_("timezone"),
    N_("title"), N_("total"), N_("unit price"), N_("unit_price"), N_("until"), N_("website"), N_("what"),
})
"""The fields a refusal may name, marked for the catalog: their English label is
their machine name (``cadence_days``); other languages translate it. A field not
listed (a command-line option such as ``--currency``) is shown as it is."""


def field_label(field: str) -> str:
    """The name of ``field`` as shown to people, in the active language."""
    return _(field) if field in FIELD_LABELS else field


class UserError(Exception):
    """A request rapport refuses; ``str(error)`` is the message to show."""


class ValidationError(UserError, ValueError):
    """A value that cannot be stored, or a rule a change would break, with the
    field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        """The field's machine name (a form's input, a model's attribute)."""
        self.message = message
        """What is wrong, without the field: the line a form shows beside it."""
        self.label = field_label(field)
        """The field's name as shown, in the language active when raised."""
        super().__init__(_("{field}: {message}").format(field=self.label, message=message))


class NotFound(UserError, ValueError):
    """A client, job, invoice... that does not exist, or a name that is ambiguous."""


class StorageError(UserError):
    """A write that could not be committed (another session holds the lock, the
    disk is full, the file changed under us). The file on disk is unchanged."""


class DataFileError(StorageError):
    """A data file that cannot be used (unreadable, corrupt, wrong schema).

    It is never overwritten; the message says why and how to restore a backup.
    """
