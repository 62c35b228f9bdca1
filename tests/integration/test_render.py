"""Every reply renders to valid Block Kit and Adaptive Card 1.5 JSON; long replies page, never cut."""

from __future__ import annotations

import json
import re

import pytest

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from commands.render import decode_button_value, render_slack, render_teams, render_text
from commands.render.checks import check_adaptive_card, check_slack_blocks
from domain.reply import Items, Paragraph, Reply, b, spans
from store.synthetic import generate
from tests.helpers import reply

# One of every kind of reply the foundation gives, from the demo data.
COMMANDS = [
    "/release",
    "/release june-2021",
    "/release june-2021 scope",
    "/release feb-2021 scope as of 2020-09-01",
    "/release june-2021 timeline",
    "/release june-2021 impacts",
    "/release feb-2021 impacts parties",
    "/release june-2021 impacts documents",
    "/release feb-2021 costs",
    "/release feb-2021 criteria",
    "/release june-2021 history",
    "/release june-2021 changes since 2020-12-01",
    "/release june-2021 rid",
    "/release feb-2021 rid",
    "/mod MP122A",
    "/mod SECMP0007",
    "/release find SMKI",
    "/release glossary",
    "/release glossary RID",
    "/workdays 2016-11-23 +10",
    "/workdays 2020-12-11 to 2020-12-29",
    "/workdays holidays 2022",
    "/release help",
    "/release help admin",
    "/mod help",
    "/workdays help",
    "/release june-2030",
    "/mod MP999",
    "/release june-2021 scpoe",
    "/nonsense",
    "/release audit",
    "/release june-2022 approve MP099",
    "/release undo",
]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_reply_kind_is_valid_on_every_target(bot: Releasebot) -> None:
    for command in COMMANDS:
        r = await reply(bot, command)
        assert render_text(r).strip(), command
        slack = render_slack(r)
        assert check_slack_blocks(slack["blocks"]) == [], (command, check_slack_blocks(slack["blocks"]))
        assert slack["text"], command
        card = render_teams(r)
        assert check_adaptive_card(card) == [], (command, check_adaptive_card(card))


def test_checks_catch_what_slack_and_teams_would_refuse() -> None:
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    assert check_slack_blocks(too_long)
    assert check_slack_blocks([{"type": "divider"}] * 51)
    assert check_adaptive_card(
        {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "a", "size": "Huge"}]}
    )
    assert check_adaptive_card({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "Bogus"}]})
    assert check_adaptive_card(
        {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "a", "colour": "red"}]}
    )


def test_user_text_is_escaped_for_slack_and_never_pings() -> None:
    r = Reply("t", (Paragraph(spans(b("MP1 <!channel> & *stars*"), " <https://evil|click>")),))
    text = render_slack(r)["blocks"][0]["text"]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<https://evil|click>" not in text
    card = render_teams(r)
    assert check_adaptive_card(card) == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
async def test_a_scope_of_200_rows_pages_within_limits_and_loses_nothing(empty_database_url: str) -> None:
    bot = create_bot(load_settings(database_url=empty_database_url))
    await bot.start(watch=False)
    try:
        await generate(bot.db, releases=1, mods_per_release=200)
        await bot.read_model.load()
        slug = bot.read_model.snapshot.releases[0].slug
        r = await reply(bot, f"/release {slug} scope")
        first = render_slack(r)
        pages = int(re.search(r"page 1 of (\d+)", first["blocks"][0]["text"]["text"]).group(1))  # type: ignore[union-attr]
        assert pages >= 2
        seen: list[str] = []
        for page in range(1, pages + 1):
            message = render_slack(r, page=page)
            assert check_slack_blocks(message["blocks"]) == [], page
            assert len(message["blocks"]) <= 50
            body = json.dumps(message["blocks"])
            seen += re.findall(r"\*(MP\d+)\*", body)
            assert f"Page {page} of {pages}" in body
            buttons = [e for blk in message["blocks"] if blk["type"] == "actions" for e in blk["elements"]]
            targets = sorted(decode_button_value(e["value"])["page"] for e in buttons if "_page_" in e["action_id"])
            assert targets == [p for p in (page - 1, page + 1) if 1 <= p <= pages]
        assert len(seen) == 200 and len(set(seen)) == 200
        # Teams pages the same way, each card valid.
        card = render_teams(r)
        assert check_adaptive_card(card) == []
        text = render_text(r)
        assert len(re.findall(r"• (MP\d+)", text)) == 200  # the console shows everything at once
    finally:
        await bot.stop()


def test_one_enormous_line_is_split_not_cut() -> None:
    r = Reply("t", (Items((spans(b("MP1"), " ", "word " * 2000),)),))
    first = json.dumps(render_slack(r)["blocks"])
    found = re.search(r"Page 1 of (\d+)", first)
    pages = int(found.group(1)) if found else 1
    words = 0
    for page in range(1, pages + 1):
        message = render_slack(r, page=page)
        assert check_slack_blocks(message["blocks"]) == []
        words += sum(blk["text"]["text"].count("word") for blk in message["blocks"] if blk["type"] == "section")
    assert words == 2000
