"""Checks every request to /slack/events before bolt sees it: signature, age, replay, body.

Bolt verifies signatures too, but it parses the body first (a malformed body is a 500 with a
traceback), accepts a replayed request, and logs a refused body. Here a request that is not
signed by Slack, is more than five minutes old, was already seen, or cannot be parsed gets 401
(400 for a signed but unreadable body) and nothing else happens.

"Already seen" is checked in memory first (free), then, with `shared` (`bot/slack/replays.py`),
in the database, so a request replayed to another replica or after a restart is refused too.

The age check takes a clock: Slack stamps requests with the real time, so the adapter gives the
host's clock here even when the bot lives on another day (`RELEASEBOT_TODAY`, the demo).
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

from domain.clock import Clock, system_clock

__all__ = ["MAX_AGE_SECONDS", "MAX_BODY_BYTES", "Refusal", "SharedRecord", "SlackGuard", "parse_slack_body"]

MAX_AGE_SECONDS = 300
MAX_BODY_BYTES = 1 << 20  # Slack's own payloads are far smaller; anything bigger is not Slack


class SharedRecord(Protocol):
    """Signatures every replica sees (`bot.slack.replays.SharedReplays`)."""

    async def first_time(self, signature: str, signed_at: datetime) -> bool: ...


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


class SlackGuard:
    def __init__(
        self,
        signing_secret: str,
        clock: Clock = system_clock,
        replay_ttl: float = 2 * MAX_AGE_SECONDS + 60,
        shared: SharedRecord | None = None,
    ) -> None:
        self._shared = shared
        self._verifier = SignatureVerifier(signing_secret)
        self._clock = clock
        self._ttl = replay_ttl
        self._seen: dict[str, float] = {}
        self._checks = 0

    def check_headers(self, headers: Mapping[str, str]) -> Refusal | None:
        """What can be refused before reading the body: no signature, a bad or old timestamp, a body too big."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not timestamp or not signature:
            return Refusal(401, "unsigned request")
        if not (timestamp.isascii() and timestamp.isdecimal()) or len(timestamp) > 12:
            return Refusal(401, "bad timestamp")  # a number of any length would overflow the float below
        age = abs(self._clock().timestamp() - int(timestamp))
        if age > MAX_AGE_SECONDS:
            return Refusal(401, "stale request")
        length = headers.get("content-length", "")
        if length.isdecimal() and int(length) > MAX_BODY_BYTES:
            return Refusal(413, "request too large")
        return None

    def check(self, raw: bytes, headers: Mapping[str, str]) -> Refusal | None:
        """None when the request may go on; else why not."""
        early = self.check_headers(headers)
        if early is not None:
            return early
        if len(raw) > MAX_BODY_BYTES:
            return Refusal(413, "request too large")
        timestamp = headers["x-slack-request-timestamp"]
        signature = headers["x-slack-signature"]
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(401, "bad signature")
        expected = self._verifier.generate_signature(timestamp=timestamp, body=body)
        if expected is None:
            return Refusal(401, "bad signature")
        # Bytes, so a header with characters outside ASCII is a mismatch, not an exception.
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogateescape")):
            return Refusal(401, "bad signature")
        if not self._first_time(signature):
            return Refusal(401, "replayed request")
        return None

    async def admit(self, raw: bytes, headers: Mapping[str, str]) -> Refusal | None:
        """`check`, then the shared record: None only for a request no replica has accepted before."""
        return self.check(raw, headers) or await self.confirm(headers)

    async def confirm(self, headers: Mapping[str, str], wait: bool = True) -> Refusal | None:
        """After `check` passed: refuse what another replica (or this one before a restart) accepted.

        `wait=False` for a request that changes nothing (a cached read): the in-memory check only."""
        if self._shared is None or not wait:
            return None
        signature = headers["x-slack-signature"]
        signed_at = datetime.fromtimestamp(int(headers["x-slack-request-timestamp"]), UTC)
        if not await self._shared.first_time(signature, signed_at):
            return Refusal(401, "replayed request")
        return None

    def _first_time(self, signature: str) -> bool:
        # Only verified signatures are recorded, so junk cannot fill the table; no await between
        # the check and the set, so it is atomic under asyncio.
        now = time.monotonic()
        self._checks += 1
        if self._checks % 1024 == 0:
            self._seen = {s: t for s, t in self._seen.items() if now - t < self._ttl}
        seen_at = self._seen.get(signature)
        if seen_at is not None and now - seen_at < self._ttl:
            return False
        self._seen[signature] = now
        return True


def parse_slack_body(raw: str, content_type: str) -> dict[str, Any] | None:
    """Parse like bolt, minus its bug: a slash command whose text says "payload" is not a payload."""
    try:
        if content_type.startswith("application/json") or raw.startswith("{"):
            parsed = json.loads(raw)
            return parsed if isinstance(parsed, dict) else None
        fields = dict(parse_qsl(raw, keep_blank_values=True))
        if "payload" in fields:
            parsed = json.loads(fields["payload"])
            return parsed if isinstance(parsed, dict) else None
        return fields
    except (ValueError, TypeError):
        return None
