"""The read model: the whole release state in memory, immutable, tagged with its state version.

State changes a few times a week and is read all day, so every query is answered from a
`Snapshot` without a database round trip. `build_snapshot` indexes the rows the store read
(`store/loading.py`); scope "as of" a date and "changes since" are computed from the history here.
After a change, `domain.delta.apply_delta` makes the next version's snapshot from this one by
rebuilding only the shards the changed rows belong to (sharing the rest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date

from domain.calendar import WorkingDays
from domain.content import ReleaseContent, ReleaseHistory, content_at
from domain.search import Entry, SearchIndex
from domain.views import (
    CostView,
    CriterionView,
    DecisionView,
    DocImpactView,
    GlossaryView,
    Hit,
    MemberView,
    MilestoneView,
    ModView,
    PhaseView,
    ReleaseView,
    RidVersionView,
    ScopeChangeView,
    SourceView,
    StateRows,
)

__all__ = ["Snapshot", "build_snapshot", "search_index", "search_segments", "segment_entries"]


@dataclass
class Snapshot:
    """Everything a read needs. Built once per state version; treat as read-only."""

    version: int
    releases: list[ReleaseView] = field(default_factory=list)
    release_by_slug: dict[str, ReleaseView] = field(default_factory=dict)
    release_by_id: dict[int, ReleaseView] = field(default_factory=dict)
    mod_by_ref: dict[str, ModView] = field(default_factory=dict)
    mod_by_alias: dict[str, ModView] = field(default_factory=dict)
    mod_by_id: dict[int, ModView] = field(default_factory=dict)
    changes_by_release: dict[int, list[ScopeChangeView]] = field(default_factory=dict)
    changes_by_mod: dict[int, list[ScopeChangeView]] = field(default_factory=dict)
    current_scope: dict[int, dict[int, ScopeChangeView]] = field(default_factory=dict)
    milestones: list[MilestoneView] = field(default_factory=list)
    milestone_by_id: dict[int, MilestoneView] = field(default_factory=dict)
    milestones_by_release: dict[int, list[MilestoneView]] = field(default_factory=dict)
    milestones_by_mod: dict[int, list[MilestoneView]] = field(default_factory=dict)
    party_impacts: dict[int, dict[int, list[str]]] = field(default_factory=dict)
    party_order: dict[int, list[str]] = field(default_factory=dict)
    impact_summaries: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    doc_impacts_by_release: dict[int, list[DocImpactView]] = field(default_factory=dict)
    doc_impacts_by_mod: dict[int, list[DocImpactView]] = field(default_factory=dict)
    costs: dict[int, list[CostView]] = field(default_factory=dict)
    criteria: dict[int, list[CriterionView]] = field(default_factory=dict)
    rid_versions: dict[int, list[RidVersionView]] = field(default_factory=dict)
    decisions: list[DecisionView] = field(default_factory=list)
    decisions_by_mod: dict[int, list[DecisionView]] = field(default_factory=dict)
    decisions_by_release: dict[int, list[DecisionView]] = field(default_factory=dict)
    glossary: dict[str, GlossaryView] = field(default_factory=dict)
    phase_history: dict[int, list[PhaseView]] = field(default_factory=dict)  # modification id -> its phases over time
    sources: dict[int, SourceView] = field(default_factory=dict)
    holidays: dict[date, str] = field(default_factory=dict)
    members: dict[tuple[str, str], MemberView] = field(default_factory=dict)
    calendar: WorkingDays = field(default_factory=WorkingDays)
    index: SearchIndex = field(default_factory=SearchIndex)
    history: dict[int, ReleaseHistory] = field(default_factory=dict)  # release id -> RID content over time

    # -- lookups -------------------------------------------------------------------------

    def release(self, slug: str) -> ReleaseView | None:
        return self.release_by_slug.get(slug)

    def mod(self, ref: str) -> ModView | None:
        return self.mod_by_ref.get(ref) or self.mod_by_alias.get(ref)

    def scope(self, release_id: int, as_of: date | None = None) -> dict[int, ScopeChangeView]:
        """Modification id -> its latest scope change in the release (on or before `as_of`)."""
        if as_of is None:
            return self.current_scope.get(release_id, {})
        result: dict[int, ScopeChangeView] = {}
        for change in self.changes_by_release.get(release_id, ()):
            if change.effective <= as_of:
                result[change.modification_id] = change
        return result

    def content(self, release_id: int, as_of: date | None = None) -> ReleaseContent:
        """The release's impacts, costs and criteria on `as_of` (None: now), for its scope then."""
        return content_at(self.history.get(release_id, ReleaseHistory()), self.scope(release_id, as_of), as_of)

    def phase_as_of(self, modification_id: int, as_of: date) -> str | None:
        """The phase the latest dated entry on or before `as_of` gave (None: nothing known by then)."""
        found: str | None = None
        for entry in self.phase_history.get(modification_id, ()):
            if entry.effective is not None and entry.effective <= as_of:
                found = entry.phase
        return found

    def changes_since(self, release_id: int, since: date) -> list[ScopeChangeView]:
        return [c for c in self.changes_by_release.get(release_id, ()) if c.effective >= since]

    def member(self, platform: str, user_id: str) -> tuple[str, MemberView] | None:
        """(platform, member) for a platform user; the console accepts any platform's user id."""
        found = self.members.get((platform, user_id))
        if found is not None:
            return platform, found
        if platform == "console":
            return next(((p, v) for (p, u), v in self.members.items() if u == user_id), None)
        return None

    def upcoming(self) -> list[ReleaseView]:
        return sorted(self.releases, key=lambda r: r.go_live)

    def find(self, query: str, limit: int = 50) -> tuple[list[Hit], bool]:
        """Items whose text contains the query as a phrase (word-bounded), else all its words."""
        return self.index.find(query, limit)


