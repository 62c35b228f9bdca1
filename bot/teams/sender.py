"""Reminders to Teams conversations the bot is in: the outbox's `Sender` for Teams.

A subscription from a Teams channel or chat (`/release subscribe` typed in Teams) is posted
proactively through the Bot Connector to the stored conversation, with working Action.Execute
buttons (Done, Snooze, vote). Paced like the Slack sender; 429 waits out Retry-After; an unknown
or removed conversation is a permanent failure the admin channel hears about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.teams.send import TeamsNotInstalledError, TeamsSendError
from commands.render import render_teams
from domain.reply import Reply
from notifiers.senders import Destination, Hold, Outcome, Pacer

__all__ = ["CardPoster", "TeamsBotSender"]


class CardPoster(Protocol):
    async def send_card(self, conversation: str, card: dict[str, object]) -> str: ...


@dataclass
class TeamsBotSender:
    poster: CardPoster  # the TeamsAdapter
    pacer: Pacer = field(default_factory=Pacer)
    max_rate_limited: int = 3

    def accepts(self, destination: Destination) -> bool:
        return destination.platform == "teams" and not destination.webhook_url

    async def send(self, destination: Destination, reply: Reply, key: str, hold: Hold | None = None) -> Outcome:
        card = render_teams(reply)
        limited = 0
        async with self.pacer.lock(destination.channel_id):
            while True:
                if not await self.pacer.wait_turn(destination.channel_id, hold):
                    return Outcome.lost()  # the claim passed to another worker while waiting
                try:
                    return Outcome.sent(await self.poster.send_card(destination.channel_id, card))
                except TeamsNotInstalledError:
                    return Outcome.failed("not_installed")
                except TeamsSendError as exc:
                    if exc.status == 429 and limited < self.max_rate_limited:
                        limited += 1
                        self.pacer.pause(exc.retry_after if exc.retry_after is not None else 1.0)
                        continue
                    label = "network" if exc.status is None else f"http_{exc.status}"
                    return Outcome.retry(label) if exc.retryable else Outcome.failed(label)
