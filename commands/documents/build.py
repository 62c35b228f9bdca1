"""Plain functions from (snapshot, arguments, today) to a document's bytes, and a cached async door.

Each `build_*` is synchronous and pure of I/O apart from the renderer's own work, so a caller
on the event loop runs it in a worker thread: `await build_async(cache, "rid", args, snapshot,
lambda: build_rid(...))`, which also reuses the bytes for the same state version.
"""

from __future__ import annotations

import asyncio
import difflib
import multiprocessing
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from typing import Literal

from commands.documents.cache import DocumentCache
from commands.documents.charts import render_png
from commands.documents.errors import DocumentError
from commands.documents.model import Chart, Document
from commands.documents.panel_update import panel_update_document
from commands.documents.rid import build_rid_model
from commands.documents.rid_diff import diff_document, diff_rid
from commands.documents.rid_layout import rid_document
from commands.documents.status_report import progress_chart, status_report_document
from commands.documents.timeline import all_releases_timeline, release_timeline
from domain.snapshot import Snapshot
from domain.views import ReleaseView
from domain.words import read_slug, tokenize

__all__ = [
    "FORMATS",
    "Format",
    "build_async",
    "build_panel_update",
    "build_progress_png",
    "build_rid",
    "build_rid_diff",
    "build_status_report",
    "build_timeline_png",
    "chart_pool",
    "find_release",
    "render",
    "render_async",
]

Format = Literal["docx", "pdf", "md"]
FORMATS: tuple[Format, ...] = ("docx", "pdf", "md")


def render(document: Document, fmt: Format, png: Callable[[Chart], bytes] = render_png) -> bytes:
    """The document in one format (renderers import their library only when called); `png` draws its charts."""
    if fmt == "docx":
        from commands.documents.docx import render_docx

        return render_docx(document, png)
    if fmt == "pdf":
        from commands.documents.pdf import render_pdf

        return render_pdf(document, png)
    from commands.documents.markdown import render_markdown

    return render_markdown(document).encode("utf-8")


def find_release(snapshot: Snapshot, text: str) -> ReleaseView:
    """The release a user means by `june-2021`, `jun-2021`, `2021-06`, `June 2021` (DocumentError if none)."""
    found = read_slug(tokenize(text), 0)
    rel = snapshot.release(found[0]) if found else snapshot.release(text)
    if rel is None:
        close = difflib.get_close_matches(found[0] if found else text, list(snapshot.release_by_slug), n=1)
        hint = f" Did you mean `{close[0]}`?" if close else ""
        raise DocumentError(f"There is no release `{text}`.{hint}")
    return rel


def build_rid(
    snapshot: Snapshot, slug: str, fmt: Format, today: date, version: str | None = None, as_of: date | None = None
) -> bytes:
    rel = find_release(snapshot, slug)
    return render(rid_document(build_rid_model(snapshot, rel, today, version=version, as_of=as_of)), fmt)


def build_rid_diff(snapshot: Snapshot, slug: str, old: str, new: str, fmt: Format, today: date) -> bytes:
    rel = find_release(snapshot, slug)
    a, b = (build_rid_model(snapshot, rel, today, version=v) for v in (old, new))
    return render(diff_document(diff_rid(a, b)), fmt)


def build_status_report(snapshot: Snapshot, month: date, fmt: Format, today: date) -> bytes:
    return render(status_report_document(snapshot, month, today), fmt)


def build_panel_update(snapshot: Snapshot, since: date, fmt: Format, today: date) -> bytes:
    return render(panel_update_document(snapshot, since, today), fmt)


def build_timeline_png(snapshot: Snapshot, slug: str | None, today: date) -> bytes:
    """One release's milestones (`slug`), or the key dates of every upcoming release (None)."""
    chart = (
        release_timeline(snapshot, find_release(snapshot, slug), today)
        if slug
        else all_releases_timeline(snapshot, today)
    )
    return render_png(chart)


def build_progress_png(snapshot: Snapshot, month: date, today: date) -> bytes:
    from commands.documents.phases import month_window

    return render_png(progress_chart(snapshot, month_window(snapshot, month, today)[1]))


def chart_pool() -> ProcessPoolExecutor:
    """A one-process pool for drawing charts: matplotlib's Agg drawing holds the GIL for tens of
    milliseconds at a time, so in a thread it would stall the event loop; a process never does.
    Charts go in as small frozen data and come back as PNG bytes. Started with `spawn`, so it is
    safe beside the event loop's threads; the caller shuts it down."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


async def render_async(made: Document | Chart, fmt: Format | Literal["png"], pool: Executor | None = None) -> bytes:
    """A document or picture rendered off the event loop: charts in `pool` (a process, when given), the rest in a thread."""
    loop = asyncio.get_running_loop()
    if not isinstance(made, Document):
        return await loop.run_in_executor(pool, render_png, made)
    if fmt == "png":
        raise DocumentError("A document is not a picture: ask for docx, pdf or md.")
    charts = list(dict.fromkeys(f.chart for f in made.figures())) if fmt != "md" else []
    drawn = await asyncio.gather(*(loop.run_in_executor(pool, render_png, c) for c in charts))
    pictures = dict(zip(charts, drawn, strict=False))
    return await asyncio.to_thread(render, made, fmt, pictures.__getitem__)


async def build_async(
    cache: DocumentCache,
    kind: str,
    args: tuple[Hashable, ...],
    snapshot: Snapshot,
    make: Callable[[], Document | Chart],
    fmt: Format | Literal["png"],
    pool: Executor | None = None,
) -> bytes:
    """The bytes for (kind, args, fmt) at the snapshot's state version: from the cache, or built off the loop.

    `make` builds the model from the snapshot (run in a thread); see `render_async` for the rest.
    """
    found = cache.get(kind, (*args, fmt), snapshot.version)
    if found is not None:
        return found
    made = await asyncio.to_thread(make)
    data = await render_async(made, fmt, pool)
    cache.put(kind, (*args, fmt), snapshot.version, data)
    return data
