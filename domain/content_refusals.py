"""Why a change to a release's RID content, its notice periods or its RID versions is refused.

Kept beside `domain.refusals` (same base class, same rule: facts, never chat syntax); worded by
`commands.content_refusals`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.refusals import Refusal

__all__ = [
    "AlreadyRecorded",
    "DatedAhead",
    "EndsBeforeStart",
    "Frozen",
    "InsideDccLead",
    "IssuedBefore",
    "NoSuchEntry",
    "NotRecorded",
    "VersionExists",
    "VersionNotAfter",
]


@dataclass(eq=False)
class Frozen(Refusal):
    """The release is between its freeze and its go-live: a change needs `by-exception <reason>`."""

    release: str
    slug: str
    freeze: date
    go_live: date


@dataclass(eq=False)
class InsideDccLead(Refusal):
    """A DCC System impacting modification added inside the DCC lead time: confirm first."""

    ref: str
    release: str
    lead_start: date
    go_live: date


@dataclass(eq=False)
class NoSuchEntry(Refusal):
    """`cost 7`, `summary 3`, `criterion 12`: there is no such entry in force now."""

    what: str  # cost | summary | criterion
    number: int
    release: str
    slug: str


@dataclass(eq=False)
class NotRecorded(Refusal):
    """What the change would take away is not recorded (a document impact, a party tick)."""

    what: str
    release: str


@dataclass(eq=False)
class AlreadyRecorded(Refusal):
    what: str
    release: str


@dataclass(eq=False)
class EndsBeforeStart(Refusal):
    """The change is dated before the entry it ends was recorded from."""

    what: str
    effective: date
    started: date


@dataclass(eq=False)
class VersionExists(Refusal):
    version: str
    release: str


@dataclass(eq=False)
class VersionNotAfter(Refusal):
    version: str
    latest: str
    release: str


@dataclass(eq=False)
class IssuedBefore(Refusal):
    """A version dated before the release's latest one."""

    version: str
    latest: str
    issued: date
    release: str


@dataclass(eq=False)
class DatedAhead(Refusal):
    """A change dated after today: the record says what happened, not what will."""

    effective: date
    today: date
