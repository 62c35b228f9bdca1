"""The scope rules: what targeting, approving, removing or moving a modification does to history.

Pure: given the facts the store read (the modification's latest state in the release, whether it
is live in another release, its state in the target of a move), each rule returns the history
steps to append, or raises the `Refusal` that says why not. A modification is live (targeted or
approved) in one release at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.kinds import ScopeState
from domain.refusals import AlreadyInScope, LiveElsewhere, MoveToWhere, NotInScope, SameRelease

__all__ = ["LIVE", "Place", "ScopeFacts", "Step", "approve", "is_live", "move", "remove", "target"]

LIVE = frozenset({ScopeState.targeted.value, ScopeState.approved.value})


def is_live(state: str | None) -> bool:
    return state in LIVE


@dataclass(frozen=True, slots=True)
class Place:
    """A release as the rules need it, with the modification's latest state there."""

    id: int
    slug: str
    name: str
    state: str | None = None


@dataclass(frozen=True, slots=True)
class ScopeFacts:
    ref: str
    release: Place
    elsewhere: Place | None = None  # another release it is live in now
    target: Place | None = None  # where a move takes it


@dataclass(frozen=True, slots=True)
class Step:
    """One scope-history row to append."""

    release_id: int
    state: str
    moved_to_release_id: int | None = None
    note: str = ""


def _not_elsewhere(facts: ScopeFacts) -> None:
    if facts.elsewhere is not None and not is_live(facts.release.state):
        other = facts.elsewhere
        raise LiveElsewhere(facts.ref, other.state or "", other.name, other.slug, facts.release.slug)


def target(facts: ScopeFacts) -> list[Step]:
    """Target it for the release: in if approved by the cut-off."""
    rel = facts.release
    if is_live(rel.state):
        raise AlreadyInScope(facts.ref, rel.state or "", rel.name)
    _not_elsewhere(facts)
    return [Step(rel.id, ScopeState.targeted.value)]


def approve(facts: ScopeFacts) -> list[Step]:
    """Approve it for the release (added as approved when it was not in scope)."""
    rel = facts.release
    if rel.state == ScopeState.approved.value:
        raise AlreadyInScope(facts.ref, rel.state, rel.name)
    _not_elsewhere(facts)
    return [Step(rel.id, ScopeState.approved.value)]


def remove(facts: ScopeFacts) -> list[Step]:
    rel = facts.release
    if not is_live(rel.state):
        raise NotInScope(facts.ref, rel.name, rel.state)
    return [Step(rel.id, ScopeState.removed.value)]


def move(facts: ScopeFacts) -> list[Step]:
    """Moved out of the release, and into the target in the state it had (targeted if none)."""
    rel, there = facts.release, facts.target
    if there is None:
        raise MoveToWhere(facts.ref)
    if there.id == rel.id:
        raise SameRelease(facts.ref, rel.name)
    if not is_live(rel.state):
        raise NotInScope(facts.ref, rel.name, rel.state)
    if is_live(there.state):
        raise AlreadyInScope(facts.ref, there.state or "", there.name)
    return [
        Step(rel.id, ScopeState.moved.value, moved_to_release_id=there.id),
        Step(there.id, rel.state or ScopeState.targeted.value, note=f"moved from {rel.name}"),
    ]
