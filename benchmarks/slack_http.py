"""Slack slash commands over real HTTP: releasebot against a bare bolt app, in one run.

1. a bare bolt AsyncApp acking /release with static text (benchmarks/bare_bolt.py);
2. `releasebot serve` on the demo data answering with the full Block Kit reply, four ways:
   cached (`/release june-2021 scope` every time) or uncached (a different question each
   request: `/release <slug> scope as of <date>` over the demo releases and many dates), each
   asked by a member (U0PANEL01) and by a user who is not a member (most of a workspace);
3. (baseline for the design note) the bare app doing one SQL select per request.
Each gets signed requests from 32 concurrent clients, a warm-up, then N timed requests, in
rounds whose order alternates. Prints p50/p99 latency and throughput, and each row's ratios to
the bare app. Targets (issue 13): throughput >= 0.8x and p99 within 1.5x, every row.
Run: `.venv/bin/python benchmarks/slack_http.py [-n 3000] [--rounds 2] [--quick]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakeslack import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret"
CONCURRENCY = 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


MEMBER, STRANGER = "U0PANEL01", "U0VISITOR9"  # a Panel member of the demo data; nobody
RELEASES = (
    ("june-2021", date(2021, 6, 24)),
    ("november-2021", date(2021, 11, 4)),
    ("february-2021", date(2021, 2, 25)),
    ("june-2022", date(2022, 6, 30)),
    ("june-2018", date(2018, 6, 28)),
    ("february-2018", date(2018, 2, 22)),
    ("november-2017", date(2017, 11, 2)),
    ("june-2017", date(2017, 6, 29)),
)


def cached_question(_: int) -> str:
    return "june-2021 scope"


def uncached_question(k: int) -> str:
    """The k-th question: a release and a day in the two years before its go-live, none repeated."""
    slug, go_live = RELEASES[k % len(RELEASES)]
    return f"{slug} scope as of {(go_live - timedelta(days=k // len(RELEASES) % 730)).isoformat()}"


def body(text: str, user_id: str = MEMBER) -> str:
    return urlencode(
        {
            "token": "x",
            "team_id": "T0TEAM",
            "channel_id": "C0REL",
            "channel_name": "releases",
            "user_id": user_id,
            "user_name": "panel" if user_id == MEMBER else "visitor",
            "command": "/release",
            "text": text,
            "api_app_id": "A0",
            "response_url": "http://127.0.0.1:9/r",
            "trigger_id": uuid.uuid4().hex,  # every request is a new one: the replay guard refuses repeats
        }
    )


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            try:
                async with http.post(url, data=b"") as r:
                    if r.status in (200, 401, 404):
                        return
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


async def timed(
    request: Callable[..., Awaitable[bool]], n: int, warmup: int, clients: int = CONCURRENCY, indexed: bool = False
) -> tuple[list[float], float, int]:
    """(latencies in ms, requests/s, failures) of `n` requests after `warmup`, from `clients` at
    once; with `indexed`, `request(http, k)` gets the request's number (0, 1, ...)."""
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for k in range(warmup + n):
        queue.put_nowait(k)
    timed_start = 0.0

    async def worker(http: aiohttp.ClientSession) -> None:
        nonlocal errors, timed_start
        while not queue.empty():
            k = queue.get_nowait()
            is_timed = k >= warmup
            if is_timed and not timed_start:
                timed_start = time.perf_counter()
            start = time.perf_counter()
            ok = await (request(http, k) if indexed else request(http))
            if is_timed:
                latencies.append((time.perf_counter() - start) * 1000)
                errors += 0 if ok else 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(worker(http) for _ in range(clients)))
    elapsed = time.perf_counter() - timed_start
    return latencies, len(latencies) / elapsed, errors


async def load(
    url: str, question: Callable[[int], str], user_id: str, n: int, warmup: int
) -> tuple[list[float], float, int]:
    verifier = SignatureVerifier(SECRET)

    async def request(http: aiohttp.ClientSession, k: int) -> bool:
        payload = body(question(k), user_id)
        ts = str(int(time.time()))
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": ts,
            "x-slack-signature": verifier.generate_signature(timestamp=ts, body=payload),
        }
        async with http.post(url, data=payload.encode(), headers=headers) as response:
            await response.read()
            return response.status == 200

    return await timed(request, n, warmup, indexed=True)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Result = tuple[list[float], float, int]
Load = tuple[Callable[[int], str], str]  # the question for request k, the asker

BARE, WITH_DB = "bare bolt app, static ack", "bare app + 1 SQL query/request"
OURS: dict[str, Load] = {
    "releasebot, cached, member": (cached_question, MEMBER),
    "releasebot, cached, non-member": (cached_question, STRANGER),
    "releasebot, uncached, member": (uncached_question, MEMBER),
    "releasebot, uncached, non-member": (uncached_question, STRANGER),
}


