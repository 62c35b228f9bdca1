"""The Working Day calendar against the seed papers and its own laws."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import command_table
from commands.language import ParseError
from commands.parse import parse
from domain.calendar import EARLIEST, LATEST, WorkingDays
from domain.words import read_date, read_month, tokenize


def test_reproduces_the_2016_paper() -> None:
    cal = WorkingDays()
    change_board = date(2016, 11, 23)
    referral_end = cal.add(change_board, 10)
    assert referral_end == date(2016, 12, 7)
    assert cal.add(referral_end, 5) == date(2016, 12, 14)


def test_christmas_2020_bank_holidays_are_skipped() -> None:
    # 26 Dec 2020 is a Saturday, so Boxing Day is observed on Monday 28 Dec.
    cal = WorkingDays()
    assert cal.add(date(2020, 12, 11), 10) == date(2020, 12, 29)
    assert not cal.is_working_day(date(2020, 12, 28))
    assert cal.holiday_name(date(2020, 12, 28)) == "Boxing Day (observed)"


def test_one_off_holiday_from_the_store_counts() -> None:
    extra = {date(2030, 3, 6): "Office move"}  # a Wednesday with no bank holiday
    assert WorkingDays().add(date(2030, 3, 5), 1) == date(2030, 3, 6)
    assert WorkingDays(extra).add(date(2030, 3, 5), 1) == date(2030, 3, 7)


def test_state_funeral_2022_is_not_a_working_day() -> None:
    cal = WorkingDays()
    assert not cal.is_working_day(date(2022, 9, 19))
    assert cal.add(date(2022, 9, 16), 1) == date(2022, 9, 20)


def test_subtracting_counts_backwards() -> None:
    cal = WorkingDays()
    assert cal.add(date(2016, 12, 14), -5) == date(2016, 12, 7)
    assert cal.between(date(2016, 12, 14), date(2016, 11, 23)) == -15


def test_weekend_start_counts_from_the_next_working_day() -> None:
    cal = WorkingDays()
    saturday = date(2021, 2, 13)
    assert cal.add(saturday, 1) == date(2021, 2, 15)
    assert cal.roll_forward(saturday) == date(2021, 2, 15)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(start=days, n=st.integers(min_value=-400, max_value=400))
def test_between_is_the_inverse_of_add(start: date, n: int) -> None:
    cal = WorkingDays()
    assert cal.between(start, cal.add(start, n)) == n


@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_adding_lands_on_a_working_day_and_skips_only_non_working_days(start: date, n: int) -> None:
    cal = WorkingDays()
    end = cal.add(start, n)
    assert cal.is_working_day(end)
    skipped = [start + timedelta(days=k) for k in range(1, (end - start).days)]
    assert sum(cal.is_working_day(d) for d in skipped) == n - 1


def test_counting_costs_the_same_whatever_the_distance(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixed point meets each run of holidays once: a few holiday lookups, never one per day.
    cal = WorkingDays()
    lookups: list[tuple[int, int]] = []
    real = WorkingDays._holidays
    monkeypatch.setattr(WorkingDays, "_holidays", lambda self, lo, hi: lookups.append((lo, hi)) or real(self, lo, hi))
    far = cal.add(EARLIEST, 28_000)
    assert len(lookups) < 12
    lookups.clear()
    assert cal.between(EARLIEST, far) == 28_000 and len(lookups) == 1
    assert cal.add(far, -28_000) <= EARLIEST + timedelta(days=3)


def test_days_one_by_one_agree_with_the_arithmetic_over_a_decade() -> None:
    cal, day, count = WorkingDays({date(2030, 3, 6): "Office move"}), date(2025, 1, 1), 0
    while day < date(2035, 1, 1):
        day += timedelta(days=1)
        count += cal.is_working_day(day)
        if day.day == 1:
            assert cal.between(date(2025, 1, 1), day) == count


@pytest.mark.parametrize(
    "line",
    [
        "2021-01-01 +999999999999999999999999",
        "2021-01-01 +" + "9" * 5000,
        "2021-01-01 +30001",
        "9999-12-31 -1",
        "0001-01-01",
        "2021-01-01 to 9999-12-31",
        "+١٢٣",  # Arabic-Indic digits are not a number of Working Days here
    ],
)
def test_dates_and_counts_out_of_range_are_parse_errors(line: str) -> None:
    got = parse(command_table().grammar, "workdays", line, date(2021, 6, 1))
    assert isinstance(got, ParseError), got
    assert any(w in got.message for w in ("1 Jan 1990 to 31 Dec 2100", "30,000", "whole number", "4,000")), got


@pytest.mark.parametrize("word", ["9999-12-31", "31/12/1989", "1 Jan 2101", "0000-01-01"])
def test_read_date_keeps_to_the_range_unless_asked(word: str) -> None:
    assert read_date([word], 0, date(2021, 6, 1)) is None
    far = read_date(tokenize(word), 0, date(2021, 6, 1), bounded=False)
    assert word == "0000-01-01" or (far is not None and not EARLIEST <= far[0] <= LATEST)
    assert read_month(["0000-01"], 0) is None and read_month(["Jan", "2101"], 0) is None
