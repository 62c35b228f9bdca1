"""Running one `releasebot` command: the settings, the clock they choose, the bot started and stopped.

Every command reads its settings and `--today` here, so a malformed value stops it with one line
naming the variable or option, and every command that answers lives on the same clock.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:  # imported when a command runs, so that `--help` costs typer alone (bot.cli)
    from bot.clocks import ClockChoice
    from bot.core import Releasebot
    from bot.settings import Settings
    from domain.clock import Clock

__all__ = ["TodayOption", "day_note", "fail", "prepare", "run", "run_on"]

T = TypeVar("T")


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

    bot = create_bot(settings, clock=clock)

    async def main() -> T:
        try:
            await bot.start(watch=watch)
        except (OSError, ConnectionError) as exc:
            raise fail(
                f"cannot open the release store at {bot.db.engine.url.render_as_string(hide_password=True)}: {exc}"
            ) from None
        if collect:
            gc.enable()
        try:
            return await work(bot)
        finally:
            await bot.stop()

    return asyncio.run(main())
