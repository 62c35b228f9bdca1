"""Small helpers shared by tests."""

from __future__ import annotations

from datetime import datetime

from bot.core import Releasebot
from commands.render import render_text
from domain.clock import system_clock
from domain.reply import Reply


class SettableClock:
    """A clock a test moves by hand (give it to `create_bot`); until set it follows the real clock."""

    def __init__(self) -> None:
        self.at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at if self.at is not None else system_clock()

    def set(self, at: datetime) -> None:
        self.at = at


async def ask(bot: Releasebot, line: str, user: str = "console") -> str:
    """The console's answer to a line, as text."""
    return render_text(await bot.answers.answer(None, line, bot.actors.resolve("console", user)))


async def reply(bot: Releasebot, line: str, user: str = "console") -> Reply:
    return await bot.answers.answer(None, line, bot.actors.resolve("console", user))


def section(text: str, title: str) -> str:
    """The lines under a titled list in a text answer, up to the next blank line."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(title))
    out = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        out.append(line)
    return "\n".join(out)
