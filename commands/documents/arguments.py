"""The words after `/release <slug> rid`, `/release report` and `timeline`, read into typed commands.

Registered as word parsers in the command table (`commands.register`); a mistake raises the
grammar's `Fail` with words for the user. A format word at the end (`docx`, `pdf`, `md`, `png`)
asks for the file instead of the chat answer.
"""

from __future__ import annotations

from commands.content_language import RidBaseline
from commands.documents.errors import DocumentError
from commands.documents.files import DOCUMENT_WORDS, PICTURE_WORDS
from commands.documents.phases import parse_month
from commands.grammar.book import Said
from commands.grammar.content import rid_baseline
from commands.grammar.reading import fail, out_of_range, rest
from commands.language import PictureRequest, ReleaseShow, ReportRequest, RidRequest
from domain.files import FileFormat
from domain.words import read_date

__all__ = ["report", "rid", "timeline", "timeline_all"]

_VERSION_WORDS = ("version", "v", "at")


def _document_format(said: Said, what: str) -> tuple[list[str], FileFormat | None]:
    """The words after the command's own, less a last word naming a document format (and that format)."""
    tokens = said.tokens[said.i :]
    last = tokens[-1].lower() if tokens else ""
    if last in DOCUMENT_WORDS:
        return tokens[:-1], DOCUMENT_WORDS[last]
    if last in PICTURE_WORDS:
        raise fail(f"{what} is a document: ask for `docx`, `pdf` or `md`.", "release", word=tokens[-1])
    return tokens, None


def _picture_format(tokens: list[str], what: str, usage: str) -> tuple[list[str], FileFormat | None]:
    last = tokens[-1].lower() if tokens else ""
    if last in PICTURE_WORDS:
        return tokens[:-1], "png"
    if last in DOCUMENT_WORDS:
        raise fail(f"{what} is a picture: ask for `png`, like `{usage}`.", "release", word=tokens[-1])
    return tokens, None


def rid(said: Said, slug: str) -> RidRequest | RidBaseline:
    """`rid`, `rid version 1.0` (`rid v1.0`, `rid 1.0`), `rid as of <date>`, `rid diff 1.0 1.1`; then `docx|pdf|md`;
    admins: `rid baseline [version] ["what changed"]` records a version."""
    if said.tokens[said.i : said.i + 1] and said.tokens[said.i].lower() == "baseline":
        return rid_baseline(said.at(said.i + 1), slug)
    tokens, fmt = _document_format(said, "The RID")
    if not tokens:
        return RidRequest(slug=slug, fmt=fmt)
    head = tokens[0].lower()
    if head == "diff":
        if len(tokens) != 3:
            raise fail("`rid diff` takes two versions, like `rid diff 1.0 1.1`.", "release")
        versions = (tokens[1].lstrip("vV"), tokens[2].lstrip("vV"))
        return RidRequest(action="release.rid_diff", slug=slug, versions=versions, fmt=fmt)
    if head in _VERSION_WORDS and len(tokens) == 2:
        return RidRequest(slug=slug, version=tokens[1].lstrip("vV"), fmt=fmt)
    if head == "as" and len(tokens) > 2 and tokens[1].lower() == "of":
        got = read_date(tokens, 2, said.today)
        if got is None:
            out_of_range(tokens, 2, said.today, "release", "the date after `rid as of`")
        if got is None or 2 + got[1] != len(tokens):
            raise fail("After `rid as of` I need a date, like `1 Aug 2020`.", "release")
        return RidRequest(slug=slug, day=got[0], fmt=fmt)
    if len(tokens) == 1 and (head[:1].isdigit() or (head.startswith("v") and head[1:2].isdigit())):
        return RidRequest(slug=slug, version=head.lstrip("v"), fmt=fmt)
    raise fail(
        "After `rid` I understand `version 1.0`, `as of <date>`, `diff 1.0 1.1` or `baseline`, "
        "then `docx`, `pdf` or `md` for the file.",
        "release",
        word=tokens[0],
    )


def report(said: Said) -> ReportRequest | PictureRequest:
    """`report status [month] [docx|pdf|md]`, `report panel since <date> [docx|pdf|md]`, `report progress [month] [png]`."""
    tokens, today = said.tokens[said.i :], said.today
    kind = tokens[0].lower() if tokens else ""
    if kind == "progress":
        words, fmt = _picture_format(tokens[1:], "The progress chart", "/release report progress 2016-12 png")
        try:
            month = parse_month(" ".join(words)) if words else today.replace(day=1)
        except DocumentError as exc:
            raise fail(str(exc), "reports") from None
        return PictureRequest(kind="progress", day=month, fmt=fmt)
    if kind in ("status", "panel"):
        tokens, fmt = _document_format(said, "The report")
    if kind == "status":
        said_month = " ".join(tokens[1:])
        if not said_month:
            return ReportRequest(kind="status", day=today.replace(day=1), fmt=fmt)
        try:
            return ReportRequest(kind="status", day=parse_month(said_month), fmt=fmt)
        except DocumentError as exc:
            raise fail(str(exc), "reports") from None
    if kind == "panel":
        i = 2 if len(tokens) > 1 and tokens[1].lower() == "since" else 1
        got = read_date(tokens, i, today)
        if got is None:
            out_of_range(tokens, i, today, "reports", "the date after `since`")
        if got is None or i + got[1] != len(tokens):
            raise fail(
                "`report panel` needs the date to count changes from: `/release report panel since 2020-11-06`.",
                "reports",
            )
        return ReportRequest(kind="panel", day=got[0], fmt=fmt)
    raise fail(
        "`report` makes `status [month]` (the Modification Status Report), `panel since <date>` (the SEC Releases "
        "Update) or `progress [month]` (the progress chart); add `docx`, `pdf`, `md` or `png` for the file.",
        "reports",
        word=tokens[0] if tokens else None,
        expected=("status", "panel", "progress"),
    )


def timeline(said: Said, slug: str) -> ReleaseShow | PictureRequest:
    """`/release <slug> timeline [png]`: the milestones in chat, or the picture."""
    usage = f"/release {slug} timeline png"
    tokens, fmt = _picture_format(said.tokens[said.i :], "A timeline", usage)
    if tokens:
        raise fail(
            f"`/release {slug} timeline [png]` takes nothing more; I did not use `{rest(tokens, 0)}`.", "release"
        )
    if fmt is None:
        return ReleaseShow(action="release.timeline", slug=slug)
    return PictureRequest(kind="timeline", slug=slug, fmt=fmt)


def timeline_all(said: Said) -> PictureRequest:
    """`/release timeline [png]`: the key dates of every upcoming release."""
    tokens, fmt = _picture_format(said.tokens[said.i :], "A timeline", "/release timeline png")
    if tokens:
        raise fail(f"`/release timeline [png]` takes nothing more; I did not use `{rest(tokens, 0)}`.", "release")
    return PictureRequest(kind="timeline", fmt=fmt)
