"""The words after `/release <slug> rid` and `/release report`, read into typed commands.

Registered as word parsers in the command table (`commands.register`); a mistake raises the
grammar's `Fail` with words for the user.
"""

from __future__ import annotations

from commands.content_language import RidBaseline
from commands.documents.errors import DocumentError
from commands.documents.phases import parse_month
from commands.grammar.book import Said
from commands.grammar.content import rid_baseline
from commands.grammar.reading import fail
from commands.language import ReportRequest, RidRequest
from domain.words import read_date

__all__ = ["report", "rid"]

_VERSION_WORDS = ("version", "v", "at")


def rid(said: Said, slug: str) -> RidRequest | RidBaseline:
    """`rid`, `rid version 1.0` (`rid v1.0`, `rid 1.0`), `rid as of <date>`, `rid diff 1.0 1.1`;
    admins: `rid baseline [version] ["what changed"]` records a version."""
    tokens = said.tokens[said.i :]
    if not tokens:
        return RidRequest(slug=slug)
    head = tokens[0].lower()
    if head == "baseline":
        return rid_baseline(said.at(said.i + 1), slug)
    if head == "diff":
        if len(tokens) != 3:
            raise fail("`rid diff` takes two versions, like `rid diff 1.0 1.1`.", "release")
        return RidRequest(
            action="release.rid_diff", slug=slug, versions=(tokens[1].lstrip("vV"), tokens[2].lstrip("vV"))
        )
    if head in _VERSION_WORDS and len(tokens) == 2:
        return RidRequest(slug=slug, version=tokens[1].lstrip("vV"))
    if head == "as" and len(tokens) > 2 and tokens[1].lower() == "of":
        got = read_date(tokens, 2, said.today)
        if got is None or 2 + got[1] != len(tokens):
            raise fail("After `rid as of` I need a date, like `1 Aug 2020`.", "release")
        return RidRequest(slug=slug, day=got[0])
    if len(tokens) == 1 and (head[:1].isdigit() or (head.startswith("v") and head[1:2].isdigit())):
        return RidRequest(slug=slug, version=head.lstrip("v"))
    raise fail(
        "After `rid` I understand `version 1.0`, `as of <date>`, `diff 1.0 1.1` or `baseline`.",
        "release",
        word=tokens[0],
    )


def report(said: Said) -> ReportRequest:
    """`report status [month]` or `report panel since <date>`."""
    tokens, today = said.tokens[said.i :], said.today
    kind = tokens[0].lower() if tokens else ""
    if kind == "status":
        words = " ".join(tokens[1:])
        if not words:
            return ReportRequest(kind="status", day=today.replace(day=1))
        try:
            return ReportRequest(kind="status", day=parse_month(words))
        except DocumentError as exc:
            raise fail(str(exc), "reports") from None
    if kind == "panel":
        i = 2 if len(tokens) > 1 and tokens[1].lower() == "since" else 1
        got = read_date(tokens, i, today)
        if got is None or i + got[1] != len(tokens):
            raise fail(
                "`report panel` needs the date to count changes from: `/release report panel since 2020-11-06`.",
                "reports",
            )
        return ReportRequest(kind="panel", day=got[0])
    raise fail(
        "`report` makes `status [month]` (the Modification Status Report) or `panel since <date>` (the SEC Releases Update).",
        "reports",
        word=tokens[0] if tokens else None,
        expected=("status", "panel"),
    )
