"""The DCC lead-time confirmation in Slack, over real HTTP against a fake Slack Web API.

On 1 Feb 2022 June 2022 (DCC System impacting) is inside its DCC lead time: moving MP077 (DCC
System impacting) into it answers with a warning and an "Add anyway" button, nothing changed;
pressing the button applies the move, publicly, with its Undo button.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from bot.app import create_bot, load_settings
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from commands.render.checks import check_slack_blocks
from tests.fakeslack import FakeSlack
from tests.servers import serve
from tests.slackreq import SECRET, block_action, signed, slash

ADMIN = "U0ADMIN01"


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[tuple[str, httpx.AsyncClient, FakeSlack]]:
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            today=date(2022, 2, 1),  # the bot's day; Slack's signatures keep the real clock
        )
        bot = create_bot(settings)
        adapter = SlackAdapter(bot, settings)
        bot.services.add(adapter)
        web = create_web_app(bot, routes=adapter.routes())
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=10) as http:
            yield url, http, fake


async def test_a_dcc_addition_inside_the_lead_time_is_confirmed_with_a_button(
    slack: tuple[str, httpx.AsyncClient, FakeSlack],
) -> None:
    url, http, fake = slack

    async def post(body: str) -> httpx.Response:
        return await http.post(f"{url}/slack/events", content=body, headers=signed(body))

    line = "november-2021 move MP077 to june-2022 reason DCC capacity"
    warned = (await post(slash("/release", line, user=ADMIN, response_url=fake.response_url()))).json()
    check_slack_blocks(warned["blocks"])
    text = json.dumps(warned["blocks"], ensure_ascii=False)
    assert (
        warned["response_type"] == "ephemeral"
        and "inside the DCC lead time" in text
        and "Nothing is changed yet" in text
    )
    scope = (await post(slash("/release", "june-2022 scope", user=ADMIN, response_url=fake.response_url()))).json()
    assert "MP077" not in json.dumps(scope["blocks"])
    anyway = _buttons(warned["blocks"])["Add anyway"]
    await post(block_action(anyway["action_id"], anyway["value"], user=ADMIN, response_url=fake.response_url("c")))
    done = (await fake.wait_for("response"))[0].body
    assert "Moved MP077 from November 2021 SEC Release to June 2022 SEC Release" in json.dumps(done["blocks"])
    assert "Undo" in _buttons(done["blocks"])
    scope = (await post(slash("/release", "june-2022 scope", user=ADMIN, response_url=fake.response_url()))).json()
    assert "MP077" in json.dumps(scope["blocks"])
