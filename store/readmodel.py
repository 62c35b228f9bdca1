"""Keeps one `Snapshot` per process fresh: reloads when the state version moves.

A local write refreshes before it answers (the writer sees its change). Other writers are
heard through PostgreSQL LISTEN/NOTIFY, and on any database by checking the one version row
at most once per `poll_seconds` in the background - never on a request's path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from domain.snapshot import Snapshot
from store.db import NOTIFY_CHANNEL, Database
from store.loading import load_snapshot

if TYPE_CHECKING:
    import asyncpg  # imported by the PostgreSQL listener alone (start-up: bot.cli)

__all__ = ["ReadModel"]

log = logging.getLogger(__name__)


class ReadModel:
    def __init__(self, db: Database, poll_seconds: float = 1.0) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self._snapshot: Snapshot | None = None
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._loaded = asyncio.Condition()
        self.reloads = 0

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("ReadModel.load() must run before the first read")
        return self._snapshot

    async def load(self) -> Snapshot:
        """Load the state now (on start-up, or after a write this process made)."""
        async with self._lock:
            async with self.db.engine.connect() as conn:
                snapshot = await load_snapshot(conn)
            self._snapshot = snapshot
            self.reloads += 1
        async with self._loaded:
            self._loaded.notify_all()
        return snapshot

    async def refresh(self) -> Snapshot:
        """Reload only if the stored version differs from the one held."""
        if self._snapshot is None or await self.db.version() != self._snapshot.version:
            return await self.load()
        return self._snapshot

    async def wait_for_version(self, version: int) -> Snapshot:
        """Return once a snapshot at `version` or newer is held (tests and adapters use this)."""
        async with self._loaded:
            await self._loaded.wait_for(lambda: self._snapshot is not None and self._snapshot.version >= version)
        return self.snapshot

    def start(self) -> None:
        """Start watching for other writers (needs a running event loop)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._watch(), name="readmodel-watch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _watch(self) -> None:
        listener: asyncpg.Connection | None = None
        try:
            if self.db.postgres:
                listener = await self._listen()
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), self.poll_seconds)
                self._changed.clear()
                try:
                    await self.refresh()
                except Exception:  # the store may be down for a while; keep serving the last state
                    log.warning(
                        "read model refresh failed; serving version %s",
                        getattr(self._snapshot, "version", None),
                        exc_info=True,
                    )
        finally:
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()

    async def _listen(self) -> asyncpg.Connection | None:
        import asyncpg

        dsn = make_url(self.db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            conn = await asyncpg.connect(dsn)
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._changed.set())
            return conn
        except Exception:
            log.warning("LISTEN %s failed; falling back to polling the version row", NOTIFY_CHANNEL, exc_info=True)
            return None
