"""Panel polls in the store: open, vote, close, and what a poll looks like now.

Votes are not release state: casting one does not bump the state version (50 members voting
at once must not reload every replica's read model 50 times). Opening and closing are changes
like any other (audited, undoable); closing records the outcome on the release timeline.
One vote per member is the database's unique constraint; a vote and a close on the same poll
serialise on the poll row (FOR SHARE / FOR UPDATE on PostgreSQL, the single writer on SQLite).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from notifiers.workdays import local_date
from store import models as m
from store.changes import Changed, ChangeRefused, _delete_op, _restore_op, finish

__all__ = [
    "CHOICES",
    "VOTER_SUBSCRIBER",
    "PollView",
    "VoteView",
    "cast_vote",
    "close_poll",
    "closing_key",
    "decide",
    "due_polls",
    "latest_poll",
    "load_poll",
    "next_close",
    "open_poll",
    "open_polls",
    "outcome_text",
    "record_message",
]

CHOICES = {"go": "Go", "no_go": "No-go", "abstain": "Abstain"}
VOTER_SUBSCRIBER = "releasebot: Panel vote reminders for member #"  # + member id, on the DM subscriptions it makes
OUTCOMES = {"go": "GO", "no_go": "NO-GO", "no_quorum": "NO QUORUM"}


@dataclass(frozen=True)
class VoteView:
    member_id: int
    name: str
    choice: str
    comment: str
    voted_at: datetime
    casts: int


@dataclass(frozen=True)
class PollView:
    id: int
    release_id: int
    slug: str
    release_name: str
    kind: str
    question: str
    opened_at: datetime
    opened_by: str
    closes_at: datetime
    quorum: int | None
    secret: bool
    state: str
    closed_at: datetime | None
    closed_by: str | None
    outcome: str | None
    votes: list[VoteView] = field(default_factory=list)
    eligible: list[tuple[int, str]] = field(default_factory=list)  # Panel members (id, name)
    messages: list[tuple[str, str, str]] = field(default_factory=list)  # (platform, channel, message id)

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def tally(self) -> Counter[str]:
        return Counter(v.choice for v in self.votes)

    @property
    def not_voted(self) -> list[tuple[int, str]]:
        voted = {v.member_id for v in self.votes}
        return [(mid, name) for mid, name in self.eligible if mid not in voted]


def decide(tally: Counter[str], quorum: int | None) -> str:
    """go needs more Go than No-go votes among at least `quorum` members voting (abstentions count);
    a poll nobody voted in decided nothing."""
    voted = sum(tally.values())
    if voted == 0 or (quorum is not None and voted < quorum):
        return "no_quorum"
    return "go" if tally["go"] > tally["no_go"] else "no_go"


def outcome_text(outcome: str, tally: Counter[str]) -> str:
    counts = f"{tally['go']} go, {tally['no_go']} no-go, {tally['abstain']} abstain"
    note = " (a tie is not a majority to go)" if outcome == "no_go" and tally["go"] == tally["no_go"] and tally["go"] else ""
    return f"{OUTCOMES[outcome]} ({counts}){note}"


async def open_poll(
    session: AsyncSession,
    *,
    postgres: bool,
    actor: str,
    slug: str,
    closes_at: datetime,
    quorum: int | None,
    secret: bool,
    question: str,
    now: datetime,
    kind: str = "go_no_go",
) -> Changed:
    rel = (await session.exec(select(m.Release).where(m.Release.slug == slug))).first()
    if rel is None:
        raise ChangeRefused(f"There is no release `{slug}`.")
    if closes_at <= now:
        raise ChangeRefused("The poll must close in the future.")
    if quorum is not None and quorum < 1:
        raise ChangeRefused("A quorum is at least 1.")
    panel_size = len((await session.exec(select(m.Member.id).where(m.Member.role == m.Role.panel.value))).all())
    if quorum is not None and quorum > panel_size:
        raise ChangeRefused(f"A quorum of {quorum} cannot be reached: the Panel has {panel_size} members.")

    existing = (await session.exec(select(m.Poll).where(m.Poll.release_id == rel.id, m.Poll.kind == kind, m.Poll.state == "open"))).first()
    if existing is not None:
        raise ChangeRefused(f"{rel.name} already has an open poll (#{existing.id}); close it first.")
    poll = m.Poll(release_id=rel.id, kind=kind, question=question, opened_by=actor, opened_at=now, closes_at=closes_at, quorum=quorum, secret=secret)  # type: ignore[arg-type]
    session.add(poll)
    await session.flush()
    # The deadline is a milestone: on the timeline and in the calendar feed, and what the
    # reminders outbox plans the Panel members' direct-message reminders against.
    closing = m.Milestone(
        key=closing_key(rel.slug, poll.id), release_id=rel.id, kind=m.MilestoneKind.poll_close.value,  # type: ignore[arg-type]
        title=f"Panel go/no-go poll #{poll.id} closes", due_at=closes_at, all_day=False, origin=m.MilestoneOrigin.stated.value,
        notes=f"“{question}”",
    )  # fmt: skip
    session.add(closing)
    await session.flush()
    await _ensure_voter_subscriptions(session, now)
    summary = f"Opened poll #{poll.id} on {rel.name}: “{question}”"
    return await finish(session, postgres, actor, "poll.open", summary, [{"op": "delete_poll", "id": poll.id}, _delete_op(closing)])


def closing_key(slug: str, poll_id: int) -> str:
    return f"{slug}/poll-{poll_id}-closes"


async def _ensure_voter_subscriptions(session: AsyncSession, now: datetime) -> None:
    """A direct-message subscription to `poll_close` for every Panel member we can reach.

    Slack: the member's user id (a post to it lands in their DM with the app). Teams: a 1:1
    chat with the bot, if they have one. Kept after the poll (it covers the next one too).
    """
    panel = (await session.exec(select(m.Member).where(m.Member.role == m.Role.panel.value))).all()
    if not panel:
        return
    existing = {(s.platform, s.channel_id) for s in (await session.exec(select(m.Subscription).where(col(m.Subscription.ended_at).is_(None)))).all() if s.created_by.startswith(VOTER_SUBSCRIBER)}
    for member in panel:
        identities = (await session.exec(select(m.MemberIdentity).where(m.MemberIdentity.member_id == member.id))).all()
        for ident in identities:
            channel: str | None = None
            if ident.platform == "slack":
                channel = ident.user_id
            elif ident.platform == "teams":
                chat = (await session.exec(select(m.TeamsConversation).where(m.TeamsConversation.user_id == ident.user_id, m.TeamsConversation.kind == "personal", m.TeamsConversation.installed.is_(True)))).first()  # type: ignore[attr-defined]
                channel = chat.conversation_id if chat else None
            if channel is None or (ident.platform, channel) in existing:
                continue
            session.add(m.Subscription(
                platform=ident.platform, channel_id=channel, channel_name=f"a direct message to {member.name}", direct=True,
                kinds=m.MilestoneKind.poll_close.value, created_by=f"{VOTER_SUBSCRIBER}{member.id}", created_at=now,
            ))  # fmt: skip
            existing.add((ident.platform, channel))
    await session.flush()


async def _poll_for(session: AsyncSession, poll_id: int, postgres: bool, write: bool) -> m.Poll:
    statement = select(m.Poll).where(m.Poll.id == poll_id)
    if postgres:
        statement = statement.with_for_update(read=not write)
    poll = (await session.exec(statement)).first()
    if poll is None:
        raise ChangeRefused("That poll no longer exists.")
    return poll


async def cast_vote(
    session: AsyncSession, *, postgres: bool, poll_id: int, member_id: int | None, role: str | None, actor: str, choice: str,
    comment: str | None, now: datetime,
) -> str:  # fmt: skip
    """Record a member's vote (the last one counts). Returns the audit summary."""
    if choice not in CHOICES:
        raise ChangeRefused(f"`{choice}` is not a choice (go, no-go, abstain).")
    if member_id is None or role != m.Role.panel.value:
        raise ChangeRefused("Only Panel members can vote on this poll.")
    poll = await _poll_for(session, poll_id, postgres, write=False)
    if poll.state != "open" or poll.closes_at <= now:
        raise ChangeRefused(f"Poll #{poll.id} is closed; votes are no longer accepted.")
    values = {"poll_id": poll_id, "member_id": member_id, "choice": choice, "comment": comment or "", "voted_at": now, "casts": 1}
    insert = (pg_insert if postgres else sqlite_insert)(m.Vote).values(**values)
    update = {"choice": insert.excluded.choice, "voted_at": insert.excluded.voted_at, "casts": m.Vote.__table__.c.casts + 1}  # type: ignore[attr-defined]
    if comment is not None:
        update["comment"] = insert.excluded.comment
    conn = await session.connection()
    await conn.execute(insert.on_conflict_do_update(index_elements=["poll_id", "member_id"], set_=update))
    summary = f"Vote on poll #{poll_id}: {CHOICES[choice]}" + (" (with a comment)" if comment else "")
    session.add(m.AuditEvent(actor=actor, action="vote.cast", summary=summary, undo=[]))
    return summary


