"""Planning with frozen clocks: weekends, bank holidays, 19 Sep 2022, DST, leads already past,
and reconciling the plan with the outbox (idempotent, moves, cancellations, notices)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import LONDON, WorkingDays, local_date, london_to_utc
from domain.planning import Planned, SubscriptionView, plan
from domain.reconcile import Existing, reconcile
from domain.rules import load_rules
from domain.views import MilestoneView

RULES = load_rules()
CAL = WorkingDays()
ALL = SubscriptionView(id=1, platform="slack", channel_id="C1", channel_name="#releases")


def milestone(
    day: date,
    kind: str = "go_no_go",
    at: time | None = None,
    id: int = 10,
    release_id: int | None = 1,
    state: str = "planned",
) -> MilestoneView:
    return MilestoneView(
        id=id,
        key=f"ms-{id}",
        release_id=release_id,
        modification_id=None,
        kind=kind,
        title=f"{kind} {day}",
        due_at=london_to_utc(day, at),
        all_day=at is None,
        origin="stated",
        derived_from_id=None,
        offset_wd=None,
        notes="",
        state=state,
        source_id=None,
    )


def upcoming(
    *milestones: MilestoneView, subs: tuple[SubscriptionView, ...] = (ALL,), calendar: WorkingDays = CAL, days: int = 60
) -> list[Planned]:
    """What the service would plan now (the frozen clock) for the next `days` days."""
    now = datetime.now(UTC)
    return plan(milestones, subs, RULES, calendar, now, now + timedelta(days=days))


def local(p: Planned) -> str:
    return p.due_at.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")


def by_lead(planned: list[Planned]) -> dict[int, str]:
    return {p.lead: local(p) for p in planned}


@time_machine.travel("2021-02-01 08:00 +0000", tick=False)
def test_weekends_are_skipped() -> None:
    # Go/no-go on Monday 15 Feb 2021: 1 WD before is Friday 12 Feb, 5 WD before is Monday 8 Feb.
    got = by_lead(upcoming(milestone(date(2021, 2, 15))))
    assert got == {5: "Mon 08 Feb 2021 09:00", 1: "Fri 12 Feb 2021 09:00", 0: "Mon 15 Feb 2021 09:00"}


@time_machine.travel("2020-12-01 08:00 +0000", tick=False)
def test_christmas_bank_holidays_are_skipped() -> None:
    # The June 2021 RID appeal window closes Tue 29 Dec 2020; 25 Dec and 28 Dec (Boxing Day observed) are bank holidays.
    got = by_lead(upcoming(milestone(date(2020, 12, 29), kind="rid_appeal_end")))
    assert got == {5: "Fri 18 Dec 2020 09:00", 1: "Thu 24 Dec 2020 09:00", 0: "Tue 29 Dec 2020 09:00"}


@time_machine.travel("2022-09-01 08:00 +0000", tick=False)
def test_the_state_funeral_on_19_september_2022_is_not_a_working_day() -> None:
    got = by_lead(upcoming(milestone(date(2022, 9, 20))))
    assert got[1] == "Fri 16 Sep 2022 09:00"  # Mon 19 Sep 2022 was the one-off bank holiday
    assert got[5] == "Mon 12 Sep 2022 09:00"
    # A milestone on the holiday itself: "on the day" moves to the Working Day before, and is one
    # reminder with the 1 WD one (not two at the same minute).
    on_holiday = upcoming(milestone(date(2022, 9, 19)))
    assert by_lead(on_holiday) == {5: "Mon 12 Sep 2022 09:00", 0: "Fri 16 Sep 2022 09:00"}


@time_machine.travel("2030-03-01 08:00 +0000", tick=False)
def test_a_holiday_an_admin_added_counts_too() -> None:
    closure = WorkingDays({date(2030, 3, 6): "Office move"})  # a Wednesday
    assert by_lead(upcoming(milestone(date(2030, 3, 7))))[1] == "Wed 06 Mar 2030 09:00"
    assert by_lead(upcoming(milestone(date(2030, 3, 7)), calendar=closure))[1] == "Tue 05 Mar 2030 09:00"


@time_machine.travel("2022-03-14 08:00 +0000", tick=False)
def test_spring_forward_keeps_09_00_london() -> None:
    # Clocks went forward on Sun 27 Mar 2022: Friday 09:00 is 09:00 UTC, Monday 09:00 is 08:00 UTC.
    planned = {p.lead: p.due_at for p in upcoming(milestone(date(2022, 3, 28)))}
    assert planned[1] == datetime(2022, 3, 25, 9, 0, tzinfo=UTC)
    assert planned[0] == datetime(2022, 3, 28, 8, 0, tzinfo=UTC)


@time_machine.travel("2022-10-17 08:00 +0000", tick=False)
def test_fall_back_keeps_09_00_london() -> None:
    # Clocks went back on Sun 30 Oct 2022.
    planned = {p.lead: p.due_at for p in upcoming(milestone(date(2022, 10, 31)))}
    assert planned[1] == datetime(2022, 10, 28, 8, 0, tzinfo=UTC)
    assert planned[0] == datetime(2022, 10, 31, 9, 0, tzinfo=UTC)


@time_machine.travel("2022-03-28 07:00 +0000", tick=False)
def test_timed_milestone_on_the_day_is_at_its_own_time_across_dst() -> None:
    gng = milestone(date(2022, 3, 28), at=time(14, 0))
    planned = {p.lead: p.due_at for p in upcoming(gng)}
    assert planned == {0: datetime(2022, 3, 28, 13, 0, tzinfo=UTC)}  # 14:00 BST; 5 and 1 WD are past


@time_machine.travel("2021-02-10 10:00 +0000", tick=False)
def test_leads_that_fall_before_now_are_not_planned() -> None:
    # Wednesday 10:00: the go/no-go is Friday 12 Feb. 5 WD before (Fri 5 Feb) is past, and so is
    # today's 09:00 (a 2 WD lead); 1 WD (Thu 09:00) and the day itself are still to come.
    subs = (replace(ALL, leads=(5, 2, 1, 0)),)
    assert by_lead(upcoming(milestone(date(2021, 2, 12)), subs=subs)) == {
        1: "Thu 11 Feb 2021 09:00",
        0: "Fri 12 Feb 2021 09:00",
    }
    # A milestone already past gets nothing.
    assert upcoming(milestone(date(2021, 2, 9)), subs=subs) == []


@time_machine.travel("2021-02-01 09:00 +0000", tick=False)
def test_a_reminder_due_this_very_minute_is_planned() -> None:
    assert 5 in by_lead(upcoming(milestone(date(2021, 2, 8))))


@time_machine.travel("2021-01-04 08:00 +0000", tick=False)
def test_subscriptions_choose_release_kinds_and_leads() -> None:
    gng = milestone(date(2021, 2, 12), id=1, release_id=1)
    live = milestone(date(2021, 2, 25), kind="go_live", id=2, release_id=1)
    other = milestone(date(2021, 2, 26), id=3, release_id=2)
    wg = milestone(date(2021, 2, 3), kind="working_group", id=4, release_id=1)
    subs = (
        SubscriptionView(id=1, platform="slack", channel_id="C1", release_id=1),
        SubscriptionView(id=2, platform="slack", channel_id="C2", kinds=frozenset({"go_live"}), leads=(3,)),
        SubscriptionView(id=3, platform="slack", channel_id="C3", kinds=frozenset({"working_group"})),
    )
    got = {(p.subscription_id, p.milestone_id, p.lead) for p in upcoming(gng, live, other, wg, subs=subs)}
    assert {(1, 1, lead) for lead in (5, 1, 0)} | {(1, 2, lead) for lead in (10, 5, 1, 0)} <= got
    assert not any(
        s == 1 and m in (3, 4) for s, m, _ in got
    )  # other release; working groups are not reminded unless asked
    assert {(m, lead) for s, m, lead in got if s == 2} == {(2, 3)}
    assert {(m, lead) for s, m, lead in got if s == 3} == {(4, lead) for lead in RULES.default_leads}


@time_machine.travel("2021-01-04 08:00 +0000", tick=False)
def test_done_and_cancelled_milestones_get_no_reminders() -> None:
    assert (
        upcoming(milestone(date(2021, 2, 12), state="met"), milestone(date(2021, 2, 12), id=11, state="cancelled"))
        == []
    )


days = st.dates(min_value=date(2016, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    day=days,
    leads=st.lists(st.integers(0, 20), min_size=1, max_size=4, unique=True),
    kind=st.sampled_from(sorted(RULES.kinds)),
)
def test_every_reminder_is_on_a_working_day_at_the_hour_and_its_lead_before(
    day: date, leads: list[int], kind: str
) -> None:
    ms = milestone(day, kind=kind)
    start = london_to_utc(day - timedelta(days=60))
    sub = replace(ALL, leads=tuple(sorted(leads, reverse=True)))
    planned = plan([ms], [sub], RULES, CAL, start, start + timedelta(days=90))
    assert planned == plan([ms], [sub], RULES, CAL, start, start + timedelta(days=90))  # same keys, same times
    assert len({p.due_at for p in planned}) == len(planned)  # never two at the same instant
    assert {p.lead for p in planned} <= set(leads)
    for p in planned:
        post = local_date(p.due_at)
        assert p.due_at.astimezone(LONDON).time() == RULES.rule(kind).hour
        assert CAL.is_working_day(post)
        assert post <= day
        if p.lead > 0:
            assert post == CAL.add(day, -p.lead)
            if CAL.is_working_day(day):
                assert CAL.between(post, day) == p.lead


# -- reconcile ------------------------------------------------------------------------------

NOW = datetime(2021, 1, 4, 8, 0, tzinfo=UTC)


def stored(planned: list[Planned], state: str = "pending", first_id: int = 1) -> list[Existing]:
    return [
        Existing(
            first_id + n, p.key, "reminder", p.subscription_id, p.milestone_id, p.lead, state, p.due_at, p.planned_for
        )
        for n, p in enumerate(planned)
    ]


def replan(
    ms: MilestoneView, existing: list[Existing], subs: tuple[SubscriptionView, ...] = (ALL,), now: datetime = NOW
):  # type: ignore[no-untyped-def]
    desired = plan([ms], subs, RULES, CAL, now, now + timedelta(days=60))
    return reconcile(desired, existing, {ms.id: ms}, subs, RULES, CAL, now)


def test_planning_twice_changes_nothing() -> None:
    ms = milestone(date(2021, 2, 12))
    first = replan(ms, [])
    assert len(first.insert) == 3 and not first.withdraw
    inserted = [
        Planned(n.key, n.subscription_id, n.milestone_id, n.lead, n.due_at, n.planned_for) for n in first.insert
    ]  # type: ignore[arg-type]
    assert not replan(ms, stored(inserted))


def test_a_moved_milestone_withdraws_old_reminders_plans_new_ones_and_tells_the_subscriber() -> None:
    ms = milestone(date(2021, 2, 12))
    before = stored(plan([ms], [ALL], RULES, CAL, NOW, NOW + timedelta(days=60)))
    moved = replace(ms, due_at=london_to_utc(date(2021, 2, 19)))
    changes = replan(moved, before)
    assert {w.id for w in changes.withdraw} == {r.id for r in before} and {w.reason for w in changes.withdraw} == {
        "moved"
    }
    reminders = [n for n in changes.insert if n.kind == "reminder"]
    assert sorted(local_date(n.due_at).isoformat() for n in reminders) == ["2021-02-12", "2021-02-18", "2021-02-19"]
    notices = [n for n in changes.insert if n.kind == "moved"]
    assert len(notices) == 1 and "2021-02-12" in notices[0].detail
    # Once the notice is stored, planning again sends no second notice.
    after = (
        stored([], first_id=100)
        + [
            Existing(
                200 + n, x.key, x.kind, x.subscription_id, x.milestone_id, x.lead, "pending", x.due_at, x.planned_for
            )
            for n, x in enumerate(changes.insert)
        ]
        + [replace(r, state="withdrawn") for r in before]
    )
    assert not replan(moved, after)


def test_nobody_is_told_of_a_move_they_were_never_reminded_of() -> None:
    ms = milestone(date(2021, 2, 12))
    assert all(n.kind == "reminder" for n in replan(replace(ms, due_at=london_to_utc(date(2021, 2, 19))), []).insert)


def test_moving_back_does_not_repeat_reminders_already_sent() -> None:
    ms = milestone(date(2021, 2, 12))
    sent = stored(plan([ms], [ALL], RULES, CAL, NOW, NOW + timedelta(days=60)), state="sent")
    changes = replan(ms, sent)
    assert not changes.insert and not changes.retime and not changes.reactivate


def test_a_cancelled_milestone_withdraws_and_notifies_once() -> None:
    ms = milestone(date(2021, 2, 12))
    before = stored(plan([ms], [ALL], RULES, CAL, NOW, NOW + timedelta(days=60)))
    cancelled = replace(ms, state="cancelled")
    changes = replan(cancelled, before)
    assert {w.reason for w in changes.withdraw} == {"cancelled"}
    assert [n.kind for n in changes.insert] == ["cancelled"]
    notice = changes.insert[0]
    again = [replace(r, state="withdrawn") for r in before] + [
        Existing(99, notice.key, "cancelled", 1, ms.id, None, "sent", NOW, notice.planned_for)
    ]
    assert not replan(cancelled, again)
    # Undo of the cancel: the withdrawn reminders come back.
    assert len(replan(ms, [replace(r, state="withdrawn") for r in before]).reactivate) == 3


def test_an_overdue_reminder_is_kept_not_withdrawn() -> None:
    ms = milestone(date(2021, 2, 12))
    planned = plan([ms], [ALL], RULES, CAL, NOW, NOW + timedelta(days=60))
    later = planned[0].due_at + timedelta(seconds=30)  # the 5 WD reminder is 30 s late
    assert not replan(ms, stored(planned), now=later).withdraw


def test_unsubscribing_or_dropping_a_lead_withdraws_and_claimed_rows_are_left_alone() -> None:
    ms = milestone(date(2021, 2, 12))
    rows = stored(plan([ms], [ALL], RULES, CAL, NOW, NOW + timedelta(days=60)))
    gone = reconcile([], rows, {ms.id: ms}, [], RULES, CAL, NOW)
    assert {w.reason for w in gone.withdraw} == {"unsubscribed"} and len(gone.withdraw) == 3
    fewer = replan(ms, rows, subs=(replace(ALL, leads=(1, 0)),))
    assert [(w.id, w.reason) for w in fewer.withdraw] == [(rows[0].id, "unwanted")]
    claimed = [replace(r, state="claimed") for r in rows]
    assert not reconcile([], claimed, {ms.id: ms}, [], RULES, CAL, NOW).withdraw


def test_a_time_of_day_change_retimes_the_reminder_on_the_day() -> None:
    ms = milestone(date(2021, 2, 12), at=time(14, 0))
    rows = stored(plan([ms], [ALL], RULES, CAL, NOW, NOW + timedelta(days=60)))
    later = replace(ms, due_at=london_to_utc(date(2021, 2, 12), time(16, 0)))
    changes = replan(later, rows)
    on_the_day = next(r for r in rows if r.lead == 0)
    assert any(r.id == on_the_day.id and r.due_at == later.due_at for r in changes.retime)
    assert not changes.withdraw
    assert [n.kind for n in changes.insert] == ["moved"]
