"""A unit of work: one transaction, the kind of database it runs on, and the instant it happens at.

Every change is handed one (cosmicpython's unit of work): it reads and writes through the
session, stamps what it records with `now` (read once from the injected clock when the
transaction began), and commits or rolls back as a whole when the writer leaves the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = ["Change", "UnitOfWork", "Work"]

T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class UnitOfWork:
    session: AsyncSession
    postgres: bool
    now: datetime

    async def connection(self) -> AsyncConnection:
        return await self.session.connection()


class Change(Protocol[T_co]):
    """A state change: a typed command that applies itself in a unit of work (audited, undoable)."""

    async def apply(self, uow: UnitOfWork) -> T_co: ...


class Work(Protocol[T_co]):
    """Transactional work that is not release state (a vote, where a poll was posted)."""

    async def __call__(self, uow: UnitOfWork) -> T_co: ...
