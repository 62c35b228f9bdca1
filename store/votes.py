"""Votes at the database's pace: presses that arrive together share one transaction.

Fifty members pressing Go within a second used to be fifty serialised transactions, each
re-reading the whole poll, and the write timeout counted the wait behind the others, so a
busy machine answered committed votes "store unavailable". Here a press joins the box's queue;
one drainer commits everything queued so far as a batch (group commit): one poll read per
poll, one upsert per member (several presses by one member fold into their last choice and a
`casts` increment) and one audit row per press. The timeout bounds each batch's work, not a
press's wait in the queue, and a committed vote is answered from what the batch read, with no
read after the commit that could time out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from domain.clock import Clock
from domain.kinds import Role
from domain.limits import check_text
from domain.polls import CHOICES, check_choice
from domain.refusals import NotPanelMember, PollClosed, PollGone, Refusal
from store import models as m
from store.db import STORE_ERRORS, Database
from store.uow import UnitOfWork

__all__ = ["Counted", "Press", "VoteBox", "cast_votes"]

MAX_BATCH = 500  # presses per transaction: bounds one batch's work under the timeout
# A batch that could not get the database in time (another replica writing, a busy machine) is
# tried again while its presses are younger than this; then they are told the store is unavailable.
PATIENCE = 15.0


@dataclass(frozen=True)
class Press:
    """One press of Go / No-go / Abstain (or `/release <slug> vote go`) by a member."""

    poll_id: int
    member_id: int | None
    role: str | None
    actor: str
    choice: str
    comment: str | None = None

    def check(self) -> None:
        """Refusals that need no database: a choice the poll does not have, a non-Panel voter."""
        check_choice(self.choice)
        check_text("comment", self.comment)
        if self.member_id is None or self.role != Role.panel.value:
            raise NotPanelMember()


@dataclass(frozen=True)
class Counted:
    """A committed vote, with what its answer names."""

    poll_id: int
    choice: str
    release_name: str
    closes_at: datetime


@dataclass(frozen=True)
class _Poll:
    state: str
    closes_at: datetime
    release_name: str


async def _polls(uow: UnitOfWork, ids: set[int]) -> dict[int, _Poll]:
    statement = (
        select(m.Poll.id, m.Poll.state, m.Poll.closes_at, m.Release.name)
        .join(m.Release, col(m.Release.id) == m.Poll.release_id)
        .where(col(m.Poll.id).in_(ids))
    )
    if uow.postgres:  # a close takes FOR UPDATE: a vote and a close on one poll serialise
        statement = statement.with_for_update(read=True, of=m.Poll)
    rows = (await uow.session.exec(statement)).all()
    return {int(pid): _Poll(state, closes_at, name) for pid, state, closes_at, name in rows if pid is not None}


def _fold(presses: Sequence[Press]) -> list[dict[str, Any]]:
    """One upsert row per (poll, member): the last choice counts, every press adds to `casts`."""
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for press in presses:
        assert press.member_id is not None
        row = rows.setdefault(
            (press.poll_id, press.member_id),
            {"poll_id": press.poll_id, "member_id": press.member_id, "casts": 0, "comment": None},
        )
        row["choice"], row["casts"] = press.choice, row["casts"] + 1
        if press.comment is not None:
            row["comment"] = press.comment
    # In key order: two replicas upserting the same members lock their rows in the same order.
    return [rows[key] for key in sorted(rows)]


async def cast_votes(uow: UnitOfWork, presses: Sequence[Press]) -> list[Counted | Refusal]:
    """Apply a batch of presses in the caller's transaction; each gets its outcome, in order."""
    polls = await _polls(uow, {p.poll_id for p in presses})
    outcomes: list[Counted | Refusal] = []
    valid: list[Press] = []
    for press in presses:
        poll = polls.get(press.poll_id)
        try:
            press.check()
            if poll is None:
                raise PollGone()
            if poll.state != "open" or poll.closes_at <= uow.now:
                raise PollClosed(press.poll_id)
        except Refusal as refusal:
            outcomes.append(refusal)
            continue
        valid.append(press)
        outcomes.append(Counted(press.poll_id, press.choice, poll.release_name, poll.closes_at))
    if not valid:
        return outcomes
    table = m.table_of(m.Vote)
    connection = await uow.connection()
    rows = _fold(valid)
    for with_comment in (True, False):  # an upsert without a comment keeps the one already given
        params = [
            {**row, "comment": row["comment"] or "", "voted_at": uow.now}
            for row in rows
            if (row["comment"] is not None) == with_comment
        ]
        if not params:
            continue
        insert = (pg_insert if uow.postgres else sqlite_insert)(table)
        update: dict[str, Any] = {
            "choice": insert.excluded.choice,
            "voted_at": insert.excluded.voted_at,
            "casts": table.c.casts + insert.excluded.casts,
        }
        if with_comment:
            update["comment"] = insert.excluded.comment
        await connection.execute(
            insert.on_conflict_do_update(index_elements=["poll_id", "member_id"], set_=update), params
        )
    uow.session.add_all(
        m.AuditEvent(
            at=uow.now,
            actor=p.actor,
            action="vote.cast",
            summary=f"Vote on poll #{p.poll_id}: {CHOICES[p.choice]}" + (" (with a comment)" if p.comment else ""),
            undo=[],
        )
        for p in valid
    )
    await uow.session.flush()
    return outcomes


