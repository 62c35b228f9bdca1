"""The words that ask for a file: a format at the end of a document or picture command."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers import parse_text
from bot.app import command_table
from commands.language import ParseError, PictureRequest, ReleaseShow, ReportRequest, RidRequest

TODAY = date(2020, 12, 4)
TABLE = command_table()


def read(text: str) -> object:
    return parse_text(TABLE, "release", text, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("june-2021 rid docx", RidRequest(slug="june-2021", fmt="docx")),
        ("june-2021 rid word", RidRequest(slug="june-2021", fmt="docx")),
        ("june-2021 rid version 1.0 pdf", RidRequest(slug="june-2021", version="1.0", fmt="pdf")),
        ("june-2021 rid v0.1 md", RidRequest(slug="june-2021", version="0.1", fmt="md")),
        ("june-2021 rid as of 1 Aug 2020 pdf", RidRequest(slug="june-2021", day=date(2020, 8, 1), fmt="pdf")),
        (
            "june-2021 rid diff 1.0 1.1 docx",
            RidRequest(action="release.rid_diff", slug="june-2021", versions=("1.0", "1.1"), fmt="docx"),
        ),
        ("june-2021 rid", RidRequest(slug="june-2021")),
        ("report status 2016-12 pdf", ReportRequest(kind="status", day=date(2016, 12, 1), fmt="pdf")),
        ("report status docx", ReportRequest(kind="status", day=date(2020, 12, 1), fmt="docx")),
        ("report panel since 2020-11-06 md", ReportRequest(kind="panel", day=date(2020, 11, 6), fmt="md")),
        ("report progress dec 2016 png", PictureRequest(kind="progress", day=date(2016, 12, 1), fmt="png")),
        ("report progress", PictureRequest(kind="progress", day=date(2020, 12, 1))),
        ("june-2021 timeline png", PictureRequest(kind="timeline", slug="june-2021", fmt="png")),
        ("june-2021 dates picture", PictureRequest(kind="timeline", slug="june-2021", fmt="png")),
        ("june-2021 timeline", ReleaseShow(action="release.timeline", slug="june-2021")),
        ("timeline png", PictureRequest(kind="timeline", fmt="png")),
        ("timeline", PictureRequest(kind="timeline")),
    ],
)
def test_format_words(text: str, expected: object) -> None:
    got = read(text)
    assert not isinstance(got, ParseError), got
    assert got == type(expected)(**{**expected.__dict__, "text": f"/release {text}"})  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("june-2021 rid png", "is a document"),
        ("report status 2016-12 png", "is a document"),
        ("june-2021 timeline pdf", "is a picture"),
        ("timeline docx", "is a picture"),
        ("report progress 2016-12 md", "is a picture"),
        ("june-2021 timeline png please", "takes nothing more"),
        ("timeline everything", "takes nothing more"),
        ("june-2021 rid version pdf", "After `rid`"),
        ("report", "progress"),
    ],
)
def test_wrong_formats_are_told_in_words(text: str, words: str) -> None:
    got = read(text)
    assert isinstance(got, ParseError) and words in got.message
