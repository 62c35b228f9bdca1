"""Polls and reminders in Teams: Action.Execute votes with the same rules as Slack, the shared card
kept up to date, and reminders (channel and direct message) sent proactively through the outbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.app import create_senders
from bot.teams.sender import TeamsBotSender
from commands.render.checks import check_adaptive_card
from domain.rules import load_rules
from notifiers.senders import Pacer
from notifiers.service import ReminderConfig, ReminderService
from store.changes import AddMember
from tests.helpers import SettableClock
from tests.teamsharness import TeamsHarness, teams_harness
from tests.teamsreq import card_action, installation_update, message, user

ADMIN_AAD = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
ALEX_AAD = "6f1c2a8e-4b7d-4e0a-9c35-2d8e1f0a7b11"  # a Panel member in the demo data
CHANNEL = "19:releases0000000000000000000000@thread.tacv2"
ADMIN = user(aad=ADMIN_AAD, teams_id="29:1-tess", name="Tess Admin")
ALEX = user(aad=ALEX_AAD, teams_id="29:1-alex", name="Alex M")
STRANGER = user(aad="00000000-1111-4222-8333-444444444444", teams_id="29:1-someone", name="Someone")


def text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
async def teams(database_url: str, clock: SettableClock) -> AsyncIterator[TeamsHarness]:
    async with teams_harness(database_url, clock=clock) as harness:
        await harness.bot.writer.write(AddMember("test", "teams", ADMIN_AAD, "admin", "Tess Admin"))
        yield harness


async def _say(
    teams: TeamsHarness, line: str, sender: dict[str, Any], conversation: str = CHANNEL, kind: str = "channel"
) -> dict[str, Any]:
    before = len(teams.connector.calls)
    await teams.post(
        message(
            teams.connector.url,
            line,
            conversation=conversation,
            conversation_type=kind,
            sender=sender,
            mention=kind != "personal",
            team=CHANNEL if kind == "channel" else None,
        )
    )
    return (await teams.sent(before + 1))[before].cards[0]


async def _click(
    teams: TeamsHarness, action: dict[str, Any], sender: dict[str, Any], data: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await teams.post(
        card_action(
            teams.connector.url,
            action["verb"],
            data or action["data"],
            conversation=CHANNEL,
            conversation_type="channel",
            sender=sender,
        )
    )
    assert response.status_code == 200
    card = response.json()["value"]
    assert check_adaptive_card(card) == []
    return card  # type: ignore[no-any-return]


def _button(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(a for a in card.get("actions") or [] if a["title"] == title)


async def test_a_poll_in_a_teams_channel(teams: TeamsHarness) -> None:
    poll = await _say(teams, '/release june-2022 vote open closes 2099-01-01 "Go live on 30 June?"', ADMIN)
    assert check_adaptive_card(poll) == [] and "Go live on 30 June?" in text(poll)
    assert [a["title"] for a in poll["actions"]] == ["Go", "No-go", "Abstain", "Comment…"]
    posted = teams.connector.calls[-1]
    # Alex votes Go: the card that comes back shows it counted, with his vote in it.
    mine = await _click(teams, _button(poll, "Go"), ALEX)
    assert (
        "Your vote on June 2022 SEC Release: Go" in text(mine) and "Alex Marsh" in text(mine) and "Go 1" in text(mine)
    )
    # Everyone else's copy is updated in place (one PUT to the posted activity).
    update = next(c for c in await teams.connector.wait_for(len(teams.connector.calls) + 1) if c.method == "PUT")
    assert update.activity_id == "1700000000001" or update.activity_id
    assert update.conversation == posted.conversation and "Go 1" in text(update.cards[0])
    # Someone who is not on the Panel is refused, on their own copy, and nothing changes.
    refused = await _click(teams, _button(poll, "No-go"), STRANGER)
    assert "only Panel members can vote" in text(refused).replace("Only", "only") and "Go 1 · No-go 0" in text(refused)
    # A vote with a comment: Teams has no modal, so a card asks and sends the comment along.
    asking = await _click(teams, _button(poll, "Comment…"), ALEX)
    assert any(item.get("type") == "Input.Text" for item in asking["body"])
    changed = await _click(
        teams, _button(asking, "No-go"), ALEX, {**_button(asking, "No-go")["data"], "comment": "DCC evidence is late"}
    )
    assert "No-go 1" in text(changed) and "DCC evidence is late" in text(changed)
    # Closing: the outcome is posted, the shared card shows it, and later votes are refused.
    before = len(teams.connector.calls)
    await teams.post(
        message(
            teams.connector.url,
            "release june-2022 vote close",
            conversation=CHANNEL,
            conversation_type="channel",
            sender=ADMIN,
            mention=True,
            team=CHANNEL,
        )
    )
    calls = await teams.connector.wait_for(before + 3)
    outcome = [c for c in calls[before:] if c.method == "POST" and "Poll closed" in text(c.cards[0])]
    assert outcome and "NO-GO (0 go, 1 no-go, 0 abstain)" in text(outcome[0].cards[0])
    closed_update = [c for c in calls[before:] if c.method == "PUT"]
    assert closed_update and "actions" not in closed_update[-1].cards[0]
    late = await _click(teams, _button(poll, "Go"), ALEX)
    assert "votes are no longer accepted" in text(late)
    timeline = await _say(teams, "release june-2022 timeline", ADMIN)
    assert "Panel go/no-go decision: NO-GO" in text(timeline)


async def test_reminders_reach_teams_channels_and_panel_members_direct_chats(
    teams: TeamsHarness, clock: SettableClock
) -> None:
    region = teams.connector.url + "/emea/"
    await teams.post(
        installation_update(region, "add", CHANNEL, "channel", team=CHANNEL), token=teams.keys.token(region)
    )
    subscribed = await _say(teams, "/release subscribe june-2022 go_live", ADMIN)
    assert "June 2022" in text(subscribed)
    # Alex has a 1:1 chat with the bot, so a poll can remind him there.
    await _say(teams, "release june-2022", ALEX, conversation="a:1alex-personal", kind="personal")
    clock.set(datetime(2022, 6, 27, 7, 0, tzinfo=UTC))  # Monday 08:00 London
    await _say(teams, "/release june-2022 vote open closes 28 Jun 2022 17:00", ADMIN)
    async with httpx.AsyncClient() as http:
        senders = create_senders(teams.bot.settings, http, TeamsBotSender(teams.adapter, Pacer(interval=0)))
        service = ReminderService(teams.bot, senders, load_rules(), ReminderConfig(pace=0))
        await service.plan_now()
        clock.set(datetime(2022, 6, 27, 8, 0, tzinfo=UTC))  # Monday 09:00: 1 WD before the poll closes
        before = len(teams.connector.calls)
        assert await service.dispatch_due() == 1
        dm = (await teams.connector.wait_for(before + 1))[before]
        assert dm.conversation == "a:1alex-personal" and "you have not voted yet" in text(dm.cards[0])
        assert [a["verb"] for a in dm.cards[0]["actions"]] == ["releasebot.vote"] * 3
        clock.set(datetime(2022, 6, 29, 8, 0, tzinfo=UTC))  # Wednesday 09:00: 1 WD before go-live
        await service.plan_now()
        before = len(teams.connector.calls)
        assert await service.dispatch_due() == 1
        reminder = (await teams.connector.wait_for(before + 1))[before]
    assert reminder.conversation == CHANNEL
    card = reminder.cards[0]
    assert check_adaptive_card(card) == [] and "June 2022" in text(card)
    assert [a["title"] for a in card["actions"]] == ["Done", "Snooze 1 WD"]
    assert all(a["type"] == "Action.Execute" for a in card["actions"])
