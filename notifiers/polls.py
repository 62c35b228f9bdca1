"""Closes polls at their deadline: APScheduler wakes the closer; the database decides.

The deadline is on the bot's clock (which may live on the demo's day); the closer asks the
store what is due by that clock and translates the next wake-up to the host's (`notifiers.wake`).
On start (and every `check_every` seconds) the closer closes every overdue open poll and sets one
wake-up at the next deadline, so a poll open across a restart still closes on time. Closing is
idempotent: when several replicas wake together, one closes and announces, the others find the
poll closed already.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import Protocol, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock, system_clock
from notifiers import messages
from notifiers.wake import on_host_clock
from store import polls
from store.uow import Change

T = TypeVar("T")

__all__ = ["PollCloser", "PollStore", "TellPlatforms"]


class PollStore(Protocol):
    """What the closer needs of the store: a read and a write (the bot's `StoreWriter`)."""

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T: ...

    async def write(self, change: Change[T]) -> T: ...


TellPlatforms = Callable[[int, bool], None]  # (poll id, closed): the platforms update its messages


log = logging.getLogger("releasebot.polls")

CLOSER = "releasebot (poll deadline)"


class PollCloser:
    """A service (started and stopped with the process): its scheduler exists only while it runs."""

    def __init__(self, store: PollStore, tell: TellPlatforms, clock: Clock, check_every: float = 15.0) -> None:
        self.store = store
        self.tell = tell
        self.clock = clock
        self.check_every = check_every
        self.scheduler: AsyncIOScheduler | None = None

    async def start(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.start()
        self.scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.check_every,
            id="polls-check",
            next_run_time=system_clock(),  # the scheduler's own (host) clock: the first check at once
        )

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def tick(self) -> None:
        """Close what is due, then wake again at the next deadline."""
        try:
            now = self.clock()
            due = await self.store.read(lambda s: polls.due_polls(s, now))
            for poll_id in due:
                done = await self.store.write(polls.ClosePoll(CLOSER, poll_id))
                if done is not None:
                    log.info(messages.log_poll_closed(poll_id))
                    self.tell(poll_id, True)
            upcoming = await self.store.read(polls.next_close)
        except Exception:  # the store may be down: the interval job tries again
            log.warning(messages.log_poll_check_failed(), exc_info=True)
            return
        if upcoming is not None and self.scheduler is not None:
            self.scheduler.add_job(
                self.tick,
                "date",
                run_date=on_host_clock(self.clock, upcoming),
                id="polls-next",
                replace_existing=True,
                misfire_grace_time=None,
            )
