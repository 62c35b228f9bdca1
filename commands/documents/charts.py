"""Charts described in model.py drawn as PNG with matplotlib's Agg backend.

Drawn on a `matplotlib.figure.Figure` with its own Agg canvas, never through pyplot, so no
global state is touched and several worker threads can draw at once. matplotlib is imported
inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from commands.documents.model import BarChart, Chart, ProgressChart, TimelineChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

__all__ = ["PHASE_COLOURS", "render_png"]

PHASE_COLOURS = {
    "Development": "#9ecae1",
    "Refinement": "#4292c6",
    "Report": "#fdae6b",
    "Change Board": "#e6550d",
    "Authority decision": "#a63603",
    "Pending implementation": "#74c476",
    "Approved": "#74c476",
    "Implemented": "#238b45",
    "Withdrawn": "#bdbdbd",
    "Rejected": "#969696",
}
_LANE_COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b")


def _figure(width: float, height: float) -> MplFigure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: MplFigure, dpi: int) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _bars(chart: BarChart, dpi: int) -> bytes:
    fig = _figure(7.0, 0.45 * max(3, len(chart.bars)) + 1.0)
    ax = fig.add_subplot()
    labels = [b.label for b in chart.bars][::-1]
    values = [b.value for b in chart.bars][::-1]
    colours = [PHASE_COLOURS.get(label, "#4292c6") for label in labels]
    ax.barh(labels, values, color=colours)
    for y, value in enumerate(values):
        ax.text(value + max([*values, 1]) * 0.01, y, str(value), va="center", fontsize=9)
    ax.set_title(chart.title, fontsize=11, loc="left")
    ax.set_xlabel(chart.value_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max([*values, 1]) * 1.12)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _png(fig, dpi)


def _num(day: date) -> float:
    """matplotlib's date number: days since its default epoch, 1 Jan 1970 (typed, unlike `date2num`)."""
    return float((day - date(1970, 1, 1)).days)


def _timeline(chart: TimelineChart, dpi: int) -> bytes:
    """One row per milestone (so labels never collide), on a shared date axis, today as a red line."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.lines import Line2D

    lanes = list(dict.fromkeys(p.lane for p in chart.points))
    points = sorted(chart.points, key=lambda p: (lanes.index(p.lane), p.day))
    fig = _figure(10.0, 1.2 + 0.3 * max(3, len(points)))
    ax = fig.add_subplot()
    days = [p.day for p in points] + [chart.today]
    lo, hi = _num(min(days)) - 12, _num(max(days)) + 12
    split = lo + (hi - lo) * 0.55
    for n, p in enumerate(points):
        y = len(points) - 1 - n
        x = _num(p.day)
        past = p.working_days is None
        colour = "#a0aec0" if past else _LANE_COLOURS[lanes.index(p.lane) % len(_LANE_COLOURS)]
        ax.axhline(y, color="#edf2f7", lw=0.8, zorder=0)
        marker = "D" if p.key else ("s" if p.derived else "o")
        ax.scatter([x], [y], s=70 if p.key else 34, marker=marker, color=colour, zorder=3, edgecolors="white")
        countdown = "" if past else (" · today" if p.working_days == 0 else f" · in {p.working_days} WD")
        text = f"{p.label} · {p.day.day} {p.day:%b %Y}{countdown}"
        right = x <= split
        ax.text(x + (4 if right else -4), y, text, ha="left" if right else "right", va="center", fontsize=7.5,
                color="#718096" if past else "#1a202c", fontweight="bold" if p.key and not past else "normal")  # fmt: skip
    ax.axvline(_num(chart.today), color="#e53e3e", ls="--", lw=1.2, zorder=2)
    ax.text(
        _num(chart.today),
        len(points) - 0.3,
        f" today {chart.today.day} {chart.today:%b %Y}",
        color="#e53e3e",
        fontsize=8,
    )
    ax.set_ylim(-0.8, len(points) + 0.2)
    ax.set_xlim(lo, hi)
    ax.set_yticks([])
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.spines[["top", "right", "left"]].set_visible(False)
    handles = [
        Line2D([], [], marker="o", ls="", color=_LANE_COLOURS[n % len(_LANE_COLOURS)], label=lane)
        for n, lane in enumerate(lanes)
    ]
    handles += [
        Line2D([], [], marker="D", ls="", color="#4a5568", label="go-live, go/no-go"),
        Line2D([], [], marker="s", ls="", color="#4a5568", label="derived by rule"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=7.5, frameon=False)
    ax.set_title(chart.title, fontsize=11, loc="left")
    return _png(fig, dpi)


def _progress(chart: ProgressChart, dpi: int) -> bytes:
    """Phases as one image (a cell per modification and month), milestones as one scatter: few artists, quick to draw."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    rows = chart.rows
    fig = _figure(8.0, 1.4 + 0.32 * max(4, len(rows)))
    ax = fig.add_subplot()
    blank = (1.0, 1.0, 1.0, 0.0)
    cells = [[to_rgba(PHASE_COLOURS.get(p, "#cbd5e0")) if p is not None else blank for p in row.phases] for row in rows]
    if rows:
        ax.imshow(cells, aspect="auto", interpolation="nearest", extent=(0, len(chart.months), len(rows), 0))
    xs, ys = [], []
    for y, row in enumerate(rows):
        for when, _label in row.events:
            column = _month_index(chart.months, when)
            if column is not None:
                xs.append(column + (when.day - 0.5) / 31)
                ys.append(y + 0.5)
    if xs:
        ax.scatter(xs, ys, marker="v", s=22, color="#1a202c", zorder=3)
    if chart.today is not None and (now := _month_index(chart.months, chart.today)) is not None:
        ax.axvline(now + (chart.today.day - 0.5) / 31, color="#e53e3e", ls="--", lw=1)
    ax.set_xlim(0, len(chart.months))
    ax.set_ylim(max(1, len(rows)), 0)
    ax.set_xticks(
        [x + 0.5 for x in range(len(chart.months))],
        [m.strftime("%b\n%Y") if m.month == 1 or x == 0 else m.strftime("%b") for x, m in enumerate(chart.months)],
        fontsize=8,
    )
    ax.set_yticks([y + 0.5 for y in range(len(rows))], [r.label for r in rows], fontsize=8)
    ax.set_yticks(range(len(rows) + 1), minor=True)
    ax.grid(which="minor", axis="y", color="white", lw=1.5)
    ax.tick_params(length=0, which="both")
    ax.spines[["top", "right", "left", "bottom"]].set_visible(False)
    handles = [Patch(color=PHASE_COLOURS.get(p, "#cbd5e0"), label=p) for p in chart.phases]
    handles.append(Patch(color="#1a202c", label="▼ dated milestone"))
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    ax.set_title(chart.title, fontsize=11, loc="left")
    return _png(fig, dpi)


def _month_index(months: tuple[date, ...], when: date) -> int | None:
    first = date(when.year, when.month, 1)
    return months.index(first) if first in months else None


def render_png(chart: Chart, dpi: int = 150) -> bytes:
    """The chart as PNG bytes (call it from a worker thread: drawing takes tens of milliseconds)."""
    if isinstance(chart, BarChart):
        return _bars(chart, dpi)
    if isinstance(chart, TimelineChart):
        return _timeline(chart, dpi)
    return _progress(chart, dpi)
