"""Card buttons: Action.Execute invokes with verb `releasebot.<action>`.

Navigation buttons re-run their command for the person who clicked; acting buttons (a vote,
Done, Snooze) go through the bot's answers. The invoke response is the new card, which Teams
shows to that person in place of the old one; a change or a shared answer is also posted for
everyone, as Slack says it in the channel.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bot import messages
from bot.core import Releasebot
from bot.teams import activity as teams_activity
from bot.teams.cards import card_invoke_response, card_message, sorry_card
from bot.teams.files import download_card
from bot.teams.papers import TeamsPapers
from bot.teams.polls import TeamsPolls
from bot.teams.sdk import ActivityContext, AdaptiveCardInvokeActivity, App, InvokeResponse
from commands.buttons import BUTTONS, Pressed
from commands.context import Actor, Channel
from commands.messages import unknown_button
from commands.refusals import say
from commands.render import render_teams
from domain.refusals import Refusal
from domain.reply import Note, Paragraph, Reply, spans
from domain.words import read_id

__all__ = ["VERB_PREFIX", "CardActions"]

log = logging.getLogger("releasebot.teams")

VERB_PREFIX = "releasebot."


def _sorry(text: str) -> tuple[Reply, dict[str, Any], bool]:
    reply = Reply("Sorry", (Paragraph(spans(text)),), kind="error")
    return reply, render_teams(reply), True


class CardActions:
    def __init__(self, bot: Releasebot, polls: TeamsPolls, papers: TeamsPapers | None = None) -> None:
        self.bot = bot
        self.polls = polls
        self.papers = papers

    def register(self, app: App) -> None:
        app.on_card_action_execute(self.on_card_action)

    async def on_card_action(self, ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> InvokeResponse[Any]:
        """Action.Execute: the card that replaces the clicked one for the person who clicked."""
        try:
            reply, card, replaces = await self._press(ctx)
        except Exception as exc:
            log.warning(messages.log_teams_handler_failed(type(exc).__name__, "card action"), exc_info=True)
            return card_invoke_response(sorry_card())
        if reply.public and not reply.is_error and not replaces:
            # A change or a shared answer is for everyone: post it too (Slack says it in the channel).
            try:
                await ctx.send(card_message(card))
            except Exception as exc:  # the clicker still sees it; done is done
                log.warning(messages.log_teams_handler_failed(type(exc).__name__, "card action post"), exc_info=True)
        return card_invoke_response(card)

    async def _press(self, ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> tuple[Reply, dict[str, Any], bool]:
        """(reply, its card, whether it only replaces the clicked card: a page of the same answer)."""
        action = ctx.activity.value.action
        verb = action.verb or ""
        name = verb[len(VERB_PREFIX) :] if verb.startswith(VERB_PREFIX) else ""
        data = action.data or {}
        value = json.dumps(data) if name in BUTTONS else str(data.get("value", ""))
        actor = teams_activity.actor(self.bot.actors, ctx.activity)
        channel = teams_activity.channel(ctx.activity)
        if self.papers is not None and self.papers.is_mine(name):  # a paper's Apply or Cancel
            reply = await self.papers.press(name, value, actor, channel)
            return reply, render_teams(reply), True
        if name == "vote_comment":
            if (poll_id := read_id(value)) is None:
                return _sorry(unknown_button())
            try:
                return Reply("Comment", ()), await self.polls.comment_card(poll_id), True
            except Refusal as refusal:  # the poll is gone (undone): say so, not "something went wrong"
                return _sorry(say(refusal))
        if name == "vote" and data.get("comment"):
            value = f"{value}:{' '.join(str(data['comment']).split())}"
        result = await self.bot.answers.press(name, value, actor, channel)
        if name == "vote" and isinstance(result, Reply) and (poll_id := read_id(value.split(":", 1)[0])) is not None:
            # The voter sees the poll again, with their vote in it and a line saying it counted (or why not).
            try:
                return result, await self.polls.voter_card(poll_id, result, actor), True
            except Refusal:
                return result, render_teams(result), False
        if isinstance(result, Pressed):
            return (*await self._rerun(result, actor, channel), result.replace)
        return result, render_teams(result), False

    async def _rerun(self, pressed: Pressed, actor: Actor, channel: Channel) -> tuple[Reply, dict[str, Any]]:
        """A navigation button: its command again, as the person who clicked, at the page it names."""
        text = f"{pressed.command} public" if pressed.public else pressed.command
        reply, card = await self.bot.answers.answer_rendered(
            None, text, actor, "teams", page=pressed.page, channel=channel, render_fn=render_teams
        )
        if reply.file is not None:  # a button for a file: the card with its download link
            return reply, download_card(self.bot, reply)
        if pressed.public and not reply.is_error:
            shared = reply.with_blocks((Note(spans(messages.shared_by(actor.name or actor.user_id))),))
            card = render_teams(shared, pressed.page)
        return reply, card
