"""What every Slack listener group shares: the bot's parts, the Web API client, the HTTP client
for response_urls, and the tasks the adapter waits for when it stops.

Each group (`slash`, `conversations`, `home`, `buttons`, `submissions`, `polls`) is a small class
with one job and a `register(app)` that adds its listeners to the bolt app, as bolt's starter
template registers listener modules.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import httpx
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.core import Releasebot
from bot.tasks import TaskSet
from commands.context import Actor, Channel
from commands.messages import not_admin, not_member
from domain.reply import Paragraph, Reply, spans

__all__ = ["SlackParts", "reply_words", "slack_channel", "sorry", "unauthorised"]


@dataclass(frozen=True)
class SlackParts:
    bot: Releasebot
    client: AsyncWebClient
    http: httpx.AsyncClient  # for response_urls (bearer credentials: never logged)
    tasks: TaskSet

    def actor(self, user: dict[str, Any] | str, name: str = "") -> Actor:
        """A Slack user (an id, or the `user` object of an interaction payload) as an actor."""
        if isinstance(user, dict):
            return self.bot.actors.resolve(
                "slack", str(user.get("id", "")), str(user.get("name") or user.get("username") or name)
            )
        return self.bot.actors.resolve("slack", user, name)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Finish something after the ack (a late answer, an apology); the adapter waits for it on stop."""
        self.tasks.spawn(work)


def slack_channel(channel_id: str, name: str = "") -> Channel:
    return Channel("slack", channel_id, name, direct=channel_id.startswith("D") or name == "directmessage")


def reply_words(reply: Reply) -> str:
    """The words of a reply's paragraphs on one line (a modal shows an error as a line under a field)."""
    return " ".join(span.text for block in reply.blocks if isinstance(block, Paragraph) for span in block.line)


def unauthorised(actor: Actor) -> str:
    """Why someone may not do an admin's thing: a member without the role, or a stranger."""
    return not_admin(actor.name) if actor.role else not_member()


def sorry() -> Reply:
    return Reply("Sorry", (Paragraph(spans(messages.internal_error("slack"))),), kind="error")
