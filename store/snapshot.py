"""The read model: the whole release state in memory, immutable, tagged with its state version.

State changes a few times a week and is read all day, so every query is answered from a
`Snapshot` without a database round trip. `load_snapshot` reads every table once (Core selects,
no ORM objects); scope "as of" a date and "changes since" are computed from the history here.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from notifiers.workdays import WorkingDays
from store import models as m

__all__ = [
    "CostView",
    "CriterionView",
    "DecisionView",
    "DocImpactView",
    "GlossaryView",
    "Hit",
    "MemberView",
    "MilestoneView",
    "ModView",
    "ReleaseView",
    "RidVersionView",
    "ScopeChangeView",
    "Snapshot",
    "SourceView",
    "load_snapshot",
]


@dataclass(frozen=True, slots=True)
class SourceView:
    id: int
    key: str
    title: str
    issued: date | None


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


@dataclass(frozen=True, slots=True)
class DocImpactView:
    release_id: int | None
    modification_id: int
    document: str
    document_title: str
    position: int


@dataclass(frozen=True, slots=True)
class CostView:
    payer: str
    category: str
    amount_gbp: int | None
    effort_days: float | None
    modification_id: int | None
    note: str


@dataclass(frozen=True, slots=True)
class CriterionView:
    number: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class RidVersionView:
    version: str
    issued: date
    changes: str


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

    kind: str  # release|modification|document|milestone|glossary
    label: str
    release_id: int | None = None
    modification_id: int | None = None
    detail: str = ""


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
    sources: dict[int, SourceView] = field(default_factory=dict)
    holidays: dict[date, str] = field(default_factory=dict)
    members: dict[tuple[str, str], MemberView] = field(default_factory=dict)
    calendar: WorkingDays = field(default_factory=WorkingDays)
    _haystack: str = ""
    _offsets: list[int] = field(default_factory=list)
    _hits: list[Hit] = field(default_factory=list)
    _postings: dict[str, list[int]] = field(default_factory=dict)

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

    # -- search --------------------------------------------------------------------------

    def find(self, query: str, limit: int = 50) -> tuple[list[Hit], bool]:
        """Items whose text contains the query as a phrase (word-bounded), else all its words.

        Returns up to `limit` hits in store order and whether there were more. Candidates come
        from a word index; the phrase is then checked in each candidate's text.
        """
        needle = " ".join(query.lower().split())
        if not needle:
            return [], False
        found = self._indexed_phrase(needle, limit + 1)
        if not found:
            words = [w for w in needle.split(" ") if w]
            if len(words) > 1:
                sets = [set(self._indexed_phrase(w, None)) for w in words]
                found = sorted(set.intersection(*sets))
        return [self._hits[k] for k in found[:limit]], len(found) > limit

    def _indexed_phrase(self, needle: str, stop_after: int | None) -> list[int]:
        words = _WORD.findall(needle)
        if not words:
            return self._phrase(needle, stop_after)
        lists = sorted((self._postings.get(w, []) for w in set(words)), key=len)
        if not lists[0]:
            return []
        candidates = lists[0]
        for other in lists[1:]:
            keep = set(other)
            candidates = [k for k in candidates if k in keep]
        result = []
        for k in candidates:
            if self._item_has(k, needle):
                result.append(k)
                if stop_after is not None and len(result) >= stop_after:
                    break
        return result

    def _item_has(self, k: int, needle: str) -> bool:
        start = self._offsets[k]
        end = self._offsets[k + 1] if k + 1 < len(self._offsets) else len(self._haystack)
        text = self._haystack[start:end]
        first_alnum, last_alnum = needle[0].isalnum(), needle[-1].isalnum()
        at = text.find(needle)
        while at != -1:
            stop = at + len(needle)
            if (at == 0 or not first_alnum or not text[at - 1].isalnum()) and (stop >= len(text) or not last_alnum or not text[stop].isalnum()):
                return True
            at = text.find(needle, at + 1)
        return False

    def _phrase(self, needle: str, stop_after: int | None = None) -> list[int]:
        hay = self._haystack
        offsets = self._offsets
        result: list[int] = []
        last = -1
        start = hay.find(needle)
        first_alnum, last_alnum = needle[0].isalnum(), needle[-1].isalnum()
        while start != -1:
            end = start + len(needle)
            if (start == 0 or not first_alnum or not hay[start - 1].isalnum()) and (
                end >= len(hay) or not last_alnum or not hay[end].isalnum()
            ):
                k = bisect.bisect_right(offsets, start) - 1
                if k != last:
                    result.append(k)
                    last = k
                    if stop_after is not None and len(result) >= stop_after:
                        break
                # the rest of this item cannot add anything: jump to the next item
                start = offsets[k + 1] if k + 1 < len(offsets) else len(hay)
            else:
                start += 1
            start = hay.find(needle, start)
        return result

    def _index(self, entries: Iterable[tuple[Hit, str]]) -> None:
        parts: list[str] = []
        offsets: list[int] = []
        hits: list[Hit] = []
        pos = 0
        for hit, text in entries:
            text = " ".join(text.lower().split()) + "\n"
            offsets.append(pos)
            hits.append(hit)
            parts.append(text)
            pos += len(text)
        self._haystack = "".join(parts)
        self._offsets = offsets
        self._hits = hits
        postings: dict[str, list[int]] = {}
        for k, text in enumerate(parts):
            for word in set(_WORD.findall(text)):
                postings.setdefault(word, []).append(k)
        self._postings = postings


async def _rows(conn: AsyncConnection, table: type[m.SQLModel], *order: sa.ColumnElement[object]) -> list[sa.Row[tuple[object, ...]]]:
    t = table.__table__  # type: ignore[attr-defined]
    result = await conn.execute(sa.select(t).order_by(*order) if order else sa.select(t))
    return list(result.all())


_ALIAS_SPLIT = re.compile(r"[\s,]+")
_WORD = re.compile(r"[^\W_]+")


async def load_snapshot(conn: AsyncConnection) -> Snapshot:
    """Read every table once and build the indexes (one consistent read on one connection)."""
    version = await conn.scalar(sa.select(m.StateVersion.version).where(m.StateVersion.id == 1))
    snap = Snapshot(version=int(version or 0))
    T = lambda model: model.__table__.c  # noqa: E731

    for row in await _rows(conn, m.Source):
        snap.sources[row.id] = SourceView(row.id, row.key, row.title, row.issued)
    for row in await _rows(conn, m.Release, T(m.Release).go_live):
        r = ReleaseView(row.id, row.slug, row.name, row.go_live, row.status, row.dcc_system_impacting, row.notes, row.test_strategy)
        snap.releases.append(r)
        snap.release_by_slug[r.slug] = r
        snap.release_by_id[r.id] = r
    for row in await _rows(conn, m.Modification, T(m.Modification).ref):
        aliases = tuple(a for a in _ALIAS_SPLIT.split(row.aliases or "") if a)
        mod = ModView(
            row.id, row.ref, row.title, row.kind, aliases, row.url, row.summary, row.path, row.phase,
            row.working_group, row.dcc_impact, row.status_note, row.status_date,
        )  # fmt: skip
        snap.mod_by_ref[mod.ref] = mod
        snap.mod_by_id[mod.id] = mod
        for alias in aliases:
            snap.mod_by_alias.setdefault(alias, mod)

    changes = await _rows(conn, m.ScopeChange, T(m.ScopeChange).effective, T(m.ScopeChange).id)
    by_release: defaultdict[int, list[ScopeChangeView]] = defaultdict(list)
    by_mod: defaultdict[int, list[ScopeChangeView]] = defaultdict(list)
    for row in changes:
        if row.retracted_at is not None:
            continue
        c = ScopeChangeView(
            row.id, row.release_id, row.modification_id, row.state, row.moved_to_release_id, row.effective,
            row.note, row.reason, row.source_id, row.actor, row.recorded_at,
        )  # fmt: skip
        by_release[c.release_id].append(c)
        by_mod[c.modification_id].append(c)
    snap.changes_by_release = dict(by_release)
    snap.changes_by_mod = dict(by_mod)
    for release_id, items in by_release.items():
        current: dict[int, ScopeChangeView] = {}
        for c in items:
            current[c.modification_id] = c
        snap.current_scope[release_id] = current

    ms_by_release: defaultdict[int, list[MilestoneView]] = defaultdict(list)
    ms_by_mod: defaultdict[int, list[MilestoneView]] = defaultdict(list)
    for row in await _rows(conn, m.Milestone, T(m.Milestone).due_at, T(m.Milestone).id):
        ms = MilestoneView(
            row.id, row.key, row.release_id, row.modification_id, row.kind, row.title,
            row.due_at,
            row.all_day, row.origin, row.derived_from_id, row.offset_wd, row.notes, row.state, row.source_id,
        )  # fmt: skip
        snap.milestones.append(ms)
        snap.milestone_by_id[ms.id] = ms
        if ms.release_id is not None:
            ms_by_release[ms.release_id].append(ms)
        if ms.modification_id is not None:
            ms_by_mod[ms.modification_id].append(ms)
    snap.milestones_by_release = dict(ms_by_release)
    snap.milestones_by_mod = dict(ms_by_mod)

    for row in await _rows(conn, m.ParticipantImpact, T(m.ParticipantImpact).position, T(m.ParticipantImpact).id):
        snap.party_impacts.setdefault(row.release_id, {}).setdefault(row.modification_id, []).append(row.party)
        order = snap.party_order.setdefault(row.release_id, [])
        if row.party not in order:
            order.append(row.party)
    for row in await _rows(conn, m.ImpactSummary, T(m.ImpactSummary).position, T(m.ImpactSummary).id):
        snap.impact_summaries.setdefault(row.release_id, []).append((row.audience, row.area, row.text))
    for row in await _rows(conn, m.DocumentImpact, T(m.DocumentImpact).position, T(m.DocumentImpact).id):
        d = DocImpactView(row.release_id, row.modification_id, row.document, row.document_title, row.position)
        if d.release_id is not None:
            snap.doc_impacts_by_release.setdefault(d.release_id, []).append(d)
        snap.doc_impacts_by_mod.setdefault(d.modification_id, []).append(d)
    for row in await _rows(conn, m.Cost, T(m.Cost).position, T(m.Cost).id):
        snap.costs.setdefault(row.release_id, []).append(
            CostView(row.payer, row.category, row.amount_gbp, row.effort_days, row.modification_id, row.note)
        )
    for row in await _rows(conn, m.AcceptanceCriterion, T(m.AcceptanceCriterion).number):
        snap.criteria.setdefault(row.release_id, []).append(CriterionView(row.number, row.kind, row.text))
    for row in await _rows(conn, m.RidVersion, T(m.RidVersion).issued, T(m.RidVersion).id):
        snap.rid_versions.setdefault(row.release_id, []).append(RidVersionView(row.version, row.issued, row.changes))
    for row in await _rows(conn, m.Decision, T(m.Decision).id):
        d = DecisionView(
            row.id, row.decided_on, row.reported_on, row.body, row.release_id, row.modification_id, row.outcome,
            row.text, row.source_id,
        )  # fmt: skip
        snap.decisions.append(d)
        if d.modification_id is not None:
            snap.decisions_by_mod.setdefault(d.modification_id, []).append(d)
        if d.release_id is not None:
            snap.decisions_by_release.setdefault(d.release_id, []).append(d)
    for row in await _rows(conn, m.GlossaryTerm, T(m.GlossaryTerm).term):
        snap.glossary[row.term.lower()] = GlossaryView(row.term, row.meaning, row.kind)
    for row in await _rows(conn, m.Holiday, T(m.Holiday).day):
        snap.holidays[row.day] = row.name
    snap.calendar = WorkingDays(snap.holidays)
    members = {row.id: MemberView(row.id, row.name, row.role) for row in await _rows(conn, m.Member)}
    for row in await _rows(conn, m.MemberIdentity):
        if row.member_id in members:
            snap.members[(row.platform, row.user_id)] = members[row.member_id]

    snap._index(_search_entries(snap))
    return snap


def _search_entries(snap: Snapshot) -> Iterable[tuple[Hit, str]]:
    for r in snap.releases:
        yield Hit("release", r.name, release_id=r.id), f"{r.slug} {r.name} {r.notes} {r.test_strategy}"
    for mod in snap.mod_by_id.values():
        text = f"{mod.ref} {' '.join(mod.aliases)} {mod.title} {mod.summary} {mod.working_group or ''} {mod.status_note}"
        yield Hit("modification", f"{mod.ref} {mod.title}", modification_id=mod.id), text
    for mod_id, impacts in snap.doc_impacts_by_mod.items():
        for d in impacts:
            label = f"{d.document} {d.document_title}".strip()
            yield Hit("document", label, release_id=d.release_id, modification_id=mod_id), label
    for ms in snap.milestones:
        hit = Hit("milestone", ms.title, release_id=ms.release_id, modification_id=ms.modification_id, detail=ms.key)
        yield hit, f"{ms.title} {ms.notes} {ms.kind.replace('_', ' ')}"
    for release_id, summaries in snap.impact_summaries.items():
        for audience, area, text in summaries:
            yield Hit("impact", f"{area}: {text}", release_id=release_id), f"{area} {text}"
    for g in snap.glossary.values():
        yield Hit("glossary", f"{g.term}: {g.meaning}"), f"{g.term} {g.meaning}"
