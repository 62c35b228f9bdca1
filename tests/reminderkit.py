"""Helpers for reminder tests and benchmarks: many due reminders at once, real worker processes,
and reading back what the fake Slack received."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from store import models as m
from store.db import Database
from tests.fakeslack import FakeSlack

__all__ = ["due_reminders", "posted_keys", "start_worker", "stop_worker", "wait_for_keys"]


async def due_reminders(db: Database, channels: int, milestones: int, due: datetime, slug: str = "june-2022") -> int:
    """`channels` channels subscribed (on the day only) to `milestones` go/no-go votes at `due`:
    channels x milestones reminders, all due at once. Returns that number."""
    async with db.transaction(serialize=False) as session:
        conn = await session.connection()
        release = await conn.scalar(sa.select(m.Release.id).where(m.Release.slug == slug))  # type: ignore[arg-type]
        await conn.execute(
            sa.insert(m.Subscription),
            [
                {
                    "platform": "slack",
                    "channel_id": f"C{n:04d}",
                    "channel_name": f"#team-{n}",
                    "direct": False,
                    "release_id": release,
                    "kinds": "go_no_go",
                    "leads": "0",
                    "created_by": "test",
                    "created_at": due,
                }
                for n in range(channels)
            ],
        )
        await conn.execute(
            sa.insert(m.Milestone),
            [
                {
                    "key": f"{slug}/vote-{k}",
                    "release_id": release,
                    "kind": "go_no_go",
                    "title": f"Go/no-go vote {k}",
                    "due_at": due,
                    "all_day": False,
                    "origin": "stated",
                    "notes": "",
                    "state": "planned",
                }
                for k in range(milestones)
            ],
        )
    return channels * milestones


async def start_worker(url: str, slack: FakeSlack, log: Path, **env: str) -> asyncio.subprocess.Process:
    """`releasebot worker` as its own process, posting to the fake Slack."""
    environment = {
        **os.environ,
        "RELEASEBOT_DATABASE_URL": url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "RELEASEBOT_REMINDER_LEASE_SECONDS": "3",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    with log.open("ab") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", env=environment, stdout=asyncio.subprocess.DEVNULL, stderr=err
        )


async def stop_worker(process: asyncio.subprocess.Process) -> int:
    """SIGTERM and wait: the worker finishes what it is sending and exits 0."""
    if process.returncode is None:
        process.terminate()
    return await asyncio.wait_for(process.wait(), 30)


def posted_keys(slack: FakeSlack) -> Counter[str]:
    """How many times each reminder (by dedupe key, from the message metadata) was posted."""
    return Counter(
        c.body["metadata"]["event_payload"]["key"] for c in slack.calls_to("chat.postMessage") if "metadata" in c.body
    )


async def wait_for_keys(slack: FakeSlack, n: int, timeout: float) -> Counter[str]:
    """Wait (woken by each call, no polling) until `n` different reminders were posted."""

    async def enough() -> Counter[str]:
        while len(keys := posted_keys(slack)) < n:
            await slack.wait_for("chat.postMessage", len(slack.calls_to("chat.postMessage")) + 1, timeout=timeout)
        return keys

    return await asyncio.wait_for(enough(), timeout)
