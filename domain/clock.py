"""The one place that reads the wall clock. Everything else is handed a `Clock`.

A clock is a function returning an aware UTC instant. Production passes `system_clock`; tests
and the demo pass a fixed or shifted one, so "today", Working Days to go, poll deadlines and the
reminder planner all agree on what day it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["Clock", "fixed_clock", "shifted_clock", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC: the real clock."""
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock that always says `instant` (tests)."""
    if instant.tzinfo is None:
        raise ValueError("a clock gives aware instants")
    return lambda: instant


def shifted_clock(today: date, zone: ZoneInfo, base: Clock = system_clock, start: time = time(9, 0)) -> Clock:
    """A clock that lives on `today` (the demo's "as if it were 4 Dec 2020") and keeps running:
    it starts at `start` local time on that day and advances with the real clock."""
    origin = base()
    at = datetime.combine(today, start, tzinfo=zone).astimezone(UTC)
    offset: timedelta = at - origin
    return lambda: base() + offset
