"""Hostile and odd input over the real Slack HTTP path: short answers and 4xx, never a 500 or a stall."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from tests.fakeslack import FakeSlack
from tests.servers import serve
from tests.slackreq import SECRET, block_action, signed, slash

ADMIN = "U0ADMIN01"


@dataclass
class Harness:
    url: str
    http: httpx.AsyncClient
    fake: FakeSlack
    bot: Releasebot
    adapter: SlackAdapter

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
            yield Harness(url, http, fake, bot, adapter)


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


async def test_a_300_digit_timestamp_is_401(slack: Harness) -> None:
    body = slash("/release", "june-2021 scope")
    for stamp in ("9" * 300, "1" * 13, "-1", "1e10", "+1700000000"):
        headers = {**signed(body), "x-slack-request-timestamp": stamp}
        response = await slack.http.post(f"{slack.url}/slack/events", content=body.encode(), headers=headers)
        assert response.status_code == 401, stamp


async def test_a_client_leaving_mid_body_is_one_short_line(slack: Harness, caplog: pytest.LogCaptureFixture) -> None:
    host, port = slack.url.removeprefix("http://").split(":")
    headers = signed("x" * 1000)
    caplog.set_level(logging.INFO)
    _, writer = await asyncio.open_connection(host, int(port))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(f"POST /slack/events HTTP/1.1\r\nhost: {host}\r\ncontent-length: 1000\r\n{head}\r\nxxxx".encode())
    await writer.drain()
    await _until(lambda: slack.adapter.bodies.pending == 1)
    writer.close()
    await writer.wait_closed()
    await _until(lambda: "client went away" in caplog.text)
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if "client went away" in r.getMessage()]) == 1
    assert (await slack.command("june-2021 scope")).status_code == 200  # and the server serves on


@pytest.mark.parametrize(
    "view",
    [
        {"callback_id": "releasebot_scope", "private_metadata": "{}"},
        {"type": 7, "callback_id": "releasebot_scope"},
        {"type": "modal"},
        "not a view",
        {"type": "modal", "callback_id": "releasebot_vote", "private_metadata": "{not json"},
        {"type": "modal", "callback_id": "releasebot_vote", "private_metadata": "[1]"},
        {"type": "modal", "callback_id": "releasebot_scope", "state": {"values": {"mod": "x"}}},
        {"type": "modal", "callback_id": "releasebot_scope", "state": {"values": {"mod": {"value": 3}}}},
        {"type": "modal", "callback_id": "releasebot_scope", "blocks": "x"},
    ],
)
async def test_a_view_submission_without_a_view_type_is_polite(slack: Harness, view: Any) -> None:
    payload = {"type": "view_submission", "user": {"id": ADMIN, "team_id": "T0TEAM"}, "team": {"id": "T0TEAM"}}
    payload["view"] = view
    response = await slack.post(urlencode({"payload": json.dumps(payload)}))
    assert response.status_code in (200, 400), response.text


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("releasebot_vote_comment_0", "not-a-poll"),
        ("releasebot_vote_comment_0", "424242"),
        ("releasebot_vote_comment_0", str(10**25)),
        ("releasebot_votes_csv_0", "424242"),
        ("releasebot_vote_0", "424242:go"),
        ("releasebot_vote_0", "garbage"),
        ("releasebot_reminder_snooze_0", "{"),
        ("releasebot_page_0", "{"),
        ("releasebot_", "x"),
    ],
)
async def test_a_malformed_button_or_a_missing_poll_is_answered_at_once(
    slack: Harness, action_id: str, value: str
) -> None:
    body = block_action(action_id, value, user=ADMIN, response_url=slack.fake.response_url("b"))
    response = await slack.post(body)
    assert response.status_code == 200
    said = (await slack.fake.wait_for("response"))[0].body
    assert said.get("response_type", "ephemeral") == "ephemeral"
    text = json.dumps(said, ensure_ascii=False)
    assert "went wrong" not in text and ("button" in text or "poll" in text or "Panel" in text), text


@pytest.mark.parametrize(
    "text",
    [f"undo {10**25}", f"audit {10**25}", f"june-2022 milestone #{10**25} cancel", f"unsubscribe #{10**25}"],
)
async def test_huge_ids_over_http_are_refused(slack: Harness, text: str) -> None:
    response = await slack.command(text)
    assert response.status_code == 200
    assert "went wrong" not in texts(response.json()) and "Internal error" not in texts(response.json())


async def _until(condition: Any, limit: float = 10.0) -> None:
    """Wait for a condition the server makes true (checked each loop turn; the limit only ends a hung test)."""
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.01)
