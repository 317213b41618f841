"""The header at the top of every screen: Textual's, safe to take down early.

Textual's Header sets its title from watchers of the app's and the screen's
titles. As the app closes, a watcher can still run on the Header of a screen
mounted in the background just before, after the title widget inside it was
removed: its ``query_one(HeaderTitle)`` then raises NoMatches, and quitting
ends in a traceback. This one finds nothing to update then, and says nothing.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.widgets import Header as TextualHeader

from .._textual_compat import HeaderTitle


class Header(TextualHeader):
    def query_one(self, selector, expect_type=None):  # type: ignore[override]
        try:
            return super().query_one(selector, expect_type)
        except NoMatches:
            if selector is not HeaderTitle or self.app.is_running:
                raise
            return HeaderTitle()  # the app is closing: an update nobody will see
