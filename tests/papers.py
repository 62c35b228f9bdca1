"""The demo on the latest paper's date: a bot whose clock says Fri 4 Dec 2020, and plain-word asks.

On that day the February 2021 release is upcoming, the June 2021 RID is being re-baselined and
"due next week" has an answer, so the tests can check Working Days to go against the papers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core import Releasebot
from commands.render import render_text
from domain.reply import Reply

PAPERS_DAY = date(2020, 12, 4)


def papers_clock() -> datetime:
    """Noon UTC on Fri 4 Dec 2020 (the December 2020 Panel paper)."""
    return datetime(2020, 12, 4, 12, 0, tzinfo=UTC)


async def ask_words(bot: Releasebot, line: str, user: str = "console") -> Reply:
    """What a DM, a mention or the console answers: a command as it is, a sentence by its reading."""
    return await bot.answers.line(line, bot.actors.resolve("console", user))


async def words_text(bot: Releasebot, line: str) -> str:
    return render_text(await ask_words(bot, line))


def read_as(text: str) -> str | None:
    """The command a plain-word answer says it read (`Read as `/release ...``), or None."""
    marker = "Read as `"
    at = text.find(marker)
    return text[at + len(marker) : text.index("`", at + len(marker))] if at >= 0 else None
