"""State changes made from chat: each one transactional, audited, and undoable.

Every function here runs inside the caller's transaction (`Database.transaction()`), checks the
state it is about to change *in the database* (not in a possibly stale read model), raises
`ChangeRefused` with a user-facing sentence when the change makes no sense, and returns an
`AuditEvent` whose `undo` list holds the inverse operations. `undo_last` applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from notifiers.workdays import (
    LONDON,
    WorkingDays,
    local_date,
    london_to_utc,
    wall_clock_exists,
)
from store import models as m
from store.db import bump_version

if TYPE_CHECKING:
    from notifiers.rules import Derivation

__all__ = [
    "PERSONAL",
    "ChangeRefused",
    "Changed",
    "add_holiday",
    "add_milestone",
    "add_member",
    "cancel_milestone",
    "finish",
    "mark_met",
    "move_milestone",
    "recompute_derived",
    "set_scope",
    "undo_last",
]


PERSONAL = "personal."  # an action someone takes for themselves; not on the admins' undo stack


class ChangeRefused(Exception):
    """The change cannot be made; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Changed:
    event: m.AuditEvent
    version: int
    undone: m.AuditEvent | None = None  # for an undo: the change it reversed


async def finish(session: AsyncSession, postgres: bool, actor: str, action: str, summary: str, undo: list[dict[str, Any]]) -> Changed:
    """Write the audit event and bump the state version (same transaction as the change)."""
    event = m.AuditEvent(actor=actor, action=action, summary=summary, undo=undo)
    session.add(event)
    await session.flush()
    version = await bump_version(session, postgres)
    return Changed(event, version)


# -- helpers -----------------------------------------------------------------------------


async def _release(session: AsyncSession, slug: str) -> m.Release:
    rel = (await session.exec(select(m.Release).where(m.Release.slug == slug))).first()
    if rel is None:
        raise ChangeRefused(f"There is no release `{slug}`.")
    return rel


async def _mod(session: AsyncSession, ref: str) -> m.Modification | None:
    mod = (await session.exec(select(m.Modification).where(m.Modification.ref == ref))).first()
    if mod is None:
        for candidate in (await session.exec(select(m.Modification).where(col(m.Modification.aliases).contains(ref)))).all():
            if ref in candidate.aliases.split():
                return candidate
    return mod


async def _current(session: AsyncSession, release_id: int, mod_id: int) -> m.ScopeChange | None:
    return (
        await session.exec(
            select(m.ScopeChange)
            .where(
                m.ScopeChange.release_id == release_id,
                m.ScopeChange.modification_id == mod_id,
                col(m.ScopeChange.retracted_at).is_(None),
            )
            .order_by(col(m.ScopeChange.effective).desc(), col(m.ScopeChange.id).desc())
        )
    ).first()


async def _live_elsewhere(session: AsyncSession, mod_id: int, release_id: int) -> tuple[m.Release, str] | None:
    """Another release this modification is targeted or approved for now (one release at a time)."""
    others = (await session.exec(select(m.ScopeChange.release_id).where(m.ScopeChange.modification_id == mod_id, m.ScopeChange.release_id != release_id).distinct())).all()
    for other_id in others:
        change = await _current(session, other_id, mod_id)
        if _in_scope(change):
            other = await session.get(m.Release, other_id)
            assert other is not None and change is not None
            return other, change.state
    return None


def _in_scope(change: m.ScopeChange | None) -> bool:
    return change is not None and change.state in (m.ScopeState.targeted.value, m.ScopeState.approved.value)


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


_TABLES: dict[str, type[m.SQLModel]] = {
    "milestone": m.Milestone,
    "holiday": m.Holiday,
    "modification": m.Modification,
    "release": m.Release,
    "member": m.Member,
    "memberidentity": m.MemberIdentity,
    "scopechange": m.ScopeChange,
    "decision": m.Decision,
    "poll": m.Poll,
    "subscription": m.Subscription,
    "delivery": m.Delivery,
}


