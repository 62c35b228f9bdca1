"""Votes across two real `releasebot serve` replicas on one database: every committed vote is answered "counted"."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bot.app import create_bot, load_settings
from store import polls as poll_store
from store.changes import AddMember
from tests.fakeslack import FakeSlack
from tests.servers import serve_process
from tests.slackreq import SECRET, block_action, signed, slash

MEMBERS = [f"U0REPL{n:02d}" for n in range(60)]


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


async def _add_members(database_url: str) -> None:
    bot = create_bot(load_settings(database_url=database_url))
    await bot.start(watch=False)
    try:
        for n, user in enumerate(MEMBERS):
            await bot.writer.write(AddMember("test", "slack", user, "panel", f"Replica Voter {n:02d}"))
    finally:
        await bot.stop()


async def _tally(database_url: str) -> Any:
    bot = create_bot(load_settings(database_url=database_url))
    await bot.start(watch=False)
    try:
        return await bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
    finally:
        await bot.stop()


async def test_sixty_members_double_clicking_across_two_replicas_are_all_counted(database_url: str) -> None:
    await _add_members(database_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RELEASEBOT_"))}
    async with FakeSlack() as fake:
        env |= {
            "RELEASEBOT_DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-replicas",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
        }
        async with serve_process(env) as one, serve_process(env) as two, httpx.AsyncClient(timeout=60) as http:
            closes = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")
            body = slash("/release", f"june-2022 vote open closes {closes}", user="U0ADMIN01", channel="C0PANEL")
            opened = await http.post(f"{one.url}/slack/events", content=body, headers=signed(body))
            assert "is open and posted" in opened.text
            buttons = _buttons((await fake.wait_for("chat.postMessage"))[0].body["blocks"])
            choice = {user: ("Go", "No-go", "Abstain")[n % 3] for n, user in enumerate(MEMBERS)}

            async def double_click(user: str) -> list[int]:
                button = buttons[choice[user]]
                press = block_action(
                    button["action_id"],
                    button["value"],
                    user=user,
                    channel="C0PANEL",
                    response_url=fake.response_url(user),
                )
                sent = [http.post(f"{r.url}/slack/events", content=press, headers=signed(press)) for r in (one, two)]
                return [r.status_code for r in await asyncio.gather(*sent)]

            statuses = await asyncio.gather(*(double_click(u) for u in MEMBERS))
            assert all(s == [200, 200] for s in statuses), statuses
            answers = await fake.wait_for("response", count=2 * len(MEMBERS), timeout=60)
    view = await _tally(database_url)
    assert len(view.votes) == 60 and sum(v.casts for v in view.votes) == 120
    assert {v.name: v.choice for v in view.votes} == {
        f"Replica Voter {n:02d}": ("go", "no_go", "abstain")[n % 3] for n in range(60)
    }
    texts = [json.dumps(a.body["blocks"], ensure_ascii=False) for a in answers]
    assert sum("Your vote on June 2022 SEC Release" in t for t in texts) == 120, [
        t for t in texts if "Your vote" not in t
    ][:3]
