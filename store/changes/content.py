"""RID content changes: participant impacts and SEC document impacts of a modification in a release.

Content keeps history like scope does. A change never edits a row in place: what it takes away
is ended (`until` = the change's date) and what it adds is a new row in force from that date, so
`as of` an earlier day still shows what was recorded then. Undo retracts the new rows and ends
nothing (the ended rows are in force again). After the release's freeze a change is refused
unless it says why (`by_exception`), which the new rows and the audit log keep.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, TypeVar

from sqlmodel import SQLModel, select

from domain.calendar import local_date
from domain.content_refusals import AlreadyRecorded, DatedAhead, EndsBeforeStart, NotRecorded
from domain.format import day
from domain.refusals import NotInScope, UnknownModification
from domain.rules import Rules
from domain.scope import is_live
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Inverse, Restore, Retract
from store.changes.notice import check_freeze
from store.uow import UnitOfWork

T = TypeVar("T", bound=SQLModel)

__all__ = [
    "AddDocumentImpact",
    "ContentChange",
    "Plan",
    "RemoveDocumentImpact",
    "ReplaceDocumentImpact",
    "SetParties",
    "current_rows",
    "ident",
    "not_ahead",
]


@dataclass
class Plan:
    """What a content change does: rows to add, rows to end, and what the audit log says."""

    summary: str
    added: list[SQLModel] = field(default_factory=list)
    ended: list[SQLModel] = field(default_factory=list)


async def current_rows(uow: UnitOfWork, model: type[T], release_id: int, *, shown: bool = False) -> list[T]:
    """The rows of a content table in force now in the release, in its order. `shown`: only those
    the release shows now (not of a modification out of its scope): what `cost <n>` and `summary
    <n>` count, as `domain.content.content_at` lists them."""
    c = m.table_of(model).c
    order = c.number if model is m.AcceptanceCriterion else c.position
    query = (
        select(model)
        .where(c.release_id == release_id, c.until.is_(None), c.retracted_at.is_(None))
        .order_by(order, c.id)
    )
    rows = list((await uow.session.exec(query)).all())
    if shown:
        live = await lookups.live_in(uow.session, release_id)
        rows = [r for r in rows if getattr(r, "modification_id", None) in live | {None}]
    return rows


@dataclass(frozen=True, kw_only=True)
class ContentChange(abc.ABC):
    """One change to a release's RID content, dated `effective`; `rules` brings the notice periods."""

    actor: str
    slug: str
    effective: date
    by_exception: str = ""
    rules: Rules | None = None

    action: ClassVar[str]

    @abc.abstractmethod
    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        """Read the rows it changes (in the database) and say what to add and end."""

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        rel = await lookups.release(session, self.slug)
        not_ahead(uow, self.effective)
        await check_freeze(session, rel, self.effective, self.by_exception, self.rules)
        plan = await self.plan(uow, rel)
        inverse: list[Inverse] = []
        for row in plan.ended:
            started = getattr(row, "effective", None)
            if started is not None and started > self.effective:
                raise EndsBeforeStart(plan.summary, self.effective, started)
            inverse.append(Restore.of(row, "until"))
            row.until = self.effective
            session.add(row)
        for row in plan.added:
            for name, value in (
                ("effective", self.effective),
                ("actor", self.actor),
                ("by_exception", self.by_exception),
            ):
                setattr(row, name, value)
            session.add(row)
        await session.flush()
        by_table: dict[str, list[int]] = {}
        for row in plan.added:
            by_table.setdefault(row.__tablename__, []).append(int(row.id))  # type: ignore[attr-defined, arg-type]
        inverse.extend(Retract(tuple(ids), table) for table, ids in by_table.items())
        summary = f"{plan.summary} ({day(self.effective)})"
        if self.by_exception:
            summary += f", by exception: {self.by_exception}"
        return await record(uow, self.actor, self.action, summary, inverse)


async def _in_scope(uow: UnitOfWork, rel: m.Release, ref: str) -> m.Modification:
    """The modification, which must be targeted or approved in the release (impacts follow scope)."""
    mod = await lookups.modification(uow.session, ref)
    if mod is None:
        raise UnknownModification(ref)
    assert rel.id is not None and mod.id is not None
    change = await lookups.latest_scope(uow.session, rel.id, mod.id)
    if change is None or not is_live(change.state):
        raise NotInScope(mod.ref, rel.name, change.state if change else None)
    return mod


def not_ahead(uow: UnitOfWork, effective: date) -> None:
    """A change says what happened: dated today (in London) or earlier."""
    today = local_date(uow.now)
    if effective > today:
        raise DatedAhead(effective, today)