def _restore_op(row: m.SQLModel, fields: tuple[str, ...]) -> dict[str, Any]:
    table = row.__tablename__  # type: ignore[attr-defined]
    return {"op": "restore", "table": table, "id": row.id, "values": {f: _jsonable(getattr(row, f)) for f in fields}}  # type: ignore[attr-defined]


def _delete_op(row: m.SQLModel) -> dict[str, Any]:
    return {"op": "delete", "table": row.__tablename__, "id": row.id}  # type: ignore[attr-defined]


# -- scope -------------------------------------------------------------------------------


async def set_scope(
    session: AsyncSession,
    *,
    postgres: bool,
    actor: str,
    action: str,
    slug: str,
    ref: str,
    reason: str,
    today: date,
    to_slug: str | None = None,
    title: str | None = None,
) -> Changed:
    """add (targeted) / approve / remove / move one modification in one release's scope."""
    rel = await _release(session, slug)
    undo: list[dict[str, Any]] = []
    mod = await _mod(session, ref)
    if mod is None:
        if action != "add" or not title:
            raise ChangeRefused(f"I don't know {ref}.")
        mod = m.Modification(ref=ref, title=title)
        session.add(mod)
        await session.flush()
        undo.append(_delete_op(mod))
    assert rel.id is not None and mod.id is not None
    current = await _current(session, rel.id, mod.id)
    state = current.state if current else None
    new: list[m.ScopeChange] = []

    def change(release_id: int, new_state: str, note: str = "", moved_to: int | None = None) -> None:
        new.append(
            m.ScopeChange(
                release_id=release_id, modification_id=mod.id, state=new_state, moved_to_release_id=moved_to,  # type: ignore[arg-type]
                effective=today, reason=reason, note=note, actor=actor,
            )  # fmt: skip
        )

    where = f"{mod.ref} in {rel.name}"
    if action in ("add", "approve") and not _in_scope(current):
        elsewhere = await _live_elsewhere(session, mod.id, rel.id)
        if elsewhere is not None:
            other, other_state = elsewhere
            raise ChangeRefused(
                f"{mod.ref} is {other_state} for {other.name}; to change release, "
                f"`/release {other.slug} move {mod.ref} to {rel.slug}`."
            )
    if action == "add":
        if _in_scope(current):
            raise ChangeRefused(f"{mod.ref} is already {state} for {rel.name}.")
        change(rel.id, m.ScopeState.targeted.value)
        summary = f"Targeted {where}"
    elif action == "approve":
        if state == m.ScopeState.approved.value:
            raise ChangeRefused(f"{mod.ref} is already approved for {rel.name}.")
        change(rel.id, m.ScopeState.approved.value)
        summary = f"Approved {where}" + ("" if _in_scope(current) else " (it was not in scope; added as approved)")
    elif action == "remove":
        if not _in_scope(current):
            raise ChangeRefused(f"{mod.ref} is not in the scope of {rel.name}" + (f" (it is {state})." if state else "."))
        change(rel.id, m.ScopeState.removed.value)
        summary = f"Removed {where}: {reason}"
    elif action == "move":
        if to_slug is None:
            raise ChangeRefused("Move it to which release?")
        target = await _release(session, to_slug)
        assert target.id is not None
        if target.id == rel.id:
            raise ChangeRefused(f"{mod.ref} is already in {rel.name}.")
        if not _in_scope(current):
            raise ChangeRefused(f"{mod.ref} is not in the scope of {rel.name}" + (f" (it is {state})." if state else "."))
        there = await _current(session, target.id, mod.id)
        if _in_scope(there):
            raise ChangeRefused(f"{mod.ref} is already {there.state} for {target.name}.")  # type: ignore[union-attr]
        change(rel.id, m.ScopeState.moved.value, moved_to=target.id)
        change(target.id, state or m.ScopeState.targeted.value, note=f"moved from {rel.name}")
        summary = f"Moved {mod.ref} from {rel.name} to {target.name}" + (f": {reason}" if reason else "")
    else:
        raise ValueError(action)
    for row in new:
        session.add(row)
    await session.flush()
    if undo:
        # The change created the modification: undo removes it with its only history (the audit keeps the record).
        undo[:0] = [_delete_op(row) for row in new]
    else:
        undo.insert(0, {"op": "retract", "ids": [row.id for row in new]})
    return await finish(session, postgres, actor, f"scope.{action}", summary, undo)


