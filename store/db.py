"""Engine, sessions and schema upgrades for SQLite (aiosqlite) and PostgreSQL (asyncpg).

Nothing here runs at import: `Database` is built by the app factory, so tests and replicas each
get their own engine.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import functools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from store import changelog
from store.models import StateChange, StateVersion, table_of

if TYPE_CHECKING:  # alembic is imported only when a migration is pending (see `pending`)
    from alembic.config import Config

__all__ = [
    "NOTIFY_CHANNEL",
    "STORE_ERRORS",
    "Database",
    "alembic_config",
    "bump_version",
    "is_postgres",
    "script_heads",
]

# What a store that is down, hung or busy raises (a timeout, a refused or dropped connection, a
# locked SQLite): the callers answer "store unavailable" or try again, never "internal error".
STORE_ERRORS = (TimeoutError, sa.exc.OperationalError, sa.exc.InterfaceError, OSError)

MIGRATIONS = Path(__file__).parent / "migrations"
NOTIFY_CHANNEL = "releasebot_state"
_VERSION = table_of(StateVersion)
_CHANGES = table_of(StateChange)
_UPGRADE_LOCK = 0x52454C42  # "RELB": one replica migrates at a time on PostgreSQL


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

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
        changelog.attach(self.engine.sync_engine)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        # SQLite has one writer: queue this process's writers here instead of in SQLite's busy
        # handler, which backs off in sleeps of up to 100 ms.
        self._sqlite_writer = None if self.postgres else asyncio.Lock()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def writer_turn(self) -> AsyncIterator[None]:
        """This process's turn to write on SQLite (its one writer); on PostgreSQL no wait here.

        Taken apart from `transaction` by callers whose timeout must count work, not the queue.
        """
        if self._sqlite_writer is None:
            yield
            return
        async with self._sqlite_writer:
            yield

    @asynccontextmanager
    async def transaction(self, serialize: bool = True, have_turn: bool = False) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on any exception.

        `serialize` takes the state-version row lock first, so changes that read-then-write
        release state run one at a time across replicas (two admins approving the same thing:
        one wins, the other is told). Outbox claims pass False and use their own row locks.
        `have_turn` says the caller already holds `writer_turn`.
        The rows it writes are recorded with the version it makes (`store/changelog.py`).
        """
        touched = changelog.Touched()
        async with contextlib.AsyncExitStack() as stack:
            if not have_turn:
                await stack.enter_async_context(self.writer_turn())
            session = await stack.enter_async_context(self._sessions())
            await stack.enter_async_context(session.begin())
            session.info[changelog.KEY] = touched
            conn = await session.connection()
            conn.sync_connection.info[changelog.KEY] = touched  # type: ignore[union-attr]
            stack.callback(conn.sync_connection.info.pop, changelog.KEY, None)  # type: ignore[union-attr]
            if serialize or not self.postgres:  # on SQLite this takes the write lock up front
                await conn.execute(sa.text("UPDATE stateversion SET id = id WHERE id = 1"))
            yield session
            if touched.versions:
                await changelog.write(session, touched)

    @asynccontextmanager
    async def write_connection(self) -> AsyncIterator[AsyncConnection]:
        """A bare Core connection in a transaction, for one small write that touches no release
        state (no session, no state-version lock): cheap enough for the request path."""
        async with contextlib.AsyncExitStack() as stack:
            if self._sqlite_writer is not None:
                await stack.enter_async_context(self._sqlite_writer)
            yield await stack.enter_async_context(self.engine.begin())

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration (an empty database gets every table).

        A database already at the newest revision is told by one query, without alembic (a
        quarter of a second of imports for every `releasebot ask`)."""
        if await self.is_current():
            return
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
    from alembic import command

    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@functools.cache
def script_heads() -> frozenset[str]:
    """The newest revisions in store/migrations/versions, read from the files' `revision` and
    `down_revision` lines (what alembic's ScriptDirectory.get_heads() answers, without alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found: dict[str, str] = {m[1]: m[2] for m in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8"))}
        if "revision" not in found:
            continue
        revisions.add(str(ast.literal_eval(found["revision"])))
        down = ast.literal_eval(found.get("down_revision", "None"))
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return frozenset(revisions - parents)


def _is_current_sync(connection: sa.Connection) -> bool:
    if not sa.inspect(connection).has_table("alembic_version"):
        return False
    current = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return set(current) == script_heads()


async def bump_version(session: AsyncSession, postgres: bool, now: datetime) -> int:
    """Bump the state version inside the caller's transaction; PostgreSQL replicas hear on commit.

    Its change row says "unknown" (a full reload) unless the transaction records what it wrote.
    """
    conn = await session.connection()
    result = await conn.execute(
        sa.update(_VERSION)
        .where(_VERSION.c.id == 1)
        .values(version=_VERSION.c.version + 1, changed_at=now)
        .returning(_VERSION.c.version)
    )
    version = int(result.scalar_one())
    await conn.execute(sa.insert(_CHANGES).values(version=version, touched=None))
    if (touched := changelog.touched_of(session)) is not None:
        touched.versions.append(version)
    if postgres:
        await (await session.connection()).execute(
            sa.text("SELECT pg_notify(:channel, :payload)"), {"channel": NOTIFY_CHANNEL, "payload": str(version)}
        )
    return version
