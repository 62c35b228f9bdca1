"""How long documents take to build, beside the same content as plain chat text, and whether building
one in a worker thread stalls the event loop.

For the demo data (the four seed papers) and for the generated store of 1,000 releases x 50
modifications (store/synthetic.py): each document as Word, PDF and Markdown, and each picture,
timed (median of a few runs), with the ratio to rendering the same document model as plain text
(what `/release <slug> rid` answers in chat). Then every file format is built in a thread
(asyncio.to_thread) while a ticker task measures the event loop's longest stall (target: under
50 ms). Prints figures only; nothing here asserts. Run: `.venv/bin/python benchmarks/documents.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import create_bot, load_settings
from commands.documents.build import chart_pool, render, render_async
from commands.documents.charts import render_png
from commands.documents.chat import document_reply
from commands.documents.model import Bar, BarChart, Chart, Document
from commands.documents.panel_update import panel_update_document
from commands.documents.rid import build_rid_model
from commands.documents.rid_layout import rid_document
from commands.documents.status_report import progress_chart, status_report_document
from commands.documents.timeline import all_releases_timeline, release_timeline
from commands.render import render_text
from domain.snapshot import Snapshot
from store.seed import seed_demo
from store.synthetic import generate


def median_ms(work: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def load(synthetic: bool, releases: int, per_release: int) -> Snapshot:
    folder = Path(tempfile.mkdtemp(prefix="releasebot-docbench-"))
    bot = create_bot(load_settings(database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}"))
    await bot.db.upgrade()
    if synthetic:
        await generate(bot.db, releases, per_release)
    else:
        await seed_demo(bot.db, bot.clock())
    await bot.start(watch=False)
    snapshot = bot.read_model.snapshot
    await bot.stop()
    return snapshot


def documents(
    snapshot: Snapshot, synthetic: bool
) -> tuple[dict[str, Callable[[], Document]], dict[str, Callable[[], Chart]]]:
    if synthetic:
        rel, month, since, today = (
            snapshot.releases[len(snapshot.releases) // 2],
            date(2029, 1, 1),
            date(2029, 1, 1),
            date(2030, 1, 1),
        )
    else:
        rel, month, since, today = (
            snapshot.release_by_slug["june-2021"],
            date(2016, 12, 1),
            date(2020, 11, 6),
            date(2020, 12, 4),
        )
    docs = {
        f"RID {rel.slug}": lambda: rid_document(build_rid_model(snapshot, rel, today)),
        f"status report {month:%Y-%m}": lambda: status_report_document(snapshot, month, today),
        "Panel update": lambda: panel_update_document(snapshot, since, today),
    }
    charts = {
        f"timeline {rel.slug}": lambda: release_timeline(snapshot, rel, today),
        "timeline, all releases": lambda: all_releases_timeline(snapshot, today),
        "progress chart": lambda: progress_chart(snapshot, today),
    }
    return docs, charts


Heavy = list[tuple[Callable[[], Document | Chart], str]]


def table(snapshot: Snapshot, synthetic: bool, runs: int) -> Heavy:
    docs, charts = documents(snapshot, synthetic)
    heavy: Heavy = []
    print(f"{'document':<28} {'model':>8} {'text':>8} {'md':>8} {'docx':>8} {'pdf':>8}   ratio docx/text  pdf/text")
    for name, build in docs.items():
        doc = build()
        model = median_ms(build, runs)
        text = median_ms(lambda build=build: render_text(document_reply(build())), runs)  # type: ignore[misc]
        timings = {
            fmt: median_ms(lambda fmt=fmt, build=build: render(build(), fmt), runs) for fmt in ("md", "docx", "pdf")
        }  # type: ignore[misc]
        pages = len(list(doc.sections))
        print(f"{name:<28} {model:>6.1f}ms {text:>6.1f}ms {timings['md']:>6.1f}ms {timings['docx']:>6.0f}ms {timings['pdf']:>6.0f}ms"
              f"   {timings['docx'] / text:>10.0f}x {timings['pdf'] / text:>8.0f}x   ({pages} sections)")  # fmt: skip
        heavy += [(build, "docx"), (build, "pdf")]
    for name, chart in charts.items():
        png = median_ms(lambda chart=chart: render_png(chart()), runs)  # type: ignore[misc]
        text = median_ms(lambda chart=chart: render_text(document_reply(Document("x", "x", "", ()))) and chart(), runs)  # type: ignore[misc]
        print(
            f"{name:<28} {'':>8} {text:>6.1f}ms {'':>8} {'':>8} {'':>8}   png {png:>6.0f}ms ({png / max(text, 0.001):.0f}x the data)"
        )
        heavy.append((chart, "png"))
    return heavy


async def stall(heavy: Heavy, pool: Executor | None) -> float:
    """The longest the event loop went without running a 1 ms ticker while each file was built off the loop
    (the model in a thread, the file in a thread, charts in `pool`: a process, or None for a thread)."""
    worst = 0.0
    for make, fmt in heavy:
        done = asyncio.Event()

        async def ticker(done: asyncio.Event = done) -> float:
            longest, last = 0.0, time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                longest, last = max(longest, now - last - 0.001), now
            return longest

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.01)
        made = await asyncio.to_thread(make)
        await render_async(made, fmt, pool)  # type: ignore[arg-type]
        done.set()
        worst = max(worst, await task)
    return worst * 1000


async def stalls(heavy: Heavy) -> tuple[float, float]:
    pool = chart_pool()
    try:
        await asyncio.get_running_loop().run_in_executor(pool, render_png, BarChart("warm-up", (Bar("a", 1),)))
        in_process = await stall(heavy, pool)
    finally:
        pool.shutdown()
    return in_process, await stall(heavy, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--per-release", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="100 releases, 1 run (make bench QUICK=1)")
    args = parser.parse_args()
    if args.quick:
        args.releases, args.runs = 100, 1
    for synthetic in (False, True):
        snapshot = asyncio.run(load(synthetic, args.releases, args.per_release))
        label = (
            f"synthetic store: {args.releases} releases x {args.per_release} modifications"
            if synthetic
            else "demo data (four seed papers)"
        )
        print(f"\n== {label}")
        heavy = table(snapshot, synthetic, args.runs)
        in_process, threads_only = asyncio.run(stalls(heavy))
        print(
            f"event loop: longest stall while building every file above off the loop: {in_process:.1f} ms with charts drawn in a "
            f"process (target < 50 ms); {threads_only:.1f} ms with charts drawn in a thread too"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