# -- milestones and holidays -------------------------------------------------------------

_MS_FIELDS = ("due_at", "all_day", "state")


async def _calendar(session: AsyncSession) -> WorkingDays:
    return WorkingDays({h.day: h.name for h in (await session.exec(select(m.Holiday))).all()})


async def recompute_derived(session: AsyncSession, calendar: WorkingDays, undo: list[dict[str, Any]]) -> list[m.Milestone]:
    """Move every derived milestone to (its source's date + its offset); return those that moved."""
    rows = list((await session.exec(select(m.Milestone).order_by(col(m.Milestone.id)))).all())
    by_id = {row.id: row for row in rows}
    moved: list[m.Milestone] = []
    seen_restore: set[int] = {op["id"] for op in undo if op.get("op") == "restore" and op.get("table") == "milestone"}

    def resolve(ms: m.Milestone, depth: int = 0) -> None:
        if ms.derived_from_id is None or ms.offset_wd is None or depth > 20:
            return
        base = by_id.get(ms.derived_from_id)
        if base is None:
            return
        resolve(base, depth + 1)
        day = calendar.add(local_date(base.due_at), ms.offset_wd)
        due = london_to_utc(day, None if ms.all_day else _london_time(ms.due_at))
        if due != ms.due_at:
            if ms.id not in seen_restore:
                undo.append(_restore_op(ms, _MS_FIELDS))
                seen_restore.add(ms.id)  # type: ignore[arg-type]
            ms.due_at = due
            session.add(ms)
            moved.append(ms)

    for row in rows:
        resolve(row)
    await session.flush()
    return moved


def _london_time(instant: datetime) -> time:
    return instant.astimezone(LONDON).time()


def _check_wall_clock(day: date, at: time | None) -> None:
    if at is not None and not wall_clock_exists(day, at):
        raise ChangeRefused(f"{at:%H:%M} does not exist in London on {day:%a %d %b %Y}: the clocks go forward that night. Pick another time.")


def _not_a_poll_deadline(ms: m.Milestone, rel: m.Release) -> None:
    """A poll's deadline belongs to the poll: it closes (or is reopened) through the poll only."""
    if ms.kind == m.MilestoneKind.poll_close.value:
        raise ChangeRefused(f"“{ms.title}” is a poll's deadline; close the poll with `/release {rel.slug} vote close`, or open a new one.")


async def _milestone_in(session: AsyncSession, rel: m.Release, which: str) -> m.Milestone:
    rows = list((await session.exec(select(m.Milestone).where(m.Milestone.release_id == rel.id))).all())
    key = which.lower()
    exact = [r for r in rows if r.key.lower() == key or str(r.id) == key.lstrip("#")]
    if exact:
        return exact[0]
    kind = key.replace("-", "_")
    by_kind = [r for r in rows if r.kind == kind]
    if len(by_kind) == 1:
        return by_kind[0]
    if len(by_kind) > 1:
        keys = ", ".join(f"`{r.key}`" for r in by_kind)
        raise ChangeRefused(f"{rel.name} has {len(by_kind)} `{kind}` milestones; name one: {keys}.")
    raise ChangeRefused(f"{rel.name} has no milestone `{which}`.")


