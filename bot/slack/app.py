"""The Slack adapter: builds the bolt AsyncApp and registers its listener groups.

Each group is a module with one job: slash commands with the ack budget and the late answer
through the response_url (`slash`), mentions and DMs (`conversations`), App Home (`home`),
buttons (`buttons`), modal submissions (`submissions`), and poll messages with the votes CSV
(`polls`). They all answer through the bot's parts, so every change is checked, applied
atomically and audited with the Slack user as actor.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import httpx
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.routing import Route

from bot import messages
from bot.bodies import BodyReader
from bot.core import Releasebot
from bot.services import Lifecycle
from bot.settings import Settings
from bot.slack import payload
from bot.slack.buttons import Buttons
from bot.slack.conversations import Conversations
from bot.slack.guard import MAX_AGE_SECONDS, MAX_BODY_BYTES, SlackGuard
from bot.slack.home import AppHome
from bot.slack.http import slack_route, socket_mode_events_once
from bot.slack.listeners import SlackParts, sorry
from bot.slack.papers import SlackPapers
from bot.slack.polls import SlackPolls
from bot.slack.replays import SharedReplays
from bot.slack.respond import post_response
from bot.slack.slash import SlashCommands
from bot.slack.submissions import Submissions
from bot.tasks import TaskSet
from domain.clock import system_clock

__all__ = ["SlackAdapter"]

log = logging.getLogger("releasebot.slack")


class _QuietTokenNotice(logging.Filter):
    """bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given: it is used, by the client."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("releasebot.bolt")
    if not any(isinstance(f, _QuietTokenNotice) for f in logger.filters):
        logger.addFilter(_QuietTokenNotice())
    return logger


class SlackAdapter:
    """Owns the bolt app, its Web API client and the HTTP client for response_urls; a `Service`."""

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
        # Slack signs requests with the real time: the guard checks their age on the host's clock,
        # even when the bot lives on another day.
        # Signatures are also recorded in the database, so a replay is refused on every replica.
        self.replays = SharedReplays(bot.db, keep=timedelta(seconds=MAX_AGE_SECONDS + 60), clock=system_clock)
        self.guard = SlackGuard(secret, clock=system_clock, shared=self.replays) if secret else None
        self.bodies = BodyReader(MAX_BODY_BYTES, settings.body_timeout_seconds, settings.max_pending_bodies)
        self.tasks = TaskSet()
        self.parts = SlackParts(bot, self.client, self.http, self.tasks)
        self.polls = SlackPolls(self.parts)
        bot.fanout.subscribe(self.polls)
        papers = SlackPapers(self.parts, settings.slack_api_url)
        self.slash = SlashCommands(self.parts, self.polls)
        for group in (
            self.slash,
            papers,  # before Buttons: its Apply and Cancel are its own
            Conversations(self.parts, papers),
            AppHome(self.parts),
            Buttons(self.parts, self.polls),
            Submissions(self.parts),
        ):
            group.register(self.app)
        self.app.error(self.on_error)
        self.state = Lifecycle.CREATED

    def routes(self) -> list[Route]:
        if self.guard is None:
            raise ValueError("SLACK_SIGNING_SECRET")
        return [
            slack_route(
                self.app, self.guard, self.bot.db, self.bot.clock, self.bodies, reads=self.slash.answered_from_cache
            )
        ]

    def use_socket_mode(self) -> None:
        """Over Socket Mode there is no /slack/events endpoint to catch retried events: a middleware does."""
        self.app.middleware(socket_mode_events_once(self.bot.db, self.bot.clock))

    async def start(self) -> None:
        """Nothing to connect: bolt needs no connection until the first request."""
        self.state = Lifecycle.RUNNING

    async def stop(self) -> None:
        """Let answers still in flight finish, then close the HTTP client."""
        self.state = Lifecycle.STOPPING
        await self.tasks.drain()
        await self.replays.drain()
        await self.http.aclose()
        self.state = Lifecycle.STOPPED

    async def on_error(self, error: Exception, body: dict[str, Any], response: Any) -> None:
        """Nothing reaches bolt's default handler: log once (no body: it may hold user text)."""
        log.error(
            messages.log_slack_listener_failed(
                type(error).__name__, str(body.get("type") or body.get("command") or "?")
            ),
            exc_info=error,
        )
        url = body.get("response_url") or ""
        if url and response is None:
            self.parts.spawn(post_response(self.http, url, payload.response(sorry())))
