"""Reads the release state into the pure read model: every table at start-up, or the rows a change wrote.

Core selects (no ORM objects) turned straight into the frozen views of `domain.views`; the
`Snapshot` is then built by the pure core. `TABLES` names, for each table the read model is
built from, the `StateRows` kind its rows become, the columns they sort by (then id) and how a
row becomes a view; `load_tables` reads them all, `load_changed` only the given row ids (what a
change wrote, `store/changelog.py`), so a replica reads the change, not the store. A new kind
of row is one more `Spec` here.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from domain.delta import Row, Tables
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
from store import changelog
from store import models as m

__all__ = ["TABLES", "Spec", "load_changed", "load_rows", "load_snapshot", "load_tables"]

_ALIAS_SPLIT = re.compile(r"[\s,]+")


_Db = sa.Row[tuple[object, ...]]


def _history(r: _Db) -> dict[str, Any]:
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


def _always(_r: _Db) -> bool:
    return True


def _unretracted(r: _Db) -> bool:
    """History rows of undone changes are not history."""
    return r.retracted_at is None


@dataclass(frozen=True)
class Spec:
    """One table the read model is built from."""

    model: type[SQLModel]
    kind: str  # the `StateRows` field its rows go to
    order: tuple[str, ...]  # the columns its rows sort by, then id (none of them null, else give `key`)
    view: Callable[[_Db], object]
    live: Callable[[_Db], bool] = _always  # rows it does not hold (retracted history) are skipped
    key: Callable[[_Db], tuple[Any, ...]] | None = None  # where a row sorts, when `order` cannot say

    def row(self, r: _Db) -> Row:
        return self.sort_key(r), self.view(r)

    @cached_property
    def sort_key(self) -> Callable[[_Db], tuple[Any, ...]]:
        if self.key is not None:
            return self.key
        if not self.order:
            return lambda r: (r.id,)
        return cast("Callable[[_Db], tuple[Any, ...]]", operator.attrgetter(*self.order, "id"))


def _mod(r: _Db) -> ModView:
    aliases = tuple(a for a in _ALIAS_SPLIT.split(r.aliases or "") if a)
    return ModView(
        r.id, r.ref, r.title, r.kind, aliases, r.url, r.summary, r.path, r.phase, r.working_group,
        r.dcc_impact, r.status_note, r.status_date,
    )  # fmt: skip


def _scope(r: _Db) -> ScopeChangeView:
    return ScopeChangeView(
        r.id, r.release_id, r.modification_id, r.state, r.moved_to_release_id, r.effective, r.note, r.reason,
        r.source_id, r.actor, r.recorded_at, r.precision, r.by_exception,
    )  # fmt: skip


def _milestone(r: _Db) -> MilestoneView:
    return MilestoneView(
        r.id, r.key, r.release_id, r.modification_id, r.kind, r.title, r.due_at, r.all_day, r.origin,
        r.derived_from_id, r.offset_wd, r.notes, r.state, r.source_id, r.precision,
    )  # fmt: skip


def _decision(r: _Db) -> DecisionView:
    return DecisionView(
        r.id, r.decided_on, r.reported_on, r.body, r.release_id, r.modification_id, r.outcome, r.text,
        r.source_id, r.precision, r.actor,
    )  # fmt: skip


TABLES: tuple[Spec, ...] = (
    Spec(m.Source, "sources", (), lambda r: SourceView(r.id, r.key, r.title, r.issued, r.author)),
    Spec(
        m.Release,
        "releases",
        ("go_live",),
        lambda r: ReleaseView(
            r.id, r.slug, r.name, r.go_live, r.status, r.dcc_system_impacting, r.notes, r.test_strategy
        ),
    ),
    Spec(m.Modification, "modifications", (), _mod),  # by id: a new one goes last, as a delta puts it
    Spec(m.ScopeChange, "scope_changes", ("effective",), _scope, _unretracted),
    Spec(m.Milestone, "milestones", ("due_at",), _milestone),
    Spec(
        m.ParticipantImpact,
        "party_impacts",
        ("position",),
        lambda r: PartyImpactView(r.release_id, r.modification_id, r.party, r.position, **_history(r)),
        _unretracted,
    ),
    Spec(
        m.ImpactSummary,
        "impact_summaries",
        ("position",),
        lambda r: ImpactSummaryView(
            r.release_id, r.audience, r.area, r.text, r.position, r.modification_id, **_history(r)
        ),
        _unretracted,
    ),
    Spec(
        m.DocumentImpact,
        "doc_impacts",
        ("position",),
        lambda r: DocImpactView(
            r.release_id, r.modification_id, r.document, r.document_title, r.position, **_history(r)
        ),
        _unretracted,
    ),
    Spec(
        m.Cost,
        "costs",
        ("position",),
        lambda r: CostView(
            r.release_id, r.payer, r.category, r.amount_gbp, r.effort_days, r.modification_id, r.note, **_history(r)
        ),
        _unretracted,
    ),
    Spec(
        m.AcceptanceCriterion,
        "criteria",
        ("number",),
        lambda r: CriterionView(r.release_id, r.number, r.kind, r.text, **_history(r)),
        _unretracted,
    ),
    Spec(
        m.RidVersion,
        "rid_versions",
        ("issued",),
        lambda r: RidVersionView(r.release_id, r.version, r.issued, r.changes, r.id, r.actor, r.source_id),
    ),
    Spec(m.Decision, "decisions", (), _decision),
    Spec(
        m.PhaseChange,
        "phases",
        (),
        lambda r: PhaseView(r.modification_id, r.phase, r.effective, r.source_id),
        key=lambda r: (r.effective is not None, r.effective or date.min, r.id),  # undated first
    ),
    Spec(m.GlossaryTerm, "glossary", ("term",), lambda r: GlossaryView(r.term, r.meaning, r.kind)),
    Spec(m.Holiday, "holidays", ("day",), lambda r: (r.day, r.name)),
    Spec(m.Member, "members", (), lambda r: MemberView(r.id, r.name, r.role)),
    Spec(m.MemberIdentity, "identities", (), lambda r: IdentityView(r.member_id, r.platform, r.user_id)),
)
BY_TABLE = {m.table_of(spec.model).name: spec for spec in TABLES}
changelog.track(BY_TABLE)
_CHUNK = 500


async def _version(conn: AsyncConnection) -> int:
    table = m.table_of(m.StateVersion)
    return int(await conn.scalar(sa.select(table.c.version).where(table.c.id == 1)) or 0)


async def load_tables(conn: AsyncConnection) -> Tables:
    """Every row of every table the read model needs, with the state version they are at."""
    version = await _version(conn)
    kinds: dict[str, dict[int, Row]] = {}
    for spec in TABLES:
        rows = (await conn.execute(sa.select(m.table_of(spec.model)))).all()
        kinds[spec.kind] = {int(r.id): spec.row(r) for r in rows if spec.live(r)}
    return Tables(version, kinds)


async def load_changed(conn: AsyncConnection, touched: Mapping[str, Iterable[int]]) -> dict[str, dict[int, Row | None]]:
    """The current rows of these tables' row ids (None: deleted, or not held), by kind."""
    changed: dict[str, dict[int, Row | None]] = {}
    for name, ids in touched.items():
        spec = BY_TABLE.get(name)
        if spec is None:
            continue  # not release state (votes, the outbox, the audit log)
        table = m.table_of(spec.model)
        wanted = sorted(set(ids))
        rows = changed.setdefault(spec.kind, dict.fromkeys(wanted))
        for at in range(0, len(wanted), _CHUNK):
            query = sa.select(table).where(table.c.id.in_(wanted[at : at + _CHUNK]))
            for r in (await conn.execute(query)).all():
                rows[int(r.id)] = spec.row(r) if spec.live(r) else None
    return changed


async def load_rows(conn: AsyncConnection) -> StateRows:
    """Every table the read model needs, as views, in the snapshot's order."""
    return (await load_tables(conn)).rows()


async def load_snapshot(conn: AsyncConnection) -> Snapshot:
    """Read every table once and build the indexes (one consistent read on one connection)."""
    return build_snapshot(await load_rows(conn))
