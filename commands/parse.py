"""Text a user types after `/release`, `/mod` or `/workdays` -> a typed `Command` (or a `ParseError`).

The words are read through the grammar the features registered into the command table
(`commands.grammar.book.Grammar`); this module does what is the same for every command: the
trailing modifiers (`public`, `page N`), the free-text rule, and the text the reply quotes.
Parsing is pure and never raises on user input.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from commands.grammar.book import Grammar
from commands.grammar.reading import Fail
from commands.language import Command, HelpCommand, ParseError
from domain.words import read_slug, tokenize

__all__ = ["parse", "parse_line"]

MAX_PAGE = 10_000


def parse_line(grammar: Grammar, line: str, today: date) -> Command | ParseError:
    """A whole line as typed in the console or a mention: `/release june-2021 scope`, `mod MP122A`."""
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
        return ParseError(f"I don't know the command `{tokens[0]}`.", topic="all", word=name, expected=commands)
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
        elif len(rest) >= 2 and rest[-2].lower() == "page" and rest[-1].isdecimal():
            page = max(1, min(int(rest[-1]), MAX_PAGE))
            del rest[-2:]
        else:
            break
    return rest, public, page


def parse(grammar: Grammar, command: str, text: str, today: date) -> Command | ParseError:
    """Parse the text after a slash command."""
    command = command.lstrip("/").lower()
    if command not in grammar.slash_commands:
        return ParseError(
            f"I don't know the command `/{command}`.", topic="all", word=command, expected=grammar.slash_commands
        )
    tokens = tokenize(text)
    rest, public, page = _modifiers(tokens)
    try:
        cmd = grammar.read(command, rest, today)
        if cmd.free_text and len(rest) != len(tokens):
            # The modifiers were the end of a reason, a title or a comment: read them as such.
            cmd, public, page = grammar.read(command, tokens, today), False, 1
    except Fail as fail:
        return fail.error
    return replace(cmd, text=f"/{command} {text}".strip(), public=public, page=page)
