"""A `Document` as PDF, typeset by Typst (the `typst` package ships its compiler in the wheel).

Why Typst: nothing is downloaded or needed from the system at run time (no pango, no browser),
its embedded fonts are used so the output is the same on every machine, it gives a real
outline (the contents page and PDF bookmarks) and tables whose header repeats on each page, and
it releases the GIL while it compiles, so a worker thread does not stall the event loop. The
model goes to the template as JSON data, so user text can never be read as markup.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from commands.documents.charts import render_png
from commands.documents.model import Block, Bullets, Chart, Document, Figure, Paragraph, Table

__all__ = ["PdfError", "render_pdf"]


class PdfError(RuntimeError):
    """Typst refused the document (a bug in the template, not in the user's input)."""


def _block(block: Block, folder: Path, n: int, png: Callable[[Chart], bytes]) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "style": block.style}
    if isinstance(block, Bullets):
        return {"type": "bullets", "items": list(block.items)}
    if isinstance(block, Table):
        rows = [[c if isinstance(c, str) else list(c) for c in row] for row in block.rows]
        return {"type": "table", "columns": list(block.columns), "rows": rows, "widths": list(block.widths)}
    assert isinstance(block, Figure)
    name = f"figure-{n}.png"
    (folder / name).write_bytes(png(block.chart))
    return {"type": "figure", "image": name, "caption": block.caption}


def _data(document: Document, folder: Path, png: Callable[[Chart], bytes]) -> dict[str, Any]:
    counter = 0
    sections = []
    for section in document.sections:
        blocks = []
        for block in section.blocks:
            counter += 1
            blocks.append(_block(block, folder, counter, png))
        sections.append({"title": section.title, "level": section.level, "blocks": blocks})
    return {
        "title": document.title, "subtitle": document.subtitle, "author": document.author, "toc": document.toc,
        "facts": [list(f) for f in document.facts], "footer": document.footer or document.title, "sections": sections,
    }  # fmt: skip


_UNDATED = date(1990, 1, 1)  # a document that names no day of its own: a fixed stamp, so the bytes repeat


def render_pdf(document: Document, png: Callable[[Chart], bytes] = render_png) -> bytes:
    """The document as PDF bytes (A4, contents page, bookmarks, page x of y); `png` draws its charts."""
    import typst

    template = resources.files("commands.documents").joinpath("templates/document.typ").read_bytes()
    stamp = document.issued or _UNDATED
    with tempfile.TemporaryDirectory(prefix="releasebot-pdf-") as tmp:
        folder = Path(tmp)
        (folder / "document.typ").write_bytes(template)
        (folder / "data.json").write_text(
            json.dumps(_data(document, folder, png), ensure_ascii=False), encoding="utf-8"
        )
        try:
            return typst.compile(
                str(folder / "document.typ"), root=str(folder), ignore_system_fonts=True,
                timestamp=datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC),
            )  # fmt: skip
        except typst.TypstError as exc:
            raise PdfError(f"Typst could not typeset {document.title!r}: {exc.message}") from None
