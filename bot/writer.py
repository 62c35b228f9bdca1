"""The store writer: every database call the bot makes, bounded by the write timeout.

Handlers get it as `commands.context.Writer`; adapters use it for the few things that are not
commands (recording a posted poll message, loading a poll). Each change runs in a unit of work
stamped with the bot's clock, so what it records happened on the day the bot lives on. A
release-state change is applied to the read model at once, so the next answer here already sees it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock
from store.db import Database
from store.readmodel import ReadModel
from store.uow import Change, UnitOfWork
from store.votes import Counted, Press, VoteBox

__all__ = ["StoreWriter"]

T = TypeVar("T")


class StoreWriter:
    """Writes, plain transactions and reads, each given up after `timeout` seconds (the store may hang)."""

    def __init__(self, db: Database, read_model: ReadModel, clock: Clock, timeout: float) -> None:
        self.db = db
        self.read_model = read_model
        self.clock = clock
        self.timeout = timeout
        self.votes = VoteBox(db, clock, timeout)

    async def write(self, change: Change[T]) -> T:
        """A release-state change in one serialised transaction, then applied to the read model."""
        async with asyncio.timeout(self.timeout):
            async with self.db.transaction() as session:
                done = await change.apply(UnitOfWork(session, self.db.postgres, self.clock()))
        await self.read_model.refresh()
        return done

    async def run(self, work: Change[T]) -> T:
        """A transaction that is not a release-state change (a vote): no state lock, no reload."""
        async with asyncio.timeout(self.timeout):
            async with self.db.transaction(serialize=False) as session:
                return await work.apply(UnitOfWork(session, self.db.postgres, self.clock()))

    async def vote(self, press: Press) -> Counted:
        """A vote, committed with the presses queued beside it (group commit); see `store.votes`."""
        return await self.votes.cast(press)

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with asyncio.timeout(self.timeout):
            async with self.db.session() as session:
                return await query(session)
