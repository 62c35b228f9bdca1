"""The reminder service: APScheduler wakes it, the outbox in the database says what to do.

It runs inside `releasebot serve` / `socket` and alone as `releasebot worker`, as many copies as
you like. Each copy re-plans when the state version moves (a milestone moved, someone subscribed)
and every `plan_every` seconds, and dispatches at the next due time. Jobs are in memory
(AsyncIOScheduler); nothing is lost when a process dies, because a reminder only leaves the
outbox when the platform has accepted it, and a claim that is never finished expires.

Dispatch claims one row per channel at a time (so one slow or paced channel never holds the
others up) and up to `concurrency` rows at once; each outcome is recorded as soon as it is known.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain.planning import ReminderClock, plan
from domain.reconcile import OutboxChanges, reconcile
from domain.rules import Rules
from domain.snapshot import Snapshot
from notifiers import messages
from notifiers.claims import ClaimHold
from notifiers.message import Outgoing, compose, failure_report, where
from notifiers.outbox import (
    Claimed,
    apply_changes,
    claim_due,
    load_existing,
    load_subscriptions,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_withdrawn,
    next_wake,
    release_claim,
)
from notifiers.senders import Destination, Senders
from notifiers.votes import is_vote_reminder, vote_reminder
from notifiers.wake import on_host_clock
from store.db import Database
from store.readmodel import ReadModel

__all__ = ["ReminderConfig", "ReminderService", "worker_name"]

log = logging.getLogger("releasebot.reminders")


class Host(Protocol):
    """What the service needs from the bot (the app object `bot.core.Releasebot` holds these):
    the store, the read model and the one clock every part reads."""

    db: Database
    read_model: ReadModel

    def clock(self) -> datetime: ...


@dataclass(frozen=True)
class ReminderConfig:
    lease: timedelta = timedelta(seconds=60)  # a claim not finished by then is taken again
    horizon: timedelta = timedelta(days=60)  # reminders are planned this far ahead
    history: timedelta = timedelta(days=30)  # rows about milestones this far back are compared too
    catch_up: timedelta = timedelta(
        minutes=15
    )  # a reminder this late when first planned is still posted; older ones are skipped
    plan_every: float = 600.0  # seconds between periodic re-plans
    poll: float = 30.0  # longest wait between two looks at the outbox
    concurrency: int = 8  # deliveries in flight at once (one per channel)
    pace: float = 1.0  # seconds between two posts to one channel
    max_attempts: int = 6
    retry_base: float = 30.0  # seconds before retrying a transient failure; doubles each attempt
    admin_channel: str | None = None  # failure reports go here (Slack channel id or #name)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class ReminderService:
    """A `bot.services.Service`: start() and stop() with the web server or the worker."""

    def __init__(
        self,
        host: Host,
        senders: Senders,
        rules: Rules,
        config: ReminderConfig = ReminderConfig(),
        worker: str | None = None,
    ) -> None:
        self.host = host
        self.db = host.db
        self.read_model = host.read_model
        self.senders = senders
        self.rules = rules
        self.config = config
        self.worker = worker or worker_name()
        self.scheduler: AsyncIOScheduler | None = None
        self._wake = asyncio.Event()
        self._plan_requested = True
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._reported: dict[tuple[int, str], float] = {}
        self._snapshot_at = -math.inf
        self.sent = 0

    # -- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self._stopping = False
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.add_job(
            self._plan_job,
            IntervalTrigger(seconds=self.config.plan_every, timezone=UTC),
            id="plan",
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._run(), name="reminders-run"),
            loop.create_task(self._watch(), name="reminders-watch"),
        ]

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming, let deliveries in flight finish (up to `grace` seconds), then stop."""
        self._stopping = True
        self._wake.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        for task in self._tasks[1:]:
            task.cancel()
        if self._tasks:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._tasks[0]), grace)
            self._tasks[0].cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _plan_job(self) -> None:
        self._plan_requested = True
        self._wake.set()

    async def _wake_job(self) -> None:
        self._wake.set()

    def _schedule_wake(self, at: datetime | None) -> None:
        """Wake at `at` (the next due reminder, on the bot's clock), and at the latest after `poll` seconds."""
        if self.scheduler is None:
            return
        now = self.host.clock()
        latest = now + timedelta(seconds=self.config.poll)
        when = latest if at is None else max(min(at, latest), now)
        self.scheduler.add_job(
            self._wake_job,
            DateTrigger(run_date=on_host_clock(self.host.clock, when), timezone=UTC),
            id="dispatch",
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def _watch(self) -> None:
        """Re-plan whenever the release state changes (here or on another replica)."""
        seen = self.read_model.snapshot.version
        while True:
            snap = await self.read_model.wait_for_version(seen + 1)
            seen = snap.version
            self._plan_requested = True
            self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                if self._plan_requested:
                    self._plan_requested = False
                    await self.plan_now()
                await self.dispatch_due()
                self._schedule_wake(await next_wake(self.db))
            except Exception:
                log.exception(messages.log_plan_error())
                self._plan_requested = True
                self._schedule_wake(None)
            if not self._stopping:
                await self._wake.wait()

    # -- planning ------------------------------------------------------------------------

    async def _fresh(self) -> Snapshot:
        """The read model, checked against the stored version at most once a second."""
        if time.monotonic() - self._snapshot_at >= 1.0:
            self._snapshot_at = time.monotonic()
            return await self.read_model.refresh()
        return self.read_model.snapshot

    async def plan_now(self) -> OutboxChanges:
        """Bring the outbox in line with the state: idempotent, safe to run on every replica."""
        self._snapshot_at = -math.inf
        snap = await self._fresh()
        now = self.host.clock()
        async with self.db.session() as session:
            subs = await load_subscriptions(session)
            existing = await load_existing(session, now - self.config.history)
        clock = ReminderClock(self.rules, snap.calendar)
        desired = plan(
            snap.milestones,
            subs,
            self.rules,
            snap.calendar,
            now - self.config.catch_up,
            now + self.config.horizon,
            clock,
        )
        changes = reconcile(desired, existing, snap.milestone_by_id, subs, self.rules, snap.calendar, now, clock)
        await apply_changes(self.db, changes, now)
        return changes

    # -- dispatch ------------------------------------------------------------------------

    async def dispatch_due(self) -> int:
        """Post everything due now; returns how many were posted."""
        sent = 0
        paced: dict[int, float] = {}  # subscription id -> when it may be posted to again (monotonic)
        flying: dict[asyncio.Task[bool], tuple[Claimed, float]] = {}  # with when its post started
        while True:
            now_m = time.monotonic()
            for sid in [s for s, t in paced.items() if t <= now_m]:
                del paced[sid]
            claimed: list[Claimed] = []
            free = self.config.concurrency - len(flying)
            if free > 0 and not self._stopping:
                busy = set(paced) | {row.subscription.id for row, _ in flying.values()}
                snap = await self._fresh()
                claimed = await claim_due(
                    self.db,
                    worker=self.worker,
                    now=self.host.clock(),
                    lease=self.config.lease,
                    limit=free,
                    skip_subscriptions=busy,
                )
                seen: set[int] = set()
                for row in claimed:
                    if row.subscription.id in seen:  # one per channel at a time: give the rest back
                        await release_claim(self.db, row.id, self.worker)
                        continue
                    seen.add(row.subscription.id)
                    flying[asyncio.get_running_loop().create_task(self._deliver(row, snap))] = (row, time.monotonic())
                if claimed and len(flying) < self.config.concurrency:
                    continue
            if not flying:
                if not paced:
                    return sent
                await asyncio.sleep(max(0.0, min(paced.values()) - time.monotonic()))
                continue
            timeout = max(0.0, min(paced.values()) - time.monotonic()) if paced else None
            done, _ = await asyncio.wait(flying, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                row, started = flying.pop(task)
                paced[row.subscription.id] = started + self.config.pace
                sent += 1 if task.result() else 0
                self.sent += 1 if task.result() else 0

    async def _deliver(self, row: Claimed, snap: Snapshot) -> bool:
        """Send one claimed row and record the outcome; True when it was posted."""
        sub = row.subscription
        try:
            if row.subscription_ended:
                await mark_withdrawn(self.db, row.id, self.worker, "unsubscribed")
                return False
            destination = Destination(sub.platform, sub.channel_id, where(sub), sub.webhook_url)
            now = self.host.clock()
            out = Outgoing(row.id, row.kind, row.milestone_id, row.lead, row.detail)
            message = compose(snap, out, sub, self.rules, now, self.senders.interactive(destination))
            if not isinstance(message, str) and is_vote_reminder(snap.milestone_by_id.get(row.milestone_id), sub):
                message = await vote_reminder(self.db, snap, snap.milestone_by_id[row.milestone_id], sub, now)
            if isinstance(message, str):
                await mark_withdrawn(self.db, row.id, self.worker, message)
                return False
            if row.attempts > self.config.max_attempts:
                error = f"gave up after {row.attempts - 1} attempts"
                await mark_failed(self.db, row.id, self.worker, error)
                await self._report(row, message.title, destination, error)
                return False
            hold = ClaimHold(self.db, row.id, self.worker, self.config.lease, self.host.clock)
            outcome = await self.senders.send(destination, message, row.key, hold)
            if outcome.status == "lost":  # another worker holds it now and posts it; nothing to record
                log.warning(messages.log_lost_claim_unposted(row.key))
                return False
            if outcome.status == "sent":
                if not await mark_sent(self.db, row.id, self.worker, outcome.message_id, self.host.clock()):
                    log.warning(messages.log_lost_claim(row.key))
                return True
            if outcome.status == "retry" and row.attempts < self.config.max_attempts:
                later = self.host.clock() + timedelta(seconds=self.config.retry_base * 2 ** (row.attempts - 1))
                await mark_retry(self.db, row.id, self.worker, outcome.error, later)
                return False
            await mark_failed(self.db, row.id, self.worker, outcome.error)
            await self._report(row, message.title, destination, outcome.error)
        except Exception:
            log.exception(messages.log_dispatch_error(row.key))
            with contextlib.suppress(Exception):
                await mark_retry(
                    self.db,
                    row.id,
                    self.worker,
                    "internal error",
                    self.host.clock() + timedelta(seconds=self.config.retry_base),
                )
        return False

    async def _report(self, row: Claimed, title: str, destination: Destination, error: str) -> None:
        """Tell the admin channel once an hour per (subscription, error); log when there is none."""
        channel = self.config.admin_channel
        key = (row.subscription.id, error)
        if channel is None or time.monotonic() - self._reported.get(key, -math.inf) < 3600:
            log.warning(messages.delivery_failed(destination.label, title, error))
            return
        self._reported[key] = time.monotonic()
        admin = Destination("slack", channel, channel)
        outcome = await self.senders.send(
            admin, failure_report(destination.label, title, error, row.attempts), f"report:{row.key}"
        )
        if outcome.status != "sent":
            log.warning(messages.log_report_failed(channel))
