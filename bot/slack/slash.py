"""Slash commands (`/release`, `/mod`, `/workdays`), answered inside Slack's three seconds.

A cached answer is the ack itself (no task, serialised once); an answer ready within
`ACK_BUDGET_SECONDS` goes in the ack too; anything slower is acked with "working on it" and
finished through the response_url. A file asked for is uploaded after the ack (`files`). A new poll is posted by the bot (`SlackPolls.publish`), and
`/release <slug> edit [scope|milestone]` opens the admin modal the command language allowed (the
reply's meta names the form) instead of answering.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import messages
from bot.slack import modals, payload
from bot.slack.files import SlackFiles
from bot.slack.listeners import SlackParts, ack_budget, slack_channel, sorry
from bot.slack.polls import SlackPolls
from bot.slack.respond import post_response
from domain.reply import Reply

__all__ = ["ACK_BUDGET_SECONDS", "SlashCommands"]

log = logging.getLogger("releasebot.slack")

ACK_BUDGET_SECONDS = 2.2  # answer in the ack if ready by then; Slack gives up at 3 s


class SlashCommands:
    def __init__(self, parts: SlackParts, polls: SlackPolls) -> None:
        self.parts = parts
        self.polls = polls
        self.files = SlackFiles(parts)

    def register(self, app: AsyncApp) -> None:
        for name in self.parts.bot.table.grammar.slash_commands:
            app.command(f"/{name}")(self.on_command)

    def answered_from_cache(self, body: dict[str, Any]) -> bool:
        """Whether this slash command is a read the reply cache answers (it changes nothing)."""
        name = str(body.get("command") or "").lstrip("/")
        if not name or name not in self.parts.bot.table.grammar.slash_commands:
            return False
        actor = self.parts.actor(str(body.get("user_id", "")), str(body.get("user_name", "")))
        text = str(body.get("text", "") or "")
        return self.parts.bot.answers.cached(name, text, actor, "slack", render_fn=payload.response_json) is not None

    async def on_command(self, ack: Any, command: dict[str, Any], context: dict[str, Any]) -> None:
        try:
            await self._command(ack, command, context)
        except Exception:
            log.exception(messages.log_slack_listener_failed("an exception", "slash command"))
            if ack.response is None:
                await ack(payload.response_json(sorry()))

    async def _command(self, ack: Any, command: dict[str, Any], context: dict[str, Any]) -> None:
        answers = self.parts.bot.answers
        name = command.get("command", "").lstrip("/")
        text = command.get("text", "") or ""
        actor = self.parts.actor(command.get("user_id", ""), command.get("user_name", ""))
        channel = slack_channel(command.get("channel_id", ""), command.get("channel_name", ""))
        hit = answers.cached(name, text, actor, "slack", render_fn=payload.response_json)
        if hit is not None:  # the common case: answered from the cache, no task, serialised once
            await ack(hit[1])
            self._hand_over(hit[0], command)
            return
        task = asyncio.ensure_future(
            answers.answer_rendered(name, text, actor, "slack", channel=channel, render_fn=payload.response_json)
        )
        done, _ = await asyncio.wait({task}, timeout=ack_budget(context, ACK_BUDGET_SECONDS))
        if task in done:
            reply, body = task.result()
            if reply.meta.get("publish"):
                await self.polls.publish(ack, reply, channel)
                return
            if reply.meta.get("modal"):
                await self._open_editor(ack, command, reply.meta)
                return
            await ack(body)
            self._hand_over(reply, command)
            return
        await ack(text=messages.working_on_it(), response_type="ephemeral")
        self.parts.spawn(self._finish_late(task, command))

    async def _finish_late(self, task: asyncio.Task[tuple[Reply, str]], command: dict[str, Any]) -> None:
        reply, body = await task
        await post_response(
            self.parts.http, command.get("response_url", ""), {**json.loads(body), "replace_original": True}
        )
        self._hand_over(reply, command)

    def _hand_over(self, reply: Reply, command: dict[str, Any]) -> None:
        """A file asked for (`rid docx`, `timeline png`): built and uploaded after the ack, to where it was asked."""
        if reply.file is not None:
            self.parts.spawn(
                self.files.upload(
                    reply.file, command.get("channel_id", ""), response_url=command.get("response_url", "")
                )
            )

    async def _open_editor(self, ack: Any, command: dict[str, Any], meta: dict[str, str]) -> None:
        """`/release <slug> edit`: the command language allowed the form in `meta`; open it instead of replying."""
        await ack()
        snap = self.parts.bot.snapshot
        channel_id = command.get("channel_id", "")
        view = (
            modals.milestone_modal(snap, meta["slug"], channel_id)
            if meta["modal"] == "milestone"
            else modals.scope_modal(snap, meta["slug"], channel_id, meta.get("ref"))
        )
        await self.parts.client.views_open(trigger_id=command.get("trigger_id", ""), view=view)
