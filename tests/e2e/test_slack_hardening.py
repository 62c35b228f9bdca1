"""Hostile and odd input over the real Slack HTTP path: short answers and 4xx, never a 500 or a stall."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from tests.fakeslack import FakeSlack
from tests.servers import serve
from tests.slackreq import SECRET, signed, slash

ADMIN = "U0ADMIN01"


@dataclass
class Harness:
    url: str
    http: httpx.AsyncClient
    fake: FakeSlack
    bot: Releasebot

    async def post(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> httpx.Response:
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=signed(body, content_type))

    async def command(self, text: str, command: str = "/release", user: str = ADMIN) -> httpx.Response:
        return await self.post(slash(command, text, user=user, response_url=self.fake.response_url()))


def texts(body: dict[str, Any]) -> str:
    return json.dumps(body.get("blocks", body), ensure_ascii=False)


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[Harness]:
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        bot = create_bot(settings)
        adapter = SlackAdapter(bot, settings)
        bot.services.add(adapter)
        web = create_web_app(bot, routes=adapter.routes())
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=10) as http:
            yield Harness(url, http, fake, bot)


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/workdays", "2021-01-01 +" + "9" * 30),
        ("/workdays", "9999-12-31 -1"),
        ("/release", "june-2022 milestone add go_live 9999-12-31"),
        ("/release", "june-2022 vote open closes 9999-12-31"),
    ],
)
async def test_dates_and_counts_out_of_range_get_a_usage_answer(slack: Harness, command: str, text: str) -> None:
    response = await slack.command(text, command=command)
    assert response.status_code == 200
    shown = texts(response.json())
    assert "Internal error" not in shown and "Usage" in shown
    assert "31 Dec 2100" in shown or "30,000" in shown
    assert (await slack.http.get(f"{slack.url}/healthz")).status_code == 200
