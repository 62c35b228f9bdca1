"""The /slack/events route: guard first, then hand the request to bolt."""

from __future__ import annotations

import logging

from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.slack.guard import MAX_BODY_BYTES, SlackGuard, parse_slack_body
from commands import messages
from store.db import Database
from store.events import claim_event

__all__ = ["first_delivery", "slack_route"]

log = logging.getLogger("releasebot.slack")


async def _read_at_most(request: Request, limit: int) -> bytes:
    """The body, but never more than `limit` bytes of it in memory."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)


async def first_delivery(db: Database, event_id: str) -> bool:
    try:
        return await claim_event(db, event_id)
    except Exception:  # store down: better to answer twice than not at all
        log.warning(messages.log_event_dedupe_failed(event_id), exc_info=True)
        return True


def slack_route(app: AsyncApp, guard: SlackGuard, db: Database, path: str = "/slack/events") -> Route:
    """The endpoint; events are de-duplicated here, before bolt acks and runs them again."""

    async def endpoint(request: Request) -> Response:
        refusal = guard.check_headers(request.headers)  # before reading a byte of an unsigned body
        if refusal is None:
            raw = await _read_at_most(request, MAX_BODY_BYTES + 1)
            refusal = guard.check(raw, request.headers)
        if refusal is not None:
            log.info(messages.log_slack_refused(refusal.reason, request.client.host if request.client else "?"))
            return JSONResponse({"error": refusal.reason}, status_code=refusal.status)
        try:
            bolt_request = to_async_bolt_request(request, raw)
        except (ValueError, TypeError, AttributeError):
            return JSONResponse({"error": "unreadable body"}, status_code=400)
        body = bolt_request.body
        if not body:
            # bolt reads a slash command whose text says "payload" as empty: parse it properly
            parsed = parse_slack_body(raw.decode("utf-8"), request.headers.get("content-type", ""))
            if parsed is None:
                return JSONResponse({"error": "unreadable body"}, status_code=400)
            if parsed != body:
                body = bolt_request.body = parsed
                bolt_request.context = build_async_context(AsyncBoltContext({}), body)
        if not isinstance(body, dict):
            return JSONResponse({"error": "unreadable body"}, status_code=400)
        event_id = str(body.get("event_id") or "") if body.get("type") == "event_callback" else ""
        if event_id and not await first_delivery(db, event_id):
            return JSONResponse({"ok": True, "duplicate": event_id}, headers={"x-slack-no-retry": "1"})
        if event_id:
            bolt_request.context["releasebot_event_id"] = event_id
        return to_starlette_response(await app.async_dispatch(bolt_request))

    return Route(path, endpoint, methods=["POST"])
