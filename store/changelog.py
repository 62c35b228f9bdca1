"""Which rows a transaction wrote, so every read model reloads the change, not the store.

A transaction of `Database.transaction` records, as it goes, the table and id of every row it
writes: rows the ORM inserts, updates or deletes (`session.add`, a changed attribute,
`session.delete`) when it flushes; a Core UPDATE or DELETE run on its connection by selecting
the ids its WHERE clause matches just before it runs. A Core INSERT, or a statement whose rows
cannot be told, marks its table as wholly written. `bump_version` (`store/db.py`) adds a
`StateChange` row for the version it makes, and the transaction fills it in with what it wrote
just before it commits: `{"scopechange": [812, 813], "auditevent": [95]}`, a table mapped to
null when it was wholly written. Replicas read the rows named since their version
(`store/readmodel.py`, `store/loading.py:load_changed`); a wholly written table or a version
without a record means a full reload.

So a new kind of change needs nothing here: whatever it writes through the session or the
connection is recorded. Only raw SQL text writing release state goes unseen (don't).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.state import InstanceState
from sqlmodel.ext.asyncio.session import AsyncSession

from store import models as m

__all__ = ["KEY", "Touched", "attach", "touched_of", "track", "write"]

KEY = "releasebot.touched"
_UNTRACKED = frozenset({"statechange", "stateversion"})
_TRACKED: set[str] = set()  # the tables read models are built from (empty: every table)


def track(tables: Iterable[str]) -> None:
    """Core writes to other tables (votes, the outbox) need no extra select (`store/loading.py` calls it)."""
    _TRACKED.update(tables)


_CHANGES = m.table_of(m.StateChange)


@dataclass
class Touched:
    """What one transaction wrote so far."""

    rows: dict[str, set[int]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # tables written in ways whose rows are not known
    versions: list[int] = field(default_factory=list)  # the state versions it made
    flushing: bool = False

    def add(self, table: str, ids: list[Any]) -> None:
        if table in _UNTRACKED:
            return
        if all(isinstance(i, int) for i in ids):
            self.rows.setdefault(table, set()).update(ids)
        else:
            self.whole.add(table)

    def as_json(self) -> dict[str, list[int] | None]:
        found: dict[str, list[int] | None] = {table: sorted(ids) for table, ids in self.rows.items()}
        found.update(dict.fromkeys(self.whole))
        return found


def touched_of(session: Session | AsyncSession) -> Touched | None:
    value = session.info.get(KEY)
    return value if isinstance(value, Touched) else None


def _flush_starts(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    if (touched := touched_of(session)) is not None:
        touched.flushing = True


def _flushed(session: Session, _ctx: UOWTransaction) -> None:
    """The rows this flush wrote (the session's new, dirty and deleted lists are still pre-flush)."""
    touched = touched_of(session)
    if touched is None:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        state: InstanceState[Any] = sa.inspect(obj)
        mapper = state.mapper
        table = mapper.local_table
        if isinstance(table, sa.Table):
            key = mapper.primary_key_from_instance(obj)
            touched.add(table.name, list(key) if len(key) == 1 else [None])


def _flush_ends(session: Session, _ctx: UOWTransaction) -> None:
    if (touched := touched_of(session)) is not None:
        touched.flushing = False


for _name, _hook in (("before_flush", _flush_starts), ("after_flush", _flushed), ("after_flush_postexec", _flush_ends)):
    event.listen(Session, _name, _hook)


def _statement(
    conn: sa.Connection, clause: Any, multiparams: list[dict[str, Any]], params: dict[str, Any], _options: Any
) -> None:
    """A Core statement about to run in a recording transaction: the rows it will write."""
    touched = conn.info.get(KEY)
    if not isinstance(touched, Touched) or touched.flushing:
        return
    if not isinstance(clause, sa.Insert | sa.Update | sa.Delete):
        return
    table = clause.table
    if not isinstance(table, sa.Table) or table.name in _UNTRACKED or (_TRACKED and table.name not in _TRACKED):
        return
    if isinstance(clause, sa.Insert) or "id" not in table.c or len(multiparams) > 1:
        touched.whole.add(table.name)
        return
    query = sa.select(table.c.id)
    if clause.whereclause is not None:
        query = query.where(clause.whereclause)
    bound = multiparams[0] if multiparams else params
    touched.add(table.name, [row[0] for row in conn.execute(query, bound or {})])


def attach(engine: sa.Engine) -> None:
    """Record Core writes on this engine's connections (`Database` calls it once)."""
    event.listen(engine, "before_execute", _statement)


async def write(session: AsyncSession, touched: Touched) -> None:
    """Fill in the change rows of the versions this transaction made (the last one says it all)."""
    await session.flush()
    conn = await session.connection()
    *earlier, last = touched.versions
    for version in earlier:
        await conn.execute(sa.update(_CHANGES).where(_CHANGES.c.version == version).values(touched={}))
    await conn.execute(sa.update(_CHANGES).where(_CHANGES.c.version == last).values(touched=touched.as_json()))
