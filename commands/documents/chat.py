"""A `Document` as a chat reply, so `/release <slug> rid` says what the Word file says.

Each heading appears once: a level-2 section whose first block is a table or a list gives that
block its title; any other section gets its title as a bold line. Pictures become their caption
and data (chat cannot show a PNG inline until the upload lands in phase 2).
"""

from __future__ import annotations

from commands.documents.model import (
    BarChart,
    Block,
    Bullets,
    Chart,
    Document,
    Figure,
    Paragraph,
    ProgressChart,
    Table,
    TimelineChart,
    cell_text,
)
from domain.reply import Block as ReplyBlock
from domain.reply import Heading, Items, Note, Reply, b, spans
from domain.reply import Paragraph as ReplyParagraph
from domain.reply import Table as ReplyTable

__all__ = ["document_reply", "figure_reply"]


def _figure(figure: Figure, title: str) -> ReplyBlock:
    chart = figure.chart
    if isinstance(chart, BarChart):
        return ReplyTable(
            ("", chart.value_label or "Count"), tuple((bar.label, str(bar.value)) for bar in chart.bars), title=title
        )
    if isinstance(chart, TimelineChart):
        rows = tuple(
            (p.day.strftime("%d %b %Y"), p.label, "" if p.working_days is None else f"{p.working_days} WD")
            for p in chart.points
        )
        return ReplyTable(("Date", "Milestone", "From today"), rows, title=title)
    assert isinstance(chart, ProgressChart)
    return Items(
        tuple(spans(b(r.label), " · ", " → ".join(dict.fromkeys(p for p in r.phases if p))) for r in chart.rows),
        title=title,
    )


def _block(block: Block, title: str = "") -> ReplyBlock:
    if isinstance(block, Paragraph):
        return Note(spans(block.text)) if block.style == "note" else ReplyParagraph(spans(block.text))
    if isinstance(block, Bullets):
        return Items(tuple(spans(item) for item in block.items), title=title)
    if isinstance(block, Table):
        rows = tuple(tuple(cell_text(c, " • ") for c in row) for row in block.rows)
        return ReplyTable(block.columns, rows, title=title)
    return _figure(block, title or block.caption)


def document_reply(document: Document, command: str = "") -> Reply:
    blocks: list[ReplyBlock] = [Heading(document.title), Note(spans(document.subtitle))]
    for section in document.sections:
        first = section.blocks[0] if section.blocks else None
        titled = section.level == 2 and isinstance(first, (Bullets, Table, Figure))
        if not titled:
            blocks.append(ReplyParagraph(spans(b(section.title))))
        for n, block in enumerate(section.blocks):
            blocks.append(_block(block, section.title if titled and n == 0 else ""))
    return Reply(document.title, tuple(blocks), command=command)


def figure_reply(chart: Chart, title: str, command: str = "") -> Reply:
    """A picture's data as a chat reply (`/release timeline` without `png`)."""
    return Reply(title, (Heading(title), _figure(Figure(chart, title), "")), command=command)
