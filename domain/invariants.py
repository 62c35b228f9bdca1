"""Invariants the release record keeps whatever wrote it: a modification is live (targeted or
approved) in one release at a time, at every date of its history.

Pure: given the scope history as steps, say where it breaks. The loader refuses a data file
that breaks one (naming the modification, the releases and the date), so a paper that implies a
move has to record it, and a chat change never meets a state the scope rules would not make.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from domain.scope import is_live

__all__ = ["Overlap", "ScopeStep", "live_overlaps"]


@dataclass(frozen=True, slots=True)
class ScopeStep:
    """One live (not retracted) scope-history row, in the order the store keeps them."""

    ref: str
    release: str
    state: str
    effective: date
    order: int  # the row's id: steps of one date apply in the order they were written


@dataclass(frozen=True, slots=True)
class Overlap:
    """`ref` was live in every one of `releases` at once, from `since`."""

    ref: str
    releases: tuple[str, ...]
    since: date

    def __str__(self) -> str:
        return (
            f"{self.ref} is live in {' and '.join(self.releases)} at once from {self.since.isoformat()} "
            "(a modification is live in one release at a time: record the move, or remove it from one)"
        )


def live_overlaps(steps: Iterable[ScopeStep]) -> list[Overlap]:
    """Every modification that is live in two releases on some date (the first such date each)."""
    found: list[Overlap] = []
    ordered = sorted(steps, key=lambda s: (s.ref, s.effective, s.order))
    for ref, history in groupby(ordered, key=lambda s: s.ref):
        state: dict[str, str] = {}
        for on, same_day in groupby(history, key=lambda s: s.effective):
            for step in same_day:
                state[step.release] = step.state
            live = tuple(sorted(r for r, s in state.items() if is_live(s)))
            if len(live) > 1:
                found.append(Overlap(ref, live, on))
                break
    return found
