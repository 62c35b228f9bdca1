"""`Database.upgrade` skips alembic when the schema is current; that rests on `script_heads`
reading the migration files as alembic does, and on `is_current` agreeing with alembic."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from store.db import Database, alembic_config, script_heads


def _alembic_current(connection: sa.Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def _one_back(connection: sa.Connection, url: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, "-1")


def test_script_heads_are_alembics_heads() -> None:
    assert script_heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert len(script_heads()) == 1  # one chain


async def test_is_current_agrees_with_alembic_before_and_after_upgrade(blank_database_url: str) -> None:
    db = Database(blank_database_url)
    try:
        assert not await db.is_current()
        await db.upgrade()
        assert await db.is_current()
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_alembic_current) == set(script_heads())
        async with db.engine.begin() as conn:  # one revision behind: not current, and upgrade catches up
            await conn.run_sync(_one_back, blank_database_url)
        assert not await db.is_current()
        await db.upgrade()
        assert await db.is_current()
    finally:
        await db.dispose()
