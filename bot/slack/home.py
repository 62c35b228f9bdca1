"""The App Home tab: the next deadlines across releases in Working Days, and the releases in flight.

Built from the read model on the bot's clock (so on the demo's day it shows the papers' deadlines);
the open polls come from the store, and a store that is down only leaves them out.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack import payload
from bot.slack.listeners import SlackParts
from commands.home import home
from notifiers.messages import log_poll_check_failed
from store import polls

__all__ = ["AppHome"]

log = logging.getLogger("releasebot.slack")


class AppHome:
    def __init__(self, parts: SlackParts) -> None:
        self.parts = parts

    def register(self, app: AsyncApp) -> None:
        app.event("app_home_opened")(self.on_home)

    async def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        bot = self.parts.bot
        user = event.get("user", "")
        ctx = bot.answers.context(self.parts.actor(user))
        try:
            open_polls = await bot.writer.read(polls.open_polls)
        except Exception:  # the store may be down: the rest of the home tab still shows
            log.warning(log_poll_check_failed(), exc_info=True)
            open_polls = []
        await self.parts.client.views_publish(user_id=user, view=payload.home_view(home(ctx, open_polls)))
