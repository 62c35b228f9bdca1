"""Read generated documents back the way a person's tools would: Word through python-docx, PDF text
through pypdf, PDF pages through pypdfium2. Shared by the document tests."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader


@dataclass
class WordSection:
    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)


@dataclass
class WordFile:
    title: str
    sections: list[WordSection]
    has_toc_field: bool
    pictures: int

    def headings(self) -> list[tuple[int, str]]:
        return [(s.level, s.heading) for s in self.sections]

    def section(self, heading: str) -> WordSection:
        found = [s for s in self.sections if s.heading == heading]
        assert len(found) == 1, f"{heading!r}: {len(found)} sections with that heading"
        return found[0]

    def table(self, heading: str) -> list[list[str]]:
        """The one table under a heading, header row first, each cell's text (bullet lines joined by newlines)."""
        tables = self.section(heading).tables
        assert len(tables) == 1, f"{heading!r} has {len(tables)} tables"
        return tables[0]

    def text(self) -> str:
        parts = [self.title]
        for s in self.sections:
            parts += [s.heading, *s.paragraphs, *s.bullets, *("\t".join(row) for t in s.tables for row in t)]
        return "\n".join(parts)


def read_docx(data: bytes) -> WordFile:
    document = docx.Document(io.BytesIO(data))
    title = ""
    sections: list[WordSection] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            style = item.style.name if item.style is not None else ""
            if style == "Title":
                title = item.text
            elif style.startswith("Heading "):
                sections.append(WordSection(item.text, int(style.split()[-1])))
            elif sections and style == "List Bullet":
                sections[-1].bullets.append(item.text)
            elif sections and item.text.strip():
                sections[-1].paragraphs.append(item.text)
        elif isinstance(item, DocxTable) and sections:
            sections[-1].tables.append(
                [["\n".join(p.text for p in cell.paragraphs) for cell in row.cells] for row in item.rows]
            )
    xml = document.element.xml
    return WordFile(title, sections, "TOC \\o" in xml, len(document.inline_shapes))


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_outline(data: bytes) -> list[str]:
    """The PDF's bookmarks (from its headings), flattened in order."""
    reader = PdfReader(io.BytesIO(data))
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))  # type: ignore[attr-defined]

    walk(reader.outline)
    return titles


def pdf_page_images(data: bytes, scale: float = 1.0) -> list[object]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    return [pdf[i].render(scale=scale).to_pil() for i in range(len(pdf))]
