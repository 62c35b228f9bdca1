"""RID content changes to a release's numbered entries: impact summaries, costs and acceptance criteria.

A summary or a cost is named by its number in the release's current list (as `/release <slug>
impacts` and `costs` show it); a criterion by its own number. Add, remove and replace keep
history as every content change does (`store.changes.content`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar

import sqlalchemy as sa

from domain.content_refusals import NoSuchEntry
from domain.format import gbp
from domain.refusals import UnknownModification
from store import models as m
from store.changes import lookups
from store.changes.content import ContentChange, Plan, current_rows, ident
from store.uow import UnitOfWork

N = TypeVar("N", m.ImpactSummary, m.Cost)

__all__ = [
    "AddCost",
    "AddCriterion",
    "AddSummary",
    "RemoveCost",
    "RemoveCriterion",
    "RemoveSummary",
    "ReplaceCost",
    "ReplaceCriterion",
    "ReplaceSummary",
]


async def _numbered(uow: UnitOfWork, rel: m.Release, model: type[N], what: str, n: int) -> N:
    assert rel.id is not None
    rows = await current_rows(uow, model, rel.id, shown=True)
    if not 1 <= n <= len(rows):
        raise NoSuchEntry(what, n, rel.name, rel.slug)
    return rows[n - 1]


async def _next_position(uow: UnitOfWork, rel: m.Release, model: type[m.ImpactSummary] | type[m.Cost]) -> int:
    assert rel.id is not None
    return max((r.position for r in await current_rows(uow, model, rel.id)), default=-1) + 1


# -- impact summaries -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AddSummary(ContentChange):
    audience: str  # party|dcc
    area: str
    text: str
    ref: str | None = None  # the modification it is about: it leaves the RID with it
    action: ClassVar[str] = "content.summary"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        assert rel.id is not None
        mod_id = None
        if self.ref:
            mod = await lookups.modification(uow.session, self.ref)
            if mod is None:
                raise UnknownModification(self.ref)
            mod_id = ident(mod)
        row = m.ImpactSummary(
            release_id=rel.id,
            audience=self.audience,
            area=self.area,
            text=self.text,
            modification_id=mod_id,
            position=await _next_position(uow, rel, m.ImpactSummary),
        )
        who = "DCC" if self.audience == "dcc" else "SEC Party"
        return Plan(f"{who} impact added to {rel.name}: {self.area}", [row])


@dataclass(frozen=True, kw_only=True)
class RemoveSummary(ContentChange):
    number: int
    action: ClassVar[str] = "content.summary"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        row = await _numbered(uow, rel, m.ImpactSummary, "summary", self.number)
        return Plan(f"Impact summary {self.number} removed from {rel.name}: {row.area}", [], [row])


@dataclass(frozen=True, kw_only=True)
class ReplaceSummary(ContentChange):
    number: int
    text: str
    action: ClassVar[str] = "content.summary"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        old = await _numbered(uow, rel, m.ImpactSummary, "summary", self.number)
        new = m.ImpactSummary(
            release_id=old.release_id,
            audience=old.audience,
            area=old.area,
            text=self.text,
            modification_id=old.modification_id,
            position=old.position,
        )
        return Plan(f"Impact summary {self.number} of {rel.name} reworded: {old.area}", [new], [old])


# -- costs ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CostFacts:
    """What a cost line says (`cost add DCC implementation 340000 for MP122 "note"`)."""

    payer: str
    category: str
    amount_gbp: int | None
    effort_days: float | None = None
    ref: str | None = None
    note: str = ""

    async def row(self, uow: UnitOfWork, rel: m.Release, position: int) -> m.Cost:
        assert rel.id is not None
        mod_id = None
        if self.ref:
            mod = await lookups.modification(uow.session, self.ref)
            if mod is None:
                raise UnknownModification(self.ref)
            mod_id = ident(mod)
        return m.Cost(
            release_id=rel.id,
            payer=self.payer,
            category=self.category,
            amount_gbp=self.amount_gbp,
            effort_days=self.effort_days,
            modification_id=mod_id,
            note=self.note,
            position=position,
        )

    def words(self) -> str:
        due = f" for {self.ref}" if self.ref else ""
        return f"{self.payer} {self.category} {gbp(self.amount_gbp)}{due}"


@dataclass(frozen=True, kw_only=True)
class AddCost(ContentChange):
    cost: CostFacts
    action: ClassVar[str] = "content.cost"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        row = await self.cost.row(uow, rel, await _next_position(uow, rel, m.Cost))
        return Plan(f"Cost added to {rel.name}: {self.cost.words()}", [row])


@dataclass(frozen=True, kw_only=True)
class RemoveCost(ContentChange):
    number: int
    action: ClassVar[str] = "content.cost"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        row = await _numbered(uow, rel, m.Cost, "cost", self.number)
        return Plan(f"Cost {self.number} removed from {rel.name}: {row.payer} {row.category}", [], [row])


@dataclass(frozen=True, kw_only=True)
class ReplaceCost(ContentChange):
    number: int
    cost: CostFacts
    action: ClassVar[str] = "content.cost"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        old = await _numbered(uow, rel, m.Cost, "cost", self.number)
        new = await self.cost.row(uow, rel, old.position)
        return Plan(f"Cost {self.number} of {rel.name} replaced: {self.cost.words()}", [new], [old])


# -- acceptance criteria ----------------------------------------------------------------------


async def _criterion(uow: UnitOfWork, rel: m.Release, number: int) -> m.AcceptanceCriterion:
    assert rel.id is not None
    for row in await current_rows(uow, m.AcceptanceCriterion, rel.id):
        if row.number == number:
            return row
    raise NoSuchEntry("criterion", number, rel.name, rel.slug)


@dataclass(frozen=True, kw_only=True)
class AddCriterion(ContentChange):
    """A new criterion, numbered after the highest number the release has ever used."""

    text: str
    kind: str = "operational"
    action: ClassVar[str] = "content.criterion"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        assert rel.id is not None
        c = m.table_of(m.AcceptanceCriterion).c
        used = await (await uow.connection()).scalar(
            sa.select(sa.func.max(c.number)).where(c.release_id == rel.id, c.retracted_at.is_(None))
        )
        number = int(used or 0) + 1
        row = m.AcceptanceCriterion(release_id=rel.id, number=number, kind=self.kind, text=self.text)
        return Plan(f"Acceptance criterion {number} added to {rel.name}", [row])


@dataclass(frozen=True, kw_only=True)
class RemoveCriterion(ContentChange):
    number: int
    action: ClassVar[str] = "content.criterion"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        row = await _criterion(uow, rel, self.number)
        return Plan(f"Acceptance criterion {self.number} removed from {rel.name}", [], [row])


@dataclass(frozen=True, kw_only=True)
class ReplaceCriterion(ContentChange):
    number: int
    text: str
    action: ClassVar[str] = "content.criterion"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        old = await _criterion(uow, rel, self.number)
        new = m.AcceptanceCriterion(release_id=old.release_id, number=old.number, kind=old.kind, text=self.text)
        return Plan(f"Acceptance criterion {self.number} of {rel.name} reworded", [new], [old])
