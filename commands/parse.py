"""Text a user types after `/release`, `/mod` or `/workdays` -> a typed `Command` (or a `ParseError`).

The words are read through the grammar the features registered into the command table
(`commands.grammar.book.Grammar`); this module does what is the same for every command: the
trailing modifiers (`public`, `page N`), the free-text rule, and the text the reply quotes.
Parsing is pure and never raises on user input.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from commands.grammar.book import Grammar
from commands.grammar.reading import Fail
from commands.language import Command, HelpCommand, ParseError
from domain.limits import MAX_COMMAND_CHARS, over_limit
from domain.words import read_slug, tokenize

__all__ = ["parse", "parse_line"]

MAX_PAGE = 10_000


def parse_line(grammar: Grammar, line: str, today: date) -> Command | ParseError:
    """A whole line as typed in the console or a mention: `/release june-2021 scope`, `mod MP122A`."""
    if len(line) > MAX_COMMAND_CHARS:  # before tokenizing it: a 100 KB line is refused at once
        return ParseError(f"That is too long for a command: {MAX_COMMAND_CHARS:,} characters at most.", topic="all")
    tokens = line.strip().split(None, 1)
    commands = grammar.slash_commands
    if not tokens:
        return ParseError("Type a command, for example `/release` or `/release june-2021 scope`.", topic="all")
    name = tokens[0].lstrip("/").lower()
    rest = tokens[1] if len(tokens) > 1 else ""
    if name in ("help", "?"):
        return HelpCommand(words=rest.strip().lstrip("/"), text=line.strip())
    if name not in commands:
        # A mention often starts straight with a release: "@releasebot june-2022 scope".
        if read_slug(tokenize(line), 0) or grammar.starts_line(name):
            return parse(grammar, "release", line, today)
        shown = tokens[0] if len(tokens[0]) <= 40 else tokens[0][:40] + "…"
        return ParseError(f"I don't know the command `{shown}`.", topic="all", word=name[:40], expected=commands)
    return parse(grammar, name, rest, today)


def _modifiers(tokens: list[str]) -> tuple[list[str], bool, int]:
    """The words without the trailing modifiers a command may carry: `public`, `page N`."""
    public = False
    page = 1
    rest = list(tokens)
    while rest:
        if rest[-1].lower() == "public":
            public = True
            rest.pop()
        elif len(rest) >= 2 and rest[-2].lower() == "page" and rest[-1].isascii() and rest[-1].isdecimal():
            page = max(1, min(int(rest[-1][:6]) if len(rest[-1]) <= 6 else MAX_PAGE, MAX_PAGE))
            del rest[-2:]
        else:
            break
    return rest, public, page


def _too_long(cmd: Command, command: str) -> ParseError | None:
    """Free text past its limit: a short answer naming the limit (domain.limits)."""
    for field in fields(cmd):
        value = getattr(cmd, field.name)
        if isinstance(value, str) and (limit := over_limit(field.name, value)) is not None:
            words = f"That {field.name} is too long ({len(value):,} characters): {limit:,} at most."
            return ParseError(words, topic=_TOPICS.get(field.name, command))
    return None


_TOPICS = {"comment": "polls", "question": "polls"}


def parse(grammar: Grammar, command: str, text: str, today: date) -> Command | ParseError:
    """Parse the text after a slash command."""
    command = command.lstrip("/").lower()
    if command not in grammar.slash_commands:
        return ParseError(
            f"I don't know the command `/{command}`.", topic="all", word=command, expected=grammar.slash_commands
        )
    if len(text) > MAX_COMMAND_CHARS:
        return ParseError(f"That is too long for a command: {MAX_COMMAND_CHARS:,} characters at most.", topic=command)
    tokens = tokenize(text)
    rest, public, page = _modifiers(tokens)
    try:
        cmd = grammar.read(command, rest, today)
        if cmd.free_text and len(rest) != len(tokens):
            # The modifiers were the end of a reason, a title or a comment: read them as such.
            cmd, public, page = grammar.read(command, tokens, today), False, 1
    except Fail as fail:
        return fail.error
    if (long := _too_long(cmd, command)) is not None:
        return long
    return replace(cmd, text=f"/{command} {text}".strip(), public=public, page=page)
