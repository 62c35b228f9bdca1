"""Start-up: `releasebot --help` and `releasebot ask "/release"` beside `python -c pass`.

Each command runs as a fresh process, in interleaved rounds (pass, help, ask, pass, ...), so a
busy moment on the shared machine hits all three alike; the figures are medians and the ratio is
to the median of `python -c pass` in the same run. `ask` answers from a temporary SQLite store
with the demo data (seeded before timing). Bytecode is cached in a temporary folder, as an
installed package has it (`--no-bytecode` compiles every module from source on each run instead).
Targets (issue 13): `--help` under 0.3 s, `ask` under 1.0 s.

Run: `make bench` or `.venv/bin/python benchmarks/startup.py [--rounds N] [--quick]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ("python -c pass", ["-c", "pass"], None),
    ("releasebot --help", ["-m", "bot", "--help"], 0.3),
    ('releasebot ask "/release"', ["-m", "bot", "ask", "/release"], 1.0),
)


def environment(folder: Path, bytecode: bool, tree: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env["RELEASEBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{folder / 'startup.db'}"
    env.pop("RELEASEBOT_TODAY", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU is steadier when the machine is busy)."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, *args], env=env, cwd=env["PYTHONPATH"], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return elapsed, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="5 rounds")
    parser.add_argument("--no-bytecode", action="store_true", help="compile from source every run")
    parser.add_argument("--tree", type=Path, default=ROOT, help="time another checkout (e.g. before a change)")
    args = parser.parse_args()
    rounds = 5 if args.quick else args.rounds
    with tempfile.TemporaryDirectory(prefix="releasebot-startup-") as tmp:
        folder = Path(tmp)
        env = environment(folder, bytecode=not args.no_bytecode, tree=args.tree.resolve())
        once(["-m", "bot", "seed", "demo"], env)  # also the warm-up: creates the schema, writes bytecode
        for _, argv, _ in COMMANDS:
            once(argv, env)
        wall: dict[str, list[float]] = {name: [] for name, _, _ in COMMANDS}
        cpu: dict[str, list[float]] = {name: [] for name, _, _ in COMMANDS}
        for _ in range(rounds):
            for name, argv, _ in COMMANDS:
                w, c = once(argv, env)
                wall[name].append(w)
                cpu[name].append(c)
    base, base_cpu = (statistics.median(d[COMMANDS[0][0]]) for d in (wall, cpu))
    kind = "bytecode cached" if not args.no_bytecode else "no bytecode"
    print(f"start-up, {rounds} interleaved rounds, medians ({kind}); baseline `python -c pass`")
    print("| command | wall | baseline | ratio | CPU | baseline | ratio | target |")
    print("|---|---|---|---|---|---|---|---|")
    for name, _, target in COMMANDS:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        verdict = "" if target is None else (f"< {target:g} s: " + ("met" if w < target else "MISSED"))
        print(
            f"| {name} | {w * 1000:.0f} ms | {base * 1000:.0f} ms | {w / base:.1f}x "
            f"| {c * 1000:.0f} ms | {base_cpu * 1000:.0f} ms | {c / base_cpu:.1f}x | {verdict} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
