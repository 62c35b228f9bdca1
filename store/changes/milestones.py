"""Milestone changes: add (with what the rules derive from it), move, mark done, cancel.

Derived milestones (a referral period end 10 Working Days after a Change Board vote) follow
their source: moving the source or adding a holiday moves them (`recompute_derived`), cancelling
the source cancels them. A poll's deadline belongs to its poll and is refused here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import LONDON, WorkingDays, in_range, local_date, london_to_utc, wall_clock_exists
from domain.kinds import MilestoneKind, MilestoneOrigin, MilestoneState
from domain.limits import check_text
from domain.record import When, effective_note
from domain.refusals import (
    AmbiguousMilestone,
    DateOutOfRange,
    DerivedMilestone,
    MetWhenPollCloses,
    MilestoneGone,
    MilestoneNotPlanned,
    NoSuchMilestone,
    NoSuchTime,
    NotAMilestoneKind,
    PollDeadline,
)
from domain.rules import Derivation
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, Inverse, Restore
from store.uow import UnitOfWork

__all__ = ["AddMilestone", "CancelMilestone", "MarkMet", "MoveMilestone", "derive", "recompute_derived"]

_FIELDS = ("due_at", "all_day", "state")
_MAX_DEPTH = 10


def _london_time(instant: datetime) -> time:
    return instant.astimezone(LONDON).time()


def _check_wall_clock(day: date, at: time | None) -> None:
    if not in_range(day):
        raise DateOutOfRange(day)
    if at is not None and not wall_clock_exists(day, at):
        raise NoSuchTime(day, at)


def _not_a_poll_deadline(ms: m.Milestone, rel: m.Release) -> None:
    if ms.kind == MilestoneKind.poll_close.value:
        raise PollDeadline(ms.title, rel.slug)


async def _milestone_in(session: AsyncSession, rel: m.Release, which: str) -> m.Milestone:
    """By key or #id, else the one milestone of that kind in the release."""
    rows = list((await session.exec(select(m.Milestone).where(m.Milestone.release_id == rel.id))).all())
    key = which.lower()
    exact = [r for r in rows if r.key.lower() == key or str(r.id) == key.lstrip("#")]
    if exact:
        return exact[0]
    kind = key.replace("-", "_")
    by_kind = [r for r in rows if r.kind == kind]
    if len(by_kind) == 1:
        return by_kind[0]
    if by_kind:
        raise AmbiguousMilestone(rel.name, kind, tuple(r.key for r in by_kind))
    raise NoSuchMilestone(rel.name, which)


async def recompute_derived(session: AsyncSession, calendar: WorkingDays, undo: list[Inverse]) -> list[m.Milestone]:
    """Move every derived milestone to (its source's date + its offset); return those that moved.

    Each moved milestone's old date is added to `undo` once, so undoing puts every one back.
    Only derived milestones and their sources are read (not every milestone of every release).
    """
    derived = select(m.Milestone).where(col(m.Milestone.derived_from_id).is_not(None)).order_by(col(m.Milestone.id))
    rows = list((await session.exec(derived)).all())
    by_id = {row.id: row for row in rows}
    sources = {row.derived_from_id for row in rows} - by_id.keys()
    if sources:
        found = await session.exec(select(m.Milestone).where(col(m.Milestone.id).in_(sources)))
        by_id.update((row.id, row) for row in found.all())
    moved: list[m.Milestone] = []
    kept = {step.id for step in undo if isinstance(step, Restore) and step.table == "milestone"}

    def resolve(ms: m.Milestone, depth: int = 0) -> None:
        if ms.derived_from_id is None or ms.offset_wd is None or depth > 2 * _MAX_DEPTH:
            return
        base = by_id.get(ms.derived_from_id)
        if base is None:
            return
        resolve(base, depth + 1)
        day = calendar.add(local_date(base.due_at), ms.offset_wd)
        due = london_to_utc(day, None if ms.all_day else _london_time(ms.due_at))
        if due != ms.due_at:
            assert ms.id is not None
            if ms.id not in kept:
                undo.append(Restore.of(ms, *_FIELDS))
                kept.add(ms.id)
            ms.due_at = due
            session.add(ms)
            moved.append(ms)

    for row in rows:
        resolve(row)
    await session.flush()
    return moved


async def derive(
    session: AsyncSession,
    source: m.Milestone,
    rules: Sequence[Derivation],
    calendar: WorkingDays,
    undo: list[Inverse],
    root: m.Milestone | None = None,
    depth: int = 0,
) -> list[m.Milestone]:
    """The milestones `rules` say follow from `source` (and from those), depth-first; undo
    deletes each derived milestone before its source."""
    root = root or source
    made: list[m.Milestone] = []
    for rule in (d for d in rules if d.source == source.kind):
        if depth > _MAX_DEPTH:
            break
        day = calendar.add(local_date(source.due_at), rule.working_days)
        ms = m.Milestone(
            key=f"{source.key}/{rule.kind.replace('_', '-')}",
            release_id=source.release_id,
            modification_id=source.modification_id,
            kind=rule.kind,
            title=rule.title_for(source.title, root.title),
            due_at=london_to_utc(day, None if source.all_day else _london_time(source.due_at)),
            all_day=source.all_day,
            origin=MilestoneOrigin.derived.value,
            derived_from_id=source.id,
            offset_wd=rule.working_days,
            notes=f"{rule.working_days} Working Days after “{source.title}” (rule)",
        )
        session.add(ms)
        await session.flush()
        undo.insert(0, Delete.of(ms))
        made.append(ms)
        made.extend(await derive(session, ms, rules, calendar, undo, root, depth + 1))
    return made