class VoteBox:
    """The queue of presses of one process and the drainer that commits them in batches.

    Life cycle: idle (no drainer) -> draining (one task, while presses wait) -> idle again. A
    press that fails its own checks is refused at once. A batch that fails for a passing reason
    (the database busy or slower than `timeout`) goes back to the head of the queue, except for
    presses older than `patience`, which get the error; any other failure fails the batch.
    """

    def __init__(self, db: Database, clock: Clock, timeout: float, patience: float = PATIENCE) -> None:
        self.db = db
        self.clock = clock
        self.timeout = timeout
        self.patience = patience
        self._queue: list[tuple[Press, asyncio.Future[Counted], float]] = []
        self._drainer: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed: a burst of N presses takes far fewer than N

    async def cast(self, press: Press) -> Counted:
        """Queue the press and wait for its batch; its refusal or the batch's error is raised."""
        press.check()
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Counted] = loop.create_future()
        self._queue.append((press, done, loop.time() + self.patience))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain(), name="releasebot-votes")
        return await asyncio.shield(done)  # a caller giving up does not take its vote out of the batch

    async def close(self) -> None:
        """Let the presses already queued commit (at shutdown, before the database closes)."""
        if self._drainer is not None:
            with contextlib.suppress(Exception):
                await self._drainer

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        failures = 0
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                outcomes = await self._commit([press for press, _, _ in batch])
            except STORE_ERRORS as error:
                now = loop.time()
                self._queue[:0] = [item for item in batch if item[2] > now and not item[1].done()]
                _fail([done for _, done, deadline in batch if deadline <= now], error)
                failures += 1  # a store refusing at once is not asked again in a tight loop
                await asyncio.sleep(min(0.05 * 2**failures, 1.0))
                continue
            except Exception as error:
                _fail([done for _, done, _ in batch], error)
                continue
            failures = 0
            for (_, done, _), outcome in zip(batch, outcomes, strict=True):
                if done.done():
                    continue
                if isinstance(outcome, Refusal):
                    done.set_exception(outcome)
                else:
                    done.set_result(outcome)

    async def _commit(self, presses: list[Press]) -> list[Counted | Refusal]:
        async with self.db.writer_turn():  # waiting for another writer is queueing, not work
            async with asyncio.timeout(self.timeout):
                async with self.db.transaction(serialize=False, have_turn=True) as session:
                    outcomes = await cast_votes(UnitOfWork(session, self.db.postgres, self.clock()), presses)
        self.batches += 1
        return outcomes


def _fail(waiting: list[asyncio.Future[Counted]], error: Exception) -> None:
    for done in waiting:
        if not done.done():
            done.set_exception(error)
