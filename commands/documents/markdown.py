"""A `Document` as Markdown (GitHub tables): for a wiki, an e-mail or a pull request."""

from __future__ import annotations

from commands.documents.model import (
    Bar,
    BarChart,
    Block,
    Bullets,
    Cell,
    Document,
    Figure,
    Paragraph,
    ProgressChart,
    Table,
    TimelineChart,
)

__all__ = ["render_markdown"]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return _escape(cell)
    return "<br>".join(f"• {_escape(line)}" for line in cell)


def _table(columns: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...]) -> list[str]:
    lines = ["| " + " | ".join(_escape(c) for c in columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _figure(figure: Figure) -> list[str]:
    """A picture cannot live in a Markdown file, so its data goes in as a table under the caption."""
    chart = figure.chart
    lines = [f"*{_escape(figure.caption)}*", ""]
    if isinstance(chart, BarChart):
        bars: tuple[Bar, ...] = chart.bars
        lines += _table(("", chart.value_label or "Count"), tuple((b.label, str(b.value)) for b in bars))
    elif isinstance(chart, TimelineChart):
        rows = tuple(
            (p.day.isoformat(), p.lane, p.label, "" if p.working_days is None else f"{p.working_days} WD")
            for p in chart.points
        )
        lines += _table(("Date", "Release", "Milestone", "From today"), rows)
    elif isinstance(chart, ProgressChart):
        months = tuple(m.strftime("%b %Y") for m in chart.months)
        lines += _table(("Modification", *months), tuple((r.label, *(p or "" for p in r.phases)) for r in chart.rows))
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [f"*{_escape(block.text)}*" if block.style == "note" else _escape(block.text)]
    if isinstance(block, Bullets):
        return [f"- {_escape(item)}" for item in block.items]
    if isinstance(block, Table):
        return _table(block.columns, block.rows)
    return _figure(block)


def render_markdown(document: Document) -> str:
    lines = [f"# {_escape(document.title)}", "", f"**{_escape(document.subtitle)}**", ""]
    if document.toc:
        lines += ["## Contents", ""]
        lines += [("  " if s.level == 2 else "") + f"- {_escape(s.title)}" for s in document.sections]
        lines.append("")
    for section in document.sections:
        lines += ["#" * (section.level + 1) + " " + _escape(section.title), ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"
