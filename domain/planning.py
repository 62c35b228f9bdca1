"""Planning: milestones x subscriptions x rules -> the reminders due in a window.

Pure: no I/O and no clock. `plan` lists the reminders; `domain.reconcile` compares them with
the rows the outbox holds. Running both twice changes nothing the second time, which is what
makes re-planning safe from any number of processes.

A reminder's dedupe key is subscription x milestone x lead *for the milestone's date*: when a
milestone moves, the reminders for the old date are withdrawn and new ones planned, so people
are reminded before the new date too; moving it back does not repeat reminders already sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, overload

from domain.calendar import WorkingDays, local_date, london_to_utc
from domain.rules import Rules
from domain.views import MilestoneView

__all__ = ["LIVE", "Plan", "Planned", "ReminderClock", "Row", "SubscriptionView", "plan", "reminder_key"]

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
        return (self.release_id is None or ms.release_id == self.release_id) and (
            not self.kinds or ms.kind in self.kinds
        )

    def leads_for(self, rules: Rules, kind: str) -> tuple[int, ...]:
        return rules.leads_for(kind, self.leads, kind in self.kinds)


class Planned(NamedTuple):
    key: str
    subscription_id: int
    milestone_id: int
    lead: int
    due_at: datetime
    planned_for: datetime  # the milestone's time this reminder is for


Row = tuple[str, int, int, int, datetime, datetime]


class Plan(Sequence[Planned]):
    """The reminders a plan holds, as one list of plain tuples.

    A plan can hold a quarter of a million reminders. Plain tuples of strings, numbers and
    datetimes are untracked by the cyclic garbage collector after their first collection; a
    `Planned` (a tuple subclass) never is, and full collections would scan every one of them
    again and again. So rows are kept plain and `Planned` views are made as they are read.
    """

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Row] | None = None) -> None:
        self._rows: list[Row] = rows if rows is not None else []

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Planned: ...

    @overload
    def __getitem__(self, index: slice) -> list[Planned]: ...

    def __getitem__(self, index: int | slice) -> Planned | list[Planned]:
        if isinstance(index, slice):
            return [Planned(*row) for row in self._rows[index]]
        return Planned(*self._rows[index])

    def __iter__(self) -> Iterator[Planned]:
        return (Planned(*row) for row in self._rows)

    def rows(self) -> list[Row]:
        """(key, subscription id, milestone id, lead, due at, planned for) for each reminder."""
        return self._rows

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Plan):
            return self._rows == other._rows
        if isinstance(other, Sequence):
            return self._rows == [tuple(p) for p in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Plan({list(self)!r})"


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


def plan(
    milestones: Iterable[MilestoneView],
    subscriptions: Sequence[SubscriptionView],
    rules: Rules,
    calendar: WorkingDays,
    start: datetime,
    end: datetime,
    clock: ReminderClock | None = None,
) -> Plan:
    """Every reminder due in [start, end) for live milestones, milestone by milestone.

    The times of a milestone's reminders are worked out once per distinct lead configuration and
    shared by every subscription that has it (most share the rules' leads).
    """
    return _plan(milestones, subscriptions, rules, clock or ReminderClock(rules, calendar), start, end)


def _plan(
    milestones: Iterable[MilestoneView],
    subscriptions: Sequence[SubscriptionView],
    rules: Rules,
    clock: ReminderClock,
    start: datetime,
    end: datetime,
) -> Plan:
    first_day = local_date(start)
    everywhere = [s for s in subscriptions if s.release_id is None]
    by_release: defaultdict[int, list[SubscriptionView]] = defaultdict(list)
    for sub in subscriptions:
        if sub.release_id is not None:
            by_release[sub.release_id].append(sub)
    leads_for = rules.leads_for
    out: list[Row] = []
    append = out.append
    for ms in milestones:
        if ms.state != LIVE or ms.precision == "month":  # a month without a day is never reminded
            continue
        day = local_date(ms.due_at)
        if day < first_day:
            continue
        subs = (
            everywhere + by_release[ms.release_id]
            if ms.release_id is not None and ms.release_id in by_release
            else everywhere
        )
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
                times = shared[(sub.leads, named)] = (
                    [(lead, at, f"{suffix}{lead}{stamp}") for lead, at in clock.times(ms, leads) if start <= at < end]
                    if leads
                    else []
                )
            if times:
                prefix = f"r{sub.id}"
                sub_id = sub.id
                for lead, at, key in times:
                    append((prefix + key, sub_id, ms_id, lead, at, due))
    return Plan(out)
