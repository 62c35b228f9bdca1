"""Why a change cannot be made, as data. The store raises these; the command layer words them.

Each refusal names the facts a person needs to understand it (which release, which state), so
`commands/refusals.py` can say it in one short sentence with the command that would help, and
the store never writes chat syntax.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date, time

__all__ = [
    "AlreadyBankHoliday",
    "AlreadyHoliday",
    "AlreadyInScope",
    "AlreadySnoozed",
    "AlreadySubscribed",
    "AmbiguousMilestone",
    "CannotUndo",
    "DateOutOfRange",
    "DerivedMilestone",
    "LeadsOutOfRange",
    "LiveElsewhere",
    "MetWhenPollCloses",
    "MilestoneGone",
    "MilestoneNotPlanned",
    "MoveToWhere",
    "NoSuchMilestone",
    "NoSuchSubscription",
    "NoSuchTime",
    "NotAChoice",
    "NotAMilestoneKind",
    "NotARole",
    "NotInScope",
    "NotLatest",
    "NotPanelMember",
    "NotSubscribedToKinds",
    "NotYourReminder",
    "NothingToSnooze",
    "NothingToUndo",
    "PollAlreadyOpen",
    "PollClosePassed",
    "PollClosed",
    "PollDeadline",
    "PollGone",
    "PollHasVotes",
    "PollMustCloseLater",
    "QuorumTooSmall",
    "QuorumUnreachable",
    "Refusal",
    "ReminderGone",
    "RemindersStopped",
    "SameRelease",
    "StillReferenced",
    "TargetGone",
    "TextTooLong",
    "UnknownModification",
    "UnknownRelease",
    "WeekendHoliday",
]


class Refusal(Exception):
    """A change that makes no sense in the state it would apply to; nothing was changed."""

    def __post_init__(self) -> None:
        super().__init__(*astuple(self))  # type: ignore[call-overload]


# -- release state -------------------------------------------------------------------------


@dataclass(eq=False)
class UnknownRelease(Refusal):
    slug: str


@dataclass(eq=False)
class UnknownModification(Refusal):
    ref: str


@dataclass(eq=False)
class AlreadyInScope(Refusal):
    ref: str
    state: str
    release: str


@dataclass(eq=False)
class LiveElsewhere(Refusal):
    """One release at a time: it is targeted or approved for another release."""

    ref: str
    state: str
    other_name: str
    other_slug: str
    slug: str


@dataclass(eq=False)
class NotInScope(Refusal):
    ref: str
    release: str
    state: str | None


@dataclass(eq=False)
class MoveToWhere(Refusal):
    ref: str


@dataclass(eq=False)
class SameRelease(Refusal):
    ref: str
    release: str


# -- milestones and holidays ---------------------------------------------------------------


@dataclass(eq=False)
class NotAMilestoneKind(Refusal):
    kind: str


@dataclass(eq=False)
class NoSuchTime(Refusal):
    """A London wall-clock time the clocks skip."""

    day: date
    at: time


@dataclass(eq=False)
class AmbiguousMilestone(Refusal):
    release: str
    kind: str
    keys: tuple[str, ...]


@dataclass(eq=False)
class NoSuchMilestone(Refusal):
    release: str
    which: str


@dataclass(eq=False)
class DerivedMilestone(Refusal):
    title: str


@dataclass(eq=False)
class PollDeadline(Refusal):
    """A poll's deadline moves and closes with its poll only."""

    title: str
    slug: str


@dataclass(eq=False)
class MilestoneGone(Refusal):
    pass


@dataclass(eq=False)
class MetWhenPollCloses(Refusal):
    title: str


@dataclass(eq=False)
class MilestoneNotPlanned(Refusal):
    title: str
    state: str  # met|cancelled


@dataclass(eq=False)
class DateOutOfRange(Refusal):
    """A date outside `domain.calendar.EARLIEST`..`LATEST`: nobody plans for it, and no count reaches it."""

    day: date


@dataclass(eq=False)
class AlreadyHoliday(Refusal):
    day: date
    name: str


@dataclass(eq=False)
class AlreadyBankHoliday(Refusal):
    day: date
    name: str


@dataclass(eq=False)
class WeekendHoliday(Refusal):
    day: date


# -- members and polls -----------------------------------------------------------------------


@dataclass(eq=False)
class NotARole(Refusal):
    role: str


@dataclass(eq=False)
class PollMustCloseLater(Refusal):
    pass


@dataclass(eq=False)
class QuorumTooSmall(Refusal):
    pass


@dataclass(eq=False)
class QuorumUnreachable(Refusal):
    quorum: int
    panel_size: int


@dataclass(eq=False)
class PollAlreadyOpen(Refusal):
    release: str
    poll_id: int


@dataclass(eq=False)
class PollGone(Refusal):
    pass


@dataclass(eq=False)
class NotAChoice(Refusal):
    choice: str


@dataclass(eq=False)
class NotPanelMember(Refusal):
    pass


@dataclass(eq=False)
class PollClosed(Refusal):
    poll_id: int


# -- undo ------------------------------------------------------------------------------------


@dataclass(eq=False)
class NothingToUndo(Refusal):
    pass


@dataclass(eq=False)
class CannotUndo(Refusal):
    """The newest change cannot be undone any more, and why; it can be set aside on the stack."""

    event_id: int
    summary: str
    reason: Refusal


@dataclass(eq=False)
class NotLatest(Refusal):
    """The Undo button of a change pressed after a newer change was made."""

    expected: int
    latest: int
    latest_summary: str


@dataclass(eq=False)
class PollClosePassed(Refusal):
    poll_id: int


@dataclass(eq=False)
class PollHasVotes(Refusal):
    poll_id: int


@dataclass(eq=False)
class TargetGone(Refusal):
    """What the change altered no longer exists, so it cannot be put back."""

    what: str


@dataclass(eq=False)
class StillReferenced(Refusal):
    """Removing what the change added would leave other records pointing at nothing."""

    what: str
    by: str
    count: int


# -- reminders -------------------------------------------------------------------------------


@dataclass(eq=False)
class LeadsOutOfRange(Refusal):
    most: int


@dataclass(eq=False)
class AlreadySubscribed(Refusal):
    where: str
    release: str | None
    kinds: tuple[str, ...]
    leads: tuple[int, ...]


@dataclass(eq=False)
class NoSuchSubscription(Refusal):
    where: str


@dataclass(eq=False)
class NotSubscribedToKinds(Refusal):
    where: str
    kinds: tuple[str, ...]


@dataclass(eq=False)
class ReminderGone(Refusal):
    pass


@dataclass(eq=False)
class RemindersStopped(Refusal):
    pass


@dataclass(eq=False)
class TextTooLong(Refusal):
    """Free text past its limit (`domain.limits.TEXT_LIMITS`)."""

    kind: str  # title, reason, comment, question, name
    limit: int


@dataclass(eq=False)
class NotYourReminder(Refusal):
    """A direct-message reminder is snoozed only by the person it was sent to."""


@dataclass(eq=False)
class NothingToSnooze(Refusal):
    title: str
    state: str


@dataclass(eq=False)
class AlreadySnoozed(Refusal):
    until: str
