"""A `Document` as a Word file (python-docx): the secretariat edits its papers in Word.

Real tables (header row repeated across pages), Heading 1/2 styles so Word's navigation pane
and table of contents work, and a TOC field that Word fills in when the file is opened.
python-docx is imported inside `render_docx`, so importing this module costs nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING, Any

from commands.documents.charts import render_png
from commands.documents.model import Block, Bullets, Cell, Chart, Document, Figure, Paragraph, Table

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell

__all__ = ["render_docx"]

_HEADER_FILL = "D9E2F3"


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A Word field (TOC, PAGE): begin, instruction, separate, shown text, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    run._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _update_fields_on_open(doc: DocxDocument) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def _shade(cell: _Cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _fill(cell: _Cell, value: Cell, bold: bool = False) -> None:
    lines = (value,) if isinstance(value, str) else value
    first = cell.paragraphs[0]
    for n, line in enumerate(lines):
        paragraph = first if n == 0 else cell.add_paragraph()
        if not isinstance(value, str):
            paragraph.style = "List Bullet"
        run = paragraph.add_run(line)
        run.bold = bold


def _table(doc: DocxDocument, block: Table) -> None:
    from docx.shared import Inches

    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, block.columns, strict=False):
        _fill(cell, title, bold=True)
        _shade(cell, _HEADER_FILL)
    _repeat_header(table.rows[0])
    for row in block.rows:
        for cell, value in zip(table.add_row().cells, row, strict=False):
            _fill(cell, value)
    if block.widths and len(block.widths) == len(block.columns):
        total = sum(block.widths)
        for n, width in enumerate(block.widths):
            for cell in table.columns[n].cells:
                cell.width = Inches(6.3 * width / total)
    doc.add_paragraph()


def _block(doc: DocxDocument, block: Block, png: Callable[[Chart], bytes]) -> None:
    from docx.shared import Inches

    if isinstance(block, Paragraph):
        paragraph = doc.add_paragraph(block.text)
        if block.style == "note":
            for run in paragraph.runs:
                run.italic = True
    elif isinstance(block, Bullets):
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Figure):
        doc.add_picture(io.BytesIO(png(block.chart)), width=Inches(6.3))
        doc.add_paragraph(block.caption, style="Caption")


def render_docx(document: Document, png: Callable[[Chart], bytes] = render_png) -> bytes:
    """The document as .docx bytes (Title, facts, TOC field, Heading 1/2 sections, tables, pictures).

    `png` draws a chart; pass pictures already drawn elsewhere (e.g. in a process) to keep this thread light.
    """
    from datetime import datetime

    import docx
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    props = doc.core_properties
    props.title, props.author, props.subject = document.title, document.author, document.subtitle
    if document.issued is not None:
        stamp = datetime(document.issued.year, document.issued.month, document.issued.day, tzinfo=UTC)
        props.created = props.modified = stamp
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(document.subtitle, style="Subtitle")
    for key, value in document.facts:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(value)
    if document.toc:
        contents = doc.add_paragraph().add_run("Contents")
        contents.bold, contents.font.size = True, Pt(14)
        _field(
            doc.add_paragraph(),
            'TOC \\o "1-2" \\h \\z \\u',
            "Right-click and choose Update Field to fill in the contents.",
        )
        _update_fields_on_open(doc)
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{document.footer or document.title} · page ")
    _field(footer, "PAGE", "1")
    for part in document.sections:
        doc.add_heading(part.title, level=part.level)
        for block in part.blocks:
            _block(doc, block, png)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
