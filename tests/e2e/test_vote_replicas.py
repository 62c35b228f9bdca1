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
    replicas: list[Any] = []
    async with FakeSlack() as fake:
        env |= {
            "RELEASEBOT_DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-replicas",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
        }
        try:
            texts = await _double_clicks(env, fake, replicas)
        except BaseException:
            for served in replicas:  # what each replica said, to see why a press was not answered
                print(served.stderr[-6000:])
            raise
    view = await _tally(database_url)
    assert len(view.votes) == 60 and sum(v.casts for v in view.votes) == 120
    assert {v.name: v.choice for v in view.votes} == {
        f"Replica Voter {n:02d}": ("go", "no_go", "abstain")[n % 3] for n in range(60)
    }
    unanswered = [t for t in texts if "Your vote on June 2022 SEC Release" not in t]
    assert len(texts) == 120 and not unanswered, unanswered[:3]


async def _double_clicks(env: dict[str, str], fake: FakeSlack, replicas: list[Any]) -> list[str]:
    """Each member presses twice, once on each replica (two deliveries: their own signatures)."""
    async with serve_process(env) as one, serve_process(env) as two, httpx.AsyncClient(timeout=120) as http:
        replicas += [one, two]
        closes = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")
        body = slash("/release", f"june-2022 vote open closes {closes}", user="U0ADMIN01", channel="C0PANEL")
        opened = await http.post(f"{one.url}/slack/events", content=body, headers=signed(body))
        assert "is open and posted" in opened.text
        buttons = _buttons((await fake.wait_for("chat.postMessage"))[0].body["blocks"])
        choice = {user: ("Go", "No-go", "Abstain")[n % 3] for n, user in enumerate(MEMBERS)}

        async def press(user: str, replica: Any, click: int) -> int:
            button = buttons[choice[user]]
            sent = block_action(
                button["action_id"], button["value"], user=user, channel="C0PANEL", response_url=fake.response_url(user)
            ).replace("trig-1", f"trig-{user}-{click}")
            return (await http.post(f"{replica.url}/slack/events", content=sent, headers=signed(sent))).status_code

        statuses = await asyncio.gather(*(press(u, r, k) for u in MEMBERS for k, r in enumerate((one, two))))
        assert statuses == [200] * 120, statuses
        answers = await fake.wait_for("response", count=2 * len(MEMBERS), timeout=120)
    return [json.dumps(a.body["blocks"], ensure_ascii=False) for a in answers]
