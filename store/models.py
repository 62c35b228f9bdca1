"""SQLModel tables: the release state the bot stores.

Instants are stored as naive UTC (`UTCDateTime` gives them back aware), calendar dates as dates.
Scope history is append-only: a change that is undone is marked retracted, never deleted.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

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
    "Poll",
    "PollMessage",
    "Release",
    "ReleaseStatus",
    "RidVersion",
    "Role",
    "ScopeChange",
    "ScopeState",
    "SlackEvent",
    "Source",
    "StateVersion",
    "Subscription",
    "TeamsConversation",
    "UTCDateTime",
    "Vote",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns them aware (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class ReleaseStatus(str, enum.Enum):
    planning = "planning"
    baselined = "baselined"
    frozen = "frozen"
    testing = "testing"
    decided = "decided"
    live = "live"
    cancelled = "cancelled"


class ScopeState(str, enum.Enum):
    targeted = "targeted"
    approved = "approved"
    removed = "removed"
    moved = "moved"


class MilestoneOrigin(str, enum.Enum):
    stated = "stated"
    derived = "derived"


class MilestoneKind(str, enum.Enum):
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


class Role(str, enum.Enum):
    admin = "admin"
    panel = "panel"
    observer = "observer"


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


class ScopeChange(SQLModel, table=True):
    """One step in the history of a modification in a release; the latest live one is its state."""

    __table_args__ = (sa.Index("ix_scopechange_release_mod", "release_id", "modification_id"),)

    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    modification_id: int = Field(foreign_key="modification.id", index=True)
    state: str
    moved_to_release_id: int | None = Field(default=None, foreign_key="release.id")
    effective: date
    note: str = ""
    reason: str = ""
    source_id: int | None = Field(default=None, foreign_key="source.id")
    actor: str = ""
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
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
    origin: str = MilestoneOrigin.stated.value
    derived_from_id: int | None = Field(default=None, foreign_key="milestone.id")
    offset_wd: int | None = None
    notes: str = ""
    state: str = "planned"  # planned|met|cancelled
    source_id: int | None = Field(default=None, foreign_key="source.id")


class ParticipantImpact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    modification_id: int = Field(foreign_key="modification.id")
    party: str
    position: int = 0


class ImpactSummary(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    audience: str  # party|dcc
    area: str
    text: str
    position: int = 0


class DocumentImpact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int | None = Field(default=None, foreign_key="release.id", index=True)
    modification_id: int = Field(foreign_key="modification.id", index=True)
    document: str
    document_title: str = ""
    position: int = 0


class Cost(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    payer: str
    category: str
    amount_gbp: int | None = None
    effort_days: float | None = None
    modification_id: int | None = Field(default=None, foreign_key="modification.id")
    note: str = ""
    position: int = 0


class AcceptanceCriterion(SQLModel, table=True):
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


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    decided_on: date | None = None
    reported_on: date | None = None
    body: str
    release_id: int | None = Field(default=None, foreign_key="release.id", index=True)
    modification_id: int | None = Field(default=None, foreign_key="modification.id", index=True)
    outcome: str
    text: str = ""
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
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
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
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SlackEvent(SQLModel, table=True):
    """Events API deliveries seen, so a retried event (X-Slack-Retry-Num) is answered once across replicas."""

    event_id: str = Field(primary_key=True)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done: bool = False


class Poll(SQLModel, table=True):
    """A Panel vote on a release (go/no-go; a Change Board vote has the same shape)."""

    __table_args__ = (
        sa.Index(
            "uq_poll_open_per_release",
            "release_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("state = 'open'"),
            postgresql_where=sa.text("state = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    kind: str = "go_no_go"
    question: str
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    opened_by: str
    closes_at: datetime = Field(sa_type=UTCDateTime, index=True)
    quorum: int | None = None
    secret: bool = False
    state: str = "open"  # open|closed
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = None
    outcome: str | None = None  # go|no_go|no_quorum
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")


class Vote(SQLModel, table=True):
    """One member's current vote; changing it updates this row (each cast is in the audit log)."""

    __table_args__ = (sa.UniqueConstraint("poll_id", "member_id", name="uq_vote_poll_member"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    choice: str  # go|no_go|abstain
    comment: str = ""
    voted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    casts: int = 1


class PollMessage(SQLModel, table=True):
    """Where a poll was posted, so its message can be updated in place."""

    __table_args__ = (sa.UniqueConstraint("platform", "channel", "message_id", name="uq_pollmessage"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    platform: str
    channel: str
    message_id: str


class DeliveryState(str, enum.Enum):
    pending = "pending"
    claimed = "claimed"
    sent = "sent"
    failed = "failed"
    withdrawn = "withdrawn"


class DeliveryKind(str, enum.Enum):
    reminder = "reminder"  # planned from the rules: one per subscription x milestone x lead
    snooze = "snooze"  # asked for with the "Snooze 1 WD" button
    moved = "moved"  # notice: a milestone a subscriber was reminded of moved
    cancelled = "cancelled"  # notice: it was cancelled


class Subscription(SQLModel, table=True):
    """A channel (or DM) that gets deadline reminders for one release or all of them.

    `kinds` and `leads` empty mean "as the rules say". Ending a subscription keeps the row
    (`ended_at`), so its deliveries keep their history and undo can bring it back.
    """

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    channel_id: str = Field(index=True)
    channel_name: str = ""
    direct: bool = False
    release_id: int | None = Field(default=None, foreign_key="release.id", index=True)
    kinds: str = ""  # space-separated MilestoneKind values
    leads: str = ""  # comma-separated Working Days, e.g. "5,1,0"
    webhook_url: str | None = None  # post through an incoming webhook instead of the bot
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    """The outbox: one message to post, with its unique dedupe key and where it is in its life.

    `milestone_id` has no foreign key on purpose: undoing "milestone add" deletes the milestone,
    and the record of what was posted about it must stay. `lease_until` is the claim's expiry
    while `claimed`, and "not before" for a `pending` row waiting to be retried.
    """

    __table_args__ = (sa.Index("ix_delivery_state_due", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True)
    kind: str = DeliveryKind.reminder.value
    subscription_id: int = Field(foreign_key="subscription.id", index=True)
    milestone_id: int = Field(index=True)
    lead: int | None = None  # Working Days before the milestone; None for notices
    due_at: datetime = Field(sa_type=UTCDateTime)
    planned_for: datetime = Field(sa_type=UTCDateTime, index=True)  # the milestone's time when planned
    detail: str = ""  # notices: what changed (JSON)
    state: str = Field(default=DeliveryState.pending.value)
    attempts: int = 0
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = None
    message_id: str | None = None
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
class TeamsConversation(SQLModel, table=True):
    """A Teams channel, group chat or 1:1 chat the bot is in: where proactive messages can go.

    `reference` is the Bot Framework conversation reference (service URL, conversation, bot) as
    the SDK serialises it; `installed` turns false when the bot is removed.
    """

    conversation_id: str = Field(primary_key=True)
    kind: str  # personal, groupChat or channel
    tenant_id: str = ""
    team_id: str = ""
    name: str = ""
    service_url: str
    reference: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    user_id: str = Field(default="", index=True, sa_column_kwargs={"server_default": ""})  # a 1:1 chat: the member's Teams id (direct messages go here)
    installed: bool = True
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
