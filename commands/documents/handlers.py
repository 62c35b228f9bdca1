"""Chat commands for documents: `/release <slug> rid [version V | as of D | diff A B] [docx|pdf|md]`,
`/release report ...`, `/release [<slug>] timeline [png]`.

They answer from the same document model as the files, so the chat RID and the Word RID agree.
With a format word they answer with a `FileRequest` instead (checked here, so a wrong version is
told at once), which the adapter builds off the event loop and uploads or links.
The words are read by commands/documents/arguments.py for the parser.
"""

from __future__ import annotations

from commands.context import Context
from commands.documents.build import find_release
from commands.documents.chat import document_reply, figure_reply
from commands.documents.errors import DocumentError
from commands.documents.files import (
    file_model,
    file_reply,
    progress_request,
    report_request,
    rid_request,
    timeline_request,
)
from commands.documents.model import Document
from commands.documents.panel_update import panel_update_document
from commands.documents.rid import build_rid_model
from commands.documents.rid_diff import diff_document, diff_rid
from commands.documents.rid_layout import rid_document
from commands.documents.status_report import status_report_document
from commands.language import PictureRequest, ReportRequest, RidRequest
from commands.suggest import error_reply, release_or_error
from domain.reply import Reply
from domain.views import ReleaseView

__all__ = ["picture", "report", "rid", "rid_diff"]


def _unknown_versions(rel: ReleaseView, ctx: Context, *versions: str | None) -> str | None:
    """Why the RID cannot be built at these versions (None when every one was issued)."""
    known = [v.version for v in ctx.snapshot.rid_versions.get(rel.id, [])]
    for version in versions:
        if version is not None and version not in known:
            return f"{rel.name} has no RID version {version} (versions: {', '.join(known) or 'none recorded'})."
    return None


def rid(cmd: RidRequest, ctx: Context) -> Reply:
    """The RID rebuilt from the store: now, at a version (`cmd.option`) or on a date (`cmd.day`)."""
    rel = release_or_error(cmd, ctx.snapshot)
    if isinstance(rel, Reply):
        return rel
    if cmd.fmt is not None:
        problem = _unknown_versions(rel, ctx, cmd.version)
        if problem:
            return error_reply(cmd.text, problem, usage=f"/release {rel.slug} rid version <v> docx")
        return file_reply(rid_request(rel, cmd.fmt, cmd.version, cmd.day), cmd.text)
    try:
        model = build_rid_model(ctx.snapshot, rel, ctx.today, version=cmd.version, as_of=cmd.day)
    except DocumentError as exc:
        return error_reply(cmd.text, str(exc), usage=f"/release {rel.slug} rid version <v>")
    return document_reply(rid_document(model), cmd.text)


def rid_diff(cmd: RidRequest, ctx: Context) -> Reply:
    rel = release_or_error(cmd, ctx.snapshot)
    if isinstance(rel, Reply):
        return rel
    assert cmd.versions is not None
    old, new = cmd.versions
    if cmd.fmt is not None:
        problem = _unknown_versions(rel, ctx, old, new)
        if problem:
            return error_reply(cmd.text, problem, usage=f"/release {rel.slug} rid diff 1.0 1.1 docx")
        return file_reply(rid_request(rel, cmd.fmt, versions=cmd.versions), cmd.text)
    try:
        a, b = (build_rid_model(ctx.snapshot, rel, ctx.today, version=v) for v in (old, new))
    except DocumentError as exc:
        return error_reply(cmd.text, str(exc), usage=f"/release {rel.slug} rid diff 1.0 1.1")
    return document_reply(diff_document(diff_rid(a, b)), cmd.text)


def report(cmd: ReportRequest, ctx: Context) -> Reply:
    if cmd.fmt is not None:
        return file_reply(report_request(cmd.kind, cmd.day, cmd.fmt), cmd.text)
    if cmd.kind == "panel":
        return document_reply(panel_update_document(ctx.snapshot, cmd.day, ctx.today), cmd.text)
    return document_reply(status_report_document(ctx.snapshot, cmd.day, ctx.today), cmd.text)


def picture(cmd: PictureRequest, ctx: Context) -> Reply:
    """A timeline or the progress chart: as a PNG file with `png`, else its data as a chat table."""
    try:
        rel = find_release(ctx.snapshot, cmd.slug) if cmd.slug else None
    except DocumentError as exc:
        return error_reply(cmd.text, str(exc), usage="/release timeline png")
    if cmd.kind == "progress":
        assert cmd.day is not None
        request = progress_request(cmd.day)
    else:
        request = timeline_request(rel, ctx.today)
    if cmd.fmt is not None:
        return file_reply(request, cmd.text)
    chart = file_model(ctx.snapshot, request, ctx.today)
    assert not isinstance(chart, Document)
    return figure_reply(chart, request.title, cmd.text)
