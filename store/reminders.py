"""Changes to who is reminded of what: subscriptions and snoozes, audited and undoable.

Like `store.changes`, each function runs in the caller's transaction, checks the database, raises
`ChangeRefused` with a sentence for the user, and ends with `finish` (audit event + state version,
so every replica re-plans). The outbox follows on its own: ending a subscription makes the next
planning pass withdraw its pending reminders, and undo makes it bring them back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from notifiers.rules import MAX_LEAD
from store import models as m
from store.changes import PERSONAL, Changed, ChangeRefused, finish

__all__ = ["snooze", "subscribe", "unsubscribe"]


def _leads_text(leads: Sequence[int]) -> str:
    return ",".join(str(n) for n in leads)


def _scope_text(release: m.Release | None, kinds: str, leads: str) -> str:
    what = ", ".join(kinds.split()) if kinds else "every kind the rules remind"
    when = f"{leads.replace(',', ', ')} WD before" if leads else "lead times from the rules"
    return f"{release.name if release else 'every release'} ({what}; {when})"


def _restore(sub: m.Subscription, **values: Any) -> dict[str, Any]:
    encoded = {k: ({"datetime": v.isoformat()} if isinstance(v, datetime) else v) for k, v in values.items()}
    return {"op": "restore", "table": "subscription", "id": sub.id, "values": encoded}


async def _release(session: AsyncSession, slug: str | None) -> m.Release | None:
    if slug is None:
        return None
    rel = (await session.exec(select(m.Release).where(m.Release.slug == slug))).first()
    if rel is None:
        raise ChangeRefused(f"There is no release `{slug}`.")
    return rel


async def _active(session: AsyncSession, platform: str, channel_id: str) -> list[m.Subscription]:
    query = select(m.Subscription).where(
        m.Subscription.platform == platform, m.Subscription.channel_id == channel_id, col(m.Subscription.ended_at).is_(None)
    )
    return list((await session.exec(query.order_by(col(m.Subscription.id)))).all())


def _action(name: str, personal: bool) -> str:
    """A DM subscription is its owner's own business: kept off the admins' undo stack."""
    return PERSONAL + name if personal else name


async def subscribe(
    session: AsyncSession,
    *,
    postgres: bool,
    actor: str,
    platform: str,
    channel_id: str,
    channel_name: str,
    direct: bool,
    slug: str | None,
    kinds: Sequence[str],
    leads: Sequence[int] | None,
    webhook_url: str | None = None,
    personal: bool = False,
) -> Changed:
    """Start reminders in a channel, or widen an existing subscription of it to the same release.

    Kinds add to the ones the channel already gets (no kinds: every kind); leads replace.
    """
    if leads and (max(leads) > MAX_LEAD or min(leads) < 0):
        raise ChangeRefused(f"Leads are 0 to {MAX_LEAD} Working Days before the milestone.")
    rel = await _release(session, slug)
    where = channel_name or channel_id
    current = next((s for s in await _active(session, platform, channel_id) if s.release_id == (rel.id if rel else None)), None)
    new_kinds = set(kinds)
    if current is None:
        sub = m.Subscription(
            platform=platform, channel_id=channel_id, channel_name=channel_name, direct=direct, release_id=rel.id if rel else None,
            kinds=" ".join(sorted(new_kinds)), leads=_leads_text(leads or ()), webhook_url=webhook_url, created_by=actor,
        )  # fmt: skip
        session.add(sub)
        await session.flush()
        undo = [_restore(sub, ended_at=m.utcnow())]
        summary = f"Subscribed {where} to reminders for {_scope_text(rel, sub.kinds, sub.leads)}"
        return await finish(session, postgres, actor, _action("subscription.add", personal), summary, undo)
    before = {"kinds": current.kinds, "leads": current.leads, "webhook_url": current.webhook_url, "channel_name": current.channel_name}
    had = set(current.kinds.split())
    merged = "" if not had or not new_kinds else " ".join(sorted(had | new_kinds))
    after = {
        "kinds": merged,
        "leads": _leads_text(leads) if leads else current.leads,
        "webhook_url": webhook_url or current.webhook_url,
        "channel_name": channel_name or current.channel_name,
    }
    if {k: after[k] for k in ("kinds", "leads", "webhook_url")} == {k: before[k] for k in ("kinds", "leads", "webhook_url")}:
        raise ChangeRefused(f"{where} already gets reminders for {_scope_text(rel, current.kinds, current.leads)}.")
    for name, value in after.items():
        setattr(current, name, value)
    session.add(current)
    await session.flush()
    summary = f"Changed the reminders of {where} to {_scope_text(rel, current.kinds, current.leads)}"
    return await finish(session, postgres, actor, _action("subscription.change", personal), summary, [_restore(current, **before)])


async def unsubscribe(
    session: AsyncSession, *, postgres: bool, actor: str, platform: str, channel_id: str, channel_name: str, scope: str | None, kinds: Sequence[str],
    kinds_known: Sequence[str], personal: bool = False,
) -> Changed:  # fmt: skip
    """Stop reminders: `scope` None = every subscription of the channel, "all" = the all-releases one,
    else a release slug. With kinds, only those kinds stop (`kinds_known` spells out "every kind")."""
    where = channel_name or channel_id
    subs = await _active(session, platform, channel_id)
    if scope is not None:
        rel = None if scope == "all" else await _release(session, scope)
        subs = [s for s in subs if s.release_id == (rel.id if rel else None)]
    if not subs:
        raise ChangeRefused(f"{where} has no such reminder subscription. `/release subscriptions` lists them.")
    undo: list[dict[str, Any]] = []
    parts: list[str] = []
    now = m.utcnow()
    for sub in subs:
        rel_name = (await session.get(m.Release, sub.release_id)).name if sub.release_id else "every release"  # type: ignore[union-attr]
        if kinds:
            had = set(sub.kinds.split()) or set(kinds_known)
            left = had - set(kinds)
            if left == had:
                continue
            if left:
                undo.append(_restore(sub, kinds=sub.kinds))
                sub.kinds = " ".join(sorted(left))
                parts.append(f"{', '.join(sorted(had - left))} for {rel_name}")
                session.add(sub)
                continue
        undo.append(_restore(sub, ended_at=None))
        sub.ended_at = now
        session.add(sub)
        parts.append(f"all reminders for {rel_name}")
    if not parts:
        raise ChangeRefused(f"{where} does not get {', '.join(kinds)} reminders.")
    await session.flush()
    return await finish(session, postgres, actor, _action("subscription.end", personal), f"Stopped {'; '.join(parts)} in {where}", undo)


async def snooze(session: AsyncSession, *, postgres: bool, actor: str, delivery_id: int, due_at: datetime, until: str) -> Changed:
    """Queue the reminder again at `due_at` (the handler picks 1 Working Day later)."""
    original = await session.get(m.Delivery, delivery_id)
    if original is None:
        raise ChangeRefused("That reminder is no longer in the outbox.")
    sub = await session.get(m.Subscription, original.subscription_id)
    if sub is None or sub.ended_at is not None:
        raise ChangeRefused("Reminders to this channel have been stopped; `/release subscribe` starts them again.")
    ms = await session.get(m.Milestone, original.milestone_id)
    if ms is None or ms.state != "planned":
        raise ChangeRefused(f"“{ms.title}” is {'done' if ms.state == 'met' else ms.state}; nothing to snooze." if ms else "That milestone is no longer in the release store.")
    key = f"{original.dedupe_key.split('/snooze@')[0]}/snooze@{due_at:%Y-%m-%dT%H:%M}"
    if (await session.exec(select(m.Delivery).where(m.Delivery.dedupe_key == key))).first() is not None:
        raise ChangeRefused(f"Already snoozed until {until}.")
    again = m.Delivery(
        dedupe_key=key, kind=m.DeliveryKind.snooze.value, subscription_id=original.subscription_id, milestone_id=original.milestone_id,
        lead=original.lead, due_at=due_at, planned_for=ms.due_at, detail=json.dumps({"snoozed_by": actor}),
    )  # fmt: skip
    session.add(again)
    await session.flush()
    undo = [{"op": "withdraw", "table": "delivery", "id": again.id}]
    return await finish(session, postgres, actor, PERSONAL + "reminder.snooze", f"Snoozed the reminder “{ms.title}” until {until}", undo)
