"""The word tables: which parser reads what follows each slash command, and what follows a release.

A slash command (`release`, `mod`, `workdays`) is an entry with its own words (`find`, `undo`,
...), a parser for when nothing is typed and one for anything that is not one of its words (a
release, a reference, a date). The words after a named release (`june-2022 scope`) have a table
of their own. Parsing dispatches through these tables, as bolt dispatches to its small listener
matchers: one parser per word, registered at start-up by the feature that owns the word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from commands.language import Command

__all__ = ["MODIFIERS", "Grammar", "ModWordParser", "ReleaseWordParser", "Said", "WordParser"]

MODIFIERS = ("public", "page")  # trailing words any command may carry (`commands.parse` takes them off)


@dataclass(frozen=True)
class Said:
    """What a word's parser reads: the words typed, where its own start, and what they follow."""

    tokens: list[str]
    i: int  # the first token after the word that chose this parser (0 for a slash command's own parsers)
    today: date
    slash: str  # the slash command typed: `release`, `mod` or `workdays`
    grammar: Grammar

    @property
    def word(self) -> str:
        """The word that chose this parser, lower-cased (an alias as typed); empty at the start."""
        return self.tokens[self.i - 1].lower() if self.i > 0 else ""

    def at(self, i: int) -> Said:
        """The same words, read from token `i`."""
        return replace(self, i=i)


WordParser = Callable[[Said], Command]
ReleaseWordParser = Callable[[Said, str], Command]  # (what was said, the slug of the release named first)
ModWordParser = Callable[[Said, str], Command]  # (what was said, the ref of the modification named first)


@dataclass
class _Slash:
    otherwise: WordParser
    empty: WordParser
    words: dict[str, WordParser] = field(default_factory=dict)


class Grammar:
    """Every word the bot understands, as registered; `read` dispatches a command's words through it."""

    def __init__(self) -> None:
        self._slash: dict[str, _Slash] = {}
        self._release: dict[str, ReleaseWordParser] = {}
        self._mod: dict[str, ModWordParser] = {}
        self._line_words: set[str] = set()

    # -- registering -----------------------------------------------------------------------

    def slash(self, name: str, otherwise: WordParser, *, empty: WordParser | None = None) -> None:
        """A slash command: `otherwise` reads text that starts with none of its words, `empty` no text."""
        if name in self._slash:
            raise ValueError(f"/{name} is registered twice")
        self._slash[name] = _Slash(otherwise, empty or otherwise)

    def top_word(
        self,
        word: str,
        parser: WordParser,
        *,
        slash: str = "release",
        aliases: Sequence[str] = (),
        starts_line: bool = False,
    ) -> None:
        """A word right after a slash command (`/release find ...`).

        `starts_line`: a mention or console line may begin with the word itself (`find Appendix O`).
        """
        entry = self._slash.get(slash)
        if entry is None:
            raise ValueError(f"/{slash} is not registered (register it before its words)")
        for name in (word, *aliases):
            if name in entry.words:
                raise ValueError(f"`/{slash} {name}` is registered twice")
            entry.words[name] = parser
        if starts_line:
            self._line_words.add(word)

    def release_word(self, word: str, parser: ReleaseWordParser, *, aliases: Sequence[str] = ()) -> None:
        """A word after a named release (`/release june-2022 scope`): the parser gets the slug too."""
        for name in (word, *aliases):
            if name in self._release:
                raise ValueError(f"`/release <slug> {name}` is registered twice")
            self._release[name] = parser

    def mod_word(self, word: str, parser: ModWordParser) -> None:
        """A word after a named modification (`/mod MP122 set phase Report`): the parser gets the ref."""
        if word in self._mod:
            raise ValueError(f"`/mod <ref> {word}` is registered twice")
        self._mod[word] = parser

    # -- reading ---------------------------------------------------------------------------

    @property
    def slash_commands(self) -> tuple[str, ...]:
        return tuple(self._slash)

    def words(self, slash: str) -> tuple[str, ...]:
        """The words (and aliases) after `/slash`, for "did you mean"."""
        entry = self._slash.get(slash)
        return tuple(entry.words) if entry else ()

    def release_words(self) -> tuple[str, ...]:
        """The words (and aliases) after a named release, for "did you mean"."""
        return tuple(self._release)

    def starts_line(self, word: str) -> bool:
        return word in self._line_words

    def release_parser(self, word: str) -> ReleaseWordParser | None:
        return self._release.get(word.lower())

    def mod_words(self) -> tuple[str, ...]:
        return tuple(self._mod)

    def mod_parser(self, word: str) -> ModWordParser | None:
        return self._mod.get(word.lower())

    def read(self, slash: str, tokens: list[str], today: date) -> Command:
        """The command the words after `/slash` say (trailing modifiers already taken off).

        Raises `commands.grammar.reading.Fail` for words it cannot read, and `KeyError` for a slash
        command nobody registered (`commands.parse` answers that before it gets here).
        """
        entry = self._slash[slash]
        said = Said(tokens, 0, today, slash, self)
        if not tokens:
            return entry.empty(said)
        parser = entry.words.get(tokens[0].lower())
        if parser is not None:
            return parser(said.at(1))
        return entry.otherwise(said)
