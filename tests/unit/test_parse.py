"""The command language: slugs, refs, dates, and every command's shape."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import command_table
from commands.language import Command, ParseError
from commands.parse import parse, parse_line
from domain.words import normalise_ref, read_date, read_slug, tokenize

TODAY = date(2026, 11, 23)
GRAMMAR = command_table().grammar


@pytest.mark.parametrize("text", ["june-2022", "jun-2022", "2022-06", "June 2022", "JUNE-2022", "jun2022", "2022/06"])
def test_slug_forms(text: str) -> None:
    assert read_slug(tokenize(text), 0) == ("june-2022", len(tokenize(text)))


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("mp122a", "MP122A"),
        ("MP 122A", "MP122A"),
        ("SECMP20", "SECMP0020"),
        ("secmp0020", "SECMP0020"),
        ("DP144", "DP144"),
        ("MP92", "MP092"),
        ("cr195", "CR195"),
        ("122a", "MP122A"),
    ],
)
def test_ref_forms(text: str, ref: str) -> None:
    assert normalise_ref(text) == ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-11-23", date(2016, 11, 23)),
        ("23/11/2016", date(2016, 11, 23)),
        ("23 Nov 2016", date(2016, 11, 23)),
        ("23rd November 2016", date(2016, 11, 23)),
        ("Nov 23 2016", date(2016, 11, 23)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 24)),
    ],
)
def test_date_forms(text: str, expected: date) -> None:
    got = read_date(tokenize(text), 0, TODAY)
    assert got is not None and got[0] == expected


@pytest.mark.parametrize("text", ["2016-02-30", "31/04/2020", "31 Feb 2021", "soon"])
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert read_date(tokenize(text), 0, TODAY) is None


def ok(command: str, text: str) -> Any:
    result = parse(GRAMMAR, command, text, TODAY)
    assert isinstance(result, Command), result
    return result


def test_release_views() -> None:
    assert ok("release", "").action == "release.list"
    assert ok("release", "june 2022").slug == "june-2022"
    scope = ok("release", "feb-2021 scope as of 1 Dec 2020")
    assert (scope.action, scope.slug, scope.day) == ("release.scope", "february-2021", date(2020, 12, 1))
    assert ok("release", "2021-06 impacts documents").option == "documents"
    assert ok("release", "june-2021 changes since 2020-12-01").day == date(2020, 12, 1)
    assert ok("release", "june-2021 rid public").public
    assert ok("release", "june-2021 scope page 3").page == 3
    assert ok("release", "find Appendix O").words == "Appendix O"


def test_admin_changes() -> None:
    move = ok("release", "nov-2021 move MP 99 to June 2022 reason DCC testing savings")
    assert (move.action, move.ref, move.to_slug, move.reason) == (
        "scope.move",
        "MP099",
        "june-2022",
        "DCC testing savings",
    )
    remove = ok("release", "june-2021 remove MP095 because no decision in time")
    assert remove.reason == "no decision in time"
    ms = ok("release", "june-2022 milestone add go_no_go 10 Jun 2022 14:00 Panel go/no-go")
    assert (ms.kind, ms.day, ms.at, ms.title) == ("go_no_go", date(2022, 6, 10), time(14, 0), "Panel go/no-go")
    assert ok("release", "holiday add 2022-09-19 State funeral").name == "State funeral"
    assert ok("workdays", "holiday add 2022-09-19 State funeral").action == "holiday.add"


def test_remove_needs_a_reason() -> None:
    result = parse(GRAMMAR, "release", "june-2021 remove MP095", TODAY)
    assert isinstance(result, ParseError) and "why" in result.message.lower()


def test_workdays_forms() -> None:
    add = ok("workdays", "2016-11-23 +10")
    assert (add.action, add.day, add.n) == ("workdays.add", date(2016, 11, 23), 10)
    assert ok("workdays", "14 Dec 2016 -5").n == -5
    between = ok("workdays", "2020-12-11 to 2020-12-29")
    assert (between.action, between.until) == ("workdays.between", date(2020, 12, 29))
    assert ok("workdays", "+3").day == TODAY


def test_unknown_words_carry_what_was_expected() -> None:
    result = parse(GRAMMAR, "release", "june-2021 scpoe", TODAY)
    assert isinstance(result, ParseError) and result.word == "scpoe" and "scope" in result.expected


def test_lines_as_typed_in_console_or_mention() -> None:
    assert isinstance(parse_line(GRAMMAR, "/release june-2021 scope", TODAY), Command)
    assert parse_line(GRAMMAR, "june-2022 scope", TODAY).slug == "june-2022"  # type: ignore[union-attr]
    assert parse_line(GRAMMAR, "mod MP122A", TODAY).ref == "MP122A"  # type: ignore[union-attr]
    assert isinstance(parse_line(GRAMMAR, "/deploy now", TODAY), ParseError)


@settings(max_examples=400)
@given(command=st.sampled_from(["release", "mod", "workdays", "nonsense"]), text=st.text(max_size=80))
def test_parse_never_raises(command: str, text: str) -> None:
    assert isinstance(parse(GRAMMAR, command, text, TODAY), (Command, ParseError))
