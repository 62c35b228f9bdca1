"""Teams activities over real HTTP: what the JWT check and the card reply cost per request.

Three processes: the bot (`bot.web` app with the Teams adapter, demo data, signing keys pointed
at this process's loopback JWKS), a fake Bot Connector that answers 201, and this one, sending
activities from 32 concurrent clients (`--clients`). Scenarios:
1. a message `release june-2021 scope`: JWT check, answer (cached), card POSTed to the connector;
2. an Action.Execute click on page 2 of `release june-2021 rid`: JWT check, answer, card in the
   invoke response (nothing outbound);
3. the same message with a forged token: refused with 401.
Run: `.venv/bin/python benchmarks/teams_http.py [-n 2000]`.
"""

from __future__ import annotations

import argparse
import asyncio
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
        async with http.post(url, json=activity, headers=headers) as response:
            await response.read()
            return response.status == expect

    return await timed(request, n, warmup, clients)


async def main(n: int, warmup: int, clients: int) -> int:
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
    bot_port, connector_port = free_port(), free_port()
    connector = f"http://127.0.0.1:{connector_port}"
    processes = []
    with SigningKeys() as keys:
        try:
            for role, extra in (("connector", []), ("bot", [keys.url, database_url])):
                port = connector_port if role == "connector" else bot_port
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable, __file__, "--role", role, "--port", str(port), *extra, env=env
                    )
                )
            await wait_up(f"{connector}/")
            await wait_up(f"http://127.0.0.1:{bot_port}/healthz")
            url = f"http://127.0.0.1:{bot_port}/api/messages"
            token = keys.token(connector)
            scenarios = {
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
            for name, (activity, bearer, expect) in scenarios.items():
                lat, rps, errors = await load(url, activity, bearer, n, warmup, expect, clients)
                failed += errors
                print(
                    f"{name:<36}{pct(lat, 0.5):>9.2f}{pct(lat, 0.99):>9.2f}{statistics.mean(lat):>9.2f}{rps:>9.0f}{errors:>8}"
                )
            print(f"\nJWKS fetches by the bot: {keys.fetches} (the SDK caches the keys for 5 minutes)")
        finally:
            for process in processes:
                process.terminate()
                await process.wait()
    shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--role", choices=("bot", "connector"))
    parser.add_argument("--port", type=int)
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    if args.role == "connector":
        run_connector(args.port)
    elif args.role == "bot":
        run_bot(args.port, *args.extra)
    else:
        sys.exit(asyncio.run(main(args.n, args.warmup, args.clients)))
