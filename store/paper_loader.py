"""Reading one paper (a document of the store/demo/FORMAT.md format) into the store's rows.

The one loader behind `releasebot seed demo` and `releasebot import`: releases, modifications,
dated scope history, impacts, costs, criteria, RID versions, decisions, milestones (derived
dates checked against the rules), glossary and members, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import WorkingDays, local_date, london_to_utc
from store import models as m
from store.paper_content import ContentLoader, SeedError, identity, read_ref, read_time

__all__ = ["PaperLoader", "SeedError"]


class PaperLoader(ContentLoader):
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

    # -- sections ------------------------------------------------------------------------

    async def _modification(self, item: dict[str, Any]) -> None:
        ref = read_ref(item["ref"], self.where)
        mod = (await self.s.exec(select(m.Modification).where(m.Modification.ref == ref))).first()
        if mod is None:
            mod = m.Modification(ref=ref, title=item.get("title") or ref)
        aliases = set(mod.aliases.split()) | {read_ref(a, self.where) for a in item.get("aliases") or []}
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
                modification_id=identity(mod),
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
                release_id=identity(rel),
                modification_id=identity(mod),
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
        at = read_time(item.get("time"))
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
                    m.MemberIdentity(
                        member_id=identity(member), platform=ident["platform"], user_id=str(ident["user_id"])
                    )
                )
        await self.s.flush()
