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
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.routing import Route

from bot.core import Releasebot
from bot.pollsync import PollRefresher
from bot.settings import Settings
from bot.slack import modals, payload
from bot.slack.guard import SlackGuard
from bot.slack.http import first_delivery, slack_route
from bot.slack.respond import post_response
from commands import messages
from commands.buttons import BUTTONS, Pressed
from commands.context import Actor, Channel, Context
from commands.home import home
from commands.parse import SLASH_COMMANDS
from commands.polls import outcome_reply, poll_card, votes_csv
from commands.reply import Paragraph, Reply, spans
from store import polls
from store.events import finish_event

__all__ = ["ACK_BUDGET_SECONDS", "SlackAdapter"]

log = logging.getLogger("releasebot.slack")

ACK_BUDGET_SECONDS = 2.2  # answer in the ack if ready by then; Slack gives up at 3 s
POLL_REFRESH_SECONDS = 0.5  # votes within this long of each other update the poll message once
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_ACTION_ID = re.compile(r"^releasebot_([a-z_]+?)_\d+$")
_ACK_FIRST = frozenset({"vote_comment", "votes_csv"})
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
        self._polls = PollRefresher(self._refresh_poll, lambda: POLL_REFRESH_SECONDS)
        bot.poll_publishers.append(self)
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
        app.view(modals.VOTE_CALLBACK)(self.on_vote_submit)
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
            reply, body = task.result()
            if reply.meta.get("publish"):
                await self._publish_poll(ack, reply, channel)
                return
            await ack(body)
            return
        await ack(text=messages.working_on_it(), response_type="ephemeral")
        self._spawn(self._finish_late(task, response_url))

    async def _publish_poll(self, ack: Any, reply: Reply, channel: Channel) -> None:
        """A new poll is posted by the bot (not as the ack) so its message can be updated in place."""
        poll_id = int(reply.meta["poll_id"])
        try:
            posted = await self.client.chat_postMessage(channel=channel.id, **payload.message(reply))
        except SlackApiError as exc:
            await ack(text=messages.poll_not_posted(poll_id, str(exc.response.get("error", "error"))), response_type="ephemeral")
            return
        await self.bot.run(lambda session, postgres: polls.record_message(session, poll_id, "slack", posted["channel"], posted["ts"]))
        await ack(text=messages.poll_posted(poll_id), response_type="ephemeral")

    async def poll_changed(self, poll_id: int, closed: bool) -> None:
        """Update every Slack message of the poll (votes folded together); on close, announce the outcome in its thread."""
        await self._polls.changed(poll_id, closed)

    async def _refresh_poll(self, poll_id: int, announce: bool) -> None:
        view = await self.bot.read(lambda session: polls.load_poll(session, poll_id))
        ctx = Context(self.bot.read_model.snapshot, Actor("slack", ""), self.bot.clock(), self.bot.today())
        card = payload.message(poll_card(view, ctx))
        for platform, channel_id, ts in view.messages:
            if platform != "slack":
                continue
            try:
                await self.client.chat_update(channel=channel_id, ts=ts, **card)
                if announce:
                    await self.client.chat_postMessage(channel=channel_id, thread_ts=ts, reply_broadcast=True, **payload.message(outcome_reply(view, ctx)))
            except SlackApiError:
                log.warning(messages.log_poll_refresh_failed(poll_id, "slack"), exc_info=True)

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
        try:
            open_polls = await self.bot.read(polls.open_polls)
        except Exception:  # the store may be down: the rest of the home tab still shows
            log.warning(messages.log_poll_check_failed(), exc_info=True)
            open_polls = []
        await self.client.views_publish(user_id=user, view=payload.home_view(home(ctx, open_polls)))

    # -- buttons ---------------------------------------------------------------------------

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        found = _ACTION_ID.match(action.get("action_id", ""))
        name = found.group(1) if found else ""
        actor = self.actor(body.get("user") or {})
        channel_id = (body.get("channel") or {}).get("id", "") or (body.get("container") or {}).get("channel_id", "")
        channel = _channel(channel_id)
        response_url = body.get("response_url", "")
        if name in BUTTONS or name in _ACK_FIRST:
            await ack()  # navigation and modals: nothing to commit; a modal needs the trigger id at once
            if name == "vote_comment":
                await self._open_vote_modal(body, action.get("value", ""), channel_id)
            elif name == "votes_csv":
                await self._send_votes_csv(actor, action.get("value", ""))
            else:
                pressed = await self.bot.press(name, action.get("value", ""), actor, channel)
                if isinstance(pressed, Pressed):
                    await self._show_pressed(pressed, actor, channel, response_url)
            return
        # Acting buttons (a vote, Done): committed before Slack hears back (the write times out in 2 s).
        result = await self.bot.press(name, action.get("value", ""), actor, channel)
        await ack()
        assert isinstance(result, Reply)
        body_out = payload.response(result)
        if response_url:
            await post_response(self.http, response_url, {**body_out, "replace_original": False})
        elif channel_id:
            await self.client.chat_postEphemeral(channel=channel_id, user=actor.user_id, **payload.message(result))

    async def _open_vote_modal(self, body: dict[str, Any], value: str, channel_id: str) -> None:
        if not value.isdecimal():
            return
        view = await self.bot.read(lambda session: polls.load_poll(session, int(value)))
        await self.client.views_open(trigger_id=body.get("trigger_id", ""), view=modals.vote_modal(view.id, view.question, channel_id))

    async def on_vote_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        value, errors = modals.vote_value(view.get("state", {}).get("values", {}), meta.get("poll", ""))
        if errors or value is None:
            await ack(response_action="errors", errors=errors)
            return
        actor = self.actor(body.get("user") or {})
        result = await self.bot.press("vote", value, actor, _channel(meta.get("channel", "")))
        if isinstance(result, Reply) and result.is_error:
            message = " ".join(span.text for block in result.blocks if isinstance(block, Paragraph) for span in block.line)
            await ack(response_action="errors", errors={"choice": message[:300]})
            return
        await ack()

    async def _send_votes_csv(self, actor: Actor, value: str) -> None:
        """The poll's votes as a CSV file in the person's DM (admins), for the minutes."""
        if not value.isdecimal():
            return
        dm = (await self.client.conversations_open(users=actor.user_id))["channel"]["id"]
        if not actor.is_admin:
            await self.client.chat_postMessage(channel=dm, text=messages.not_admin(actor.name) if actor.role else messages.not_member())
            return
        view = await self.bot.read(lambda session: polls.load_poll(session, int(value)))
        await self.client.files_upload_v2(
            channel=dm, content=votes_csv(view), filename=f"poll-{view.id}-{view.slug}.csv", title=f"Votes: {view.release_name} poll #{view.id}"
        )

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
