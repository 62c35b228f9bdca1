"""What the store records about a release's RID content on a date: what a document may show.

Scope and RID content have dated history (`Snapshot.scope`, `Snapshot.content`): impacts, costs
and criteria as recorded on the date, for the modifications in scope that day. Every document
asks `release_content(snapshot, release_id, as_of)` and nothing else for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.snapshot import Snapshot
from domain.views import CostView, CriterionView, DocImpactView, MilestoneView, RidVersionView

__all__ = ["ReleaseContent", "release_content"]


@dataclass(frozen=True, slots=True)
class ReleaseContent:
    """The RID content of one release as recorded on a date (or now, when `as_of` is None)."""

    as_of: date | None
    parties: tuple[str, ...]
    party_ticks: dict[int, tuple[str, ...]]  # modification id -> parties ticked
    summaries: tuple[tuple[str, str, str], ...]  # (audience party|dcc, area, text)
    documents: tuple[DocImpactView, ...]
    costs: tuple[CostView, ...]
    criteria: tuple[CriterionView, ...]
    milestones: tuple[MilestoneView, ...]
    versions: tuple[RidVersionView, ...]
    notes: str
    test_strategy: str


def release_content(snapshot: Snapshot, release_id: int, as_of: date | None) -> ReleaseContent:
    """Impacts, costs, criteria, milestones, RID versions and notes of a release as of `as_of`.

    Impacts, summaries, costs and criteria are those in force on the date, for the modifications
    in scope then; RID versions are those issued on or before it, and milestones those whose
    source document was issued on or before it (a chat-added milestone, which has no dated
    source, always counts). The release's free-text notes and test strategy have no history: the
    notes are given only for the current document (`as_of` None), since each paper rewrites them
    and they would put later news into an earlier version.
    """
    rel = snapshot.release_by_id[release_id]
    versions = tuple(v for v in snapshot.rid_versions.get(release_id, []) if as_of is None or v.issued <= as_of)
    milestones = tuple(
        ms
        for ms in snapshot.milestones_by_release.get(release_id, [])
        if ms.state != "cancelled" and _known_by(snapshot, ms, as_of)
    )
    recorded = snapshot.content(release_id, as_of)
    return ReleaseContent(
        as_of=as_of,
        parties=tuple(recorded.parties),
        party_ticks={mod_id: tuple(p) for mod_id, p in recorded.party_matrix.items()},
        summaries=tuple((s.audience, s.area, s.text) for s in recorded.summaries),
        documents=tuple(recorded.documents),
        costs=tuple(recorded.costs),
        criteria=tuple(recorded.criteria),
        milestones=milestones,
        versions=versions,
        notes=rel.notes if as_of is None else "",
        test_strategy=rel.test_strategy,
    )


def _known_by(snapshot: Snapshot, ms: MilestoneView, as_of: date | None) -> bool:
    if as_of is None:
        return True
    source = snapshot.sources.get(ms.source_id) if ms.source_id is not None else None
    return source is None or source.issued is None or source.issued <= as_of
