"""Votes at the database's pace: N members pressing at once, beside a bare upsert loop.

For N = 10 / 50 / 200 members on SQLite and on PostgreSQL (when reachable), each round:
- baseline: a bare loop of `INSERT ... ON CONFLICT DO UPDATE` + commit, one transaction per
  vote, one after another (the database's own pace for single votes, no bot at all);
- releasebot: N presses at once through `VoteBox` (the path a Slack or Teams button takes:
  checks, group commit with audit rows, the answer built from the batch).
Printed: throughput (votes/s) of each and the ratio, releasebot's p50/p99 per-press latency,
and how many transactions the burst took. Medians over interleaved rounds.

Run: `.venv/bin/python benchmarks/votes.py [--rounds 5] [--members 10,50,200] [--no-postgres]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.clock import system_clock
from domain.kinds import Role
from store import models as m
from store.db import Database
from store.polls import OpenPoll
from store.seed import seed_demo
from store.uow import UnitOfWork
from store.votes import Press, VoteBox

PG_ADMIN = os.environ.get("RELEASEBOT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


async def _prepare(db: Database, members: int) -> tuple[int, list[int]]:
    await db.upgrade()
    await seed_demo(db, datetime.now(UTC))
    async with db.transaction() as session:
        rows = [m.Member(name=f"Bench {n:03d}", role=Role.panel.value) for n in range(members)]
        session.add_all(rows)
        await session.flush()
        ids = [int(r.id or 0) for r in rows]
    async with db.transaction() as session:
        opening = OpenPoll("bench", "june-2022", datetime.now(UTC) + timedelta(days=30), None, False, "Go live?")
        await opening.apply(UnitOfWork(session, db.postgres, datetime.now(UTC)))
        poll_id = (await session.exec(sa.select(sa.func.max(m.Poll.id)))).one()[0]  # type: ignore[call-overload]
    return int(poll_id), ids


async def _clear(db: Database) -> None:
    async with db.transaction(serialize=False) as session:
        await (await session.connection()).execute(sa.delete(m.table_of(m.Vote)))


async def _bare(db: Database, poll_id: int, members: list[int]) -> float:
    table = m.table_of(m.Vote)
    started = time.perf_counter()
    for member in members:
        async with db.transaction(serialize=False) as session:
            insert = (pg_insert if db.postgres else sqlite_insert)(table).values(
                poll_id=poll_id, member_id=member, choice="go", comment="", voted_at=datetime.now(UTC), casts=1
            )
            await (await session.connection()).execute(
                insert.on_conflict_do_update(
                    index_elements=["poll_id", "member_id"], set_={"choice": insert.excluded.choice}
                )
            )
    return len(members) / (time.perf_counter() - started)


async def _box(db: Database, poll_id: int, members: list[int]) -> tuple[float, list[float], int]:
    box = VoteBox(db, system_clock, timeout=2.0)
    latencies: list[float] = []

    async def press(member: int) -> None:
        sent = time.perf_counter()
        await box.cast(Press(poll_id, member, Role.panel.value, f"bench {member}", "go"))
        latencies.append(time.perf_counter() - sent)

    started = time.perf_counter()
    await asyncio.gather(*(press(member) for member in members))
    return len(members) / (time.perf_counter() - started), latencies, box.batches


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _measure(label: str, url: str, sizes: list[int], rounds: int) -> None:
    db = Database(url)
    try:
        poll_id, ids = await _prepare(db, max(sizes))
        for n in sizes:
            bare: list[float] = []
            ours: list[float] = []
            lat: list[float] = []
            batches: list[int] = []
            for _ in range(rounds):
                await _clear(db)
                bare.append(await _bare(db, poll_id, ids[:n]))
                await _clear(db)
                rate, latencies, count = await _box(db, poll_id, ids[:n])
                ours.append(rate)
                lat.extend(latencies)
                batches.append(count)
            b, o = statistics.median(bare), statistics.median(ours)
            print(
                f"{label:<10} N={n:<4} bare upsert {b:8.0f}/s  releasebot {o:8.0f}/s  ratio {o / b:5.2f}x  "
                f"p50 {_pct(lat, 0.5) * 1000:6.1f} ms  p99 {_pct(lat, 0.99) * 1000:6.1f} ms  "
                f"transactions {statistics.median(batches):.0f}"
            )
    finally:
        await db.dispose()


async def _pg_database() -> tuple[str, str] | None:
    import asyncpg

    name = f"rb_bench_votes_{uuid.uuid4().hex[:8]}"
    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL skipped: {exc}")
        return None
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, PG_ADMIN.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0] + f"/{name}"


async def _drop(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--members", default="10,50,200")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(n) for n in args.members.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        await _measure("SQLite", f"sqlite+aiosqlite:///{folder}/votes.db", sizes, args.rounds)
    if not args.no_postgres and (pg := await _pg_database()) is not None:
        try:
            await _measure("PostgreSQL", pg[1], sizes, args.rounds)
        finally:
            await _drop(pg[0])


if __name__ == "__main__":
    asyncio.run(main())
