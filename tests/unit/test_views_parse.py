"""The command language for the cross-release views, and read commands that name the words they
would otherwise drop (pure: no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.app import command_table
from commands.language import Command, HolidayList, ParseError
from commands.parse import parse, parse_line

TODAY = date(2020, 12, 4)
GRAMMAR = command_table().grammar


def ok(text: str) -> Any:
    got = parse(GRAMMAR, "release", text, TODAY)
    assert isinstance(got, Command), got
    return got


def refused(text: str, command: str = "release") -> ParseError:
    got = parse(GRAMMAR, command, text, TODAY)
    assert isinstance(got, ParseError), got
    return got


@pytest.mark.parametrize(
    ("text", "n", "option"),
    [
        ("due", None, None), ("due 10 WD", 10, None), ("due 10wd", 10, None), ("due 10 working days", 10, None),
        ("due in 5 days", 5, None), ("due next 20 WD", 20, None), ("due this week", None, "this-week"),
        ("due next week", None, "next-week"), ("due this month", None, "this-month"),
        ("due next-month", None, "next-month"),
    ],
)  # fmt: skip
def test_due_windows(text: str, n: int | None, option: str | None) -> None:
    cmd = ok(text)
    assert (cmd.action, cmd.n, cmd.option) == ("cross.due", n, option)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("due soon", "number of Working Days or a period"), ("due 0 WD", "1 to 1000"), ("due 5000", "1 to 1000"),
        ("due 10 WD please", "I did not use `please`"),
    ],
)  # fmt: skip
def test_due_refuses_what_it_cannot_use(text: str, says: str) -> None:
    error = refused(text)
    assert says in error.message and error.topic == "reports"


def test_targeted_and_decisions() -> None:
    assert ok("targeted").action == "cross.targeted" and ok("targeted all").option == "all"
    assert ok("decisions").day is None
    assert ok("decisions since 1 Nov 2020").day == date(2020, 11, 1)
    assert ok("decisions 2020-11-24").day == date(2020, 11, 24)
    assert "I did not use `soon`" in refused("targeted soon").message
    assert "I need a date after `since`" in refused("decisions since soon").message
    assert "I did not use `x`" in refused("decisions since 1 Nov 2020 x").message


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        ("june-2021 timeline please", "please"), ("june-2021 costs now", "now"),
        ("june-2021 criteria all", "all"), ("june-2021 history 2020", "2020"), ("june-2021 impacts parties now", "now"),
        ("june-2021 changes since 2020-12-01 foo", "foo"), ("june-2021 scope as of 1 Dec 2020 x", "x"),
        ("list foo", "foo"), ("holidays 2021 x", "x"), ("june-2022 vote status x", "x"), ("audit 5 x", "x"),
    ],
)  # fmt: skip
def test_read_commands_name_the_words_they_do_not_use(text: str, extra: str) -> None:
    error = refused(text)
    assert f"I did not use `{extra}`" in error.message


def test_rid_reads_a_version_and_names_what_it_does_not_use() -> None:
    assert ok("june-2021 rid v1.1").version == "1.1"
    assert "I understand `version 1.0`" in refused("june-2021 rid v1.1 please").message


def test_what_read_commands_do_use_still_parses() -> None:
    assert ok("june-2021 impacts parties").option == "parties"
    assert ok("june-2021 rid public").public
    assert ok("june-2021 timeline page 2").page == 2
    assert ok("list all").every
    assert ok("holidays 2021").year == 2021
    assert parse(GRAMMAR, "workdays", "holidays 2022", TODAY) == HolidayList(text="/workdays holidays 2022", year=2022)


@pytest.mark.parametrize(
    ("line", "words"), [("/release help", ""), ("/release help vote", "vote"), ("help reports", "reports")]
)
def test_help_words(line: str, words: str) -> None:
    got = parse_line(GRAMMAR, line, TODAY)
    assert isinstance(got, Command) and got.action == "help" and got.words == words
