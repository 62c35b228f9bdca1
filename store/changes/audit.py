"""The record every change ends with: an audit event holding its inverse, and a new state version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store import models as m
from store.changes.inverses import Inverse, encode
from store.db import bump_version
from store.uow import UnitOfWork

__all__ = ["Changed", "record"]


@dataclass(frozen=True)
class Changed:
    """What a change did: its audit event and the state version it made."""

    event: m.AuditEvent
    version: int
    undone: m.AuditEvent | None = None  # for an undo: the change it reversed
    poll_id: int | None = None  # the poll it opened, closed, reopened or removed: its messages must follow


async def record(uow: UnitOfWork, actor: str, action: str, summary: str, inverse: Sequence[Inverse]) -> Changed:
    """Write the audit event and bump the state version (same transaction as the change)."""
    event = m.AuditEvent(at=uow.now, actor=actor, action=action, summary=summary, undo=encode(inverse))
    uow.session.add(event)
    await uow.session.flush()
    version = await bump_version(uow.session, uow.postgres, uow.now)
    return Changed(event, version)
