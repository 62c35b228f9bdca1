"""A fake Bot Connector service (what Teams' serviceUrl points at) on an ephemeral loopback port.

It records every activity the bot sends or updates, answers like the real one (201 with an id),
can be scripted to refuse (429 with Retry-After, 500), and lets a test wait for a call instead of
sleeping. A path prefix before /v3 (a region, like Teams' `/amer/`) is accepted and recorded.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.servers import serve

__all__ = ["ConnectorCall", "FakeConnector"]

_PATH = re.compile(r"^(?P<prefix>.*?)/v3/conversations/(?P<conversation>.+?)/activities(?:/(?P<activity>[^/]+))?$")


@dataclass
class ConnectorCall:
    method: str  # POST (a new message) or PUT (an update)
    prefix: str  # what came before /v3, e.g. "/amer"
    conversation: str
    activity_id: str | None
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


class FakeConnector:
    """`async with FakeConnector() as connector:` then use `connector.url` as the serviceUrl."""

    def __init__(self) -> None:
        self.calls: list[ConnectorCall] = []
        self._scripted: deque[tuple[int, dict[str, Any], dict[str, str]]] = deque()
        self._changed = asyncio.Condition()
        self._ids = 0
        self.url = ""

    def script(self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        """The next call gets this answer (first in, first out)."""
        self._scripted.append((status, body or {"error": {"code": "Throttled"}}, headers or {}))

    async def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[ConnectorCall]:
        async def enough() -> list[ConnectorCall]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls) >= count)
            return list(self.calls)

        return await asyncio.wait_for(enough(), timeout)

    async def __aenter__(self) -> FakeConnector:
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST", "PUT"])])
        self._serving = serve(app)
        self.url = await self._serving.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._serving.__aexit__(None, None, None)

    async def _handle(self, request: Request) -> Response:
        found = _PATH.match(request.url.path)
        if found is None:
            return JSONResponse({"error": "not a Bot Connector path"}, status_code=404)
        body = await request.json()
        call = ConnectorCall(
            request.method, found["prefix"], found["conversation"], found["activity"], body, dict(request.headers)
        )
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        if self._scripted:
            status, answer, headers = self._scripted.popleft()
            return JSONResponse(answer, status_code=status, headers=headers)
        if request.method == "PUT":
            return JSONResponse({"id": found["activity"]})
        self._ids += 1
        return JSONResponse({"id": f"1700000000{self._ids:03d}"}, status_code=201)
