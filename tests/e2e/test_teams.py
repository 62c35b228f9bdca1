"""The Teams adapter over real HTTP: signed activities in, a fake Bot Connector on loopback out.

Every activity carries a JWT signed by a key the test made, whose JWKS is served on loopback;
the SDK's own validator checks it. Assertions read the cards that reached the fake connector or
came back as invoke responses, each checked against Adaptive Cards 1.5.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from bot.teams.send import TeamsNotInstalledError, TeamsSendError
from commands.context import Context
from commands.render.checks import check_adaptive_card
from domain.reply import Paragraph, Reply, spans
from store.changes import AddMember
from store.teams import find_conversation
from tests.integration.test_render import COMMANDS
from tests.teamsharness import TeamsHarness, teams_harness
from tests.teamsreq import (
    APP_ID,
    BOT_ID,
    ISSUER,
    SigningKeys,
    card_action,
    conversation_update,
    installation_update,
    message,
    user,
)

ADMIN_AAD = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
CHANNEL = "19:releases0000000000000000000000@thread.tacv2"


def text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card.get("actions") or [])


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsHarness]:
    async with teams_harness(database_url) as harness:
        yield harness


async def test_a_personal_message_is_answered_with_a_valid_scope_card(teams: TeamsHarness) -> None:
    response = await teams.post(message(teams.connector.url, "release june-2022 scope"))
    assert response.status_code == 200
    (call,) = await teams.sent()
    assert call.method == "POST" and call.conversation == "a:1personal-chat-with-pat"
    presented = jwt.decode(call.headers["authorization"].removeprefix("Bearer "), options={"verify_signature": False})
    assert presented["scope"] == "https://api.botframework.com/.default"  # the bot's own Bot Framework token
    assert call.body["from"]["id"] == BOT_ID and call.body["conversation"]["id"] == "a:1personal-chat-with-pat"
    (card,) = call.cards
    assert check_adaptive_card(card) == []
    assert "June 2022 SEC Release scope" in text(card) and "MP099" in text(card)


async def test_a_channel_mention_is_stripped_and_answered_in_its_thread(teams: TeamsHarness) -> None:
    thread = f"{CHANNEL};messageid=1700000000123"
    activity = message(
        teams.connector.url,
        "mod MP122A",
        conversation=thread,
        conversation_type="channel",
        mention=True,
        team=CHANNEL,
        name="Releases",
    )
    assert (await teams.post(activity)).status_code == 200
    (call,) = await teams.sent()
    assert call.conversation == thread  # the reply goes into the thread it was asked in
    (card,) = call.cards
    assert check_adaptive_card(card) == []
    assert "Operational Metrics" in text(card) and "know the command" not in text(card)


async def test_group_chat_with_and_without_a_mention(teams: TeamsHarness) -> None:
    chat = "19:groupchat-sec-panel@thread.v2"
    plain = message(teams.connector.url, "workdays 2016-11-23 +10", conversation=chat, conversation_type="groupChat")
    mentioned = message(
        teams.connector.url, "june-2022", conversation=chat, conversation_type="groupChat", mention=True
    )
    assert (await teams.post(plain)).status_code == 200
    assert (await teams.post(mentioned)).status_code == 200
    first, second = await teams.sent(2)
    assert "Wed 7 Dec 2016" in text(first.cards[0])
    assert "June 2022 SEC Release" in text(second.cards[0])
    assert all(check_adaptive_card(c.cards[0]) == [] for c in (first, second))


async def test_an_empty_mention_gets_help(teams: TeamsHarness) -> None:
    activity = message(
        teams.connector.url,
        "",
        conversation=f"{CHANNEL};messageid=1",
        conversation_type="channel",
        mention=True,
        team=CHANNEL,
    )
    await teams.post(activity)
    card = (await teams.sent())[0].cards[0]
    assert check_adaptive_card(card) == [] and "/release" in text(card)


async def test_markup_and_entities_teams_adds_are_not_part_of_the_command(teams: TeamsHarness) -> None:
    activity = message(teams.connector.url, "<p>mod&nbsp;MP122A</p>", mention=True)
    await teams.post(activity)
    card = (await teams.sent())[0].cards[0]
    assert "Operational Metrics" in text(card)


async def test_forged_expired_and_unsigned_activities_get_401(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    activity = message(teams.connector.url, "release june-2022 scope")
    url = teams.connector.url
    attacker = SigningKeys(kid=teams.keys.kid)  # same key id, another key
    now = int(time.time())
    refused = {
        "no token": None,
        "not a JWT": "not-a-jwt",
        "forged": attacker.token(url),
        "expired": teams.keys.token(url, expires_in=-3600),
        "issued for another bot": teams.keys.token(url, audience="11111111-2222-3333-4444-555555555555"),
        "wrong issuer": teams.keys.token(url, issuer="https://evil.example"),
        "for another service URL": teams.keys.token("https://smba.evil.example/teams"),
        "unsigned (alg none)": jwt.encode(
            {"iss": ISSUER, "aud": APP_ID, "serviceurl": url, "exp": now + 600}, None, algorithm="none"
        ),  # type: ignore[arg-type]
        "unknown key id": teams.keys.sign(
            {"iss": ISSUER, "aud": APP_ID, "serviceurl": url, "iat": now, "exp": now + 600}, kid="other"
        ),
    }
    with caplog.at_level(logging.INFO):
        for why, token in refused.items():
            response = await teams.post(activity, token=token)
            assert response.status_code == 401, (why, response.status_code, response.text)
    assert teams.connector.calls == []
    # One short line of ours per refusal; none of the SDK's (which would quote the request's URL).
    ours = [r for r in caplog.records if r.getMessage().startswith("refused a request to /api/messages")]
    assert len(ours) == len(refused) and all(r.levelno == logging.INFO for r in ours)
    assert not [r for r in caplog.records if r.name.startswith("microsoft_teams") and r.levelno >= logging.WARNING]
    assert (await teams.post(activity)).status_code == 200  # the same activity, properly signed
    await teams.sent()


async def test_unreadable_and_oversized_bodies_are_refused_before_the_sdk(teams: TeamsHarness) -> None:
    auth = {"authorization": f"Bearer {teams.token()}", "content-type": "application/json"}
    url = f"{teams.url}/api/messages"
    assert (await teams.http.post(url, content=b"{not json", headers=auth)).status_code == 400
    assert (await teams.http.post(url, content=b"[1, 2]", headers=auth)).status_code == 400
    assert (await teams.http.post(url, content=b"x" * (1 << 21), headers=auth)).status_code == 413
    assert teams.connector.calls == []


async def test_a_teams_admin_changes_state_and_the_audit_names_the_teams_id(teams: TeamsHarness) -> None:
    await teams.bot.writer.write(AddMember("test", "teams", ADMIN_AAD, "admin", "Tess Admin"))
    admin = user(aad=ADMIN_AAD.upper(), teams_id="29:1-tess", name="Tess A.")  # Teams may send the GUID in capitals
    stranger = user(aad="00000000-1111-4222-8333-444444444444", teams_id="29:1-someone", name="Someone")
    await teams.post(message(teams.connector.url, "release june-2022 approve MP099", sender=stranger))
    refused = (await teams.sent())[0].cards[0]
    assert "only release admins" in text(refused)
    await teams.post(
        message(teams.connector.url, "release june-2022 approve MP099 Change Board approved", sender=admin)
    )
    done = (await teams.sent(2))[1].cards[0]
    assert check_adaptive_card(done) == [] and "Approved MP099" in text(done)
    await teams.post(message(teams.connector.url, "release audit", sender=admin))
    audit = (await teams.sent(3))[2].cards[0]
    assert f"Tess Admin (teams:{ADMIN_AAD}) · Approved MP099" in text(audit)
    # The Undo button on the change card: an Action.Execute that runs `/release undo` as the clicker.
    undo = next(a for a in actions(done) if a["title"] == "Undo")
    assert undo["verb"] == "releasebot.command"
    response = await teams.post(card_action(teams.connector.url, undo["verb"], undo["data"], sender=admin))
    assert response.status_code == 200
    body = response.json()
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert check_adaptive_card(body["value"]) == [] and "Undid: Approved MP099" in text(body["value"])
    # A change is everyone's news: it is also posted to the conversation.
    posted = (await teams.sent(4))[3]
    assert posted.method == "POST" and "Undid: Approved MP099" in text(posted.cards[0])
    assert "MP099" in text(await _scope_card(teams))


async def _scope_card(teams: TeamsHarness) -> dict[str, Any]:
    before = len(teams.connector.calls)
    await teams.post(message(teams.connector.url, "release june-2022 scope"))
    return (await teams.sent(before + 1))[-1].cards[0]


async def test_the_next_page_button_returns_page_2_for_the_clicker(teams: TeamsHarness) -> None:
    await teams.post(message(teams.connector.url, "release june-2021 rid"))
    first = (await teams.sent())[0].cards[0]
    pages = int(re.search(r"page 1 of (\d+)", text(first)).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    nxt = next(a for a in actions(first) if a["title"].startswith("Next"))
    assert nxt["type"] == "Action.Execute" and nxt["verb"] == "releasebot.page" and nxt["data"]["p"] == 2
    response = await teams.post(card_action(teams.connector.url, nxt["verb"], nxt["data"]))
    assert response.status_code == 200
    second = response.json()["value"]
    assert check_adaptive_card(second) == []
    assert f"page 2 of {pages}" in text(second) and second != first
    assert len(teams.connector.calls) == 1  # a page replaces the card: nothing new is posted


async def test_a_release_view_button_reruns_its_command_for_the_clicker(teams: TeamsHarness) -> None:
    await teams.post(message(teams.connector.url, "release june-2021"))
    summary = (await teams.sent())[0].cards[0]
    scope = next(a for a in actions(summary) if a["title"] == "Scope")
    response = await teams.post(card_action(teams.connector.url, scope["verb"], scope["data"]))
    card = response.json()["value"]
    assert check_adaptive_card(card) == [] and "June 2021 SEC Release scope" in text(card) and "MP147" in text(card)


async def test_a_share_button_posts_the_answer_saying_who_shared_it(teams: TeamsHarness) -> None:
    response = await teams.post(
        card_action(teams.connector.url, "releasebot.share", {"c": "release june-2021 costs", "p": 1})
    )
    mine = response.json()["value"]
    (posted,) = await teams.sent()
    for card in (mine, posted.cards[0]):
        assert check_adaptive_card(card) == [] and "Shared by Pat Teams" in text(card) and "June 2021" in text(card)


async def test_a_change_clicked_while_the_connector_is_down_is_still_shown_to_the_clicker(teams: TeamsHarness) -> None:
    await teams.bot.writer.write(AddMember("test", "teams", ADMIN_AAD, "admin", "Tess Admin"))
    admin = user(aad=ADMIN_AAD, teams_id="29:1-tess", name="Tess")
    await teams.post(message(teams.connector.url, "release june-2022 approve MP099", sender=admin))
    await teams.sent()
    teams.connector.script(503)
    response = await teams.post(
        card_action(teams.connector.url, "releasebot.command", {"c": "/release undo", "p": 1}, sender=admin)
    )
    assert response.status_code == 200 and "Undid: Approved MP099" in text(response.json()["value"])
    assert (await teams.sent(2))[1].method == "POST"  # it was tried


async def test_card_actions_teams_sends_that_sdk_2_1_1_would_reject_are_answered(teams: TeamsHarness) -> None:
    automatic = card_action(
        teams.connector.url, "releasebot.page", {"c": "release june-2021 rid", "p": 2}, trigger="automatic"
    )
    response = await teams.post(automatic)
    assert response.status_code == 200 and "page 2 of" in text(response.json()["value"])
    no_data = card_action(teams.connector.url, "releasebot.page", None)
    response = await teams.post(no_data)
    assert response.status_code == 200 and check_adaptive_card(response.json()["value"]) == []
    foreign = card_action(teams.connector.url, "someone.else", {"x": 1})
    response = await teams.post(foreign)
    assert response.status_code == 200 and "no longer does anything" in text(response.json()["value"])


async def test_acting_buttons_go_through_press_as_the_clicker(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str, str | None, str]] = []

    async def snooze(value: str, ctx: Context) -> Reply:
        seen.append((value, ctx.actor.label, ctx.actor.role, ctx.channel.id if ctx.channel else ""))
        return Reply("Snoozed", (Paragraph(spans(f"Snoozed {value} for {ctx.actor.name}")),), public=value == "loud")

    monkeypatch.setitem(teams.bot.table.buttons, "snooze", snooze)
    alex = user(
        aad="6f1c2a8e-4b7d-4e0a-9c35-2d8e1f0a7b11", teams_id="29:1-alex", name="Alex M"
    )  # a panel member in the demo data
    response = await teams.post(card_action(teams.connector.url, "releasebot.snooze", {"value": "r-42"}, sender=alex))
    card = response.json()["value"]
    assert check_adaptive_card(card) == [] and "Snoozed r-42 for Alex Marsh" in text(card)
    assert seen == [
        ("r-42", "Alex Marsh (teams:6f1c2a8e-4b7d-4e0a-9c35-2d8e1f0a7b11)", "panel", "a:1personal-chat-with-pat")
    ]
    assert teams.connector.calls == []  # a private answer only replaces the clicker's card
    await teams.post(card_action(teams.connector.url, "releasebot.snooze", {"value": "loud"}, sender=alex))
    assert "Snoozed loud" in text((await teams.sent())[0].cards[0])  # a public one is posted too


async def test_install_stores_the_conversation_and_send_card_reaches_it(teams: TeamsHarness) -> None:
    region = f"{teams.connector.url}/emea/"
    await teams.post(
        installation_update(region, "add", CHANNEL, "channel", team=CHANNEL), token=teams.keys.token(region)
    )
    stored = await find_conversation(teams.bot.db, CHANNEL)
    assert stored is not None and stored.installed and stored.kind == "channel" and stored.team_id == CHANNEL
    assert stored.service_url == region and "user" not in stored.reference
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "Go/no-go in 3 WD", "wrap": True}],
    }
    message_id = await teams.adapter.send_card(CHANNEL, card)
    (call,) = await teams.sent()
    assert call.method == "POST" and call.prefix == "/emea" and call.conversation == CHANNEL
    assert call.cards == [card] and message_id.startswith("1700000000")
    assert call.headers["authorization"].startswith("Bearer ")
    # The same through a stored reference instead of an id.
    assert await teams.adapter.send_card(stored.reference, card)
    await teams.sent(2)
    # Removed from the team: nothing more goes there.
    await teams.post(
        installation_update(region, "remove", CHANNEL, "channel", team=CHANNEL), token=teams.keys.token(region)
    )
    with pytest.raises(TeamsNotInstalledError):
        await teams.adapter.send_card(CHANNEL, card)
    with pytest.raises(TeamsNotInstalledError):
        await teams.adapter.send_card("19:never-seen@thread.v2", card)


async def test_bot_added_to_a_group_chat_is_stored_and_other_members_are_ignored(teams: TeamsHarness) -> None:
    chat = "19:groupchat-added@thread.v2"
    await teams.post(conversation_update(teams.connector.url, chat, "groupChat", added=["29:1-someone-else"]))
    assert await find_conversation(teams.bot.db, chat) is None
    await teams.post(conversation_update(teams.connector.url, chat, "groupChat", added=[BOT_ID]))
    stored = await find_conversation(teams.bot.db, chat)
    assert stored is not None and stored.installed and stored.kind == "groupChat"
    await teams.post(conversation_update(teams.connector.url, chat, "groupChat", removed=[BOT_ID]))
    stored = await find_conversation(teams.bot.db, chat)
    assert stored is not None and not stored.installed


async def test_every_message_keeps_the_reference_current(teams: TeamsHarness) -> None:
    moved = f"{teams.connector.url}/amer/"
    thread = f"{CHANNEL};messageid=1700000000999"
    await teams.post(
        message(
            teams.connector.url,
            "june-2022",
            conversation=thread,
            conversation_type="channel",
            mention=True,
            team=CHANNEL,
            name="Releases",
        )
    )
    await teams.sent()
    first = await find_conversation(teams.bot.db, CHANNEL)  # the channel, not the thread
    assert first is not None and first.service_url == teams.connector.url and first.name == "Releases"
    activity = message(moved, "june-2022", conversation=thread, conversation_type="channel", mention=True, team=CHANNEL)
    await teams.post(activity, token=teams.keys.token(moved))
    await teams.sent(2)
    second = await find_conversation(teams.bot.db, CHANNEL)
    assert second is not None and second.service_url == moved and second.name == "Releases"
    await teams.adapter.send_card(
        CHANNEL, {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}
    )
    assert (await teams.sent(3))[2].prefix == "/amer"


async def test_send_card_reports_throttling_with_retry_after(teams: TeamsHarness) -> None:
    await teams.post(installation_update(teams.connector.url, "add", "a:1personal-chat-with-pat", "personal"))
    teams.connector.script(429, headers={"Retry-After": "7"})
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}
    with pytest.raises(TeamsSendError) as raised:
        await teams.adapter.send_card("a:1personal-chat-with-pat", card)
    assert raised.value.status == 429 and raised.value.retry_after == 7.0 and raised.value.retryable
    teams.connector.script(403, body={"error": {"code": "BotNotInConversationRoster"}})
    with pytest.raises(TeamsSendError) as raised:
        await teams.adapter.send_card("a:1personal-chat-with-pat", card)
    assert raised.value.status == 403 and not raised.value.retryable


async def test_a_failure_while_answering_is_apologised_for(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(teams.bot.answers, "answer_rendered", broken)
    response = await teams.post(message(teams.connector.url, "release june-2022 scope"))
    assert response.status_code == 200
    card = (await teams.sent())[0].cards[0]
    assert check_adaptive_card(card) == [] and "Something went wrong on my side" in text(card)
    clicked = await teams.post(
        card_action(teams.connector.url, "releasebot.page", {"c": "release june-2021 rid", "p": 2})
    )
    assert clicked.status_code == 200 and "Something went wrong on my side" in text(clicked.json()["value"])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_reply_kind_reaches_teams_as_a_valid_card(teams: TeamsHarness) -> None:
    await teams.bot.writer.write(AddMember("test", "teams", ADMIN_AAD, "admin", "Tess Admin"))
    admin = user(aad=ADMIN_AAD, teams_id="29:1-tess", name="Tess")
    # The render tests' commands, typed as a Teams user types them (a leading / is fine too).
    for n, line in enumerate(COMMANDS, start=1):
        assert (await teams.post(message(teams.connector.url, line, sender=admin))).status_code == 200, line
        card = (await teams.sent(n))[-1].cards[0]
        assert check_adaptive_card(card) == [], (line, check_adaptive_card(card))
    kinds = " ".join(text(call.cards[0]) for call in teams.connector.calls)
    assert "Approved MP099" in kinds and "Undid" in kinds and "Did you mean" in kinds
