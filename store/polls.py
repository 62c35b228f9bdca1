"""Panel polls in the store: open, vote, close, and what a poll looks like now.

Votes are not release state: casting one does not bump the state version (50 members voting
at once must not reload every replica's read model 50 times). Opening and closing are changes
like any other (audited, undoable); closing records the outcome on the release timeline.
One vote per member is the database's unique constraint; a vote and a close on the same poll
serialise on the poll row (FOR SHARE / FOR UPDATE on PostgreSQL, the single writer on SQLite).
The rules (choices, quorum, outcome) are pure, in `domain.polls`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import in_range, local_date
from domain.kinds import MilestoneKind, MilestoneOrigin, MilestoneState, Role
from domain.limits import check_text
from domain.polls import (
    VOTER_SUBSCRIBER,
    PollView,
    VoteView,
    check_opening,
    closing_key,
    decide,
    outcome_text,
)
from domain.refusals import DateOutOfRange, PollAlreadyOpen, PollGone
from store import models as m
from store.changes import lookups
from store.changes.audit import Changed, record
from store.changes.inverses import Delete, DeletePoll, Inverse, Restore
from store.uow import UnitOfWork

__all__ = [
    "ClosePoll",
    "OpenPoll",
    "RecordMessage",
    "due_polls",
    "latest_poll",
    "load_poll",
    "next_close",
    "open_polls",
]


@dataclass(frozen=True)
class OpenPoll:
    """Open a poll on a release; its deadline becomes a `poll_close` milestone."""

    actor: str
    slug: str
    closes_at: datetime
    quorum: int | None
    secret: bool
    question: str
    kind: str = "go_no_go"

    async def apply(self, uow: UnitOfWork) -> Changed:
        session = uow.session
        rel = await lookups.release(session, self.slug)
        panel_size = len((await session.exec(select(m.Member.id).where(m.Member.role == Role.panel.value))).all())
        check_text("question", self.question)
        if not in_range(local_date(self.closes_at)):
            raise DateOutOfRange(local_date(self.closes_at))
        check_opening(self.closes_at, uow.now, self.quorum, panel_size)
        existing = (
            await session.exec(
                select(m.Poll).where(m.Poll.release_id == rel.id, m.Poll.kind == self.kind, m.Poll.state == "open")
            )
        ).first()
        if existing is not None:
            assert existing.id is not None
            raise PollAlreadyOpen(rel.name, existing.id)
        assert rel.id is not None
        poll = m.Poll(
            release_id=rel.id,
            kind=self.kind,
            question=self.question,
            opened_by=self.actor,
            opened_at=uow.now,
            closes_at=self.closes_at,
            quorum=self.quorum,
            secret=self.secret,
        )
        session.add(poll)
        await session.flush()
        assert poll.id is not None
        # The deadline is a milestone: on the timeline and in the calendar feed, and what the
        # reminders outbox plans the Panel members' direct-message reminders against.
        closing = m.Milestone(
            key=closing_key(rel.slug, poll.id),
            release_id=rel.id,
            kind=MilestoneKind.poll_close.value,
            title=f"Panel go/no-go poll #{poll.id} closes",
            due_at=self.closes_at,
            all_day=False,
            origin=MilestoneOrigin.stated.value,
            notes=f"“{self.question}”",
        )
        session.add(closing)
        await session.flush()
        await _ensure_voter_subscriptions(session, uow.now)
        summary = f"Opened poll #{poll.id} on {rel.name}: “{self.question}”"
        done = await record(uow, self.actor, "poll.open", summary, [DeletePoll(poll.id), Delete.of(closing)])
        return replace(done, poll_id=poll.id)


async def _ensure_voter_subscriptions(session: AsyncSession, now: datetime) -> None:
    """A direct-message subscription to `poll_close` for every Panel member we can reach.

    Slack: the member's user id (a post to it lands in their DM with the app). Teams: a 1:1
    chat with the bot, if they have one. Kept after the poll (it covers the next one too).
    """
    panel = (await session.exec(select(m.Member).where(m.Member.role == Role.panel.value))).all()
    if not panel:
        return
    existing = {
        (s.platform, s.channel_id)
        for s in (await session.exec(select(m.Subscription).where(col(m.Subscription.ended_at).is_(None)))).all()
        if s.created_by.startswith(VOTER_SUBSCRIBER)
    }
    for member in panel:
        identities = (await session.exec(select(m.MemberIdentity).where(m.MemberIdentity.member_id == member.id))).all()
        for ident in identities:
            channel: str | None = None
            if ident.platform == "slack":
                channel = ident.user_id
            elif ident.platform == "teams":
                chat = (
                    await session.exec(
                        select(m.TeamsConversation).where(
                            m.TeamsConversation.user_id == ident.user_id,
                            m.TeamsConversation.kind == "personal",
                            col(m.TeamsConversation.installed).is_(True),
                        )
                    )
                ).first()
                channel = chat.conversation_id if chat else None
            if channel is None or (ident.platform, channel) in existing:
                continue
            session.add(
                m.Subscription(
                    platform=ident.platform,
                    channel_id=channel,
                    channel_name=f"a direct message to {member.name}",
                    direct=True,
                    kinds=MilestoneKind.poll_close.value,
                    created_by=f"{VOTER_SUBSCRIBER}{member.id}",
                    created_at=now,
                )
            )
            existing.add((ident.platform, channel))
    await session.flush()


async def _poll_for(uow: UnitOfWork, poll_id: int, write: bool) -> m.Poll:
    statement = select(m.Poll).where(m.Poll.id == poll_id)
    if uow.postgres:
        statement = statement.with_for_update(read=not write)
    poll = (await uow.session.exec(statement)).first()
    if poll is None:
        raise PollGone()
    return poll


async def load_poll(session: AsyncSession, poll_id: int) -> PollView:
    poll = await session.get(m.Poll, poll_id)
    if poll is None:
        raise PollGone()
    rel = await session.get(m.Release, poll.release_id)
    assert rel is not None and poll.id is not None
    votes = (
        await session.exec(
            select(m.Vote, m.Member)
            .join(m.Member, col(m.Member.id) == m.Vote.member_id)
            .where(m.Vote.poll_id == poll_id)
            .order_by(col(m.Vote.voted_at))
        )
    ).all()
    panel = (
        await session.exec(select(m.Member).where(m.Member.role == Role.panel.value).order_by(col(m.Member.name)))
    ).all()
    messages = (await session.exec(select(m.PollMessage).where(m.PollMessage.poll_id == poll_id))).all()
    assert rel.id is not None
    return PollView(
        poll.id,
        rel.id,
        rel.slug,
        rel.name,
        poll.kind,
        poll.question,
        poll.opened_at,
        poll.opened_by,
        poll.closes_at,
        poll.quorum,
        poll.secret,
        poll.state,
        poll.closed_at,
        poll.closed_by,
        poll.outcome,
        [VoteView(v.member_id, mem.name, v.choice, v.comment, v.voted_at, v.casts) for v, mem in votes],
        [(p.id, p.name) for p in panel if p.id is not None],
        [(pm.platform, pm.channel, pm.message_id) for pm in messages],
    )


@dataclass(frozen=True)
class ClosePoll:
    """Close a poll and record its outcome; None if someone (another replica) closed it already."""

    actor: str
    poll_id: int

    async def apply(self, uow: UnitOfWork) -> Changed | None:
        session, now, poll_id = uow.session, uow.now, self.poll_id
        poll = await _poll_for(uow, poll_id, write=True)
        if poll.state != "open":
            return None
        view = await load_poll(session, poll_id)
        outcome = decide(view.tally, poll.quorum)
        undo: list[Inverse] = [Restore.of(poll, "state", "closed_at", "closed_by", "outcome", "milestone_id")]
        closing = (
            await session.exec(select(m.Milestone).where(m.Milestone.key == closing_key(view.slug, poll_id)))
        ).first()
        if closing is not None:  # the deadline is met: its pending reminders are withdrawn at the next plan
            undo.append(Restore.of(closing, "state"))
            closing.state = MilestoneState.met.value
            session.add(closing)
        text = outcome_text(outcome, view.tally)
        milestone = m.Milestone(
            key=f"{view.slug}/panel-decision-poll-{poll_id}",
            release_id=view.release_id,
            kind=MilestoneKind.panel_decision.value,
            title=f"Panel go/no-go decision: {text}",
            due_at=now,
            all_day=False,
            origin=MilestoneOrigin.stated.value,
            notes=f"poll #{poll_id}: “{poll.question}”",
            state=MilestoneState.met.value,
        )
        session.add(milestone)
        await session.flush()
        decision = m.Decision(
            decided_on=local_date(now),
            reported_on=local_date(now),
            body="Panel",
            release_id=view.release_id,
            outcome=outcome,
            text=f"Poll #{poll_id}: {text}",
        )
        session.add(decision)
        await session.flush()
        poll.state, poll.closed_at, poll.closed_by, poll.outcome = "closed", now, self.actor, outcome
        poll.milestone_id = milestone.id
        session.add(poll)
        await session.flush()
        undo += [Delete.of(decision), Delete.of(milestone)]
        summary = f"Closed poll #{poll_id} on {view.release_name}: {text}"
        return replace(await record(uow, self.actor, "poll.close", summary, undo), poll_id=poll_id)


@dataclass(frozen=True)
class RecordMessage:
    """Where a poll was posted, so its message can be updated in place."""

    poll_id: int
    platform: str
    channel: str
    message_id: str

    async def apply(self, uow: UnitOfWork) -> None:
        uow.session.add(
            m.PollMessage(
                poll_id=self.poll_id, platform=self.platform, channel=self.channel, message_id=self.message_id
            )
        )
        await uow.session.flush()


async def due_polls(session: AsyncSession, now: datetime) -> list[int]:
    rows = await session.exec(select(m.Poll.id).where(m.Poll.state == "open", col(m.Poll.closes_at) <= now))
    return [r for r in rows.all() if r is not None]


async def next_close(session: AsyncSession) -> datetime | None:
    polls = m.table_of(m.Poll)
    value = await (await session.connection()).scalar(
        sa.select(sa.func.min(polls.c.closes_at)).where(polls.c.state == "open")
    )
    if value is None:
        return None
    return value if value.tzinfo else m.UTCDateTime().process_result_value(value, None)


async def open_polls(session: AsyncSession, slug: str | None = None) -> list[PollView]:
    statement = select(m.Poll.id).where(m.Poll.state == "open")
    if slug:
        statement = (
            select(m.Poll.id)
            .join(m.Release, col(m.Release.id) == m.Poll.release_id)
            .where(m.Poll.state == "open", m.Release.slug == slug)
        )
    ids = [i for i in (await session.exec(statement)).all() if i is not None]
    return [await load_poll(session, i) for i in ids]


async def latest_poll(session: AsyncSession, slug: str) -> PollView | None:
    row = (
        await session.exec(
            select(m.Poll.id)
            .join(m.Release, col(m.Release.id) == m.Poll.release_id)
            .where(m.Release.slug == slug)
            .order_by(col(m.Poll.id).desc())
        )
    ).first()
    return await load_poll(session, row) if row is not None else None
