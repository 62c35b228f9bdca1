"""Every store-backed test runs twice: on SQLite (a file) and on PostgreSQL (a fresh database).

PostgreSQL tests skip with a visible reason when the server is unreachable, unless
RELEASEBOT_REQUIRE_POSTGRES is set (as `.ci/run` does): then they fail instead.
Each test gets its own database copied from a template that was migrated and seeded once.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from domain.snapshot import Snapshot
from store.db import Database
from store.seed import seed_demo

PG_URL = os.environ.get("RELEASEBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("RELEASEBOT_REQUIRE_POSTGRES", "") not in ("", "0", "false")

# Webhook subscriptions in tests post to fakes on loopback; production allows only Slack's and
# Microsoft's webhook hosts (tests/test_subscriptions.py checks that without this).
os.environ.setdefault("RELEASEBOT_WEBHOOK_HOSTS", "127.0.0.1")

# The Slack SDK honours proxy variables and ignores NO_PROXY: loopback fakes must not be proxied.
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)


def _dsn(url: str, database: str | None = None) -> str:
    u = make_url(url).set(drivername="postgresql")
    if database:
        u = u.set(database=database)
    return u.render_as_string(hide_password=False)


async def _pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(_dsn(PG_URL), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _prepare(url: str, seed: bool) -> None:
    db = Database(url)
    try:
        await db.upgrade()
        if seed:
            await seed_demo(db, datetime.now(UTC))
    finally:
        await db.dispose()


@dataclass
class Templates:
    sqlite_seeded: Path | None = None
    sqlite_empty: Path | None = None
    pg_seeded: str | None = None
    pg_empty: str | None = None
    pg_problem: str | None = None


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    t = Templates()
    folder = tmp_path_factory.mktemp("templates")
    t.sqlite_seeded = folder / "seeded.db"
    t.sqlite_empty = folder / "empty.db"
    asyncio.run(_prepare(f"sqlite+aiosqlite:///{t.sqlite_seeded}", seed=True))
    asyncio.run(_prepare(f"sqlite+aiosqlite:///{t.sqlite_empty}", seed=False))
    suffix = uuid.uuid4().hex[:8]
    try:
        for name, seed in ((f"rb_tpl_seeded_{suffix}", True), (f"rb_tpl_empty_{suffix}", False)):
            asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
            asyncio.run(_prepare(make_url(PG_URL).set(database=name).render_as_string(hide_password=False), seed))
        t.pg_seeded, t.pg_empty = f"rb_tpl_seeded_{suffix}", f"rb_tpl_empty_{suffix}"
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        t.pg_problem = f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string(hide_password=True)}: {exc}"
    yield t
    for name in (t.pg_seeded, t.pg_empty):
        if name:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _new_database(templates: Templates, backend: str, seeded: bool, tmp_path: Path) -> tuple[str, str | None]:
    """(url, postgres database name to drop afterwards)."""
    if backend == "sqlite":
        source = templates.sqlite_seeded if seeded else templates.sqlite_empty
        assert source is not None
        target = tmp_path / f"releasebot-{uuid.uuid4().hex[:6]}.db"
        shutil.copyfile(source, target)
        return f"sqlite+aiosqlite:///{target}", None
    if templates.pg_problem:
        if REQUIRE_PG:
            pytest.fail(templates.pg_problem + " (RELEASEBOT_REQUIRE_POSTGRES is set)")
        pytest.skip(templates.pg_problem)
    name = f"rb_test_{uuid.uuid4().hex[:10]}"
    template = templates.pg_seeded if seeded else templates.pg_empty
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False), name


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _database(templates: Templates, backend: str, seeded: bool, tmp_path: Path) -> Iterator[str]:
    url, pg_name = _new_database(templates, backend, seeded, tmp_path)
    yield url
    if pg_name:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


@pytest.fixture
def database_url(backend: str, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A demo-seeded database of its own for this test."""
    yield from _database(templates, backend, True, tmp_path)


@pytest.fixture
def empty_database_url(backend: str, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A migrated database with no data."""
    yield from _database(templates, backend, False, tmp_path)


@pytest.fixture
def blank_database_url(backend: str, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (to test migrations)."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'blank.db'}"
        return
    if templates.pg_problem:
        if REQUIRE_PG:
            pytest.fail(templates.pg_problem + " (RELEASEBOT_REQUIRE_POSTGRES is set)")
        pytest.skip(templates.pg_problem)
    name = f"rb_blank_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[Releasebot]:
    """A started bot on the demo data (no background watcher: tests drive refreshes)."""
    instance = create_bot(load_settings(database_url=database_url))
    await instance.start(watch=False)
    yield instance
    await instance.stop()


@pytest.fixture(scope="module")
def demo_snapshot(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The demo data's read model, loaded once per module (for tests that only read it)."""
    path = tmp_path_factory.mktemp("snapshot") / "demo.db"
    assert templates.sqlite_seeded is not None
    shutil.copyfile(templates.sqlite_seeded, path)

    async def load() -> Snapshot:
        instance = create_bot(load_settings(database_url=f"sqlite+aiosqlite:///{path}"))
        await instance.start(watch=False)
        try:
            return instance.snapshot
        finally:
            await instance.stop()

    return asyncio.run(load())
