"""The release state: releases, modifications, scope history, milestones, impacts, costs,
criteria, RID versions, decisions, glossary, members, holidays, the audit log and the version.

Calendar dates are dates; instants are `UTCDateTime`. Scope history is append-only: a change
that is undone is marked retracted, never deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from domain.kinds import MilestoneKind, MilestoneOrigin, ReleaseStatus, Role
from store.models.base import UTCDateTime

__all__ = [
    "AcceptanceCriterion",
    "AuditEvent",
    "Cost",
    "Decision",
    "DocumentImpact",
    "GlossaryTerm",
    "Holiday",
    "ImpactSummary",
    "Member",
    "MemberIdentity",
    "Milestone",
    "Modification",
    "ParticipantImpact",
    "PhaseChange",
    "Release",
    "RidVersion",
    "ScopeChange",
    "Source",
    "StateChange",
    "StateVersion",
]


class Source(SQLModel, table=True):
    """A document the state was taken from (a Panel paper, a RID version) or a chat change."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    title: str
    issued: date | None = None
    author: str = ""
    seed: str = ""


class Release(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    go_live: date
    status: str = ReleaseStatus.planning.value
    dcc_system_impacting: bool | None = None
    notes: str = ""
    test_strategy: str = ""


class Modification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, index=True)
    title: str
    kind: str = "MP"
    aliases: str = ""  # space-separated normalised refs
    url: str = ""
    summary: str = ""
    path: str | None = None
    phase: str | None = None
    working_group: str | None = None
    dcc_impact: bool | None = None
    status_note: str = ""
    status_date: date | None = None


class Dated(SQLModel):
    """What a history row shares: in force from `effective` (None: from before any record) until
    `until` (None: still), given to the precision the paper gave ("day" or "month"), by whom and
    from which document; an undone row is marked retracted, never deleted."""

    effective: date | None = None
    precision: str = Field(default="day", sa_column_kwargs={"server_default": "day"})
    until: date | None = None
    retracted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actor: str = Field(default="", sa_column_kwargs={"server_default": ""})
    source_id: int | None = Field(default=None, foreign_key="source.id")
    by_exception: str = Field(default="", sa_column_kwargs={"server_default": ""})  # after the freeze: why


class ScopeChange(SQLModel, table=True):
    """One step in the history of a modification in a release; the latest live one is its state."""

    __table_args__ = (sa.Index("ix_scopechange_release_mod", "release_id", "modification_id"),)

    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    modification_id: int = Field(foreign_key="modification.id", index=True)
    state: str
    moved_to_release_id: int | None = Field(default=None, foreign_key="release.id")
    effective: date
    precision: str = Field(default="day", sa_column_kwargs={"server_default": "day"})  # of `effective`: day|month
    note: str = ""
    reason: str = ""
    by_exception: str = Field(default="", sa_column_kwargs={"server_default": ""})  # after the freeze: why
    source_id: int | None = Field(default=None, foreign_key="source.id")
    actor: str = ""
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    retracted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Milestone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    release_id: int | None = Field(default=None, foreign_key="release.id", index=True)
    modification_id: int | None = Field(default=None, foreign_key="modification.id")
    kind: str = MilestoneKind.other.value
    title: str
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    all_day: bool = True
    precision: str = Field(default="day", sa_column_kwargs={"server_default": "day"})  # "month": the paper gave no day
    origin: str = MilestoneOrigin.stated.value
    derived_from_id: int | None = Field(default=None, foreign_key="milestone.id")
    offset_wd: int | None = None
    notes: str = ""
    state: str = "planned"  # planned|met|cancelled
    source_id: int | None = Field(default=None, foreign_key="source.id")


class PhaseChange(SQLModel, table=True):
    """A modification's phase as a document (or a change) stated it on a date: its phase history.

    The modification's `phase` column stays the latest value; reports "as of" a month read this.
    `effective` is null when the stating document is undated (then it says nothing about a date).
    """

    id: int | None = Field(default=None, primary_key=True)
    modification_id: int = Field(foreign_key="modification.id", index=True)
    phase: str
    effective: date | None = None
    precision: str = Field(default="day", sa_column_kwargs={"server_default": "day"})  # of `effective`: day|month
    source_id: int | None = Field(default=None, foreign_key="source.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class ParticipantImpact(Dated, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    modification_id: int = Field(foreign_key="modification.id")
    party: str
    position: int = 0


class ImpactSummary(Dated, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    audience: str  # party|dcc
    area: str
    text: str
    position: int = 0
    modification_id: int | None = Field(default=None, foreign_key="modification.id")  # leaves with it


class DocumentImpact(Dated, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int | None = Field(default=None, foreign_key="release.id", index=True)
    modification_id: int = Field(foreign_key="modification.id", index=True)
    document: str
    document_title: str = ""
    position: int = 0


class Cost(Dated, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    payer: str
    category: str
    amount_gbp: int | None = None
    effort_days: float | None = None
    modification_id: int | None = Field(default=None, foreign_key="modification.id")
    note: str = ""
    position: int = 0


class AcceptanceCriterion(Dated, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    number: int
    kind: str = "operational"
    text: str


class RidVersion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    version: str
    issued: date
    changes: str = ""
    actor: str = Field(default="", sa_column_kwargs={"server_default": ""})
    source_id: int | None = Field(default=None, foreign_key="source.id")


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    decided_on: date | None = None
    reported_on: date | None = None
    body: str
    release_id: int | None = Field(default=None, foreign_key="release.id", index=True)
    modification_id: int | None = Field(default=None, foreign_key="modification.id", index=True)
    outcome: str
    text: str = ""
    precision: str = Field(default="day", sa_column_kwargs={"server_default": "day"})  # of `decided_on`
    actor: str = Field(default="", sa_column_kwargs={"server_default": ""})
    source_id: int | None = Field(default=None, foreign_key="source.id")


class GlossaryTerm(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    term: str = Field(unique=True, index=True)
    meaning: str
    kind: str = "acronym"
    source_id: int | None = Field(default=None, foreign_key="source.id")


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    role: str = Role.observer.value


class MemberIdentity(SQLModel, table=True):
    """A platform account (Slack user, Teams user, console user) of a member."""

    __table_args__ = (sa.UniqueConstraint("platform", "user_id", name="uq_identity_platform_user"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str
    user_id: str


class Holiday(SQLModel, table=True):
    """A one-off non-working day added by an admin, on top of the bank holidays."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    name: str
    added_by: str = ""


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, and how to undo it (`undo` holds the inverse operations)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str
    action: str
    summary: str
    undo: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    undone_by_id: int | None = Field(default=None, foreign_key="auditevent.id")
    undoes_id: int | None = Field(default=None, foreign_key="auditevent.id")


class StateVersion(SQLModel, table=True):
    """One row; every write bumps `version` so read models know to reload."""

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(sa_type=UTCDateTime)


class StateChange(SQLModel, table=True):
    """What the change that made a state version wrote: table -> row ids (JSON; None: unknown).

    Replicas read the rows these name instead of the whole store (`store/changelog.py`).
    """

    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    touched: dict[str, list[int]] | None = Field(default=None, sa_type=sa.JSON)
