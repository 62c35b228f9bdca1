"""Posting a rendered reply to a channel: Slack Web API, Slack incoming webhooks, Teams Workflows.

A `Sender` posts one `Reply` to one `Destination` and says what happened as an `Outcome`:
`sent` (with the platform's message id), `retry` (try again later) or `failed` (it never will:
the report goes to the admin channel). Each sender paces itself (about one message a second per
channel), waits out 429 Retry-After for every channel it posts to, and retries 5xx and network
errors a bounded number of times with exponential backoff. All HTTP goes through an
`httpx.AsyncClient` given by the caller, so tests use a fake server or `httpx.MockTransport`.
A Teams proactive sender (issue 7) is one more class with `accepts` and `send`.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal, Protocol

import httpx

from commands.render import render_slack, render_teams
from domain.reply import Actions, Reply
from notifiers import messages
from notifiers.webhooks import WEBHOOK_HOSTS, webhook_allowed

__all__ = [
    "WEBHOOK_HOSTS",
    "Destination",
    "Hold",
    "Outcome",
    "Pacer",
    "Sender",
    "Senders",
    "SlackWebSender",
    "SlackWebhookSender",
    "TeamsWorkflowSender",
    "retry_after",
    "webhook_allowed",
]

log = logging.getLogger("releasebot.senders")

Sleep = Callable[[float], Awaitable[None]]

# Slack errors that will not go away by trying again.
SLACK_PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "no_permission",
        "missing_scope",
        "restricted_action",
        "msg_too_long",
        "invalid_blocks",
        "invalid_blocks_format",
        "no_text",
        "too_many_attachments",
        "ekm_access_denied",
        "team_access_not_granted",
        "invalid_arguments",
        "user_is_restricted",
    }
)
SLACK_TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"}
)


@dataclass(frozen=True, slots=True)
class Destination:
    platform: str  # slack|teams
    channel_id: str
    label: str  # how people name it: "#releases"
    webhook_url: str | None = None  # a secret: never logged


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Literal["sent", "retry", "failed", "lost"]  # lost: the claim passed on, nothing posted
    message_id: str = ""
    error: str = ""

    @staticmethod
    def sent(message_id: str) -> Outcome:
        return Outcome("sent", message_id)

    @staticmethod
    def retry(error: str) -> Outcome:
        return Outcome("retry", error=error)

    @staticmethod
    def failed(error: str) -> Outcome:
        return Outcome("failed", error=error)

    @staticmethod
    def lost() -> Outcome:
        return Outcome("lost", error="claim lost")


class Hold(Protocol):
    """The outbox claim a post is made under (`notifiers.claims.ClaimHold`): renewed at least every
    `interval` seconds while the sender waits, and once right before each post."""

    @property
    def interval(self) -> float: ...

    async def renew(self) -> bool:
        """Extend the claim; False when it is no longer this worker's (then nothing is posted)."""
        ...


class Sender(Protocol):
    """Posts replies to the destinations it `accepts`."""

    def accepts(self, destination: Destination) -> bool: ...

    async def send(self, destination: Destination, reply: Reply, key: str, hold: Hold | None = None) -> Outcome: ...


@dataclass
class Pacer:
    """About one message per `interval` seconds per channel, and a pause for all after a 429."""

    interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _next: dict[str, float] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    paused_until: float = 0.0

    def lock(self, channel: str) -> asyncio.Lock:
        return self._locks.setdefault(channel, asyncio.Lock())

    async def wait_turn(self, channel: str, hold: Hold | None = None) -> bool:
        """Return when `channel` may be posted to (the caller holds its lock): True, or False when
        `hold` (renewed while waiting and right before the turn) was lost."""
        while True:
            ready = max(self._next.get(channel, 0.0), self.paused_until)
            delay = ready - self.clock()
            if delay <= 0:
                if hold is not None and not await hold.renew():
                    return False
                if max(self._next.get(channel, 0.0), self.paused_until) > self.clock():
                    continue  # a 429 elsewhere paused everyone while the claim was renewed
                self._next[channel] = self.clock() + self.interval
                return True
            await self.sleep(delay if hold is None else min(delay, hold.interval))
            if hold is not None and delay > hold.interval and not await hold.renew():
                return False  # (a wait shorter than the interval is confirmed just before the turn)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + seconds)


