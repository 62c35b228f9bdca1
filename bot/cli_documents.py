"""`releasebot rid ...` and `releasebot report ...`: documents from the state, written to files.

Registered on the main typer app by `register(app)` (one line in bot/cli.py). Every bad input
(unknown release or version, a month or date that cannot be read, a path that cannot be
written) ends in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.launch import TodayOption, fail, run

if TYPE_CHECKING:  # the document libraries load only when a document is built (start-up: bot.cli)
    from bot.core import Releasebot
    from commands.documents.build import Format
    from domain.snapshot import Snapshot

__all__ = ["register", "report_app"]

report_app = typer.Typer(
    help="Monthly Modification Status Report, Panel update paper, timeline pictures.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Outputs = list[tuple["Format", Path]]


def _fail(message: str) -> typer.Exit:
    return fail(message)


def _load(today: str | None) -> tuple[Snapshot, date]:
    """The state (read once) and the bot's today (`--today` over RELEASEBOT_TODAY over the real clock)."""
    from domain.calendar import local_date

    async def read(bot: Releasebot) -> tuple[Snapshot, date]:
        return bot.snapshot, local_date(bot.clock())

    return run(read, today=today)


def _day(text: str, today: date, what: str) -> date:
    from domain.calendar import RANGE_TEXT
    from domain.words import read_date, tokenize

    got = read_date(tokenize(text), 0, today)
    if got is None or got[1] != len(tokenize(text)):
        raise _fail(f"{what} `{text}` is not a date from {RANGE_TEXT}: write it like 2020-12-04 or 4 Dec 2020")
    return got[0]


def _outputs(docx: Path | None, pdf: Path | None, md: Path | None) -> Outputs:
    candidates: tuple[tuple[Format, Path | None], ...] = (("docx", docx), ("pdf", pdf), ("md", md))
    chosen: Outputs = [(fmt, path) for fmt, path in candidates if path is not None]
    for _, path in chosen:
        _writable(path)
    return chosen


def _writable(path: Path) -> None:
    """Refuse before building, so a wrong path costs nothing."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _fail(f"cannot write {path}: it is a folder")
    if not folder.is_dir():
        raise _fail(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _fail(f"cannot write {path}: permission denied")


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise _fail(f"cannot write {path}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {path} ({len(data):,} bytes)")


def _emit(outputs: Outputs, build: Callable[[Format], bytes]) -> None:
    """Build each chosen format and write it; with none chosen, print the Markdown."""
    from commands.documents.errors import DocumentError

    try:
        if not outputs:
            sys.stdout.write(build("md").decode("utf-8"))
            return
        for fmt, path in outputs:
            _write(path, build(fmt))
    except DocumentError as exc:
        raise _fail(str(exc)) from None


DocxOpt = Annotated[Path | None, typer.Option("--docx", help="Write a Word file here.")]
PdfOpt = Annotated[Path | None, typer.Option("--pdf", help="Write a PDF here.")]
MdOpt = Annotated[Path | None, typer.Option("--md", help="Write Markdown here (printed when no file is given).")]


def rid(
    slug: Annotated[str, typer.Argument(help="Release, e.g. june-2021, jun-2021, 2021-06.")],
    diff: Annotated[
        list[str] | None, typer.Argument(help="`diff 1.0 1.1`: what changed between two versions.", show_default=False)
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Rebuild the RID as it stood at this version.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Rebuild the RID as recorded on this date.")] = None,
    docx: DocxOpt = None,
    pdf: PdfOpt = None,
    md: MdOpt = None,
    today: TodayOption = None,
) -> None:
    """The Release Implementation Document as Word, PDF or Markdown, rebuilt from the store."""
    from commands.documents.build import build_rid, build_rid_diff

    if version is not None and as_of is not None:
        raise _fail("give --version or --as-of, not both")
    if diff and (len(diff) != 3 or diff[0] != "diff"):
        raise _fail(
            "after the release, only `diff <old> <new>` is understood, e.g. `releasebot rid june-2021 diff 1.0 1.1`"
        )
    outputs = _outputs(docx, pdf, md)
    snapshot, day = _load(today)
    if diff:
        old, new = diff[1], diff[2]
        _emit(outputs, lambda fmt: build_rid_diff(snapshot, slug, old, new, fmt, day))
        return
    when = _day(as_of, day, "--as-of") if as_of else None
    _emit(outputs, lambda fmt: build_rid(snapshot, slug, fmt, day, version=version, as_of=when))


@report_app.command("status")
def report_status(
    month: Annotated[str, typer.Option("--month", help="The report's month, e.g. 2016-12 or Dec 2016.")],
    docx: DocxOpt = None,
    pdf: PdfOpt = None,
    md: MdOpt = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also write the progress chart (phases by month) here.")
    ] = None,
    today: TodayOption = None,
) -> None:
    """The monthly Modification Status Report, as it would have read on the month's Panel day."""
    from commands.documents.build import build_progress_png, build_status_report
    from commands.documents.errors import DocumentError
    from commands.documents.phases import parse_month

    try:
        first = parse_month(month)
    except DocumentError as exc:
        raise _fail(str(exc)) from None
    outputs = _outputs(docx, pdf, md)
    if png is not None:
        _writable(png)
    snapshot, day = _load(today)
    _emit(outputs, lambda fmt: build_status_report(snapshot, first, fmt, day))
    if png is not None:
        _write(png, build_progress_png(snapshot, first, day))


@report_app.command("panel")
def report_panel(
    since: Annotated[
        str, typer.Option("--since", help="Count changes from this date (usually the last Panel meeting).")
    ],
    docx: DocxOpt = None,
    pdf: PdfOpt = None,
    md: MdOpt = None,
    today: TodayOption = None,
) -> None:
    """A draft "SEC Releases Update" paper: scope changes since the date and the recommendations they call for."""
    from commands.documents.build import build_panel_update

    outputs = _outputs(docx, pdf, md)
    snapshot, day = _load(today)
    start = _day(since, day, "--since")
    _emit(outputs, lambda fmt: build_panel_update(snapshot, start, fmt, day))


@report_app.command("timeline")
def report_timeline(
    png: Annotated[Path, typer.Option("--png", help="Write the PNG here.")],
    slug: Annotated[str | None, typer.Argument(help="One release; leave out for every upcoming release.")] = None,
    today: TodayOption = None,
) -> None:
    """A timeline picture: milestones on a time axis, today marked, Working Days to each."""
    from commands.documents.build import build_timeline_png
    from commands.documents.errors import DocumentError

    _writable(png)
    snapshot, day = _load(today)
    try:
        data = build_timeline_png(snapshot, slug, day)
    except DocumentError as exc:
        raise _fail(str(exc)) from None
    _write(png, data)


def register(app: typer.Typer) -> None:
    """Add `rid` and `report` to the main command line."""
    app.command("rid")(rid)
    app.add_typer(report_app, name="report")
