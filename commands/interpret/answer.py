"""Answering a line typed in a conversation: a command as it is, a sentence by how it reads.

The adapters (console, Slack DM and mention, Teams message) call this one function with their own
way of answering a command, so the answer to a reading is the bot's ordinary answer (cached like
any other) with the reading shown on top.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

from commands.grammar.book import Grammar
from commands.interpret.explain import change_reply, explained, unread_reply, unsure_reply
from commands.interpret.lexicon import Lexicon, load_lexicon
from commands.interpret.reader import Interpretation, read_sentence
from commands.interpret.text import MAX_SENTENCE_CHARS, MAX_SENTENCE_WORDS
from commands.interpret.vocabulary import VocabularyCache
from commands.language import ParseError
from commands.parse import parse_line
from domain.reply import Reply
from domain.snapshot import Snapshot

__all__ = ["Interpreter"]

R = TypeVar("R")


class Interpreter:
    """Reads sentences with the state's own vocabulary; one per bot.

    It keeps the vocabulary of the latest state version it was asked about (built once per
    version, not per question) and the grammar that decides what already is a command.
    """

    def __init__(self, grammar: Grammar, lexicon: Lexicon | None = None) -> None:
        self.grammar = grammar
        self.lexicon = lexicon or load_lexicon()
        self.vocabularies = VocabularyCache()

    def is_sentence(self, text: str, today: date) -> bool:
        """True when the line is not a command: it does not parse, and does not start like one."""
        stripped = text.strip()
        first = stripped.split(None, 1)[0].lower() if stripped else ""
        if not first or first.startswith("/") or first in (*self.grammar.slash_commands, "help", "?"):
            return False
        return isinstance(parse_line(self.grammar, stripped, today), ParseError)

    def interpret(self, text: str, snapshot: Snapshot, today: date) -> Interpretation:
        """The readings of a sentence against the state's vocabulary."""
        return read_sentence(text, self.vocabularies.get(snapshot, self.lexicon), today)

    async def answer_rendered(
        self,
        text: str,
        snapshot: Snapshot,
        today: date,
        answer: Callable[[str], Awaitable[tuple[Reply, R]]],
        render: Callable[[Reply], R],
    ) -> tuple[Reply, R]:
        """(reply, rendered): a command answered as it is; a sentence read, then answered or asked about."""
        if not self.is_sentence(text, today):
            return await answer(text)
        if len(text) > MAX_SENTENCE_CHARS or len(text.split()) > MAX_SENTENCE_WORDS:
            fallback, _ = await answer(text)
            limit = f"{MAX_SENTENCE_CHARS} characters, {MAX_SENTENCE_WORDS} words at most"
            reply = unread_reply(fallback, None, f"It is too long to read as a question ({limit})")
            return reply, render(reply)
        interpretation = self.interpret(text, snapshot, today)
        if interpretation.asks_change:
            reply = change_reply(text)
        elif interpretation.sure and interpretation.best is not None:
            answered, _ = await answer(interpretation.best.command)
            reply = explained(answered, interpretation)
        elif len(interpretation.readings) >= 2 and interpretation.readings[0].confidence >= 0.2:
            reply = unsure_reply(interpretation)
        else:
            fallback, _ = await answer(text)
            reply = unread_reply(fallback, interpretation)
        return reply, render(reply)

    async def answer(
        self, text: str, snapshot: Snapshot, today: date, answer: Callable[[str], Awaitable[Reply]]
    ) -> Reply:
        """The reply alone (for adapters that render it themselves)."""

        async def pair(line: str) -> tuple[Reply, None]:
            return await answer(line), None

        reply, _ = await self.answer_rendered(text, snapshot, today, pair, lambda r: None)
        return reply