async def add_milestone(
    session: AsyncSession,
    *,
    postgres: bool,
    actor: str,
    slug: str,
    kind: str,
    day: date,
    at: time | None,
    title: str,
    derive: Sequence[Derivation] = (),
) -> Changed:
    """Add a stated milestone, and the milestones `derive` says follow from its kind (and from those)."""
    rel = await _release(session, slug)
    if kind not in {k.value for k in m.MilestoneKind}:
        raise ChangeRefused(f"`{kind}` is not a milestone kind.")
    _check_wall_clock(day, at)
    base_key = f"{rel.slug}/{kind.replace('_', '-')}-{day.isoformat()}"
    key = base_key
    n = 1
    while (await session.exec(select(m.Milestone).where(m.Milestone.key == key))).first() is not None:
        n += 1
        key = f"{base_key}-{n}"
    ms = m.Milestone(
        key=key, release_id=rel.id, kind=kind, title=title or kind.replace("_", " ").capitalize(),
        due_at=london_to_utc(day, at), all_day=at is None, origin=m.MilestoneOrigin.stated.value, notes=f"added by {actor}",
    )  # fmt: skip
    session.add(ms)
    await session.flush()
    undo = [_delete_op(ms)]
    derived = await _add_derived(session, ms, ms, derive, await _calendar(session), undo) if derive else []
    when = day.strftime("%a %d %b %Y") + (f" {at:%H:%M}" if at else "")
    summary = f"Added milestone “{ms.title}” to {rel.name} on {when}"
    if derived:
        summary += "; derived: " + ", ".join(f"“{d.title}” {local_date(d.due_at):%a %d %b %Y}" for d in derived)
    return await finish(session, postgres, actor, "milestone.add", summary, undo)


async def _add_derived(
    session: AsyncSession, source: m.Milestone, root: m.Milestone, derive: Sequence[Derivation], calendar: WorkingDays, undo: list[dict[str, Any]], depth: int = 0
) -> list[m.Milestone]:
    """Milestones following `source` by the rules (depth-first); undo deletes them before their source."""
    made: list[m.Milestone] = []
    for rule in (d for d in derive if d.source == source.kind):
        if depth > 10:
            break
        ms = m.Milestone(
            key=f"{source.key}/{rule.kind.replace('_', '-')}", release_id=source.release_id, modification_id=source.modification_id,
            kind=rule.kind, title=rule.title_for(source.title, root.title),
            due_at=london_to_utc(calendar.add(local_date(source.due_at), rule.working_days), None if source.all_day else _london_time(source.due_at)),
            all_day=source.all_day, origin=m.MilestoneOrigin.derived.value, derived_from_id=source.id, offset_wd=rule.working_days,
            notes=f"{rule.working_days} Working Days after “{source.title}” (rule)",
        )  # fmt: skip
        session.add(ms)
        await session.flush()
        undo.insert(0, _delete_op(ms))
        made.append(ms)
        made.extend(await _add_derived(session, ms, root, derive, calendar, undo, depth + 1))
    return made


async def move_milestone(
    session: AsyncSession, *, postgres: bool, actor: str, slug: str, which: str, day: date, at: time | None, reason: str
) -> Changed:
    rel = await _release(session, slug)
    ms = await _milestone_in(session, rel, which)
    _not_a_poll_deadline(ms, rel)
    _check_wall_clock(day, at)
    if ms.origin == m.MilestoneOrigin.derived.value:
        raise ChangeRefused(f"“{ms.title}” is derived from another milestone; change that one and this follows.")
    undo = [_restore_op(ms, _MS_FIELDS)]
    before = local_date(ms.due_at)
    ms.due_at = london_to_utc(day, at if at is not None else (None if ms.all_day else _london_time(ms.due_at)))
    ms.all_day = ms.all_day and at is None
    session.add(ms)
    await session.flush()
    moved = await recompute_derived(session, await _calendar(session), undo)
    summary = f"Moved “{ms.title}” ({rel.name}) from {before:%d %b %Y} to {day:%d %b %Y}"
    if moved:
        summary += "; derived: " + ", ".join(f"“{d.title}” → {local_date(d.due_at):%d %b %Y}" for d in moved)
    if reason:
        summary += f" ({reason})"
    return await finish(session, postgres, actor, "milestone.move", summary, undo)


async def mark_met(session: AsyncSession, *, postgres: bool, actor: str, key: str) -> Changed:
    """Mark a milestone done (met): its remaining reminders are withdrawn by the outbox."""
    ms = (await session.exec(select(m.Milestone).where(m.Milestone.key == key))).first()
    if ms is None:
        raise ChangeRefused("That milestone is no longer in the release store.")
    if ms.kind == m.MilestoneKind.poll_close.value:
        raise ChangeRefused(f"“{ms.title}” is met when the poll closes.")
    if ms.state != "planned":
        raise ChangeRefused(f"“{ms.title}” is already {'done' if ms.state == 'met' else ms.state}.")
    undo = [_restore_op(ms, _MS_FIELDS)]
    ms.state = "met"
    session.add(ms)
    await session.flush()
    return await finish(session, postgres, actor, "milestone.met", f"Marked “{ms.title}” done ({local_date(ms.due_at):%a %d %b %Y})", undo)


