"""Reading request bodies that nobody has vouched for yet: bounded in size, time and number.

Slack's signature and Teams' token can only be checked once the whole body is in, so until then
a body is a stranger's. A client trickling a byte every few seconds could otherwise hold a
connection (and a file descriptor) for ever, and five hundred of them starve real requests. So:
at most `max_bytes` are read (413); the whole body must arrive within `timeout` seconds (408);
at most `max_pending` bodies are being read at once, and a body past that is refused (503,
with Retry-After) unless it is all in within `grace` seconds, so under a flood of slow bodies
Slack's and Teams' own requests, whose bodies come in one packet, are still served; a client
that goes away mid-body is one short log line, not a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from bot import messages

__all__ = ["BodyReader", "BodyRefused"]

log = logging.getLogger("releasebot.web")


@dataclass(frozen=True)
class BodyRefused(Exception):
    status: int
    reason: str

    def response(self) -> Response:
        # `connection: close`: the server drops the connection after answering, so a refused
        # client no longer holds a file descriptor however slowly it goes on sending.
        headers = {"connection": "close", **({"retry-after": "1"} if self.status == 503 else {})}
        return JSONResponse({"error": self.reason}, status_code=self.status, headers=headers)


class BodyReader:
    """One per endpoint family (Slack, Teams); `pending` is how many bodies are being read now."""

    def __init__(self, max_bytes: int, timeout: float, max_pending: int, grace: float = 0.25) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_pending = max_pending
        self.grace = min(grace, timeout)
        self.pending = 0

    async def read(self, request: Request) -> bytes:
        """The body (at most max_bytes + 1 bytes of it: the caller tells too big); else BodyRefused."""
        declared = request.headers.get("content-length", "")
        if declared.isascii() and declared.isdecimal() and (len(declared) > 12 or int(declared) > self.max_bytes):
            raise BodyRefused(413, "request too large")
        over = self.pending >= self.max_pending  # no await between the check and the count: atomic
        self.pending += 1
        client = request.client.host if request.client else "?"
        try:
            async with asyncio.timeout(self.grace if over else self.timeout):
                return await self._read(request)
        except TimeoutError:
            if over:
                raise BodyRefused(503, "too many unfinished requests") from None
            log.info(messages.log_body_refused("body not sent in time", client))
            raise BodyRefused(408, "request body timeout") from None
        except ClientDisconnect:
            log.info(messages.log_body_refused("client went away mid-body", client))
            raise BodyRefused(400, "client went away") from None
        finally:
            self.pending -= 1

    async def _read(self, request: Request) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                break
        return b"".join(chunks)
