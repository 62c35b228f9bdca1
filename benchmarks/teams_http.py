"""Teams activities over real HTTP: what the JWT check and the card reply cost per request.

Three processes: the bot (`bot.web` app with the Teams adapter, demo data, signing keys pointed
at this process's loopback JWKS), a fake Bot Connector that answers 201, and this one, sending
activities from 32 concurrent clients (`--clients`). Scenarios:
1. a message `release june-2021 scope`: JWT check, answer (cached), card POSTed to the connector;
2. an Action.Execute click on page 2 of `release june-2021 rid`: JWT check, answer, card in the
   invoke response (nothing outbound);
3. the same message with a forged token: refused with 401.

Then the comparison (issue 13, item 5): a bare microsoft-teams-apps app (the SDK's `App` on the
same Starlette + uvicorn stack, one message handler sending a fixed card) against releasebot,
both sending the same card (`release june-2021 scope`, rendered once beforehand); rounds in
alternating order, then `--messages` messages (10,000) to each and its resident memory before
and after. Run: `.venv/bin/python benchmarks/teams_http.py [-n 2000] [--quick]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slack_http import free_port, pct, timed  # noqa: E402
from tests.teamsreq import (  # noqa: E402
    APP_ID,
    TENANT,
    SigningKeys,
    card_action,
    message,
    outbound_token,
)


def run_connector(port: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def sent(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"id": "1700000000001"}, status_code=201)

    uvicorn.run(
        Starlette(routes=[Route("/{path:path}", sent, methods=["POST", "PUT"])]),
        port=port,
        log_level="warning",
        access_log=False,
    )


def run_bare(port: int, jwks: str, card_file: str, meters: str = "sdk") -> None:
    """The baseline: the SDK's App, one handler sending a fixed card, nothing else (with
    `meters` "noop", OpenTelemetry's no-op meter provider too, as releasebot sets it)."""
    import json

    import uvicorn
    from starlette.applications import Starlette

    from bot.teams.cards import card_message
    from bot.teams.http import StarletteRoutes
    from bot.teams.sdk import PUBLIC, App, with_overrides

    card = json.loads(Path(card_file).read_text(encoding="utf-8"))
    if meters == "noop":
        from bot.teams.sdk import release_meters

        release_meters()
    routes = StarletteRoutes()
    app = App(
        client_id=APP_ID,
        tenant_id=TENANT,
        token=outbound_token,
        cloud=with_overrides(PUBLIC, openid_metadata_url=f"{jwks}/v1/.well-known/openidconfiguration"),
        http_server_adapter=routes,
        messaging_endpoint="/api/messages",
        dangerously_allow_unauthenticated_requests=False,
    )

    @app.on_message
    async def answer(ctx) -> None:  # type: ignore[no-untyped-def]
        await ctx.send(card_message(card))

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette):  # type: ignore[no-untyped-def]
        await app.initialize()
        yield

    web = Starlette(routes=[routes.route("/api/messages")], lifespan=lifespan)
    uvicorn.run(web, port=port, log_level="warning", access_log=False, lifespan="on")


async def render_card(database_url: str, path: Path) -> None:
    """The card releasebot sends for the benchmark's message, for the bare app to send too."""
    import json

    from bot.app import create_bot, load_settings
    from commands.render import render_teams

    bot = create_bot(load_settings(database_url=database_url))
    await bot.start(watch=False)
    try:
        actor = bot.actors.resolve("teams", "bench")
        _, card = await bot.answers.line_rendered("release june-2021 scope", actor, "teams", render_fn=render_teams)
    finally:
        await bot.stop()
    path.write_text(json.dumps(card), encoding="utf-8")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_bot(port: int, jwks: str, database_url: str) -> None:
    import uvicorn

    from bot.app import create_bot, load_settings
    from bot.teams.app import TeamsAdapter
    from bot.teams.config import teams_config
    from bot.teams.sdk import PUBLIC, with_overrides
    from bot.web import create_web_app

    settings = load_settings(
        database_url=database_url, teams_client_id=APP_ID, teams_client_secret="bench", teams_tenant_id=TENANT
    )
    config = teams_config(settings)
    assert config is not None
    bot = create_bot(settings)
    cloud = with_overrides(PUBLIC, openid_metadata_url=f"{jwks}/v1/.well-known/openidconfiguration")
    adapter = TeamsAdapter(bot, config, cloud=cloud, token=outbound_token)
    bot.services.add(adapter)
    uvicorn.run(
        create_web_app(bot, routes=adapter.routes()), port=port, log_level="warning", access_log=False, lifespan="on"
    )


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            try:
                async with http.get(url) as r:
                    if r.status in (200, 404, 405):
                        return
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


