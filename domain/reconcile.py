"""Reconciling: what the outbox must change so it holds the planned reminders and nothing stale.

Pure: `reconcile` compares a plan (`domain.planning`) with the rows the outbox holds and says
what to insert, retime, reactivate or withdraw, and which "moved" / "cancelled" notices to add.
Running it twice changes nothing the second time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.calendar import WorkingDays, local_date
from domain.kinds import DeliveryKind, DeliveryState
from domain.planning import LIVE, Plan, Planned, ReminderClock, Row, SubscriptionView
from domain.rules import Rules
from domain.views import MilestoneView

__all__ = ["Existing", "NewDelivery", "OutboxChanges", "Retime", "Withdraw", "reconcile"]


@dataclass(frozen=True, slots=True)
class Existing:
    """A row already in the outbox (only the columns planning needs)."""

    id: int
    key: str
    kind: str
    subscription_id: int
    milestone_id: int
    lead: int | None
    state: str
    due_at: datetime
    planned_for: datetime


@dataclass(frozen=True, slots=True)
class NewDelivery:
    key: str
    kind: str
    subscription_id: int
    milestone_id: int
    lead: int | None
    due_at: datetime
    planned_for: datetime
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Retime:
    id: int
    due_at: datetime
    planned_for: datetime


@dataclass(frozen=True, slots=True)
class Withdraw:
    id: int
    reason: str  # removed|cancelled|done|passed|moved|unsubscribed|unwanted|undated


@dataclass
class OutboxChanges:
    insert: list[NewDelivery] = field(default_factory=list)
    retime: list[Retime] = field(default_factory=list)
    reactivate: list[Retime] = field(default_factory=list)
    withdraw: list[Withdraw] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.insert or self.retime or self.reactivate or self.withdraw)


def _why_not(
    row: Existing, ms: MilestoneView | None, sub: SubscriptionView | None, rules: Rules, today: date
) -> str | None:
    """Why a pending row must not be posted any more (None: it still should be)."""
    if sub is None:
        return "unsubscribed"
    if ms is None:
        return "removed"
    if row.kind in (DeliveryKind.moved.value, DeliveryKind.cancelled.value):
        return None
    if ms.state != LIVE:
        return "done" if ms.state == "met" else "cancelled"
    if ms.precision == "month":
        return "undated"
    if local_date(ms.due_at) < today:
        return "passed"
    if row.kind == DeliveryKind.snooze.value:
        return "moved" if row.planned_for != ms.due_at else None
    if local_date(row.planned_for) != local_date(ms.due_at):
        return "moved"
    if not sub.covers(ms) or row.lead not in sub.leads_for(rules, ms.kind):
        return "unwanted"
    return None


_KNEW = (DeliveryState.pending.value, DeliveryState.claimed.value, DeliveryState.sent.value)


def _notice(
    group: list[Existing], ms: MilestoneView, sub: SubscriptionView, today: date, now: datetime
) -> NewDelivery | None:
    """A "moved" or "cancelled" notice for a subscriber who was (or was about to be) reminded."""
    if not sub.covers(ms) or local_date(ms.due_at) < today or not any(r.state in _KNEW for r in group):
        return None
    newest = max(group, key=lambda r: r.id)
    stamp = ms.due_at.strftime("%Y%m%dT%H%M")
    if ms.state == "cancelled":
        if newest.kind == DeliveryKind.cancelled.value:
            return None
        key = f"n{sub.id}:{ms.id}:cancelled@{stamp}"
        return NewDelivery(
            key,
            DeliveryKind.cancelled.value,
            sub.id,
            ms.id,
            None,
            now,
            ms.due_at,
            json.dumps({"was": ms.due_at.isoformat()}),
        )
    if ms.state != LIVE or newest.planned_for == ms.due_at:
        return None
    key = f"n{sub.id}:{ms.id}:moved@{stamp}"
    return NewDelivery(
        key,
        DeliveryKind.moved.value,
        sub.id,
        ms.id,
        None,
        now,
        ms.due_at,
        json.dumps({"from": newest.planned_for.isoformat()}),
    )


def reconcile(
    desired: Sequence[Planned],
    existing: Sequence[Existing],
    milestones: Mapping[int, MilestoneView],
    subscriptions: Sequence[SubscriptionView],
    rules: Rules,
    calendar: WorkingDays,
    now: datetime,
    clock: ReminderClock | None = None,
) -> OutboxChanges:
    """What to change in the outbox so it holds `desired` and nothing stale.

    Rows being sent (`claimed`) are left alone. A pending row is withdrawn only for a reason
    (unsubscribed, milestone removed/done/cancelled/passed/moved, kind or lead dropped), never
    merely for being overdue: a reminder a few seconds late is still posted.
    """
    return _reconcile(desired, existing, milestones, subscriptions, rules, clock or ReminderClock(rules, calendar), now)


def _reconcile(
    desired: Sequence[Planned],
    existing: Sequence[Existing],
    milestones: Mapping[int, MilestoneView],
    subscriptions: Sequence[SubscriptionView],
    rules: Rules,
    clock: ReminderClock,
    now: datetime,
) -> OutboxChanges:
    today = local_date(now)
    subs = {s.id: s for s in subscriptions}
    by_key = {row.key: row for row in existing}
    changes = OutboxChanges()
    wanted: set[str] = set()
    rows: Iterable[Row] = desired.rows() if isinstance(desired, Plan) else desired
    for key, sub_id, ms_id, lead, due_at, planned_for in rows:
        wanted.add(key)
        row = by_key.get(key)
        if row is None:
            changes.insert.append(
                NewDelivery(key, DeliveryKind.reminder.value, sub_id, ms_id, lead, due_at, planned_for)
            )
        elif row.state == DeliveryState.pending.value and (row.due_at != due_at or row.planned_for != planned_for):
            changes.retime.append(Retime(row.id, due_at, planned_for))
        elif row.state == DeliveryState.withdrawn.value:
            changes.reactivate.append(Retime(row.id, due_at, planned_for))
    changed: set[tuple[int, int]] = set()  # (subscription, milestone) pairs that may need a notice
    for row in existing:
        ms = milestones.get(row.milestone_id)
        if ms is not None and (row.planned_for != ms.due_at or ms.state == "cancelled"):
            changed.add((row.subscription_id, row.milestone_id))
        if row.state != DeliveryState.pending.value or row.key in wanted:
            continue
        reason = _why_not(row, ms, subs.get(row.subscription_id), rules, today)
        if reason is None and ms is not None and row.kind == DeliveryKind.reminder.value and row.lead is not None:
            # Still wanted but outside the window: follow a change of the milestone's time of day.
            expected = clock.due(ms, row.lead)
            if expected != row.due_at or ms.due_at != row.planned_for:
                if expected >= now:
                    changes.retime.append(Retime(row.id, expected, ms.due_at))
                else:
                    reason = "moved"
        if reason is not None:
            changes.withdraw.append(Withdraw(row.id, reason))
    groups: defaultdict[tuple[int, int], list[Existing]] = defaultdict(list)
    for row in existing:
        if (row.subscription_id, row.milestone_id) in changed:
            groups[(row.subscription_id, row.milestone_id)].append(row)
    for (sub_id, ms_id), group in groups.items():
        sub, ms = subs.get(sub_id), milestones.get(ms_id)
        notice = _notice(group, ms, sub, today, now) if sub is not None and ms is not None else None
        if notice is not None and notice.key not in by_key:
            changes.insert.append(notice)
    return changes
