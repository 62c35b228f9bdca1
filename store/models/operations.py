"""What the bot keeps to run, beside the release state: Slack events seen, polls and votes,
reminder subscriptions and the delivery outbox, Teams conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from domain.kinds import DeliveryKind, DeliveryState
from store.models.base import UTCDateTime

__all__ = [
    "Delivery",
    "Poll",
    "PollMessage",
    "SlackEvent",
    "SlackSignature",
    "Subscription",
    "TeamsConversation",
    "Vote",
]


class SlackEvent(SQLModel, table=True):
    """Events API deliveries seen, so a retried event (X-Slack-Retry-Num) is answered once across replicas."""

    event_id: str = Field(primary_key=True)
    received_at: datetime = Field(sa_type=UTCDateTime)
    done: bool = False


class SlackSignature(SQLModel, table=True):
    """Signed requests seen, so a replay is refused by every replica and after a restart.

    Keyed by the request's signature; `signed_at` is its timestamp, and a row is dropped once a
    request so old would be refused as stale anyway.
    """

    signature: str = Field(primary_key=True, max_length=100)
    signed_at: datetime = Field(sa_type=UTCDateTime, index=True)


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
    opened_at: datetime = Field(sa_type=UTCDateTime)
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
    voted_at: datetime = Field(sa_type=UTCDateTime)
    casts: int = 1


class PollMessage(SQLModel, table=True):
    """Where a poll was posted, so its message can be updated in place."""

    __table_args__ = (sa.UniqueConstraint("platform", "channel", "message_id", name="uq_pollmessage"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    platform: str
    channel: str
    message_id: str


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
    created_at: datetime = Field(sa_type=UTCDateTime)
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
    created_at: datetime = Field(sa_type=UTCDateTime)
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
    user_id: str = Field(
        default="", index=True, sa_column_kwargs={"server_default": ""}
    )  # a 1:1 chat: the member's Teams id (direct messages go here)
    installed: bool = True
    updated_at: datetime = Field(sa_type=UTCDateTime)
