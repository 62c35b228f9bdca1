"""What every Slack listener group shares: the bot's parts, the Web API client, the HTTP client
for response_urls, and the tasks the adapter waits for when it stops.

Each group (`slash`, `conversations`, `home`, `buttons`, `submissions`, `polls`) is a small class
with one job and a `register(app)` that adds its listeners to the bolt app, as bolt's starter
template registers listener modules.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine, Mapping
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

__all__ = ["ARRIVED", "SlackParts", "ack_budget", "reply_words", "slack_channel", "sorry", "unauthorised"]

ARRIVED = "releasebot_arrived"  # bolt context key: when the endpoint got the request (time.monotonic)


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


def ack_budget(context: Mapping[str, Any], budget: float) -> float:
    """What is left of `budget` (seconds from the request's arrival) for answering in the ack.

    Slack counts its 3 s from sending the request; the endpoint's own checks (the body read, the
    shared replay record) have spent some of it before a listener runs.
    """
    arrived = context.get(ARRIVED)
    spent = time.monotonic() - arrived if isinstance(arrived, float) else 0.0
    return min(budget, max(0.0, budget - spent))
