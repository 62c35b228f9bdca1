"""Mentions and direct messages: `@releasebot june-2022 scope` answers in a thread, a DM in the DM.

The event was claimed as a first delivery before it got here (`bot.slack.http`); once answered
it is marked done, so a retry arriving later at another replica is not answered twice.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack import payload
from bot.slack.files import SlackFiles
from bot.slack.listeners import SlackParts, slack_channel
from bot.slack.papers import SlackPapers
from store.events import finish_event

__all__ = ["Conversations"]

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


class Conversations:
    def __init__(self, parts: SlackParts, papers: SlackPapers | None = None) -> None:
        self.parts = parts
        self.papers = papers
        self.files = SlackFiles(parts)

    def register(self, app: AsyncApp) -> None:
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)

    async def on_mention(self, context: dict[str, Any], event: dict[str, Any]) -> None:
        await self._answer(context, event, thread=True)

    async def on_message(self, context: dict[str, Any], event: dict[str, Any]) -> None:
        # Only direct messages to the bot; channel chatter is not for us (mentions come as app_mention).
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") == "file_share" and self.papers is not None:  # a paper to import, perhaps
            await self.papers.on_file(event)
            if event_id := context.get("releasebot_event_id", ""):
                await finish_event(self.parts.bot.db, event_id)
            return
        if event.get("subtype"):
            return
        await self._answer(context, event, thread=False)

    async def _answer(self, context: dict[str, Any], event: dict[str, Any], thread: bool) -> None:
        bot = self.parts.bot
        event_id = context.get("releasebot_event_id", "")
        text = _MENTION.sub("", event.get("text", "") or "").strip()
        channel_id = event.get("channel", "")
        actor = self.parts.actor(event.get("user", ""))
        reply = await bot.answers.line(  # a command as it is; a question in plain words read, then answered
            text or "help",
            actor,
            slack_channel(channel_id, "directmessage" if event.get("channel_type") == "im" else ""),
        )
        message = payload.message(reply)
        if thread:
            message["thread_ts"] = event.get("thread_ts") or event.get("ts")
        await self.parts.client.chat_postMessage(channel=channel_id, **message)
        if event_id:
            await finish_event(bot.db, event_id)
        if reply.file is not None:  # `june-2021 rid docx` in a DM or a mention: the file follows the reply
            await self.files.upload(reply.file, channel_id, thread_ts=message.get("thread_ts"))
