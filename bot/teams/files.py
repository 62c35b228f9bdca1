"""Files asked for in Teams: a card with a signed, expiring download link served by `releasebot serve`.

Teams has no upload API for a bot in channels, so the card carries a link to `/documents/<token>`
(`bot.links`): no login page, the link itself is the permission, and it stops working after
`RELEASEBOT_LINK_HOURS`. The card comes back at once; the file is built behind it (off the event
loop, cached per state version), so opening the link finds it ready (or builds it then, from the
state then, if the state has moved on).
"""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.core import Releasebot
from commands.render import render_teams
from domain.format import instant
from domain.reply import Note, Paragraph, Reply, link, spans

__all__ = ["download_card", "download_url"]


def download_url(bot: Releasebot, reply: Reply) -> str | None:
    """The signed link for the reply's file (None without RELEASEBOT_PUBLIC_URL: no address to give)."""
    base = bot.settings.public_url
    if reply.file is None or not base:
        return None
    return f"{base.rstrip('/')}/documents/{bot.links.token(reply.file)}"


def download_card(bot: Releasebot, reply: Reply) -> dict[str, Any]:
    """The reply as a card with a Download button (an Action.OpenUrl) and the link in its text."""
    assert reply.file is not None
    url = download_url(bot, reply)
    if url is None:
        return render_teams(Reply(reply.title, (Paragraph(spans(messages.no_public_url())),), reply.command, "error"))
    expires = instant(bot.links.expires())
    card = render_teams(
        Reply(
            reply.title,
            (
                Paragraph(spans(link(f"{reply.file.title} ({reply.file.filename})", url))),
                Note(spans(messages.download_link(reply.file.title, expires))),
            ),
            reply.command,
        )
    )
    card["actions"] = [*card.get("actions", []), {"type": "Action.OpenUrl", "title": "Download", "url": url}]
    return card
