"""The Slack adapter: a bolt AsyncApp whose listeners turn Slack requests into bot answers.

Slash commands ack within Slack's three seconds: a cached or quick answer goes in the ack itself;
anything slower is acked with "working on it" and finished through the response_url. Mentions
and DMs answer in a thread or the DM. Buttons and modals go through the same command core, so
every change is checked, applied atomically and audited with the Slack user as actor.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

import httpx
from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.routing import Route

from bot.core import Releasebot
from bot.settings import Settings
from bot.slack import modals, payload
from bot.slack.guard import SlackGuard
from bot.slack.http import first_delivery, slack_route
from bot.slack.respond import post_response
from commands import messages
from commands.buttons import Pressed
from commands.context import Actor, Channel, Context
from commands.home import home
from commands.parse import SLASH_COMMANDS
from commands.reply import Paragraph, Reply, spans
from store.events import finish_event

__all__ = ["ACK_BUDGET_SECONDS", "SlackAdapter"]

log = logging.getLogger("releasebot.slack")

ACK_BUDGET_SECONDS = 2.2  # answer in the ack if ready by then; Slack gives up at 3 s
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_ACTION_ID = re.compile(r"^releasebot_([a-z_]+?)_\d+$")
_EDIT = re.compile(r"^(?P<slug>.+?)\s+edit(?:\s+(?P<what>scope|milestones?))?(?:\s+(?P<ref>\S+))?\s*$", re.I)


class _QuietTokenNotice(logging.Filter):
    """bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given: it is used, by the client."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _channel(channel_id: str, name: str = "") -> Channel:
    return Channel("slack", channel_id, name, direct=channel_id.startswith("D") or name == "directmessage")


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("releasebot.bolt")
    if not any(isinstance(f, _QuietTokenNotice) for f in logger.filters):
        logger.addFilter(_QuietTokenNotice())
    return logger


