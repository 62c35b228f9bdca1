"""Closes polls at their deadline: APScheduler wakes the closer; the database decides.

On start (and every `check_every` seconds) the closer closes every overdue open poll and sets one
wake-up at the next deadline, so a poll open across a restart still closes on time. Closing is
idempotent: when several replicas wake together, one closes and announces, the others find the
poll closed already.
"""

from __future__ import annotations

import logging
from datetime import timezone
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from commands import messages
from store import polls

if TYPE_CHECKING:
    from bot.core import Releasebot

__all__ = ["PollCloser"]

log = logging.getLogger("releasebot.polls")

CLOSER = "releasebot (poll deadline)"


class PollCloser:
    def __init__(self, bot: Releasebot, check_every: float = 15.0) -> None:
        self.bot = bot
        self.check_every = check_every
        self.scheduler: AsyncIOScheduler | None = None

    async def start(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self.scheduler.start()
        self.scheduler.add_job(self.tick, "interval", seconds=self.check_every, id="polls-check", next_run_time=self.bot.clock())

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def tick(self) -> None:
        """Close what is due, then wake again at the next deadline."""
        try:
            now = self.bot.clock()
            due = await self.bot.read(lambda s: polls.due_polls(s, now))
            for poll_id in due:
                done = await self.bot.write(polls.close_poll, actor=CLOSER, poll_id=poll_id, now=self.bot.clock())
                if done is not None:
                    log.info(messages.log_poll_closed(poll_id))
                    self.bot.poll_changed(poll_id, closed=True)
            upcoming = await self.bot.read(polls.next_close)
        except Exception:  # the store may be down: the interval job tries again
            log.warning(messages.log_poll_check_failed(), exc_info=True)
            return
        if upcoming is not None and self.scheduler is not None:
            self.scheduler.add_job(self.tick, "date", run_date=upcoming, id="polls-next", replace_existing=True, misfire_grace_time=None)
