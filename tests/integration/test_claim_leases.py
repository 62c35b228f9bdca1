"""Two workers, a short lease and Slack answering 429 with a Retry-After longer than the lease:
every reminder is posted exactly once (issue 11.4).

Time is injected: both workers read one fake clock (the outbox's instants and the senders' pacing),
and a sender's sleep moves it on and lets the other worker dispatch in the meantime, so the
interleaving that used to post twice happens on every run, whatever the machine's speed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa

from bot.core import Releasebot
from domain.rules import load_rules
from notifiers.senders import Pacer, Senders, SlackWebSender
from notifiers.service import ReminderConfig, ReminderService
from store import models as m
from store.db import Database
from store.readmodel import ReadModel
from tests.fakeslack import FakeSlack
from tests.reminderkit import due_reminders

LEASE = timedelta(seconds=3)
RATE_LIMITED = {"ok": False, "error": "ratelimited"}


class FakeTime:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.mono = 1000.0

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds


class Host:
    def __init__(self, bot: Releasebot, time: FakeTime) -> None:
        self.db: Database = bot.db
        self.read_model: ReadModel = bot.read_model
        self._time = time

    def clock(self) -> datetime:
        return self._time.now


def _worker(
    bot: Releasebot,
    time: FakeTime,
    http: httpx.AsyncClient,
    slack: FakeSlack,
    name: str,
    sleep: Callable[[float], Awaitable[None]],
) -> ReminderService:
    pacer = Pacer(interval=0, clock=lambda: time.mono, sleep=sleep)
    senders = Senders([SlackWebSender(http, pacer, api_url=slack.api_url, token="xoxb-test")])
    config = ReminderConfig(lease=LEASE, pace=0, concurrency=1, retry_base=60)
    return ReminderService(Host(bot, time), senders, load_rules(), config, worker=name)


async def _prepare(bot: Releasebot, time: FakeTime) -> int:
    total = await due_reminders(bot.db, channels=2, milestones=2, due=time.now - timedelta(minutes=1))
    await bot.read_model.load()  # the rows were written behind its back
    return total


async def _sent_by(db: Database) -> dict[str, str]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(m.Delivery.dedupe_key, m.Delivery.state, m.Delivery.claimed_by))  # type: ignore[call-overload]
        return {key: f"{state}:{worker}" for key, state, worker in rows}


def _accepted(fake: FakeSlack, limited: int = 0) -> Counter[str]:
    """Reminders the fake accepted: its first `limited` calls were the scripted 429s."""
    calls = fake.calls_to("chat.postMessage")
    return Counter(c.body["metadata"]["event_payload"]["key"] for c in calls[limited:])


async def test_a_worker_waiting_out_retry_after_keeps_its_claim(bot: Releasebot) -> None:
    """Retry-After 25 s three times against a 3 s lease: the waiting worker renews its claim, the
    other worker posts everything else and never takes that row."""
    time = FakeTime()
    async with FakeSlack() as slack_a, FakeSlack() as slack_b, httpx.AsyncClient() as http:
        for _ in range(3):
            slack_a.script("chat.postMessage", 429, RATE_LIMITED, {"Retry-After": "25"})

        async def b_sleeps(seconds: float) -> None:
            time.advance(seconds)

        b = _worker(bot, time, http, slack_b, "B", b_sleeps)

        async def a_sleeps(seconds: float) -> None:  # while A waits, time passes and B works
            time.advance(seconds)
            await b.dispatch_due()

        a = _worker(bot, time, http, slack_a, "A", a_sleeps)
        total = await _prepare(bot, time)
        await a.plan_now()
        await a.dispatch_due()
        await b.dispatch_due()
        posted = _accepted(slack_a, limited=3) + _accepted(slack_b)
        assert len(posted) == total and set(posted.values()) == {1}, posted
        assert len(_accepted(slack_a, limited=3)) == 1 and len(slack_a.calls_to("chat.postMessage")) == 4
        states = await _sent_by(bot.db)
        assert sorted(states.values()) == ["sent:A", "sent:B", "sent:B", "sent:B"]


async def test_a_worker_that_lost_its_claim_while_waiting_does_not_post(bot: Releasebot) -> None:
    """A worker stalled past its lease (its renewals could not run): the other worker takes the
    row and posts it; the first finds the claim gone right before posting and posts nothing."""
    time = FakeTime()
    async with FakeSlack() as slack_a, FakeSlack() as slack_b, httpx.AsyncClient() as http:
        slack_a.script("chat.postMessage", 429, RATE_LIMITED, {"Retry-After": "25"})

        async def b_sleeps(seconds: float) -> None:
            time.advance(seconds)

        b = _worker(bot, time, http, slack_b, "B", b_sleeps)
        stalled = False

        async def a_stalls(seconds: float) -> None:  # the first wait overruns the lease by far
            nonlocal stalled
            if not stalled:
                stalled = True
                time.advance(30)
                await b.dispatch_due()
            else:
                time.advance(seconds)

        a = _worker(bot, time, http, slack_a, "A", a_stalls)
        total = await _prepare(bot, time)
        await a.plan_now()
        await a.dispatch_due()
        await b.dispatch_due()
        posted = _accepted(slack_a, limited=1) + _accepted(slack_b)
        assert len(posted) == total and set(posted.values()) == {1}, posted
        assert len(slack_a.calls_to("chat.postMessage")) == 1  # only the 429: nothing posted after the stall
        assert sorted((await _sent_by(bot.db)).values()) == ["sent:B"] * total
