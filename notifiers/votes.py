"""Direct-message reminders to Panel members who have not voted yet.

They travel through the same outbox as every reminder (planned against the poll's closing
milestone, 1 Working Day before and on the morning of close, each with its unique dedupe key),
so they are never doubled; what they say is decided when they go out: nothing for a member who
has voted since, or when the poll has closed.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import select

from domain.calendar import local_date
from domain.format import instant, relative
from domain.planning import SubscriptionView
from domain.polls import VOTER_SUBSCRIBER
from domain.reply import Actions, Button, Heading, Note, Paragraph, Reply, b, spans
from domain.snapshot import Snapshot
from domain.views import MilestoneView
from notifiers import messages
from store import models as m
from store.db import Database
from store.polls import load_poll

__all__ = ["is_vote_reminder", "vote_reminder"]

_POLL_KEY = re.compile(r"/poll-(\d+)-closes$")


def is_vote_reminder(ms: MilestoneView | None, sub: SubscriptionView) -> bool:
    return (
        ms is not None and ms.kind == m.MilestoneKind.poll_close.value and sub.created_by.startswith(VOTER_SUBSCRIBER)
    )


async def vote_reminder(
    db: Database, snap: Snapshot, ms: MilestoneView, sub: SubscriptionView, now: datetime
) -> Reply | str:
    """The reminder with vote buttons, or why not to send it (`voted`, `closed`, `not on the Panel`)."""
    found = _POLL_KEY.search(ms.key)
    member_text = sub.created_by[len(VOTER_SUBSCRIBER) :]
    if found is None or not member_text.isdecimal():
        return "removed"
    member_id = int(member_text)
    async with db.session() as session:
        view = await load_poll(session, int(found.group(1)))
        member = await session.get(m.Member, member_id)
        voted = (
            await session.exec(select(m.Vote).where(m.Vote.poll_id == view.id, m.Vote.member_id == member_id))
        ).first()
    if not view.is_open or view.closes_at <= now:
        return "closed"
    if member is None or member.role != m.Role.panel.value:
        return "not on the Panel"
    if voted is not None:
        return "voted"
    left = relative(snap.calendar, local_date(now), local_date(view.closes_at))
    title = f"🗳 Your go/no-go vote: {view.release_name}"
    blocks = (
        Heading(title),
        Paragraph(spans(messages.vote_reminder(member.name, instant(view.closes_at), left))),
        Paragraph(spans(b(view.question))),
        Actions(
            (
                Button("Go", "vote", f"{view.id}:go", "primary"),
                Button("No-go", "vote", f"{view.id}:no_go", "danger"),
                Button("Abstain", "vote", f"{view.id}:abstain"),
            )
        ),
        Note(spans(messages.vote_reminder_why())),
    )
    return Reply(title, blocks, public=True, fallback=f"{title}: closes {instant(view.closes_at)}")
