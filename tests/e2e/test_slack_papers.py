"""A paper sent to the bot in a Slack DM: previewed with Apply and Cancel, applied by admins only."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import create_bot, load_settings
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from commands.render.checks import check_slack_blocks
from tests.e2e.test_slack import ADMIN, OBSERVER, Harness
from tests.fakeslack import FakeSlack
from tests.paperkit import BAD_PAPER, NEW_PAPER
from tests.servers import serve
from tests.slackreq import SECRET, block_action


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[Harness]:
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token=fake.token,
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        bot = create_bot(settings)
        adapter = SlackAdapter(bot, settings)
        bot.services.add(adapter)
        web = create_web_app(bot, routes=adapter.routes())
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=10) as http:
            yield Harness(url, http, fake, bot)


def _shared(slack: Harness, user: str, file_id: str, name: str, content: str) -> dict[str, Any]:
    entry = slack.fake.add_file(file_id, name, content)
    channel = "D" + user[1:]
    return {"type": "message", "subtype": "file_share", "channel_type": "im", "user": user, "channel": channel,
            "text": "", "ts": "1700000100.000100", "files": [entry]}  # fmt: skip


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


async def _preview(slack: Harness, user: str = ADMIN, content: str = NEW_PAPER) -> dict[str, Any]:
    before = len(slack.fake.calls_to("chat.postMessage"))
    await slack.event(_shared(slack, user, "F0PAPER", "march.yaml", content))
    return (await slack.fake.wait_for("chat.postMessage", before + 1))[-1].body


async def _press(slack: Harness, button: dict[str, Any], user: str = ADMIN) -> dict[str, Any]:
    before = len(slack.fake.calls_to("response"))  # each press its own response_url: Slack never repeats one
    body = block_action(button["action_id"], button["value"], user=user, channel="D" + user[1:],
                        response_url=slack.fake.response_url(f"r{before}"))  # fmt: skip
    assert (await slack.post(body)).status_code == 200
    return (await slack.fake.wait_for("response", before + 1))[-1].body


async def test_a_paper_in_a_dm_is_previewed_then_applied(slack: Harness) -> None:
    posted = await _preview(slack)
    assert posted["channel"] == "D0ADMIN01"
    words = json.dumps(posted["blocks"], ensure_ascii=False)
    assert check_slack_blocks(posted["blocks"]) == []
    assert "march.yaml" in words and "new releases: november-2022" in words
    assert "Changes release june-2021: status: baselined → frozen" in words
    (download,) = slack.fake.calls_to("download")
    assert download.headers["authorization"] == f"Bearer {slack.fake.token}"  # the bot token, to the fake only
    assert slack.bot.read_model.snapshot.release("november-2022") is None  # a preview changes nothing
    buttons = _buttons(posted["blocks"])
    assert set(buttons) == {"Apply", "Cancel"} and buttons["Apply"]["style"] == "primary"

    refused = await _press(slack, buttons["Apply"], user=OBSERVER)  # someone else pressing it
    assert "only release admins" in json.dumps(refused) and refused["replace_original"] is False
    assert slack.bot.read_model.snapshot.release("november-2022") is None

    applied = await _press(slack, buttons["Apply"])
    assert applied["replace_original"] is True and "Imported march.yaml: panel-2021-03-05" in json.dumps(applied)
    assert check_slack_blocks(applied["blocks"]) == [] and "Share in channel" not in json.dumps(applied)
    assert slack.bot.read_model.snapshot.release("november-2022") is not None
    again = await _press(slack, buttons["Apply"])  # pressed twice: the paper is stored, nothing more happens
    assert "Already stored (skipped): panel-2021-03-05" in json.dumps(again, ensure_ascii=False)
    undo = _buttons(applied["blocks"])["Undo"]
    assert json.loads(undo["value"])["c"].startswith("/release undo #")


async def test_cancel_discards_and_a_changed_file_is_not_applied(slack: Harness) -> None:
    buttons = _buttons((await _preview(slack))["blocks"])
    cancelled = await _press(slack, buttons["Cancel"])
    assert "Import cancelled; nothing was changed." in json.dumps(cancelled) and cancelled["replace_original"]
    slack.fake.add_file("F0PAPER", "march.yaml", NEW_PAPER.replace("November 2022", "December 2022"))
    stale = await _press(slack, buttons["Apply"])
    assert "march.yaml is not the file that was previewed" in json.dumps(stale)
    assert slack.bot.read_model.snapshot.release("november-2022") is None


async def test_non_admins_bad_papers_and_other_files(slack: Harness) -> None:
    refused = await _preview(slack, user=OBSERVER)
    assert "only release admins" in json.dumps(refused["blocks"]) and not slack.fake.calls_to("download")
    bad = await _preview(slack, content=BAD_PAPER)
    words = json.dumps(bad["blocks"], ensure_ascii=False)
    assert "march.yaml:8: releases[0].status" in words and "Apply" not in words
    other = _shared(slack, ADMIN, "F0PDF", "minutes.pdf", "%PDF-1.4")
    await slack.event(other)
    said = (await slack.fake.wait_for("chat.postMessage", 3))[-1].body
    assert "I can import a paper sent as a .yaml file" in json.dumps(said)
