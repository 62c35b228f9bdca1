"""Slack slash commands over real HTTP: releasebot against a bare bolt app, in one run.

1. a bare bolt AsyncApp acking /release with static text (benchmarks/bare_bolt.py),
2. `releasebot serve` on the demo data answering `/release june-2021 scope` (full Block Kit reply),
3. (baseline for the design note) the bare app doing one SQL select per request.
Each gets signed requests from 32 concurrent clients (another process), a warm-up, then N timed
requests. Prints p50/p99 latency and throughput, and releasebot's ratios to the bare app.
Targets: p50 within 1.15x of the bare app's, throughput at least 0.85x.
Run: `.venv/bin/python benchmarks/slack_http.py [-n 3000] [--rounds 2]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
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


def body(text: str) -> str:
    return urlencode(
        {
            "token": "x",
            "team_id": "T0TEAM",
            "channel_id": "C0REL",
            "channel_name": "releases",
            "user_id": "U0PANEL01",
            "user_name": "panel",
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
    request: Callable[[aiohttp.ClientSession], Awaitable[bool]], n: int, warmup: int, clients: int = CONCURRENCY
) -> tuple[list[float], float, int]:
    """(latencies in ms, requests/s, failures) of `n` requests after `warmup`, from `clients` at once."""
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[bool] = asyncio.Queue()
    for k in range(warmup + n):
        queue.put_nowait(k >= warmup)
    timed_start = 0.0

    async def worker(http: aiohttp.ClientSession) -> None:
        nonlocal errors, timed_start
        while not queue.empty():
            is_timed = queue.get_nowait()
            if is_timed and not timed_start:
                timed_start = time.perf_counter()
            start = time.perf_counter()
            ok = await request(http)
            if is_timed:
                latencies.append((time.perf_counter() - start) * 1000)
                errors += 0 if ok else 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(worker(http) for _ in range(clients)))
    elapsed = time.perf_counter() - timed_start
    return latencies, len(latencies) / elapsed, errors


async def load(url: str, text: str, n: int, warmup: int) -> tuple[list[float], float, int]:
    verifier = SignatureVerifier(SECRET)

    async def request(http: aiohttp.ClientSession) -> bool:
        payload = body(text)
        ts = str(int(time.time()))
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": ts,
            "x-slack-signature": verifier.generate_signature(timestamp=ts, body=payload),
        }
        async with http.post(url, data=payload.encode(), headers=headers) as response:
            await response.read()
            return response.status == 200

    return await timed(request, n, warmup)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_server(
    args: list[str], env: dict[str, str], url: str, text: str, n: int, warmup: int
) -> tuple[list[float], float, int]:
    process = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    try:
        await wait_up(url)
        return await load(url, text, n, warmup)
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
    bare_name, ours_name, db_name = (
        "bare bolt app (static ack)",
        "releasebot serve (scope reply)",
        "bare app + 1 SQL query/request",
    )
    results: dict[str, tuple[list[float], float, int]] = {}
    serve_env = {
        **env,
        "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
    }

    def merge(name: str, got: tuple[list[float], float, int], rounds: int) -> None:
        lat, rps, errors = results.get(name, ([], 0.0, 0))
        results[name] = (lat + got[0], rps + got[1] / rounds, errors + got[2])

    async with FakeSlack() as fake:
        serve_env["SLACK_API_URL"] = fake.api_url

        def bare_args(port: int) -> list[str]:
            return [
                python,
                str(ROOT / "benchmarks" / "bare_bolt.py"),
                "--port",
                str(port),
                "--api-url",
                fake.api_url,
                "--secret",
                SECRET,
            ]

        async def one(name: str) -> tuple[list[float], float, int]:
            port = free_port()
            url = f"http://127.0.0.1:{port}/slack/events"
            if name == bare_name:
                return await run_server(bare_args(port), env, url, "june-2021 scope", n, warmup)
            if name == ours_name:
                return await run_server(
                    [python, "-m", "bot", "serve", "--port", str(port)], serve_env, url, "june-2021 scope", n, warmup
                )
            return await run_server(
                [*bare_args(port), "--query", f"sqlite+aiosqlite:///{db}"], env, url, "june-2021 scope", n, warmup
            )

        # Alternate the order each round so neither server always runs on a warmer machine.
        for r in range(rounds):
            for name in (bare_name, ours_name) if r % 2 == 0 else (ours_name, bare_name):
                got = await one(name)
                print(f"round {r + 1}: {name:<32} p50 {pct(got[0], 0.5):6.2f} ms  {got[1]:6.0f} req/s")
                merge(name, got, rounds)
        if with_db:
            merge(db_name, await one(db_name), 1)
    shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\n{CONCURRENCY} concurrent clients, {n} timed requests per run (after {warmup} warm-up), {rounds} rounds, signed, loopback HTTP\n"
    )
    print(f"{'server':<34}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'req/s':>9}{'errors':>8}")
    for name, (lat, rps, errors) in results.items():
        print(
            f"{name:<34}{pct(lat, 0.5):>9.2f}{pct(lat, 0.99):>9.2f}{statistics.mean(lat):>9.2f}{rps:>9.0f}{errors:>8}"
        )
    bare_lat, bare_rps, _ = results[bare_name]
    ours_lat, ours_rps, ours_errors = results[ours_name]
    p50_ratio = pct(ours_lat, 0.5) / pct(bare_lat, 0.5)
    rps_ratio = ours_rps / bare_rps
    print(f"\nreleasebot / bare: p50 {p50_ratio:.2f}x (target <= 1.15x), throughput {rps_ratio:.2f}x (target >= 0.85x)")
    if with_db:
        db_lat, db_rps, _ = results[db_name]
        print(
            f"bare + SQL query / bare: p50 {pct(db_lat, 0.5) / pct(bare_lat, 0.5):.2f}x, throughput {db_rps / bare_rps:.2f}x"
        )
    return 0 if p50_ratio <= 1.15 and rps_ratio >= 0.85 and ours_errors == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-db-baseline", action="store_true")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.n, args.warmup, not args.no_db_baseline, args.rounds)))
