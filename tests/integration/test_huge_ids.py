"""Numbers far past any id (10^25) in commands and button values get a refusal, never "Internal error"."""

from __future__ import annotations

import json

import pytest

from bot.core import Releasebot
from commands.render import render_text
from domain.reply import Reply
from tests.helpers import reply

HUGE = str(10**25)
FAILURES = ("Internal error", "Store unavailable")

LINES = [
    f"/release undo {HUGE}",
    f"/release undo #{HUGE}",
    f"/release audit {HUGE}",
    f"/release june-2022 milestone #{HUGE} 2022-06-01",
    f"/release june-2022 milestone #{HUGE} cancel",
    f"/release june-2022 scope page {HUGE}",
    f"/release unsubscribe #{HUGE}",
    f"/release june-2022 vote open quorum {HUGE}",
    f"/release june-2022 rid version {HUGE}.0",
    f"/workdays 2021-01-01 +{HUGE}",
    f"/release due {HUGE} WD",
]

BUTTONS = [
    ("vote", f"{HUGE}:go"),
    ("vote", f"{HUGE}:go:a comment"),
    ("reminder_done", json.dumps({"d": 10**25, "m": "june-2022/go-live"})),
    ("reminder_snooze", json.dumps({"d": 10**25, "m": "june-2022/go-live"})),
    ("reminder_snooze", json.dumps({"d": "x", "m": "june-2022/go-live"})),
    ("reminder_snooze", "not json"),
    ("page", json.dumps({"c": "/release june-2022 scope", "p": 10**25})),
]


async def test_huge_numbers_in_commands_are_refused(bot: Releasebot) -> None:
    await reply(bot, "/release holiday add 2030-03-06 Office move")  # so undo has something to look past
    for line in LINES:
        got = await reply(bot, line)
        assert got.title not in FAILURES and "went wrong" not in render_text(got), (line, render_text(got))


@pytest.mark.parametrize(("action", "value"), BUTTONS)
async def test_huge_or_malformed_button_values_are_refused(bot: Releasebot, action: str, value: str) -> None:
    for user in ("console", "U0PANEL01"):
        got = await bot.answers.press(action, value, bot.actors.resolve("console", user))
        if isinstance(got, Reply):
            assert got.title not in FAILURES and "went wrong" not in render_text(got), (action, render_text(got))
