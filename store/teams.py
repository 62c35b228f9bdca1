"""Teams conversations the bot is in: stored on install and kept current by every message.

A reminder or any proactive message needs a conversation reference (the service URL of the
tenant's region plus the conversation id): Teams only hands one over when something happens in
the conversation, so it is stored here, shared by every replica.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.db import Database
from store.models import TeamsConversation

__all__ = ["ConversationInfo", "find_conversation", "forget_conversation", "save_conversation"]


@dataclass(frozen=True)
class ConversationInfo:
    """What the adapter knows about a conversation from one activity."""

    conversation_id: str
    kind: str
    service_url: str
    reference: dict[str, Any]
    tenant_id: str = ""
    team_id: str = ""
    name: str = ""
    user_id: str = ""  # a personal (1:1) chat: who it is with


async def save_conversation(db: Database, info: ConversationInfo, now: datetime) -> None:
    """Insert or refresh the conversation, and mark the bot installed in it."""
    values: dict[str, Any] = {
        "conversation_id": info.conversation_id,
        "kind": info.kind,
        "tenant_id": info.tenant_id,
        "team_id": info.team_id,
        "service_url": info.service_url,
        "reference": info.reference,
        "user_id": info.user_id,
        "installed": True,
        "updated_at": now,
    }
    changed = {k: v for k, v in values.items() if k != "conversation_id"}
    if info.name:  # a message in a channel does not always carry its name: keep the one we have
        changed["name"] = info.name
    insert = (pg_insert if db.postgres else sqlite_insert)(TeamsConversation).values(**values, name=info.name)
    async with db.transaction(serialize=False) as session:
        conn = await session.connection()
        await conn.execute(insert.on_conflict_do_update(index_elements=["conversation_id"], set_=changed))


async def forget_conversation(db: Database, conversation_id: str, now: datetime) -> bool:
    """The bot was removed: keep the row (history) but send nothing there. True if it was known."""
    async with db.transaction(serialize=False) as session:
        conn = await session.connection()
        result = await conn.execute(
            sa.update(TeamsConversation)
            .where(TeamsConversation.conversation_id == conversation_id)  # type: ignore[arg-type]
            .values(installed=False, updated_at=now)
        )
        return bool(result.rowcount)


async def find_conversation(db: Database, conversation_id: str) -> TeamsConversation | None:
    """The stored conversation, whether or not the bot is still installed there."""
    async with db.session() as session:
        return await session.get(TeamsConversation, conversation_id)
