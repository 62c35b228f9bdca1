"""The document model: what a document says, as frozen data, before any file format.

Builders (rid.py, status_report.py, panel_update.py) turn a `Snapshot` into a `Document`;
renderers (docx.py, pdf.py, markdown.py, chat.py) turn a `Document` into bytes or a chat reply.
Keeping the two apart means every format says the same thing, tests can read the model
without opening a file, and nothing here imports python-docx, typst or matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "Bar",
    "BarChart",
    "Block",
    "Bullets",
    "Cell",
    "Chart",
    "Document",
    "Figure",
    "Paragraph",
    "ProgressChart",
    "ProgressRow",
    "Section",
    "Table",
    "TimelineChart",
    "TimelinePoint",
    "block_texts",
    "cell_text",
]

Cell = str | tuple[str, ...]
"""A table cell: one line of text, or several lines shown as a bullet list inside the cell."""


def cell_text(cell: Cell, joiner: str = "\n") -> str:
    """A cell as plain text (bullet lines joined), for diffs, Markdown and chat."""
    return cell if isinstance(cell, str) else joiner.join(cell)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: Literal["body", "note"] = "body"


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A real table: a header row and body rows; `widths` are relative column widths (optional)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()


# -- pictures: described as data, drawn by charts.py -------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    value_label: str = ""


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One milestone on a time axis; `lane` groups points (a release, or "modifications")."""

    day: date
    label: str
    lane: str
    working_days: int | None  # Working Days from today; None once it has passed
    derived: bool = False
    key: bool = False  # go-live, go/no-go: drawn larger


@dataclass(frozen=True, slots=True)
class TimelineChart:
    title: str
    today: date
    points: tuple[TimelinePoint, ...]


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One modification across the months: its phase in each month (None: not known)."""

    label: str
    phases: tuple[str | None, ...]
    events: tuple[tuple[date, str], ...] = ()  # dated milestones drawn as markers


@dataclass(frozen=True, slots=True)
class ProgressChart:
    title: str
    months: tuple[date, ...]  # the first of each month shown
    rows: tuple[ProgressRow, ...]
    phases: tuple[str, ...]  # legend order
    today: date | None = None


Chart = BarChart | TimelineChart | ProgressChart


@dataclass(frozen=True, slots=True)
class Figure:
    chart: Chart
    caption: str


Block = Paragraph | Bullets | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (level 1 or 2) and what follows it up to the next heading."""

    title: str
    blocks: tuple[Block, ...] = ()
    level: Literal[1, 2] = 1


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: title, a few facts about it, sections in order."""

    kind: str  # rid | status-report | panel-update
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    facts: tuple[tuple[str, str], ...] = ()
    toc: bool = True
    author: str = "SECAS"
    issued: date | None = None
    footer: str = field(default="")

    def section(self, title: str) -> Section:
        """The section with this title (KeyError if there is none): for tests and diffs."""
        for section in self.sections:
            if section.title == title:
                return section
        raise KeyError(title)

    def headings(self) -> list[tuple[int, str]]:
        return [(s.level, s.title) for s in self.sections]

    def texts(self) -> Iterator[str]:
        """Every piece of text in reading order (titles, paragraphs, bullets, cells)."""
        yield self.title
        yield self.subtitle
        for key, value in self.facts:
            yield f"{key} {value}"
        for section in self.sections:
            yield section.title
            for block in section.blocks:
                yield from block_texts(block)

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


def block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph):
        yield block.text
    elif isinstance(block, Bullets):
        yield from block.items
    elif isinstance(block, Table):
        yield from block.columns
        for row in block.rows:
            for cell in row:
                yield cell_text(cell)
    else:
        yield block.caption
