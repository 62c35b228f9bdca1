"""Files asked for in chat, built once per state version and day, off the event loop.

The Slack upload, the App Home button and the Teams download link all come here with a
`FileRequest`. The model is built in a worker thread and charts are drawn in a one-process pool
(`commands.documents.build.render_async`: Agg holds the GIL while it draws), so the event loop
keeps answering; the bytes are kept in a bounded `DocumentCache` keyed by the request, the day
and the state version, and two requests for the same file at once share one build.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import messages
from commands.documents.build import chart_pool, render_async
from commands.documents.cache import DocumentCache
from commands.documents.files import file_model
from domain.calendar import local_date
from domain.clock import Clock
from domain.files import FileRequest, media_type
from domain.snapshot import Snapshot
from store.readmodel import ReadModel

__all__ = ["BuiltFile", "DocumentFiles"]

log = logging.getLogger("releasebot")


@dataclass(frozen=True)
class BuiltFile:
    request: FileRequest
    data: bytes

    @property
    def media_type(self) -> str:
        return media_type(self.request.fmt)


class DocumentFiles:
    """Builds and keeps files; a `Service` (stopping shuts the chart process down).

    `processes=False` draws charts in a thread instead (the CLI, and tests that count builds).
    `warm` (set by `serve` and `socket`): on start, import the Word and PDF libraries and start
    the chart process, so the first file does not stall the loop importing them (measured:
    about 390 ms for python-docx's first import in a thread) or wait seconds for a process.
    """

    def __init__(
        self, read_model: ReadModel, clock: Clock, *, processes: bool = True, cache: DocumentCache | None = None
    ) -> None:
        self.read_model = read_model
        self.clock = clock
        self.processes = processes
        self.cache = cache or DocumentCache()
        self.warm = False
        self.builds = 0  # files built (not served from the cache): what the reuse tests count
        self._pool: Executor | None = None
        self._building: dict[tuple[Any, ...], asyncio.Future[bytes]] = {}

    async def start(self) -> None:
        """With `warm`, the libraries imported and the chart process started (it imports matplotlib in the background)."""
        if not self.warm:
            return
        import docx  # noqa: F401  # before any request: an import holds the GIL for long stretches
        import typst  # noqa: F401

        pool = self._charts()
        if pool is not None:
            pool.submit(exec, "import matplotlib.backends.backend_agg")

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:  # waited for, so the process and its semaphores are gone when we are
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    def _charts(self) -> Executor | None:
        if self.processes and self._pool is None:
            self._pool = chart_pool()
        return self._pool

    async def build(self, request: FileRequest) -> BuiltFile:
        """The file as the state is now (raises `DocumentError` when it cannot be built, e.g. the release is gone)."""
        snapshot = self.read_model.snapshot
        today = local_date(self.clock())
        args = (*request.key, today.isoformat(), request.fmt)
        found = self.cache.get(request.kind, args, snapshot.version)
        if found is not None:
            return BuiltFile(request, found)
        key = (request.kind, args, snapshot.version)
        running = self._building.get(key)
        if running is None:
            running = asyncio.ensure_future(self._make(request, snapshot, args, today))
            self._building[key] = running
            running.add_done_callback(lambda _: self._building.pop(key, None))
        return BuiltFile(request, await asyncio.shield(running))

    async def _make(self, request: FileRequest, snapshot: Snapshot, args: tuple[Any, ...], today: date) -> bytes:
        self.builds += 1
        made = await asyncio.to_thread(file_model, snapshot, request, today)
        try:
            data = await render_async(made, request.fmt, self._charts())
        except BrokenProcessPool:  # the chart process died (killed, out of memory): a new one next time
            log.warning(messages.log_file_failed(request.title, "the chart process stopped; drawing again"))
            await self.stop()
            data = await render_async(made, request.fmt, self._charts())
        self.cache.put(request.kind, args, snapshot.version, data)
        return data
