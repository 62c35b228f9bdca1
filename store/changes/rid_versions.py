"""Baselining a RID version (SECMP0061 D10.15, D10.17): the version, what changed, the appeal window.

The version defaults to the next minor number; "what changed" defaults to what the history
records since the previous version (scope steps, content kinds updated). The Working Days a
Party may appeal the approval for come from the notice rules (`domain.notice.appeal_end`) and
are recorded as a milestone, so reminders and the timeline show the window closing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from domain.calendar import london_to_utc
from domain.content_refusals import IssuedBefore, VersionExists, VersionNotAfter
from domain.format import day
from domain.kinds import MilestoneKind, MilestoneOrigin
from domain.notice import appeal_end
from domain.rules import Rules
from domain.versions import VERSION, describe_changes, next_version, version_key
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.content import not_ahead
from store.changes.inverses import Delete, Inverse
from store.uow import UnitOfWork

__all__ = ["BaselineRid", "InvalidVersion"]

_CONTENT: tuple[tuple[type[SQLModel], str], ...] = (
    (m.ParticipantImpact, "participant impacts"),
    (m.DocumentImpact, "SEC document impacts"),
    (m.ImpactSummary, "impact summaries"),
    (m.Cost, "costs"),
    (m.AcceptanceCriterion, "acceptance criteria"),
)


class InvalidVersion(ValueError):
    """Not `N.N` (the parser checks first; this guards the store)."""


async def _since(uow: UnitOfWork, rel: m.Release, since: date | None) -> tuple[list[tuple[str, str]], list[str]]:
    """(scope steps, content kinds updated) recorded after `since` (everything when None)."""
    session = uow.session
    query = select(m.ScopeChange, m.Modification.ref).join(
        m.Modification, col(m.Modification.id) == col(m.ScopeChange.modification_id)
    )
    query = query.where(m.ScopeChange.release_id == rel.id, col(m.ScopeChange.retracted_at).is_(None))
    if since is not None:
        query = query.where(col(m.ScopeChange.effective) > since)
    rows = (await session.exec(query.order_by(col(m.ScopeChange.effective), col(m.ScopeChange.id)))).all()
    scope = [(ref, change.state) for change, ref in rows]
    updated = []
    for model, name in _CONTENT:
        c = m.table_of(model).c
        changed = c.effective > since if since is not None else c.effective.is_not(None)
        ended = c.until > since if since is not None else c.until.is_not(None)
        found = await (await uow.connection()).scalar(
            sa.select(c.id).where(c.release_id == rel.id, c.retracted_at.is_(None), changed | ended).limit(1)
        )
        if found is not None:
            updated.append(name)
    return scope, updated


@dataclass(frozen=True, kw_only=True)
class BaselineRid:
    actor: str
    slug: str
    effective: date  # the day the version is published (baselined)
    rules: Rules  # the notice periods: how long a Party may appeal
    version: str | None = None
    changes: str = ""

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        rel = await lookups.release(session, self.slug)
        assert rel.id is not None
        not_ahead(uow, self.effective)
        existing = list((await session.exec(select(m.RidVersion).where(m.RidVersion.release_id == rel.id))).all())
        known = sorted((v for v in existing if VERSION.match(v.version.strip())), key=lambda v: version_key(v.version))
        version = (self.version or next_version([v.version for v in existing])).strip().removeprefix("v")
        if not VERSION.match(version):
            raise InvalidVersion(version)
        if any(v.version.strip() == version for v in existing):
            raise VersionExists(version, rel.name)
        last = known[-1] if known else None
        if last is not None and version_key(version) <= version_key(last.version):
            raise VersionNotAfter(version, last.version, rel.name)
        if last is not None and self.effective < last.issued:
            raise IssuedBefore(version, last.version, last.issued, rel.name)
        changes = self.changes
        if not changes:
            scope, updated = await _since(uow, rel, last.issued if last else None)
            changes = describe_changes(scope, updated, last.version if last else None)
        row = m.RidVersion(release_id=rel.id, version=version, issued=self.effective, changes=changes, actor=self.actor)
        session.add(row)
        await session.flush()
        undo: list[Inverse] = [Delete.of(row)]
        closes = await self._appeal_window(uow, rel, version, undo)
        summary = f"Baselined RID v{version} of {rel.name} on {day(self.effective)}; appeals close {day(closes)}"
        return await record(uow, self.actor, "rid.baseline", summary, undo)

    async def _appeal_window(self, uow: UnitOfWork, rel: m.Release, version: str, undo: list[Inverse]) -> date:
        """The appeal window's closing milestone (one per day: a planned one already there is kept)."""
        calendar = await lookups.calendar(uow.session)
        closes = appeal_end(self.effective, self.rules, calendar, rel.dcc_system_impacting)
        due = london_to_utc(closes, None)
        kind = MilestoneKind.rid_appeal_end.value
        same = select(m.Milestone).where(
            m.Milestone.release_id == rel.id, m.Milestone.kind == kind, m.Milestone.due_at == due
        )
        if (await uow.session.exec(same)).first() is not None:
            return closes
        key = f"{rel.slug}/rid-appeal-end-{closes.isoformat()}"
        if (await uow.session.exec(select(m.Milestone).where(m.Milestone.key == key))).first() is not None:
            key = f"{key}-v{version}"
        offset = self.rules.notice_for(rel.dcc_system_impacting).appeal
        ms = m.Milestone(
            key=key,
            release_id=rel.id,
            kind=kind,
            title=f"RID v{version} appeal window closes",
            due_at=due,
            all_day=True,
            origin=MilestoneOrigin.derived.value,
            offset_wd=offset,
            notes=f"{offset} Working Days after RID v{version} was baselined on {day(self.effective)} (D10.17)",
        )
        uow.session.add(ms)
        await uow.session.flush()
        undo.insert(0, Delete.of(ms))
        return closes
