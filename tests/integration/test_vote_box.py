"""Group commit of votes: presses queued together share a transaction; the timeout counts work only."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.core import Releasebot
from domain.kinds import Role
from domain.refusals import NotPanelMember, PollGone
from store import models as m
from store import polls as poll_store
from store.votes import Counted, Press, VoteBox
from tests.helpers import reply


def later(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


async def _panel(bot: Releasebot, count: int) -> list[int]:
    async with bot.db.transaction() as session:
        members = [m.Member(name=f"Box Voter {n:03d}", role=Role.panel.value) for n in range(count)]
        session.add_all(members)
        await session.flush()
        return [int(member.id or 0) for member in members]


async def _open(bot: Releasebot) -> int:
    opened = await reply(bot, f"/release june-2022 vote open closes {later()}")
    return int(opened.meta["poll_id"])


async def test_two_hundred_members_pressing_twice_are_all_counted_in_few_transactions(bot: Releasebot) -> None:
    members = await _panel(bot, 200)
    poll_id = await _open(bot)
    box = bot.writer.votes
    before = box.batches
    first = [Press(poll_id, mid, "panel", f"voter {mid}", "no_go") for mid in members]
    second = [Press(poll_id, mid, "panel", f"voter {mid}", ("go", "abstain")[n % 2]) for n, mid in enumerate(members)]
    counted = await asyncio.gather(*(bot.writer.vote(p) for p in first + second))
    assert all(isinstance(c, Counted) and c.release_name == "June 2022 SEC Release" for c in counted)
    assert box.batches - before < 10  # 400 presses, not 400 transactions
    view = await bot.writer.read(lambda s: poll_store.load_poll(s, poll_id))
    box_votes = [v for v in view.votes if v.name.startswith("Box Voter")]
    assert len(box_votes) == 200 and all(v.casts == 2 for v in box_votes)
    assert view.tally["go"] == 100 and view.tally["abstain"] == 100 and view.tally["no_go"] == 0
    async with bot.db.session() as session:
        audit = (await session.exec(select(m.AuditEvent).where(m.AuditEvent.action == "vote.cast"))).all()
    assert len(audit) == 400  # every press is audited, folded or not


async def test_a_refused_press_does_not_fail_the_others_in_its_batch(bot: Releasebot) -> None:
    members = await _panel(bot, 3)
    poll_id = await _open(bot)
    presses = [
        bot.writer.vote(Press(poll_id, members[0], "panel", "a", "go")),
        bot.writer.vote(Press(poll_id + 999, members[1], "panel", "b", "go")),  # no such poll
        bot.writer.vote(Press(poll_id, members[2], "panel", "c", "abstain", "keep the date")),
    ]
    outcomes = await asyncio.gather(*presses, return_exceptions=True)
    assert isinstance(outcomes[0], Counted) and isinstance(outcomes[2], Counted)
    assert isinstance(outcomes[1], PollGone)
    view = await bot.writer.read(lambda s: poll_store.load_poll(s, poll_id))
    assert {(v.name, v.choice, v.comment) for v in view.votes} == {
        ("Box Voter 000", "go", ""),
        ("Box Voter 002", "abstain", "keep the date"),
    }


async def test_a_later_press_without_a_comment_keeps_the_comment_given(bot: Releasebot) -> None:
    (member,) = await _panel(bot, 1)
    poll_id = await _open(bot)
    await bot.writer.vote(Press(poll_id, member, "panel", "a", "no_go", "DCC not ready"))
    await bot.writer.vote(Press(poll_id, member, "panel", "a", "go"))
    view = await bot.writer.read(lambda s: poll_store.load_poll(s, poll_id))
    assert [(v.choice, v.comment, v.casts) for v in view.votes] == [("go", "DCC not ready", 2)]


async def test_an_observer_is_refused_before_anything_is_queued(bot: Releasebot) -> None:
    poll_id = await _open(bot)
    with pytest.raises(NotPanelMember):
        await bot.writer.vote(Press(poll_id, 1, Role.observer.value, "o", "go"))


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_waiting_for_the_writer_does_not_count_against_the_timeout(bot: Releasebot) -> None:
    """SQLite has one writer: a vote queued behind a slow write waits its turn, then commits.

    (PostgreSQL has no process-wide writer turn; there the timeout covers the batch's own work.)
    """
    (member,) = await _panel(bot, 1)
    poll_id = await _open(bot)
    box = VoteBox(bot.db, bot.clock, timeout=0.05)
    async with bot.db.writer_turn():  # another writer holds the turn for many times the timeout
        pending = asyncio.create_task(box.cast(Press(poll_id, member, "panel", "a", "go")))
        await asyncio.sleep(0.5)
        assert not pending.done()
    assert isinstance(await pending, Counted)


def _sqlite_path(bot: Releasebot) -> str:
    return bot.db.url.split(":///", 1)[1]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_batch_blocked_by_another_replica_is_tried_again_and_counted(bot: Releasebot) -> None:
    """Another process holding SQLite's write lock longer than the timeout: the press waits, then counts."""
    (member,) = await _panel(bot, 1)
    poll_id = await _open(bot)
    box = VoteBox(bot.db, bot.clock, timeout=0.1, patience=60)
    other = sqlite3.connect(_sqlite_path(bot), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other replica's write transaction
    pending = asyncio.create_task(box.cast(Press(poll_id, member, "panel", "a", "abstain")))
    await asyncio.sleep(1.0)
    assert not pending.done()
    other.execute("COMMIT")
    other.close()
    assert isinstance(await pending, Counted)
    view = await bot.writer.read(lambda s: poll_store.load_poll(s, poll_id))
    assert [(v.choice, v.casts) for v in view.votes if v.name == "Box Voter 000"] == [("abstain", 1)]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_press_older_than_its_patience_is_told_the_store_is_unavailable(bot: Releasebot) -> None:
    (member,) = await _panel(bot, 1)
    poll_id = await _open(bot)
    box = VoteBox(bot.db, bot.clock, timeout=0.1, patience=0.3)
    other = sqlite3.connect(_sqlite_path(bot), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises((TimeoutError, OperationalError)):
            await box.cast(Press(poll_id, member, "panel", "a", "go"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    view = await bot.writer.read(lambda s: poll_store.load_poll(s, poll_id))
    assert all(v.name != "Box Voter 000" for v in view.votes)
