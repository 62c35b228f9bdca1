"""The replay guard shared through the database: a signed request accepted once is refused by
every other guard on the same store, and by a new guard after a restart; old rows are purged."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

import bot.slack.replays as replays
from bot.slack.guard import MAX_AGE_SECONDS, SlackGuard
from bot.slack.replays import SharedReplays
from store.db import Database
from store.models import SlackSignature, table_of
from store.replays import record_signatures
from tests.slackreq import SECRET, signed, slash

KEEP = timedelta(seconds=MAX_AGE_SECONDS + 60)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


STARTED: list[SharedReplays] = []


def _guard(db: Database, clock: Clock | None = None) -> tuple[SlackGuard, SharedReplays]:
    shared = SharedReplays(db, keep=KEEP, clock=clock or Clock())
    STARTED.append(shared)
    return SlackGuard(SECRET, shared=shared), shared


async def _dispose(*dbs: Database) -> None:
    """Let every guard's statements (the purge runs on its own) finish, then close the stores."""
    while STARTED:
        await STARTED.pop().drain()
    for db in dbs:
        await db.dispose()


async def _rows(db: Database) -> int:
    async with db.engine.connect() as conn:
        return int(await conn.scalar(sa.select(sa.func.count()).select_from(table_of(SlackSignature))) or 0)


async def test_two_guards_on_one_store_refuse_the_second_delivery(empty_database_url: str) -> None:
    first_db, second_db = Database(empty_database_url), Database(empty_database_url)
    try:
        first, _ = _guard(first_db)
        second, _ = _guard(second_db)
        body = slash("/release", "june-2022 approve MP099 Change Board approved")
        headers = signed(body)
        assert await first.admit(body.encode(), headers) is None
        refused = await second.admit(body.encode(), headers)
        assert refused is not None and (refused.status, refused.reason) == (401, "replayed request")
        again = await first.admit(body.encode(), headers)  # the in-memory check, first
        assert again is not None and again.reason == "replayed request"
        other = slash("/release", "june-2022 scope")
        assert await second.admit(other.encode(), signed(other)) is None  # a new request still passes
    finally:
        await _dispose(first_db, second_db)


async def test_a_new_guard_after_a_restart_refuses(empty_database_url: str) -> None:
    body = slash("/release", "undo")
    headers = signed(body)
    before = Database(empty_database_url)
    try:
        guard, _ = _guard(before)
        assert await guard.admit(body.encode(), headers) is None
    finally:
        await _dispose(before)
    after = Database(empty_database_url)
    try:
        guard, _ = _guard(after)
        refused = await guard.admit(body.encode(), headers)
        assert refused is not None and refused.reason == "replayed request"
    finally:
        await _dispose(after)


async def test_concurrent_requests_share_statements_and_each_is_answered(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        guard, _ = _guard(db)
        bodies = [slash("/release", f"june-2022 scope {i}") for i in range(60)]
        signed_bodies = [(body.encode(), signed(body)) for body in bodies]
        first = await asyncio.gather(*(guard.admit(raw, headers) for raw, headers in signed_bodies))
        assert first == [None] * 60
        other, _ = _guard(db)
        second = await asyncio.gather(*(other.admit(raw, headers) for raw, headers in signed_bodies))
        assert {refusal.reason if refusal else None for refusal in second} == {"replayed request"}
        assert await _rows(db) == 60
    finally:
        await _dispose(db)


async def test_rows_older_than_the_window_are_purged_now_and_then(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        clock = Clock()
        old = clock.now - KEEP - timedelta(seconds=1)
        assert await record_signatures(db, [("v0=old", old), ("v0=recent", clock.now)]) == {"v0=old", "v0=recent"}
        shared = SharedReplays(db, keep=KEEP, clock=clock)
        assert await shared.first_time("v0=a", clock.now)  # the first batch purges, after answering
        await shared.drain()
        assert await _rows(db) == 2  # recent and a
        assert await record_signatures(db, [("v0=old2", old)]) == {"v0=old2"}
        clock.now += timedelta(seconds=30)
        assert await shared.first_time("v0=b", clock.now)
        await shared.drain()
        assert await _rows(db) == 4  # not purged again within the minute
        clock.now += timedelta(seconds=31)
        assert await shared.first_time("v0=c", clock.now)
        await shared.drain()
        assert await _rows(db) == 4  # old2 purged, c added
        assert not await shared.first_time("v0=recent", clock.now)
        await shared.drain()
    finally:
        await db.dispose()


async def test_store_down_falls_back_to_the_in_memory_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'no.db'}")  # cannot be opened
    try:
        guard, _ = _guard(db)
        body = slash("/release", "june-2022 scope")
        headers = signed(body)
        assert await guard.admit(body.encode(), headers) is None
        refused = await guard.admit(body.encode(), headers)
        assert refused is not None and refused.reason == "replayed request"
    finally:
        await _dispose(db)


async def test_a_hung_store_does_not_hold_requests(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:

    release = asyncio.Event()

    async def never(*args: object) -> set[str]:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:  # a driver stuck on a dead socket: cancelling does not end it
                continue
        return set()

    monkeypatch.setattr(replays, "record_signatures", never)
    db = Database(empty_database_url)
    try:
        shared = SharedReplays(db, keep=KEEP, timeout=0.2)
        guard = SlackGuard(SECRET, shared=shared)
        body = slash("/release", "june-2022 scope")
        headers = signed(body)
        assert await guard.admit(body.encode(), headers) is None  # answered after the timeout, not never
        refused = await guard.admit(body.encode(), headers)
        assert refused is not None and refused.reason == "replayed request"
    finally:
        release.set()
        await shared.drain()
        await db.dispose()


async def test_a_cached_read_is_checked_in_memory_only(empty_database_url: str) -> None:
    """The trade-off for the read fast path: nothing recorded, refused again by the same replica."""
    db = Database(empty_database_url)
    try:
        first, _ = _guard(db)
        body = slash("/release", "june-2022 scope")
        headers = signed(body)
        assert first.check(body.encode(), headers) is None
        assert await first.confirm(headers, wait=False) is None
        assert await _rows(db) == 0
        again = first.check(body.encode(), headers)
        assert again is not None and again.reason == "replayed request"
    finally:
        await _dispose(db)
