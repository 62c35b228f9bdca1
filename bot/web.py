"""The one HTTP server: Slack at /slack/events, health at /healthz, signed download links at
/documents/<token>, and what other parts mount.

`create_web_app` builds a Starlette app around a started `Releasebot`; its lifespan starts and
stops the bot and its background services (scheduler, read-model watcher). `releasebot serve`
runs it with uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot import messages
from bot.core import Releasebot
from bot.links import LinkExpired, LinkTampered
from bot.logs import quiet_accept_errors
from commands.documents.errors import DocumentError

__all__ = ["create_web_app"]


def create_web_app(
    bot: Releasebot, routes: Sequence[BaseRoute] = (), manage_bot: bool = True, freeze: bool = False
) -> Starlette:
    """Routes given by the adapters (Slack, Teams, calendar) plus /healthz and /documents/<token>.

    With `manage_bot` the server's lifespan starts and stops the bot and its services; without,
    whoever runs the server does (Socket Mode, tests). With `freeze` (`releasebot serve`), what
    exists once the bot is started (modules, the state) is moved out of the collector's sight
    (`gc.freeze`): a full collection then scans only what requests create, not the whole state,
    which is what made the slowest requests several times the median.
    """
    quiet_accept_errors()  # at a low file-descriptor limit: one line a minute, not one per retry

    async def healthz(request: Request) -> JSONResponse:
        try:
            async with asyncio.timeout(2):
                stored = await bot.db.version()
            store = "ok"
        except Exception:  # the store may be down; the read model still answers
            stored, store = None, "unavailable"
        held = bot.read_model.snapshot.version
        status = 200 if store == "ok" else 503
        return JSONResponse(
            {"ok": store == "ok", "store": store, "state_version": held, "stored_version": stored}, status_code=status
        )

    async def document(request: Request) -> Response:
        """A signed link from a Teams card: 403 if it is not ours, 410 once expired, else the file."""
        try:
            wanted = bot.links.read(request.path_params["token"])
        except LinkExpired:
            return PlainTextResponse(
                "This download link has expired: ask the bot for the file again.\n", status_code=410
            )
        except LinkTampered:
            return PlainTextResponse("This is not a valid download link.\n", status_code=403)
        try:
            built = await bot.documents.build(wanted)
        except DocumentError as exc:
            return PlainTextResponse(messages.file_not_built(wanted.title, str(exc)) + "\n", status_code=404)
        return Response(
            built.data,
            media_type=built.media_type,
            headers={
                "content-disposition": f'attachment; filename="{wanted.filename}"',
                "cache-control": "private, no-store",
                "referrer-policy": "no-referrer",
                "x-content-type-options": "nosniff",
            },
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_bot:
            await bot.start()
            await bot.start_services()
        if freeze:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if manage_bot:
                await bot.stop_services()
                await bot.stop()

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/documents/{token}", document, methods=["GET"]),
            *routes,
        ],
        lifespan=lifespan,
    )
