"""Modal submissions: the scope and milestone editors, and a vote with a comment.

A modal only composes the command an admin could have typed; it goes through the same answers
as chat, so it is checked, applied atomically and audited. A refusal is shown in the modal,
under the field it is about, and the modal stays open.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import messages
from bot.slack import modals, payload
from bot.slack.buttons import ACK_BUDGET_SECONDS
from bot.slack.listeners import SlackParts, ack_budget, reply_words, slack_channel, unauthorised
from domain.reply import Reply

__all__ = ["Submissions"]

# (the modal's input values, the release slug) -> (the command text, or None; errors by block id)
Compose = Callable[[dict[str, Any], str], tuple[str | None, dict[str, str]]]


class Submissions:
    def __init__(self, parts: SlackParts) -> None:
        self.parts = parts

    def register(self, app: AsyncApp) -> None:
        app.view(modals.SCOPE_CALLBACK)(self.on_scope_submit)
        app.view(modals.MILESTONE_CALLBACK)(self.on_milestone_submit)
        app.view(modals.VOTE_CALLBACK)(self.on_vote_submit)

    async def on_scope_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        blocks = {b.get("block_id") for b in view.get("blocks", [])}
        await self._submit(ack, body, view, modals.scope_command, "mod" if "mod" in blocks else "other")

    async def on_milestone_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await self._submit(ack, body, view, modals.milestone_command, "milestone")

    async def on_vote_submit(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
    ) -> None:
        """A vote with a comment: refusals shown in the form; a slow store closes the form at once
        (within Slack's 3 s) and the outcome follows as a private message in the poll's channel."""
        meta = json.loads(view.get("private_metadata") or "{}")
        value, errors = modals.vote_value(view.get("state", {}).get("values", {}), meta.get("poll", ""))
        if errors or value is None:
            await ack(response_action="errors", errors=errors)
            return
        actor = self.parts.actor(body.get("user") or {})
        channel_id = meta.get("channel", "")
        pressing = asyncio.ensure_future(self.parts.bot.answers.press("vote", value, actor, slack_channel(channel_id)))
        done, _ = await asyncio.wait({pressing}, timeout=ack_budget(context, ACK_BUDGET_SECONDS))
        if pressing in done:
            result = pressing.result()
            if isinstance(result, Reply) and result.is_error:
                await ack(response_action="errors", errors={"choice": reply_words(result)[:300]})
                return
            await ack()
            return
        await ack()
        result = await pressing
        if isinstance(result, Reply) and channel_id and actor.user_id:
            await self.parts.client.chat_postEphemeral(
                channel=channel_id, user=actor.user_id, **payload.message(result)
            )

    async def _submit(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], compose: Compose, error_block: str
    ) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        actor = self.parts.actor(body.get("user") or {})
        if not actor.is_admin:
            await ack(response_action="errors", errors={error_block: unauthorised(actor)})
            return
        text, errors = compose(view.get("state", {}).get("values", {}), meta.get("slug", ""))
        if errors or text is None:
            await ack(response_action="errors", errors=errors)
            return
        channel_id = meta.get("channel", "")
        reply = await self.parts.bot.answers.answer("release", text, actor, slack_channel(channel_id))
        if reply.is_error:
            await ack(
                response_action="errors", errors={error_block: reply_words(reply)[:300] or messages.not_changed()}
            )
            return
        await ack()
        if channel_id:
            await self.parts.client.chat_postMessage(channel=channel_id, **payload.message(reply))
