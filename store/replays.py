"""Slack request signatures seen, shared by every replica: a replayed signed request is refused
wherever it arrives, and after a restart.

One statement records a batch (`INSERT ... ON CONFLICT DO NOTHING RETURNING`): what comes back
was new. Rows are purged once a request that old would be refused as stale anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.db import Database
from store.models import SlackSignature, table_of

__all__ = ["forget_signatures", "record_signatures"]

_SIGNATURES = table_of(SlackSignature)


async def record_signatures(db: Database, seen: Sequence[tuple[str, datetime]]) -> set[str]:
    """Record (signature, signed at) pairs; the signatures no replica had recorded before."""
    if not seen:
        return set()
    # executemany with RETURNING: SQLAlchemy sends it as one INSERT ... VALUES (...), (...), and
    # the statement is compiled once whatever the batch size.
    statement = (
        (pg_insert if db.postgres else sqlite_insert)(_SIGNATURES)
        .on_conflict_do_nothing(index_elements=["signature"])
        .returning(_SIGNATURES.c.signature)
    )
    rows = [{"signature": signature, "signed_at": signed_at} for signature, signed_at in seen]
    async with db.write_connection() as conn:
        result = await conn.execute(statement, rows)
        return {str(row[0]) for row in result}


async def forget_signatures(db: Database, signed_before: datetime) -> int:
    """Drop signatures of requests signed before `signed_before` (too old to be accepted again)."""
    async with db.write_connection() as conn:
        result = await conn.execute(sa.delete(_SIGNATURES).where(_SIGNATURES.c.signed_at < signed_before))
        return int(result.rowcount or 0)