async def cancel_milestone(session: AsyncSession, *, postgres: bool, actor: str, slug: str, which: str, reason: str) -> Changed:
    """Cancel a milestone and the milestones derived from it; subscribers are told by the outbox."""
    rel = await _release(session, slug)
    ms = await _milestone_in(session, rel, which)
    _not_a_poll_deadline(ms, rel)
    if ms.state == "cancelled":
        raise ChangeRefused(f"“{ms.title}” is already cancelled.")
    rows = list((await session.exec(select(m.Milestone))).all())
    chain, frontier = [ms], {ms.id}
    while frontier:
        nxt = [r for r in rows if r.derived_from_id in frontier and r.state != "cancelled"]
        chain.extend(nxt)
        frontier = {r.id for r in nxt}
    undo = [_restore_op(r, _MS_FIELDS) for r in chain]
    for r in chain:
        r.state = "cancelled"
        session.add(r)
    await session.flush()
    summary = f"Cancelled “{ms.title}” ({rel.name}, {local_date(ms.due_at):%d %b %Y})"
    if len(chain) > 1:
        summary += " and what follows from it: " + ", ".join(f"“{r.title}”" for r in chain[1:])
    if reason:
        summary += f" ({reason})"
    return await finish(session, postgres, actor, "milestone.cancel", summary, undo)


async def add_holiday(session: AsyncSession, *, postgres: bool, actor: str, day: date, name: str) -> Changed:
    existing = (await session.exec(select(m.Holiday).where(m.Holiday.day == day))).first()
    if existing is not None:
        raise ChangeRefused(f"{day:%d %b %Y} is already a holiday ({existing.name}).")
    calendar = await _calendar(session)
    bank = calendar.holiday_name(day)
    if bank is not None:
        raise ChangeRefused(f"{day:%d %b %Y} is already a bank holiday ({bank}).")
    if day.weekday() >= 5:
        raise ChangeRefused(f"{day:%A %d %b %Y} is a weekend day; it is never a Working Day.")
    holiday = m.Holiday(day=day, name=name, added_by=actor)
    session.add(holiday)
    await session.flush()
    calendar.extra[day] = name
    undo = [_delete_op(holiday)]
    moved = await recompute_derived(session, calendar, undo)
    summary = f"Added holiday {day:%a %d %b %Y}: {name}"
    if moved:
        summary += "; derived milestones moved: " + ", ".join(f"“{d.title}” → {local_date(d.due_at):%d %b %Y}" for d in moved)
    return await finish(session, postgres, actor, "holiday.add", summary, undo)


async def add_member(
    session: AsyncSession, *, postgres: bool, actor: str, platform: str, user_id: str, role: str, name: str | None
) -> Changed:
    """Register a platform user as a member with a role (or change the role of a known one)."""
    if role not in {r.value for r in m.Role}:
        raise ChangeRefused(f"`{role}` is not a role (admin, panel, observer).")
    ident = (
        await session.exec(select(m.MemberIdentity).where(m.MemberIdentity.platform == platform, m.MemberIdentity.user_id == user_id))
    ).first()
    if ident is not None:
        member = await session.get(m.Member, ident.member_id)
        assert member is not None
        undo = [_restore_op(member, ("role", "name"))]
        member.role = role
        member.name = name or member.name
        session.add(member)
        summary = f"Set {member.name} ({platform}:{user_id}) to {role}"
    else:
        member = m.Member(name=name or user_id, role=role)
        session.add(member)
        await session.flush()
        ident = m.MemberIdentity(member_id=member.id, platform=platform, user_id=user_id)  # type: ignore[arg-type]
        session.add(ident)
        await session.flush()
        undo = [_delete_op(ident), _delete_op(member)]
        summary = f"Added {member.name} ({platform}:{user_id}) as {role}"
    return await finish(session, postgres, actor, "member.set", summary, undo)


