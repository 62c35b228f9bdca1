"""Snooze is bound to a reminder's audience: a DM reminder is snoozed by the person it went to only."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import time_machine

from bot.app import create_senders, load_settings
from bot.core import Releasebot
from commands.context import Channel
from commands.render import render_text
from domain.reply import Reply
from domain.rules import load_rules
from notifiers.message import button_value
from notifiers.service import ReminderConfig, ReminderService
from store import models as m
from tests.fakeslack import FakeSlack
from tests.integration.test_outbox import rows


@pytest.fixture
async def service(bot: Releasebot) -> AsyncIterator[ReminderService]:
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=bot.db.url, slack_api_url=fake.api_url, slack_bot_token="xoxb-test", slack_channel_interval=0
        )
        async with httpx.AsyncClient() as http:
            yield ReminderService(bot, create_senders(settings, http), load_rules(), ReminderConfig(pace=0))


async def _snooze(bot: Releasebot, row: m.Delivery, user: str, channel: str) -> str:
    actor = bot.actors.resolve("slack", user)
    where = Channel("slack", channel, "", direct=channel.startswith("D"))
    got = await bot.answers.press("reminder_snooze", button_value(row.id or 0, "x"), actor, where)
    assert isinstance(got, Reply)
    return render_text(got)


async def _subscription(bot: Releasebot, row: m.Delivery) -> m.Subscription:
    async with bot.db.session() as session:
        sub = await session.get(m.Subscription, row.subscription_id)
        assert sub is not None
        return sub


async def _in(bot: Releasebot, row: m.Delivery, channel: str) -> bool:
    return (await _subscription(bot, row)).channel_id == channel


async def test_a_dm_vote_reminder_is_snoozed_by_its_member_only(bot: Releasebot, service: ReminderService) -> None:
    with time_machine.travel("2022-06-06 09:00 +0000", tick=False):
        opened = await bot.answers.answer(
            None, "/release june-2022 vote open closes 10 Jun 2022 17:00", bot.actors.resolve("console", "console")
        )
        assert opened.kind == "changed", render_text(opened)
        await service.plan_now()
    mine = next(r for r in await rows(bot.db) if r.kind == "reminder")
    sub = await _subscription(bot, mine)
    owner = sub.channel_id  # a DM vote reminder goes to the member's user id
    others = [u for u in ("U0PANEL01", "U0PANEL02", "U0PANEL03") if u != owner]
    with time_machine.travel("2022-06-08 09:00 +0000", tick=False):
        refused = await _snooze(bot, mine, others[0], "C0RELEASES")
        assert "only they can snooze it" in refused
        assert "only they can snooze it" in await _snooze(bot, mine, "U0STRANGER", owner)  # even naming the DM
        assert "only they can snooze it" in await _snooze(bot, mine, others[1], f"D{owner}")
        assert not [r for r in await rows(bot.db) if r.kind == "snooze"]
        assert "Snoozed" in await _snooze(bot, mine, owner, owner)
    assert len([r for r in await rows(bot.db) if r.kind == "snooze"]) == 1


async def test_a_personal_dm_subscription_is_snoozed_in_that_dm_only(bot: Releasebot, service: ReminderService) -> None:
    dm = Channel("slack", "D0PANEL01", "directmessage", direct=True)
    with time_machine.travel("2022-05-02 09:00 +0000", tick=False):
        done = await bot.answers.answer(
            None, "/release subscribe june-2022", bot.actors.resolve("slack", "U0PANEL01"), dm
        )
        assert done.kind == "changed", render_text(done)
        await service.plan_now()
    dm_rows = [r for r in await rows(bot.db) if r.kind == "reminder" and await _in(bot, r, "D0PANEL01")]
    row = dm_rows[0]
    with time_machine.travel("2022-05-03 09:00 +0000", tick=False):
        assert "only they can snooze it" in await _snooze(bot, row, "U0PANEL02", "C0RELEASES")
        assert "Snoozed" in await _snooze(bot, row, "U0PANEL01", "D0PANEL01")
