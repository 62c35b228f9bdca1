"""Signed Slack requests, as Slack sends them, for tests and benchmarks."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

__all__ = ["SECRET", "block_action", "event", "signed", "slash", "view_submission"]

SECRET = "test-signing-secret"
_verifier = SignatureVerifier(SECRET)


def signed(
    body: str,
    content_type: str = "application/x-www-form-urlencoded",
    ts: int | None = None,
    secret: str | None = None,
    **extra: str,
) -> dict[str, str]:
    stamp = str(int(time.time()) if ts is None else ts)
    verifier = _verifier if secret is None else SignatureVerifier(secret)
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": verifier.generate_signature(timestamp=stamp, body=body),
        **extra,
    }


def slash(
    command: str,
    text: str,
    user: str = "U0ADMIN01",
    channel: str = "C0RELEASES",
    response_url: str = "",
    channel_name: str = "releases",
) -> str:
    return urlencode(
        {
            "token": "x",
            "team_id": "T0TEAM",
            "team_domain": "sec",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0APP",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"trig-{uuid.uuid4().hex[:8]}",
        }
    )


def block_action(
    action_id: str, value: str, user: str = "U0ADMIN01", channel: str = "C0RELEASES", response_url: str = ""
) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0TEAM"},
        "team": {"id": "T0TEAM", "domain": "sec"},
        "channel": {"id": channel, "name": "releases"},
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": channel},
        "message": {"ts": "1700000000.000100", "text": "x"},
        "response_url": response_url,
        "trigger_id": "trig-1",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1700000001.0",
                "text": {"type": "plain_text", "text": "x"},
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission(view: dict[str, Any], values: dict[str, Any], user: str = "U0ADMIN01") -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEAM", "domain": "sec"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0TEAM"},
        "trigger_id": "trig-2",
        "response_urls": [],
        "view": {**view, "id": "V0VIEW", "state": {"values": values}},
    }
    return urlencode({"payload": json.dumps(payload)})


def event(inner: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "x",
            "team_id": "T0TEAM",
            "api_app_id": "A0APP",
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": "T0TEAM", "user_id": "U0BOT", "is_bot": True, "is_enterprise_install": False}
            ],
            "event": inner,
        }
    )
