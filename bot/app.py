"""The app factory: settings -> database -> read model -> bot. Nothing is built at import.

The senders and the reminder service (httpx, the scheduler) are imported by the functions that
build them, so a one-shot `releasebot ask` does not load them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.clocks import choose_clock
from bot.core import Releasebot
from bot.logs import protect_http_logs
from bot.services import Service
from bot.settings import Settings
from commands.register import register as register_commands
from commands.table import CommandTable
from domain.clock import Clock
from domain.rules import Rules, load_rules
from notifiers.register import register as register_reminders
from store.db import Database
from store.readmodel import ReadModel

if TYPE_CHECKING:
    import httpx

    from notifiers.senders import Pacer, Sender, Senders
    from notifiers.service import ReminderConfig

__all__ = [
    "SettingsError",
    "background_services",
    "command_table",
    "create_bot",
    "create_senders",
    "create_services",
    "load_settings",
    "reminder_config",
    "require",
]


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names the environment variable."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        info = Settings.model_fields.get(field)
        alias = info.validation_alias.choices[0] if info is not None and info.validation_alias else field  # type: ignore[union-attr]
        problem = str(first["msg"]).removeprefix("Value error, ")  # pydantic's prefix for a validator's words
        raise SettingsError(f"{alias}: {problem}") from None


def require(settings: Settings, command: str, *fields: str) -> None:
    """Stop with one line naming the first missing variable a command needs."""
    for field in fields:
        if getattr(settings, field) is None:
            info = Settings.model_fields[field]
            alias = info.validation_alias.choices[0]  # type: ignore[union-attr]
            raise SettingsError(f"{alias} is not set (needed by `releasebot {command}`)")


def command_table() -> CommandTable:
    """Everything the bot can do, registered by the package that owns each feature."""
    table = CommandTable()
    register_commands(table)
    register_reminders(table)
    return table


def create_bot(settings: Settings | None = None, clock: Clock | None = None, rules: Rules | None = None) -> Releasebot:
    """The bot on the settings' store; on `clock`, else the one the settings choose (`bot.clocks`)."""
    settings = settings or load_settings()
    protect_http_logs()
    db = Database(settings.database_url)
    read_model = ReadModel(db, poll_seconds=settings.poll_seconds)
    clock = clock or choose_clock(settings).clock
    return Releasebot(settings, db, read_model, command_table(), rules or load_rules(), clock=clock)


def create_senders(settings: Settings, http: httpx.AsyncClient, teams: Sender | None = None) -> Senders:
    """Slack Web API (when a bot token is set), Slack incoming webhooks, Teams Workflows webhooks,
    and the Teams bot itself when it runs in this process (`teams`, a bot.teams.sender.TeamsBotSender)."""
    from notifiers.senders import Pacer, Senders, SlackWebhookSender, SlackWebSender, TeamsWorkflowSender

    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""

    def pacer() -> Pacer:
        return Pacer(interval=settings.slack_channel_interval)

    return Senders(
        [
            SlackWebSender(http, pacer(), api_url=settings.slack_api_url, token=token),
            SlackWebhookSender(http, pacer(), extra_hosts=settings.extra_webhook_hosts),
            TeamsWorkflowSender(http, pacer(), extra_hosts=settings.extra_webhook_hosts),
            *([teams] if teams is not None else []),
        ]
    )


def reminder_config(settings: Settings) -> ReminderConfig:
    from notifiers.service import ReminderConfig

    return ReminderConfig(
        lease=timedelta(seconds=settings.reminder_lease_seconds),
        horizon=timedelta(days=settings.reminder_horizon_days),
        plan_every=settings.reminder_plan_seconds,
        poll=settings.reminder_poll_seconds,
        concurrency=settings.reminder_concurrency,
        pace=settings.slack_channel_interval,
        retry_base=settings.reminder_retry_seconds,
        admin_channel=settings.admin_channel,
    )


def create_services(
    bot: Releasebot, settings: Settings, http: httpx.AsyncClient, teams: Sender | None = None
) -> list[Service]:
    """Background services for `serve`, `socket` and `worker`: today the reminder scheduler.

    The reminder service reads the bot's store, read model and clock (`notifiers.service.Host`).
    `http` is owned by the caller (open it in the lifespan, close it after `stop_services`).
    """
    from notifiers.service import ReminderService

    return [ReminderService(bot, create_senders(settings, http, teams), bot.rules, reminder_config(settings))]


def background_services(
    bot: Releasebot, settings: Settings, http: httpx.AsyncClient, teams: Sender | None = None
) -> list[Service]:
    """What runs beside the adapters in `serve`, `socket` and `worker`: the poll closer and reminders."""
    from notifiers.polls import PollCloser

    return [PollCloser(bot.writer, bot.fanout.poll_changed, bot.clock), *create_services(bot, settings, http, teams)]
