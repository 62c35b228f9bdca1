"""Files in Teams: a card with a signed, expiring link, fetched from the same server.

The link's token is checked before anything in it is read (a changed byte is 403), its expiry
with the bot's injected clock (410 once the clock passes it), and the file is the real document.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from commands.render.checks import check_adaptive_card
from tests.docreader import pdf_pages
from tests.helpers import SettableClock
from tests.teamsharness import TeamsHarness, teams_harness
from tests.teamsreq import message

PUBLIC = "https://releasebot.example.test"
DEMO_DAY = datetime(2020, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[tuple[TeamsHarness, SettableClock]]:
    clock = SettableClock()
    clock.set(DEMO_DAY)
    async with teams_harness(
        database_url, clock=clock, public_url=PUBLIC, link_secret="s" * 32, link_hours=2
    ) as harness:
        yield harness, clock


async def _link(teams: TeamsHarness, text: str) -> str:
    await teams.post(message(teams.connector.url, text))
    (call,) = await teams.sent()
    (card,) = call.cards
    assert check_adaptive_card(card) == []
    (button,) = [a for a in card.get("actions", []) if a["type"] == "Action.OpenUrl"]
    assert button["title"] == "Download" and button["url"] in json.dumps(card["body"])
    assert button["url"].startswith(f"{PUBLIC}/documents/")
    return button["url"].removeprefix(PUBLIC)


async def test_a_pdf_link_serves_the_rid_then_tampered_and_expired_links_are_refused(
    teams: tuple[TeamsHarness, SettableClock],
) -> None:
    harness, clock = teams
    path = await _link(harness, "release june-2021 rid version 1.1 pdf")
    got = await harness.http.get(f"{harness.url}{path}")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == 'attachment; filename="rid-june-2021-v1.1.pdf"'
    assert got.headers["cache-control"] == "private, no-store"
    assert "Release Implementation Document" in " ".join(pdf_pages(got.content))
    token = path.removeprefix("/documents/")
    body, signature = token.split(".")
    flipped = body[:-1] + ("A" if body[-1] != "A" else "B")
    for bad in (f"{flipped}.{signature}", f"{body}.{signature[:-2]}", "not-a-token", f"{body}.{body}", "x" * 5000):
        refused = await harness.http.get(f"{harness.url}/documents/{bad}")
        assert refused.status_code == 403, bad[:40]
    # The injected clock moves past the link's two hours: gone, though still signed by us.
    clock.set(DEMO_DAY + timedelta(hours=2, seconds=1))
    assert (await harness.http.get(f"{harness.url}{path}")).status_code == 410
    clock.set(DEMO_DAY + timedelta(hours=1, minutes=59))
    assert (await harness.http.get(f"{harness.url}{path}")).status_code == 200


async def test_a_second_fetch_reuses_the_file(teams: tuple[TeamsHarness, SettableClock]) -> None:
    harness, _ = teams
    path = await _link(harness, "release timeline png")
    async with asyncio.timeout(60):  # built behind the card, while it is read
        while harness.bot.documents.builds < 1 or harness.adapter.chat.tasks:
            await asyncio.sleep(0.05)
    first = await harness.http.get(f"{harness.url}{path}")
    second = await harness.http.get(f"{harness.url}{path}")
    assert first.status_code == second.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.content == second.content and first.content.startswith(b"\x89PNG")
    assert harness.bot.documents.builds == 1


async def test_without_a_public_address_the_card_says_what_to_set(database_url: str) -> None:
    async with teams_harness(database_url) as harness:
        await harness.post(message(harness.connector.url, "release june-2021 rid docx"))
        (call,) = await harness.sent()
        (card,) = call.cards
        shown = json.dumps(card).replace("\\\\", "")  # Markdown escapes the underscores
        assert check_adaptive_card(card) == [] and "RELEASEBOT_PUBLIC_URL" in shown
        assert "/documents/" not in json.dumps(card)
