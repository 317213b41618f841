"""The store: rapport's documents in TinyDB, on the atomic, locked data file.

Screens and commands never write files; they call the methods here. Each method
is one transaction: it takes the write lock, starts from what is on disk now (so a
change another process made a moment ago is kept), validates, applies the change
and commits once. When a method returns, the change is on disk.

:class:`Store` is the one entry point; its methods live along responsibilities:

* storage/core.py: opening, transactions, ids, typed get/insert/save, edits
  against what a form read, settings, the review's summary;
* storage/workflows/: clients and contacts, jobs/changes/promises, rates,
  invoices (payments, reminders, the chase), templates and settings;
* storage/transfer.py: export, import and check.
"""

from __future__ import annotations

from .core import Deleted, EditConflict, StoreCore, changed_fields
from .errors import DataFileError, NotFound, StorageError, ValidationError
from .paths import default_data_path
from .snapshot import Snapshot
from .transfer import TransferWorkflows, check_data, parse_export
from .workflows.clients import ClientWorkflows
from .workflows.invoices import InvoiceWorkflows, ReminderNotDue
from .workflows.jobs import JobWorkflows
from .workflows.rates import RateWorkflows
from .workflows.settings import SettingsWorkflows

__all__ = [
    "DataFileError", "Deleted", "EditConflict", "NotFound", "ReminderNotDue", "Snapshot", "StorageError", "Store",
    "StoreCore", "ValidationError", "changed_fields", "check_data", "default_data_path", "parse_export",
]


class Store(
    ClientWorkflows, JobWorkflows, RateWorkflows, InvoiceWorkflows, SettingsWorkflows, TransferWorkflows,
):
    """rapport's documents on one data file. Build with :meth:`open`."""
