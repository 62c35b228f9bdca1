"""Keeps one `Snapshot` per process fresh: applies each new state version's change to it.

A local write refreshes before it answers (the writer sees its change). Other writers are
heard through PostgreSQL LISTEN/NOTIFY, and on any database by checking the one version row
at most once per `poll_seconds` in the background - never on a request's path.

A refresh reads the change rows since the version it holds (which rows each change wrote,
`store/changelog.py`), reads only those rows again (`store/loading.py:load_changed`) and
updates the snapshot from them in a worker thread (`domain.delta.apply_delta`), so a write
costs the change, not the store, and the event loop is never held for long. A version whose
change is not known (bulk loads, or a gap) means a full reload, as at start-up; the objects a
full load made are then frozen out of the garbage collector's way (`gc.freeze`).

The collector is paused while a snapshot is built and what was built is then frozen (`_built`):
a young collection that meets a new dict of 150,000 modifications walks all of it, so letting
it run during a change made the change cost the store again. Young garbage (a transaction's
ORM objects) is collected first, so freezing keeps only what lives on.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.delta import Row, Tables, apply_delta
from domain.snapshot import Snapshot, build_snapshot
from store import models as m
from store.db import NOTIFY_CHANNEL, Database
from store.loading import BY_TABLE, load_changed, load_tables

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
        self._tables: Tables | None = None
        self.reloads = 0  # full loads
        self.deltas = 0  # changes applied

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("ReadModel.load() must run before the first read")
        return self._snapshot

    async def load(self) -> Snapshot:
        """Load the whole state now (on start-up, or when a change is not known)."""
        async with self._lock:
            snapshot = await self._load()
        await self._publish(snapshot)
        return snapshot

    async def refresh(self) -> Snapshot:
        """Apply the changes since the version held (nothing if it is current)."""
        async with self._lock:
            held = self._snapshot
            if held is None or self._tables is None:
                snapshot = await self._load()
            else:
                async with self.db.engine.connect() as conn:
                    if self.db.postgres:  # the version and the rows it names from one snapshot of the database
                        await conn.execution_options(isolation_level="REPEATABLE READ")
                    changed = await _changes_since(conn, held.version)
                if changed is None:
                    snapshot = await self._load()
                elif changed[0] == held.version:
                    return held
                else:
                    version, rows = changed
                    try:
                        gc.collect(1)
                        snapshot = await asyncio.to_thread(_built, apply_delta, held, self._tables, version, rows)
                        self.deltas += 1
                    except Exception:  # a bug must not leave a replica stale: log it, reload instead
                        log.exception("applying state version %s failed; reloading", version)
                        snapshot = await self._load()
            self._snapshot = snapshot
        await self._publish(snapshot)
        return snapshot

    async def _load(self) -> Snapshot:
        gc.collect(1)
        with _collector_paused():
            async with self.db.engine.connect() as conn:
                if self.db.postgres:
                    await conn.execution_options(isolation_level="REPEATABLE READ")
                tables = await load_tables(conn)
            snapshot = await asyncio.to_thread(build_snapshot, tables.rows())
        self._tables, self._snapshot = tables, snapshot
        self.reloads += 1
        return snapshot

    async def _publish(self, snapshot: Snapshot) -> None:
        async with self._loaded:
            self._loaded.notify_all()

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


_CHANGES = m.table_of(m.StateChange)
_VERSION = m.table_of(m.StateVersion)
T = TypeVar("T")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No collection while a snapshot is built; what it made is frozen after (it lives on)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _built(build: Callable[..., T], *args: Any) -> T:
    with _collector_paused():
        return build(*args)


async def _changes_since(conn: AsyncConnection, held: int) -> tuple[int, dict[str, dict[int, Row | None]]] | None:
    """(the stored version, the rows changed since `held`), or None when a full reload is needed."""
    version = int(await conn.scalar(sa.select(_VERSION.c.version).where(_VERSION.c.id == 1)) or 0)
    if version == held:
        return version, {}
    if version < held:  # the store was replaced
        return None
    records = (
        await conn.execute(
            sa.select(_CHANGES.c.version, _CHANGES.c.touched)
            .where(_CHANGES.c.version > held, _CHANGES.c.version <= version)
            .order_by(_CHANGES.c.version)
        )
    ).all()
    if [r.version for r in records] != list(range(held + 1, version + 1)):
        return None  # a version made without its record
    touched: dict[str, set[int]] = {}
    for record in records:
        written: dict[str, Any] | None = record.touched
        if written is None:
            return None
        for table, ids in written.items():
            if table not in BY_TABLE:
                continue
            if ids is None:
                return None  # wholly written (a bulk load)
            touched.setdefault(table, set()).update(int(i) for i in ids)
    return version, await load_changed(conn, touched)
