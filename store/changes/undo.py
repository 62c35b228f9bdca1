"""Undo: changes form a stack, and the newest one that can be undone is reversed.

Passed over: events with nothing to undo (a vote), personal ones (someone's own DM subscription
or snooze, which their owner reverses), and changes set aside because their inverse could not
apply any more (`SetAside`). A change whose inverse is refused is not half-undone: the refusal
rolls the transaction back and names the change (`CannotUndo`), so the caller can set it aside
and the changes before it stay undoable.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from domain.kinds import PERSONAL
from domain.refusals import CannotUndo, NothingToUndo, NotLatest, PollClosePassed, Refusal
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import DeletePoll, Restore, decode
from store.changes.milestones import recompute_derived
from store.uow import UnitOfWork

__all__ = ["SET_ASIDE", "SetAside", "Undo", "newest_undoable"]

SET_ASIDE = "undo.skip"


async def newest_undoable(uow: UnitOfWork) -> m.AuditEvent | None:
    event = m.table_of(m.AuditEvent)
    marker = aliased(m.AuditEvent)
    set_aside = sa.exists().where(col(marker.undoes_id) == col(m.AuditEvent.id), col(marker.action) == SET_ASIDE)
    query = (
        select(m.AuditEvent)
        .where(
            col(m.AuditEvent.undone_by_id).is_(None),
            col(m.AuditEvent.undoes_id).is_(None),
            col(m.AuditEvent.action).not_in(("undo", SET_ASIDE)),
            col(m.AuditEvent.action).not_like(f"{PERSONAL}%"),
            sa.cast(event.c.undo, sa.String) != "[]",
            ~set_aside,
        )
        .order_by(col(m.AuditEvent.id).desc())
        .limit(1)
    )
    return (await uow.session.exec(query)).first()


@dataclass(frozen=True)
class Undo:
    """Reverse the newest change; with `expected` (a change's Undo button), that change only."""

    actor: str
    expected: int | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        event = await newest_undoable(uow)
        if event is None:
            raise NothingToUndo()
        assert event.id is not None
        if self.expected is not None and event.id != self.expected:
            raise NotLatest(self.expected, event.id, event.summary)
        steps = decode(event.undo)
        try:
            if event.action == "poll.close":
                poll_id = next(s.id for s in steps if isinstance(s, Restore) and s.table == "poll")
                poll = await session.get(m.Poll, poll_id)
                if poll is not None and poll.closes_at <= uow.now:
                    raise PollClosePassed(poll_id)
            for step in steps:
                await step.check(uow)
                await step.apply(uow)
        except Refusal as reason:
            raise CannotUndo(event.id, event.summary, reason) from None
        await session.flush()
        if any(getattr(step, "table", "") == "holiday" for step in steps):
            await recompute_derived(session, await lookups.calendar(session), [])
        who = f" (made by {event.actor} at {event.at:%Y-%m-%d %H:%M} UTC)" if event.actor != self.actor else ""
        changed = await record(uow, self.actor, "undo", f"Undid: {event.summary}{who}", [])
        changed.event.undoes_id = event.id
        event.undone_by_id = changed.event.id
        session.add_all([event, changed.event])
        await session.flush()
        polls = (s.id for s in steps if isinstance(s, DeletePoll) or (isinstance(s, Restore) and s.table == "poll"))
        return Changed(changed.event, changed.version, undone=event, poll_id=next(polls, None))


@dataclass(frozen=True)
class SetAside:
    """Take a change that can no longer be undone off the undo stack, saying why (audited)."""

    actor: str
    event_id: int
    why: str

    async def apply(self, uow: UnitOfWork) -> Changed:
        event = await uow.session.get(m.AuditEvent, self.event_id)
        if event is None or event.undone_by_id is not None:
            raise NothingToUndo()
        summary = f"Set aside on the undo stack: #{event.id} “{event.summary}” ({self.why})"
        changed = await record(uow, self.actor, SET_ASIDE, summary, [])
        changed.event.undoes_id = event.id
        uow.session.add(changed.event)
        await uow.session.flush()
        return changed
