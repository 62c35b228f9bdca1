"""Buttons: navigation (page, share, run a command), acting buttons (a vote, Done), poll extras.

Navigation and modal-opening buttons ack first (a modal needs the trigger id at once); an acting
button commits before Slack hears back, so the person is told the outcome, not "done" for
something that then fails. Slack gives up on a request not acked within 3 s (bolt answers it 404
and Slack sends it again): a press the store has not finished by `ACK_BUDGET_SECONDS` is acked
then, and its answer ("counted", or why not) follows through `response_url` when it has one.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import messages
from bot.slack import payload
from bot.slack.files import SlackFiles
from bot.slack.listeners import SlackParts, ack_budget, slack_channel
from bot.slack.polls import SlackPolls
from bot.slack.respond import post_response
from commands.buttons import BUTTONS, Pressed
from commands.context import Actor, Channel
from domain.reply import Reply

__all__ = ["Buttons"]

_ACTION_ID = re.compile(r"^releasebot_([a-z_]+?)_\d+$")
_ACK_FIRST = frozenset({"vote_comment", "votes_csv", "download"})
ACK_BUDGET_SECONDS = 2.0  # of Slack's 3 s, counted from the request's arrival at the endpoint


class Buttons:
    def __init__(self, parts: SlackParts, polls: SlackPolls) -> None:
        self.parts = parts
        self.polls = polls
        self.files = SlackFiles(parts)

    def register(self, app: AsyncApp) -> None:
        app.action(re.compile(r"^releasebot_(?!paper_)"))(self.on_button)  # a paper's buttons: bot.slack.papers

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], context: dict[str, Any]) -> None:
        answers = self.parts.bot.answers
        found = _ACTION_ID.match(action.get("action_id", ""))
        name = found.group(1) if found else ""
        value = action.get("value", "")
        actor = self.parts.actor(body.get("user") or {})
        channel_id = (body.get("channel") or {}).get("id", "") or (body.get("container") or {}).get("channel_id", "")
        channel = slack_channel(channel_id)
        response_url = body.get("response_url", "")
        if name in BUTTONS or name in _ACK_FIRST:
            await ack()  # navigation and modals: nothing to commit; a modal needs the trigger id at once
            if name == "download":
                await self._download(value, actor, channel)
            elif name in ("vote_comment", "votes_csv"):
                if name == "vote_comment":
                    why_not = await self.polls.open_vote_modal(body.get("trigger_id", ""), value, channel_id)
                else:
                    why_not = await self.polls.send_votes_csv(actor, value)
                if why_not and response_url:  # a malformed value or a poll undone: said at once, privately
                    reply = {"response_type": "ephemeral", "replace_original": False, "text": why_not}
                    await post_response(self.parts.http, response_url, reply)
            else:
                pressed = await answers.press(name, value, actor, channel)
                if isinstance(pressed, Pressed):
                    await self._show_pressed(pressed, actor, channel, response_url)
                elif response_url:  # a navigation value that is not one of ours: said, not ignored
                    await post_response(
                        self.parts.http, response_url, {**payload.response(pressed), "replace_original": False}
                    )
            return
        # Acting buttons (a vote, Done): committed before Slack hears back, unless the store is slow
        # (a busy replica): then Slack is acked within its 3 s anyway and the answer follows when it is.
        pressing = asyncio.ensure_future(answers.press(name, value, actor, channel))
        await asyncio.wait({pressing}, timeout=ack_budget(context, ACK_BUDGET_SECONDS))
        await ack()
        result = await pressing
        assert isinstance(result, Reply)
        body_out = payload.response(result)
        if response_url:
            await post_response(self.parts.http, response_url, {**body_out, "replace_original": False})
        elif channel_id:
            await self.parts.client.chat_postEphemeral(
                channel=channel_id, user=actor.user_id, **payload.message(result)
            )

    async def _download(self, value: str, actor: Actor, channel: Channel) -> None:
        """App Home's Download button (`value` is the command, e.g. `/release june-2021 rid docx`): the file in the person's DM."""
        words = value.lstrip("/").split(None, 1)
        if len(words) != 2:
            return
        reply = await self.parts.bot.answers.answer(words[0], words[1], actor, channel)
        if reply.file is not None:
            await self.files.upload_to_dm(reply.file, actor.user_id)
            return
        dm = (await self.parts.client.conversations_open(users=actor.user_id))["channel"]["id"]
        await self.parts.client.chat_postMessage(channel=dm, **payload.message(reply))

    async def _show_pressed(self, pressed: Pressed, actor: Actor, channel: Channel, response_url: str) -> None:
        """A navigation button's command, run as the person who pressed; shared ones say who shared."""
        words = pressed.command.lstrip("/").split(None, 1)
        name, text = (words[0], words[1] if len(words) > 1 else "") if words else ("release", "")
        if pressed.public:
            text = f"{text} public"
        reply, body = await self.parts.bot.answers.answer_rendered(
            name, text, actor, "slack", page=pressed.page, channel=channel, render_fn=payload.response
        )
        if pressed.public and not reply.is_error:
            body = {**body, "response_type": "in_channel", "replace_original": False}
            who = actor.name or actor.user_id
            body["blocks"] = [
                *body["blocks"],
                {"type": "context", "elements": [{"type": "mrkdwn", "text": messages.shared_by(who)}]},
            ]
        else:
            body = {**body, "replace_original": pressed.replace}
        if response_url:
            await post_response(self.parts.http, response_url, body)
