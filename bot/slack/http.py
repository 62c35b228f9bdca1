"""The /slack/events route: guard first, then hand the request to bolt; retried events answered once.

Over HTTP a retried event is caught in the route, before bolt acks it; over Socket Mode there is
no route, so a bolt middleware does the same (`socket_mode_events_once`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from slack_bolt import BoltResponse
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

from bot import messages
from bot.bodies import BodyReader, BodyRefused
from bot.slack.guard import SlackGuard, parse_slack_body
from bot.slack.listeners import ARRIVED
from domain.clock import Clock
from store.db import Database
from store.events import claim_event

__all__ = ["first_delivery", "slack_route", "socket_mode_events_once", "well_formed"]

Middleware = Callable[..., Awaitable[Any]]

log = logging.getLogger("releasebot.slack")


def _metadata_ok(metadata: Any) -> bool:
    """A modal's private_metadata is ours: empty, or a JSON object."""
    if metadata in (None, ""):
        return True
    try:
        return isinstance(metadata, str) and isinstance(json.loads(metadata), dict)
    except ValueError:
        return False


def well_formed(body: dict[str, Any]) -> bool:
    """The parts of a payload bolt and our listeners index without asking (a KeyError is a 500)."""
    kind = body.get("type")
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("type"), str):
            return False
        if not isinstance(view.get("callback_id"), str) or not _metadata_ok(view.get("private_metadata")):
            return False
        blocks = view.get("blocks", [])
        if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
            return False
        state = view.get("state", {}) if kind == "view_submission" else {}
        values = state.get("values", {}) if isinstance(state, dict) else None
        return isinstance(values, dict) and all(
            isinstance(fields, dict) and all(isinstance(field, dict) for field in fields.values())
            for fields in values.values()
        )
    if kind == "block_actions":
        actions = body.get("actions")
        return isinstance(actions, list) and all(
            isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions
        )
    return True


async def first_delivery(db: Database, event_id: str, now: datetime) -> bool:
    """True if this process answers the event (recorded as taken at `now`, on the bot's clock)."""
    try:
        return await claim_event(db, event_id, now)
    except Exception:  # store down: better to answer twice than not at all
        log.warning(messages.log_event_dedupe_failed(event_id), exc_info=True)
        return True


def slack_route(
    app: AsyncApp,
    guard: SlackGuard,
    db: Database,
    clock: Clock,
    reader: BodyReader,
    path: str = "/slack/events",
    reads: Callable[[dict[str, Any]], bool] | None = None,
) -> Route:
    """The endpoint; events are de-duplicated here, before bolt acks and runs them again.

    `reads(body)` says a request changes nothing (a slash command the reply cache answers): it is
    checked against this replica's memory only, not recorded in the database."""

    async def endpoint(request: Request) -> Response:
        arrived = time.monotonic()
        refusal = guard.check_headers(request.headers)  # before reading a byte of an unsigned body
        if refusal is None:
            try:
                raw = await reader.read(request)  # bounded in size, time and number (bot/bodies.py)
            except BodyRefused as refused:
                return refused.response()
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
        if not isinstance(body, dict) or not well_formed(body):
            return JSONResponse({"error": "unreadable body"}, status_code=400)
        refusal = await guard.confirm(request.headers, wait=not (reads is not None and reads(body)))
        if refusal is not None:  # replayed to this replica after a restart, or to another one
            log.info(messages.log_slack_refused(refusal.reason, request.client.host if request.client else "?"))
            return JSONResponse({"error": refusal.reason}, status_code=refusal.status)
        event_id = str(body.get("event_id") or "") if body.get("type") == "event_callback" else ""
        if event_id and not await first_delivery(db, event_id, clock()):
            return JSONResponse({"ok": True, "duplicate": event_id}, headers={"x-slack-no-retry": "1"})
        if event_id:
            bolt_request.context["releasebot_event_id"] = event_id
        bolt_request.context[ARRIVED] = arrived  # listeners answer within Slack's 3 s from here
        return to_starlette_response(await app.async_dispatch(bolt_request))

    return Route(path, endpoint, methods=["POST"])


def socket_mode_events_once(db: Database, clock: Clock) -> Middleware:
    """A bolt middleware: over Socket Mode, a retried event is dropped here (acked, not answered)."""

    async def events_once(request: Any, body: dict[str, Any], context: dict[str, Any], next: Any) -> Any:
        if request.mode == "socket_mode" and body.get("type") == "event_callback" and body.get("event_id"):
            if not await first_delivery(db, str(body["event_id"]), clock()):
                return BoltResponse(status=200, body="")
            context["releasebot_event_id"] = str(body["event_id"])
        return await next()

    return events_once
