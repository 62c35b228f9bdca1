"""Rendered Adaptive Cards (commands.render.render_teams) as a message or an invoke response.

The card JSON is passed through as it was rendered and checked (commands.render.checks), not
re-parsed into the SDK's card models, which would accept anything and re-serialise it.
"""

from __future__ import annotations

from typing import Any

from bot.teams.sdk import Attachment, InvokeResponse, MessageActivityInput

__all__ = ["CARD_CONTENT_TYPE", "card_invoke_response", "card_message"]

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def card_message(card: dict[str, Any]) -> MessageActivityInput:
    """A message holding one card and nothing else."""
    return MessageActivityInput().add_attachments(Attachment(content_type=CARD_CONTENT_TYPE, content=card))


def card_invoke_response(card: dict[str, Any]) -> InvokeResponse[Any]:
    """An Action.Execute response whose card replaces the clicked one for the user who clicked."""
    return InvokeResponse[Any](status=200, body={"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card})
