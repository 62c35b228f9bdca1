"""The lookups and the RID content half of the paper loader (`store.paper_loader`).

Impacts, summaries, SEC document impacts, costs, criteria and RID versions: each kind a paper
restates replaces the rows in force from the paper's date (history kept), so "as of" an earlier
day still shows what the earlier paper said.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.words import normalise_ref
from store import models as m
from store.invariants import month_or_day

__all__ = ["ContentLoader", "SeedError", "identity", "read_ref", "read_time"]


class SeedError(ValueError):
    """The data file is wrong (unknown ref, derived date that does not match, ...)."""


def read_ref(text: object, where: str) -> str:
    ref = normalise_ref(str(text))
    if ref is None:
        raise SeedError(f"{where}: `{text}` is not a modification ref")
    return ref


class ContentLoader:
    """What the loader's sections share: the session, the paper and its date; content sections."""

    s: AsyncSession
    source: m.Source
    issued: date | None
    where: str

    # -- lookups -------------------------------------------------------------------------

    async def _mod(self, ref_text: object) -> m.Modification:
        ref = read_ref(ref_text, self.where)
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
                            modification_id=identity(mod),
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
                    modification_id=identity(mod),
                    document=d["document"],
                    document_title=d.get("title") or "",
                    position=position,
                    **self._dated(),
                )
            )


def identity(row: m.Release | m.Modification | m.Member) -> int:
    assert row.id is not None, "flushed rows have ids"
    return row.id


def read_time(value: object) -> time | None:
    if value is None:
        return None
    if isinstance(value, int):  # YAML reads 09:00 unquoted as sexagesimal minutes
        return time(value // 60, value % 60)
    hh, mm = str(value).split(":")
    return time(int(hh), int(mm))