def retry_after(response: httpx.Response, default: float = 1.0) -> float:
    """Seconds from a Retry-After header (Slack sends whole seconds); `default` when absent."""
    try:
        return max(0.0, float(response.headers.get("retry-after", default)))
    except ValueError:
        return default


@dataclass
class _HttpSender:
    """The HTTP part every sender shares: pacing, 429, bounded 5xx/network retries."""

    http: httpx.AsyncClient
    pacer: Pacer = field(default_factory=Pacer)
    max_rate_limited: int = 5  # 429s in a row before giving the row back to the outbox
    max_server_errors: int = 3  # 5xx / network errors in a row, with backoff between them
    backoff: float = 0.5  # first backoff in seconds; doubles each time

    async def _post(
        self,
        destination: Destination,
        url: str,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        hold: Hold | None = None,
    ) -> httpx.Response | Outcome:
        """POST until a response that is neither 429 nor 5xx, or an `Outcome.retry` when out of tries;
        `Outcome.lost` (nothing posted) as soon as `hold` is lost."""
        limited = errors = 0
        async with self.pacer.lock(destination.channel_id):
            while True:
                if not await self.pacer.wait_turn(destination.channel_id, hold):
                    return Outcome.lost()
                try:
                    response = await _holding(hold, self.http.post(url, json=payload, headers=dict(headers or {})))
                except httpx.HTTPError as exc:
                    errors += 1
                    if errors > self.max_server_errors:
                        return Outcome.retry(f"network: {type(exc).__name__}")
                    await self._backoff(errors, hold)
                    continue
                if response.status_code == 429:
                    limited += 1
                    self.pacer.pause(retry_after(response))
                    if limited > self.max_rate_limited:
                        return Outcome.retry("ratelimited")
                    continue
                if response.status_code >= 500:
                    errors += 1
                    if errors > self.max_server_errors:
                        return Outcome.retry(f"http_{response.status_code}")
                    await self._backoff(errors, hold)
                    continue
                return response

    async def _backoff(self, errors: int, hold: Hold | None) -> None:
        delay = self.backoff * 2 ** (errors - 1)
        while delay > 0:  # in slices, so the claim is renewed (the next turn confirms it)
            step = delay if hold is None else min(delay, hold.interval)
            await self.pacer.sleep(step)
            delay -= step
            if hold is not None and delay > 0 and not await hold.renew():
                return


async def _holding(hold: Hold | None, post: Awaitable[httpx.Response]) -> httpx.Response:
    """Await a post, renewing the claim while it is in flight, so a slow answer does not let another
    worker take the row and post it too."""
    if hold is None:
        return await post
    task = asyncio.ensure_future(post)
    try:
        while not (await asyncio.wait({task}, timeout=hold.interval))[0]:
            await hold.renew()  # too late to stop this post; keep others off the row
    except BaseException:
        task.cancel()  # the delivery itself was cancelled (shutdown): no orphaned post
        raise
    return task.result()


def _without_buttons(reply: Reply) -> Reply:
    """Cards posted through a webhook cannot call the bot back: drop the buttons."""
    return replace(reply, blocks=tuple(b for b in reply.blocks if not isinstance(b, Actions)), page=1)


