"""Rendered Adaptive Cards (commands.render.render_teams) as a message or an invoke response.

The card JSON is passed through as it was rendered and checked (commands.render.checks), not
re-parsed into the SDK's card models, which would accept anything and re-serialise it.
"""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import AdaptiveCard, ExecuteAction, TextBlock, TextInput

from bot import messages
from bot.teams.sdk import Attachment, InvokeResponse, MessageActivityInput
from commands.render import render_teams
from domain.polls import PollView
from domain.reply import Paragraph, Reply, spans

__all__ = ["CARD_CONTENT_TYPE", "card_invoke_response", "card_message", "comment_card", "sorry_card"]

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def card_message(card: dict[str, Any]) -> MessageActivityInput:
    """A message holding one card and nothing else."""
    return MessageActivityInput().add_attachments(Attachment(content_type=CARD_CONTENT_TYPE, content=card))


def card_invoke_response(card: dict[str, Any]) -> InvokeResponse[Any]:
    """An Action.Execute response whose card replaces the clicked one for the user who clicked."""
    return InvokeResponse[Any](status=200, body={"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card})


def comment_card(view: PollView) -> dict[str, Any]:
    """Vote with a comment: Teams has no modal, so the card asks; Action.Execute sends the input along."""
    buttons = (("Go", "go"), ("No-go", "no_go"), ("Abstain", "abstain"))
    card = AdaptiveCard(
        version="1.5",
        body=[
            TextBlock(text=f"Panel go/no-go: {view.release_name}", weight="Bolder", size="Large", wrap=True),
            TextBlock(text=view.question, wrap=True),
            TextInput(
                id="comment", is_multiline=True, max_length=500, placeholder="Your comment (shown with your vote)"
            ),
        ],
        actions=[
            ExecuteAction(title=title, verb="releasebot.vote", data={"value": f"{view.id}:{choice}"})
            for title, choice in buttons
        ],
    )
    return card.model_dump(exclude_none=True, by_alias=True)


def sorry_card() -> dict[str, Any]:
    """What the person sees when handling their message or click failed on our side."""
    return render_teams(Reply("Sorry", (Paragraph(spans(messages.internal_error("teams"))),), kind="error"))
