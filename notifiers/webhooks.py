"""Which webhook addresses a subscription may post to; without httpx, so the command table (and
`releasebot ask`) can check an address without loading the HTTP client (`notifiers.senders` sends)."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

__all__ = ["WEBHOOK_HOSTS", "webhook_allowed"]

# Where a webhook subscription may post: Slack's and Microsoft's own webhook hosts (https only),
# plus hosts an operator allows (RELEASEBOT_WEBHOOK_HOSTS). Anything else could make the worker
# post to internal addresses on a subscriber's say-so.
WEBHOOK_HOSTS = {
    "slack": ("hooks.slack.com", "hooks.slack-gov.com"),
    "teams": (".logic.azure.com", ".powerplatform.com", ".webhook.office.com"),
}


def webhook_allowed(platform: str, url: str, extra_hosts: Collection[str] = ()) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host and host in extra_hosts:
        return parts.scheme in ("http", "https")
    known = WEBHOOK_HOSTS.get(platform, ())
    return parts.scheme == "https" and any(host == h or (h.startswith(".") and host.endswith(h)) for h in known)
