"""Small helpers shared by tests."""

from __future__ import annotations

from bot.core import Releasebot
from commands.render import render_text
from commands.reply import Reply


async def ask(bot: Releasebot, line: str, user: str = "console") -> str:
    """The console's answer to a line, as text."""
    return render_text(await bot.answer(None, line, bot.actor("console", user)))


async def reply(bot: Releasebot, line: str, user: str = "console") -> Reply:
    return await bot.answer(None, line, bot.actor("console", user))


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
