"""Files asked for in Slack, uploaded with `files_upload_v2` to the conversation asked from.

`/release june-2021 rid docx` is acked at once with the reply saying what is coming; the file is
built off the event loop (`bot.documents`) after the ack and uploaded to the channel or DM the
command came from (a mention's thread; the person's DM for the App Home button). A file that
cannot be built or uploaded is told to the person, privately, with the reason.
"""

from __future__ import annotations

import logging
import uuid

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.slack.listeners import SlackParts
from bot.slack.respond import post_response
from commands.documents.errors import DocumentError
from domain.files import FileRequest

__all__ = ["SlackFiles"]

log = logging.getLogger("releasebot.slack")


class SlackFiles:
    def __init__(self, parts: SlackParts) -> None:
        self.parts = parts

    async def upload(
        self, request: FileRequest, channel_id: str, *, response_url: str = "", thread_ts: str | None = None
    ) -> bool:
        """Build the file and upload it to `channel_id`; True once Slack has it."""
        try:
            built = await self.parts.bot.documents.build(request)
        except DocumentError as exc:
            await self._tell(channel_id, response_url, messages.file_not_built(request.title, str(exc)))
            return False
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception(messages.log_file_failed(request.title, f"internal error {reference}"))
            await self._tell(channel_id, response_url, messages.internal_error(reference))
            return False
        try:
            await self.parts.client.files_upload_v2(
                channel=channel_id,
                content=built.data,
                filename=request.filename,
                title=request.title,
                thread_ts=thread_ts,
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "error"))
            log.warning(messages.log_file_failed(request.title, error))
            await self._tell(channel_id, response_url, messages.file_not_uploaded(request.title, error))
            return False
        return True

    async def upload_to_dm(self, request: FileRequest, user_id: str) -> bool:
        """The App Home button: the file in the person's DM with the bot."""
        dm = (await self.parts.client.conversations_open(users=user_id))["channel"]["id"]
        return await self.upload(request, dm)

    async def _tell(self, channel_id: str, response_url: str, text: str) -> None:
        if response_url:
            await post_response(
                self.parts.http, response_url, {"response_type": "ephemeral", "replace_original": True, "text": text}
            )
            return
        try:
            await self.parts.client.chat_postMessage(channel=channel_id, text=text)
        except SlackApiError:
            log.warning(messages.log_file_failed("a file notice", "chat.postMessage refused"))
