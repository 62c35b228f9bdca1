"""The app factory: settings -> database -> read model -> bot. Nothing is built at import."""

from __future__ import annotations

from pydantic import ValidationError

from bot.core import Clock, Releasebot, Service, utc_now
from bot.settings import Settings
from store.db import Database
from store.readmodel import ReadModel

__all__ = ["SettingsError", "background_services", "create_bot", "load_settings", "require"]


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
        raise SettingsError(f"{alias}: {first['msg']}") from None


def require(settings: Settings, command: str, *fields: str) -> None:
    """Stop with one line naming the first missing variable a command needs."""
    for field in fields:
        if getattr(settings, field) is None:
            info = Settings.model_fields[field]
            alias = info.validation_alias.choices[0]  # type: ignore[union-attr]
            raise SettingsError(f"{alias} is not set (needed by `releasebot {command}`)")


def create_bot(settings: Settings | None = None, clock: Clock = utc_now) -> Releasebot:
    settings = settings or load_settings()
    db = Database(settings.database_url)
    return Releasebot(settings, db, ReadModel(db, poll_seconds=settings.poll_seconds), clock=clock)


def background_services(bot: Releasebot) -> list[Service]:
    """What runs beside the adapters in `serve`, `socket` and `worker`: the poll closer (and reminders)."""
    from notifiers.polls import PollCloser

    return [PollCloser(bot)]
