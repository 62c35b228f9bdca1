"""SQLModel tables: the release state the bot stores (`release`) and what it keeps to run
(`operations`). Import them from here: `from store import models as m`.

Instants are stored as naive UTC (`UTCDateTime` gives them back aware), calendar dates as dates.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from domain.kinds import (
    DeliveryKind,
    DeliveryState,
    MilestoneKind,
    MilestoneOrigin,
    ReleaseStatus,
    Role,
    ScopeState,
)
from store.models.base import UTCDateTime, table_of
from store.models.operations import (
    Delivery,
    Poll,
    PollMessage,
    SlackEvent,
    SlackSignature,
    Subscription,
    TeamsConversation,
    Vote,
)
from store.models.release import (
    AcceptanceCriterion,
    AuditEvent,
    Cost,
    Decision,
    DocumentImpact,
    GlossaryTerm,
    Holiday,
    ImpactSummary,
    Member,
    MemberIdentity,
    Milestone,
    Modification,
    ParticipantImpact,
    PhaseChange,
    Release,
    RidVersion,
    ScopeChange,
    Source,
    StateChange,
    StateVersion,
)

__all__ = [
    "AcceptanceCriterion",
    "AuditEvent",
    "Cost",
    "Decision",
    "Delivery",
    "DeliveryKind",
    "DeliveryState",
    "DocumentImpact",
    "GlossaryTerm",
    "Holiday",
    "ImpactSummary",
    "Member",
    "MemberIdentity",
    "Milestone",
    "MilestoneKind",
    "MilestoneOrigin",
    "Modification",
    "ParticipantImpact",
    "PhaseChange",
    "Poll",
    "PollMessage",
    "Release",
    "ReleaseStatus",
    "RidVersion",
    "Role",
    "SQLModel",
    "ScopeChange",
    "ScopeState",
    "SlackEvent",
    "SlackSignature",
    "Source",
    "StateChange",
    "StateVersion",
    "Subscription",
    "TeamsConversation",
    "UTCDateTime",
    "Vote",
    "table_of",
]
