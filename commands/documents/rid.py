"""The Release Implementation Document as typed facts, built from the state for a version or a date.

`RidModel` is what the RID says (scope, impacts, timetable, costs, criteria, versions); it is
what two versions are compared on (rid_diff.py) and what rid_layout.py lays out as a `Document`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from commands.documents.content import release_content
from commands.documents.errors import DocumentError
from domain.calendar import local_date
from domain.snapshot import Snapshot
from domain.views import MilestoneView, ModView, ReleaseView

__all__ = ["CostRow", "RidError", "RidModel", "ScopeItem", "TimetableRow", "build_rid_model", "ref_order"]


class RidError(DocumentError):
    """A RID cannot be built as asked (no such version); the message is for the user."""


@dataclass(frozen=True, slots=True)
class ScopeItem:
    ref: str
    title: str
    kind: str
    state: str  # approved|targeted|removed|moved
    summary: str
    since: date
    moved_to: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TimetableRow:
    day: date
    event: str
    notes: str = ""
    ref: str = ""
    derived_from: str = ""
    key: str = ""  # what identifies the row across versions: the milestone key ("go_live" for go-live)


@dataclass(frozen=True, slots=True)
class CostRow:
    payer: str
    category: str
    amount_gbp: int | None
    effort_days: float | None
    ref: str
    note: str


@dataclass(frozen=True)
class RidModel:
    slug: str
    name: str
    go_live: date
    dcc_system_impacting: bool | None
    version: str | None  # the version rebuilt; None for the current state
    as_of: date | None
    built_on: date
    state_version: int
    latest_version: tuple[str, date] | None
    scope: tuple[ScopeItem, ...]
    parties: tuple[str, ...]
    party_rows: tuple[tuple[str, tuple[str, ...]], ...]
    party_summaries: tuple[tuple[str, tuple[str, ...]], ...]
    dcc_summaries: tuple[tuple[str, tuple[str, ...]], ...]
    documents: tuple[tuple[str, str], ...]  # (document, title)
    document_refs: tuple[str, ...]  # the matrix's columns: every proposal in scope
    document_ticks: tuple[tuple[str, tuple[str, ...]], ...]  # (document, refs)
    timetable: tuple[TimetableRow, ...]
    derived: tuple[TimetableRow, ...]
    mod_milestones: tuple[TimetableRow, ...]
    has_opsg_review: bool
    test_strategy: str
    costs: tuple[CostRow, ...]
    criteria: tuple[tuple[int, str, str], ...]  # (number, kind, text)
    versions: tuple[tuple[str, date, str], ...]
    notes: str
    acronyms: tuple[tuple[str, str], ...]

    def in_scope(self, *states: str) -> tuple[ScopeItem, ...]:
        return tuple(s for s in self.scope if s.state in states)


def ref_order(ref: str) -> tuple[int, str]:
    """Papers list proposals by number (SECMP0007, MP077, MP090, MP122B, DP144), not by prefix."""
    found = re.search(r"\d+", ref)
    return (int(found.group()) if found else 0, ref)


def build_rid_model(
    snapshot: Snapshot, rel: ReleaseView, today: date, version: str | None = None, as_of: date | None = None
) -> RidModel:
    """The RID as it stood at `version` (its issue date is the as-of date), on `as_of`, or now."""
    all_versions = snapshot.rid_versions.get(rel.id, [])
    if version is not None:
        found = next((v for v in all_versions if v.version == version), None)
        if found is None:
            known = ", ".join(v.version for v in all_versions) or "none recorded"
            raise RidError(f"{rel.name} has no RID version {version} (versions: {known}).")
        as_of = found.issued
    content = release_content(snapshot, rel.id, as_of)
    versions = content.versions
    if version is not None:
        upto = [v.version for v in all_versions].index(version)
        versions = tuple(all_versions[: upto + 1])
    scope = _scope(snapshot, rel, as_of)
    live = {s.ref for s in scope if s.state in ("approved", "targeted")}
    by_id = snapshot.mod_by_id
    ticks_by_ref = {by_id[mid].ref: t for mid, t in content.party_ticks.items()}
    proposals = [s.ref for s in scope if s.state in ("approved", "targeted") and s.kind != "CR"]
    # every proposal in scope gets a row once any impact is recorded: an empty row says "none recorded"
    party_rows = (
        tuple((ref, ticks_by_ref.get(ref, ())) for ref in proposals)
        if any(r in ticks_by_ref for r in proposals)
        else ()
    )
    documents: list[tuple[str, str]] = []
    ticks: dict[str, list[str]] = {}
    for d in content.documents:
        ref = by_id[d.modification_id].ref
        if ref not in live:
            continue
        if d.document not in ticks:
            documents.append((d.document, d.document_title))
            ticks[d.document] = []
        if ref not in ticks[d.document]:
            ticks[d.document].append(ref)
    own = [ms for ms in content.milestones if ms.modification_id is None]
    timetable = [_row(snapshot, ms) for ms in own if ms.origin != "derived"]
    if not any(ms.kind == "go_live" for ms in own):
        timetable.append(
            TimetableRow(rel.go_live, "Release go-live", "Go-live date of the release record.", key="go_live")
        )
    latest = (all_versions[-1].version, all_versions[-1].issued) if all_versions else None
    return RidModel(
        slug=rel.slug, name=rel.name, go_live=rel.go_live, dcc_system_impacting=rel.dcc_system_impacting,
        version=version, as_of=as_of, built_on=today, state_version=snapshot.version, latest_version=latest,
        scope=scope, parties=content.parties, party_rows=party_rows,
        party_summaries=_grouped(content.summaries, "party"), dcc_summaries=_grouped(content.summaries, "dcc"),
        documents=tuple(documents), document_refs=tuple(proposals), document_ticks=tuple((doc, tuple(sorted(refs, key=ref_order))) for doc, refs in ticks.items()),
        timetable=tuple(sorted(timetable, key=lambda r: r.day)),
        derived=tuple(_row(snapshot, ms) for ms in own if ms.origin == "derived"),
        mod_milestones=tuple(_row(snapshot, ms) for ms in content.milestones if ms.modification_id is not None),
        has_opsg_review=any(ms.kind == "opsg_review" for ms in own),
        test_strategy=content.test_strategy,
        costs=tuple(
            CostRow(c.payer, c.category, c.amount_gbp, c.effort_days, by_id[c.modification_id].ref if c.modification_id else "", c.note)
            for c in content.costs
        ),
        criteria=tuple((c.number, c.kind, c.text) for c in content.criteria),
        versions=tuple((v.version, v.issued, v.changes) for v in versions),
        notes=content.notes,
        acronyms=tuple(sorted((g.term, g.meaning) for g in snapshot.glossary.values() if g.kind == "acronym")),
    )  # fmt: skip


def _scope(snapshot: Snapshot, rel: ReleaseView, as_of: date | None) -> tuple[ScopeItem, ...]:
    items = []
    for mod_id, change in snapshot.scope(rel.id, as_of).items():
        mod: ModView = snapshot.mod_by_id[mod_id]
        target = snapshot.release_by_id.get(change.moved_to_release_id) if change.moved_to_release_id else None
        title = mod.title if mod.title != mod.ref else ""
        moved_to = target.name if target else ""
        items.append(
            ScopeItem(mod.ref, title, mod.kind, change.state, mod.summary, change.effective, moved_to, change.reason)
        )
    return tuple(sorted(items, key=lambda s: ref_order(s.ref)))


def _grouped(summaries: tuple[tuple[str, str, str], ...], audience: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    areas: dict[str, list[str]] = {}
    for aud, area, text in summaries:
        if aud == audience:
            areas.setdefault(area, []).append(text)
    return tuple((area, tuple(texts)) for area, texts in areas.items())


def _row(snapshot: Snapshot, ms: MilestoneView) -> TimetableRow:
    ref = snapshot.mod_by_id[ms.modification_id].ref if ms.modification_id is not None else ""
    derived = ""
    if ms.derived_from_id is not None:
        base = snapshot.milestone_by_id.get(ms.derived_from_id)
        derived = (
            f"{ms.offset_wd} Working Days after “{base.title}”"
            if base
            else f"{ms.offset_wd} Working Days after another milestone"
        )
    return TimetableRow(
        local_date(ms.due_at),
        ms.title,
        ms.notes,
        ref,
        derived,
        "go_live" if ms.kind == "go_live" and not ref else ms.key,
    )
