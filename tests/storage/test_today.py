""""Today" is the calendar date in the configured time zone, across DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.clock import today_in
from storage.values import ValidationError

UTC = dt.UTC


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        # Madrid is UTC+1 in winter: half past eleven UTC is already tomorrow there.
        ("Europe/Madrid", dt.datetime(2026, 11, 26, 23, 30, tzinfo=UTC), dt.date(2026, 11, 27)),
        ("Europe/Madrid", dt.datetime(2026, 11, 26, 22, 59, tzinfo=UTC), dt.date(2026, 11, 26)),
        # Spring forward (29 March 2026, 01:00 UTC): UTC+2 from then on.
        ("Europe/Madrid", dt.datetime(2026, 3, 28, 22, 59, tzinfo=UTC), dt.date(2026, 3, 28)),
        ("Europe/Madrid", dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC), dt.date(2026, 3, 29)),
        # Fall back (25 October 2026, 01:00 UTC): still UTC+2 on the evening before.
        ("Europe/Madrid", dt.datetime(2026, 10, 24, 21, 59, tzinfo=UTC), dt.date(2026, 10, 24)),
        ("Europe/Madrid", dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC), dt.date(2026, 10, 25)),
        # Behind UTC, and across a year end.
        ("America/Los_Angeles", dt.datetime(2027, 1, 1, 7, 59, tzinfo=UTC), dt.date(2026, 12, 31)),
        ("America/Los_Angeles", dt.datetime(2027, 1, 1, 8, 0, tzinfo=UTC), dt.date(2027, 1, 1)),
        # Far ahead: Auckland is on tomorrow for half the UTC day.
        ("Pacific/Auckland", dt.datetime(2026, 11, 27, 11, 0, tzinfo=UTC), dt.date(2026, 11, 28)),
        ("UTC", dt.datetime(2028, 2, 29, 23, 59, tzinfo=UTC), dt.date(2028, 2, 29)),
    ],
)
def test_today_is_the_date_in_the_configured_zone(zone, instant, expected):
    assert today_in(zone, instant) == expected


def test_no_zone_means_the_machines_zone():
    instant = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert today_in("", instant) == instant.astimezone().date()


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../etc/passwd", "Europe/"])
def test_an_unknown_zone_is_a_clear_error(bad):
    with pytest.raises(ValidationError, match="time zone"):
        today_in(bad, dt.datetime(2026, 11, 27, tzinfo=UTC))
