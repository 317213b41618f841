"""The private Textual names rapport uses live in one module, checked with one version."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from tui import _textual_compat

TUI = Path(__file__).resolve().parents[2] / "tui"


def test_the_compat_module_was_checked_with_the_installed_textual():
    # Textual 8.2.8: an upgrade must look at each item of tui/_textual_compat.py again.
    assert _textual_compat.CHECKED_WITH == "8.2.8"
    assert version("textual") == _textual_compat.CHECKED_WITH


def test_no_private_textual_module_is_imported_outside_the_compat_module():
    private = re.compile(r"^\s*(from|import)\s+textual(\.\w+)*\._\w+", re.M)
    # widgets/table.py (a DataTable with private overrides) is being replaced
    # by a Line-API table of its own (issue 20): until then it is the exception.
    exempt = {"_textual_compat.py", "widgets/table.py"}
    offenders = [
        name for path in TUI.rglob("*.py")
        if (name := path.relative_to(TUI).as_posix()) not in exempt and private.search(path.read_text())
    ]
    assert offenders == []
