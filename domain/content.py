"""A release's RID content as it stood on a day: impacts, costs and acceptance criteria.

Each kind keeps history like scope does (a row is in force from its `effective` day until its
`until` day), so "as of 1 Sep 2020" and a RID rebuilt for a version show what was recorded then.
Impacts, impact summaries and costs due to a modification are shown only while the modification is in the
release's scope on that day: a modification moved out takes its impacts with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.scope import is_live
from domain.views import (
    CostView,
    CriterionView,
    DocImpactView,
    ImpactSummaryView,
    PartyImpactView,
    ScopeChangeView,
    in_force,
)

__all__ = ["ReleaseContent", "ReleaseHistory", "content_at"]


@dataclass
class ReleaseHistory:
    """Every history row of one release's RID content (retracted ones excluded), in paper order."""

    parties: list[PartyImpactView] = field(default_factory=list)
    summaries: list[ImpactSummaryView] = field(default_factory=list)
    documents: list[DocImpactView] = field(default_factory=list)
    costs: list[CostView] = field(default_factory=list)
    criteria: list[CriterionView] = field(default_factory=list)


@dataclass(frozen=True)
class ReleaseContent:
    """The content in force on one day, for the modifications in scope that day."""

    party_matrix: dict[int, list[str]]  # modification id -> parties ticked, in column order
    parties: list[str]  # the matrix's columns, in the paper's order
    summaries: list[ImpactSummaryView]
    documents: list[DocImpactView]
    costs: list[CostView]
    criteria: list[CriterionView]


def content_at(history: ReleaseHistory, scope: dict[int, ScopeChangeView], day: date | None) -> ReleaseContent:
    """What the release's RID said on `day` (None: now), given its scope on that day."""
    in_scope = {mod_id for mod_id, change in scope.items() if is_live(change.state)}
    matrix: dict[int, list[str]] = {}
    columns: list[str] = []
    for row in sorted((r for r in history.parties if in_force(r, day)), key=lambda r: (r.position, r.id)):
        if row.party not in columns:
            columns.append(row.party)
        if row.modification_id in in_scope:
            matrix.setdefault(row.modification_id, []).append(row.party)
    return ReleaseContent(
        party_matrix=matrix,
        parties=columns,
        summaries=[
            r
            for r in history.summaries
            if in_force(r, day) and (r.modification_id is None or r.modification_id in in_scope)
        ],
        documents=[r for r in history.documents if in_force(r, day) and r.modification_id in in_scope],
        costs=[
            r
            for r in history.costs
            if in_force(r, day) and (r.modification_id is None or r.modification_id in in_scope)
        ],
        criteria=[r for r in history.criteria if in_force(r, day)],
    )
