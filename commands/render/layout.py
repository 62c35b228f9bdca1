"""Fitting a reply into a platform's limits: split long blocks, then cut the result into pages.

Nothing is dropped: a list too long for one section becomes several sections, a reply too long
for one message becomes pages, and every page says which page it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.reply import Actions, Block, Facts, Heading, Items, Note, Paragraph, Span, Spans, Table

__all__ = ["Limits", "Page", "fit_blocks", "paginate", "split_text", "table_lines"]


@dataclass(frozen=True)
class Limits:
    section_chars: int  # one text element
    fields: int  # pairs in one Facts block
    page_blocks: int  # content blocks on one page
    page_chars: int  # rendered characters on one page


@dataclass(frozen=True)
class Page:
    number: int
    total: int
    blocks: tuple[Block, ...]


def split_text(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit` characters, at white space where there is some."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip(" ")
    pieces.append(text)
    return pieces


def _split_line(line: Spans, limit: int) -> list[Spans]:
    """A single over-long line (user text) as several plain lines."""
    text = "".join(s.text for s in line)
    return [(Span(piece),) for piece in split_text(text, limit)]


def table_lines(table: Table) -> list[str]:
    """A table as aligned monospace lines (header, rule, rows)."""
    widths = [len(c) for c in table.columns]
    for row in table.rows:
        for n, cell in enumerate(row):
            widths[n] = max(widths[n], len(cell))

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(widths[n]) for n, c in enumerate(cells)).rstrip()

    return [fmt(table.columns), "  ".join("-" * w for w in widths), *(fmt(r) for r in table.rows)]


def fit_blocks(blocks: Sequence[Block], limits: Limits, measure_line: Callable[[Spans], int]) -> list[Block]:
    """Split every block that is too big for one platform element into several that fit."""
    out: list[Block] = []
    budget = limits.section_chars - 200  # room for a title and bullets
    for block in blocks:
        if isinstance(block, Items):
            chunk: list[Spans] = []
            size = 0
            first = True
            for line in block.lines:
                pieces = [line] if measure_line(line) <= budget else _split_line(line, budget)
                for piece in pieces:
                    cost = measure_line(piece) + 4
                    if chunk and size + cost > budget:
                        out.append(
                            Items(
                                tuple(chunk),
                                block.title if first else f"{block.title} (continued)" if block.title else "",
                            )
                        )
                        chunk, size, first = [], 0, False
                    chunk.append(piece)
                    size += cost
            if chunk or first:
                out.append(
                    Items(tuple(chunk), block.title if first else f"{block.title} (continued)" if block.title else "")
                )
        elif isinstance(block, Table):
            rows: list[tuple[str, ...]] = []
            first = True
            for row in block.rows:
                candidate = Table(block.columns, (*rows, row), block.title)
                if rows and sum(len(x) + 1 for x in table_lines(candidate)) > budget:
                    out.append(
                        Table(block.columns, tuple(rows), block.title if first else f"{block.title} (continued)")
                    )
                    rows, first = [], False
                rows.append(row)
            out.append(Table(block.columns, tuple(rows), block.title if first else f"{block.title} (continued)"))
        elif isinstance(block, Facts):
            pairs = list(block.pairs)
            for n in range(0, max(len(pairs), 1), limits.fields):
                out.append(Facts(tuple(pairs[n : n + limits.fields])))
        elif isinstance(block, (Paragraph, Note)) and measure_line(block.line) > budget:
            out.extend(type(block)(piece) for piece in _split_line(block.line, budget))
        else:
            out.append(block)
    return out


def paginate(blocks: Sequence[Block], limits: Limits, measure: Callable[[Block], int]) -> list[Page]:
    """Pages of whole blocks; the heading and the reply's buttons are repeated on every page."""
    heading = next((b for b in blocks if isinstance(b, Heading)), None)
    actions = [b for b in blocks if isinstance(b, Actions)]
    body = [b for b in blocks if b is not heading and not isinstance(b, Actions)]
    fixed = (1 if heading else 0) + len(actions)
    pages: list[list[Block]] = []
    current: list[Block] = []
    size = 0
    for block in body:
        cost = measure(block)
        if current and (len(current) + fixed >= limits.page_blocks or size + cost > limits.page_chars):
            pages.append(current)
            current, size = [], 0
        current.append(block)
        size += cost
    pages.append(current)
    total = len(pages)
    head: list[Block] = [heading] if heading else []
    return [Page(n + 1, total, (*head, *page, *actions)) for n, page in enumerate(pages)]
