"""Panel go/no-go polls as data: the choices, what a poll looks like now, and how it decides.

Pure: the store loads a `PollView`; these rules say whether it may open, count its votes and
name its outcome.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from domain.refusals import NotAChoice, PollMustCloseLater, QuorumTooSmall, QuorumUnreachable

__all__ = [
    "CHOICES",
    "OUTCOMES",
    "VOTER_SUBSCRIBER",
    "PollView",
    "VoteView",
    "check_choice",
    "check_opening",
    "closing_key",
    "decide",
    "outcome_text",
]

CHOICES = {"go": "Go", "no_go": "No-go", "abstain": "Abstain"}
VOTER_SUBSCRIBER = "releasebot: Panel vote reminders for member #"  # + member id, on the DM subscriptions it makes
OUTCOMES = {"go": "GO", "no_go": "NO-GO", "no_quorum": "NO QUORUM"}


@dataclass(frozen=True)
class VoteView:
    member_id: int
    name: str
    choice: str
    comment: str
    voted_at: datetime
    casts: int


@dataclass(frozen=True)
class PollView:
    id: int
    release_id: int
    slug: str
    release_name: str
    kind: str
    question: str
    opened_at: datetime
    opened_by: str
    closes_at: datetime
    quorum: int | None
    secret: bool
    state: str
    closed_at: datetime | None
    closed_by: str | None
    outcome: str | None
    votes: list[VoteView] = field(default_factory=list)
    eligible: list[tuple[int, str]] = field(default_factory=list)  # Panel members (id, name)
    messages: list[tuple[str, str, str]] = field(default_factory=list)  # (platform, channel, message id)

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def tally(self) -> Counter[str]:
        return Counter(v.choice for v in self.votes)

    @property
    def not_voted(self) -> list[tuple[int, str]]:
        voted = {v.member_id for v in self.votes}
        return [(mid, name) for mid, name in self.eligible if mid not in voted]


def decide(tally: Counter[str], quorum: int | None) -> str:
    """go needs more Go than No-go votes among at least `quorum` members voting (abstentions count);
    a poll nobody voted in decided nothing."""
    voted = sum(tally.values())
    if voted == 0 or (quorum is not None and voted < quorum):
        return "no_quorum"
    return "go" if tally["go"] > tally["no_go"] else "no_go"


def outcome_text(outcome: str, tally: Counter[str]) -> str:
    counts = f"{tally['go']} go, {tally['no_go']} no-go, {tally['abstain']} abstain"
    note = (
        " (a tie is not a majority to go)"
        if outcome == "no_go" and tally["go"] == tally["no_go"] and tally["go"]
        else ""
    )
    return f"{OUTCOMES[outcome]} ({counts}){note}"


def check_opening(closes_at: datetime, now: datetime, quorum: int | None, panel_size: int) -> None:
    """A poll closes in the future, with a quorum the Panel can reach."""
    if closes_at <= now:
        raise PollMustCloseLater()
    if quorum is not None and quorum < 1:
        raise QuorumTooSmall()
    if quorum is not None and quorum > panel_size:
        raise QuorumUnreachable(quorum, panel_size)


def check_choice(choice: str) -> None:
    if choice not in CHOICES:
        raise NotAChoice(choice)


def closing_key(slug: str, poll_id: int) -> str:
    """The key of the milestone that is a poll's deadline."""
    return f"{slug}/poll-{poll_id}-closes"