@dataclass
class SlackWebSender(_HttpSender):
    """chat.postMessage with the bot token, to channels the bot is in."""

    api_url: str = "https://slack.com/api/"
    token: str = ""

    def accepts(self, destination: Destination) -> bool:
        return destination.platform == "slack" and not destination.webhook_url and bool(self.token)

    async def send(self, destination: Destination, reply: Reply, key: str, hold: Hold | None = None) -> Outcome:
        body = render_slack(reply)
        payload = {
            "channel": destination.channel_id,
            "text": body["text"],
            "blocks": body["blocks"],
            "unfurl_links": False,
            "metadata": {"event_type": "releasebot_reminder", "event_payload": {"key": key}},
        }
        got = await self._post(
            destination,
            self.api_url.rstrip("/") + "/chat.postMessage",
            payload,
            {"Authorization": f"Bearer {self.token}"},
            hold,
        )
        if isinstance(got, Outcome):
            return got
        try:
            data = got.json()
        except ValueError:
            return Outcome.retry(f"http_{got.status_code}: not JSON")
        if data.get("ok"):
            return Outcome.sent(str(data.get("ts") or ""))
        error = str(data.get("error") or f"http_{got.status_code}")
        return Outcome.retry(error) if error in SLACK_TRANSIENT else Outcome.failed(error)


@dataclass
class _WebhookSender(_HttpSender, abc.ABC):
    """An incoming webhook: the URL is the channel, the answer carries no message id."""

    platform: ClassVar[str]
    accepted: ClassVar[frozenset[int]]
    receipt: ClassVar[str]  # stored as the message id
    extra_hosts: frozenset[str] = frozenset()

    def accepts(self, destination: Destination) -> bool:
        return destination.platform == self.platform and bool(destination.webhook_url)

    @abc.abstractmethod
    def payload(self, reply: Reply) -> dict[str, Any]:
        """The JSON body this kind of webhook takes."""

    async def send(self, destination: Destination, reply: Reply, key: str, hold: Hold | None = None) -> Outcome:
        assert destination.webhook_url
        if not webhook_allowed(self.platform, destination.webhook_url, self.extra_hosts):
            return Outcome.failed("webhook_host_not_allowed")
        got = await self._post(destination, destination.webhook_url, self.payload(reply), hold=hold)
        if isinstance(got, Outcome):
            return got
        if got.status_code in self.accepted:
            return Outcome.sent(self.receipt)
        return Outcome.failed(got.text.strip()[:100] or f"http_{got.status_code}")


@dataclass
class SlackWebhookSender(_WebhookSender):
    """A Slack incoming webhook, for channels the bot is not in; it answers "ok" or an error word."""

    platform: ClassVar[str] = "slack"
    accepted: ClassVar[frozenset[int]] = frozenset({200})
    receipt: ClassVar[str] = "webhook"

    def payload(self, reply: Reply) -> dict[str, Any]:
        return render_slack(reply)


@dataclass
class TeamsWorkflowSender(_WebhookSender):
    """A Teams Workflows webhook ("Post to a channel when a webhook request is received").

    The card cannot call the bot back, so it goes without buttons."""

    platform: ClassVar[str] = "teams"
    accepted: ClassVar[frozenset[int]] = frozenset({200, 201, 202})
    receipt: ClassVar[str] = "accepted"

    def payload(self, reply: Reply) -> dict[str, Any]:
        card = render_teams(_without_buttons(reply))
        return {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
            ],
        }


class Senders:
    """Picks the sender for a destination (first that accepts it)."""

    def __init__(self, senders: Sequence[Sender]) -> None:
        self.senders = list(senders)

    def interactive(self, destination: Destination) -> bool:
        """Whether buttons on a message to `destination` reach the bot (a Teams Workflows webhook's do not)."""
        return destination.platform == "slack" or (destination.platform == "teams" and not destination.webhook_url)

    async def send(self, destination: Destination, reply: Reply, key: str, hold: Hold | None = None) -> Outcome:
        sender = next((s for s in self.senders if s.accepts(destination)), None)
        if sender is None:
            return Outcome.failed(messages.no_sender(destination.platform))
        outcome = await sender.send(destination, reply, key, hold)
        log.info(messages.log_send_outcome(key, destination.label, outcome.status, outcome.error))
        return outcome
