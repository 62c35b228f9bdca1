"""A paper file sent to the bot in a Teams chat: previewed (a dry run) with Apply and Cancel.

Teams gives a file sent in a 1:1 chat as an attachment of type `file.download.info`, whose
`downloadUrl` is short-lived and needs no token; the bot downloads it from SharePoint only (or a
host `RELEASEBOT_FILE_HOSTS` names). Apply carries the file's name, address and the digest of
what was previewed, downloads it again and imports it if it is the same file; the card that had
the buttons is replaced by the outcome for the person who pressed.
"""

from __future__ import annotations

import json

import httpx

from bot.core import Releasebot
from bot.teams import activity as teams_activity
from bot.teams.cards import card_message
from bot.teams.sdk import ActivityContext, MessageActivity
from bot.uploads import download, import_context, is_paper_name
from commands.context import Actor, Channel
from commands.papers import APPLY, CANCEL, FetchFailed, apply_upload, cancelled, preview_upload
from commands.render import render_teams
from domain.reply import Paragraph, Reply, spans

__all__ = ["FILE_INFO", "TeamsPapers"]

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
_MICROSOFT = (".sharepoint.com", ".sharepoint.us", ".sharepoint.de", ".sharepoint.cn", ".sharepoint-df.com")


def _files(activity: MessageActivity) -> list[tuple[str, str]]:
    """(name, download URL) of each file attached to the message."""
    out = []
    for attachment in activity.attachments or []:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        if attachment.content_type == FILE_INFO and content.get("downloadUrl"):
            out.append((str(attachment.name or "file"), str(content["downloadUrl"])))
    return out


class TeamsPapers:
    def __init__(self, bot: Releasebot, file_hosts: frozenset[str] = frozenset()) -> None:
        self.bot = bot
        self.file_hosts = file_hosts
        self.http = httpx.AsyncClient(timeout=10.0)

    def _allowed(self, scheme: str, host: str) -> bool:
        return (scheme == "https" and host.endswith(_MICROSOFT)) or host in self.file_hosts

    async def fetch(self, handle: str) -> tuple[str, str]:
        """(name, text) of an attachment; the handle is `[name, download URL]` as JSON."""
        try:
            name, url = (str(part) for part in json.loads(handle))
        except (ValueError, TypeError):
            raise FetchFailed("the file is not named the way the bot named it") from None
        if not is_paper_name(name):
            raise FetchFailed(f"{name} is not a paper file (.yaml)")
        return name, await download(self.http, url, self._allowed)

    def has_files(self, activity: MessageActivity) -> bool:
        return bool(_files(activity))

    async def on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        """A message with files: the first paper among them previewed, or what the bot takes."""
        files = [f for f in _files(ctx.activity) if is_paper_name(f[0])]
        if not files:
            text = "I can import a paper sent as a .yaml file (store/demo/FORMAT.md); that file is not one."
            reply = Reply("Not a paper", (Paragraph(spans(text)),), kind="error")
        else:
            actor = teams_activity.actor(self.bot.actors, ctx.activity)
            context = import_context(self.bot, actor, teams_activity.channel(ctx.activity))
            reply = await preview_upload(json.dumps(list(files[0])), self.fetch, context)
        await ctx.send(card_message(render_teams(reply)))

    async def press(self, name: str, value: str, actor: Actor, channel: Channel) -> Reply:
        """Apply or Cancel, as the person who pressed."""
        context = import_context(self.bot, actor, channel)
        if name == APPLY:
            return await apply_upload(value, self.fetch, context)
        assert name == CANCEL
        return cancelled(context)

    async def close(self) -> None:
        await self.http.aclose()

    @staticmethod
    def is_mine(name: str) -> bool:
        return name in (APPLY, CANCEL)
