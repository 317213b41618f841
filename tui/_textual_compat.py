"""The one home of what rapport takes from Textual beyond its public API.

Everything else in ``tui/`` uses Textual's documented API only. What is here
was checked against the Textual version pinned in pyproject.toml
(``CHECKED_WITH``); a test fails when another version is installed, so that an
upgrade looks at each item again.

* ``HeaderTitle``: the title widget inside Textual's ``Header``, which
  ``textual.widgets`` does not export. ``tui.widgets.header.Header`` needs the
  class to tell "no title any more, the app is closing" from a real error.
* ``on_frame``: a hook on each frame painted (``App._display``), for the
  benchmarks' key-to-frame figures; the app itself never uses it.
"""

from __future__ import annotations

from textual.widgets._header import HeaderTitle

CHECKED_WITH = "8.2.8"
"""The Textual version every item here was checked with."""

__all__ = ["CHECKED_WITH", "HeaderTitle"]


def on_frame(app, callback) -> None:
    """Call ``callback(screen)`` each time ``app`` paints a frame with an
    update (App._display; Textual's headless driver skips only the terminal
    write). For the benchmarks (tests/benchmarks/startup.py) only: Textual has
    no public hook for "a frame was painted"."""
    display = app._display

    def timed_display(screen, renderable) -> None:
        if renderable is not None:
            callback(screen)
        display(screen, renderable)

    app._display = timed_display


__all__ += ["on_frame"]