async def load(
    url: str, activity: dict[str, Any], token: str, n: int, warmup: int, expect: int, clients: int
) -> tuple[list[float], float, int]:
    headers = {"authorization": f"Bearer {token}"}

    async def request(http: aiohttp.ClientSession) -> bool:
        try:
            async with http.post(url, json=activity, headers=headers) as response:
                await response.read()
                return response.status == expect
        except aiohttp.ClientError:  # a connection the server closed: counted as an error
            return False

    return await timed(request, n, warmup, clients)


async def start(role: str, port: int, extra: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--role", role, "--port", str(port), *extra, env=env
    )


async def stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    await process.wait()


Result = tuple[list[float], float, int]


async def scenarios(
    connector: str, keys: SigningKeys, database_url: str, env: dict[str, str], n: int, warmup: int, clients: int
) -> int:
    """releasebot alone: the three kinds of request."""
    port = free_port()
    process = await start("bot", port, [keys.url, database_url], env)
    try:
        await wait_up(f"http://127.0.0.1:{port}/healthz")
        url = f"http://127.0.0.1:{port}/api/messages"
        token = keys.token(connector)
        cases = {
            "message -> card to the connector": (message(connector, "release june-2021 scope"), token, 200),
            "Action.Execute page 2 -> card": (
                card_action(connector, "releasebot.page", {"c": "release june-2021 rid", "p": 2}),
                token,
                200,
            ),
            "forged token -> 401": (
                message(connector, "release june-2021 scope"),
                SigningKeys(keys.kid).token(connector),
                401,
            ),
        }
        print(
            f"{clients} concurrent clients, {n} timed requests each (after {warmup} warm-up), loopback HTTP, RS256 tokens\n"
        )
        print(f"{'scenario':<36}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'req/s':>9}{'errors':>8}")
        failed = 0
        for name, (activity, bearer, expect) in cases.items():
            lat, rps, errors = await load(url, activity, bearer, n, warmup, expect, clients)
            failed += errors
            print(
                f"{name:<36}{pct(lat, 0.5):>9.2f}{pct(lat, 0.99):>9.2f}{statistics.mean(lat):>9.2f}{rps:>9.0f}{errors:>8}"
            )
    finally:
        await stop(process)
    return failed


