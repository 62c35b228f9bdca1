"""A paper file sent to the bot in a Slack DM: previewed (a dry run) with Apply and Cancel.

The DM's `message` event with subtype `file_share` names the file; the bot looks it up with
`files.info` and downloads it with its token, from Slack's own hosts only. Apply looks the file
up again by its id (any replica can take the press; nothing is kept in between) and imports it if
it is the file that was previewed. The preview is replaced by the outcome, so its buttons go.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.async_app import AsyncApp

from bot.slack import payload
from bot.slack.listeners import SlackParts, slack_channel
from bot.slack.respond import post_response
from bot.uploads import download, import_context, is_paper_name
from commands.papers import APPLY, CANCEL, FetchFailed, apply_upload, cancelled, preview_upload
from domain.reply import Paragraph, Reply, spans
from store.papers.schema import MAX_BYTES

__all__ = ["SlackPapers"]

_ACTION = re.compile(rf"^releasebot_({APPLY}|{CANCEL})_\d+$")


class SlackPapers:
    def __init__(self, parts: SlackParts, api_url: str) -> None:
        self.parts = parts
        self.api_host = (urlsplit(api_url).hostname or "").lower()

    def register(self, app: AsyncApp) -> None:
        app.action(_ACTION)(self.on_button)

    def _allowed(self, scheme: str, host: str) -> bool:
        """Slack keeps files on slack.com hosts (files.slack.com); a test's fake Slack on its own host."""
        return (scheme == "https" and (host == "slack.com" or host.endswith(".slack.com"))) or host == self.api_host

    async def fetch(self, file_id: str) -> tuple[str, str]:
        """(name, text) of a Slack file, by its id."""
        info = await self.parts.client.files_info(file=file_id)
        file: dict[str, Any] = info.get("file") or {}
        name = str(file.get("name") or file_id)
        if not is_paper_name(name):
            raise FetchFailed(f"{name} is not a paper file (.yaml)")
        if int(file.get("size") or 0) > MAX_BYTES:
            raise FetchFailed(f"{name} is larger than {MAX_BYTES // 1000} kB")
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        token = self.parts.client.token or ""
        return name, await download(self.parts.http, url, self._allowed, {"Authorization": f"Bearer {token}"})

    async def on_file(self, event: dict[str, Any]) -> None:
        """A DM with a file: a paper is previewed; anything else is answered with what the bot takes."""
        channel_id = str(event.get("channel", ""))
        actor = self.parts.actor(str(event.get("user", "")))
        files = [f for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")]
        papers = [f for f in files if is_paper_name(str(f.get("name", "")))]
        if not papers:
            text = "I can import a paper sent as a .yaml file (store/demo/FORMAT.md); that file is not one."
            reply = Reply("Not a paper", (Paragraph(spans(text)),), kind="error")
        else:
            ctx = import_context(self.parts.bot, actor, slack_channel(channel_id, "directmessage"))
            reply = await preview_upload(str(papers[0]["id"]), self.fetch, ctx)
        await self.parts.client.chat_postMessage(channel=channel_id, **payload.message(reply))

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Apply or Cancel: acked at once (an import takes longer than Slack waits), answered in place."""
        await ack()
        found = _ACTION.match(action.get("action_id", ""))
        actor = self.parts.actor(body.get("user") or {})
        channel_id = (body.get("channel") or {}).get("id", "") or (body.get("container") or {}).get("channel_id", "")
        ctx = import_context(self.parts.bot, actor, slack_channel(channel_id))
        if found and found.group(1) == APPLY:
            reply = await apply_upload(str(action.get("value", "")), self.fetch, ctx)
        else:
            reply = cancelled(ctx)
        # In place of the preview (an error beside it, so the buttons stay); no Share: it is a DM's business.
        out = {**payload.message(reply), "response_type": "ephemeral", "replace_original": not reply.is_error}
        url = body.get("response_url", "")
        if url:
            await post_response(self.parts.http, url, out)
        elif channel_id:
            await self.parts.client.chat_postMessage(channel=channel_id, **payload.message(reply))
