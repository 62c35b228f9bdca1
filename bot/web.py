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
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot import messages
from bot.core import Releasebot
from bot.links import LinkExpired, LinkTampered
from bot.logs import quiet_accept_errors
from commands.documents.errors import DocumentError

__all__ = ["HEALTH_STORE_BUDGET", "StoreProbe", "create_web_app"]

HEALTH_STORE_BUDGET = 1.5  # seconds the store gets, so /healthz answers within its 2 s


class StoreProbe:
    """The stored version for /healthz, never waited on longer than `budget`.

    The read runs as its own task and is left running when the budget is spent: cancelling a read
    on a hung store can itself hang (the driver waits on the dead connection), which is how
    /healthz once took 4.1 s. One read at a time: while it hangs, later checks wait on the same one.
    """

    def __init__(self, read: Callable[[], Awaitable[int]], budget: float = HEALTH_STORE_BUDGET) -> None:
        self._read = read
        self._budget = budget
        self._task: asyncio.Task[int] | None = None

    async def version(self) -> int | None:
        """The stored version, or None when the store did not answer in time or failed."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._read())
            self._task.add_done_callback(_retrieve)
        task = self._task
        done, _ = await asyncio.wait({task}, timeout=self._budget)
        if not done or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()


def _retrieve(task: asyncio.Task[int]) -> None:
    """Mark a failure seen (it is reported as "unavailable"), so asyncio does not log it."""
    if not task.cancelled():
        task.exception()


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

    probe = StoreProbe(lambda: bot.db.version())

    async def healthz(request: Request) -> JSONResponse:
        stored = await probe.version()  # None: the store is down or hung; the read model still answers
        store = "ok" if stored is not None else "unavailable"
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
            probe.close()
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
