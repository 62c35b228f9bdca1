"""An admin change end to end, and the event loop's longest stall, at 10 / 100 / 1,000 / 3,000 releases x 50.

Each round makes one change through the store writer (approve, target a new modification, move
one, move a milestone, undo), which applies it to its own read model, then a second replica on
the same database catches up (`ReadModel.refresh`, as its watcher would). A ticker on the event
loop records the longest gap between its 1 ms sleeps. The baseline, in the same run: the same
kind of change followed by the full reload every write used to do (`load_snapshot` on the loop).
Targets at 3,000 x 50: a change under 100 ms, the longest stall under 50 ms, on every replica.

Run: `make bench` or `.venv/bin/python benchmarks/writes.py [--sizes 10,100] [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.clock import system_clock
from store.changes import ApproveScope, MoveMilestone, MoveScope, TargetScope, Undo
from store.db import Database
from store.loading import load_snapshot
from store.readmodel import ReadModel
from store.synthetic import generate
from store.uow import Change, UnitOfWork

MODS = 50


class Ticker:
    """Sleeps 1 ms at a time on the loop; the longest it waited beyond that is the loop's stall."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, time.perf_counter() - start - 0.001)

    async def measure(self, work: Callable[[], Awaitable[object]]) -> tuple[float, float, float]:
        """(seconds the work took, the loop's longest stall meanwhile, the process's CPU seconds)."""
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())
        await asyncio.sleep(0.005)
        self.worst = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        await work()
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        await asyncio.sleep(0.002)
        self._task.cancel()
        return took, self.worst, cpu


def changes(slugs: list[str], round_: int) -> list[Change[Any]]:
    """One round of admin changes on a release picked by the round."""
    r = (round_ * 7919) % len(slugs)
    slug, other = slugs[r], slugs[(r + 1) % len(slugs)]
    targeted = f"MP{1000 + r * MODS + 2 * (round_ % (MODS // 2)) + 1}"  # even k: targeted by the generator
    today = date(2031, 1, 6) + timedelta(days=round_)
    return [
        ApproveScope("bench", slug, targeted, today, "Change Board approved"),
        TargetScope("bench", slug, f"MP9{round_:05d}", today, title=f"Bench change {round_}"),
        MoveScope("bench", slug, targeted, today, "replanned", to_slug=other),
        MoveMilestone("bench", slug, "go_live", today + timedelta(days=400), None, "slipped"),
        Undo("bench"),
    ]


async def write(db: Database, model: ReadModel, change: Change[Any], reload: bool) -> None:
    async with db.transaction() as session:
        await change.apply(UnitOfWork(session, db.postgres, system_clock()))
    if reload:  # what every write did before: the whole store read again, on the loop
        async with db.engine.connect() as conn:
            await load_snapshot(conn)
    else:
        await model.refresh()


