"""Poll cards in Teams: remembering a posted poll, keeping its cards current, the voter's card.

Votes within `POLL_REFRESH_SECONDS` of each other update the shared card once (`bot.pollsync`);
a close updates it and announces the outcome in the conversation. The person who voted gets the
poll back at once, with their vote in it and a line saying it counted (or why not). This is
Teams' `PollPublisher`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot import messages
from bot.core import Releasebot
from bot.pollsync import PollRefresher
from bot.teams import activity as teams_activity
from bot.teams.cards import card_message, comment_card
from bot.teams.sdk import App
from bot.teams.send import DEFAULT_SERVICE_URL
from commands.context import Actor
from commands.polls import outcome_reply, poll_card
from commands.render import render_teams
from domain.reply import Note, Paragraph, Reply, spans
from store import polls
from store.teams import find_conversation

__all__ = ["POLL_REFRESH_SECONDS", "TeamsPolls"]

log = logging.getLogger("releasebot.teams")

POLL_REFRESH_SECONDS = 0.5  # votes within this long of each other update the poll card once


class TeamsPolls:
    def __init__(self, bot: Releasebot, app: App) -> None:
        self.bot = bot
        self.app = app
        self._refresher = PollRefresher(self._refresh, lambda: POLL_REFRESH_SECONDS)

    async def record(self, poll_id: int, conversation: str, activity_id: str) -> None:
        """A new poll was posted as a reply: remember the message, to update it as votes come in."""
        await self.bot.writer.run(polls.RecordMessage(poll_id, "teams", conversation, activity_id))

    async def comment_card(self, poll_id: int) -> dict[str, Any]:
        """Vote with a comment: Teams has no modal, so a card asks for the comment."""
        view = await self.bot.writer.read(lambda session: polls.load_poll(session, poll_id))
        return comment_card(view)

    async def voter_card(self, poll_id: int, said: Reply, actor: Actor) -> dict[str, Any]:
        """The poll again for the person who voted, with what their vote came to under its title."""
        view = await self.bot.writer.read(lambda session: polls.load_poll(session, poll_id))
        words = " ".join(span.text for block in said.blocks if isinstance(block, Paragraph) for span in block.line)
        card = poll_card(view, self.bot.answers.context(actor))
        card = replace(card, blocks=(card.blocks[0], Note(spans(words)), *card.blocks[1:]))
        return render_teams(card)

    async def poll_changed(self, poll_id: int, closed: bool) -> None:
        """Update the poll's cards in Teams for everyone (votes folded together); announce the outcome on close."""
        await self._refresher.changed(poll_id, closed)

    async def _refresh(self, poll_id: int, announce: bool) -> None:
        view = await self.bot.writer.read(lambda session: polls.load_poll(session, poll_id))
        ctx = self.bot.answers.context(Actor("teams", ""))
        card = render_teams(poll_card(view, ctx))
        for platform, conversation, activity_id in view.messages:
            if platform != "teams":
                continue
            try:
                stored = await find_conversation(self.bot.db, teams_activity.base_conversation_id(conversation))
                service_url = stored.service_url if stored is not None else DEFAULT_SERVICE_URL
                await self.app.api.conversations.update_activity(
                    conversation, activity_id, card_message(card), service_url=service_url
                )
                if announce:
                    await self.app.send(
                        conversation, card_message(render_teams(outcome_reply(view, ctx))), service_url=service_url
                    )
            except Exception:
                log.warning(messages.log_poll_refresh_failed(poll_id, "teams"), exc_info=True)
