"""Panel go/no-go polls: in the command core, and over HTTP against the fake Slack Web API."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app import background_services, create_bot, load_settings
from bot.core import Releasebot
from bot.slack.app import SlackAdapter
from bot.web import create_web_app
from commands.render import render_text
from commands.render.checks import check_slack_blocks, check_slack_view
from store import polls as poll_store
from store.changes import AddMember
from tests.fakeslack import FakeSlack
from tests.helpers import ask, reply
from tests.servers import serve
from tests.slackreq import SECRET, block_action, signed, slash

ADMIN, PANEL, OBSERVER = "console", "U0PANEL01", "observer"


def later(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


async def test_poll_in_the_command_core(bot: Releasebot) -> None:
    refused = await reply(bot, f"/release june-2022 vote open closes {later()}", user=PANEL)
    assert refused.is_error and "only release admins" in render_text(refused)
    opened = await reply(bot, f'/release june-2022 vote open closes {later()} 12:00 quorum 2 "Go live on 30 June?"')
    assert opened.kind == "changed" and opened.meta["publish"] == "1", render_text(opened)
    assert "Go live on 30 June?" in render_text(opened) and "0 of 5 Panel members" in render_text(opened)
    again = await reply(bot, f"/release june-2022 vote open closes {later()}")
    assert again.is_error and "already has an open poll" in render_text(again)
    assert "only Panel members" in render_text(await reply(bot, "/release june-2022 vote go", user=OBSERVER)).replace(
        "Only", "only"
    )
    assert (await reply(bot, "/release june-2022 vote go", user="U0STRANGER")).is_error
    for user, choice in (("U0PANEL01", "go"), ("U0PANEL02", "no-go"), ("U0PANEL01", "no-go"), ("U0PANEL03", "abstain")):
        done = await reply(bot, f"/release june-2022 vote {choice} looks fine", user=user)
        assert not done.is_error, render_text(done)
    status = await ask(bot, "/release june-2022 vote status")
    assert "3 of 5" in status and "Not voted yet (2)" in status
    shown = await ask(bot, "/release june-2022 vote", user=OBSERVER)
    assert "Go 0 · No-go 2 · Abstain 1" in shown
    closed = await reply(bot, "/release june-2022 vote close")
    assert closed.kind == "changed" and "NO-GO (0 go, 2 no-go, 1 abstain)" in render_text(closed)
    after = await reply(bot, "/release june-2022 vote go", user="U0PANEL04")
    assert after.is_error and "closed" in render_text(after)
    timeline = await ask(bot, "/release june-2022 timeline")
    assert "Panel go/no-go decision: NO-GO (0 go, 2 no-go, 1 abstain)" in timeline
    audit = await ask(bot, "/release audit 20")
    assert audit.count("Vote on poll") == 4 and "Closed poll" in audit
    # Undo reopens it and takes the decision off the timeline.
    await reply(bot, "/release undo")
    assert "Panel go/no-go decision" not in await ask(bot, "/release june-2022 timeline")
    assert not (await reply(bot, "/release june-2022 vote go", user="U0PANEL04")).is_error


async def test_quorum_tie_and_default_close_from_the_go_no_go_milestone(bot: Releasebot) -> None:
    needs = await reply(bot, "/release june-2022 vote open")
    assert needs.is_error and "closes" in render_text(needs)
    await reply(bot, f"/release june-2022 milestone add go_no_go {later(20)} 14:00 Panel go/no-go")
    opened = await reply(bot, "/release june-2022 vote open quorum 3")
    assert opened.kind == "changed", render_text(opened)
    assert re.search(r"Closes: +\w{3} \d+ \w{3} \d{4} 14:00", render_text(opened))
    await reply(bot, "/release june-2022 vote go", user="U0PANEL01")
    await reply(bot, "/release june-2022 vote no-go", user="U0PANEL02")
    closed = await reply(bot, "/release june-2022 vote close")
    assert "NO QUORUM" in render_text(closed)


async def test_secret_poll_shows_counts_only_until_close(bot: Releasebot) -> None:
    await reply(bot, f"/release june-2022 vote open closes {later()} secret")
    await reply(bot, "/release june-2022 vote go ship it", user="U0PANEL01")
    shown = await ask(bot, "/release june-2022 vote", user=OBSERVER)
    assert "1 of 5 Panel members" in shown and "ship it" not in shown and "Go 1" not in shown
    await reply(bot, "/release june-2022 vote close")
    revealed = await ask(bot, "/release june-2022 vote", user=OBSERVER)
    assert "ship it" in revealed and "GO (1 go, 0 no-go, 0 abstain)" in revealed


# -- over HTTP with Slack ----------------------------------------------------------------------


class Slack:
    def __init__(self, url: str, http: httpx.AsyncClient, fake: FakeSlack, bot: Releasebot) -> None:
        self.url, self.http, self.fake, self.bot = url, http, fake, bot

    async def post(self, body: str) -> httpx.Response:
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=signed(body))


async def _server(database_url: str, fake: FakeSlack) -> tuple[Releasebot, Any]:
    settings = load_settings(
        database_url=database_url, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake.api_url
    )
    bot = create_bot(settings)
    adapter = SlackAdapter(bot, settings)
    bot.services.add(adapter, *background_services(bot, settings, adapter.http))
    return bot, create_web_app(bot, routes=adapter.routes())


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[Slack]:
    async with FakeSlack() as fake:
        bot, web = await _server(database_url, fake)
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=30) as http:
            yield Slack(url, http, fake, bot)


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


async def test_fifty_members_vote_at_once_and_the_tally_is_their_last_vote(slack: Slack) -> None:
    members = [f"U0VOTER{n:02d}" for n in range(50)]
    for n, user in enumerate(members):
        await slack.bot.writer.write(AddMember("test", "slack", user, "panel", f"Voter {n:02d}"))
    opened = await slack.post(
        slash("/release", f"june-2022 vote open closes {later()}", user="U0ADMIN01", channel="C0PANEL")
    )
    assert "is open and posted" in opened.text
    posted = (await slack.fake.wait_for("chat.postMessage"))[0].body
    assert posted["channel"] == "C0PANEL" and check_slack_blocks(posted["blocks"]) == []
    buttons = _buttons(posted["blocks"])
    plan = {user: [("Go", "No-go", "Abstain")[(n + k) % 3] for k in range(1 + n % 3)] for n, user in enumerate(members)}

    async def vote(user: str) -> None:
        for choice in plan[user]:
            response = await slack.post(
                block_action(
                    buttons[choice]["action_id"],
                    buttons[choice]["value"],
                    user=user,
                    channel="C0PANEL",
                    response_url=slack.fake.response_url(user),
                )
            )
            assert response.status_code == 200

    started = time.monotonic()
    await asyncio.gather(*(vote(u) for u in members))
    elapsed = time.monotonic() - started
    expected = {"Go": 0, "No-go": 0, "Abstain": 0}
    for user in members:
        expected[plan[user][-1]] += 1
    presses = sum(len(p) for p in plan.values())
    answers = await slack.fake.wait_for("response", count=presses, timeout=60)
    counted = [a for a in answers if "Your vote on June 2022 SEC Release" in json.dumps(a.body["blocks"])]
    assert len(counted) == presses  # every committed vote is answered "counted", however busy the machine
    view = await slack.bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
    assert len(view.votes) == 50  # one row per member: the unique constraint
    assert {k: view.tally[c] for k, c in (("Go", "go"), ("No-go", "no_go"), ("Abstain", "abstain"))} == expected
    assert sum(v.casts for v in view.votes) == sum(len(p) for p in plan.values())
    # The poll message was updated in place, folding votes together, and ends on the final tally.
    final = f"Go {expected['Go']} · No-go {expected['No-go']} · Abstain {expected['Abstain']}"
    async with asyncio.timeout(120):  # a hang guard, not a speed limit
        while final not in json.dumps([c.body for c in slack.fake.calls_to("chat.update")], ensure_ascii=False):
            await slack.fake.wait_for("chat.update", count=len(slack.fake.calls_to("chat.update")) + 1)
    updates = slack.fake.calls_to("chat.update")
    assert all(u.body["ts"] == view.messages[0][2] and u.body["channel"] == "C0PANEL" for u in updates)
    assert len(updates) < 100, len(updates)
    print(
        f"{sum(len(p) for p in plan.values())} votes from 50 members in {elapsed:.2f} s; {len(updates)} message updates"
    )


async def test_observer_click_refused_and_vote_after_close_refused(slack: Slack) -> None:
    await slack.post(slash("/release", f"june-2022 vote open closes {later()}", user="U0ADMIN01"))
    buttons = _buttons((await slack.fake.wait_for("chat.postMessage"))[0].body["blocks"])
    await slack.post(
        block_action(
            buttons["Go"]["action_id"],
            buttons["Go"]["value"],
            user="U0OBSERV1",
            response_url=slack.fake.response_url("o"),
        )
    )
    refused = (await slack.fake.wait_for("response"))[-1].body
    assert refused["response_type"] == "ephemeral" and "Only Panel members" in json.dumps(refused["blocks"])
    await slack.post(
        block_action(
            buttons["Go"]["action_id"], buttons["Go"]["value"], user=PANEL, response_url=slack.fake.response_url("p")
        )
    )
    counted = (await slack.fake.wait_for("response", count=2))[-1].body
    assert "Your vote on June 2022 SEC Release: Go" in json.dumps(counted["blocks"])
    await slack.post(slash("/release", "june-2022 vote close", user="U0ADMIN01"))
    outcome = [c.body for c in await slack.fake.wait_for("chat.postMessage", count=2)][-1]
    assert outcome.get("thread_ts") and "GO (1 go, 0 no-go, 0 abstain)" in json.dumps(outcome["blocks"])
    await slack.post(
        block_action(
            buttons["No-go"]["action_id"],
            buttons["No-go"]["value"],
            user="U0PANEL02",
            response_url=slack.fake.response_url("late"),
        )
    )
    late = (await slack.fake.wait_for("response", count=3))[-1].body
    assert "closed; votes are no longer accepted" in json.dumps(late["blocks"])
    timeline = (await slack.post(slash("/release", "june-2022 timeline", user="U0OBSERV1"))).json()
    assert "Panel go/no-go decision: GO" in json.dumps(timeline["blocks"])


async def test_comment_modal_home_tab_and_csv(slack: Slack) -> None:
    await slack.post(slash("/release", f"june-2022 vote open closes {later()}", user="U0ADMIN01"))
    buttons = _buttons((await slack.fake.wait_for("chat.postMessage"))[0].body["blocks"])
    await slack.post(block_action(buttons["Comment…"]["action_id"], buttons["Comment…"]["value"], user=PANEL))
    view = (await slack.fake.wait_for("views.open"))[0].body["view"]
    assert check_slack_view(view) == []
    from tests.slackreq import view_submission

    values = {
        "choice": {"value": {"type": "static_select", "selected_option": {"value": "no_go"}}},
        "comment": {"value": {"type": "plain_text_input", "value": "Evidence is late: need the DCC report"}},
    }
    assert (await slack.post(view_submission(view, values, user=PANEL))).status_code == 200
    shown = (await slack.post(slash("/release", "june-2022 vote", user="U0OBSERV1"))).json()
    assert "Evidence is late: need the DCC report" in json.dumps(shown["blocks"])
    # App Home: the Panel member sees their vote with buttons; an admin gets the CSV.
    from tests.slackreq import event

    await slack.http.post(
        f"{slack.url}/slack/events",
        content=(b := event({"type": "app_home_opened", "user": PANEL, "tab": "home"})),
        headers=signed(b, "application/json"),
    )
    home = (await slack.fake.wait_for("views.publish"))[0].body["view"]
    assert check_slack_view(home) == [] and "your vote: No-go" in json.dumps(home["blocks"])
    await slack.http.post(
        f"{slack.url}/slack/events",
        content=(b := event({"type": "app_home_opened", "user": "U0ADMIN01", "tab": "home"})),
        headers=signed(b, "application/json"),
    )
    admin_home = (await slack.fake.wait_for("views.publish", count=2))[1].body["view"]
    csv_button = _buttons(admin_home["blocks"])["Votes as CSV"]
    await slack.post(block_action(csv_button["action_id"], csv_button["value"], user="U0ADMIN01"))
    upload = (await slack.fake.wait_for("upload"))[0].body["content"]
    rows = list(csv.DictReader(io.StringIO(upload)))
    assert len(rows) == 5 and {r["vote"] for r in rows} == {"No-go", "not voted"}
    assert next(r for r in rows if r["vote"] == "No-go")["comment"] == "Evidence is late: need the DCC report"


async def test_a_poll_survives_a_restart_and_closes_on_time(database_url: str) -> None:
    async with FakeSlack() as fake:
        bot, web = await _server(database_url, fake)
        closes = datetime.now(UTC) + timedelta(seconds=4)
        when = closes.astimezone(ZoneInfo("Europe/London"))
        async with serve(web, lifespan="on") as url, httpx.AsyncClient(timeout=30) as http:
            body = slash("/release", f"june-2022 vote open closes {when:%Y-%m-%d %H:%M:%S}", user="U0ADMIN01")
            await http.post(f"{url}/slack/events", content=body, headers=signed(body))
            await fake.wait_for("chat.postMessage")
            view = await bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
        deadline = view.closes_at
        assert view.is_open
        # The first process is gone. A new one starts later and closes the poll at its deadline.
        bot2, web2 = await _server(database_url, fake)
        async with serve(web2, lifespan="on"):
            async with asyncio.timeout(90):
                outcome = None
                while outcome is None:
                    calls = await fake.wait_for(
                        "chat.postMessage", count=len(fake.calls_to("chat.postMessage")) + 1, timeout=90
                    )
                    outcome = next((c for c in calls if c.body.get("thread_ts")), None)
            closed = await bot2.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
        assert closed.state == "closed" and closed.closed_by == "releasebot (poll deadline)"
        lateness = (closed.closed_at - deadline).total_seconds()  # type: ignore[operator]
        assert 0 <= lateness < 2, lateness
        assert "NO QUORUM (0 go, 0 no-go, 0 abstain)" in json.dumps(
            outcome.body["blocks"]
        )  # nobody voted: nothing decided


def test_the_ack_budget_counts_from_the_request_s_arrival() -> None:
    from bot.slack.listeners import ARRIVED, ack_budget

    assert ack_budget({}, 2.2) == 2.2  # Socket Mode: no endpoint before the listener
    assert ack_budget({ARRIVED: time.monotonic() - 5.0}, 2.2) == 0.0  # spent already: ack at once
    assert 0.0 < ack_budget({ARRIVED: time.monotonic() + 60.0}, 2.2) <= 2.2


async def test_a_slow_vote_with_a_comment_closes_the_form_and_says_counted_privately(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    await slack.post(slash("/release", f"june-2022 vote open closes {later()}", user="U0ADMIN01"))
    buttons = _buttons((await slack.fake.wait_for("chat.postMessage"))[0].body["blocks"])
    await slack.post(block_action(buttons["Comment…"]["action_id"], buttons["Comment…"]["value"], user=PANEL))
    view = (await slack.fake.wait_for("views.open"))[0].body["view"]
    from tests.slackreq import view_submission

    monkeypatch.setattr("bot.slack.submissions.ACK_BUDGET_SECONDS", 0.0)  # the store "slower" than the budget
    values = {
        "choice": {"value": {"type": "static_select", "selected_option": {"value": "go"}}},
        "comment": {"value": {"type": "plain_text_input", "value": "Ready"}},
    }
    submitted = await slack.post(view_submission(view, values, user=PANEL))
    assert submitted.status_code == 200 and "errors" not in submitted.text  # the form closes: no 404
    told = (await slack.fake.wait_for("chat.postEphemeral"))[0].body
    assert told["user"] == PANEL and "Your vote on June 2022 SEC Release: Go" in json.dumps(told)
    view_now = await slack.bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
    assert [(v.choice, v.comment) for v in view_now.votes] == [("go", "Ready")]