async def run_server(
    args: list[str], env: dict[str, str], url: str, loads: dict[str, Load], n: int, warmup: int, order: int
) -> dict[str, Result]:
    """Start a server, run each load against it (rotated by `order`), stop it."""
    process = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    names = list(loads)
    names = names[order % len(names) :] + names[: order % len(names)]
    try:
        await wait_up(url)
        return {name: await load(url, *loads[name], n, warmup) for name in names}
    finally:
        process.terminate()
        await process.wait()


async def main(n: int, warmup: int, with_db: bool, rounds: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="releasebot-slackbench-"))
    db = folder / "demo.db"
    python = sys.executable
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"))
    }
    seed = await asyncio.create_subprocess_exec(
        python,
        "-m",
        "bot",
        "seed",
        "demo",
        env={**env, "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}"},
        cwd=ROOT,
    )
    await seed.wait()
    results: dict[str, Result] = {}
    serve_env = {
        **env,
        "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
    }

    def merge(got: dict[str, Result], rounds: int) -> None:
        for name, (lat, rps, errors) in got.items():
            was = results.get(name, ([], 0.0, 0))
            results[name] = (was[0] + lat, was[1] + rps / rounds, was[2] + errors)

    async with FakeSlack() as fake:
        serve_env["SLACK_API_URL"] = fake.api_url
        bare = [python, str(ROOT / "benchmarks" / "bare_bolt.py"), "--api-url", fake.api_url, "--secret", SECRET]

        async def one(name: str, order: int) -> dict[str, Result]:
            port = free_port()
            url = f"http://127.0.0.1:{port}/slack/events"
            if name == BARE:
                return await run_server(
                    [*bare, "--port", str(port)], env, url, {BARE: (cached_question, MEMBER)}, n, warmup, 0
                )
            if name == WITH_DB:
                args = [*bare, "--port", str(port), "--query", f"sqlite+aiosqlite:///{db}"]
                return await run_server(args, env, url, {WITH_DB: (cached_question, MEMBER)}, n, warmup, 0)
            args = [python, "-m", "bot", "serve", "--port", str(port)]
            return await run_server(args, serve_env, url, OURS, n, warmup, order)

        # Alternate the order each round so neither server always runs on a warmer machine.
        for r in range(rounds):
            for name in ("bare", "ours") if r % 2 == 0 else ("ours", "bare"):
                got = await one(BARE if name == "bare" else "ours", r)
                for row, (lat, rps, _) in got.items():
                    print(f"round {r + 1}: {row:<34} p50 {pct(lat, 0.5):6.2f} ms  {rps:6.0f} req/s")
                merge(got, rounds)
        if with_db:
            merge(await one(WITH_DB, 0), 1)
    shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\n{CONCURRENCY} concurrent clients, {n} timed requests per run (after {warmup} warm-up), {rounds} rounds, signed, loopback HTTP"
    )
    bare_lat, bare_rps, _ = results[BARE]
    b50, b99 = pct(bare_lat, 0.5), pct(bare_lat, 0.99)
    print("| server | p50 | p99 | req/s | p50 ratio | p99 ratio | throughput ratio |")
    print("|---|---|---|---|---|---|---|")
    worst_rps, worst_p99, errors = 9.9, 0.0, 0
    for name, (lat, rps, err) in results.items():
        p50, p99 = pct(lat, 0.5), pct(lat, 0.99)
        print(
            f"| {name} | {p50:.2f} ms | {p99:.2f} ms | {rps:,.0f} | {p50 / b50:.2f}x | {p99 / b99:.2f}x | {rps / bare_rps:.2f}x |"
        )
        if name in OURS:
            worst_rps, worst_p99, errors = min(worst_rps, rps / bare_rps), max(worst_p99, p99 / b99), errors + err
    print(
        f"\nreleasebot, every row: throughput >= {worst_rps:.2f}x (target 0.8x), p99 <= {worst_p99:.2f}x (target 1.5x)"
    )
    return 0 if worst_rps >= 0.8 and worst_p99 <= 1.5 and errors == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-db-baseline", action="store_true")
    parser.add_argument("--quick", action="store_true", help="-n 1000, warm-up 200, 1 round, no SQL baseline")
    args = parser.parse_args()
    if args.quick:
        args.n, args.warmup, args.rounds, args.no_db_baseline = 1000, 200, 1, True
    sys.exit(asyncio.run(main(args.n, args.warmup, not args.no_db_baseline, args.rounds)))
