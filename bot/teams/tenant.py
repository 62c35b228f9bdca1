"""A single-tenant bot answers its own tenant only.

The Bot Framework token says the activity came through the Bot Connector to our app id; it says
nothing about which organisation's Teams sent it, so a bot installed (or sideloaded) in another
tenant would be answered. The tenant is in the activity (`conversation.tenantId`, and
`channelData.tenant.id`); after the SDK has validated the token, an activity naming any other
tenant, or none, is refused with 403 before any handler runs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot import messages
from bot.teams.sdk import InvokeResponse

__all__ = ["activity_tenants", "guard_tenant", "is_directory_id"]

log = logging.getLogger("releasebot.teams")

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def is_directory_id(tenant: str) -> bool:
    return bool(_GUID.match(tenant.strip()))


def activity_tenants(body: Mapping[str, Any]) -> set[str]:
    """Every tenant id the activity names, lower case (none for an activity from outside Teams)."""
    found: set[str] = set()
    conversation = body.get("conversation")
    if isinstance(conversation, Mapping) and isinstance(conversation.get("tenantId"), str):
        found.add(conversation["tenantId"])
    data = body.get("channelData")
    tenant = data.get("tenant") if isinstance(data, Mapping) else None
    if isinstance(tenant, Mapping) and isinstance(tenant.get("id"), str):
        found.add(tenant["id"])
    return {t.strip().lower() for t in found if t.strip()}


def _fields(activity: Any) -> Mapping[str, Any]:
    extra = getattr(activity, "model_extra", None)
    return extra if isinstance(extra, Mapping) else {}


def guard_tenant(server: Any, tenant_id: str) -> None:
    """Wrap the SDK server's callback (run only once the token is valid) with the tenant check."""
    if not is_directory_id(tenant_id):
        log.warning(messages.log_teams_tenant_unchecked(tenant_id))
        return
    ours = tenant_id.strip().lower()
    inner: Callable[[Any], Awaitable[Any]] = server.on_request
    if getattr(inner, "tenant_guarded", False):
        return

    async def checked(event: Any) -> Any:
        if activity_tenants(_fields(event.body)) != {ours}:
            log.info(messages.log_teams_foreign_tenant(str(getattr(event.body, "type", "") or "?")[:40]))
            return InvokeResponse[Any](status=403, body={"error": "this bot serves one organisation only"})
        return await inner(event)

    checked.tenant_guarded = True  # type: ignore[attr-defined]
    server.on_request = checked