async def load_poll(session: AsyncSession, poll_id: int) -> PollView:
    poll = await session.get(m.Poll, poll_id)
    if poll is None:
        raise ChangeRefused("That poll no longer exists.")
    rel = await session.get(m.Release, poll.release_id)
    assert rel is not None and poll.id is not None
    votes = (
        await session.exec(
            select(m.Vote, m.Member).join(m.Member, col(m.Member.id) == m.Vote.member_id).where(m.Vote.poll_id == poll_id).order_by(col(m.Vote.voted_at))
        )
    ).all()
    panel = (await session.exec(select(m.Member).where(m.Member.role == m.Role.panel.value).order_by(col(m.Member.name)))).all()
    messages = (await session.exec(select(m.PollMessage).where(m.PollMessage.poll_id == poll_id))).all()
    return PollView(
        poll.id, rel.id, rel.slug, rel.name, poll.kind, poll.question, poll.opened_at, poll.opened_by, poll.closes_at,  # type: ignore[arg-type]
        poll.quorum, poll.secret, poll.state, poll.closed_at, poll.closed_by, poll.outcome,
        [VoteView(v.member_id, mem.name, v.choice, v.comment, v.voted_at, v.casts) for v, mem in votes],
        [(p.id, p.name) for p in panel if p.id is not None],
        [(pm.platform, pm.channel, pm.message_id) for pm in messages],
    )  # fmt: skip


