"""The terminal console: answers exactly as the bot does in a channel, rendered as text.

Interactive on a terminal (prompt, line editing, history in ~/.releasebot_history); with piped
input it prints each answer and exits at the end of input. When the bot lives on a chosen day
(the demo, `--today`) the banner says so; with piped input that is one line on stderr before the
first answer, so standard output holds the answers alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import TextIO

from bot.core import Releasebot
from commands.render import Target

__all__ = ["run_console"]

HISTORY = Path.home() / ".releasebot_history"
BANNER = """releasebot console: type commands as in Slack, e.g. /release, /release june-2021 scope,
/mod MP122A, /workdays 2016-11-23 +10, /release help. Ctrl-D or `exit` to leave.
"""


def _readline_setup() -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        readline.set_history_length(1000)
        if HISTORY.exists():
            readline.read_history_file(HISTORY)


def _readline_save() -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        readline.write_history_file(HISTORY)


async def run_console(
    bot: Releasebot,
    user: str,
    target: Target,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    day_note: str | None = None,
    stderr: TextIO = sys.stderr,
) -> int:
    """Answer each line as `user`; `day_note` says which day the bot lives on when it is not today."""
    interactive = stdin.isatty()
    actor = bot.actors.resolve("console", user)
    if interactive:
        _readline_setup()
        who = f"{actor.name} ({actor.role})" if actor.role else f"{user} (not a member: read-only)"
        stdout.write(BANNER + (day_note + "\n" if day_note else "") + f"You are {who}.\n\n")
    elif day_note:
        stderr.write(day_note + "\n")
        stderr.flush()
    loop = asyncio.get_running_loop()
    try:
        while True:
            if interactive:
                try:
                    line = await loop.run_in_executor(None, input, "releasebot> ")
                except EOFError:
                    stdout.write("\n")
                    break
            else:
                line = stdin.readline()
                if not line:
                    break
            line = line.strip()
            if not line:
                continue
            if line in ("exit", "quit", "/exit", "/quit"):
                break
            if not interactive and target == "text":
                stdout.write(f"> {line}\n")  # piped: each answer under the command it answers
            # A command as it is; a question in plain words read with the state's vocabulary, then answered.
            _, rendered = await bot.answers.line_rendered(line, bot.actors.resolve("console", user), target)
            stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
            if interactive or target == "text":
                stdout.write("\n")
            stdout.flush()
    finally:
        if interactive:
            _readline_save()
    return 0
