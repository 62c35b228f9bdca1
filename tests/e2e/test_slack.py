"""The Slack app over real HTTP, against a fake Slack Web API on loopback.

Requests are signed like Slack signs them; assertions read the JSON Slack would render and the
calls that reached the fake Web API.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import bot.slack.slash as slash_module
from bot.app import create_bot, load_settings
from bot.core import Releasebot
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from commands.render.checks import check_slack_blocks, check_slack_view
from store.synthetic import generate
from tests.fakeslack import FakeSlack
from tests.servers import serve
from tests.slackreq import SECRET, block_action, event, signed, slash, view_submission

ADMIN, PANEL, OBSERVER = "U0ADMIN01", "U0PANEL01", "U0OBSERV1"


@dataclass
class Harness:
    url: str
    http: httpx.AsyncClient
    fake: FakeSlack
    bot: Releasebot

    async def post(
        self, body: str, content_type: str = "application/x-www-form-urlencoded", ts: int | None = None, **headers: str
    ) -> httpx.Response:
        return await self.http.post(
            f"{self.url}/slack/events", content=body, headers=signed(body, content_type, ts=ts, **headers)
        )

    async def command(self, text: str, user: str = ADMIN, command: str = "/release", **kw: str) -> httpx.Response:
        return await self.post(slash(command, text, user=user, response_url=self.fake.response_url(), **kw))

    async def event(
        self, inner: dict[str, Any], event_id: str | None = None, ts: int | None = None, **headers: str
    ) -> httpx.Response:
        return await self.post(event(inner, event_id), "application/json", ts=ts, **headers)


def texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[Harness]:
    async with FakeSlack() as fake:
        settings = load_settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        bot = create_bot(settings)
        adapter = SlackAdapter(bot, settings)
        bot.services.add(adapter)
        web = create_web_app(bot, routes=adapter.routes())
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=10) as http:
            yield Harness(url, http, fake, bot)


async def test_slash_command_answers_privately_with_valid_blocks_and_a_share_button(slack: Harness) -> None:
    response = await slack.command("june-2021 scope", user=OBSERVER)
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert check_slack_blocks(body["blocks"]) == []
    assert "MP147" in texts(body["blocks"]) and "SMKI Full Extract" in texts(body["blocks"])
    share = [
        e
        for b in body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("releasebot_share")
    ]
    assert len(share) == 1
    # Sharing posts the same answer in the channel, saying who shared it.
    await slack.post(
        block_action(share[0]["action_id"], share[0]["value"], user=OBSERVER, response_url=slack.fake.response_url("s"))
    )
    posted = (await slack.fake.wait_for("response"))[0].body
    assert posted["response_type"] == "in_channel" and "MP147" in texts(posted["blocks"])
    assert "Shared by" in texts(posted["blocks"])


async def test_public_answers_in_channel_and_every_command_name_works(slack: Harness) -> None:
    assert (await slack.command("june-2021 public")).json()["response_type"] == "in_channel"
    mod = (await slack.command("MP 122A", command="/mod")).json()
    assert "Operational Metrics" in texts(mod["blocks"])
    days = (await slack.command("2016-11-23 +10", command="/workdays")).json()
    assert "Wed 7 Dec 2016" in texts(days["blocks"])


async def test_text_mentioning_payload_is_still_a_command(slack: Harness) -> None:
    # bolt parses a form body containing the word "payload" as empty; the guard's parser does not.
    response = await slack.command("find payload")
    assert response.status_code == 200 and "payload" in texts(response.json()["blocks"])


async def test_forged_stale_replayed_and_unsigned_requests_get_401(slack: Harness) -> None:
    body = slash("/release", "june-2021 scope")
    url = f"{slack.url}/slack/events"
    forged = signed(body, secret="not-the-secret")
    assert (await slack.http.post(url, content=body, headers=forged)).status_code == 401
    stale = signed(body, ts=int(time.time()) - 301)
    assert (await slack.http.post(url, content=body, headers=stale)).status_code == 401
    fresh = signed(body)
    assert (await slack.http.post(url, content=body, headers=fresh)).status_code == 200
    assert (await slack.http.post(url, content=body, headers=fresh)).status_code == 401  # replayed
    assert (await slack.http.post(url, content=body)).status_code == 401
    garbage_ts = {**signed(body), "x-slack-request-timestamp": "abc"}
    assert (await slack.http.post(url, content=body, headers=garbage_ts)).status_code == 401
    tampered = body.replace("june-2021", "june-2022")
    assert (await slack.http.post(url, content=tampered, headers=signed(body))).status_code == 401
    unreadable = "payload=%7Bnot-json"
    assert (await slack.post(unreadable)).status_code == 400
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_url_verification_challenge(slack: Harness) -> None:
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    response = await slack.post(body, "application/json")
    assert response.status_code == 200 and response.json()["challenge"] == "c-123"


async def test_admin_change_is_public_and_audited_with_the_slack_user(slack: Harness) -> None:
    refused = (await slack.command("june-2022 approve MP099", user=PANEL)).json()
    assert refused["response_type"] == "ephemeral" and "only release admins" in texts(refused["blocks"])
    done = (await slack.command("june-2022 approve MP099 Change Board approved")).json()
    assert done["response_type"] == "in_channel" and "Approved MP099" in texts(done["blocks"])
    audit = (await slack.command("audit")).json()
    assert "Demo Secretary (slack:U0ADMIN01) · Approved MP099" in texts(audit["blocks"])
    undo = [e for b in done["blocks"] if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "Undo"]
    await slack.post(block_action(undo[0]["action_id"], undo[0]["value"], response_url=slack.fake.response_url("u")))
    undone = (await slack.fake.wait_for("response"))[0].body
    assert "Undid: Approved MP099" in texts(undone["blocks"])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_200_scope_rows_page_with_buttons(slack: Harness) -> None:
    await generate(slack.bot.db, releases=1, mods_per_release=200, start_year=2031)
    await slack.bot.read_model.load()
    first = (await slack.command("february-2031 scope")).json()
    assert check_slack_blocks(first["blocks"]) == []
    pages = int(re.search(r"page 1 of (\d+)", texts(first["blocks"])).group(1))  # type: ignore[union-attr]
    refs = set(re.findall(r"MP\d{4}", texts(first["blocks"])))
    current = first
    for page in range(2, pages + 1):
        nxt = next(
            e
            for b in current["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["text"]["text"].startswith("Next")
        )
        await slack.post(block_action(nxt["action_id"], nxt["value"], response_url=slack.fake.response_url(f"p{page}")))
        current = (await slack.fake.wait_for("response", count=page - 1))[-1].body
        assert current["replace_original"] is True
        assert check_slack_blocks(current["blocks"]) == [] and len(current["blocks"]) <= 50
        assert f"page {page} of {pages}" in texts(current["blocks"])
        refs |= set(re.findall(r"MP\d{4}", texts(current["blocks"])))
    assert len(refs) == 200


async def test_slow_answers_are_acked_then_finished_through_response_url(
    slack: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slash_module, "ACK_BUDGET_SECONDS", 0.05)
    answer = slack.bot.answers.answer_rendered

    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.3)  # e.g. a RID of a big release rendered for the first time
        return await answer(*args, **kwargs)

    monkeypatch.setattr(slack.bot.answers, "answer_rendered", slow)
    started = time.monotonic()
    ack = await slack.command("june-2021 rid")
    assert time.monotonic() - started < 3
    assert "Working on it" in ack.text
    finished = (await slack.fake.wait_for("response"))[0].body
    assert "Release Implementation Document" in texts(finished["blocks"])
    assert check_slack_blocks(finished["blocks"]) == []


async def test_modal_for_admins_pre_filled_and_applied(slack: Harness) -> None:
    refused = (await slack.command("june-2022 edit", user=PANEL)).json()
    assert "only release admins" in refused["text"]
    assert (await slack.command("november-2021 edit")).status_code == 200
    opened = (await slack.fake.wait_for("views.open"))[0].body
    view = opened["view"]
    assert check_slack_view(view) == []
    mods = next(b for b in view["blocks"] if b.get("block_id") == "mod")["element"]["options"]
    assert {"MP077", "MP090", "SECMP0007"} <= {o["value"] for o in mods}
    # Removing without a reason is refused in the modal itself.
    values = {
        "action": {"value": {"type": "static_select", "selected_option": {"value": "remove"}}},
        "mod": {"value": {"type": "static_select", "selected_option": {"value": "MP077"}}},
    }
    answer = (await slack.post(view_submission(view, values))).json()
    assert answer["response_action"] == "errors" and "reason" in answer["errors"]
    values = {
        "action": {"value": {"type": "static_select", "selected_option": {"value": "move"}}},
        "mod": {"value": {"type": "static_select", "selected_option": {"value": "MP077"}}},
        "target": {"value": {"type": "static_select", "selected_option": {"value": "june-2022"}}},
        "reason": {"value": {"type": "plain_text_input", "value": "DCC capacity"}},
    }
    ok = await slack.post(view_submission(view, values))
    assert ok.status_code == 200 and not ok.content.strip()
    posted = (await slack.fake.wait_for("chat.postMessage"))[0].body
    assert posted["channel"] == "C0RELEASES" and "Moved MP077" in texts(posted["blocks"])
    scope = (await slack.command("june-2022 scope")).json()
    assert "MP077" in texts(scope["blocks"])


async def test_milestone_modal_adds_a_milestone(slack: Harness) -> None:
    await slack.command("june-2022 edit milestone")
    view = (await slack.fake.wait_for("views.open"))[0].body["view"]
    assert check_slack_view(view) == []
    values = {
        "milestone": {"value": {"type": "static_select", "selected_option": {"value": "__new__"}}},
        "kind": {"value": {"type": "static_select", "selected_option": {"value": "go_no_go"}}},
        "title": {"value": {"type": "plain_text_input", "value": "Panel go/no-go"}},
        "date": {"value": {"type": "datepicker", "selected_date": "2022-06-10"}},
        "time": {"value": {"type": "timepicker", "selected_time": "14:00"}},
    }
    assert (await slack.post(view_submission(view, values))).status_code == 200
    await slack.fake.wait_for("chat.postMessage")
    timeline = (await slack.command("june-2022 timeline")).json()
    assert "Fri 10 Jun 2022 14:00" in texts(timeline["blocks"])


async def test_edit_with_a_reference_opens_the_scope_form_with_it_selected(slack: Harness) -> None:
    assert (await slack.command("november-2021 edit scope mp77")).status_code == 200
    view = (await slack.fake.wait_for("views.open"))[0].body["view"]
    mod = next(b for b in view["blocks"] if b.get("block_id") == "mod")["element"]
    assert mod["initial_option"]["value"] == "MP077"
    missing = (await slack.command("june-2023 edit")).json()
    assert "There is no release `june-2023`" in texts(missing["blocks"])


async def test_mention_answers_in_thread_once_even_when_slack_retries(slack: Harness) -> None:
    inner = {
        "type": "app_mention",
        "user": OBSERVER,
        "text": "<@U0BOT> june-2022 scope",
        "ts": "1700000000.000200",
        "channel": "C0RELEASES",
        "event_ts": "1700000000.000200",
    }
    first = await slack.event(inner, event_id="Ev0001")
    assert first.status_code == 200
    posted = (await slack.fake.wait_for("chat.postMessage"))[0].body
    assert posted["thread_ts"] == "1700000000.000200" and "MP099" in texts(posted["blocks"])
    # A retry is a new delivery: new timestamp, new signature, same event id.
    retry = await slack.event(
        inner,
        event_id="Ev0001",
        ts=int(time.time()) + 1,
        **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"},
    )
    assert retry.status_code == 200 and retry.json()["duplicate"] == "Ev0001"
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_direct_message_is_answered_in_the_dm(slack: Harness) -> None:
    inner = {
        "type": "message",
        "channel_type": "im",
        "user": OBSERVER,
        "text": "mod SECMP20",
        "ts": "1.2",
        "channel": "D0OBSERV",
    }
    await slack.event(inner)
    posted = (await slack.fake.wait_for("chat.postMessage"))[0].body
    assert posted["channel"] == "D0OBSERV" and "thread_ts" not in posted
    assert "SECMP0020" in texts(posted["blocks"])


async def test_app_home_shows_deadlines_and_releases_in_flight(slack: Harness) -> None:
    import time_machine

    with time_machine.travel("2021-01-11 09:00 +0000", tick=True):
        await slack.bot.read_model.load()
        await slack.event(
            {"type": "app_home_opened", "user": PANEL, "channel": "D0PANEL", "tab": "home", "event_ts": "1.3"}
        )
        published = (await slack.fake.wait_for("views.publish"))[0].body
    view = published["view"]
    assert published["user_id"] == PANEL and check_slack_view(view) == []
    body = texts(view["blocks"])
    assert "Next deadlines" in body and "Wed 20 Jan 2021" in body  # MP092 / MP106 Change Board votes
    assert "in 7 WD" in body
    assert "February 2021 SEC Release" in body and "Releases in flight" in body


async def test_web_api_429_is_retried_after_retry_after(slack: Harness) -> None:
    slack.fake.script(
        "chat.postMessage", status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "1"}
    )
    inner = {
        "type": "app_mention",
        "user": OBSERVER,
        "text": "<@U0BOT> june-2022",
        "ts": "5.5",
        "channel": "C0RELEASES",
    }
    await slack.event(inner)
    calls = await slack.fake.wait_for("chat.postMessage", count=2, timeout=15)
    assert calls[1].at - calls[0].at >= 1.0
    assert "June 2022 SEC Release" in texts(calls[1].body["blocks"])


async def test_web_api_500_is_retried(slack: Harness) -> None:
    slack.fake.script("chat.postMessage", status=500, body={"ok": False, "error": "fatal_error"})
    await slack.event(
        {"type": "app_mention", "user": OBSERVER, "text": "<@U0BOT> june-2022", "ts": "6.6", "channel": "C0RELEASES"}
    )
    calls = await slack.fake.wait_for("chat.postMessage", count=2, timeout=15)
    assert "June 2022 SEC Release" in texts(calls[1].body["blocks"])


async def test_store_unavailable_is_answered_within_three_seconds(slack: Harness) -> None:
    # A database that accepts connections and never answers: the write gives up, the user is told.
    import socket

    from store.db import Database

    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(16)
    healthy = slack.bot.db
    hung = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{blackhole.getsockname()[1]}/test")
    slack.bot.db = slack.bot.writer.db = hung  # health checks read the one, writes go through the other
    try:
        started = time.monotonic()
        response = await slack.command("june-2022 approve MP099")
        elapsed = time.monotonic() - started
        assert response.status_code == 200 and elapsed < 3.0, elapsed
        assert "release store is unavailable" in texts(response.json()["blocks"])
        # Reads come from the read model and still work.
        assert "MP099" in texts((await slack.command("june-2022 scope")).json()["blocks"])
        health = await slack.http.get(f"{slack.url}/healthz")
        assert health.status_code == 503 and health.json()["store"] == "unavailable"
    finally:
        blackhole.close()
        await hung.dispose()
        slack.bot.db = slack.bot.writer.db = healthy


async def test_listener_failure_still_acks_with_an_apology(slack: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(slack.bot.answers, "answer_rendered", broken)
    response = await slack.command("june-2021 scope")
    assert response.status_code == 200
    assert "Something went wrong on my side" in texts(response.json()["blocks"])


async def test_healthz(slack: Harness) -> None:
    health = (await slack.http.get(f"{slack.url}/healthz")).json()
    assert health["ok"] is True and health["state_version"] == health["stored_version"]


async def test_no_retry_loop_needed_for_concurrent_commands(slack: Harness) -> None:
    responses = await asyncio.gather(*(slack.command(f"june-2021 scope page {n % 3 + 1}") for n in range(30)))
    assert all(r.status_code == 200 for r in responses)


async def test_response_url_429_is_retried_after_retry_after(slack: Harness) -> None:
    slack.fake.script("response", status=429, body={"ok": False}, headers={"Retry-After": "1"})
    share = next(
        e
        for b in (await slack.command("june-2021", user=OBSERVER)).json()["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("releasebot_share")
    )
    await slack.post(
        block_action(share["action_id"], share["value"], user=OBSERVER, response_url=slack.fake.response_url("r429"))
    )
    calls = await slack.fake.wait_for("response", count=2, timeout=15)
    assert calls[1].at - calls[0].at >= 1.0
    assert calls[1].body["response_type"] == "in_channel"


async def test_oversized_or_oddly_signed_requests_are_refused_without_a_traceback(
    slack: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"{slack.url}/slack/events"
    huge = b"x" * (2 << 20)
    stale = {"x-slack-request-timestamp": str(int(time.time()) - 301), "x-slack-signature": "v0=00"}
    assert (await slack.http.post(url, content=huge, headers=stale)).status_code == 401
    fresh = {"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=00"}
    assert (await slack.http.post(url, content=huge, headers=fresh)).status_code == 413
    odd = {"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=\u00e9"}
    assert (
        await slack.http.post(url, content=b"token=x", headers={k: v.encode("latin-1") for k, v in odd.items()})
    ).status_code == 401
    assert "Traceback" not in caplog.text
