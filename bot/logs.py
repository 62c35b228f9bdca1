"""Logs never carry capability URLs: webhook URLs and Slack response_urls are bearer credentials.

httpx logs every request at INFO with its full URL (`HTTP Request: POST https://hooks.slack.com/
services/T/B/SECRET ...`), and so, at DEBUG, do httpcore and the Slack SDK. Those loggers are kept
at WARNING, and a filter on each cuts every URL in their records down to its scheme and host,
so even a handler or a test that lowers their level sees `https://hooks.slack.com/…` only.
"""

from __future__ import annotations

import logging
import re

__all__ = ["HTTP_LOGGERS", "RedactUrls", "protect_http_logs", "redact_urls"]

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
