"""A reply is data: blocks of spans that the renderers turn into text, Block Kit or a card.

Handlers build `Reply` values with the helpers here and never write markup themselves, so user
text is escaped once, by the renderer for its target, and a `*` in a title is just a `*`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from domain.files import FileRequest

__all__ = [
    "Actions",
    "Block",
    "Button",
    "Divider",
    "Facts",
    "Heading",
    "Items",
    "Note",
    "Paragraph",
    "Reply",
    "Span",
    "Spans",
    "Table",
    "b",
    "code",
    "i",
    "link",
    "spans",
    "t",
]

Style = Literal["", "b", "i", "code", "link"]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    style: Style = ""
    url: str = ""


Spans = tuple[Span, ...]


def t(text: object) -> Span:
    return Span(str(text))


def b(text: object) -> Span:
    return Span(str(text), "b")


def i(text: object) -> Span:
    return Span(str(text), "i")


def code(text: object) -> Span:
    return Span(str(text), "code")


def link(label: object, url: str) -> Span:
    return Span(str(label), "link", url) if url else Span(str(label))


def spans(*parts: Span | str | None) -> Spans:
    """Join parts into a line; plain strings become plain spans, None is skipped."""
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts if p is not None and p != "")


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    line: Spans


@dataclass(frozen=True, slots=True)
class Items:
    """A list of lines (one per item); renderers split long lists across sections and pages."""

    lines: tuple[Spans, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Facts:
    pairs: tuple[tuple[str, Spans], ...]


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    line: Spans


@dataclass(frozen=True, slots=True)
class Divider:
    pass


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str  # what the platform adapter does: "command", "share", "page", or an adapter's own
    value: str = ""  # for "command"/"page": the command text to run
    style: Literal["", "primary", "danger"] = ""


@dataclass(frozen=True, slots=True)
class Actions:
    buttons: tuple[Button, ...]


Block = Heading | Paragraph | Items | Facts | Table | Note | Divider | Actions


@dataclass(frozen=True)
class Reply:
    """What the bot says: a title, blocks, and whether it is an error or changed state."""

    title: str
    blocks: tuple[Block, ...] = ()
    command: str = ""
    kind: Literal["answer", "error", "help", "changed"] = "answer"
    public: bool = False
    page: int = 1
    fallback: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    file: FileRequest | None = None  # a document or picture to hand over (uploaded or linked by the adapter)

    @property
    def is_error(self) -> bool:
        return self.kind == "error"

    def with_blocks(self, extra: Iterable[Block]) -> Reply:
        return Reply(
            self.title,
            self.blocks + tuple(extra),
            self.command,
            self.kind,
            self.public,
            self.page,
            self.fallback,
            self.meta,
            self.file,
        )
