"""The conversations the bot is in, stored for proactive messages (reminders, poll updates).

Stored on install and kept current by every message (a changed service URL or name); a small
in-memory memo of what was last stored keeps a busy channel from writing on every message.
A store failure here is logged and never stops the message from being answered.
"""

from __future__ import annotations

import logging
from typing import Any

from bot import messages
from bot.core import Releasebot
from bot.teams import activity as teams_activity
from bot.teams.sdk import (
    ActivityContext,
    App,
    ConversationUpdateActivity,
    InstalledActivity,
    UninstalledActivity,
)
from store.teams import ConversationInfo, forget_conversation, save_conversation

__all__ = ["Conversations"]

log = logging.getLogger("releasebot.teams")

_REMEMBERED_MAX = 10_000


class Conversations:
    def __init__(self, bot: Releasebot) -> None:
        self.bot = bot
        self._remembered: dict[str, ConversationInfo] = {}

    def register(self, app: App) -> None:
        app.on_install_add(self.on_install)
        app.on_install_remove(self.on_uninstall)
        app.on_conversation_update(self.on_conversation_update)

    async def remember(self, ctx: ActivityContext[Any], always: bool = False) -> None:
        """Store the conversation reference when it is new or changed (a store failure is logged)."""
        info = teams_activity.conversation_info(ctx.activity, ctx.conversation_ref)
        if not always and self._remembered.get(info.conversation_id) == info:
            return
        try:
            await save_conversation(self.bot.db, info, self.bot.clock())
        except Exception:
            log.warning(messages.log_teams_handler_failed("a store error", "conversation"), exc_info=True)
            return
        if len(self._remembered) >= _REMEMBERED_MAX:
            self._remembered.clear()
        self._remembered[info.conversation_id] = info

    async def forget(self, ctx: ActivityContext[Any]) -> None:
        conversation_id = teams_activity.base_conversation_id(ctx.activity.conversation.id)
        self._remembered.pop(conversation_id, None)
        try:
            await forget_conversation(self.bot.db, conversation_id, self.bot.clock())
        except Exception:
            log.warning(messages.log_teams_handler_failed("a store error", "conversation"), exc_info=True)

    async def on_install(self, ctx: ActivityContext[InstalledActivity]) -> None:
        await self.remember(ctx, always=True)

    async def on_uninstall(self, ctx: ActivityContext[UninstalledActivity]) -> None:
        await self.forget(ctx)

    async def on_conversation_update(self, ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        """The bot added to (or removed from) a team or chat; other members coming and going are not ours."""
        bot_id = ctx.activity.recipient.id
        if any(member.id == bot_id for member in ctx.activity.members_added or []):
            await self.remember(ctx, always=True)
        elif any(member.id == bot_id for member in ctx.activity.members_removed or []):
            await self.forget(ctx)