async def compare(
    connector: str, keys: SigningKeys, args: dict[str, list[str]], env: dict[str, str], opts: argparse.Namespace
) -> int:
    """Bare SDK app and releasebot sending the same card: alternating rounds, then memory over many messages."""
    results: dict[str, Result] = {}
    memory: dict[str, tuple[float, float, float]] = {}
    names = list(args)
    activity = message(connector, "release june-2021 scope")
    token = keys.token(connector)
    for r in range(opts.rounds):
        last = r == opts.rounds - 1
        for name in names if r % 2 == 0 else reversed(names):
            port = free_port()
            role = "bare" if name.startswith("bare") else "bot"
            process = await start(role, port, args[name], env)
            try:
                await wait_up(f"http://127.0.0.1:{port}/healthz" if role == "bot" else f"http://127.0.0.1:{port}/")
                url = f"http://127.0.0.1:{port}/api/messages"
                got = await load(url, activity, token, opts.n, opts.warmup, 200, opts.clients)
                lat, rps, errors = results.get(name, ([], 0.0, 0))
                results[name] = (lat + got[0], rps + got[1] / opts.rounds, errors + got[2])
                print(f"round {r + 1}: {name:<34} p50 {pct(got[0], 0.5):7.2f} ms  {got[1]:6.0f} req/s")
                if last:  # memory: a fresh count of messages on top of the timed ones
                    before = rss_mb(process.pid)
                    await load(url, activity, token, opts.messages // 2, 0, 200, opts.clients)
                    middle = rss_mb(process.pid)
                    await load(url, activity, token, opts.messages - opts.messages // 2, 0, 200, opts.clients)
                    memory[name] = (before, middle, rss_mb(process.pid))
            finally:
                await stop(process)
    half = opts.messages - opts.messages // 2
    print(f"\nthe same card, {opts.clients} clients, {opts.n} timed requests x {opts.rounds} rounds")
    print(f"RSS before {opts.messages:,} more messages, after half of them, after all; growth over the second half")
    print("| server | p50 | p99 | req/s | RSS before | half-way | after | growth per message, 2nd half |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (lat, rps, _) in results.items():
        before, middle, after = memory[name]
        per = (after - middle) * 1024 * 1024 / half
        print(
            f"| {name} | {pct(lat, 0.5):.1f} ms | {pct(lat, 0.99):.1f} ms | {rps:.0f} "
            f"| {before:.0f} MB | {middle:.0f} MB | {after:.0f} MB | {per:,.0f} B |"
        )
    ours_lat, ours_rps, ours_errors = results[names[1]]
    print()
    for base in (names[0], names[2]):
        bare_lat, bare_rps, _ = results[base]
        print(
            f"releasebot / {base}: p50 {pct(ours_lat, 0.5) / pct(bare_lat, 0.5):.2f}x, "
            f"p99 {pct(ours_lat, 0.99) / pct(bare_lat, 0.99):.2f}x, throughput {ours_rps / bare_rps:.2f}x"
        )
    return ours_errors


async def main(opts: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="releasebot-teamsbench-"))
    database_url = f"sqlite+aiosqlite:///{folder / 'demo.db'}"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEAMS_", "SLACK_", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"))
    }
    seed = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "seed", "demo", env={**env, "RELEASEBOT_DATABASE_URL": database_url}, cwd=ROOT
    )
    await seed.wait()
    card = folder / "card.json"
    await render_card(database_url, card)
    connector_port = free_port()
    connector = f"http://127.0.0.1:{connector_port}"
    failed = 0
    with SigningKeys() as keys:
        fake = await start("connector", connector_port, [], env)
        try:
            await wait_up(f"{connector}/")
            if not opts.compare_only:
                failed += await scenarios(connector, keys, database_url, env, opts.n, opts.warmup, opts.clients)
                print()
            sides = {
                "bare microsoft-teams-apps app": [keys.url, str(card)],
                "releasebot": [keys.url, database_url],
                "bare app + no-op meter provider": [keys.url, str(card), "noop"],
            }
            failed += await compare(connector, keys, sides, env, opts)
            print(f"\nJWKS fetches: {keys.fetches} (the SDK caches the keys for 5 minutes)")
        finally:
            await stop(fake)
    shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--messages", type=int, default=10_000, help="messages for the memory figure")
    parser.add_argument("--compare-only", action="store_true", help="skip the three scenarios")
    parser.add_argument("--quick", action="store_true", help="-n 300, 1 round, 2,000 messages")
    parser.add_argument("--role", choices=("bot", "bare", "connector"))
    parser.add_argument("--port", type=int)
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    if args.quick:
        args.n, args.warmup, args.rounds, args.messages = 300, 50, 1, 2000
    if args.role == "connector":
        run_connector(args.port)
    elif args.role == "bot":
        run_bot(args.port, *args.extra)
    elif args.role == "bare":
        run_bare(args.port, *args.extra)
    else:
        sys.exit(asyncio.run(main(args)))
