"""Command latency on a generated store of 1,000 releases x 50 modifications (SQLite).

Times `/release <slug> scope`, `/mod <ref>` and `/release find <words>` through the real parser,
handler and Slack renderer (the reply cache bypassed), and, as a baseline in the same run, the
same scope question answered by one indexed SQL query per request. Targets: p50 < 5 ms and
p99 < 20 ms. Run: `make bench` or `.venv/bin/python benchmarks/commands.py [--releases N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import create_bot, load_settings
from commands.render import render_slack
from store import models as m
from store.synthetic import generate


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def timed(n: int, call: Callable[[int], Awaitable[object]]) -> list[float]:
    samples = []
    for k in range(n):
        start = time.perf_counter()
        await call(k)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def main(releases: int, per_release: int, n: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="releasebot-bench-"))
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    bot = create_bot(load_settings(database_url=url))
    await bot.db.upgrade()
    t0 = time.perf_counter()
    slugs = await generate(bot.db, releases, per_release)
    t1 = time.perf_counter()
    await bot.start(watch=False)
    t2 = time.perf_counter()
    snap = bot.read_model.snapshot
    refs = list(snap.mod_by_ref)
    rng = random.Random(1)
    actor = bot.actors.resolve("console", "bench")
    print(f"store: {releases} releases x {per_release} modifications = {len(refs)} scope entries")
    print(f"generate {t1 - t0:.2f} s, load read model {t2 - t1:.2f} s")

    async def through_handler(text: str) -> object:
        reply = await bot.answers.answer(None, text, actor)
        assert not reply.is_error, text
        return render_slack(reply)

    words = ["appendix o", "smart meter", "firmware alert", "credit cover", "privacy"]
    cases = {
        "/release <slug> scope": lambda k: through_handler(f"/release {rng.choice(slugs)} scope"),
        "/mod <ref>": lambda k: through_handler(f"/mod {rng.choice(refs)}"),
        "/release find <words>": lambda k: through_handler(f"/release find {words[k % len(words)]}"),
    }

    async def sql_scope(k: int) -> object:
        slug = rng.choice(slugs)
        async with bot.db.session() as session:
            rows = (
                await (await session.connection()).execute(
                    sa.select(m.ScopeChange.state, m.Modification.ref, m.Modification.title)
                    .join(m.Modification, m.Modification.id == m.ScopeChange.modification_id)
                    .join(m.Release, m.Release.id == m.ScopeChange.release_id)
                    .where(m.Release.slug == slug)
                )
            ).all()
        return rows

    results = {}
    for name, call in cases.items():
        await timed(20, call)  # warm up
        results[name] = await timed(n, call)
    await timed(20, sql_scope)
    baseline = await timed(n, sql_scope)

    print(f"\n{'command':<28}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}   target p50<5, p99<20")
    ok = True
    for name, samples in results.items():
        p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
        ok &= p50 < 5 and p99 < 20
        print(
            f"{name:<28}{p50:>9.2f}{p99:>9.2f}{statistics.mean(samples):>9.2f}   {'ok' if p50 < 5 and p99 < 20 else 'MISSED'}"
        )
    b50, b99 = percentile(baseline, 0.5), percentile(baseline, 0.99)
    print(
        f"{'baseline: 1 SQL query only':<28}{b50:>9.2f}{b99:>9.2f}{statistics.mean(baseline):>9.2f}   (no handler, no rendering)"
    )
    scope50 = percentile(results["/release <slug> scope"], 0.5)
    print(f"\nratio scope (read model + handler + render) / SQL query alone, p50: {scope50 / b50:.2f}x")
    await bot.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--per-release", type=int, default=50)
    parser.add_argument("-n", type=int, default=1000, help="requests per command")
    parser.add_argument("--quick", action="store_true", help="100 releases, 300 requests (make bench QUICK=1)")
    args = parser.parse_args()
    if args.quick:
        args.releases, args.n = 100, 300
    sys.exit(asyncio.run(main(args.releases, args.per_release, args.n)))