async def close_poll(session: AsyncSession, *, postgres: bool, actor: str, poll_id: int, now: datetime) -> Changed | None:
    """Close a poll and record its outcome; None if someone (another replica) closed it already."""
    poll = await _poll_for(session, poll_id, postgres, write=True)
    if poll.state != "open":
        return None
    view = await load_poll(session, poll_id)
    outcome = decide(view.tally, poll.quorum)
    undo = [_restore_op(poll, ("state", "closed_at", "closed_by", "outcome", "milestone_id"))]
    closing = (await session.exec(select(m.Milestone).where(m.Milestone.key == closing_key(view.slug, poll_id)))).first()
    if closing is not None:  # the deadline is met: its pending reminders are withdrawn at the next plan
        undo.append(_restore_op(closing, ("state",)))
        closing.state = "met"
        session.add(closing)
    text = outcome_text(outcome, view.tally)
    milestone = m.Milestone(
        key=f"{view.slug}/panel-decision-poll-{poll_id}", release_id=view.release_id, kind=m.MilestoneKind.panel_decision.value,
        title=f"Panel go/no-go decision: {text}", due_at=now, all_day=False, origin=m.MilestoneOrigin.stated.value,
        notes=f"poll #{poll_id}: “{poll.question}”", state="met",
    )  # fmt: skip
    session.add(milestone)
    await session.flush()
    decision = m.Decision(decided_on=local_date(now), reported_on=local_date(now), body="Panel", release_id=view.release_id, outcome=outcome, text=f"Poll #{poll_id}: {text}")
    session.add(decision)
    await session.flush()
    poll.state, poll.closed_at, poll.closed_by, poll.outcome, poll.milestone_id = "closed", now, actor, outcome, milestone.id
    session.add(poll)
    await session.flush()
    undo += [_delete_op(decision), _delete_op(milestone)]
    return await finish(session, postgres, actor, "poll.close", f"Closed poll #{poll_id} on {view.release_name}: {text}", undo)


async def record_message(session: AsyncSession, poll_id: int, platform: str, channel: str, message_id: str) -> None:
    session.add(m.PollMessage(poll_id=poll_id, platform=platform, channel=channel, message_id=message_id))
    await session.flush()


async def due_polls(session: AsyncSession, now: datetime) -> list[int]:
    rows = await session.exec(select(m.Poll.id).where(m.Poll.state == "open", col(m.Poll.closes_at) <= now))
    return [r for r in rows.all() if r is not None]


async def next_close(session: AsyncSession) -> datetime | None:
    conn = await session.connection()
    value = await conn.scalar(sa.select(sa.func.min(m.Poll.__table__.c.closes_at)).where(m.Poll.__table__.c.state == "open"))  # type: ignore[attr-defined]
    if value is None:
        return None
    return value if value.tzinfo else m.UTCDateTime().process_result_value(value, None)


async def open_polls(session: AsyncSession, slug: str | None = None) -> list[PollView]:
    statement = select(m.Poll.id).where(m.Poll.state == "open")
    if slug:
        statement = select(m.Poll.id).join(m.Release, col(m.Release.id) == m.Poll.release_id).where(m.Poll.state == "open", m.Release.slug == slug)
    ids = [i for i in (await session.exec(statement)).all() if i is not None]
    return [await load_poll(session, i) for i in ids]


async def latest_poll(session: AsyncSession, slug: str) -> PollView | None:
    row = (
        await session.exec(
            select(m.Poll.id).join(m.Release, col(m.Release.id) == m.Poll.release_id).where(m.Release.slug == slug).order_by(col(m.Poll.id).desc())
        )
    ).first()
    return await load_poll(session, row) if row is not None else None


