"""Bot Framework activities as Teams sends them, signed like the Bot Connector signs them.

`SigningKeys` makes an RSA key and serves its JWKS on loopback from a thread (the SDK fetches the
keys with a blocking urllib call from inside the event loop, so an asyncio server would
deadlock); `cloud()` points the SDK's cloud environment at it, which is the only way tests reach
the validator: releasebot has no setting for it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.teams.sdk import PUBLIC, CloudEnvironment, with_overrides

__all__ = [
    "APP_ID",
    "BOT_ID",
    "ISSUER",
    "TENANT",
    "SigningKeys",
    "card_action",
    "conversation_update",
    "installation_update",
    "message",
    "outbound_token",
    "user",
]

APP_ID = "0c3a5f0e-8d1b-4c7a-9e2f-6b4d8a1c2e3f"
TENANT = "72f988bf-0000-4000-8000-0000000000aa"
BOT_ID = f"28:{APP_ID}"
ISSUER = "https://api.botframework.com"


def _b64(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


class SigningKeys:
    """An RSA signing key and a JWKS document for it, served from a thread on loopback."""

    def __init__(self, kid: str = "test-key-1") -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.private.public_key().public_numbers()
        self.jwk = {"kty": "RSA", "use": "sig", "kid": kid, "alg": "RS256", "n": _b64(numbers.n), "e": _b64(numbers.e)}
        self.fetches = 0
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def sign(self, claims: dict[str, Any], kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": kid or self.kid})

    def token(
        self, service_url: str, audience: str = APP_ID, issuer: str = ISSUER, expires_in: int = 3600, **extra: Any
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url,
            "iat": now,
            "nbf": now,
            "exp": now + expires_in,
            **extra,
        }
        return self.sign({k: v for k, v in claims.items() if v is not None})

    def cloud(self) -> CloudEnvironment:
        """Microsoft's public cloud, except that the Bot Framework signing keys are ours."""
        return with_overrides(PUBLIC, openid_metadata_url=f"{self.url}/v1/.well-known/openidconfiguration")

    def __enter__(self) -> SigningKeys:
        keys = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/v1/.well-known/keys":
                    self.send_error(404)
                    return
                keys.fetches += 1
                data = json.dumps({"keys": [keys.jwk]}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def outbound_token(scope: str, tenant_id: str | None) -> str:
    """What the bot presents to the Bot Connector in tests (in production MSAL gets it from Entra)."""
    return jwt.encode(
        {"aud": "https://api.botframework.com", "scope": scope, "exp": int(time.time()) + 3600},
        "outbound-test-key-" + "x" * 32,
        algorithm="HS256",
    )


def user(
    aad: str | None = "3b5e7a90-1c2d-4e6f-8a9b-0c1d2e3f4a5b",
    teams_id: str = "29:1-user-pairwise-id",
    name: str = "Pat Teams",
) -> dict[str, Any]:
    found: dict[str, Any] = {"id": teams_id, "name": name}
    if aad is not None:
        found["aadObjectId"] = aad
    return found


def _base(
    kind: str,
    service_url: str,
    conversation: str,
    conversation_type: str,
    sender: dict[str, Any] | None,
    team: str | None,
    name: str | None,
) -> dict[str, Any]:
    channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
    if team is not None:
        channel_data["team"] = {"id": team, "name": "SEC Releases"}
        channel_data["channel"] = {"id": conversation.split(";")[0], **({"name": name} if name else {})}
    return {
        "type": kind,
        "id": f"1700{uuid.uuid4().int % 10**9:09d}",
        "timestamp": "2026-11-23T10:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": sender or user(),
        "recipient": {"id": BOT_ID, "name": "releasebot"},
        "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": TENANT},
        "channelData": channel_data,
        "locale": "en-GB",
    }


def message(
    service_url: str,
    text: str,
    conversation: str = "a:1personal-chat-with-pat",
    conversation_type: str = "personal",
    sender: dict[str, Any] | None = None,
    mention: bool = False,
    team: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """A message; with `mention`, the text starts with `<at>releasebot</at>` and carries the entity."""
    activity = _base("message", service_url, conversation, conversation_type, sender, team, name)
    activity["textFormat"] = "plain"
    activity["text"] = f"<at>releasebot</at> {text}" if mention else text
    if mention:
        activity["entities"] = [
            {"type": "mention", "text": "<at>releasebot</at>", "mentioned": {"id": BOT_ID, "name": "releasebot"}}
        ]
    return activity


def card_action(
    service_url: str,
    verb: str,
    data: dict[str, Any] | None,
    conversation: str = "a:1personal-chat-with-pat",
    conversation_type: str = "personal",
    sender: dict[str, Any] | None = None,
    trigger: str | None = "manual",
) -> dict[str, Any]:
    """An Action.Execute click (an `adaptiveCard/action` invoke) on a card the bot sent."""
    activity = _base("invoke", service_url, conversation, conversation_type, sender, None, None)
    action: dict[str, Any] = {"type": "Action.Execute", "id": "act-1", "verb": verb}
    if data is not None:
        action["data"] = data
    value: dict[str, Any] = {"action": action}
    if trigger is not None:
        value["trigger"] = trigger
    activity.update(name="adaptiveCard/action", value=value, replyToId="1700000000001")
    return activity


def installation_update(
    service_url: str, action: str, conversation: str, conversation_type: str, team: str | None = None
) -> dict[str, Any]:
    activity = _base("installationUpdate", service_url, conversation, conversation_type, None, team, None)
    activity["action"] = action
    return activity


def conversation_update(
    service_url: str,
    conversation: str,
    conversation_type: str,
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
    team: str | None = None,
) -> dict[str, Any]:
    activity = _base("conversationUpdate", service_url, conversation, conversation_type, None, team, None)
    if added:
        activity["membersAdded"] = [{"id": member} for member in added]
    if removed:
        activity["membersRemoved"] = [{"id": member} for member in removed]
    return activity
