"""Proactive messages: a card to a stored conversation, for reminders and anything not a reply.

A reply to a message goes back through the activity's own context; a proactive message needs the
conversation's service URL (the tenant's Bot Connector region), which `store.teams` keeps from
the install or the last message. Failures come back as `TeamsSendError` with the HTTP status and
Retry-After, so the caller (the reminder outbox) decides whether and when to try again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import httpx

from bot import messages
from bot.teams.cards import card_message
from bot.teams.sdk import App, ConversationReference
from store.db import Database
from store.teams import find_conversation

__all__ = ["DEFAULT_SERVICE_URL", "Conversation", "TeamsNotInstalledError", "TeamsSendError", "send_card"]

DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams"  # when no stored conversation names its region

Conversation: TypeAlias = str | ConversationReference | Mapping[str, Any]


class TeamsNotInstalledError(LookupError):
    """No stored conversation by that id, or the bot was removed from it."""


class TeamsSendError(RuntimeError):
    """The Bot Connector refused or could not be reached (status None)."""

    def __init__(self, message: str, status: int | None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


async def _target(db: Database, conversation: Conversation) -> tuple[str, str]:
    """(conversation id, service URL)."""
    if isinstance(conversation, str):
        row = await find_conversation(db, conversation)
        if row is None or not row.installed:
            raise TeamsNotInstalledError(messages.teams_not_installed(conversation))
        return row.conversation_id, row.service_url
    ref = (
        conversation
        if isinstance(conversation, ConversationReference)
        else ConversationReference.model_validate(dict(conversation))
    )
    return ref.conversation.id, ref.service_url


async def send_card(app: App, db: Database, conversation: Conversation, card: dict[str, Any]) -> str:
    """Post `card` as a new message in the conversation; the id Teams gave the message."""
    conversation_id, service_url = await _target(db, conversation)
    try:
        sent = await app.send(conversation_id, card_message(card), service_url=service_url)
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        raise TeamsSendError(
            messages.log_teams_send_failed(str(status), conversation_id), status, _retry_after(exc.response)
        ) from None
    except httpx.TransportError as exc:
        raise TeamsSendError(messages.log_teams_send_failed(type(exc).__name__, conversation_id), None) from None
    return str(sent.id)
