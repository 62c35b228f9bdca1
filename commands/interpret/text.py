"""A sentence -> tokens as the readers see them: lower-cased, edge punctuation off, contractions out.

Tokens keep what was typed (for the explanation) and split into sub-words ("go/no-go" -> go no go)
for matching phrases; slugs, refs and dates are read from whole tokens first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_SENTENCE_CHARS", "MAX_SENTENCE_WORDS", "Token", "phrase_words", "split_words", "tokens_of"]

MAX_SENTENCE_CHARS = 300
MAX_SENTENCE_WORDS = 40
_QUOTES = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u2013": "-", "\u2014": "-"}
)
_EDGE_LEFT = "\"'([{<*_`"
_EDGE_RIGHT = "\"')]}>?!.,;:*_`"
_SUB = re.compile(r"[a-z0-9£]+")
_NOT = {"can't": ("can", "not"), "won't": ("will", "not"), "shan't": ("shall", "not")}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the sentence: as typed, as read, and its sub-words for phrase matching."""

    typed: str
    norm: str
    subs: tuple[str, ...]


def split_words(norm: str) -> tuple[str, ...]:
    """`go/no-go` -> (go, no, go); `self-governance` -> (self, governance); `mp122a` stays one."""
    return tuple(_SUB.findall(norm))


def _expand(word: str, is_words: frozenset[str], contractions: dict[str, str]) -> list[str]:
    if word in _NOT:
        return list(_NOT[word])
    for suffix, full in contractions.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            base = word[: -len(suffix)]
            if suffix == "'s":
                return [base, "is"] if base in is_words else [base]  # else a possessive: "2021's scope"
            return [base, full]
    return [word]


def tokens_of(
    sentence: str, is_words: frozenset[str] = frozenset(), contractions: dict[str, str] | None = None
) -> list[Token]:
    """The tokens of a sentence (at most MAX_SENTENCE_WORDS of them; the caller bounds the length)."""
    out: list[Token] = []
    for raw in sentence.translate(_QUOTES).split()[:MAX_SENTENCE_WORDS]:
        typed = raw.lstrip(_EDGE_LEFT).rstrip(_EDGE_RIGHT)
        if not typed:
            continue
        for n, word in enumerate(_expand(typed.lower(), is_words, contractions or {})):
            subs = split_words(word)
            if subs:  # "what's" -> what (typed "what's"), is (typed ""): the words as typed, once
                out.append(Token(typed if n == 0 else "", word, subs))
    return out


def phrase_words(
    phrase: str, is_words: frozenset[str] = frozenset(), contractions: dict[str, str] | None = None
) -> tuple[str, ...]:
    """A vocabulary phrase as the sub-words a sentence would give: "What's in" -> (what, is, in)."""
    return tuple(sub for token in tokens_of(phrase, is_words, contractions) for sub in token.subs)
