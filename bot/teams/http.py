"""/api/messages in our Starlette app: the SDK's HttpServerAdapter, with the server left to us.

microsoft-teams-apps ships a FastAPI adapter that runs its own uvicorn on 0.0.0.0; releasebot has
one web server (`bot.web`), so this adapter only collects the route handler the SDK registers in
`App.initialize()` (the handler validates the JWT, then runs our activity handlers) and serves it
from a Starlette route. Before the SDK's models see a body it is checked for size and JSON, and
an Action.Execute invoke is made acceptable to SDK 2.1.1 (see `accept_card_action`).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import messages
from bot.bodies import BodyReader, BodyRefused
from bot.teams.sdk import HttpMethod, HttpRequest, HttpRouteHandler

__all__ = ["MAX_BODY_BYTES", "StarletteRoutes", "accept_card_action"]

log = logging.getLogger("releasebot.teams")

MAX_BODY_BYTES = 1 << 20  # activities are a few KB; Teams caps a message at about 28 KB


def accept_card_action(body: dict[str, Any]) -> None:
    """Let SDK 2.1.1 parse every Action.Execute invoke Teams sends (in place).

    Its model allows only `trigger: "manual"` and requires `action.data`; an automatic refresh
    (`trigger: "automatic"`) or a button without data would fail validation and get a 500.
    The trigger is kept under another name so handlers can still tell.
    """
    if body.get("type") != "invoke" or body.get("name") != "adaptiveCard/action":
        return
    value = body.get("value")
    if not isinstance(value, dict):
        return
    if value.get("trigger") not in (None, "manual"):
        value["originalTrigger"] = value.pop("trigger")
    action = value.get("action")
    if isinstance(action, dict) and not isinstance(action.get("data"), dict):
        action["data"] = {}


class StarletteRoutes:
    """An HttpServerAdapter whose routes the host Starlette app serves."""

    def __init__(self, reader: BodyReader | None = None) -> None:
        self._handlers: dict[str, HttpRouteHandler] = {}
        self._reader = reader or BodyReader(MAX_BODY_BYTES, timeout=10.0, max_pending=64)

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        if method != "POST":
            raise ValueError(f"only POST routes are served, not {method} {path}")
        self._handlers[path] = handler

    def serve_static(self, path: str, directory: str) -> None:
        raise RuntimeError("releasebot serves no Teams tabs or static files")

    async def start(self, port: int) -> None:
        raise RuntimeError("the releasebot web server owns the socket; never call App.start()")

    async def stop(self) -> None:
        """Nothing to stop: the host server closes the socket."""

    def route(self, path: str = "/api/messages") -> Route:
        async def endpoint(request: Request) -> Response:
            handler = self._handlers.get(path)
            if handler is None:  # App.initialize() has not run: the lifespan has not started us
                return JSONResponse({"error": "not ready"}, status_code=503)
            try:
                raw = await self._reader.read(request)  # bounded in size, time and number (bot/bodies.py)
            except BodyRefused as refused:
                return refused.response()
            if len(raw) > MAX_BODY_BYTES:
                return JSONResponse({"error": "body too large"}, status_code=413)
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                return JSONResponse({"error": "unreadable body"}, status_code=400)
            if not isinstance(body, dict):
                return JSONResponse({"error": "unreadable body"}, status_code=400)
            accept_card_action(body)
            result = await handler(HttpRequest(body=body, headers=dict(request.headers)))
            status = int(result["status"])
            if status == 401:
                log.info(messages.log_teams_refused(status, request.client.host if request.client else "?"))
            if result.get("body") is None:
                return Response(status_code=status)
            return JSONResponse(result["body"], status_code=status)

        return Route(path, endpoint, methods=["POST"])