def ident(row: m.Modification) -> int:
    assert row.id is not None
    return row.id


def _spelled(name: str, known: Sequence[str]) -> str:
    """A name as the release already spells it (`dcc` -> `DCC`), else as typed."""
    return next((k for k in known if k.lower() == name.lower()), name)


@dataclass(frozen=True, kw_only=True)
class SetParties(ContentChange):
    """The parties a modification impacts in the release: the whole row of the matrix, replaced."""

    ref: str
    parties: tuple[str, ...]  # empty: the row is removed
    action: ClassVar[str] = "content.parties"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        assert rel.id is not None
        mod = await _in_scope(uow, rel, self.ref)
        every = await current_rows(uow, m.ParticipantImpact, rel.id)
        columns: dict[str, int] = {}
        for row in every:
            columns.setdefault(row.party, row.position)
        mine = [row for row in every if row.modification_id == mod.id]
        wanted = list(dict.fromkeys(_spelled(p, list(columns)) for p in self.parties))
        if not wanted and not mine:
            raise NotRecorded(f"participant impacts of {mod.ref}", rel.name)
        if {row.party for row in mine} == set(wanted):
            raise AlreadyRecorded(f"{mod.ref} impacts {', '.join(wanted)}", rel.name)
        added: list[SQLModel] = []
        for party in wanted:
            position = columns.setdefault(party, max(columns.values(), default=-1) + 1)
            added.append(
                m.ParticipantImpact(release_id=rel.id, modification_id=ident(mod), party=party, position=position)
            )
        text = f"impacts {', '.join(wanted)}" if wanted else "impacts no party"
        return Plan(f"Participant impacts in {rel.name}: {mod.ref} {text}", added, list(mine))


async def _documents(uow: UnitOfWork, rel: m.Release) -> list[m.DocumentImpact]:
    assert rel.id is not None
    return await current_rows(uow, m.DocumentImpact, rel.id)


async def _document_row(
    uow: UnitOfWork, rel: m.Release, mod: m.Modification, document: str, title: str
) -> m.DocumentImpact:
    """A new document impact row, placed and titled as the release's other rows for the document."""
    rows = await _documents(uow, rel)
    name = _spelled(document, [r.document for r in rows])
    if any(r.document == name and r.modification_id == mod.id for r in rows):
        raise AlreadyRecorded(f"{mod.ref} changes {name}", rel.name)
    same = next((r for r in rows if r.document == name), None)
    if not title:
        known = (await uow.session.exec(select(m.DocumentImpact).where(m.DocumentImpact.document == name))).first()
        title = same.document_title if same else known.document_title if known else ""
    position = same.position if same else max((r.position for r in rows), default=-1) + 1
    return m.DocumentImpact(
        release_id=rel.id, modification_id=ident(mod), document=name, document_title=title, position=position
    )


async def _recorded(uow: UnitOfWork, rel: m.Release, mod: m.Modification, document: str) -> m.DocumentImpact:
    for row in await _documents(uow, rel):
        if row.modification_id == mod.id and row.document.lower() == document.lower():
            return row
    raise NotRecorded(f"{mod.ref} changing {document}", rel.name)


@dataclass(frozen=True, kw_only=True)
class AddDocumentImpact(ContentChange):
    ref: str
    document: str
    title: str = ""
    action: ClassVar[str] = "content.document"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        mod = await _in_scope(uow, rel, self.ref)
        row = await _document_row(uow, rel, mod, self.document, self.title)
        return Plan(f"SEC document impact in {rel.name}: {mod.ref} changes {row.document}", [row])


@dataclass(frozen=True, kw_only=True)
class RemoveDocumentImpact(ContentChange):
    ref: str
    document: str
    action: ClassVar[str] = "content.document"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        mod = await _in_scope(uow, rel, self.ref)
        row = await _recorded(uow, rel, mod, self.document)
        return Plan(f"SEC document impact in {rel.name}: {mod.ref} no longer changes {row.document}", [], [row])


@dataclass(frozen=True, kw_only=True)
class ReplaceDocumentImpact(ContentChange):
    ref: str
    document: str
    new_document: str
    title: str = ""
    action: ClassVar[str] = "content.document"

    async def plan(self, uow: UnitOfWork, rel: m.Release) -> Plan:
        mod = await _in_scope(uow, rel, self.ref)
        old = await _recorded(uow, rel, mod, self.document)
        new = await _document_row(uow, rel, mod, self.new_document, self.title)
        summary = f"SEC document impact in {rel.name}: {mod.ref} changes {new.document} instead of {old.document}"
        return Plan(summary, [new], [old])
