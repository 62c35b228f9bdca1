"""Refusals in words: one short sentence per kind of `domain.refusals.Refusal`, with the command
that would help where there is one. The store says *what* is wrong; this module says it."""

from __future__ import annotations

from functools import singledispatch

from domain import refusals as r
from domain.calendar import RANGE_TEXT

__all__ = ["say"]


def _state(state: str | None) -> str:
    return f" (it is {state})." if state else "."


@singledispatch
def say(refusal: r.Refusal) -> str:
    """The sentence for a refusal (every kind below has its own)."""
    return f"That change cannot be made ({type(refusal).__name__})."


@say.register
def _(x: r.UnknownRelease) -> str:
    return f"There is no release `{x.slug}`."


@say.register
def _(x: r.UnknownModification) -> str:
    return f"I don't know {x.ref}."


@say.register
def _(x: r.AlreadyInScope) -> str:
    return f"{x.ref} is already {x.state} for {x.release}."


@say.register
def _(x: r.LiveElsewhere) -> str:
    return f"{x.ref} is {x.state} for {x.other_name}; to change release, `/release {x.other_slug} move {x.ref} to {x.slug}`."


@say.register
def _(x: r.NotInScope) -> str:
    return f"{x.ref} is not in the scope of {x.release}{_state(x.state)}"


@say.register
def _(x: r.MoveToWhere) -> str:
    return "Move it to which release?"


@say.register
def _(x: r.SameRelease) -> str:
    return f"{x.ref} is already in {x.release}."


@say.register
def _(x: r.NotAMilestoneKind) -> str:
    return f"`{x.kind}` is not a milestone kind."


@say.register
def _(x: r.DateOutOfRange) -> str:
    return f"{x.day:%d %b %Y} is out of range: give a date from {RANGE_TEXT}."


@say.register
def _(x: r.NoSuchTime) -> str:
    return f"{x.at:%H:%M} does not exist in London on {x.day:%a %d %b %Y}: the clocks go forward that night. Pick another time."


@say.register
def _(x: r.AmbiguousMilestone) -> str:
    keys = ", ".join(f"`{k}`" for k in x.keys)
    return f"{x.release} has {len(x.keys)} `{x.kind}` milestones; name one: {keys}."


@say.register
def _(x: r.NoSuchMilestone) -> str:
    return f"{x.release} has no milestone `{x.which}`."


@say.register
def _(x: r.DerivedMilestone) -> str:
    return f"“{x.title}” is derived from another milestone; change that one and this follows."


@say.register
def _(x: r.PollDeadline) -> str:
    return f"“{x.title}” is a poll's deadline; close the poll with `/release {x.slug} vote close`, or open a new one."


@say.register
def _(x: r.MilestoneGone) -> str:
    return "That milestone is no longer in the release store."


@say.register
def _(x: r.MetWhenPollCloses) -> str:
    return f"“{x.title}” is met when the poll closes."


@say.register
def _(x: r.MilestoneNotPlanned) -> str:
    return f"“{x.title}” is already {'done' if x.state == 'met' else x.state}."


@say.register
def _(x: r.AlreadyHoliday) -> str:
    return f"{x.day:%d %b %Y} is already a holiday ({x.name})."


@say.register
def _(x: r.AlreadyBankHoliday) -> str:
    return f"{x.day:%d %b %Y} is already a bank holiday ({x.name})."


@say.register
def _(x: r.WeekendHoliday) -> str:
    return f"{x.day:%A %d %b %Y} is a weekend day; it is never a Working Day."


@say.register
def _(x: r.NotARole) -> str:
    return f"`{x.role}` is not a role (admin, panel, observer)."


@say.register
def _(x: r.PollMustCloseLater) -> str:
    return "The poll must close in the future."


@say.register
def _(x: r.QuorumTooSmall) -> str:
    return "A quorum is at least 1."


@say.register
def _(x: r.QuorumUnreachable) -> str:
    return f"A quorum of {x.quorum} cannot be reached: the Panel has {x.panel_size} members."


@say.register
def _(x: r.PollAlreadyOpen) -> str:
    return f"{x.release} already has an open poll (#{x.poll_id}); close it first."


@say.register
def _(x: r.PollGone) -> str:
    return "That poll no longer exists."


@say.register
def _(x: r.NotAChoice) -> str:
    return f"`{x.choice}` is not a choice (go, no-go, abstain)."


@say.register
def _(x: r.NotPanelMember) -> str:
    return "Only Panel members can vote on this poll."


@say.register
def _(x: r.PollClosed) -> str:
    return f"Poll #{x.poll_id} is closed; votes are no longer accepted."


@say.register
def _(x: r.NothingToUndo) -> str:
    return "There is nothing to undo."


@say.register
def _(x: r.NotLatest) -> str:
    return (
        f"Change #{x.expected} is no longer the latest (#{x.latest} “{x.latest_summary}” came after it); "
        "undo that first, or see `/release audit`."
    )


@say.register
def _(x: r.PollClosePassed) -> str:
    return f"Poll #{x.poll_id}'s deadline has passed, so its close cannot be undone; open a new poll instead."


@say.register
def _(x: r.PollHasVotes) -> str:
    return f"poll #{x.poll_id} already has votes; close it instead of undoing it"


@say.register
def _(x: r.TargetGone) -> str:
    return f"the {x.what} it changed is gone"


@say.register
def _(x: r.StillReferenced) -> str:
    return f"{x.count} {x.by} still refer to the {x.what} it added"


@say.register
def _(x: r.CannotUndo) -> str:
    return f"Cannot undo #{x.event_id} “{x.summary}”: {say(x.reason)}."


@say.register
def _(x: r.LeadsOutOfRange) -> str:
    return f"Leads are 0 to {x.most} Working Days before the milestone."


@say.register
def _(x: r.AlreadySubscribed) -> str:
    what = ", ".join(x.kinds) if x.kinds else "every kind the rules remind"
    when = f"{', '.join(str(n) for n in x.leads)} WD before" if x.leads else "lead times from the rules"
    return f"{x.where} already gets reminders for {x.release or 'every release'} ({what}; {when})."


@say.register
def _(x: r.NoSuchSubscription) -> str:
    return f"{x.where} has no such reminder subscription. `/release subscriptions` lists them."


@say.register
def _(x: r.NotSubscribedToKinds) -> str:
    return f"{x.where} does not get {', '.join(x.kinds)} reminders."


@say.register
def _(x: r.ReminderGone) -> str:
    return "That reminder is no longer in the outbox."


@say.register
def _(x: r.RemindersStopped) -> str:
    return "Reminders to this channel have been stopped; `/release subscribe` starts them again."


@say.register
def _(x: r.TextTooLong) -> str:
    return f"That {x.kind} is too long: {x.limit:,} characters at most."


@say.register
def _(x: r.NotYourReminder) -> str:
    return "That reminder was sent to someone else in a direct message; only they can snooze it."


@say.register
def _(x: r.NothingToSnooze) -> str:
    return f"“{x.title}” is {'done' if x.state == 'met' else x.state}; nothing to snooze."


@say.register
def _(x: r.AlreadySnoozed) -> str:
    return f"Already snoozed until {x.until}."
