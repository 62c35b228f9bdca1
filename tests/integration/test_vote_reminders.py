"""Panel members who have not voted get a direct message 1 WD before close and on the morning of
close, through the reminders outbox (never doubled); a member who votes gets no more."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import time_machine

from bot.app import create_senders, load_settings
from bot.core import Releasebot
from commands.render import render_text
from commands.render.checks import check_slack_blocks
from domain.rules import load_rules
from notifiers.service import ReminderConfig, ReminderService
from tests.fakeslack import FakeSlack
from tests.integration.test_outbox import rows

PANEL = [f"U0PANEL0{n}" for n in range(1, 6)]


@pytest.fixture
async def service(bot: Releasebot) -> AsyncIterator[tuple[ReminderService, FakeSlack]]:
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=bot.db.url, slack_api_url=fake.api_url, slack_bot_token="xoxb-test", slack_channel_interval=0
        )
        async with httpx.AsyncClient() as http:
            yield ReminderService(bot, create_senders(settings, http), load_rules(), ReminderConfig(pace=0)), fake


async def say(bot: Releasebot, line: str, user: str = "console") -> str:
    return render_text(await bot.answers.answer(None, line, bot.actors.resolve("console", user)))


async def test_non_voters_are_reminded_twice_and_voters_not_at_all(
    bot: Releasebot, service: tuple[ReminderService, FakeSlack]
) -> None:
    reminders, fake = service
    with time_machine.travel("2022-06-06 09:00 +0000", tick=False):  # Monday
        opened = await say(bot, '/release june-2022 vote open closes 10 Jun 2022 17:00 "Go live on 30 June?"')
        assert "Go live on 30 June?" in opened
        assert "Fri 10 Jun 2022 17:00 · Panel go/no-go poll #1 closes" in await say(bot, "/release june-2022 timeline")
        await reminders.plan_now()
        again = await reminders.plan_now()
        assert not again  # planning twice adds nothing
    planned = [r for r in await rows(bot.db) if r.kind == "reminder"]
    when = sorted({r.due_at.strftime("%a %d %b %H:%M UTC") for r in planned})
    # 1 WD before (Thursday) and the morning of close, at 09:00 Europe/London (BST = UTC+1).
    assert when == ["Fri 10 Jun 08:00 UTC", "Thu 09 Jun 08:00 UTC"]
    assert len(planned) == 2 * len(PANEL)
    with time_machine.travel("2022-06-07 12:00 +0000", tick=False):
        await say(bot, "/release june-2022 vote go", user=PANEL[0])
    with time_machine.travel("2022-06-09 08:00 +0000", tick=False):
        assert await reminders.dispatch_due() == 4
    calls = fake.calls_to("chat.postMessage")
    assert sorted(c.body["channel"] for c in calls) == PANEL[1:]
    message = calls[0].body
    assert check_slack_blocks(message["blocks"]) == []
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert "you have not voted yet" in shown and "Fri 10 Jun 2022 17:00" in shown and "Go live on 30 June?" in shown
    # The buttons in the DM vote.
    go = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "Go"
    )
    with time_machine.travel("2022-06-09 09:00 +0000", tick=False):
        voted = await bot.answers.press("vote", go["value"], bot.actors.resolve("slack", message["channel"]))
        assert "Your vote on June 2022 SEC Release: Go" in render_text(voted)  # type: ignore[arg-type]
    withdrawn = {r.last_error for r in await rows(bot.db, state="withdrawn")}
    assert "voted" in withdrawn  # PANEL[0]'s Thursday reminder
    with time_machine.travel("2022-06-10 08:00 +0000", tick=False):
        assert await reminders.dispatch_due() == 3  # PANEL[0] and the member who voted from the DM get none
        await say(bot, "/release june-2022 vote close")
        await reminders.plan_now()
        assert await reminders.dispatch_due() == 0
    sent = [r for r in await rows(bot.db, state="sent") if r.kind == "reminder"]
    assert len(sent) == 7 and len({r.dedupe_key for r in sent}) == 7
