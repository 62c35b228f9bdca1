"""Acronyms in a document: spell each out at its first use, and list only those the text uses.

A RID's glossary should hold the acronyms the document itself uses. Our sentences often spell a
term out ("Performance Measurement Report") where the paper wrote the acronym, so the first time
a glossary meaning appears, before its acronym has been seen, the acronym is added after it in
brackets, as a writer would; the glossary is then every acronym the finished text contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from commands.documents.model import Block, Bullets, Cell, Paragraph, Section, Table

__all__ = ["annotate", "used_terms"]


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    # "SR" counts in "SR12.1" (a number may follow) but "SEC" does not count inside "SECAS".
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z])")


@lru_cache(maxsize=4096)
def _meaning_pattern(meaning: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(meaning)}(?![\w])((?:'|’)s)?")


class _Annotator:
    def __init__(self, terms: Sequence[tuple[str, str]]) -> None:
        self.terms = [(t, m) for t, m in terms if t and m and t != m]
        self.term_re = {t: _term_pattern(t) for t, _ in self.terms}
        # longest meaning first, so "Smart Energy Code Administrator..." wins over "Smart Energy Code"
        self.meanings = sorted(((t, m, _meaning_pattern(m)) for t, m in self.terms), key=lambda x: -len(x[1]))
        self.seen: set[str] = set()

    def text(self, text: str) -> str:
        taken: list[tuple[int, int]] = []
        inserts: list[tuple[int, str]] = []
        for term, _meaning, pattern in self.meanings:
            if term in self.seen:
                continue
            match = pattern.search(text)
            if match is None or any(a < match.end() and match.start() < b for a, b in taken):
                continue
            if self.term_re[term].search(text, 0, match.start()):
                self.seen.add(term)  # the acronym came first in this very text: nothing to introduce
                continue
            after = text[match.end() :]
            if after.startswith(")"):
                continue  # already inside brackets; a later use can introduce it
            taken.append((match.start(), match.end()))
            if not after.lstrip().startswith(f"({term})"):
                inserts.append((match.end(), f" ({term})"))
            self.seen.add(term)
        for at, insert in sorted(inserts, reverse=True):
            text = text[:at] + insert + text[at:]
        self.mark(text)
        return text

    def mark(self, text: str) -> None:
        for term, pattern in self.term_re.items():
            if term not in self.seen and pattern.search(text):
                self.seen.add(term)

    def cell(self, cell: Cell) -> Cell:
        return self.text(cell) if isinstance(cell, str) else tuple(self.text(line) for line in cell)

    def block(self, block: Block) -> Block:
        if isinstance(block, Paragraph):
            return replace(block, text=self.text(block.text))
        if isinstance(block, Bullets):
            return Bullets(tuple(self.text(item) for item in block.items))
        if isinstance(block, Table):
            for column in block.columns:
                self.mark(column)
            return replace(block, rows=tuple(tuple(self.cell(c) for c in row) for row in block.rows))
        self.mark(block.caption)
        return block


def annotate(
    sections: Iterable[Section], terms: Sequence[tuple[str, str]], leading: Iterable[str] = ()
) -> tuple[Section, ...]:
    """The sections with each acronym spelled out at the first use of its meaning (reading order).

    `leading` is text that comes before the sections (title, subtitle): acronyms there count as
    already introduced.
    """
    annotator = _Annotator(terms)
    for text in leading:
        annotator.mark(text)
    out = []
    for section in sections:
        annotator.mark(section.title)
        out.append(replace(section, blocks=tuple(annotator.block(b) for b in section.blocks)))
    return tuple(out)


def used_terms(texts: Iterable[str], terms: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (acronym, meaning) pairs whose acronym appears in the texts, sorted by acronym."""
    body = "\n".join(texts)
    return sorted(((t, m) for t, m in terms if t and _term_pattern(t).search(body)), key=lambda tm: tm[0].upper())
