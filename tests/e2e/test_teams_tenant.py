"""A single-tenant Teams bot refuses validly signed activities from any other organisation's tenant."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from store.teams import find_conversation
from tests.teamsharness import TeamsHarness, teams_harness
from tests.teamsreq import TENANT, SigningKeys, card_action, installation_update, message

FOREIGN = "0badc0de-0000-4000-8000-00000000beef"


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsHarness]:
    async with teams_harness(database_url) as harness:
        yield harness


def _in_conversation(a: dict[str, Any]) -> None:
    a["conversation"]["tenantId"] = FOREIGN


def _in_channel_data(a: dict[str, Any]) -> None:
    a["channelData"]["tenant"]["id"] = FOREIGN


def _everywhere(a: dict[str, Any]) -> None:
    _in_conversation(a)
    _in_channel_data(a)


def _nowhere(a: dict[str, Any]) -> None:
    del a["conversation"]["tenantId"]
    del a["channelData"]["tenant"]


@pytest.mark.parametrize("forge", [_everywhere, _in_conversation, _in_channel_data, _nowhere])
async def test_a_signed_activity_from_another_tenant_is_refused(
    teams: TeamsHarness, forge: Callable[[dict[str, Any]], None], caplog: pytest.LogCaptureFixture
) -> None:
    url = teams.connector.url
    for activity in (
        message(url, "release june-2022 scope", conversation="a:1foreign-chat"),
        card_action(url, "releasebot", {"value": "/release june-2022 approve MP099"}, conversation="a:1foreign-chat"),
        installation_update(url, "add", "a:1foreign-chat", "personal"),
    ):
        forge(activity)
        with caplog.at_level(logging.INFO):
            response = await teams.post(activity)  # a valid Bot Framework token
        assert response.status_code == 403, response.text
    assert teams.connector.calls == []
    assert await find_conversation(teams.bot.db, "a:1foreign-chat") is None  # nothing stored either
    assert "another organisation" in caplog.text and FOREIGN not in caplog.text


async def test_our_tenant_in_any_case_is_served_and_a_bad_token_is_still_401(teams: TeamsHarness) -> None:
    url = teams.connector.url
    ours = message(url, "release june-2022 scope")
    ours["conversation"]["tenantId"] = TENANT.upper()
    assert (await teams.post(ours)).status_code == 200
    await teams.sent()
    foreign = message(url, "release june-2022 scope")
    _everywhere(foreign)
    forged = SigningKeys(kid=teams.keys.kid).token(url)
    assert (await teams.post(foreign, token=forged)).status_code == 401  # the token is checked first


@pytest.mark.parametrize(
    ("verb", "data", "said"),
    [
        ("releasebot.vote_comment", {"value": "424242"}, "no longer exists"),
        ("releasebot.vote_comment", {"value": str(10**25)}, "button"),
        ("releasebot.vote_comment", {"value": "x"}, "button"),
        ("releasebot.vote", {"value": f"{10**25}:go"}, "button"),
        ("releasebot.vote", {"value": "424242:go", "comment": "c" * 20_000}, "Sorry"),  # a stranger: refused first
    ],
)
async def test_a_missing_poll_or_a_malformed_card_button_is_answered_politely(
    teams: TeamsHarness, verb: str, data: dict[str, Any], said: str
) -> None:
    response = await teams.post(card_action(teams.connector.url, verb, data))
    assert response.status_code == 200
    card = json.dumps(response.json(), ensure_ascii=False)
    assert said in card and "went wrong" not in card and len(card) < 2_000, card