def build_snapshot(rows: StateRows, index: bool = True) -> Snapshot:
    """Index the rows the store read (each list already in the order the snapshot keeps).

    `index` False skips the search index (a delta builds a few shards this way, `domain.delta`).
    """
    snap = Snapshot(version=rows.version)
    snap.sources = {s.id: s for s in rows.sources}
    for r in rows.releases:
        snap.releases.append(r)
        snap.release_by_slug[r.slug] = r
        snap.release_by_id[r.id] = r
    for mod in rows.modifications:
        snap.mod_by_ref[mod.ref] = mod
        snap.mod_by_id[mod.id] = mod
        for alias in mod.aliases:
            snap.mod_by_alias.setdefault(alias, mod)

    by_release: defaultdict[int, list[ScopeChangeView]] = defaultdict(list)
    by_mod: defaultdict[int, list[ScopeChangeView]] = defaultdict(list)
    for c in rows.scope_changes:
        by_release[c.release_id].append(c)
        by_mod[c.modification_id].append(c)
    snap.changes_by_release = dict(by_release)
    snap.changes_by_mod = dict(by_mod)
    for release_id, items in by_release.items():
        snap.current_scope[release_id] = {c.modification_id: c for c in items}

    ms_by_release: defaultdict[int, list[MilestoneView]] = defaultdict(list)
    ms_by_mod: defaultdict[int, list[MilestoneView]] = defaultdict(list)
    for ms in rows.milestones:
        snap.milestones.append(ms)
        snap.milestone_by_id[ms.id] = ms
        if ms.release_id is not None:
            ms_by_release[ms.release_id].append(ms)
        if ms.modification_id is not None:
            ms_by_mod[ms.modification_id].append(ms)
    snap.milestones_by_release = dict(ms_by_release)
    snap.milestones_by_mod = dict(ms_by_mod)

    _content(snap, rows)
    for v in rows.rid_versions:
        snap.rid_versions.setdefault(v.release_id, []).append(v)
    for dec in rows.decisions:
        snap.decisions.append(dec)
        if dec.modification_id is not None:
            snap.decisions_by_mod.setdefault(dec.modification_id, []).append(dec)
        if dec.release_id is not None:
            snap.decisions_by_release.setdefault(dec.release_id, []).append(dec)
    for phase in rows.phases:
        snap.phase_history.setdefault(phase.modification_id, []).append(phase)
    snap.glossary = {g.term.lower(): g for g in rows.glossary}
    snap.holidays = dict(rows.holidays)
    snap.calendar = WorkingDays(snap.holidays)
    members = {m.id: m for m in rows.members}
    for ident in rows.identities:
        if ident.member_id in members:
            snap.members[(ident.platform, ident.user_id)] = members[ident.member_id]
    if index:
        snap.index = search_index(snap)
    return snap


