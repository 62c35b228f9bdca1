"""The command table's grammar: words dispatch to the parser registered for them, and what is not
registered is not understood. Pure: no database, no bot."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import command_table
from commands.grammar.book import Said
from commands.grammar.reading import fail
from commands.language import Command, HelpCommand, ParseError, ReleaseCommand, ReleaseShow, ScopeChange
from commands.parse import parse, parse_line
from commands.register import register as register_commands
from commands.table import CommandTable

TODAY = date(2021, 1, 4)


def _ping(said: Said) -> Command:
    return Command(action="ping")


def _otherwise(said: Said) -> Command:
    if said.tokens[said.i] == "bad":
        raise fail("Not that.", "all", word="bad")
    return HelpCommand(words=" ".join(said.tokens[said.i :]))


def _pong(said: Said, slug: str) -> ReleaseCommand:
    return ReleaseCommand(action="pong", slug=slug)


@pytest.fixture
def table() -> CommandTable:
    table = CommandTable()
    table.slash("toy", _otherwise, empty=lambda said: Command(action="empty"))
    table.top_word("ping", _ping, slash="toy", aliases=("p",))
    return table


def test_a_word_dispatches_to_its_parser_and_anything_else_to_otherwise(table: CommandTable) -> None:
    grammar = table.grammar
    assert grammar.slash_commands == ("toy",)
    assert grammar.read("toy", [], TODAY) == Command(action="empty")
    assert grammar.read("toy", ["PING"], TODAY) == Command(action="ping")
    assert grammar.read("toy", ["p"], TODAY) == Command(action="ping")
    assert grammar.read("toy", ["hello", "there"], TODAY) == HelpCommand(words="hello there")
    assert grammar.words("toy") == ("ping", "p")


def test_parse_sets_the_text_and_modifiers_and_returns_a_failure_as_a_parse_error(table: CommandTable) -> None:
    assert parse(table.grammar, "/toy", "ping public page 2", TODAY) == Command(
        action="ping", text="/toy ping public page 2", public=True, page=2
    )
    error = parse(table.grammar, "toy", "bad", TODAY)
    assert error == ParseError("Not that.", topic="all", word="bad")
    unknown = parse(table.grammar, "release", "june-2022", TODAY)
    assert isinstance(unknown, ParseError) and unknown.expected == ("toy",)


def test_registering_a_word_twice_or_before_its_slash_command_is_refused(table: CommandTable) -> None:
    with pytest.raises(ValueError, match="twice"):
        table.top_word("p", _ping, slash="toy")
    with pytest.raises(ValueError, match="twice"):
        table.slash("toy", _otherwise)
    with pytest.raises(ValueError, match="not registered"):
        table.top_word("ping", _ping, slash="nowhere")
    table.release_word("pong", _pong)
    with pytest.raises(ValueError, match="twice"):
        table.release_word("pong", _pong)


def test_a_word_a_feature_registers_after_a_release_is_read_and_offered_in_did_you_mean() -> None:
    table = CommandTable()
    register_commands(table)
    assert isinstance(parse(table.grammar, "release", "june-2022 pong", TODAY), ParseError)
    table.release_word("pong", _pong)
    assert parse(table.grammar, "release", "june-2022 pong", TODAY) == ReleaseCommand(
        action="pong", slug="june-2022", text="/release june-2022 pong"
    )
    typo = parse(table.grammar, "release", "june-2022 pnog", TODAY)
    assert isinstance(typo, ParseError) and typo.word == "pnog" and "pong" in typo.expected


def test_without_the_reminder_feature_its_words_are_not_understood() -> None:
    table = CommandTable()
    register_commands(table)
    assert isinstance(parse(table.grammar, "release", "subscribe", TODAY), ParseError)
    full = command_table().grammar
    assert parse(full, "release", "subscribe", TODAY).action == "subscription.add"  # type: ignore[union-attr]
    for word in ("subscribe", "unsubscribe", "subscriptions", "find", "undo", "holiday", "help", "list"):
        assert word in full.words("release")
    for word in ("scope", "vote", "edit", "subscribe", "milestone", "move"):
        assert word in full.release_words()


def test_every_registered_word_is_offered_when_the_first_word_is_not_understood() -> None:
    grammar = command_table().grammar
    error = parse(grammar, "release", "subscrib", TODAY)
    assert isinstance(error, ParseError) and error.word == "subscrib"
    assert {"subscribe", "find", "glossary", "public", "page"} <= set(error.expected)


def test_free_text_keeps_a_trailing_public_but_a_view_takes_it_as_a_modifier() -> None:
    grammar = command_table().grammar
    removed = parse(grammar, "release", "june-2021 remove MP095 reason made public", TODAY)
    assert isinstance(removed, ScopeChange) and removed.reason == "made public" and not removed.public
    scope = parse(grammar, "release", "june-2021 scope public", TODAY)
    assert isinstance(scope, ReleaseShow) and scope.public and scope.page == 1
    paged = parse(grammar, "release", "june-2021 remove MP095 reason see page 2", TODAY)
    assert isinstance(paged, ScopeChange) and paged.reason == "see page 2" and paged.page == 1


def test_a_line_may_start_with_a_release_or_a_word_registered_to_start_lines() -> None:
    grammar = command_table().grammar
    assert parse_line(grammar, "june-2022 scope", TODAY) == ReleaseShow(
        action="release.scope", slug="june-2022", text="/release june-2022 scope"
    )
    assert parse_line(grammar, "find Appendix O", TODAY).action == "find"  # type: ignore[union-attr]
    assert grammar.starts_line("find") and not grammar.starts_line("search")
    stranger = parse_line(grammar, "search Appendix O", TODAY)
    assert isinstance(stranger, ParseError) and stranger.expected == grammar.slash_commands
