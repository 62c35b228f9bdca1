"""Reply -> the JSON Slack wants back: for an ack, a response_url post, a message or a view."""

from __future__ import annotations

from typing import Any

from commands.render import render_slack, render_slack_json
from domain.reply import Reply

__all__ = ["home_view", "message", "response", "response_json"]


def response(reply: Reply, page: int | None = None) -> dict[str, Any]:
    """An ack / response_url body: private unless the reply is public, with a Share button then."""
    public = reply.public
    body = render_slack(reply, page, share=not public and reply.kind not in ("error", "help"))
    body["response_type"] = "in_channel" if public else "ephemeral"
    return body


def response_json(reply: Reply, page: int | None = None) -> str:
    """The same, serialised once: acked as is (bolt sends a JSON string as application/json)."""
    public = reply.public
    return render_slack_json(
        reply,
        page,
        share=not public and reply.kind not in ("error", "help"),
        response_type="in_channel" if public else "ephemeral",
    )


def message(reply: Reply, page: int | None = None) -> dict[str, Any]:
    """A chat.postMessage body (channel and thread added by the caller)."""
    return render_slack(reply, page)


def home_view(reply: Reply) -> dict[str, Any]:
    """An App Home tab: up to 100 blocks, no paging controls."""
    blocks = render_slack(reply)["blocks"]
    return {"type": "home", "blocks": blocks[:100]}
