"""The bank holidays loaded from the United Kingdom's module alone are the package's own."""

from __future__ import annotations

from domain.bankholidays import england_and_wales, from_package
from domain.calendar import EARLIEST, LATEST


def test_every_year_a_person_may_name_matches_the_package() -> None:
    for year in range(EARLIEST.year, LATEST.year + 1):
        assert england_and_wales(year) == from_package(year), year


def test_known_days_and_names() -> None:
    days = england_and_wales(2022)
    assert days[max(days)] == "Christmas Day (observed)"
    assert any("Platinum Jubilee" in name for name in days.values())
