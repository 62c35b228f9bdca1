"""The one Working Day calendar: weekends, England & Wales bank holidays, admin-added holidays.

Pure: build a `WorkingDays` from the one-off holidays in the store and ask it questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = ["LONDON", "WorkingDays", "bank_holidays", "local_date", "london_to_utc", "wall_clock_exists"]

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays_for(year: int) -> Mapping[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(years: Iterable[int]) -> dict[date, str]:
    """England & Wales bank holidays for the given years, from the `holidays` package."""
    result: dict[date, str] = {}
    for year in years:
        result.update(_bank_holidays_for(year))
    return result


def local_date(instant: datetime) -> date:
    """The Europe/London calendar date of an aware instant."""
    return instant.astimezone(LONDON).date()


def london_to_utc(day: date, at: time | None = None) -> datetime:
    """The UTC instant of a Europe/London wall-clock time (midnight when no time is given)."""
    return datetime.combine(day, at or time(0), tzinfo=LONDON).astimezone(timezone.utc)


def wall_clock_exists(day: date, at: time) -> bool:
    """False for a London time the clocks skip (01:00-01:59 on the last Sunday of March)."""
    naive = datetime.combine(day, at)
    there_and_back = naive.replace(tzinfo=LONDON).astimezone(timezone.utc).astimezone(LONDON).replace(tzinfo=None)
    return there_and_back == naive


class WorkingDays:
    """Counts Working Days: not Saturday or Sunday, not a bank holiday, not an extra holiday."""

    def __init__(self, extra: Mapping[date, str] | None = None) -> None:
        self.extra: dict[date, str] = dict(extra or {})

    def holiday_name(self, day: date) -> str | None:
        return self.extra.get(day) or _bank_holidays_for(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add(self, day: date, n: int) -> date:
        """The date n Working Days after `day` (before it when n is negative); n=0 gives `day`."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = day
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def between(self, start: date, end: date) -> int:
        """Working Days from `start` to `end`: after start up to and including end when end is later;
        minus those from end up to but excluding start when it is earlier.

        This is the inverse of `add`: between(d, add(d, n)) == n for every d and n.
        """
        if end < start:
            return -sum(1 for i in range((start - end).days) if self.is_working_day(end + timedelta(days=i)))
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=i)))

    def roll_forward(self, day: date) -> date:
        """`day` itself if it is a Working Day, else the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def non_working_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Holidays falling on weekdays in (start, end], named, for explaining a count."""
        lo, hi = min(start, end), max(start, end)
        found: list[tuple[date, str]] = []
        day = lo + timedelta(days=1)
        while day <= hi:
            name = self.holiday_name(day)
            if name and day.weekday() < 5:
                found.append((day, name))
            day += timedelta(days=1)
        return found
