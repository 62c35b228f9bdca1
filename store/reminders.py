"""Changes to who is reminded of what: subscriptions and snoozes, audited and undoable.

Like `store.changes`, each is a typed change in the writer's unit of work: it checks the
database, raises a `Refusal` when it makes no sense, and ends with `record` (audit event + state
version, so every replica re-plans). The outbox follows on its own: ending a subscription makes
the next planning pass withdraw its pending reminders, and undo makes it bring them back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.kinds import PERSONAL, DeliveryKind, MilestoneState
from domain.polls import VOTER_SUBSCRIBER
from domain.refusals import (
    AlreadySnoozed,
    AlreadySubscribed,
    LeadsOutOfRange,
    MilestoneGone,
    NoSuchSubscription,
    NothingToSnooze,
    NotSubscribedToKinds,
    NotYourReminder,
    ReminderGone,
    RemindersStopped,
)
from domain.rules import MAX_LEAD
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Inverse, Restore, Withdraw
from store.uow import UnitOfWork

__all__ = ["Audience", "Snooze", "Subscribe", "Unsubscribe"]


def _leads_text(leads: Sequence[int]) -> str:
    return ",".join(str(n) for n in leads)


def _scope_text(release: m.Release | None, kinds: str, leads: str) -> str:
    what = ", ".join(kinds.split()) if kinds else "every kind the rules remind"
    when = f"{leads.replace(',', ', ')} WD before" if leads else "lead times from the rules"
    return f"{release.name if release else 'every release'} ({what}; {when})"


async def _release(session: AsyncSession, slug: str | None) -> m.Release | None:
    return None if slug is None else await lookups.release(session, slug)


async def _active(session: AsyncSession, platform: str, channel_id: str) -> list[m.Subscription]:
    query = select(m.Subscription).where(
        m.Subscription.platform == platform,
        m.Subscription.channel_id == channel_id,
        col(m.Subscription.ended_at).is_(None),
    )
    return list((await session.exec(query.order_by(col(m.Subscription.id)))).all())


def _action(name: str, personal: bool) -> str:
    """A DM subscription is its owner's own business: kept off the admins' undo stack."""
    return PERSONAL + name if personal else name


def _sub_id(sub: m.Subscription) -> int:
    assert sub.id is not None
    return sub.id


@dataclass(frozen=True)
class Subscribe:
    """Start reminders in a channel, or widen an existing subscription of it to the same release.

    Kinds add to the ones the channel already gets (no kinds: every kind); leads replace.
    """

    actor: str
    platform: str
    channel_id: str
    channel_name: str
    direct: bool
    slug: str | None
    kinds: Sequence[str]
    leads: Sequence[int] | None
    webhook_url: str | None = None
    personal: bool = False

    async def apply(self, uow: UnitOfWork) -> Changed:
        session, leads = uow.session, self.leads
        if leads and (max(leads) > MAX_LEAD or min(leads) < 0):
            raise LeadsOutOfRange(MAX_LEAD)
        rel = await _release(session, self.slug)
        where = self.channel_name or self.channel_id
        here = await _active(session, self.platform, self.channel_id)
        current = next((s for s in here if s.release_id == (rel.id if rel else None)), None)
        new_kinds = set(self.kinds)
        if current is None:
            sub = m.Subscription(
                platform=self.platform,
                channel_id=self.channel_id,
                channel_name=self.channel_name,
                direct=self.direct,
                release_id=rel.id if rel else None,
                kinds=" ".join(sorted(new_kinds)),
                leads=_leads_text(leads or ()),
                webhook_url=self.webhook_url,
                created_by=self.actor,
                created_at=uow.now,
            )
            session.add(sub)
            await session.flush()
            undo: list[Inverse] = [Restore("subscription", _sub_id(sub), (("ended_at", uow.now),))]
            summary = f"Subscribed {where} to reminders for {_scope_text(rel, sub.kinds, sub.leads)}"
            return await record(uow, self.actor, _action("subscription.add", self.personal), summary, undo)
        before = Restore.of(current, "kinds", "leads", "webhook_url", "channel_name")
        had = set(current.kinds.split())
        merged = "" if not had or not new_kinds else " ".join(sorted(had | new_kinds))
        after = {
            "kinds": merged,
            "leads": _leads_text(leads) if leads else current.leads,
            "webhook_url": self.webhook_url or current.webhook_url,
        }
        if all(getattr(current, k) == v for k, v in after.items()):
            kinds, stated = tuple(current.kinds.split()), tuple(int(n) for n in current.leads.split(",") if n)
            raise AlreadySubscribed(where, rel.name if rel else None, kinds, stated)
        for name, value in after.items():
            setattr(current, name, value)
        current.channel_name = self.channel_name or current.channel_name
        session.add(current)
        await session.flush()
        summary = f"Changed the reminders of {where} to {_scope_text(rel, current.kinds, current.leads)}"
        return await record(uow, self.actor, _action("subscription.change", self.personal), summary, [before])


@dataclass(frozen=True)
class Unsubscribe:
    """Stop reminders: `scope` None = every subscription of the channel, "all" = the all-releases
    one, else a release slug. With kinds, only those kinds stop (`kinds_known` spells out "every kind")."""

    actor: str
    platform: str
    channel_id: str
    channel_name: str
    scope: str | None
    kinds: Sequence[str]
    kinds_known: Sequence[str]
    personal: bool = False

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        where = self.channel_name or self.channel_id
        subs = await _active(session, self.platform, self.channel_id)
        if self.scope is not None:
            rel = None if self.scope == "all" else await _release(session, self.scope)
            subs = [s for s in subs if s.release_id == (rel.id if rel else None)]
        if not subs:
            raise NoSuchSubscription(where)
        undo: list[Inverse] = []
        parts: list[str] = []
        for sub in subs:
            release = await session.get(m.Release, sub.release_id) if sub.release_id else None
            rel_name = release.name if release is not None else "every release"
            if self.kinds:
                had = set(sub.kinds.split()) or set(self.kinds_known)
                left = had - set(self.kinds)
                if left == had:
                    continue
                if left:
                    undo.append(Restore.of(sub, "kinds"))
                    sub.kinds = " ".join(sorted(left))
                    parts.append(f"{', '.join(sorted(had - left))} for {rel_name}")
                    session.add(sub)
                    continue
            undo.append(Restore("subscription", _sub_id(sub), (("ended_at", None),)))
            sub.ended_at = uow.now
            session.add(sub)
            parts.append(f"all reminders for {rel_name}")
        if not parts:
            raise NotSubscribedToKinds(where, tuple(self.kinds))
        await session.flush()
        summary = f"Stopped {'; '.join(parts)} in {where}"
        return await record(uow, self.actor, _action("subscription.end", self.personal), summary, undo)


@dataclass(frozen=True)
class Audience:
    """Who pressed Snooze, and where: a reminder sent in a DM is snoozed by its recipient only."""

    platform: str
    user_id: str
    member_id: int | None = None
    channel_id: str | None = None  # where the button was pressed (None: the console)

    def may_snooze(self, sub: m.Subscription) -> bool:
        if sub.created_by.startswith(VOTER_SUBSCRIBER):  # a Panel vote reminder: to one member
            return self.member_id is not None and sub.created_by == f"{VOTER_SUBSCRIBER}{self.member_id}"
        if not sub.direct:
            return True  # a channel's reminder: anyone in the channel may snooze it
        if self.platform == sub.platform and self.channel_id == sub.channel_id:
            return True  # pressed in that DM, which only its owner and the bot are in
        return sub.created_by.endswith(f"({self.platform}:{self.user_id})")


@dataclass(frozen=True)
class Snooze:
    """Queue the reminder again at `due_at` (the handler picks 1 Working Day later)."""

    actor: str
    delivery_id: int
    due_at: datetime
    until: str
    audience: Audience | None = None  # None only for the store's own callers (tests, tools)

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        original = await session.get(m.Delivery, self.delivery_id)
        if original is None:
            raise ReminderGone()
        sub = await session.get(m.Subscription, original.subscription_id)
        if sub is None or sub.ended_at is not None:
            raise RemindersStopped()
        if self.audience is not None and not self.audience.may_snooze(sub):
            raise NotYourReminder()
        ms = await session.get(m.Milestone, original.milestone_id)
        if ms is None:
            raise MilestoneGone()
        if ms.state != MilestoneState.planned.value:
            raise NothingToSnooze(ms.title, ms.state)
        key = f"{original.dedupe_key.split('/snooze@')[0]}/snooze@{self.due_at:%Y-%m-%dT%H:%M}"
        if (await session.exec(select(m.Delivery).where(m.Delivery.dedupe_key == key))).first() is not None:
            raise AlreadySnoozed(self.until)
        again = m.Delivery(
            dedupe_key=key,
            kind=DeliveryKind.snooze.value,
            subscription_id=original.subscription_id,
            milestone_id=original.milestone_id,
            lead=original.lead,
            due_at=self.due_at,
            planned_for=ms.due_at,
            detail=json.dumps({"snoozed_by": self.actor}),
            created_at=uow.now,
        )
        session.add(again)
        await session.flush()
        assert again.id is not None
        summary = f"Snoozed the reminder “{ms.title}” until {self.until}"
        return await record(uow, self.actor, PERSONAL + "reminder.snooze", summary, [Withdraw(again.id)])
