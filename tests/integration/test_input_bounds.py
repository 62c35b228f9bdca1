"""Every date a person can give is bounded (1990-2100), and every free text by its length, in the
command language and in the store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from bot.core import Releasebot
from commands.render import render_text
from domain.refusals import DateOutOfRange, TextTooLong
from domain.reply import Reply
from store.changes.holidays import AddHoliday
from store.changes.milestones import AddMilestone
from store.polls import OpenPoll
from store.votes import Press
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
        "/release june-2021 rid as of 9999-12-31",
        "/release report panel since 1900-01-01",
        "/release june-2022 impacts as of 9999-12-31",
        '/release june-2022 criterion add "Tested" effective 1900-01-01',
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
        assert "Internal error" not in text and ("30,000" in text or BOUND in text or "4,000" in text), text
    # The edges themselves still count.
    assert "Fri 31 Dec 2100" in await ask(bot, "/workdays 2100-12-30 +1")
    assert "Tue 2 Jan 1990" in await ask(bot, "/workdays 1990-01-03 -1")


async def test_a_month_out_of_range_is_refused(bot: Releasebot) -> None:
    text = await ask(bot, "/release report status 2150-01")
    assert "out of range" in text and "Dec 2100" in text


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


HUNDRED_KB = "word " * 20_000


@pytest.mark.parametrize(
    ("line", "limit"),
    [
        ('/release june-2022 add MP999 "{x}"', "200"),
        ("/release june-2022 remove MP099 reason {x}", "500"),
        ("/release june-2022 milestone add other 2026-12-01 {x}", "200"),
        ("/release june-2022 milestone go_live 2026-12-01 reason {x}", "500"),
        ("/release holiday add 2030-03-06 {x}", "100"),
        ('/release june-2022 vote open closes 2030-06-10 "{x}"', "300"),
    ],
)
async def test_free_text_past_its_limit_is_refused_with_the_limit(bot: Releasebot, line: str, limit: str) -> None:
    version = bot.snapshot.version
    long = "a" * (int(limit) + 1)
    got = await reply(bot, line.format(x=long))
    text = render_text(got)
    assert got.is_error and f"{limit} at most" in text and long not in text, text
    assert bot.snapshot.version == version
    just = await reply(bot, line.format(x="b" * int(limit)))
    assert "at most" not in render_text(just)  # the limit itself is fine


async def test_a_100_kb_vote_comment_is_refused_with_a_short_answer(bot: Releasebot) -> None:
    with time_machine.travel("2022-06-06 09:00 +0000", tick=False):
        opened = await reply(bot, "/release june-2022 vote open closes 10 Jun 2022 17:00")
        assert opened.kind == "changed", render_text(opened)
        typed = render_text(await reply(bot, f"/release june-2022 vote go {HUNDRED_KB}", user="U0PANEL01"))
        assert "too long" in typed and len(typed) < 2_000
        typed_4k = render_text(await reply(bot, f"/release june-2022 vote go {'c' * 3_000}", user="U0PANEL01"))
        assert "500 at most" in typed_4k and len(typed_4k) < 2_000
        panel = bot.actors.resolve("console", "U0PANEL01")
        pressed = await bot.answers.press("vote", f"1:go:{HUNDRED_KB}", panel)  # a button or a Teams card
        assert isinstance(pressed, Reply) and pressed.is_error
        assert "500 characters at most" in render_text(pressed) and len(render_text(pressed)) < 2_000
        with pytest.raises(TextTooLong):  # the store's own check, whoever builds the press
            Press(1, panel.member_id, panel.role, panel.label, "go", HUNDRED_KB).check()
        shown = render_text(await reply(bot, "/release june-2022 vote"))
        assert "word word" not in shown and len(shown) < 5_000


async def test_help_says_the_text_limits(bot: Releasebot) -> None:
    assert "reasons and notes 500" in await ask(bot, "help admin")
    assert "comments 500" in await ask(bot, "help polls")


@pytest.mark.parametrize(
    ("line", "limit"),
    [
        ('/release june-2022 summary add dcc "Testing" "{x}"', "1,000"),
        ('/release june-2022 criterion add "{x}"', "1,000"),
        ('/release june-2022 cost add DCC implementation 100 "{y}"', "500"),
    ],
)
async def test_rid_content_text_past_its_limit_is_refused(bot: Releasebot, line: str, limit: str) -> None:
    got = await reply(bot, line.format(x="w" * 1_001, y="n" * 501))
    assert got.is_error and f"{limit} at most" in render_text(got), render_text(got)