async def measure(url: str, releases: int, rounds: int, baseline_rounds: int) -> dict[str, float]:
    setup = Database(url)
    await setup.upgrade()
    slugs = await generate(setup, releases, MODS)
    await setup.dispose()
    writer_db, replica_db = Database(url), Database(url)
    writer, replica = ReadModel(writer_db), ReadModel(replica_db)
    start = time.perf_counter()
    await writer.load()
    load_s = time.perf_counter() - start
    await replica.load()
    ticker = Ticker()
    _took, noise, _cpu = await ticker.measure(lambda: asyncio.sleep(2.0))  # the machine's own stalls
    for change in changes(slugs, rounds):  # warm up: statements compiled, caches filled (not counted)
        await write(writer_db, writer, change, reload=False)
        await replica.refresh()
    new_write, new_stall, new_cpu, rep_time, rep_stall, old_write, old_stall, old_cpu = ([] for _ in range(8))
    for round_ in range(rounds):
        for n, change in enumerate(changes(slugs, round_)):
            took, stall, cpu = await ticker.measure(lambda c=change: write(writer_db, writer, c, reload=False))
            new_write.append(took)
            new_stall.append(stall)
            new_cpu.append(cpu)
            took, stall, _cpu = await ticker.measure(replica.refresh)
            rep_time.append(took)
            rep_stall.append(stall)
            if round_ < baseline_rounds and n == 0:
                took, stall, cpu = await ticker.measure(
                    lambda: write(writer_db, writer, Undo("bench"), reload=True)  # undo the approve, then reload
                )
                old_write.append(took)
                old_stall.append(stall)
                old_cpu.append(cpu)
                await writer.refresh()
                await replica.refresh()
    assert writer.reloads == 1 and replica.reloads == 1, "a change fell back to a full reload"
    await writer_db.dispose()
    await replica_db.dispose()
    return {
        "load": load_s,
        "noise": noise,
        "write": statistics.median(new_write),
        "write_max": max(new_write),
        "cpu": statistics.median(new_cpu),
        "old_cpu": statistics.median(old_cpu),
        "stall": max(new_stall),
        "stall_p50": statistics.median(new_stall),
        "replica": statistics.median(rep_time),
        "replica_stall": max(rep_stall),
        "old_write": statistics.median(old_write),
        "old_stall": max(old_stall),
    }


async def _pg_database(url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    admin = make_url(url).set(drivername="postgresql")
    name = f"rb_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()

    async def drop() -> None:
        c = await asyncpg.connect(admin.render_as_string(hide_password=False))
        await c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await c.close()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,3000")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--baseline-rounds", type=int, default=2)
    parser.add_argument("--postgres", default="", help="also on PostgreSQL (a server URL; a scratch database is made)")
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print(
        f"Admin change end to end and the loop's longest stall, releases x {MODS} (median of {args.rounds * 5} changes)"
    )
    head = f"{'db':<10} {'releases':>8} {'load s':>7} {'idle':>5} | {'write ms':>8} {'cpu ms':>7} {'stall ms':>8} {'p50':>5}"
    head += f" {'replica ms':>10} {'r.stall':>8} | {'reload ms':>9} {'cpu ms':>7} {'stall ms':>8}"
    print(head + f" | {'write x':>7} {'cpu x':>7} {'stall x':>7}")
    for backend in backends:
        for size in (int(s) for s in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as folder:
                drop = None
                if backend == "sqlite":
                    url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
                else:
                    url, drop = await _pg_database(args.postgres)
                try:
                    f = await measure(url, size, args.rounds, args.baseline_rounds)
                finally:
                    if drop is not None:
                        await drop()
            print(
                f"{backend:<10} {size:>8} {f['load']:>7.1f} {f['noise'] * 1e3:>5.0f} | {f['write'] * 1e3:>8.1f} {f['cpu'] * 1e3:>7.1f}"
                f" {f['stall'] * 1e3:>8.1f} {f['stall_p50'] * 1e3:>5.1f} {f['replica'] * 1e3:>10.1f} {f['replica_stall'] * 1e3:>8.1f}"
                f" | {f['old_write'] * 1e3:>9.0f} {f['old_cpu'] * 1e3:>7.0f} {f['old_stall'] * 1e3:>8.0f}"
                f" | {f['write'] / f['old_write']:>7.3f} {f['cpu'] / f['old_cpu']:>7.3f}"
                f" {f['stall'] / f['old_stall']:>7.3f}",
                flush=True,
            )
    print("write: the change committed and applied to the writer's snapshot; replica: a second one catching up.")
    print("cpu: the process's CPU time during it (all threads): what the work costs on a busy machine.")
    print("stall: the longest of all the changes; p50: the median change's longest stall.")
    print("idle: the longest stall the ticker saw in 2 s with nothing to do (the machine's own noise).")
    print("reload: the same kind of change with the full reload every write did before (the baseline).")


if __name__ == "__main__":
    asyncio.run(main())
