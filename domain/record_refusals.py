"""Why a change to the release record cannot be made: new releases and modifications, their
fields, decisions and members' identities. Data, like `domain.refusals`; worded by
`commands.record_refusals`."""

from __future__ import annotations

from dataclasses import dataclass

from domain.refusals import Refusal

__all__ = [
    "DecisionInFuture",
    "DecisionRecorded",
    "IdentityTaken",
    "ModificationExists",
    "NoSuchMember",
    "NothingToSet",
    "ReleaseExists",
    "SlugTaken",
]


@dataclass(eq=False)
class ReleaseExists(Refusal):
    slug: str
    name: str


@dataclass(eq=False)
class SlugTaken(Refusal):
    """Another release already has that name."""

    name: str
    slug: str


@dataclass(eq=False)
class ModificationExists(Refusal):
    ref: str
    title: str


@dataclass(eq=False)
class DecisionInFuture(Refusal):
    """A decision is recorded once it is made: a date after today is a slip of the keyboard."""

    ref: str
    when: str
    today: str


@dataclass(eq=False)
class DecisionRecorded(Refusal):
    """The same body's same outcome on the same date is already in the record."""

    ref: str
    body: str
    outcome: str
    when: str


@dataclass(eq=False)
class NothingToSet(Refusal):
    """The field already has that value: a change that changes nothing is not recorded."""

    subject: str
    field: str
    value: str


@dataclass(eq=False)
class NoSuchMember(Refusal):
    who: str


@dataclass(eq=False)
class IdentityTaken(Refusal):
    """That platform account already belongs to another member."""

    platform: str
    user_id: str
    member: str
