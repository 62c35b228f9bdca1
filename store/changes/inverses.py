"""How a change is undone: typed inverse operations, each checking and applying itself.

An audit event keeps its inverse as JSON (`encode`); undo decodes it (`decode`) and runs each
step in order. A step that cannot apply any more says why with a `Refusal` before it touches
anything (a row it would delete is referred to by a vote; a row it would restore is gone), so
undo never fails on a foreign key and never leaves half a change behind.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlmodel import SQLModel

from domain.kinds import DeliveryState
from domain.refusals import PollHasVotes, StillReferenced, TargetGone
from store import models as m
from store.uow import UnitOfWork

__all__ = ["Delete", "DeletePoll", "Inverse", "Restore", "Retract", "Withdraw", "decode", "encode"]

TABLES: dict[str, type[SQLModel]] = {
    model.__tablename__: model  # type: ignore[misc]
    for model in (
        m.Milestone,
        m.Holiday,
        m.Modification,
        m.Release,
        m.Member,
        m.MemberIdentity,
        m.ScopeChange,
        m.Decision,
        m.PhaseChange,
        m.Poll,
        m.Subscription,
        m.Delivery,
        m.Source,  # the rest of the release record: an import adds and alters any of it
        m.PhaseChange,
        m.ParticipantImpact,
        m.ImpactSummary,
        m.DocumentImpact,
        m.Cost,
        m.AcceptanceCriterion,
        m.RidVersion,
        m.GlossaryTerm,
    )
}

# How a referring row is named when it blocks an undo.
_REFERRERS = {
    "vote": "votes",
    "memberidentity": "platform accounts",
    "pollmessage": "posted poll messages",
    "scopechange": "scope history entries",
    "milestone": "milestones",
    "poll": "polls",
    "delivery": "reminders",
    "decision": "decisions",
    "participantimpact": "participant impacts",
    "documentimpact": "document impacts",
    "cost": "costs",
    "subscription": "subscriptions",
    "phasechange": "phase history entries",
    "ridversion": "RID versions",
    "glossaryterm": "glossary terms",
    "impactsummary": "impact summaries",
    "acceptancecriterion": "acceptance criteria",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"])
    return value


class Inverse(abc.ABC):
    """One step of undoing a change. Subclasses register under their `op` name."""

    op: ClassVar[str]
    _kinds: ClassVar[dict[str, type[Inverse]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Inverse._kinds[cls.op] = cls

    async def check(self, uow: UnitOfWork) -> None:  # noqa: B027 (most steps can always apply)
        """Raise a `Refusal` if this step can no longer apply (it then changes nothing)."""

    @abc.abstractmethod
    async def apply(self, uow: UnitOfWork) -> None: ...

    @abc.abstractmethod
    def to_json(self) -> dict[str, Any]: ...

    @classmethod
    @abc.abstractmethod
    def from_json(cls, data: dict[str, Any]) -> Inverse: ...


@dataclass(frozen=True)
class Retract(Inverse):
    """History rows the change appended (scope, RID content): marked retracted, never deleted."""

    op: ClassVar[str] = "retract"
    ids: tuple[int, ...]
    table: str = "scopechange"

    async def apply(self, uow: UnitOfWork) -> None:
        table = m.table_of(TABLES[self.table])
        await (await uow.connection()).execute(
            sa.update(table).where(table.c.id.in_(self.ids)).values(retracted_at=uow.now)
        )

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "ids": list(self.ids), "table": self.table}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Retract:
        return cls(tuple(int(i) for i in data["ids"]), str(data.get("table", "scopechange")))


@dataclass(frozen=True)
class Delete(Inverse):
    """A row the change added. Refused while other rows still refer to it (a member who voted)."""

    op: ClassVar[str] = "delete"
    table: str
    id: int

    @staticmethod
    def of(row: SQLModel) -> Delete:
        return Delete(row.__tablename__, int(row.id))  # type: ignore[arg-type, attr-defined]

    async def check(self, uow: UnitOfWork) -> None:
        target = m.table_of(TABLES[self.table])
        conn = await uow.connection()
        for table in SQLModel.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table is target:
                    refers = sa.select(sa.func.count()).select_from(table).where(fk.parent == self.id)
                    if table is target:  # a row of the same table (a derived milestone), not the row itself
                        refers = refers.where(table.c.id != self.id)
                    count = await conn.scalar(refers)
                    if count:
                        raise StillReferenced(self.table, _REFERRERS.get(table.name, table.name), int(count))

    async def apply(self, uow: UnitOfWork) -> None:
        row = await uow.session.get(TABLES[self.table], self.id)
        if row is not None:
            await uow.session.delete(row)
            await uow.session.flush()

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "table": self.table, "id": self.id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Delete:
        return cls(str(data["table"]), int(data["id"]))


@dataclass(frozen=True)
class Restore(Inverse):
    """Columns the change altered, put back to what they were."""

    op: ClassVar[str] = "restore"
    table: str
    id: int
    values: tuple[tuple[str, Any], ...]

    @staticmethod
    def of(row: SQLModel, *fields: str) -> Restore:
        values = tuple((f, getattr(row, f)) for f in fields)
        return Restore(row.__tablename__, int(row.id), values)  # type: ignore[arg-type, attr-defined]

    async def check(self, uow: UnitOfWork) -> None:
        if await uow.session.get(TABLES[self.table], self.id) is None:
            raise TargetGone(self.table)

    async def apply(self, uow: UnitOfWork) -> None:
        row = await uow.session.get(TABLES[self.table], self.id)
        assert row is not None  # checked
        for name, value in self.values:
            setattr(row, name, value)
        uow.session.add(row)
        await uow.session.flush()

    def to_json(self) -> dict[str, Any]:
        values = {name: _jsonable(value) for name, value in self.values}
        return {"op": self.op, "table": self.table, "id": self.id, "values": values}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Restore:
        values = tuple((str(k), _from_json(v)) for k, v in data["values"].items())
        return cls(str(data["table"]), int(data["id"]), values)


@dataclass(frozen=True)
class DeletePoll(Inverse):
    """A poll the change opened, with where it was posted; refused once anyone has voted."""

    op: ClassVar[str] = "delete_poll"
    id: int

    async def check(self, uow: UnitOfWork) -> None:
        poll = await uow.session.get(m.Poll, self.id)
        if poll is None:
            return
        votes = await (await uow.connection()).scalar(
            sa.select(sa.func.count()).select_from(m.table_of(m.Vote)).where(m.table_of(m.Vote).c.poll_id == self.id)
        )
        if votes or poll.state != "open":
            raise PollHasVotes(self.id)

    async def apply(self, uow: UnitOfWork) -> None:
        conn = await uow.connection()
        messages = m.table_of(m.PollMessage)
        await conn.execute(sa.delete(messages).where(messages.c.poll_id == self.id))
        polls = m.table_of(m.Poll)
        await conn.execute(sa.delete(polls).where(polls.c.id == self.id))

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "id": self.id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeletePoll:
        return cls(int(data["id"]))


@dataclass(frozen=True)
class Withdraw(Inverse):
    """A reminder the change queued: withdrawn unless it has gone out already."""

    op: ClassVar[str] = "withdraw"
    id: int

    async def apply(self, uow: UnitOfWork) -> None:
        table = m.table_of(m.Delivery)
        await (await uow.connection()).execute(
            sa.update(table)
            .where(table.c.id == self.id, table.c.state == DeliveryState.pending.value)
            .values(state=DeliveryState.withdrawn.value, last_error="undone")
        )

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "table": "delivery", "id": self.id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Withdraw:
        return cls(int(data["id"]))


def encode(steps: Sequence[Inverse]) -> list[dict[str, Any]]:
    return [step.to_json() for step in steps]


def decode(data: Sequence[dict[str, Any]]) -> list[Inverse]:
    """The steps stored with an audit event (older events were written in the same shape)."""
    return [Inverse._kinds[str(item["op"])].from_json(item) for item in data]
