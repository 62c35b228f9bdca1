"""Which platforms a process serves, and the background services beside them.

`releasebot serve` runs Slack, Teams or both, whichever is configured (a partial configuration is
an error naming the missing variable); `socket` runs Slack over Socket Mode. Every one of them
also runs the poll closer and the reminder service, whose senders include the Teams bot when it
runs here, so reminders reach Teams conversations proactively.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from starlette.routing import BaseRoute

from bot import messages
from bot.app import SettingsError, background_services, create_bot, require
from bot.core import Releasebot
from bot.settings import Settings
from domain.clock import Clock

if TYPE_CHECKING:
    from bot.slack.app import SlackAdapter
    from bot.teams.app import TeamsAdapter

__all__ = ["Assembly", "OwnedHttpClient", "assemble"]

SLACK_SETTINGS = ("slack_bot_token", "slack_signing_secret", "slack_app_token")


class OwnedHttpClient:
    """The HTTP client the reminder senders share, closed when the process stops (stopped last)."""

    def __init__(self) -> None:
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def start(self) -> None:
        """Nothing to do: httpx connects on first use."""

    async def stop(self) -> None:
        await self.client.aclose()


@dataclass
class Assembly:
    bot: Releasebot
    slack: SlackAdapter | None
    teams: TeamsAdapter | None

    def routes(self) -> list[BaseRoute]:
        from notifiers.ical import calendar_routes

        return [
            *(self.slack.routes() if self.slack else []),
            *(self.teams.routes() if self.teams else []),
            *calendar_routes(self.bot),
        ]


def assemble(
    settings: Settings,
    command: str,
    slack_needs: tuple[str, ...],
    teams_allowed: bool,
    clock: Clock | None = None,
) -> Assembly:
    """Build the bot (on `clock`, else the settings' clock) and its adapters from the settings;
    raise SettingsError naming what is missing."""
    teams_config = None
    if teams_allowed:
        from bot.teams.config import teams_config as read_teams_config

        teams_config = read_teams_config(settings)
    slack_given = any(getattr(settings, name) is not None for name in SLACK_SETTINGS)
    if not slack_given and teams_config is None and teams_allowed:
        raise SettingsError(messages.no_platform(command))
    if slack_given or teams_config is None:
        require(settings, command, *slack_needs)
    bot = create_bot(settings, clock=clock)
    bot.documents.warm = True  # a server: the first file asked for should not wait for imports
    owned = OwnedHttpClient()
    bot.services.add(owned)
    slack = teams = None
    if slack_given or teams_config is None:
        from bot.slack.app import SlackAdapter

        slack = SlackAdapter(bot, settings)
        bot.services.add(slack)
    sender = None
    if teams_config is not None:
        from bot.teams.app import TeamsAdapter
        from bot.teams.sender import TeamsBotSender
        from notifiers.senders import Pacer

        teams = TeamsAdapter(bot, teams_config, file_hosts=settings.extra_file_hosts)
        bot.services.add(teams)
        sender = TeamsBotSender(teams, Pacer(interval=settings.slack_channel_interval))
    bot.services.add(*background_services(bot, settings, owned.client, sender))
    return Assembly(bot, slack, teams)
