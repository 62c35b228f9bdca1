"""Signed, expiring download links: `/documents/<token>`, for Teams cards (no login page).

A token is the file request and its expiry as compact JSON, base64url, then a dot and the
HMAC-SHA256 of that text under the link secret (`RELEASEBOT_LINK_SECRET`). Anyone holding the
link can fetch the file until it expires, so the link is a capability: it is never logged. The
signature is checked before anything in the token is read, so a changed expiry is refused as
tampered; expiry is checked with the bot's injected clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import date, datetime, timedelta
from typing import Any

from domain.clock import Clock
from domain.files import FILE_FORMATS, FILE_KINDS, FileRequest

__all__ = ["MAX_TOKEN", "DocumentLinks", "LinkExpired", "LinkTampered"]

MAX_TOKEN = 2048  # characters; a real token is a few hundred


class LinkTampered(ValueError):
    """The token was not made with our secret (changed, truncated, or made up)."""


class LinkExpired(ValueError):
    """The token is ours but its time is up."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encode(request: FileRequest, expires: int) -> dict[str, Any]:
    return {
        "k": request.kind,
        "f": request.fmt,
        "t": request.title,
        "n": request.filename,
        "s": request.slug,
        "v": request.version,
        "d": request.day.isoformat() if request.day else None,
        "vv": list(request.versions) if request.versions else None,
        "e": expires,
    }


def _decode(data: dict[str, Any]) -> tuple[FileRequest, int]:
    kind, fmt, versions, day = data["k"], data["f"], data.get("vv"), data.get("d")
    if kind not in FILE_KINDS or fmt not in FILE_FORMATS:
        raise LinkTampered("unknown kind or format")
    request = FileRequest(
        kind,
        fmt,
        str(data["t"]),
        str(data["n"]),
        slug=str(data.get("s") or ""),
        version=None if data.get("v") is None else str(data["v"]),
        day=date.fromisoformat(day) if day else None,
        versions=(str(versions[0]), str(versions[1])) if versions else None,
    )
    return request, int(data["e"])


class DocumentLinks:
    """Makes and checks tokens with one secret; `ttl` is how long a link works."""

    def __init__(self, secret: bytes, clock: Clock, ttl: timedelta = timedelta(hours=24)) -> None:
        if len(secret) < 16:
            raise ValueError("a link secret needs at least 16 bytes")
        self._secret = secret
        self.clock = clock
        self.ttl = ttl

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode("utf-8", "replace"), hashlib.sha256).digest())

    def token(self, request: FileRequest) -> str:
        expires = int((self.clock() + self.ttl).timestamp())
        body = _b64(json.dumps(_encode(request, expires), separators=(",", ":"), ensure_ascii=False).encode())
        return f"{body}.{self._sign(body)}"

    def expires(self, now: datetime | None = None) -> datetime:
        """When a link made now stops working."""
        return (now or self.clock()) + self.ttl

    def read(self, token: str) -> FileRequest:
        """The request a token stands for; `LinkTampered` or `LinkExpired` otherwise."""
        if len(token) > MAX_TOKEN or token.count(".") != 1:
            raise LinkTampered("malformed")
        body, signature = token.split(".")
        if not hmac.compare_digest(self._sign(body).encode(), signature.encode("utf-8", "replace")):
            raise LinkTampered("bad signature")
        try:
            request, expires = _decode(json.loads(_unb64(body)))
        except (ValueError, KeyError, TypeError, IndexError, binascii.Error) as exc:
            raise LinkTampered("unreadable") from exc
        if self.clock().timestamp() >= expires:
            raise LinkExpired("expired")
        return request
