"""The one clock: every "now" and "today" rapport stores, shows or compares.

Nothing else in ``storage/`` or ``tui/`` reads the wall clock for a date
(``tests/storage/test_clock.py`` greps for it). The store is given a clock once
(:meth:`storage.store.Store.open`) and everything reads it from there: the
timestamps of documents, backup names, migrations, drafts' ``Date:`` and the
app's "today".

- :class:`SystemClock` is the real one: "now" as an aware wall time in the
  configured time zone (asked for on each call, so a change of the settings'
  zone applies at once), and "today" as its calendar date.
- :class:`DayClock` is ``--today``: the date is fixed for the whole run, and
  "now" is that date at the real time of day, so timestamps and backup names
  made during the run are in order and carry the date the user asked for.
- :class:`FixedClock` stands still (tests): one instant, moved only by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from .i18n import _

UTC = dt.UTC

ZoneSource = Callable[[], str | None]
"""Gives the configured IANA time zone, or None/"" for the machine's own."""


class Clock(Protocol):
    """What rapport asks of time."""

    def now(self) -> dt.datetime:
        """This instant, timezone-aware, as wall time where the user lives."""
        ...

    def today(self) -> dt.date:
        """The calendar date where the user lives: always ``now().date()``."""
        ...


def zone(name: str | None) -> dt.tzinfo | None:
    """The tzinfo for an IANA name; None for the machine's own zone.

    The standard library's zoneinfo reads the same IANA database pendulum uses,
    and costs a fraction of pendulum's import time on every ``rapport today``.
    Raises ValidationError for a name that is not a time zone.
    """
    if not name:
        return None
    import zoneinfo

    from .values import ValidationError

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("timezone", _("{value!r} is not a time zone such as Europe/Madrid").format(
            value=name)) from None


def local(instant: dt.datetime, zone_name: str | None) -> dt.datetime:
    """``instant`` (aware) as wall time in ``zone_name`` (the machine's zone when empty)."""
    return instant.astimezone(zone(zone_name))


def today_in(zone_name: str | None, instant: dt.datetime) -> dt.date:
    """The calendar date at ``instant`` (aware) in ``zone_name``."""
    return local(instant, zone_name).date()


def stamp(instant: dt.datetime) -> str:
    """A timestamp for ``created_at``/``updated_at``: UTC, seconds, ``Z``."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _no_zone() -> str | None:
    return None


class SystemClock:
    """The wall clock, read in the time zone ``zone_source`` names."""

    def __init__(self, zone_source: ZoneSource = _no_zone) -> None:
        self.zone_source = zone_source

    def now(self) -> dt.datetime:
        return local(dt.datetime.now(UTC), self.zone_source())

    def today(self) -> dt.date:
        return self.now().date()


class DayClock:
    """``--today DAY``: that date all run long, at the real time of day."""

    def __init__(self, day: dt.date, zone_source: ZoneSource = _no_zone) -> None:
        self.day = day
        self.zone_source = zone_source

    def now(self) -> dt.datetime:
        wall = local(dt.datetime.now(UTC), self.zone_source())
        return dt.datetime.combine(self.day, wall.timetz())

    def today(self) -> dt.date:
        return self.day


class FixedClock:
    """A clock that stands still: ``day`` at ``time`` UTC (tests, benchmarks).

    Move it by assigning ``day`` or calling :meth:`advance`.
    """

    def __init__(self, day: dt.date, time: dt.time = dt.time(9, 0)) -> None:
        self.day = day
        self.time = time

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.time, tzinfo=UTC)

    def today(self) -> dt.date:
        return self.day

    def advance(self, **delta: float) -> None:
        """Move on by a ``timedelta(**delta)``."""
        moved = self.now() + dt.timedelta(**delta)
        self.day, self.time = moved.date(), moved.time()