# -- undo --------------------------------------------------------------------------------


async def undo_last(session: AsyncSession, *, postgres: bool, actor: str, expected: int | None = None) -> Changed:
    """Reverse the newest change that is not yet undone (changes form a stack).

    Passed over: events with nothing to undo (a vote) and personal ones (someone's own DM
    subscription, a snooze), which their owner reverses themselves. With `expected` (the Undo
    button of one change), only that change is undone, and only if it is still the newest.
    """
    event = (
        await session.exec(
            select(m.AuditEvent)
            .where(
                col(m.AuditEvent.undone_by_id).is_(None),
                col(m.AuditEvent.undoes_id).is_(None),
                m.AuditEvent.action != "undo",
                col(m.AuditEvent.action).not_like(f"{PERSONAL}%"),
                sa.cast(m.AuditEvent.__table__.c.undo, sa.String) != "[]",  # type: ignore[attr-defined]
            )
            .order_by(col(m.AuditEvent.id).desc())
            .limit(1)
        )
    ).first()
    if event is None:
        raise ChangeRefused("There is nothing to undo.")
    if expected is not None and event.id != expected:
        raise ChangeRefused(f"Change #{expected} is no longer the latest (#{event.id} “{event.summary}” came after it); undo that first, or see `/release audit`.")
    now = m.utcnow()
    if event.action == "poll.close":
        poll = await session.get(m.Poll, next(op["id"] for op in event.undo if op.get("table") == "poll"))
        if poll is not None and poll.closes_at <= now:
            raise ChangeRefused(f"Poll #{poll.id}'s deadline has passed, so its close cannot be undone; open a new poll instead.")
    for op in event.undo:
        kind = op["op"]
        if kind == "retract":
            await (await session.connection()).execute(
                sa.update(m.ScopeChange).where(col(m.ScopeChange.id).in_(op["ids"])).values(retracted_at=now)
            )
        elif kind == "delete":
            row = await session.get(_TABLES[op["table"]], op["id"])
            if row is not None:
                await session.delete(row)
                await session.flush()
        elif kind == "delete_poll":
            poll = await session.get(m.Poll, op["id"])
            if poll is not None:
                votes = (await session.exec(select(m.Vote).where(m.Vote.poll_id == poll.id))).first()
                if votes is not None or poll.state != "open":
                    raise ChangeRefused(f"Poll #{poll.id} already has votes; close it instead of undoing it.")
                for message in (await session.exec(select(m.PollMessage).where(m.PollMessage.poll_id == poll.id))).all():
                    await session.delete(message)
                await session.delete(poll)
                await session.flush()
        elif kind == "withdraw":  # a delivery the change queued: withdraw it unless it has gone out
            await (await session.connection()).execute(
                sa.update(m.Delivery).where(col(m.Delivery.id) == op["id"], col(m.Delivery.state) == m.DeliveryState.pending.value).values(state=m.DeliveryState.withdrawn.value, last_error="undone")
            )
        elif kind == "restore":
            row = await session.get(_TABLES[op["table"]], op["id"])
            if row is None:
                raise ChangeRefused(f"Cannot undo “{event.summary}”: the {op['table']} it changed is gone.")
            for name, value in op["values"].items():
                setattr(row, name, _from_json(value))
            session.add(row)
        else:
            raise ValueError(f"unknown undo op {kind}")
    await session.flush()
    if any(op.get("table") == "holiday" for op in event.undo):
        await recompute_derived(session, await _calendar(session), [])
    who = f" (made by {event.actor} at {event.at:%Y-%m-%d %H:%M} UTC)" if event.actor != actor else ""
    changed = await finish(session, postgres, actor, "undo", f"Undid: {event.summary}{who}", [])
    changed.event.undoes_id = event.id
    event.undone_by_id = changed.event.id
    session.add_all([event, changed.event])
    await session.flush()
    return Changed(changed.event, changed.version, undone=event)
