"""Every date a person can give is bounded (1990-2100), in the command language and in the store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core import Releasebot
from commands.render import render_text
from domain.refusals import DateOutOfRange
from store.changes.holidays import AddHoliday
from store.changes.milestones import AddMilestone
from store.polls import OpenPoll
from tests.helpers import ask, reply

BOUND = "1 Jan 1990 to 31 Dec 2100"


@pytest.mark.parametrize(
    "line",
    [
        "/release june-2022 milestone add go_live 9999-12-31",
        "/release june-2022 milestone add go_live 1 Jan 2101 14:00",
        "/release june-2022 milestone go_live 9999-12-31 reason later",
        "/release june-2022 vote open closes 9999-12-31 17:00",
        "/release holiday add 9999-12-31 Far away",
        "/release june-2022 scope as of 9999-12-31",
        "/release june-2022 changes since 0001-01-01",
        "/workdays 9999-12-31 -1",
        "/workdays 2021-01-01 to 9999-12-31",
    ],
)
async def test_a_date_out_of_range_is_refused_with_the_bound(bot: Releasebot, line: str) -> None:
    version = bot.snapshot.version
    got = await reply(bot, line)
    text = render_text(got)
    assert got.is_error and BOUND in text and "Internal error" not in text
    assert "Usage" in text
    assert bot.snapshot.version == version  # nothing changed


async def test_huge_working_day_counts_are_refused_at_once(bot: Releasebot) -> None:
    for line in (
        "/workdays 2021-01-01 +" + "9" * 40,
        "/workdays 2021-01-01 +" + "9" * 5000,
        "/workdays 2100-12-01 +25",
    ):
        text = await ask(bot, line)
        assert "Internal error" not in text and ("30,000" in text or BOUND in text), text
    # The edges themselves still count.
    assert "Fri 31 Dec 2100" in await ask(bot, "/workdays 2100-12-30 +1")
    assert "Tue 2 Jan 1990" in await ask(bot, "/workdays 1990-01-03 -1")


async def test_help_says_the_bound(bot: Releasebot) -> None:
    for topic in ("workdays", "admin", "polls"):
        assert "31 Dec 2100" in await ask(bot, f"help {topic}")


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1989, 12, 31)])
async def test_the_store_refuses_dates_out_of_range_whoever_asks(bot: Releasebot, day: date) -> None:
    changes = [
        AddMilestone("test", "june-2022", "go_live", day, None),
        AddHoliday("test", day, "Far away"),
        OpenPoll("test", "june-2022", datetime.combine(day, datetime.min.time(), UTC), None, False, "Go?"),
    ]
    for change in changes:
        with pytest.raises(DateOutOfRange):
            await bot.writer.write(change)
