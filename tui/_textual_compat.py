"""The one home of what rapport takes from Textual beyond its public API.

Everything else in ``tui/`` uses Textual's documented API only. What is here
was checked against the Textual version pinned in pyproject.toml
(``CHECKED_WITH``); a test fails when another version is installed, so that an
upgrade looks at each item again.

* ``HeaderTitle``: the title widget inside Textual's ``Header``, which
  ``textual.widgets`` does not export. ``tui.widgets.header.Header`` needs the
  class to tell "no title any more, the app is closing" from a real error.
"""

from __future__ import annotations

from textual.widgets._header import HeaderTitle

CHECKED_WITH = "8.2.8"
"""The Textual version every item here was checked with."""

__all__ = ["CHECKED_WITH", "HeaderTitle"]
