"""`releasebot worker` as real processes against the fake Slack Web API.

A reminder due in a few seconds is posted once; a worker killed with SIGKILL in the middle of
200 reminders and restarted loses none and repeats at most those in flight at the kill; two
workers on one PostgreSQL post 1,000 reminders exactly once; a Web API answering 429 to every
5th call gets everything, each after its Retry-After. And the same service inside the web app, as
`releasebot serve` runs it. Waits are on the fake's events, not sleeps.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_bot, create_services, load_settings
from bot.core import Releasebot
from bot.web import create_web_app
from commands.context import Channel
from store import models as m
from store.db import Database
from tests.fakeslack import FakeSlack
from tests.reminderkit import (
    due_reminders,
    posted_keys,
    start_worker,
    stop_worker,
    wait_for_keys,
)

CONCURRENCY = 8  # the worker's default: deliveries in flight at once


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def states(db: Database) -> dict[str, int]:
    async with db.session() as session:
        result = await (await session.connection()).execute(
            sa.select(m.Delivery.state, sa.func.count()).group_by(m.Delivery.state)
        )  # type: ignore[arg-type]
        return {state: int(n) for state, n in result.all()}


def wall(monotonic_at: float) -> float:
    return time.time() - (time.monotonic() - monotonic_at)


async def test_a_reminder_due_in_a_few_seconds_is_posted_once(
    bot: Releasebot, slack: FakeSlack, tmp_path: Path
) -> None:
    subscribed = await bot.answers.answer(
        None,
        "/release june-2022 subscribe go_no_go leads=0",
        bot.actors.resolve("console", "console"),
        Channel("slack", "C0RELEASES", "releases"),
    )
    assert subscribed.kind == "changed"
    due = datetime.now(UTC) + timedelta(seconds=4)
    async with bot.db.transaction() as session:
        release = (await session.exec(sa.select(m.Release).where(m.Release.slug == "june-2022"))).scalars().first()  # type: ignore[call-overload]
        session.add(
            m.Milestone(
                key="june-2022/go-no-go",
                release_id=release.id,
                kind="go_no_go",
                title="Panel go/no-go",
                due_at=due,
                all_day=False,
            )
        )
    worker = await start_worker(bot.db.url, slack, tmp_path / "worker.log")
    try:
        (call,) = await slack.wait_for("chat.postMessage", 1, timeout=30)
    finally:
        assert await stop_worker(worker) == 0, (tmp_path / "worker.log").read_text()
    assert wall(call.at) >= due.timestamp() - 0.01  # not early
    assert call.body["channel"] == "C0RELEASES" and call.body["text"].startswith("Panel go/no-go:")
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert await states(bot.db) == {"sent": 1}


async def test_a_worker_killed_mid_dispatch_loses_nothing_and_repeats_at_most_what_was_in_flight(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    db = Database(database_url)
    log = tmp_path / "worker.log"
    try:
        total = await due_reminders(db, channels=40, milestones=5, due=datetime.now(UTC) + timedelta(seconds=1))
        assert total == 200
        first = await start_worker(database_url, slack, log)
        await slack.wait_for("chat.postMessage", 60, timeout=60)
        first.kill()  # SIGKILL: no chance to finish or record anything
        await first.wait()
        posted_at_kill = len(slack.calls_to("chat.postMessage"))
        recorded_at_kill = (await states(db)).get("sent", 0)
        in_flight = posted_at_kill - recorded_at_kill  # posted, but the worker died before recording it
        assert 0 <= in_flight <= CONCURRENCY
        assert posted_at_kill < total, "the kill came after the end; nothing was tested"
        second = await start_worker(database_url, slack, log)
        try:
            keys = await wait_for_keys(slack, total, timeout=90)
        finally:
            assert await stop_worker(second) == 0, log.read_text()
        duplicates = sum(keys.values()) - total
        assert len(keys) == total
        assert duplicates <= in_flight, (duplicates, in_flight)
        assert await states(db) == {"sent": total}
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_workers_on_one_postgresql_post_each_of_1000_reminders_exactly_once(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    db = Database(database_url)
    try:
        total = await due_reminders(db, channels=200, milestones=5, due=datetime.now(UTC) + timedelta(seconds=4))
        workers = [await start_worker(database_url, slack, tmp_path / f"worker-{n}.log") for n in range(2)]
        try:
            keys = await wait_for_keys(slack, total, timeout=120)
        finally:
            codes = [await stop_worker(w) for w in workers]
        assert codes == [0, 0]
        assert len(keys) == total and set(keys.values()) == {1}
        assert sum(posted_keys(slack).values()) == len(slack.calls_to("chat.postMessage")) == total
        assert await states(db) == {"sent": total}
        async with db.session() as session:
            by = (
                (await (await session.connection()).execute(sa.select(m.Delivery.claimed_by).distinct()))
                .scalars()
                .all()
            )  # type: ignore[call-overload]
        assert len({name.rsplit(":", 1)[0] for name in by}) == 2, "both workers should have posted some"
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_every_fifth_call_answered_429_still_delivers_everything_after_retry_after(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    slack.every("chat.postMessage", 5, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    db = Database(database_url)
    try:
        total = await due_reminders(db, channels=20, milestones=1, due=datetime.now(UTC) + timedelta(seconds=1))
        # One delivery at a time, so the gap after each 429 is exactly the worker's own wait.
        worker = await start_worker(database_url, slack, tmp_path / "worker.log", RELEASEBOT_REMINDER_CONCURRENCY="1")
        try:
            keys = await wait_for_keys(slack, total, timeout=90)
        finally:
            assert await stop_worker(worker) == 0
        calls = slack.calls_to("chat.postMessage")
        limited = [n for n in range(len(calls)) if (n + 1) % 5 == 0]
        assert len(keys) == total and len(calls) == total + len(limited)
        gaps = [calls[n + 1].at - calls[n].at for n in limited if n + 1 < len(calls)]
        assert gaps and min(gaps) >= 1.0, gaps  # Retry-After: 1
        assert await states(db) == {"sent": total}
    finally:
        await db.dispose()


async def test_inside_the_web_app_the_service_posts_at_the_due_time_and_replans_on_a_change(
    database_url: str, slack: FakeSlack
) -> None:
    """What `releasebot serve` runs: the app's lifespan starts the bot and its services, and stops them."""
    settings = load_settings(database_url=database_url, slack_api_url=slack.api_url, slack_bot_token="xoxb-test")
    db = Database(database_url)
    due = datetime.now(UTC) + timedelta(seconds=3)
    async with db.transaction() as session:
        release = (await session.exec(sa.select(m.Release).where(m.Release.slug == "june-2022"))).scalars().first()  # type: ignore[call-overload]
        session.add(
            m.Milestone(
                key="june-2022/launch", release_id=release.id, kind="go_live", title="Launch", due_at=due, all_day=False
            )
        )
    await db.dispose()
    bot = create_bot(settings)
    here = Channel("slack", "C0RELEASES", "releases")
    async with httpx.AsyncClient() as http:
        bot.services.add(*create_services(bot, settings, http))
        app = create_web_app(bot)
        async with app.router.lifespan_context(app):
            admin = bot.actors.resolve("console", "console")
            assert (
                await bot.answers.answer(None, "/release june-2022 subscribe go_live leads=0", admin, here)
            ).kind == "changed"
            (first,) = await slack.wait_for("chat.postMessage", 1, timeout=20)
            assert first.body["text"].startswith("Launch:") and wall(first.at) >= due.timestamp() - 0.01
            # A change made in chat reaches subscribers with no other prompt: the state version moved.
            await bot.answers.answer(
                None, "/release june-2022 milestone june-2022/launch cancel reason Postponed", admin, here
            )
            second = (await slack.wait_for("chat.postMessage", 2, timeout=20))[1]
        assert "Launch" in second.body["text"] and "is cancelled" in second.body["text"]
    assert len(slack.calls_to("chat.postMessage")) == 2
