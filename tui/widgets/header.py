"""The header at the top of every screen: Textual's, naming the screen.

It reads "Overdue board · rapport · Tuesday 1 December 2026": the screen's
name (its ``TITLE``, in the configured language), the app's, and the date
(the app's ``sub_title``).

Textual's Header sets its title from watchers of the app's and the screen's
titles. As the app closes, a watcher can still run on the Header of a screen
mounted in the background just before, after the title widget inside it was
removed: its ``query_one(HeaderTitle)`` then raises NoMatches, and quitting
ends in a traceback. This one finds nothing to update then, and says nothing.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Header as TextualHeader

from .._textual_compat import HeaderTitle
from ..i18n import _


def screen_name(screen) -> str:
    """The name of ``screen`` as the header and help say it, in the language
    shown ("" if it has none): its ``TITLE``, marked ``N_`` where it is set."""
    title = screen.title
    app_title = screen.app.title
    return _(title) if title and title != app_title else ""


class Header(TextualHeader):
    def format_title(self) -> Content:
        """``Overdue board · rapport · Tuesday 1 December 2026``."""
        app = self.app
        name = screen_name(self.screen)
        parts: list[Content] = [Content.styled(name, "bold")] if name else []
        parts.append(Content(app.title))
        if self.screen_sub_title:
            parts.append(Content(self.screen_sub_title))
        return Content(" · ").join(parts)

    def query_one(self, selector, expect_type=None):  # type: ignore[override]
        try:
            return super().query_one(selector, expect_type)
        except NoMatches:
            if selector is not HeaderTitle or self.app.is_running:
                raise
            return HeaderTitle()  # the app is closing: an update nobody will see
