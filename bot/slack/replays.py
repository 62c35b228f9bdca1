"""The replay guard's shared half: signatures recorded in the database, so a request accepted by
one replica (or by this one before a restart) is refused when it comes again.

The guard's in-memory check runs first and costs nothing; what passes it is recorded here and
waits for its record (`first_time`); requests arriving together share one statement (group
commit). Old rows are purged at most once a minute, off the request's path. A slash command the
reply cache answers (a read: it changes nothing) is not recorded at all (the guard's `confirm`
with `wait=False`): recording one row per read cost the Slack HTTP benchmark 10% of its
throughput on SQLite and tripled its p99, while a replayed read can only get the same answer
again, once per replica.

When the store is down or slow, requests go on with the in-memory check alone (writes are refused
by the store then anyway), and the database is not asked again for a few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

from bot import messages
from domain.clock import Clock, system_clock
from store.db import Database
from store.replays import forget_signatures, record_signatures

__all__ = ["SharedReplays"]

log = logging.getLogger("releasebot.slack")

BATCH = 256  # signatures per statement


class SharedReplays:
    """`first_time(signature, signed_at)`: True unless some replica has recorded the signature."""

    def __init__(
        self,
        db: Database,
        keep: timedelta,
        clock: Clock = system_clock,
        timeout: float = 1.0,
        purge_every: timedelta = timedelta(seconds=60),
        rest_after_failure: float = 5.0,
    ) -> None:
        self._db = db
        self._keep = keep
        self._clock = clock
        self._timeout = timeout
        self._purge_every = purge_every
        self._rest = rest_after_failure
        self._pending: dict[str, tuple[datetime, asyncio.Future[bool]]] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._purge: asyncio.Task[int] | None = None
        self._next_purge: datetime | None = None
        self._down_until = 0.0

    async def first_time(self, signature: str, signed_at: datetime) -> bool:
        if time.monotonic() < self._down_until:
            return True
        waiting = self._pending.get(signature)
        if waiting is None:
            waiting = (signed_at, asyncio.get_running_loop().create_future())
            self._pending[signature] = waiting
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await waiting[1]  # the flusher answers every request within `timeout`

    async def drain(self) -> None:
        """Let the statements in flight finish (the adapter stops after its answers)."""
        for task in (self._flusher, self._purge):
            if task is not None and not task.done():
                await asyncio.wait({task}, timeout=self._timeout * 2)

    async def _flush(self) -> None:
        while self._pending:
            batch = dict(list(self._pending.items())[:BATCH])
            for signature in batch:
                del self._pending[signature]
            fresh = await self._record([(s, at) for s, (at, _) in batch.items()])
            for signature, (_, future) in batch.items():
                if not future.done():
                    future.set_result(signature in fresh)
            self._purge_now_and_then()

    async def _record(self, seen: list[tuple[str, datetime]]) -> set[str]:
        """The new signatures; all of them when the store fails or does not answer in time (the
        statement is then left to finish on its own: waiting on its cancellation could hang too)."""
        task = asyncio.ensure_future(record_signatures(self._db, seen))
        task.add_done_callback(_retrieve)
        done, _ = await asyncio.wait({task}, timeout=self._timeout)
        if done and not task.cancelled() and task.exception() is None:
            return task.result()
        self._failed((task.exception() if done and not task.cancelled() else None) or TimeoutError())
        return {signature for signature, _ in seen}

    def _purge_now_and_then(self) -> None:
        now = self._clock()
        if (self._next_purge is not None and now < self._next_purge) or time.monotonic() < self._down_until:
            return
        if self._purge is not None and not self._purge.done():
            return
        self._next_purge = now + self._purge_every
        self._purge = asyncio.create_task(forget_signatures(self._db, now - self._keep))
        self._purge.add_done_callback(self._purged)

    def _purged(self, task: asyncio.Task[int]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self._failed(task.exception() or RuntimeError())

    def _failed(self, exc: BaseException) -> None:
        if time.monotonic() >= self._down_until:
            log.warning(messages.log_replay_store_failed(type(exc).__name__))
        self._down_until = time.monotonic() + self._rest


def _retrieve(task: asyncio.Task[set[str]]) -> None:
    """Mark a failure seen (it is logged once by `_failed`), so asyncio does not log it again."""
    if not task.cancelled():
        task.exception()
