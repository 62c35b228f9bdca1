"""What a handler gets besides the command: who asks, when, the state, and a way to write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.rules import Rules
from domain.snapshot import Snapshot
from store.uow import Change
from store.votes import Counted, Press

T = TypeVar("T")

__all__ = ["Actor", "Channel", "Context", "Writer"]


@dataclass(frozen=True)
class Actor:
    """A platform user, resolved to a member and role when the store knows them."""

    platform: str
    user_id: str
    name: str = ""
    role: str | None = None
    member_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def label(self) -> str:
        """How the audit log names them: `Jane Doe (slack:U123)`."""
        who = self.name or self.user_id
        return f"{who} ({self.platform}:{self.user_id})"


@dataclass(frozen=True)
class Channel:
    """Where a request came from: a Slack or Teams channel, a DM, or the console."""

    platform: str
    id: str
    name: str = ""
    direct: bool = False  # a 1:1 conversation with the bot


class Writer(Protocol):
    """Runs changes in one transaction each, in a unit of work stamped with the clock's now."""

    async def write(self, change: Change[T]) -> T:
        """A release-state change: under the state lock, then the read model is refreshed."""
        ...

    async def run(self, work: Change[T]) -> T:
        """A transaction that is not a release-state change (a vote): no state lock, no reload."""
        ...

    async def vote(self, press: Press) -> Counted:
        """A vote: committed in a batch with the presses beside it, answered from that batch."""
        ...

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T: ...


@dataclass(frozen=True)
class Context:
    snapshot: Snapshot
    actor: Actor
    now: datetime
    today: date
    rules: Rules
    writer: Writer | None = None
    channel: Channel | None = None
    webhook_hosts: frozenset[str] = frozenset()  # extra hosts webhook subscriptions may use
