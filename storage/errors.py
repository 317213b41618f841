"""The errors rapport shows to the user, under one base class.

Every refusal the storage layer raises because of what the user asked (a value
that cannot be stored, a rule the change would break, a client or invoice that
does not exist, a change another session made first, a file that cannot be
written) is a :class:`UserError`. Its message is the one line to show; the data
file is unchanged. Screens and commands catch ``UserError`` once instead of a
tuple of classes; anything else is a bug and is allowed to surface.

No imports here: every module in ``storage`` may import this one.
"""

from __future__ import annotations

__all__ = ["DataFileError", "NotFound", "StorageError", "UserError", "ValidationError"]


class UserError(Exception):
    """A request rapport refuses; ``str(error)`` is the message to show."""


class ValidationError(UserError, ValueError):
    """A value that cannot be stored, or a rule a change would break, with the
    field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(UserError, ValueError):
    """A client, job, invoice... that does not exist, or a name that is ambiguous."""


class StorageError(UserError):
    """A write that could not be committed (another session holds the lock, the
    disk is full, the file changed under us). The file on disk is unchanged."""


class DataFileError(StorageError):
    """A data file that cannot be used (unreadable, corrupt, wrong schema).

    It is never overwritten; the message says why and how to restore a backup.
    """
