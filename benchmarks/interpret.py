"""What reading a question in plain words costs, beside parsing the command it stands for.

On the demo data (the four papers) and on a generated store of 1,000 releases x 50 modifications
(SQLite), each question is read by the interpreter (`commands.interpret.interpret`, vocabulary
already built) and its equivalent command is parsed (`commands.parse.parse_line`); then both are
answered end to end and rendered for Slack (`Interpreter.answer` against the bot's own answer to the
command; `Answers.answer` does not cache, so every reply is computed). Prints p50 / p99 per step,
the ratio question / command of the p50s, and the time to build the vocabulary once per state version.
Run: `.venv/bin/python benchmarks/interpret.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from commands.interpret import Interpreter
from commands.language import Command
from commands.parse import parse_line
from commands.render import render_slack
from store.seed import seed_demo
from store.synthetic import generate

DEMO_DAY = date(2020, 12, 4)
DEMO = [
    ("when is the feb 2021 go/no-go", "/release february-2021 timeline"),
    ("what's in june 2021", "/release june-2021 scope"),
    ("what is a SEC Release", "/release glossary SEC Release"),
    ("due next week", "/release due next week"),
    ("which releases touch Appendix O", "/release find Appendix O"),
    ("is MP122A approved", "/mod MP122A"),
    ("what changed in june 2021 since november", "/release june-2021 changes since 2020-11-01"),
    ("how much will the february 2021 release cost", "/release february-2021 costs"),
    ("which modifications affect Other SEC Parties", "/release find Other SEC Parties"),
    ("what's targeted but not yet decided", "/release targeted"),
    ("10 working days after 23 Nov 2016", "/workdays 2016-11-23 +10"),
    ("tell me about the planned maintenance change", "/mod MP092"),
    ("what is the timline for june 2021", "/release june-2021 timeline"),
    ("what does DUIS stand for", "/release glossary DUIS"),
    ("when is the next go/no-go", "/release february-2021 timeline"),
]
SYNTHETIC_DAY = date(2030, 1, 10)
SYNTHETIC = [
    ("what's in june 2031", "/release june-2031 scope"),
    ("when does the november 2040 release go live", "/release november-2040 timeline"),
    ("what's in the june release", "/release june-2030 scope"),
    ("is MP1234 approved", "/mod MP1234"),
    ("tell me about MP40001", "/mod MP40001"),
    ("which releases touch Appendix O", "/release find Appendix O"),
    ("what is due next week", "/release due next week"),
    ("what changed in february 2035 since 1 jan 2029", "/release february-2035 changes since 2029-01-01"),
    ("how much will february 2031 cost", "/release february-2031 costs"),
    ("when is the next go live", "/release february-2030 timeline"),
]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_sync(rounds: int, items: list[str], call: Callable[[str], object]) -> list[float]:
    samples = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            call(item)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


async def timed(rounds: int, items: list[str], call: Callable[[str], Awaitable[object]]) -> list[float]:
    samples = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            await call(item)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def row(name: str, samples: list[float]) -> str:
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    return f"  {name:<34}{p50:>9.3f}{p99:>9.3f}{statistics.mean(samples):>9.3f}"


async def run(label: str, bot: Releasebot, today: date, pairs: list[tuple[str, str]], rounds: int) -> None:
    snap = bot.read_model.snapshot
    interpreter = Interpreter(bot.table.grammar)
    t0 = time.perf_counter()
    interpreter.vocabularies.get(snap, interpreter.lexicon)
    build_ms = (time.perf_counter() - t0) * 1000
    readings = {q: r.command if (r := interpreter.interpret(q, snap, today).best) else None for q, _ in pairs}
    wrong = [(q, readings[q]) for q, want in pairs if readings[q] != want]
    questions, commands = [q for q, _ in pairs], [c for _, c in pairs]
    grammar = bot.table.grammar
    assert all(isinstance(parse_line(grammar, c, today), Command) for c in commands)
    read = timed_sync(rounds, questions, lambda q: interpreter.interpret(q, snap, today))
    parsed = timed_sync(rounds, commands, lambda c: parse_line(grammar, c, today))
    actor = bot.actors.resolve("console", "console")

    async def ask(q: str) -> object:  # bot.answer does not cache: every reply is computed, then rendered
        return render_slack(
            await interpreter.answer(q, snap, today, lambda text: bot.answers.answer(None, text, actor))
        )

    async def command(c: str) -> object:
        return render_slack(await bot.answers.answer(None, c, actor))

    answered_q = await timed(max(1, rounds // 10), questions, ask)
    answered_c = await timed(max(1, rounds // 10), commands, command)
    size = f"{len(snap.releases)} releases, {len(snap.mod_by_id)} modifications"
    print(f"\n{label}: {size}; vocabulary built in {build_ms:.1f} ms")
    if wrong:
        print(f"  read differently than expected: {wrong}")
    print(f"  {'step':<34}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    steps = {
        "interpret the question": read,
        "parse the command": parsed,
        "answer the question (end to end)": answered_q,
        "answer the command (end to end)": answered_c,
    }
    for name, samples in steps.items():
        print(row(name, samples))
    ratio = percentile(read, 0.5) / percentile(parsed, 0.5)
    end_to_end = percentile(answered_q, 0.5) / percentile(answered_c, 0.5)
    print(f"  ratio question / command, p50: reading {ratio:.1f}x, answering end to end {end_to_end:.2f}x")


async def main(releases: int, per_release: int, rounds: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="releasebot-interpret-"))
    demo = create_bot(load_settings(database_url=f"sqlite+aiosqlite:///{folder / 'demo.db'}"),
                      clock=lambda: datetime(2020, 12, 4, 12, tzinfo=UTC))  # fmt: skip
    await demo.db.upgrade()
    await seed_demo(demo.db, demo.clock())
    await demo.start(watch=False)
    await run("demo data (4 Dec 2020)", demo, DEMO_DAY, DEMO, rounds)
    await demo.stop()
    big = create_bot(load_settings(database_url=f"sqlite+aiosqlite:///{folder / 'big.db'}"),
                     clock=lambda: datetime(2030, 1, 10, 12, tzinfo=UTC))  # fmt: skip
    await big.db.upgrade()
    await generate(big.db, releases, per_release)
    await big.start(watch=False)
    await run(f"generated store ({releases} x {per_release})", big, SYNTHETIC_DAY, SYNTHETIC, rounds)
    await big.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--per-release", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=200, help="passes over the questions")
    parser.add_argument("--quick", action="store_true", help="100 releases, 30 passes (make bench QUICK=1)")
    args = parser.parse_args()
    if args.quick:
        args.releases, args.rounds = 100, 30
    sys.exit(asyncio.run(main(args.releases, args.per_release, args.rounds)))
