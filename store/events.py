"""Events API deliveries seen: a retried event is answered once, whichever replica gets it."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.db import Database
from store.models import SlackEvent, table_of

__all__ = ["claim_event", "finish_event"]

TAKE_OVER_AFTER = timedelta(seconds=60)  # a first delivery still unanswered by then is presumed lost
KEEP = timedelta(days=2)
_EVENTS = table_of(SlackEvent)


async def claim_event(db: Database, event_id: str, now: datetime) -> bool:
    """True if this process should answer the event: first delivery, or an abandoned one."""
    insert = (pg_insert if db.postgres else sqlite_insert)(_EVENTS).values(
        event_id=event_id, received_at=now, done=False
    )
    async with db.transaction(serialize=False) as session:
        conn = await session.connection()
        result = await conn.execute(insert.on_conflict_do_nothing(index_elements=["event_id"]))
        if result.rowcount == 1:
            await conn.execute(sa.delete(_EVENTS).where(_EVENTS.c.received_at < now - KEEP))
            return True
        taken = await conn.execute(
            sa.update(_EVENTS)
            .where(
                _EVENTS.c.event_id == event_id,
                _EVENTS.c.done.is_(False),
                _EVENTS.c.received_at < now - TAKE_OVER_AFTER,
            )
            .values(received_at=now)
        )
        return bool(taken.rowcount == 1)


async def finish_event(db: Database, event_id: str) -> None:
    async with db.transaction(serialize=False) as session:
        conn = await session.connection()
        await conn.execute(sa.update(_EVENTS).where(_EVENTS.c.event_id == event_id).values(done=True))
