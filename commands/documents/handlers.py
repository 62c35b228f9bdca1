"""Chat commands for documents: `/release <slug> rid [version V | as of D | diff A B]`, `/release report ...`.

They answer from the same document model as the files, so the chat RID and the Word RID agree.
The words after `rid` / `report` are read by commands/documents/arguments.py for the parser.
"""

from __future__ import annotations

from commands.context import Context
from commands.documents.chat import document_reply
from commands.documents.errors import DocumentError
from commands.documents.panel_update import panel_update_document
from commands.documents.rid import build_rid_model
from commands.documents.rid_diff import diff_document, diff_rid
from commands.documents.rid_layout import rid_document
from commands.documents.status_report import status_report_document
from commands.language import ReportRequest, RidRequest
from commands.suggest import error_reply, release_or_error
from domain.reply import Reply

__all__ = ["report", "rid", "rid_diff"]


def rid(cmd: RidRequest, ctx: Context) -> Reply:
    """The RID rebuilt from the store: now, at a version (`cmd.option`) or on a date (`cmd.day`)."""
    rel = release_or_error(cmd, ctx.snapshot)
    if isinstance(rel, Reply):
        return rel
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
    try:
        a, b = (build_rid_model(ctx.snapshot, rel, ctx.today, version=v) for v in (old, new))
    except DocumentError as exc:
        return error_reply(cmd.text, str(exc), usage=f"/release {rel.slug} rid diff 1.0 1.1")
    return document_reply(diff_document(diff_rid(a, b)), cmd.text)


def report(cmd: ReportRequest, ctx: Context) -> Reply:
    if cmd.kind == "panel":
        return document_reply(panel_update_document(ctx.snapshot, cmd.day, ctx.today), cmd.text)
    return document_reply(status_report_document(ctx.snapshot, cmd.day, ctx.today), cmd.text)
