"""Schema changes only through Alembic: a blank database upgrades itself and matches the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from store.db import Database, alembic_config


def _diff(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _downgrade(connection: sa.Connection, url: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, "base")


async def test_blank_database_upgrades_to_the_models_and_back(blank_database_url: str) -> None:
    db = Database(blank_database_url)
    try:
        assert not await db.is_current()
        await db.upgrade()
        assert await db.is_current()
        assert await db.version() == 0
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
        await db.upgrade()  # idempotent
        async with db.engine.begin() as conn:
            await conn.run_sync(_downgrade, blank_database_url)
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await db.upgrade()
        assert await db.is_current()
    finally:
        await db.dispose()
