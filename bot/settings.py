"""Typed settings from the environment (and a `.env` file when one is given explicitly).

Built by the app factory, never at import. A missing or malformed value stops start-up with one
line that names the variable (see `bot.errors.settings_problem`).
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DATABASE_URL", "FIRST_DAY", "LAST_DAY", "Settings", "bounded_day"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///releasebot.db"
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_TENANT = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$")
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)  # the days the bot may be told to live on


def bounded_day(value: date) -> date:
    """`value`, if the bot can live on it (the calendar knows bank holidays from 1990 to 2100)."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"a day from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}, like 2020-12-04")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("RELEASEBOT_DATABASE_URL", "database_url"),
        pattern=r"^(sqlite\+aiosqlite|postgresql\+asyncpg)://",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///file.db or postgresql+asyncpg://user@host/db",
    )
    write_timeout: float = Field(2.0, validation_alias=AliasChoices("RELEASEBOT_WRITE_TIMEOUT", "write_timeout"), gt=0)
    poll_seconds: float = Field(1.0, validation_alias=AliasChoices("RELEASEBOT_POLL_SECONDS", "poll_seconds"), gt=0)
    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "slack_bot_token"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "slack_signing_secret")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "slack_app_token"))
    slack_api_url: str = Field(
        "https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_URL", "slack_api_url"),
        pattern=r"^https?://",
    )
    # Microsoft Teams (bot/teams): all three or none; none turns Teams off. Nothing here turns off
    # the JWT check of inbound activities: there is deliberately no setting for that.
    teams_client_id: str | None = Field(None, validation_alias=AliasChoices("TEAMS_CLIENT_ID", "teams_client_id"))
    teams_client_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("TEAMS_CLIENT_SECRET", "teams_client_secret")
    )
    teams_tenant_id: str | None = Field(None, validation_alias=AliasChoices("TEAMS_TENANT_ID", "teams_tenant_id"))

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a Slack bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("a Slack app-level token starts with xapp-")
        return value

    @field_validator("teams_client_id", "teams_client_secret", "teams_tenant_id", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("teams_client_id")
    @classmethod
    def _teams_client_id(cls, value: str | None) -> str | None:
        if value is not None and not _GUID.match(value.strip()):
            raise ValueError("the Teams app (client) id is a GUID like 00000000-0000-0000-0000-000000000000")
        return None if value is None else value.strip().lower()

    @field_validator("teams_tenant_id")
    @classmethod
    def _teams_tenant_id(cls, value: str | None) -> str | None:
        if value is not None and not _TENANT.match(value.strip()):
            raise ValueError("the tenant is a directory id (GUID) or a domain like contoso.onmicrosoft.com")
        return None if value is None else value.strip()

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    # The day the bot lives on (the demo: the papers' date); unset, the real clock.
    today: date | None = Field(
        None,
        validation_alias=AliasChoices("RELEASEBOT_TODAY", "today"),
        description="live on this day (YYYY-MM-DD) from 09:00 Europe/London instead of the real clock",
    )

    @field_validator("today", mode="before")
    @classmethod
    def _today_is_a_day(cls, value: object) -> object:
        """A day written as one (2020-12-04): not a number of seconds, not a time of day."""
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return value.strip()
        raise ValueError("a day like 2020-12-04")

    @field_validator("today")
    @classmethod
    def _today_in_range(cls, value: date | None) -> date | None:
        return None if value is None else bounded_day(value)

    webhook_hosts: str = Field(
        "",
        validation_alias=AliasChoices("RELEASEBOT_WEBHOOK_HOSTS", "webhook_hosts"),
        description="comma-separated hosts allowed for webhook subscriptions besides Slack's and Microsoft's own",
    )
    file_hosts: str = Field(
        "",
        validation_alias=AliasChoices("RELEASEBOT_FILE_HOSTS", "file_hosts"),
        description="comma-separated hosts paper files sent in Teams may be downloaded from besides SharePoint",
    )
    # Reminders (notifiers/): the admin channel gets reports of reminders that cannot be posted.
    admin_channel: str | None = Field(None, validation_alias=AliasChoices("RELEASEBOT_ADMIN_CHANNEL", "admin_channel"))
    reminder_lease_seconds: float = Field(
        60.0, validation_alias=AliasChoices("RELEASEBOT_REMINDER_LEASE_SECONDS", "reminder_lease_seconds"), gt=0
    )
    reminder_horizon_days: int = Field(
        60, validation_alias=AliasChoices("RELEASEBOT_REMINDER_HORIZON_DAYS", "reminder_horizon_days"), gt=0, le=3660
    )
    reminder_plan_seconds: float = Field(
        600.0, validation_alias=AliasChoices("RELEASEBOT_REMINDER_PLAN_SECONDS", "reminder_plan_seconds"), gt=0
    )
    reminder_poll_seconds: float = Field(
        30.0, validation_alias=AliasChoices("RELEASEBOT_REMINDER_POLL_SECONDS", "reminder_poll_seconds"), gt=0
    )
    reminder_concurrency: int = Field(
        8, validation_alias=AliasChoices("RELEASEBOT_REMINDER_CONCURRENCY", "reminder_concurrency"), gt=0, le=256
    )
    reminder_retry_seconds: float = Field(
        30.0, validation_alias=AliasChoices("RELEASEBOT_REMINDER_RETRY_SECONDS", "reminder_retry_seconds"), gt=0
    )
    slack_channel_interval: float = Field(
        1.0, validation_alias=AliasChoices("RELEASEBOT_SLACK_CHANNEL_INTERVAL", "slack_channel_interval"), ge=0
    )

    # Files in chat (bot/documents.py, bot/links.py): Teams cards link to signed, expiring URLs.
    public_url: str | None = Field(
        None,
        validation_alias=AliasChoices("RELEASEBOT_PUBLIC_URL", "public_url"),
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="the address `releasebot serve` is reached at, e.g. https://releasebot.example.org",
    )
    link_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("RELEASEBOT_LINK_SECRET", "link_secret"),
        min_length=16,
        description="signs download links; unset, a random one per process (links then work until it restarts)",
    )
    link_hours: float = Field(24.0, validation_alias=AliasChoices("RELEASEBOT_LINK_HOURS", "link_hours"), gt=0, le=720)
    # Bodies not yet authenticated (bot/bodies.py): all in within this long, and so many at once.
    body_timeout_seconds: float = Field(
        10.0, validation_alias=AliasChoices("RELEASEBOT_BODY_TIMEOUT_SECONDS", "body_timeout_seconds"), gt=0, le=300
    )
    max_pending_bodies: int = Field(
        64, validation_alias=AliasChoices("RELEASEBOT_MAX_PENDING_BODIES", "max_pending_bodies"), gt=0, le=10_000
    )

    @property
    def extra_file_hosts(self) -> frozenset[str]:
        """Hosts a Teams attachment may be downloaded from besides SharePoint, lower-cased."""
        return frozenset(h.strip().lower() for h in self.file_hosts.split(",") if h.strip())

    @property
    def extra_webhook_hosts(self) -> frozenset[str]:
        """Hosts webhook subscriptions may use besides Slack's and Microsoft's own, lower-cased."""
        return frozenset(h.strip().lower() for h in self.webhook_hosts.split(",") if h.strip())
