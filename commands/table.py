"""The one list of what the bot can do: the words it reads, the commands they parse to, each
command's handler, and the acting buttons.

Built at start-up (`bot.app.command_table`): every feature package registers its own words,
commands and buttons with a `register(table)` function, as bolt's starter template registers
listeners, so a package lower down never needs to know the features above it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from commands.context import Context
from commands.grammar.book import Grammar, ModWordParser, ReleaseWordParser, WordParser
from commands.language import Command
from domain.reply import Reply

__all__ = ["ActionHandler", "CommandTable", "Handler"]

C = TypeVar("C", bound=Command)

# (a parsed command, context) -> Reply. The action a handler is registered for decides the
# command type it receives; `Any` here because one table holds every family.
Handler = Callable[[Any, Context], Reply | Awaitable[Reply]]
ActionHandler = Callable[[str, Context], Awaitable[Reply]]  # (button value, context) -> Reply


@dataclass
class CommandTable:
    handlers: dict[str, Handler] = field(default_factory=dict)
    read_only: set[str] = field(default_factory=set)  # answers that depend on (state, day, text) only
    buttons: dict[str, ActionHandler] = field(default_factory=dict)
    grammar: Grammar = field(default_factory=Grammar)

    # -- the language ------------------------------------------------------------------------

    def slash(self, name: str, otherwise: WordParser, *, empty: WordParser | None = None) -> None:
        """A slash command (`release`): `otherwise` reads text that starts with none of its words."""
        self.grammar.slash(name, otherwise, empty=empty)

    def top_word(
        self,
        word: str,
        parser: WordParser,
        *,
        slash: str = "release",
        aliases: Sequence[str] = (),
        starts_line: bool = False,
    ) -> None:
        """A word right after a slash command (`/release find ...`); see `Grammar.top_word`."""
        self.grammar.top_word(word, parser, slash=slash, aliases=aliases, starts_line=starts_line)

    def release_word(self, word: str, parser: ReleaseWordParser, *, aliases: Sequence[str] = ()) -> None:
        """A word after a named release (`/release june-2022 scope`)."""
        self.grammar.release_word(word, parser, aliases=aliases)

    def mod_word(self, word: str, parser: ModWordParser) -> None:
        """A word after a named modification (`/mod MP122 decision ...`)."""
        self.grammar.mod_word(word, parser)

    # -- what the commands do ----------------------------------------------------------------

    def command(
        self, action: str, handler: Callable[[C, Context], Reply | Awaitable[Reply]], *, read_only: bool = False
    ) -> None:
        """Register the handler of a parsed command's `action`; a read-only answer may be cached."""
        if action in self.handlers:
            raise ValueError(f"{action} is registered twice")
        self.handlers[action] = handler
        if read_only:
            self.read_only.add(action)

    def button(self, name: str, handler: ActionHandler) -> None:
        """Register an acting button (a vote, Done, Snooze): `handler(value, ctx) -> Reply`."""
        if name in self.buttons:
            raise ValueError(f"button {name} is registered twice")
        self.buttons[name] = handler

    def handler(self, action: str) -> Handler | None:
        return self.handlers.get(action)