class SlackAdapter:
    """Owns the bolt app, its Web API client and the HTTP client for response_urls."""

    def __init__(self, bot: Releasebot, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        if settings.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN")
        self.bot = bot
        self.settings = settings
        self.http = http or httpx.AsyncClient(timeout=10.0)
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
                AsyncServerErrorRetryHandler(max_retry_count=2),
            ],
        )
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        self.app = AsyncApp(
            client=self.client,
            signing_secret=secret or "socket-mode",
            # The guard in front (bot/slack/guard.py) verifies every HTTP request before bolt sees it.
            request_verification_enabled=False,
            process_before_response=False,
            name="releasebot",
            logger=_bolt_logger(),
        )
        self.guard = SlackGuard(secret) if secret else None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._register()

    # -- wiring ----------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        if self.guard is None:
            raise ValueError("SLACK_SIGNING_SECRET")
        return [slack_route(self.app, self.guard, self.bot.db)]

    async def start(self) -> None:
        """Nothing to start: bolt needs no connection until the first request."""

    async def stop(self) -> None:
        """Let answers still in flight finish, then close the HTTP client."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.http.aclose()

    def _register(self) -> None:
        app = self.app
        for name in SLASH_COMMANDS:
            app.command(f"/{name}")(self.on_command)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.action(re.compile(r"^releasebot_"))(self.on_button)
        app.view(modals.SCOPE_CALLBACK)(self.on_scope_submit)
        app.view(modals.MILESTONE_CALLBACK)(self.on_milestone_submit)
        app.error(self.on_error)

    def use_socket_mode(self) -> None:
        """Over Socket Mode there is no /slack/events endpoint to catch retried events: a middleware does."""
        self.app.middleware(self._socket_mode_events_once)

    async def _socket_mode_events_once(self, request: Any, body: dict[str, Any], context: dict[str, Any], next: Any) -> Any:
        """Over Socket Mode there is no /slack/events endpoint, so retried events are caught here."""
        if request.mode == "socket_mode" and body.get("type") == "event_callback" and body.get("event_id"):
            if not await first_delivery(self.bot.db, str(body["event_id"])):
                return BoltResponse(status=200, body="")
            context["releasebot_event_id"] = str(body["event_id"])
        return await next()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def actor(self, user: dict[str, Any] | str, name: str = "") -> Actor:
        if isinstance(user, dict):
            return self.bot.actor("slack", str(user.get("id", "")), str(user.get("name") or user.get("username") or name))
        return self.bot.actor("slack", user, name)

    # -- slash commands --------------------------------------------------------------------

    async def on_command(self, ack: Any, command: dict[str, Any]) -> None:
        try:
            await self._command(ack, command)
        except Exception:
            log.exception(messages.log_slack_listener_failed("an exception", "slash command"))
            if ack.response is None:
                reply = Reply("Sorry", (Paragraph(spans(messages.internal_error("slack"))),), kind="error")
                await ack(payload.response_json(reply))

    async def _command(self, ack: Any, command: dict[str, Any]) -> None:
        name = command.get("command", "").lstrip("/")
        text = command.get("text", "") or ""
        actor = self.actor(command.get("user_id", ""), command.get("user_name", ""))
        channel = _channel(command.get("channel_id", ""), command.get("channel_name", ""))
        response_url = command.get("response_url", "")
        if name == "release" and (edit := _EDIT.match(text.strip())):
            await self._open_editor(ack, command, actor, edit)
            return
        hit = self.bot.cached(name, text, actor, "slack", render_fn=payload.response_json)
        if hit is not None:  # the common case: answered from the cache, no task, serialised once
            await ack(hit[1])
            return
        task = asyncio.ensure_future(
            self.bot.answer_rendered(name, text, actor, "slack", channel=channel, render_fn=payload.response_json)
        )
        done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET_SECONDS)
        if task in done:
            _, body = task.result()
            await ack(body)
            return
        await ack(text=messages.working_on_it(), response_type="ephemeral")
        self._spawn(self._finish_late(task, response_url))

    async def _finish_late(self, task: asyncio.Task[tuple[Reply, str]], response_url: str) -> None:
        _, body = await task
        await post_response(self.http, response_url, {**json.loads(body), "replace_original": True})

    async def _open_editor(self, ack: Any, command: dict[str, Any], actor: Actor, edit: re.Match[str]) -> None:
        snap = self.bot.read_model.snapshot
        parsed = self.bot.parse("release", edit.group("slug"))
        slug = getattr(parsed, "slug", None)
        if not actor.is_admin:
            await ack(text=messages.not_admin(actor.name) if actor.role else messages.not_member(), response_type="ephemeral")
            return
        if slug is None or snap.release(slug) is None:
            _, body = await self.bot.answer_rendered("release", edit.group("slug"), actor, "slack", render_fn=payload.response_json)
            await ack(body)
            return
        await ack()
        what = (edit.group("what") or "scope").lower()
        view = (
            modals.milestone_modal(snap, slug, command.get("channel_id", ""))
            if what.startswith("milestone")
            else modals.scope_modal(snap, slug, command.get("channel_id", ""), (edit.group("ref") or "").upper() or None)
        )
        await self.client.views_open(trigger_id=command.get("trigger_id", ""), view=view)

    # -- events ----------------------------------------------------------------------------

    async def _answer_in_conversation(self, context: dict[str, Any], event: dict[str, Any], thread: bool) -> None:
        event_id = context.get("releasebot_event_id", "")
        text = _MENTION.sub("", event.get("text", "") or "").strip()
        channel_id = event.get("channel", "")
        actor = self.actor(event.get("user", ""))
        reply = await self.bot.answer(None, text or "help", actor, _channel(channel_id, "directmessage" if event.get("channel_type") == "im" else ""))
        message = payload.message(reply)
        if thread:
            message["thread_ts"] = event.get("thread_ts") or event.get("ts")
        await self.client.chat_postMessage(channel=channel_id, **message)
        if event_id:
            await finish_event(self.bot.db, event_id)

    async def on_mention(self, context: dict[str, Any], event: dict[str, Any]) -> None:
        await self._answer_in_conversation(context, event, thread=True)

    async def on_message(self, context: dict[str, Any], event: dict[str, Any]) -> None:
        # Only direct messages to the bot; channel chatter is not for us (mentions come as app_mention).
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await self._answer_in_conversation(context, event, thread=False)

    async def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event.get("user", "")
        ctx = Context(self.bot.read_model.snapshot, self.actor(user), self.bot.clock(), self.bot.today())
        await self.client.views_publish(user_id=user, view=payload.home_view(home(ctx)))

    # -- buttons ---------------------------------------------------------------------------

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        found = _ACTION_ID.match(action.get("action_id", ""))
        name = found.group(1) if found else ""
        actor = self.actor(body.get("user") or {})
        channel_id = (body.get("channel") or {}).get("id", "") or (body.get("container") or {}).get("channel_id", "")
        channel = _channel(channel_id)
        response_url = body.get("response_url", "")
        result = await self.bot.press(name, action.get("value", ""), actor, channel)
        if isinstance(result, Pressed):
            await self._show_pressed(result, actor, channel, response_url)
            return
        body_out = payload.response(result)
        if response_url:
            await post_response(self.http, response_url, {**body_out, "replace_original": False})
        elif channel_id:
            await self.client.chat_postEphemeral(channel=channel_id, user=actor.user_id, **payload.message(result))

    async def _show_pressed(self, pressed: Pressed, actor: Actor, channel: Channel, response_url: str) -> None:
        words = pressed.command.lstrip("/").split(None, 1)
        name, text = (words[0], words[1] if len(words) > 1 else "") if words else ("release", "")
        if pressed.public:
            text = f"{text} public"
        reply, body = await self.bot.answer_rendered(name, text, actor, "slack", page=pressed.page, channel=channel, render_fn=payload.response)
        if pressed.public and not reply.is_error:
            body = {**body, "response_type": "in_channel", "replace_original": False}
            who = actor.name or actor.user_id
            body["blocks"] = [*body["blocks"], {"type": "context", "elements": [{"type": "mrkdwn", "text": messages.shared_by(who)}]}]
        else:
            body = {**body, "replace_original": pressed.replace}
        if response_url:
            await post_response(self.http, response_url, body)

    # -- modals ----------------------------------------------------------------------------

    async def _submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any], build: Any, error_block: str) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        actor = self.actor(body.get("user") or {})
        if not actor.is_admin:
            await ack(response_action="errors", errors={error_block: messages.not_admin(actor.name) if actor.role else messages.not_member()})
            return
        text, errors = build(view.get("state", {}).get("values", {}), meta.get("slug", ""))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        channel_id = meta.get("channel", "")
        reply = await self.bot.answer("release", text, actor, _channel(channel_id))
        if reply.is_error:
            message = " ".join(span.text for block in reply.blocks if isinstance(block, Paragraph) for span in block.line)
            await ack(response_action="errors", errors={error_block: message[:300] or messages.not_changed()})
            return
        await ack()
        if channel_id:
            await self.client.chat_postMessage(channel=channel_id, **payload.message(reply))

    async def on_scope_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        blocks = {b.get("block_id") for b in view.get("blocks", [])}
        await self._submit(ack, body, view, modals.scope_command, "mod" if "mod" in blocks else "other")

    async def on_milestone_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await self._submit(ack, body, view, modals.milestone_command, "milestone")

    # -- errors ----------------------------------------------------------------------------

    async def on_error(self, error: Exception, body: dict[str, Any], response: Any) -> None:
        """Nothing reaches bolt's default handler: log once (no body: it may hold user text)."""
        log.error(messages.log_slack_listener_failed(type(error).__name__, str(body.get("type") or body.get("command") or "?")), exc_info=error)
        url = body.get("response_url") or ""
        if url and response is None:
            reply = Reply("Sorry", (Paragraph(spans(messages.internal_error("slack"))),), kind="error")
            self._spawn(post_response(self.http, url, payload.response(reply)))
