"""Load the demo data (store/demo/*.yaml, one file per source document) into the store.

Idempotent: a document whose source key is already stored is skipped, so `releasebot seed demo`
can run on every start. Documents load oldest first; scope entries become dated history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import WorkingDays, local_date, london_to_utc
from domain.words import normalise_ref
from domain.yamlload import safe_load
from store import models as m
from store.db import Database, bump_version
from store.invariants import InvariantBroken, check_scope, month_or_day

__all__ = ["DEMO_DIR", "SeedError", "SeedReport", "load_documents", "seed_demo"]

DEMO_DIR = Path(__file__).parent / "demo"


class SeedError(ValueError):
    """The data file is wrong (unknown ref, derived date that does not match, ...)."""


@dataclass
class SeedReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_documents(folder: Path = DEMO_DIR) -> list[dict[str, Any]]:
    docs = []
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = safe_load(fh) or {}
        if "document" not in data:
            raise SeedError(f"{path.name}: no `document:` section")
        data["_file"] = path.name
        docs.append(data)
    return sorted(docs, key=lambda d: (d["document"].get("issued") or date.min, d["_file"]))


async def seed_demo(db: Database, now: datetime, folder: Path = DEMO_DIR) -> SeedReport:
    """Load every document not loaded yet; `now` is when the facts are recorded (the clock's now)."""
    report = SeedReport()
    for doc in load_documents(folder):
        key = doc["document"]["key"]
        async with db.transaction() as session:
            exists = (await session.exec(select(m.Source).where(m.Source.key == key))).first()
            if exists:
                report.skipped.append(key)
                continue
            loader = _Loader(session, doc, now)
            await loader.run()
            try:  # a file that breaks an invariant of the record is refused whole
                await check_scope(session, doc["_file"], loader.source.id)
            except InvariantBroken as broken:
                raise SeedError(str(broken)) from None
            await bump_version(session, db.postgres, now)
        report.loaded.append(key)
    return report


def _ref(text: object, where: str) -> str:
    ref = normalise_ref(str(text))
    if ref is None:
        raise SeedError(f"{where}: `{text}` is not a modification ref")
    return ref


class _Loader:
    def __init__(self, session: AsyncSession, doc: dict[str, Any], now: datetime) -> None:
        self.now = now
        self.s = session
        self.doc = doc
        self.where = doc["_file"]
        meta = doc["document"]
        self.issued: date | None = meta.get("issued")
        self.source = m.Source(
            key=meta["key"],
            title=meta["title"],
            issued=self.issued,
            author=meta.get("author", ""),
            seed=meta.get("seed", ""),
        )
        self.calendar: WorkingDays | None = None

    async def run(self) -> None:
        self.s.add(self.source)
        await self.s.flush()
        holidays = {h.day: h.name for h in (await self.s.exec(select(m.Holiday))).all()}
        self.calendar = WorkingDays(holidays)
        for item in self.doc.get("modifications", []) or []:
            await self._modification(item)
        releases = self.doc.get("releases", []) or []
        stored = [await self._release(item) for item in releases]  # all first: scope may move between them
        for rel, item in zip(stored, releases, strict=False):
            await self._release_contents(rel, item)
        for item in self.doc.get("document_impacts", []) or []:
            await self._document_impact(None, item, 0)
        for item in self.doc.get("decisions", []) or []:
            await self._decision(item)
        for item in self.doc.get("milestones", []) or []:
            await self._milestone(item, None)
        for item in self.doc.get("glossary", []) or []:
            await self._glossary(item)
        for item in self.doc.get("members", []) or []:
            await self._member(item)

    # -- lookups -------------------------------------------------------------------------

    async def _mod(self, ref_text: object) -> m.Modification:
        ref = _ref(ref_text, self.where)
        mod = (await self.s.exec(select(m.Modification).where(m.Modification.ref == ref))).first()
        if mod is None:
            alias = (await self.s.exec(select(m.Modification).where(col(m.Modification.aliases).contains(ref)))).first()
            if alias is not None and ref in alias.aliases.split():
                return alias
            raise SeedError(f"{self.where}: modification {ref} is used but not listed under `modifications:`")
        return mod

    async def _release_by_slug(self, slug: str) -> m.Release:
        rel = (await self.s.exec(select(m.Release).where(m.Release.slug == slug))).first()
        if rel is None:
            raise SeedError(f"{self.where}: release {slug} is used but not listed under `releases:`")
        return rel

    def _when(self, value: object, what: str) -> tuple[date, str] | None:
        try:
            return month_or_day(value)
        except ValueError as exc:
            raise SeedError(f"{self.where}: {what}: {exc}") from None

    # -- sections ------------------------------------------------------------------------

    async def _modification(self, item: dict[str, Any]) -> None:
        ref = _ref(item["ref"], self.where)
        mod = (await self.s.exec(select(m.Modification).where(m.Modification.ref == ref))).first()
        if mod is None:
            mod = m.Modification(ref=ref, title=item.get("title") or ref)
        aliases = set(mod.aliases.split()) | {_ref(a, self.where) for a in item.get("aliases") or []}
        mod.aliases = " ".join(sorted(aliases))
        for name in ("title", "kind", "url", "summary", "path", "phase", "working_group", "dcc_impact", "status_note"):
            if item.get(name) is not None:
                setattr(mod, name, item[name])
        if item.get("status_note"):
            mod.status_date = self.issued
        self.s.add(mod)
        await self.s.flush()
        if item.get("phase") is not None:  # the phase as this document dated it: the phase history
            phase = m.PhaseChange(
                modification_id=_id(mod),
                phase=item["phase"],
                effective=self.issued,
                source_id=self.source.id,
                recorded_at=self.now,
            )
            self.s.add(phase)

    async def _release(self, item: dict[str, Any]) -> m.Release:
        rel = (await self.s.exec(select(m.Release).where(m.Release.slug == item["slug"]))).first()
        if rel is None:
            rel = m.Release(slug=item["slug"], name=item["name"], go_live=item["go_live"])
        for name in ("name", "go_live", "status", "dcc_system_impacting", "notes", "test_strategy"):
            if name in item and item[name] is not None:
                setattr(rel, name, item[name])
        self.s.add(rel)
        await self.s.flush()
        return rel

    async def _release_contents(self, rel: m.Release, item: dict[str, Any]) -> None:
        for entry in item.get("scope", []) or []:
            await self._scope(rel, entry)
        await self._impacts(rel, item)
        for item_ms in item.get("milestones", []) or []:
            await self._milestone(item_ms, rel)

    async def _scope(self, rel: m.Release, entry: dict[str, Any]) -> None:
        mod = await self._mod(entry["ref"])
        state = entry["state"]
        if state not in {s.value for s in m.ScopeState}:
            raise SeedError(f"{self.where}: {rel.slug} {mod.ref}: unknown state {state}")
        moved_to = None
        if state == m.ScopeState.moved.value:
            moved_to = (await self._release_by_slug(entry["to"])).id
        effective, precision = self._when(entry.get("effective"), f"{rel.slug} {mod.ref}") or (self.issued, "day")
        if effective is None:
            raise SeedError(f"{self.where}: {rel.slug} {mod.ref}: undated scope entry in an undated document")
        self.s.add(
            m.ScopeChange(
                release_id=_id(rel),
                modification_id=_id(mod),
                state=state,
                moved_to_release_id=moved_to,
                effective=effective,
                precision=precision,
                note=entry.get("note") or "",
                reason=entry.get("reason") or "",
                by_exception=entry.get("by_exception") or "",
                source_id=self.source.id,
                actor=f"seed:{self.source.key}",
                recorded_at=self.now,
            )
        )

    async def _replace(self, model: type[SQLModel], release_id: int) -> None:
        """A document that restates a kind of content replaces it from its date: the rows in force
        end there (history is kept, so "as of" an earlier day still shows them)."""
        table = m.table_of(model)
        await (await self.s.connection()).execute(
            sa.update(table)
            .where(table.c.release_id == release_id, table.c.until.is_(None), table.c.retracted_at.is_(None))
            .values(until=self.issued)
        )

    def _dated(self) -> dict[str, Any]:
        """The history columns of every content row this document states."""
        return {"effective": self.issued, "source_id": self.source.id, "actor": f"seed:{self.source.key}"}

    async def _impacts(self, rel: m.Release, item: dict[str, Any]) -> None:
        rid = rel.id
        assert rid is not None
        if (pi := item.get("participant_impacts")) is not None:
            await self._replace(m.ParticipantImpact, rid)
            parties = list(pi.get("parties") or [])
            for ref, ticked in (pi.get("rows") or {}).items():
                mod = await self._mod(ref)
                for party in ticked or []:
                    if party not in parties:
                        raise SeedError(f"{self.where}: {rel.slug} {ref}: party {party} not in `parties`")
                    self.s.add(
                        m.ParticipantImpact(
                            release_id=rid,
                            modification_id=_id(mod),
                            party=party,
                            position=parties.index(party),
                            **self._dated(),
                        )
                    )
        if (summaries := item.get("impact_summaries")) is not None:
            await self._replace(m.ImpactSummary, rid)
            for n, s in enumerate(summaries):
                self.s.add(
                    m.ImpactSummary(
                        release_id=rid,
                        audience=s["audience"],
                        area=s["area"],
                        text=s["text"],
                        position=n,
                        modification_id=(await self._mod(s["ref"])).id if s.get("ref") else None,
                        **self._dated(),
                    )
                )
        if (docs := item.get("document_impacts")) is not None:
            await self._replace(m.DocumentImpact, rid)
            for n, d in enumerate(docs):
                await self._document_impact(rid, d, n)
        if (costs := item.get("costs")) is not None:
            await self._replace(m.Cost, rid)
            for n, c in enumerate(costs):
                mod_id = (await self._mod(c["ref"])).id if c.get("ref") else None
                self.s.add(
                    m.Cost(
                        release_id=rid,
                        payer=c["payer"],
                        category=c["category"],
                        amount_gbp=c.get("amount_gbp"),
                        effort_days=c.get("effort_days"),
                        modification_id=mod_id,
                        note=c.get("note") or "",
                        position=n,
                        **self._dated(),
                    )
                )
        if (criteria := item.get("acceptance_criteria")) is not None:
            await self._replace(m.AcceptanceCriterion, rid)
            for c in criteria:
                self.s.add(
                    m.AcceptanceCriterion(
                        release_id=rid,
                        number=c["number"],
                        kind=c.get("kind", "operational"),
                        text=c["text"],
                        **self._dated(),
                    )
                )
        for v in item.get("rid_versions", []) or []:
            exists = (
                await self.s.exec(
                    select(m.RidVersion).where(
                        m.RidVersion.release_id == rid, m.RidVersion.version == str(v["version"])
                    )
                )
            ).first()
            if exists is None:
                self.s.add(
                    m.RidVersion(
                        release_id=rid,
                        version=str(v["version"]),
                        issued=v["issued"],
                        changes=v.get("changes") or "",
                        source_id=self.source.id,
                        actor=f"seed:{self.source.key}",
                    )
                )

    async def _document_impact(self, release_id: int | None, d: dict[str, Any], position: int) -> None:
        for ref in d.get("refs") or []:
            mod = await self._mod(ref)
            self.s.add(
                m.DocumentImpact(
                    release_id=release_id,
                    modification_id=_id(mod),
                    document=d["document"],
                    document_title=d.get("title") or "",
                    position=position,
                    **self._dated(),
                )
            )

    async def _decision(self, item: dict[str, Any]) -> None:
        subject = item.get("subject")
        release_id = mod_id = None
        rel = None
        if subject is not None:
            rel = (await self.s.exec(select(m.Release).where(m.Release.slug == str(subject)))).first()
        if rel is not None:
            release_id = rel.id
        elif subject is not None:
            mod_id = (await self._mod(subject)).id
        if item.get("release"):
            release_id = (await self._release_by_slug(item["release"])).id
        self.s.add(
            m.Decision(
                decided_on=item.get("date"),
                reported_on=self.issued,
                body=item.get("body") or "",
                release_id=release_id,
                modification_id=mod_id,
                outcome=item["outcome"],
                text=item.get("text") or "",
                source_id=self.source.id,
                actor=f"seed:{self.source.key}",
            )
        )

    async def _milestone(self, item: dict[str, Any], rel: m.Release | None) -> None:
        assert self.calendar is not None
        if rel is None and item.get("release"):
            rel = await self._release_by_slug(item["release"])
        mod_id = (await self._mod(item["ref"])).id if item.get("ref") else None
        kind = item.get("kind", "other")
        if kind not in {k.value for k in m.MilestoneKind}:
            raise SeedError(f"{self.where}: milestone {item['key']}: unknown kind {kind}")
        at = _time(item.get("time"))
        derived_from = None
        offset = None
        day, precision = self._when(item.get("date"), f"milestone {item['key']}") or (None, "day")
        if derived := item.get("derived"):
            base = (await self.s.exec(select(m.Milestone).where(m.Milestone.key == derived["from"]))).first()
            if base is None:
                raise SeedError(f"{self.where}: milestone {item['key']} derives from unknown {derived['from']}")
            offset = int(derived["working_days"])
            computed = self.calendar.add(local_date(base.due_at), offset)
            if day is not None and day != computed:
                raise SeedError(
                    f"{self.where}: {item['key']}: stated {day} but {derived['from']} + {offset} WD = {computed}"
                )
            day = computed
            derived_from = base.id
        if day is None:
            raise SeedError(f"{self.where}: milestone {item['key']} has no date")
        ms = (await self.s.exec(select(m.Milestone).where(m.Milestone.key == item["key"]))).first() or m.Milestone(
            key=item["key"], title=item["title"], due_at=london_to_utc(day, at)
        )
        ms.release_id = rel.id if rel is not None else ms.release_id
        ms.modification_id = mod_id or ms.modification_id
        ms.kind = kind
        ms.title = item["title"]
        ms.due_at = london_to_utc(day, at)
        ms.all_day = at is None
        ms.precision = precision  # "month": the paper named no day, so none is shown or reminded
        ms.origin = m.MilestoneOrigin.derived.value if derived_from else m.MilestoneOrigin.stated.value
        ms.derived_from_id = derived_from
        ms.offset_wd = offset
        ms.notes = item.get("notes") or ""
        ms.source_id = self.source.id
        self.s.add(ms)
        await self.s.flush()

    async def _glossary(self, item: dict[str, Any]) -> None:
        term = str(item["term"])
        g = (await self.s.exec(select(m.GlossaryTerm).where(m.GlossaryTerm.term == term))).first() or m.GlossaryTerm(
            term=term, meaning=item["meaning"]
        )
        g.meaning = item["meaning"]
        g.kind = item.get("kind", "acronym")
        g.source_id = self.source.id
        self.s.add(g)
        await self.s.flush()

    async def _member(self, item: dict[str, Any]) -> None:
        identities: Iterable[dict[str, str]] = item.get("identities") or []
        member = None
        for ident in identities:
            found = (
                await self.s.exec(
                    select(m.MemberIdentity).where(
                        m.MemberIdentity.platform == ident["platform"],
                        m.MemberIdentity.user_id == str(ident["user_id"]),
                    )
                )
            ).first()
            if found is not None:
                member = await self.s.get(m.Member, found.member_id)
        if member is None:
            member = m.Member(name=item["name"], role=item.get("role", "observer"))
            self.s.add(member)
            await self.s.flush()
        for ident in identities:
            found = (
                await self.s.exec(
                    select(m.MemberIdentity).where(
                        m.MemberIdentity.platform == ident["platform"],
                        m.MemberIdentity.user_id == str(ident["user_id"]),
                    )
                )
            ).first()
            if found is None:
                self.s.add(
                    m.MemberIdentity(member_id=_id(member), platform=ident["platform"], user_id=str(ident["user_id"]))
                )
        await self.s.flush()


def _id(row: m.Release | m.Modification | m.Member) -> int:
    assert row.id is not None, "flushed rows have ids"
    return row.id


def _time(value: object) -> time | None:
    if value is None:
        return None
    if isinstance(value, int):  # YAML reads 09:00 unquoted as sexagesimal minutes
        return time(value // 60, value % 60)
    hh, mm = str(value).split(":")
    return time(int(hh), int(mm))
