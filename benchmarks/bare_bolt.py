"""The baseline for benchmarks/slack_http.py: a bare bolt AsyncApp that acks /release with static text.

Served the same way as `releasebot serve` (Starlette + uvicorn), so the comparison measures what
releasebot does per request, not a different web stack. With --query it also runs one indexed
SQL select per request (the design's "per-request database query" baseline).
"""

from __future__ import annotations

import argparse

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--query", help="database URL: run one SQL select per request")
    args = parser.parse_args()

    app = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=args.api_url), signing_secret=args.secret)
    engine = None
    if args.query:
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(args.query)
        statement = sa.text(
            "SELECT m.ref, m.title, s.state FROM scopechange s JOIN modification m ON m.id = s.modification_id "
            "JOIN release r ON r.id = s.release_id WHERE r.slug = :slug"
        )

    @app.command("/release")
    async def release(ack):  # type: ignore[no-untyped-def]
        if engine is not None:
            async with engine.connect() as conn:
                rows = (await conn.execute(statement, {"slug": "june-2021"})).all()
            await ack(f"{len(rows)} rows")
        else:
            await ack("ok")

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    web = Starlette(routes=[Route("/slack/events", events, methods=["POST"])])
    uvicorn.run(web, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
