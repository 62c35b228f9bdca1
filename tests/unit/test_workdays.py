"""The Working Day calendar against the seed papers and its own laws."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import WorkingDays


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
