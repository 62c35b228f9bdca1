"""The one Working Day calendar: weekends, England & Wales bank holidays, admin-added holidays.

Pure: build a `WorkingDays` from the one-off holidays in the store and ask it questions. Every
question costs the same whatever the distance between the dates: weekdays are counted with
arithmetic on day ordinals (whole weeks), non-working weekdays with a bisect over a sorted list.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from domain.bankholidays import england_and_wales

__all__ = [
    "EARLIEST",
    "LATEST",
    "LONDON",
    "RANGE_TEXT",
    "WorkingDays",
    "bank_holidays",
    "in_range",
    "local_date",
    "london_to_utc",
    "wall_clock_exists",
]

LONDON = ZoneInfo("Europe/London")
# The dates a person may give: the SEC began in 2013, and nothing is planned past this century.
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
RANGE_TEXT = "1 Jan 1990 to 31 Dec 2100"  # said in the usage and in every refusal of a date out of range


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


@lru_cache(maxsize=512)
def _bank_holidays_for(year: int) -> Mapping[date, str]:
    return england_and_wales(year)


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
    return datetime.combine(day, at or time(0), tzinfo=LONDON).astimezone(UTC)


def wall_clock_exists(day: date, at: time) -> bool:
    """False for a London time the clocks skip (01:00-01:59 on the last Sunday of March)."""
    naive = datetime.combine(day, at)
    there_and_back = naive.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    return there_and_back == naive


def _weekdays_to(ordinal: int) -> int:
    """Weekdays among the days with ordinals 1..`ordinal` (ordinal 1, 1 Jan 0001, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _nth_weekday(k: int) -> int:
    """The ordinal of the k-th weekday (k >= 1), the inverse of `_weekdays_to` on weekdays."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


class _BankWeekdays:
    """Ordinals of bank holidays falling on weekdays, sorted, for a span of years grown on demand.

    The span and its list are replaced together (one assignment), so a reader in another
    thread (documents are built in worker threads) never sees a list that does not match.
    """

    def __init__(self) -> None:
        self._state: tuple[int, int, list[int]] = (0, -1, [])

    def cover(self, lo: int, hi: int) -> list[int]:
        """The sorted list, covering at least the years of ordinals lo..hi."""
        first, last, ordinals = self._state
        want_first, want_last = date.fromordinal(max(lo, 1)).year, date.fromordinal(max(hi, 1)).year
        if want_first < first or want_last > last or last < first:
            first = want_first if last < first else min(first, want_first)
            last = max(last, want_last)
            found = bank_holidays(range(first, last + 1))
            ordinals = sorted(d.toordinal() for d in found if d.weekday() < 5)
            self._state = (first, last, ordinals)
        return ordinals


_BANK = _BankWeekdays()


class WorkingDays:
    """Counts Working Days: not Saturday or Sunday, not a bank holiday, not an extra holiday."""

    def __init__(self, extra: Mapping[date, str] | None = None) -> None:
        self.extra: Mapping[date, str] = dict(extra or {})
        # Extra holidays on weekdays that are not bank holidays already: each counts once.
        self._extra = sorted(
            d.toordinal() for d in self.extra if d.weekday() < 5 and d not in _bank_holidays_for(d.year)
        )

    def with_holiday(self, day: date, name: str) -> WorkingDays:
        return WorkingDays({**self.extra, day: name})

    def holiday_name(self, day: date) -> str | None:
        return self.extra.get(day) or _bank_holidays_for(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def _holidays(self, lo: int, hi: int) -> int:
        """Non-working weekdays with ordinals in lo..hi (both included)."""
        if hi < lo:
            return 0
        bank = _BANK.cover(lo, hi)
        count = bisect.bisect_right(bank, hi) - bisect.bisect_left(bank, lo)
        return count + bisect.bisect_right(self._extra, hi) - bisect.bisect_left(self._extra, lo)

    def add(self, day: date, n: int) -> date:
        """The date n Working Days after `day` (before it when n is negative); n=0 gives `day`.

        Solved as a fixed point: the k-th weekday, moved on by the holidays met on the way, until
        no new holiday is met. The point reached is never a holiday (it would have been met).
        """
        if n == 0:
            return day
        start = day.toordinal()
        skipped = 0
        if n > 0:
            while True:
                target = _nth_weekday(_weekdays_to(start) + n + skipped)
                met = self._holidays(start + 1, target)
                if met == skipped:
                    return date.fromordinal(target)
                skipped = met
        while True:
            target = _nth_weekday(_weekdays_to(start - 1) + 1 + n - skipped)
            met = self._holidays(target, start - 1)
            if met == skipped:
                return date.fromordinal(target)
            skipped = met

    def between(self, start: date, end: date) -> int:
        """Working Days from `start` to `end`: after start up to and including end when end is later;
        minus those from end up to but excluding start when it is earlier.

        This is the inverse of `add`: between(d, add(d, n)) == n for every d and n.
        """
        a, b = start.toordinal(), end.toordinal()
        if b >= a:
            return _weekdays_to(b) - _weekdays_to(a) - self._holidays(a + 1, b)
        return -(_weekdays_to(a - 1) - _weekdays_to(b - 1) - self._holidays(b, a - 1))

    def roll_forward(self, day: date) -> date:
        """`day` itself if it is a Working Day, else the next one."""
        return day if self.is_working_day(day) else self.add(day, 1)

    def non_working_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Holidays falling on weekdays in (start, end], named, for explaining a count."""
        lo, hi = min(start, end).toordinal() + 1, max(start, end).toordinal()
        if hi < lo:
            return []
        bank = _BANK.cover(lo, hi)
        days = bank[bisect.bisect_left(bank, lo) : bisect.bisect_right(bank, hi)]
        days += self._extra[bisect.bisect_left(self._extra, lo) : bisect.bisect_right(self._extra, hi)]
        found = [date.fromordinal(d) for d in sorted(days)]
        return [(d, self.holiday_name(d) or "") for d in found]