def _content(snap: Snapshot, rows: StateRows) -> None:
    """RID content: every history row by release, and what is in force now in the flat lookups."""

    def history(release_id: int) -> ReleaseHistory:
        return snap.history.setdefault(release_id, ReleaseHistory())

    for pi in rows.party_impacts:
        history(pi.release_id).parties.append(pi)
        if pi.until is None:
            snap.party_impacts.setdefault(pi.release_id, {}).setdefault(pi.modification_id, []).append(pi.party)
            order = snap.party_order.setdefault(pi.release_id, [])
            if pi.party not in order:
                order.append(pi.party)
    for s in rows.impact_summaries:
        history(s.release_id).summaries.append(s)
        if s.until is None:
            snap.impact_summaries.setdefault(s.release_id, []).append((s.audience, s.area, s.text))
    for d in rows.doc_impacts:
        if d.release_id is not None:
            history(d.release_id).documents.append(d)
        if d.until is None:
            if d.release_id is not None:
                snap.doc_impacts_by_release.setdefault(d.release_id, []).append(d)
            snap.doc_impacts_by_mod.setdefault(d.modification_id, []).append(d)
    for cost in rows.costs:
        history(cost.release_id).costs.append(cost)
        if cost.until is None:
            snap.costs.setdefault(cost.release_id, []).append(cost)
    for criterion in rows.criteria:
        history(criterion.release_id).criteria.append(criterion)
        if criterion.until is None:
            snap.criteria.setdefault(criterion.release_id, []).append(criterion)


def search_segments(snap: Snapshot) -> list[Hashable]:
    """Every segment of the search index (see `segment_entries`)."""
    return [
        ("releases",),
        *(("mod", mod_id) for mod_id in snap.mod_by_id),
        *(("milestones", release_id) for release_id in {ms.release_id for ms in snap.milestones}),
        *(("release", release_id) for release_id in snap.impact_summaries.keys() | snap.party_impacts.keys()),
        ("glossary",),
        ("sources",),
    ]


def segment_entries(snap: Snapshot, segment: Hashable) -> list[Entry]:
    """What `find` searches in one segment: (where it sorts, what a match points to, its text).

    Keys start with the kind's rank, so hits come releases first, then modifications, documents,
    milestones, impacts, terms, participants and papers, each in the store's order.
    """
    match segment:
        case ("releases",):
            return [
                (
                    (0, r.go_live, r.id),
                    Hit("release", r.name, release_id=r.id),
                    f"{r.slug} {r.name} {r.notes} {r.test_strategy}",
                )
                for r in snap.releases
            ]
        case ("mod", int(mod_id)):
            mod = snap.mod_by_id.get(mod_id)
            if mod is None:
                return []
            text = f"{mod.ref} {' '.join(mod.aliases)} {mod.title} {mod.summary} {mod.working_group or ''} {mod.status_note}"
            entries: list[Entry] = [
                ((1, mod.ref, mod.id), Hit("modification", f"{mod.ref} {mod.title}", modification_id=mod.id), text)
            ]
            for d in snap.doc_impacts_by_mod.get(mod_id, ()):
                label = f"{d.document} {d.document_title}".strip()
                hit = Hit("document", label, release_id=d.release_id, modification_id=mod_id)
                entries.append(((2, d.position, d.id), hit, label))
            return entries
        case ("milestones", release_id):
            dated = (
                snap.milestones_by_release.get(release_id, [])
                if isinstance(release_id, int)
                else [ms for ms in snap.milestones if ms.release_id is None]
            )
            return [
                (
                    (3, ms.due_at, ms.id),
                    Hit(
                        "milestone",
                        ms.title,
                        release_id=ms.release_id,
                        modification_id=ms.modification_id,
                        detail=ms.key,
                    ),
                    f"{ms.title} {ms.notes} {ms.kind.replace('_', ' ')}",
                )
                for ms in dated
            ]
        case ("release", int(release_id)):
            found: list[Entry] = [
                ((4, release_id, n), Hit("impact", f"{area}: {text}", release_id=release_id), f"{area} {text}")
                for n, (_audience, area, text) in enumerate(snap.impact_summaries.get(release_id, ()))
            ]
            # The participant matrices' ticks are searchable too.
            for mod_id, parties in snap.party_impacts.get(release_id, {}).items():
                for n, party in enumerate(parties):
                    found.append(
                        (
                            (6, release_id, mod_id, n),
                            Hit("party", party, release_id=release_id, modification_id=mod_id),
                            party,
                        )
                    )
            return found
        case ("glossary",):
            return [
                ((5, key), Hit("glossary", f"{g.term}: {g.meaning}"), f"{g.term} {g.meaning}")
                for key, g in snap.glossary.items()
            ]
        case ("sources",):
            return [
                ((7, src.id), Hit("source", src.title, detail=src.key), f"{src.title} {src.author} {src.key}")
                for src in snap.sources.values()
            ]
    raise ValueError(f"no search segment {segment!r}")


def search_index(snap: Snapshot) -> SearchIndex:
    return SearchIndex({segment: segment_entries(snap, segment) for segment in search_segments(snap)})
