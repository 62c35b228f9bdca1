"""State changes made from chat: each one a typed change, transactional, audited, and undoable.

Every change runs inside the writer's unit of work (`store.uow.UnitOfWork`), checks the state it
is about to change *in the database* (not in a possibly stale read model), raises a
`domain.refusals.Refusal` when the change makes no sense, and ends with `record`: an audit event
holding its typed inverse (`store.changes.inverses`) and a new state version.
"""

from __future__ import annotations

from store.changes.audit import Changed, record
from store.changes.decisions import RecordDecision
from store.changes.holidays import AddHoliday
from store.changes.members import AddMember, LinkIdentity
from store.changes.milestones import AddMilestone, CancelMilestone, MarkMet, MoveMilestone, recompute_derived
from store.changes.modifications import NewModification, SetModification
from store.changes.releases import NewRelease, SetRelease
from store.changes.scope import ApproveScope, MoveScope, RemoveFromScope, TargetScope
from store.changes.undo import SetAside, Undo

__all__ = [
    "AddHoliday",
    "AddMember",
    "AddMilestone",
    "ApproveScope",
    "CancelMilestone",
    "Changed",
    "LinkIdentity",
    "MarkMet",
    "MoveMilestone",
    "MoveScope",
    "NewModification",
    "NewRelease",
    "RecordDecision",
    "RemoveFromScope",
    "SetAside",
    "SetModification",
    "SetRelease",
    "TargetScope",
    "Undo",
    "recompute_derived",
    "record",
]
