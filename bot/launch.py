"""Running one `releasebot` command: the settings, the clock they choose, the bot started and stopped.

Every command reads its settings and `--today` here, so a malformed value stops it with one line
naming the variable or option, and every command that answers lives on the same clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:  # imported when a command runs, so that `--help` costs typer alone (bot.cli)
    from bot.clocks import ClockChoice
    from bot.core import Releasebot
    from bot.settings import Settings
    from domain.clock import Clock

__all__ = ["TodayOption", "check_store", "day_note", "fail", "prepare", "run", "run_on", "store_unreachable"]

T = TypeVar("T")

STORE_PROBE_SECONDS = 10.0


def store_errors() -> tuple[type[BaseException], ...]:
    """What opening an unreachable, refusing or hung store raises (a DBAPI error comes wrapped by
    SQLAlchemy); a function so that `--help` does not import SQLAlchemy."""
    import sqlalchemy as sa

    return (OSError, TimeoutError, sa.exc.SQLAlchemyError)


def fail(message: str, code: int = 2) -> typer.Exit:
    """One line on stderr (`releasebot: ...`) and the exit to raise."""
    typer.echo(f"releasebot: {message}", err=True)
    return typer.Exit(code)


TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today", help="Live on this day (YYYY-MM-DD, from 09:00 London) instead of the real clock; RELEASEBOT_TODAY."
    ),
]


def prepare(today: str | None = None, demo: bool = False) -> tuple[Settings, ClockChoice]:
    """The settings and the clock they choose (`--today` over RELEASEBOT_TODAY); one line naming a bad one."""
    from bot import messages
    from bot.app import SettingsError, load_settings
    from bot.clocks import choose_clock, read_day

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None
    day = None
    if today is not None:
        try:
            day = read_day(today)
        except ValueError as exc:
            raise fail(messages.today_invalid("--today", str(exc))) from None
    return settings, choose_clock(settings, day, demo=demo)


def store_unreachable(url: str, exc: BaseException) -> typer.Exit:
    """One line naming the setting, the address (no password) and the first line of the reason."""
    from sqlalchemy.engine import make_url

    from bot import messages

    reason = getattr(exc, "orig", None) or exc
    first = (str(reason).strip().splitlines() or [type(reason).__name__])[0][:200]
    where = make_url(url).render_as_string(hide_password=True)
    return fail(messages.store_unreachable(where, first or type(reason).__name__))


def check_store(url: str) -> None:
    """Stop with one line when the store cannot be reached (before a server starts: its start-up
    failure would be uvicorn's traceback). A hung store counts as unreachable after a few seconds."""

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from store.db import Database

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":  # the standard driver: no aiosqlite thread left behind
        try:
            with contextlib.closing(sqlite3.connect(parsed.database or ":memory:", timeout=5)) as conn:
                conn.execute("SELECT 1")
        except sqlite3.Error as exc:
            raise store_unreachable(url, exc) from None
        return

    async def probe() -> None:
        db = Database(url)
        try:
            async with asyncio.timeout(STORE_PROBE_SECONDS), db.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        finally:
            await db.dispose()

    try:
        asyncio.run(probe())
    except TimeoutError:
        raise store_unreachable(url, TimeoutError(f"no answer within {STORE_PROBE_SECONDS:.0f} s")) from None
    except store_errors() as exc:
        raise store_unreachable(url, exc) from None


def day_note(choice: ClockChoice) -> str | None:
    """What the console says about its day, when it is not the real one."""
    from bot import messages

    return messages.console_day(choice.day, choice.source) if choice.day is not None else None


def run(
    work: Callable[[Releasebot], Awaitable[T]], watch: bool = False, today: str | None = None, collect: bool = True
) -> T:
    """Build the bot, start it (upgrading the schema), run `work`, and always stop it."""
    settings, choice = prepare(today)
    return run_on(settings, choice.clock, work, watch, collect)


def run_on(
    settings: Settings,
    clock: Clock,
    work: Callable[[Releasebot], Awaitable[T]],
    watch: bool = False,
    collect: bool = True,
) -> T:
    """`run` with the settings and the clock already chosen (the console and demo need the choice).

    With `collect`, garbage collection (off for the start-up, `bot.cli.main`) resumes once the
    bot is started; `ask` passes False: one answer and the process ends."""
    from bot.app import create_bot

    check_store(settings.database_url)
    bot = create_bot(settings, clock=clock)

    async def main() -> T:
        try:
            await bot.start(watch=watch)
        except store_errors() as exc:
            raise store_unreachable(settings.database_url, exc) from None
        if collect:
            gc.enable()
        try:
            return await work(bot)
        finally:
            await bot.stop()

    return asyncio.run(main())
