"""Reads the whole release state once, in one consistent read, into the pure read model.

Core selects (no ORM objects) turned straight into the frozen views of `domain.views`; the
`Snapshot` is then built by the pure core.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from domain.snapshot import Snapshot, build_snapshot
from domain.views import (
    CostView,
    CriterionView,
    DecisionView,
    DocImpactView,
    GlossaryView,
    IdentityView,
    ImpactSummaryView,
    MemberView,
    MilestoneView,
    ModView,
    PartyImpactView,
    PhaseView,
    ReleaseView,
    RidVersionView,
    ScopeChangeView,
    SourceView,
    StateRows,
)
from store import models as m

__all__ = ["load_rows", "load_snapshot"]

_ALIAS_SPLIT = re.compile(r"[\s,]+")


async def _rows(conn: AsyncConnection, table: type[SQLModel], *order: str) -> list[sa.Row[tuple[object, ...]]]:
    t = m.table_of(table)
    query = sa.select(t).order_by(*(t.c[name] for name in order)) if order else sa.select(t)
    return list((await conn.execute(query)).all())


async def _dated(conn: AsyncConnection, table: type[SQLModel], *order: str) -> list[sa.Row[tuple[object, ...]]]:
    """A history table's rows, without the retracted ones (undone changes are not history)."""
    return [r for r in await _rows(conn, table, *order) if r.retracted_at is None]


def _history(r: sa.Row[tuple[object, ...]]) -> dict[str, Any]:
    """The history columns every dated view carries (`domain.views.History`)."""
    return {
        "id": r.id,
        "effective": r.effective,
        "until": r.until,
        "precision": r.precision,
        "source_id": r.source_id,
        "actor": r.actor,
        "by_exception": r.by_exception,
    }


async def load_rows(conn: AsyncConnection) -> StateRows:
    """Every table the read model needs, as views, in the snapshot's order."""
    version_table = m.table_of(m.StateVersion)
    version = await conn.scalar(sa.select(version_table.c.version).where(version_table.c.id == 1))
    rows = StateRows(version=int(version or 0))
    rows.sources = [SourceView(r.id, r.key, r.title, r.issued, r.author) for r in await _rows(conn, m.Source)]
    rows.releases = [
        ReleaseView(r.id, r.slug, r.name, r.go_live, r.status, r.dcc_system_impacting, r.notes, r.test_strategy)
        for r in await _rows(conn, m.Release, "go_live")
    ]
    rows.modifications = [
        ModView(
            r.id,
            r.ref,
            r.title,
            r.kind,
            tuple(a for a in _ALIAS_SPLIT.split(r.aliases or "") if a),
            r.url,
            r.summary,
            r.path,
            r.phase,
            r.working_group,
            r.dcc_impact,
            r.status_note,
            r.status_date,
        )
        for r in await _rows(conn, m.Modification, "ref")
    ]
    rows.scope_changes = [
        ScopeChangeView(
            r.id,
            r.release_id,
            r.modification_id,
            r.state,
            r.moved_to_release_id,
            r.effective,
            r.note,
            r.reason,
            r.source_id,
            r.actor,
            r.recorded_at,
            r.precision,
            r.by_exception,
        )
        for r in await _rows(conn, m.ScopeChange, "effective", "id")
        if r.retracted_at is None
    ]
    rows.milestones = [
        MilestoneView(
            r.id,
            r.key,
            r.release_id,
            r.modification_id,
            r.kind,
            r.title,
            r.due_at,
            r.all_day,
            r.origin,
            r.derived_from_id,
            r.offset_wd,
            r.notes,
            r.state,
            r.source_id,
            r.precision,
        )
        for r in await _rows(conn, m.Milestone, "due_at", "id")
    ]
    rows.party_impacts = [
        PartyImpactView(r.release_id, r.modification_id, r.party, r.position, **_history(r))
        for r in await _dated(conn, m.ParticipantImpact, "position", "id")
    ]
    rows.impact_summaries = [
        ImpactSummaryView(r.release_id, r.audience, r.area, r.text, r.position, r.modification_id, **_history(r))
        for r in await _dated(conn, m.ImpactSummary, "position", "id")
    ]
    rows.doc_impacts = [
        DocImpactView(r.release_id, r.modification_id, r.document, r.document_title, r.position, **_history(r))
        for r in await _dated(conn, m.DocumentImpact, "position", "id")
    ]
    rows.costs = [
        CostView(
            r.release_id, r.payer, r.category, r.amount_gbp, r.effort_days, r.modification_id, r.note, **_history(r)
        )
        for r in await _dated(conn, m.Cost, "position", "id")
    ]
    rows.criteria = [
        CriterionView(r.release_id, r.number, r.kind, r.text, **_history(r))
        for r in await _dated(conn, m.AcceptanceCriterion, "number", "id")
    ]
    rows.rid_versions = [
        RidVersionView(r.release_id, r.version, r.issued, r.changes, r.id, r.actor, r.source_id)
        for r in await _rows(conn, m.RidVersion, "issued", "id")
    ]
    rows.decisions = [
        DecisionView(
            r.id,
            r.decided_on,
            r.reported_on,
            r.body,
            r.release_id,
            r.modification_id,
            r.outcome,
            r.text,
            r.source_id,
            r.precision,
            r.actor,
        )
        for r in await _rows(conn, m.Decision, "id")
    ]
    rows.phases = [
        PhaseView(r.modification_id, r.phase, r.effective, r.source_id)
        for r in await _rows(conn, m.PhaseChange, "effective", "id")
    ]
    rows.glossary = [GlossaryView(r.term, r.meaning, r.kind) for r in await _rows(conn, m.GlossaryTerm, "term")]
    rows.holidays = {r.day: r.name for r in await _rows(conn, m.Holiday, "day")}
    rows.members = [MemberView(r.id, r.name, r.role) for r in await _rows(conn, m.Member)]
    rows.identities = [IdentityView(r.member_id, r.platform, r.user_id) for r in await _rows(conn, m.MemberIdentity)]
    return rows


async def load_snapshot(conn: AsyncConnection) -> Snapshot:
    """Read every table once and build the indexes (one consistent read on one connection)."""
    return build_snapshot(await load_rows(conn))
