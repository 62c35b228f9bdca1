"""Immutable views of the stored release state: what the read model is made of.

The store turns table rows into these (`store/loading.py`); the `Snapshot` indexes them. Plain
frozen dataclasses, so the command language, planning and documents read them without knowing
about tables or sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = [
    "CostView",
    "CriterionView",
    "Dated",
    "DecisionView",
    "DocImpactView",
    "GlossaryView",
    "History",
    "Hit",
    "IdentityView",
    "ImpactSummaryView",
    "MemberView",
    "MilestoneView",
    "ModView",
    "PartyImpactView",
    "PhaseView",
    "ReleaseView",
    "RidVersionView",
    "ScopeChangeView",
    "SourceView",
    "StateRows",
    "in_force",
]


@dataclass(frozen=True, slots=True)
class SourceView:
    id: int
    key: str
    title: str
    issued: date | None
    author: str = ""


@dataclass(frozen=True, slots=True)
class ReleaseView:
    id: int
    slug: str
    name: str
    go_live: date
    status: str
    dcc_system_impacting: bool | None
    notes: str
    test_strategy: str


@dataclass(frozen=True, slots=True)
class ModView:
    id: int
    ref: str
    title: str
    kind: str
    aliases: tuple[str, ...]
    url: str
    summary: str
    path: str | None
    phase: str | None
    working_group: str | None
    dcc_impact: bool | None
    status_note: str
    status_date: date | None


@dataclass(frozen=True, slots=True)
class PhaseView:
    """One entry of a modification's phase history (`effective` is None for an undated document)."""

    modification_id: int
    phase: str
    effective: date | None
    source_id: int | None


@dataclass(frozen=True, slots=True)
class ScopeChangeView:
    id: int
    release_id: int
    modification_id: int
    state: str
    moved_to_release_id: int | None
    effective: date
    note: str
    reason: str
    source_id: int | None
    actor: str
    recorded_at: datetime
    precision: str = "day"  # of `effective`: day|month
    by_exception: str = ""  # made after the release's freeze: why

    @property
    def order(self) -> tuple[date, int]:
        return (self.effective, self.id)


@dataclass(frozen=True, slots=True)
class MilestoneView:
    id: int
    key: str
    release_id: int | None
    modification_id: int | None
    kind: str
    title: str
    due_at: datetime
    all_day: bool
    origin: str
    derived_from_id: int | None
    offset_wd: int | None
    notes: str
    state: str
    source_id: int | None
    precision: str = "day"  # "month": the paper gave the month only


@dataclass(frozen=True, slots=True, kw_only=True)
class History:
    """What a row of RID content history carries: in force from `effective` (None: from before any
    record) until `until` (None: still), at the precision the paper gave, by whom, from where."""

    id: int = 0
    effective: date | None = None
    until: date | None = None
    precision: str = "day"
    source_id: int | None = None
    actor: str = ""
    by_exception: str = ""  # added after the release's freeze: why


@dataclass(frozen=True, slots=True)
class DocImpactView(History):
    release_id: int | None
    modification_id: int
    document: str
    document_title: str
    position: int


@dataclass(frozen=True, slots=True)
class CostView(History):
    release_id: int
    payer: str
    category: str
    amount_gbp: int | None
    effort_days: float | None
    modification_id: int | None
    note: str


@dataclass(frozen=True, slots=True)
class CriterionView(History):
    release_id: int
    number: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class RidVersionView:
    release_id: int
    version: str
    issued: date
    changes: str
    id: int = 0
    actor: str = ""
    source_id: int | None = None


@dataclass(frozen=True, slots=True)
class DecisionView:
    id: int
    decided_on: date | None
    reported_on: date | None
    body: str
    release_id: int | None
    modification_id: int | None
    outcome: str
    text: str
    source_id: int | None
    precision: str = "day"  # of `decided_on`
    actor: str = ""

    @property
    def day(self) -> date | None:
        return self.decided_on or self.reported_on


@dataclass(frozen=True, slots=True)
class GlossaryView:
    term: str
    meaning: str
    kind: str


@dataclass(frozen=True, slots=True)
class MemberView:
    id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: what matched (`kind`, `label`) and where it points."""

    kind: str  # release|modification|document|milestone|impact|party|source|glossary
    label: str
    release_id: int | None = None
    modification_id: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PartyImpactView(History):
    """One tick of a release's participant impact matrix."""

    release_id: int
    modification_id: int
    party: str
    position: int


@dataclass(frozen=True, slots=True)
class ImpactSummaryView(History):
    release_id: int
    audience: str  # party|dcc
    area: str
    text: str
    position: int
    modification_id: int | None = None  # the modification it is about (None: the release as a whole)


@dataclass(frozen=True, slots=True)
class IdentityView:
    """A platform account of a member."""

    member_id: int
    platform: str
    user_id: str


Dated = PartyImpactView | ImpactSummaryView | DocImpactView | CostView | CriterionView


def in_force(row: Dated, day: date | None) -> bool:
    """Whether a history row held on `day` (None: now)."""
    if day is None:
        return row.until is None
    return (row.effective is None or row.effective <= day) and (row.until is None or row.until > day)


@dataclass
class StateRows:
    """Every row the read model is built from, each list in the order the snapshot keeps it."""

    version: int
    sources: list[SourceView] = field(default_factory=list)
    releases: list[ReleaseView] = field(default_factory=list)  # by go-live
    modifications: list[ModView] = field(default_factory=list)  # by id (the order they were recorded)
    scope_changes: list[ScopeChangeView] = field(default_factory=list)  # live ones, by (effective, id)
    milestones: list[MilestoneView] = field(default_factory=list)  # by (due, id)
    party_impacts: list[PartyImpactView] = field(default_factory=list)  # by (position, id)
    impact_summaries: list[ImpactSummaryView] = field(default_factory=list)
    doc_impacts: list[DocImpactView] = field(default_factory=list)
    costs: list[CostView] = field(default_factory=list)
    criteria: list[CriterionView] = field(default_factory=list)  # by number
    rid_versions: list[RidVersionView] = field(default_factory=list)  # by (issued, id)
    decisions: list[DecisionView] = field(default_factory=list)  # by id
    phases: list[PhaseView] = field(default_factory=list)  # by (effective, id)
    glossary: list[GlossaryView] = field(default_factory=list)  # by term
    holidays: dict[date, str] = field(default_factory=dict)
    members: list[MemberView] = field(default_factory=list)
    identities: list[IdentityView] = field(default_factory=list)
