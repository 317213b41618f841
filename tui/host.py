"""What the flows, forms and modals need of the app: :class:`Host`.

They are opened from every screen, and all they ask of the app is its store,
today's date, to show a modal, to say something and to refresh after a change.
Typed against this protocol rather than against ``RapportApp``, they sit below
the app: the app imports them, never the other way round. ``RapportApp``
is a Host (tests/tui/test_host.py checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from storage.store import Store


@runtime_checkable
class Host(Protocol):
    """The app, as the flows, forms and modals see it."""

    store: Store

    @property
    def today(self) -> dt.date:
        """Today by the store's clock."""
        ...

    def saved(self, message: str) -> None:
        """After a store call returned (the change is on disk): say so, refresh."""
        ...

    def data_changed(self) -> None:
        """The store changed: refresh what is on screen."""
        ...

    def settings_changed(self) -> None:
        """The settings were saved: the time zone and language may differ."""
        ...

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A toast; the message is never markup when ``markup`` is False."""
        ...

    def push_screen(self, screen: Any, callback: Callable[[Any], Any] | None = None) -> Any:
        """Show a modal; ``callback`` gets what it was dismissed with."""
        ...
