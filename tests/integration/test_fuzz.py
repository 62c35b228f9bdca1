"""Arbitrary text through the parser, the handlers and all three renderers: always a Reply."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from commands.render import render_slack, render_teams, render_text
from commands.render.checks import check_slack_blocks
from domain.reply import Reply

VOCABULARY = [
    "/release",
    "/mod",
    "/workdays",
    "june-2021",
    "feb-2021",
    "2022-06",
    "June",
    "2022",
    "scope",
    "as",
    "of",
    "timeline",
    "impacts",
    "parties",
    "documents",
    "costs",
    "criteria",
    "history",
    "changes",
    "since",
    "rid",
    "find",
    "glossary",
    "help",
    "MP122A",
    "MP",
    "122A",
    "SECMP20",
    "DP144",
    "+10",
    "-5",
    "to",
    "2016-11-23",
    "23",
    "Nov",
    "2016",
    "today",
    "approve",
    "remove",
    "move",
    "add",
    "reason",
    "milestone",
    "go_live",
    "holiday",
    "holidays",
    "undo",
    "audit",
    "public",
    "page",
    "3",
    '"quoted title"',
    "14:00",
    "“",
    "*",
    "<!channel>",
    # keeping the record (issue 12)
    "new",
    "set",
    "decision",
    "effective",
    "status",
    "phase",
    "wg",
    "dcc",
    "go-live",
    '"Change Board"',
    "approved",
    "rejected",
    "Dec 2020",
    "SECMP0020",
    "june-2031",
]

lines = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), max_size=9).map(" ".join),
)


@pytest.fixture(scope="module")
def fuzz_bot(
    templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[asyncio.AbstractEventLoop, Releasebot]]:  # type: ignore[no-untyped-def]
    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    shutil.copyfile(templates.sqlite_seeded, path)
    loop = asyncio.new_event_loop()
    bot = create_bot(load_settings(database_url=f"sqlite+aiosqlite:///{path}"))
    loop.run_until_complete(bot.start(watch=False))
    yield loop, bot
    loop.run_until_complete(bot.stop())
    loop.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=lines, user=st.sampled_from(["console", "observer", "U0STRANGER"]))
def test_any_text_gets_a_reply_never_an_exception(
    fuzz_bot: tuple[asyncio.AbstractEventLoop, Releasebot], line: str, user: str
) -> None:
    loop, bot = fuzz_bot
    result = loop.run_until_complete(bot.answers.answer(None, line, bot.actors.resolve("console", user)))
    assert isinstance(result, Reply)
    assert result.title not in ("Internal error", "Store unavailable"), render_text(result)
    assert render_text(result).strip()
    message = render_slack(result)
    assert check_slack_blocks(message["blocks"]) == []
    assert render_teams(result)["type"] == "AdaptiveCard"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(["release", "mod", "workdays"]), text=lines)
def test_slash_command_text_gets_a_reply(
    fuzz_bot: tuple[asyncio.AbstractEventLoop, Releasebot], command: str, text: str
) -> None:
    loop, bot = fuzz_bot
    result = loop.run_until_complete(bot.answers.answer(command, text, bot.actors.resolve("console", "console")))
    assert result.title not in ("Internal error", "Store unavailable"), render_text(result)