@dataclass(frozen=True)
class AddMilestone:
    """A stated milestone, and the milestones `derive` says follow from its kind (and from those)."""

    actor: str
    slug: str
    kind: str
    day: date
    at: time | None
    title: str = ""
    derive: Sequence[Derivation] = ()
    effective: When | None = None  # when it was decided; the audit log says so

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        rel = await lookups.release(session, self.slug)
        if self.kind not in {k.value for k in MilestoneKind}:
            raise NotAMilestoneKind(self.kind)
        _check_wall_clock(self.day, self.at)
        check_text("title", self.title)
        base_key = f"{rel.slug}/{self.kind.replace('_', '-')}-{self.day.isoformat()}"
        key, n = base_key, 1
        while (await session.exec(select(m.Milestone).where(m.Milestone.key == key))).first() is not None:
            n += 1
            key = f"{base_key}-{n}"
        ms = m.Milestone(
            key=key,
            release_id=rel.id,
            kind=self.kind,
            title=self.title or self.kind.replace("_", " ").capitalize(),
            due_at=london_to_utc(self.day, self.at),
            all_day=self.at is None,
            origin=MilestoneOrigin.stated.value,
            notes=f"added by {self.actor}",
        )
        session.add(ms)
        await session.flush()
        undo: list[Inverse] = [Delete.of(ms)]
        derived = await derive(session, ms, self.derive, await lookups.calendar(session), undo) if self.derive else []
        when = self.day.strftime("%a %d %b %Y") + (f" {self.at:%H:%M}" if self.at else "")
        summary = f"Added milestone “{ms.title}” to {rel.name} on {when}"
        if derived:
            summary += "; derived: " + ", ".join(f"“{d.title}” {local_date(d.due_at):%a %d %b %Y}" for d in derived)
        summary += effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "milestone.add", summary, undo)


@dataclass(frozen=True)
class MoveMilestone:
    actor: str
    slug: str
    which: str
    day: date
    at: time | None
    reason: str = ""
    effective: When | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        rel = await lookups.release(session, self.slug)
        ms = await _milestone_in(session, rel, self.which)
        _not_a_poll_deadline(ms, rel)
        _check_wall_clock(self.day, self.at)
        check_text("reason", self.reason)
        if ms.origin == MilestoneOrigin.derived.value:
            raise DerivedMilestone(ms.title)
        undo: list[Inverse] = [Restore.of(ms, *_FIELDS)]
        before = local_date(ms.due_at)
        at = self.at if self.at is not None else (None if ms.all_day else _london_time(ms.due_at))
        ms.due_at = london_to_utc(self.day, at)
        ms.all_day = ms.all_day and self.at is None
        session.add(ms)
        await session.flush()
        moved = await recompute_derived(session, await lookups.calendar(session), undo)
        summary = f"Moved “{ms.title}” ({rel.name}) from {before:%d %b %Y} to {self.day:%d %b %Y}"
        if moved:
            summary += "; derived: " + ", ".join(f"“{d.title}” → {local_date(d.due_at):%d %b %Y}" for d in moved)
        if self.reason:
            summary += f" ({self.reason})"
        summary += effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "milestone.move", summary, undo)


@dataclass(frozen=True)
class MarkMet:
    """A milestone done (the Done button): its remaining reminders are withdrawn by the outbox."""

    actor: str
    key: str

    async def apply(self, uow: UnitOfWork) -> Changed:
        ms = (await uow.session.exec(select(m.Milestone).where(m.Milestone.key == self.key))).first()
        if ms is None:
            raise MilestoneGone()
        if ms.kind == MilestoneKind.poll_close.value:
            raise MetWhenPollCloses(ms.title)
        if ms.state != MilestoneState.planned.value:
            raise MilestoneNotPlanned(ms.title, ms.state)
        undo: list[Inverse] = [Restore.of(ms, *_FIELDS)]
        ms.state = MilestoneState.met.value
        uow.session.add(ms)
        await uow.session.flush()
        summary = f"Marked “{ms.title}” done ({local_date(ms.due_at):%a %d %b %Y})"
        return await record(uow, self.actor, "milestone.met", summary, undo)


@dataclass(frozen=True)
class CancelMilestone:
    """A milestone and those derived from it; subscribers are told by the outbox."""

    actor: str
    slug: str
    which: str
    reason: str = ""
    effective: When | None = None

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        check_text("reason", self.reason)
        rel = await lookups.release(session, self.slug)
        ms = await _milestone_in(session, rel, self.which)
        _not_a_poll_deadline(ms, rel)
        if ms.state == MilestoneState.cancelled.value:
            raise MilestoneNotPlanned(ms.title, ms.state)
        rows = list((await session.exec(select(m.Milestone))).all())
        chain, frontier = [ms], {ms.id}
        while frontier:
            nxt = [r for r in rows if r.derived_from_id in frontier and r.state != MilestoneState.cancelled.value]
            chain.extend(nxt)
            frontier = {r.id for r in nxt}
        undo: list[Inverse] = [Restore.of(r, *_FIELDS) for r in chain]
        for r in chain:
            r.state = MilestoneState.cancelled.value
            session.add(r)
        await session.flush()
        summary = f"Cancelled “{ms.title}” ({rel.name}, {local_date(ms.due_at):%d %b %Y})"
        if len(chain) > 1:
            summary += " and what follows from it: " + ", ".join(f"“{r.title}”" for r in chain[1:])
        if self.reason:
            summary += f" ({self.reason})"
        summary += effective_note(self.effective, local_date(uow.now))
        return await record(uow, self.actor, "milestone.cancel", summary, undo)
