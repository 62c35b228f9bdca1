"""Downloading a paper file someone sent the bot (a Slack DM file, a Teams attachment), bounded.

Only from the hosts the platform keeps files on (a Slack file with the bot token goes to no other
host), no redirects followed, at most `MAX_BYTES`, UTF-8 text. What goes wrong is a
`FetchFailed` with a short reason for the person; the URL (a capability) is never logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from urllib.parse import urlsplit

import httpx

from bot.core import Releasebot
from bot.writer import StoreWriter
from commands.context import Actor, Channel, Context
from commands.papers import FetchFailed
from store.papers.schema import MAX_BYTES

__all__ = ["CHAT_IMPORT_TIMEOUT", "PAPER_SUFFIXES", "download", "import_context", "is_paper_name"]

PAPER_SUFFIXES = (".yaml", ".yml")
# An import is acknowledged before it runs (the preview and Apply answer later), so it may take
# longer than a chat write: a paper is hundreds of rows, each checked.
CHAT_IMPORT_TIMEOUT = 60.0


def import_context(bot: Releasebot, actor: Actor, channel: Channel) -> Context:
    """The handler context for an import: the bot's, with a writer that waits longer."""
    ctx = bot.answers.context(actor, channel)
    slow = StoreWriter(bot.db, bot.read_model, bot.clock, max(CHAT_IMPORT_TIMEOUT, bot.writer.timeout))
    return replace(ctx, writer=slow)


def is_paper_name(name: str) -> bool:
    return name.lower().endswith(PAPER_SUFFIXES)


async def download(
    http: httpx.AsyncClient, url: str, allowed: Callable[[str, str], bool], headers: Mapping[str, str] | None = None
) -> str:
    """The file's text; `allowed(scheme, host)` says which hosts may be asked (and given `headers`)."""
    parts = urlsplit(url)
    if not allowed(parts.scheme, (parts.hostname or "").lower()):
        raise FetchFailed("the file is not kept where the bot downloads files from")
    chunks: list[bytes] = []
    size = 0
    try:
        async with http.stream("GET", url, headers=dict(headers or {}), follow_redirects=False) as response:
            if response.status_code != 200:
                raise FetchFailed(f"the file could not be downloaded (HTTP {response.status_code})")
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchFailed(f"the file is larger than {MAX_BYTES // 1000} kB")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise FetchFailed(f"the file could not be downloaded ({type(exc).__name__})") from None
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise FetchFailed("the file is not UTF-8 text") from None
