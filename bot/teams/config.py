"""Whether Teams is on: all three TEAMS_* settings, or none (then one log line says it is off).

Kept apart from the adapter so the CLI can decide without importing the Teams SDK, whose import
is slow and reads a `.env` file (see `bot.teams.sdk`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot import messages
from bot.app import SettingsError
from bot.settings import Settings

__all__ = ["TeamsConfig", "teams_config"]

log = logging.getLogger("releasebot.teams")

_VARIABLES = {
    "TEAMS_CLIENT_ID": "teams_client_id",
    "TEAMS_CLIENT_SECRET": "teams_client_secret",
    "TEAMS_TENANT_ID": "teams_tenant_id",
}


@dataclass(frozen=True)
class TeamsConfig:
    """The bot's Entra app registration: who we are to the Bot Framework, and our credential."""

    client_id: str
    tenant_id: str
    client_secret: str = field(repr=False)


def teams_config(settings: Settings) -> TeamsConfig | None:
    """The Teams credentials, None when Teams is not configured; a partial set is an error."""
    client_id, secret, tenant_id = settings.teams_client_id, settings.teams_client_secret, settings.teams_tenant_id
    given = [variable for variable, name in _VARIABLES.items() if getattr(settings, name) is not None]
    if not given:
        log.info(messages.log_teams_disabled(tuple(_VARIABLES)))
        return None
    if client_id is None or secret is None or tenant_id is None:
        missing = next(variable for variable in _VARIABLES if variable not in given)
        raise SettingsError(messages.teams_setting_missing(missing, given[0]))
    return TeamsConfig(client_id, tenant_id, secret.get_secret_value())
