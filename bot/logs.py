"""Logs that stay short and safe: no capability URLs, no error repeated per retry.

Logs never carry capability URLs: webhook URLs and Slack response_urls are bearer credentials.

httpx logs every request at INFO with its full URL (`HTTP Request: POST https://hooks.slack.com/
services/T/B/SECRET ...`), and so, at DEBUG, do httpcore and the Slack SDK. Those loggers are kept
at WARNING, and a filter on each cuts every URL in their records down to its scheme and host,
so even a handler or a test that lowers their level sees `https://hooks.slack.com/…` only.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

__all__ = ["HTTP_LOGGERS", "OncePerInterval", "RedactUrls", "protect_http_logs", "quiet_accept_errors", "redact_urls"]

HTTP_LOGGERS = ("httpx", "httpcore", "slack_sdk", "slack_bolt", "aiohttp.client")

_URL = re.compile(r"(?i)\b((?:https?|wss?)://[^/\s\"'<>]+)[^\s\"'<>]*")


def redact_urls(text: str) -> str:
    """Every URL in `text` as its scheme and host, the path and query (the secret part) dropped."""
    return _URL.sub(lambda m: m.group(1) + ("/…" if len(m.group(0)) > len(m.group(1)) else ""), text)


class RedactUrls(logging.Filter):
    """Rewrites a record's message with its URLs redacted (the record is kept, only shortened)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not format: keep nothing of it but the template
            message = str(record.msg)
        redacted = redact_urls(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactUrls()


def protect_http_logs() -> None:
    """Idempotent: the HTTP libraries' loggers at WARNING (unless set lower on purpose), with the filter.

    A filter on a logger sees only that logger's own records, so it goes on each child the
    libraries already created as well as on the parents (children made later inherit the level).
    """
    manager = logging.Logger.manager
    names = [
        name
        for name in list(manager.loggerDict)
        if any(name == root or name.startswith(root + ".") for root in HTTP_LOGGERS)
    ]
    for name in {*HTTP_LOGGERS, *names}:
        logger = logging.getLogger(name)
        if name in HTTP_LOGGERS and logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


class OncePerInterval(logging.Filter):
    """Lets one record of a kind through per `interval` seconds, short (no traceback), with a count.

    For errors that repeat as fast as the loop retries: at a low file-descriptor limit asyncio
    logs `socket.accept() out of system resource` with a traceback on every retry.
    """

    def __init__(self, prefixes: tuple[str, ...], interval: float = 60.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.prefixes = prefixes
        self.interval = interval
        self.clock = clock
        self._last: dict[str, float] = {}
        self._dropped: dict[str, int] = {}

    def reset(self) -> None:
        """Forget what was said (the next record of each kind goes through)."""
        self._last.clear()
        self._dropped.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        template = str(record.msg)
        kind = next((p for p in self.prefixes if template.startswith(p)), None)
        if kind is None:
            return True
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self._dropped[kind] = self._dropped.get(kind, 0) + 1
            return False
        self._last[kind] = now
        dropped = self._dropped.pop(kind, 0)
        error = record.exc_info[1] if record.exc_info else None
        detail = f": {type(error).__name__}: {error}" if error is not None else ""
        more = f" ({dropped} more like it since the last line)" if dropped else ""
        record.msg, record.args = f"{kind}{detail}{more}; said once per {self.interval:g} s", None
        record.exc_info, record.exc_text = None, None
        return True


_ACCEPT = OncePerInterval(("socket.accept() out of system resource",))


def quiet_accept_errors() -> OncePerInterval:
    """Idempotent: asyncio's accept errors logged once a minute instead of once per retry."""
    logger = logging.getLogger("asyncio")
    if _ACCEPT not in logger.filters:
        logger.addFilter(_ACCEPT)
    return _ACCEPT
