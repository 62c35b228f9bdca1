"""The fixed vocabularies of the release state: statuses, scope states, milestone kinds, roles.

Plain string enums, so the store keeps their values in text columns and the command language
reads and shows them without knowing about tables.
"""

from __future__ import annotations

import enum

__all__ = [
    "PERSONAL",
    "DeliveryKind",
    "DeliveryState",
    "MilestoneKind",
    "MilestoneOrigin",
    "MilestoneState",
    "ReleaseStatus",
    "Role",
    "ScopeState",
]

PERSONAL = "personal."  # an audit action someone takes for themselves; not on the admins' undo stack


class ReleaseStatus(enum.StrEnum):
    planning = "planning"
    baselined = "baselined"
    frozen = "frozen"
    testing = "testing"
    decided = "decided"
    live = "live"
    cancelled = "cancelled"


class ScopeState(enum.StrEnum):
    targeted = "targeted"
    approved = "approved"
    removed = "removed"
    moved = "moved"


class MilestoneOrigin(enum.StrEnum):
    stated = "stated"
    derived = "derived"


class MilestoneState(enum.StrEnum):
    planned = "planned"
    met = "met"
    cancelled = "cancelled"


class MilestoneKind(enum.StrEnum):
    consultation_close = "consultation_close"
    change_board = "change_board"
    authority_decision = "authority_decision"
    notice_cutoff = "notice_cutoff"
    rid_baseline = "rid_baseline"
    dcc_evidence = "dcc_evidence"
    opsg_review = "opsg_review"
    go_no_go = "go_no_go"
    go_live = "go_live"
    rid_appeal_end = "rid_appeal_end"
    panel_paper = "panel_paper"
    panel_meeting = "panel_meeting"
    panel_decision = "panel_decision"
    poll_close = "poll_close"
    referral_end = "referral_end"
    implementation = "implementation"
    working_group = "working_group"
    withdrawal = "withdrawal"
    mandate = "mandate"
    assessment_due = "assessment_due"
    modification_report = "modification_report"
    other = "other"


class Role(enum.StrEnum):
    admin = "admin"
    panel = "panel"
    observer = "observer"


class DeliveryState(enum.StrEnum):
    pending = "pending"
    claimed = "claimed"
    sent = "sent"
    failed = "failed"
    withdrawn = "withdrawn"


class DeliveryKind(enum.StrEnum):
    reminder = "reminder"  # planned from the rules: one per subscription x milestone x lead
    snooze = "snooze"  # asked for with the "Snooze 1 WD" button
    moved = "moved"  # notice: a milestone a subscriber was reminded of moved
    cancelled = "cancelled"  # notice: it was cancelled
