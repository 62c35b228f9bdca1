"""Engine, sessions and schema upgrades for SQLite (aiosqlite) and PostgreSQL (asyncpg).

Nothing here runs at import: `Database` is built by the app factory, so tests and replicas each
get their own engine.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import StateVersion, table_of

__all__ = ["NOTIFY_CHANNEL", "Database", "alembic_config", "bump_version", "is_postgres"]

MIGRATIONS = Path(__file__).parent / "migrations"
NOTIFY_CHANNEL = "releasebot_state"
_VERSION = table_of(StateVersion)
_UPGRADE_LOCK = 0x52454C42  # "RELB": one replica migrates at a time on PostgreSQL


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """An async engine plus session factory for one database URL."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.postgres = is_postgres(url)
        if not self.postgres:
            engine_kwargs.setdefault("connect_args", {"timeout": 5})
        # hide_parameters: an error's message must not carry values (a webhook address is a secret).
        engine_kwargs.setdefault("hide_parameters", True)
        self.engine: AsyncEngine = create_async_engine(url, **engine_kwargs)
        if not self.postgres:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        # SQLite has one writer: queue this process's writers here instead of in SQLite's busy
        # handler, which backs off in sleeps of up to 100 ms.
        self._sqlite_writer = None if self.postgres else asyncio.Lock()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self, serialize: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on any exception.

        `serialize` takes the state-version row lock first, so changes that read-then-write
        release state run one at a time across replicas (two admins approving the same thing:
        one wins, the other is told). Outbox claims pass False and use their own row locks.
        """
        async with contextlib.AsyncExitStack() as stack:
            if self._sqlite_writer is not None:
                await stack.enter_async_context(self._sqlite_writer)
            session = await stack.enter_async_context(self._sessions())
            await stack.enter_async_context(session.begin())
            if serialize or not self.postgres:  # on SQLite this takes the write lock up front
                await (await session.connection()).execute(sa.text("UPDATE stateversion SET id = id WHERE id = 1"))
            yield session

    @asynccontextmanager
    async def write_connection(self) -> AsyncIterator[AsyncConnection]:
        """A bare Core connection in a transaction, for one small write that touches no release
        state (no session, no state-version lock): cheap enough for the request path."""
        async with contextlib.AsyncExitStack() as stack:
            if self._sqlite_writer is not None:
                await stack.enter_async_context(self._sqlite_writer)
            yield await stack.enter_async_context(self.engine.begin())

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration (an empty database gets every table)."""
        async with self.engine.begin() as conn:
            if self.postgres:
                await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _UPGRADE_LOCK})
            await conn.run_sync(_upgrade_sync, self.url)

    async def is_current(self) -> bool:
        async with self.engine.connect() as conn:
            return await conn.run_sync(_is_current_sync)

    async def version(self) -> int:
        async with self.engine.connect() as conn:
            value = await conn.scalar(sa.select(_VERSION.c.version).where(_VERSION.c.id == 1))
        return int(value or 0)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _upgrade_sync(connection: sa.Connection, url: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def _is_current_sync(connection: sa.Connection) -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    return set(MigrationContext.configure(connection).get_current_heads()) == heads


async def bump_version(session: AsyncSession, postgres: bool, now: datetime) -> int:
    """Bump the state version inside the caller's transaction; PostgreSQL replicas hear on commit."""
    result = await (await session.connection()).execute(
        sa.update(_VERSION)
        .where(_VERSION.c.id == 1)
        .values(version=_VERSION.c.version + 1, changed_at=now)
        .returning(_VERSION.c.version)
    )
    version = int(result.scalar_one())
    if postgres:
        await (await session.connection()).execute(
            sa.text("SELECT pg_notify(:channel, :payload)"), {"channel": NOTIFY_CHANNEL, "payload": str(version)}
        )
    return version
