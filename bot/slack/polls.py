"""Poll messages in Slack: posting a new poll, keeping its messages current, the votes CSV.

A poll is posted by the bot (not as a slash command's ack) so its message can be edited as votes
come in; votes within `POLL_REFRESH_SECONDS` of each other make one edit (`bot.pollsync`), and a
close is announced at once in the message's thread. This is Slack's `PollPublisher`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.pollsync import PollRefresher
from bot.slack import modals, payload
from bot.slack.listeners import SlackParts, unauthorised
from commands.context import Actor, Channel
from commands.messages import unknown_button
from commands.polls import outcome_reply, poll_card, votes_csv
from commands.refusals import say
from domain.polls import PollView
from domain.refusals import Refusal
from domain.reply import Reply
from domain.words import read_id
from store import polls

__all__ = ["POLL_REFRESH_SECONDS", "SlackPolls"]

log = logging.getLogger("releasebot.slack")

POLL_REFRESH_SECONDS = 0.5  # votes within this long of each other update the poll message once


class SlackPolls:
    def __init__(self, parts: SlackParts) -> None:
        self.parts = parts
        self._refresher = PollRefresher(self._refresh, lambda: POLL_REFRESH_SECONDS)

    async def publish(self, ack: Any, reply: Reply, channel: Channel) -> None:
        """Post a new poll to the channel, remember the message, and ack privately that it is up."""
        poll_id = int(reply.meta["poll_id"])
        try:
            posted = await self.parts.client.chat_postMessage(channel=channel.id, **payload.message(reply))
        except SlackApiError as exc:
            await ack(
                text=messages.poll_not_posted(poll_id, str(exc.response.get("error", "error"))),
                response_type="ephemeral",
            )
            return
        await self.parts.bot.writer.run(polls.RecordMessage(poll_id, "slack", posted["channel"], posted["ts"]))
        await ack(text=messages.poll_posted(poll_id), response_type="ephemeral")

    async def poll_changed(self, poll_id: int, closed: bool) -> None:
        """Update every Slack message of the poll (votes folded together); on close, announce the outcome in its thread."""
        await self._refresher.changed(poll_id, closed)

    async def _refresh(self, poll_id: int, announce: bool) -> None:
        bot, client = self.parts.bot, self.parts.client
        view = await bot.writer.read(lambda session: polls.load_poll(session, poll_id))
        ctx = bot.answers.context(Actor("slack", ""))
        card = payload.message(poll_card(view, ctx))
        for platform, channel_id, ts in view.messages:
            if platform != "slack":
                continue
            try:
                await client.chat_update(channel=channel_id, ts=ts, **card)
                if announce:
                    await client.chat_postMessage(
                        channel=channel_id,
                        thread_ts=ts,
                        reply_broadcast=True,
                        **payload.message(outcome_reply(view, ctx)),
                    )
            except SlackApiError:
                log.warning(messages.log_poll_refresh_failed(poll_id, "slack"), exc_info=True)

    async def _poll(self, value: str) -> PollView | str:
        """The poll a button names, or what to tell the person (a malformed value, a poll undone)."""
        poll_id = read_id(value)
        if poll_id is None:
            return unknown_button()
        try:
            return await self.parts.bot.writer.read(lambda session: polls.load_poll(session, poll_id))
        except Refusal as refusal:
            return say(refusal)

    async def open_vote_modal(self, trigger_id: str, value: str, channel_id: str) -> str | None:
        """The "vote with a comment" button: a modal asking for the choice and the comment (else why not)."""
        view = await self._poll(value)
        if isinstance(view, str):
            return view
        await self.parts.client.views_open(
            trigger_id=trigger_id, view=modals.vote_modal(view.id, view.question, channel_id)
        )
        return None

    async def send_votes_csv(self, actor: Actor, value: str) -> str | None:
        """The poll's votes as a CSV file in the person's DM (admins), for the minutes (else why not)."""
        view = await self._poll(value)
        if isinstance(view, str):
            return view
        client = self.parts.client
        dm = (await client.conversations_open(users=actor.user_id))["channel"]["id"]
        if not actor.is_admin:
            await client.chat_postMessage(channel=dm, text=unauthorised(actor))
            return None
        await client.files_upload_v2(
            channel=dm,
            content=votes_csv(view),
            filename=f"poll-{view.id}-{view.slug}.csv",
            title=f"Votes: {view.release_name} poll #{view.id}",
        )
        return None
