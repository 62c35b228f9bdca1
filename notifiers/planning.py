"""Planning: milestones x subscriptions x rules -> reminders, and what the outbox must change.

Pure: no I/O and no clock. `plan` lists the reminders due in a window; `reconcile` compares
them with the rows the outbox holds and says what to insert, retime, reactivate or withdraw,
and which "moved" / "cancelled" notices to add. Running both twice changes nothing the second
time, which is what makes re-planning safe from any number of processes.

A reminder's dedupe key is subscription x milestone x lead *for the milestone's date*: when a
milestone moves, the reminders for the old date are withdrawn and new ones planned, so people
are reminded before the new date too; moving it back does not repeat reminders already sent.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from notifiers.rules import Rules
from notifiers.workdays import WorkingDays, local_date, london_to_utc
from store.models import DeliveryKind, DeliveryState
from store.snapshot import MilestoneView

__all__ = [
    "Existing",
    "NewDelivery",
    "OutboxChanges",
    "Planned",
    "ReminderClock",
    "Retime",
    "SubscriptionView",
    "Withdraw",
    "plan",
    "reconcile",
    "reminder_key",
]

LIVE = "planned"  # Milestone.state of a milestone that still gets reminders


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    """An active subscription, as planning and the handlers see it."""

    id: int
    platform: str
    channel_id: str
    channel_name: str = ""
    direct: bool = False
    release_id: int | None = None
    kinds: frozenset[str] = frozenset()  # empty: every kind the rules remind
    leads: tuple[int, ...] = ()  # empty: as the rules say
    webhook_url: str | None = None
    created_by: str = ""

    def covers(self, ms: MilestoneView) -> bool:
        return (self.release_id is None or ms.release_id == self.release_id) and (not self.kinds or ms.kind in self.kinds)

    def leads_for(self, rules: Rules, kind: str) -> tuple[int, ...]:
        return rules.leads_for(kind, self.leads, kind in self.kinds)


class Planned(NamedTuple):
    key: str
    subscription_id: int
    milestone_id: int
    lead: int
    due_at: datetime
    planned_for: datetime  # the milestone's time this reminder is for


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
    reason: str  # removed|cancelled|done|passed|moved|unsubscribed|unwanted


@dataclass
class OutboxChanges:
    insert: list[NewDelivery] = field(default_factory=list)
    retime: list[Retime] = field(default_factory=list)
    reactivate: list[Retime] = field(default_factory=list)
    withdraw: list[Withdraw] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.insert or self.retime or self.reactivate or self.withdraw)


def reminder_key(subscription_id: int, milestone_id: int, lead: int, day: date) -> str:
    return f"r{subscription_id}:{milestone_id}:{lead}@{day.isoformat()}"


class ReminderClock:
    """When each reminder of a milestone is posted. Memoised: many subscriptions share a milestone.

    Lead N > 0 is N Working Days before the milestone's day, at the kind's hour (Europe/London).
    Lead 0 is the milestone's own time when it has one (unless the kind says `morning_of`); an all-day milestone is reminded at the
    hour on its day, or on the Working Day before when its day is not a Working Day. Two leads
    landing on the same instant are one reminder (the smaller lead).
    """

    def __init__(self, rules: Rules, calendar: WorkingDays) -> None:
        self.rules = rules
        self.calendar = calendar
        self._instants: dict[tuple[date, int, object], datetime] = {}
        self._times: dict[tuple[int, datetime, bool, tuple[int, ...]], list[tuple[int, datetime]]] = {}

    def due(self, ms: MilestoneView, lead: int, day: date | None = None) -> datetime:
        if lead == 0 and not ms.all_day and not self.rules.rule(ms.kind).morning_of:
            return ms.due_at
        day = day or local_date(ms.due_at)
        hour = self.rules.rule(ms.kind).hour
        k = (day, lead, hour)
        found = self._instants.get(k)
        if found is None:
            cal = self.calendar
            post = cal.add(day, -lead) if lead else (day if cal.is_working_day(day) else cal.add(day, -1))
            found = self._instants[k] = london_to_utc(post, hour)
        return found

    def times(self, ms: MilestoneView, leads: tuple[int, ...]) -> list[tuple[int, datetime]]:
        """(lead, instant) for each distinct posting time, largest lead first."""
        k = (ms.id, ms.due_at, ms.all_day, leads)
        found = self._times.get(k)
        if found is None:
            by_instant: dict[datetime, int] = {}
            day = local_date(ms.due_at)
            for lead in leads:
                at = self.due(ms, lead, day)
                if at not in by_instant or lead < by_instant[at]:
                    by_instant[at] = lead
            found = self._times[k] = sorted(((lead, at) for at, lead in by_instant.items()), reverse=True)
        return found


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Planning allocates hundreds of thousands of small tuples and no reference cycles; the
    cyclic collector would scan them again and again (half the time, measured) for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan(
    milestones: Iterable[MilestoneView],
    subscriptions: Sequence[SubscriptionView],
    rules: Rules,
    calendar: WorkingDays,
    start: datetime,
    end: datetime,
    clock: ReminderClock | None = None,
) -> list[Planned]:
    """Every reminder due in [start, end) for live milestones, milestone by milestone.

    The times of a milestone's reminders are worked out once per distinct lead configuration and
    shared by every subscription that has it (most share the rules' leads).
    """
    with _no_cycle_collection():
        return _plan(milestones, subscriptions, rules, clock or ReminderClock(rules, calendar), start, end)


def _plan(
    milestones: Iterable[MilestoneView], subscriptions: Sequence[SubscriptionView], rules: Rules, clock: ReminderClock, start: datetime, end: datetime
) -> list[Planned]:
    first_day = local_date(start)
    everywhere = [s for s in subscriptions if s.release_id is None]
    by_release: defaultdict[int, list[SubscriptionView]] = defaultdict(list)
    for sub in subscriptions:
        if sub.release_id is not None:
            by_release[sub.release_id].append(sub)
    leads_for = rules.leads_for
    out: list[Planned] = []
    append = out.append
    make = tuple.__new__  # Planned(...) without the NamedTuple constructor's extra call
    for ms in milestones:
        if ms.state != LIVE:
            continue
        day = local_date(ms.due_at)
        if day < first_day:
            continue
        subs = everywhere + by_release[ms.release_id] if ms.release_id in by_release else everywhere
        if not subs:
            continue
        kind, ms_id, due = ms.kind, ms.id, ms.due_at
        shared: dict[tuple[tuple[int, ...], bool], list[tuple[int, datetime, str]]] = {}
        for sub in subs:
            named = kind in sub.kinds
            if sub.kinds and not named:
                continue
            times = shared.get((sub.leads, named))
            if times is None:
                suffix = f":{ms_id}:"
                stamp = f"@{day.isoformat()}"
                leads = leads_for(kind, sub.leads, named)
                times = shared[(sub.leads, named)] = [(lead, at, f"{suffix}{lead}{stamp}") for lead, at in clock.times(ms, leads) if start <= at < end] if leads else []
            if times:
                prefix = f"r{sub.id}"
                sub_id = sub.id
                for lead, at, key in times:
                    append(make(Planned, (prefix + key, sub_id, ms_id, lead, at, due)))
    return out


def _why_not(row: Existing, ms: MilestoneView | None, sub: SubscriptionView | None, rules: Rules, today: date) -> str | None:
    """Why a pending row must not be posted any more (None: it still should be)."""
    if sub is None:
        return "unsubscribed"
    if ms is None:
        return "removed"
    if row.kind in (DeliveryKind.moved.value, DeliveryKind.cancelled.value):
        return None
    if ms.state != LIVE:
        return "done" if ms.state == "met" else "cancelled"
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


def _notice(group: list[Existing], ms: MilestoneView, sub: SubscriptionView, today: date, now: datetime) -> NewDelivery | None:
    """A "moved" or "cancelled" notice for a subscriber who was (or was about to be) reminded."""
    if not sub.covers(ms) or local_date(ms.due_at) < today or not any(r.state in _KNEW for r in group):
        return None
    newest = max(group, key=lambda r: r.id)
    stamp = ms.due_at.strftime("%Y%m%dT%H%M")
    if ms.state == "cancelled":
        if newest.kind == DeliveryKind.cancelled.value:
            return None
        key = f"n{sub.id}:{ms.id}:cancelled@{stamp}"
        return NewDelivery(key, DeliveryKind.cancelled.value, sub.id, ms.id, None, now, ms.due_at, json.dumps({"was": ms.due_at.isoformat()}))
    if ms.state != LIVE or newest.planned_for == ms.due_at:
        return None
    key = f"n{sub.id}:{ms.id}:moved@{stamp}"
    return NewDelivery(key, DeliveryKind.moved.value, sub.id, ms.id, None, now, ms.due_at, json.dumps({"from": newest.planned_for.isoformat()}))


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
    with _no_cycle_collection():
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
    for p in desired:
        wanted.add(p.key)
        row = by_key.get(p.key)
        if row is None:
            changes.insert.append(NewDelivery(p.key, DeliveryKind.reminder.value, p.subscription_id, p.milestone_id, p.lead, p.due_at, p.planned_for))
        elif row.state == DeliveryState.pending.value and (row.due_at != p.due_at or row.planned_for != p.planned_for):
            changes.retime.append(Retime(row.id, p.due_at, p.planned_for))
        elif row.state == DeliveryState.withdrawn.value:
            changes.reactivate.append(Retime(row.id, p.due_at, p.planned_for))
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
        if sub is not None and ms is not None and (notice := _notice(group, ms, sub, today, now)) is not None:
            if notice.key not in by_key:
                changes.insert.append(notice)
    return changes
