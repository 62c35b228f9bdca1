"""What changes read before they write: releases, modifications and scope history, in the database.

Changes check the state they are about to change here (not in a possibly stale read model), in
the same transaction, under the state-version lock.
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import WorkingDays
from domain.refusals import UnknownRelease
from domain.scope import Place, is_live
from store import models as m

__all__ = ["calendar", "latest_scope", "live_elsewhere", "live_in", "modification", "place", "release"]


async def release(session: AsyncSession, slug: str) -> m.Release:
    rel = (await session.exec(select(m.Release).where(m.Release.slug == slug))).first()
    if rel is None:
        raise UnknownRelease(slug)
    return rel


async def modification(session: AsyncSession, ref: str) -> m.Modification | None:
    """By ref, else by an alias (`MP144` is `DP144`)."""
    mod = (await session.exec(select(m.Modification).where(m.Modification.ref == ref))).first()
    if mod is None:
        for candidate in (
            await session.exec(select(m.Modification).where(col(m.Modification.aliases).contains(ref)))
        ).all():
            if ref in candidate.aliases.split():
                return candidate
    return mod


async def latest_scope(session: AsyncSession, release_id: int, mod_id: int) -> m.ScopeChange | None:
    """The live (not retracted) history entry that is the modification's state in the release."""
    query = (
        select(m.ScopeChange)
        .where(
            m.ScopeChange.release_id == release_id,
            m.ScopeChange.modification_id == mod_id,
            col(m.ScopeChange.retracted_at).is_(None),
        )
        .order_by(col(m.ScopeChange.effective).desc(), col(m.ScopeChange.id).desc())
    )
    return (await session.exec(query)).first()


def place(rel: m.Release, change: m.ScopeChange | None) -> Place:
    assert rel.id is not None
    return Place(rel.id, rel.slug, rel.name, change.state if change is not None else None)


async def live_elsewhere(session: AsyncSession, mod_id: int, release_id: int) -> Place | None:
    """Another release the modification is targeted or approved for now (one release at a time)."""
    others = (
        await session.exec(
            select(m.ScopeChange.release_id)
            .where(m.ScopeChange.modification_id == mod_id, m.ScopeChange.release_id != release_id)
            .distinct()
        )
    ).all()
    for other_id in others:
        change = await latest_scope(session, other_id, mod_id)
        if change is not None and is_live(change.state):
            other = await session.get(m.Release, other_id)
            assert other is not None
            return place(other, change)
    return None


async def live_in(session: AsyncSession, release_id: int) -> set[int]:
    """The modifications targeted or approved in the release now (its latest live history per one)."""
    query = (
        select(m.ScopeChange)
        .where(m.ScopeChange.release_id == release_id, col(m.ScopeChange.retracted_at).is_(None))
        .order_by(col(m.ScopeChange.effective), col(m.ScopeChange.id))
    )
    latest = {change.modification_id: change.state for change in (await session.exec(query)).all()}
    return {mod_id for mod_id, state in latest.items() if is_live(state)}


async def calendar(session: AsyncSession) -> WorkingDays:
    """The Working Day calendar with the holidays stored now (this transaction's view)."""
    return WorkingDays({h.day: h.name for h in (await session.exec(select(m.Holiday))).all()})
