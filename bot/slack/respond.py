"""Posting to a Slack response_url, with the same patience as the Web API client.

bolt's `respond()` makes a new aiohttp client per call and neither retries nor raises on errors;
this uses the adapter's httpx client, honours 429 Retry-After and retries 5xx a bounded number of
times, and logs (without the URL, which is a bearer credential) when it finally gives up.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from bot import messages

__all__ = ["post_response"]

log = logging.getLogger("releasebot.slack")

MAX_ATTEMPTS = 4


def _retry_after(response: httpx.Response, attempt: int) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return min(0.5 * 2.0**attempt, 8.0)


async def post_response(http: httpx.AsyncClient, url: str, body: dict[str, Any]) -> bool:
    """True once Slack accepted the post."""
    if not url:
        return False
    for attempt in range(MAX_ATTEMPTS):
        try:
            response = await http.post(url, json=body)
        except httpx.TransportError as exc:
            log.warning(messages.log_response_url_failed(f"{type(exc).__name__}", attempt + 1))
            await asyncio.sleep(min(0.5 * 2.0**attempt, 8.0))
            continue
        if response.status_code < 300:
            return True
        if response.status_code == 429 or response.status_code >= 500:
            log.warning(messages.log_response_url_failed(str(response.status_code), attempt + 1))
            await asyncio.sleep(_retry_after(response, attempt))
            continue
        log.warning(messages.log_response_url_failed(str(response.status_code), attempt + 1))
        return False
    return False
