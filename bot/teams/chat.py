"""Messages to the bot: `release june-2022 scope`, `@releasebot mod MP122A`, in a channel, a group
chat or a 1:1 chat, answered with the Adaptive Card of the same reply Slack and the console get.

A file asked for (`release june-2021 rid docx`) comes back as a card with a download link
(`bot.teams.files`). Every message also keeps the stored conversation current (for proactive messages), and a new
poll's card is remembered so votes can update it.
"""

from __future__ import annotations

import logging

from bot import messages
from bot.core import Releasebot
from bot.tasks import TaskSet
from bot.teams import activity as teams_activity
from bot.teams.cards import card_message, sorry_card
from bot.teams.conversations import Conversations
from bot.teams.files import download_card
from bot.teams.papers import TeamsPapers
from bot.teams.polls import TeamsPolls
from bot.teams.sdk import ActivityContext, App, MessageActivity
from commands.documents.errors import DocumentError
from commands.render import render_teams
from domain.files import FileRequest

__all__ = ["Chat"]

log = logging.getLogger("releasebot.teams")


class Chat:
    def __init__(
        self, bot: Releasebot, conversations: Conversations, polls: TeamsPolls, papers: TeamsPapers | None = None
    ) -> None:
        self.bot = bot
        self.conversations = conversations
        self.polls = polls
        self.tasks = TaskSet()  # files being built ahead of their link being opened; drained on stop
        self.papers = papers

    def register(self, app: App) -> None:
        app.on_message(self.on_message)

    async def on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        try:
            await self.conversations.remember(ctx)
            if self.papers is not None and self.papers.has_files(ctx.activity):  # a paper to import, perhaps
                await self.papers.on_message(ctx)
                return
            text = teams_activity.command_text(ctx.activity) or "help"
            reply, card = await self.bot.answers.line_rendered(  # plain words are read too
                text,
                teams_activity.actor(self.bot.actors, ctx.activity),
                "teams",
                channel=teams_activity.channel(ctx.activity),
                render_fn=render_teams,
            )
            if reply.file is not None:  # `release june-2021 rid docx`: a card with a signed download link
                card = download_card(self.bot, reply)
            sent = await ctx.send(card_message(card))
            if reply.file is not None and self.bot.settings.public_url:
                self.tasks.spawn(self._build_ahead(reply.file))
            if reply.meta.get("publish"):  # a new poll: remember the message, to update it as votes come in
                await self.polls.record(int(reply.meta["poll_id"]), ctx.activity.conversation.id, str(sent.id))
        except Exception as exc:
            log.warning(messages.log_teams_handler_failed(type(exc).__name__, "message"), exc_info=True)
            await self._apologise(ctx)

    async def _build_ahead(self, request: FileRequest) -> None:
        """Build the file while the person reads the card, so opening the link finds it ready (the cache keeps it)."""
        try:
            await self.bot.documents.build(request)
        except DocumentError:
            pass  # the link answers with the reason when it is opened
        except Exception as exc:
            log.warning(messages.log_file_failed(request.title, type(exc).__name__), exc_info=True)

    async def _apologise(self, ctx: ActivityContext[MessageActivity]) -> None:
        """Tell the person something failed (if Teams can still be reached at all)."""
        try:
            await ctx.send(card_message(sorry_card()))
        except Exception as exc:
            log.warning(messages.log_teams_handler_failed(type(exc).__name__, "apology"))
