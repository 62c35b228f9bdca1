"""Files asked for in chat: the request a reply carries (`domain.files.FileRequest`), and the
document or picture model it stands for.

`/release june-2021 rid docx` answers at once with a short reply holding the request; the
adapter builds the bytes off the event loop (`file_model` in a worker thread, then
`commands.documents.build.render_async`) and uploads or links them.
"""

from __future__ import annotations

import re
from datetime import date

from commands.documents.build import find_release
from commands.documents.errors import DocumentError
from commands.documents.model import Chart, Document
from commands.documents.panel_update import panel_update_document
from commands.documents.phases import month_window
from commands.documents.rid import build_rid_model
from commands.documents.rid_diff import diff_document, diff_rid
from commands.documents.rid_layout import rid_document
from commands.documents.status_report import progress_chart, status_report_document
from commands.documents.timeline import all_releases_timeline, release_timeline
from domain.files import FileFormat, FileKind, FileRequest
from domain.reply import Note, Paragraph, Reply, b, code, spans
from domain.snapshot import Snapshot
from domain.views import ReleaseView

__all__ = [
    "DOCUMENT_WORDS",
    "FORMAT_LABELS",
    "PICTURE_WORDS",
    "file_model",
    "file_reply",
    "progress_request",
    "report_request",
    "rid_request",
    "timeline_request",
]

# The words that ask for a file, read at the end of a command (`rid docx`, `timeline png`).
DOCUMENT_WORDS: dict[str, FileFormat] = {"docx": "docx", "word": "docx", "pdf": "pdf", "md": "md", "markdown": "md"}
PICTURE_WORDS: dict[str, FileFormat] = {"png": "png", "picture": "png", "image": "png"}
FORMAT_LABELS: dict[FileFormat, str] = {"docx": "Word", "pdf": "PDF", "md": "Markdown", "png": "PNG picture"}


def _request(kind: FileKind, fmt: FileFormat, title: str, stem: str, **fields: object) -> FileRequest:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)[:120]  # a file name any system (and a header) takes
    return FileRequest(kind, fmt, title, f"{safe}.{fmt}", **fields)  # type: ignore[arg-type]


def rid_request(
    rel: ReleaseView,
    fmt: FileFormat,
    version: str | None = None,
    as_of: date | None = None,
    versions: tuple[str, str] | None = None,
) -> FileRequest:
    if versions is not None:
        old, new = versions
        return _request(
            "rid_diff",
            fmt,
            f"{rel.name}: RID changes {old} → {new}",
            f"rid-{rel.slug}-diff-{old}-{new}",
            slug=rel.slug,
            versions=versions,
        )
    if version is not None:
        return _request(
            "rid", fmt, f"{rel.name}: RID v{version}", f"rid-{rel.slug}-v{version}", slug=rel.slug, version=version
        )
    if as_of is not None:
        return _request(
            "rid", fmt, f"{rel.name}: RID as of {as_of:%d %b %Y}", f"rid-{rel.slug}-{as_of}", slug=rel.slug, day=as_of
        )
    return _request("rid", fmt, f"{rel.name}: RID", f"rid-{rel.slug}", slug=rel.slug)


def report_request(kind: str, day: date, fmt: FileFormat) -> FileRequest:
    if kind == "panel":
        return _request("panel", fmt, f"SEC Releases Update since {day:%d %b %Y}", f"panel-update-since-{day}", day=day)
    return _request("status", fmt, f"Modification Status Report {day:%B %Y}", f"status-report-{day:%Y-%m}", day=day)


def timeline_request(rel: ReleaseView | None, today: date) -> FileRequest:
    if rel is None:
        return _request("timeline", "png", "SEC Releases timeline", f"timeline-all-{today}")
    return _request("timeline", "png", f"{rel.name} timeline", f"timeline-{rel.slug}-{today}", slug=rel.slug)


def progress_request(month: date) -> FileRequest:
    return _request("progress", "png", f"Modification progress to {month:%B %Y}", f"progress-{month:%Y-%m}", day=month)


def file_model(snapshot: Snapshot, request: FileRequest, today: date) -> Document | Chart:
    """The document or picture the request stands for, built from `snapshot` (DocumentError if it cannot be)."""
    kind, day = request.kind, request.day
    rel = find_release(snapshot, request.slug) if request.slug else None
    if kind == "rid" and rel is not None:
        return rid_document(build_rid_model(snapshot, rel, today, version=request.version, as_of=day))
    if kind == "rid_diff" and rel is not None and request.versions is not None:
        old, new = (build_rid_model(snapshot, rel, today, version=v) for v in request.versions)
        return diff_document(diff_rid(old, new))
    if kind == "status" and day is not None:
        return status_report_document(snapshot, day, today)
    if kind == "panel" and day is not None:
        return panel_update_document(snapshot, day, today)
    if kind == "timeline":
        return release_timeline(snapshot, rel, today) if rel is not None else all_releases_timeline(snapshot, today)
    if kind == "progress" and day is not None:
        return progress_chart(snapshot, month_window(snapshot, day, today)[1])
    raise DocumentError(f"I cannot build {request.title}.")


def file_reply(request: FileRequest, command: str) -> Reply:
    """The answer to a file request: what is coming (the adapter uploads or links it)."""
    return Reply(
        request.title,
        (
            Paragraph(
                spans("Building ", b(request.title), f" as {FORMAT_LABELS[request.fmt]} ", code(request.filename), "…")
            ),
            Note(
                spans(
                    "In Slack the file is uploaded to this conversation; in Teams you get a download link; "
                    "from a terminal, ",
                    code("releasebot rid"),
                    " and ",
                    code("releasebot report"),
                    " write it.",
                )
            ),
        ),
        command=command,
        file=request,
    )
