"""The tables of the release record that papers state, parents before children."""

from __future__ import annotations

from sqlmodel import SQLModel

from store import models as m

__all__ = ["RECORD_TABLES"]

# Undo of an import deletes the rows it added in the reverse order (children first).
RECORD_TABLES: tuple[type[SQLModel], ...] = (
    m.Source,
    m.Holiday,
    m.Release,
    m.Modification,
    m.Member,
    m.MemberIdentity,
    m.PhaseChange,
    m.ScopeChange,
    m.Milestone,
    m.ParticipantImpact,
    m.ImpactSummary,
    m.DocumentImpact,
    m.Cost,
    m.AcceptanceCriterion,
    m.RidVersion,
    m.Decision,
    m.GlossaryTerm,
)
