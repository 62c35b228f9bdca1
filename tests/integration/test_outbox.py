"""The outbox on both databases: planning is idempotent, claims never overlap, leases expire,
moved and cancelled milestones reach subscribers, Done and Snooze, failures are reported.

The service runs in the test's process against the fake Slack Web API; time is frozen where the
demo papers' dates (2021) must be "now".
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import time_machine

from bot.app import create_senders, load_settings
from bot.core import Releasebot
from commands.context import Channel
from commands.render import render_slack, render_teams, render_text
from commands.render.checks import check_adaptive_card, check_slack_blocks
from domain.planning import SubscriptionView
from domain.rules import load_rules
from notifiers.message import Outgoing, compose, failure_report
from notifiers.outbox import claim_due, mark_sent
from notifiers.senders import Pacer, Senders, SlackWebSender
from notifiers.service import ReminderConfig, ReminderService
from store import models as m
from store.db import Database
from tests.fakeslack import FakeSlack
from tests.reminderkit import due_reminders

RELEASES = Channel("slack", "C0RELEASES", "releases")
ADMIN_CHANNEL = "C0ADMIN"


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
async def service(bot: Releasebot, slack: FakeSlack) -> AsyncIterator[ReminderService]:
    settings = load_settings(
        database_url=bot.db.url, slack_api_url=slack.api_url, slack_bot_token="xoxb-test", slack_channel_interval=0
    )
    async with httpx.AsyncClient() as http:
        senders = create_senders(settings, http)
        for sender in senders.senders:
            sender.backoff = 0.01  # type: ignore[attr-defined]
        yield ReminderService(
            bot, senders, load_rules(), ReminderConfig(pace=0, retry_base=60, admin_channel=ADMIN_CHANNEL)
        )


async def say(bot: Releasebot, line: str, user: str = "console", channel: Channel | None = RELEASES) -> str:
    return render_text(await bot.answers.answer(None, line, bot.actors.resolve("console", user), channel))


async def rows(db: Database, **where: Any) -> list[m.Delivery]:
    async with db.session() as session:
        query = sa.select(m.Delivery).order_by(m.Delivery.id)  # type: ignore[arg-type]
        for name, value in where.items():
            query = query.where(getattr(m.Delivery, name) == value)
        return list((await session.exec(query)).scalars().all())  # type: ignore[call-overload]


async def test_planning_twice_inserts_nothing_the_second_time(bot: Releasebot, service: ReminderService) -> None:
    with time_machine.travel("2021-01-04 08:00 +0000", tick=False):
        await say(bot, "/release subscribe february-2021")
        first = await service.plan_now()
        second = await service.plan_now()
    stored = await rows(bot.db)
    # MP092's Change Board vote (3 leads), DCC evidence (3), OPSG review (2), go/no-go (3), go-live (4).
    assert len(first.insert) == len(stored) == 3 + 3 + 2 + 3 + 4
    assert not second
    assert {r.state for r in stored} == {"pending"} and len({r.dedupe_key for r in stored}) == len(stored)


async def test_a_moved_milestone_is_announced_once_and_its_reminders_follow(
    bot: Releasebot, service: ReminderService, slack: FakeSlack
) -> None:
    with time_machine.travel("2021-01-04 08:00 +0000", tick=False):
        await say(bot, "/release subscribe february-2021 go_no_go")
        await service.plan_now()
        moved = await say(bot, "/release february-2021 milestone go_no_go 2021-02-19 reason Panel date changed")
        assert "Moved “Panel go/no-go decision”" in moved
        changes = await service.plan_now()
        assert [w.reason for w in changes.withdraw] == ["moved"] * 3
        assert await service.dispatch_due() == 1
        assert not await service.plan_now()  # nothing new: the notice went out once
    call = (await slack.wait_for("chat.postMessage"))[0]
    assert call.body["channel"] == "C0RELEASES"
    assert "“Panel go/no-go decision” moved from Fri 12 Feb 2021 to Fri 19 Feb 2021." in json.dumps(
        call.body["blocks"], ensure_ascii=False
    )
    pending = await rows(bot.db, state="pending")
    assert sorted(r.due_at.astimezone(UTC).strftime("%d %b %H:%M") for r in pending) == [
        "12 Feb 09:00",
        "18 Feb 09:00",
        "19 Feb 09:00",
    ]


async def test_a_cancelled_milestone_is_announced_and_nothing_else_is_posted(
    bot: Releasebot, service: ReminderService, slack: FakeSlack
) -> None:
    with time_machine.travel("2021-01-04 08:00 +0000", tick=False):
        await say(bot, "/release subscribe february-2021 go_no_go")
        await service.plan_now()
        await say(bot, "/release february-2021 milestone go_no_go cancel")
        await service.plan_now()
        assert await service.dispatch_due() == 1
    with time_machine.travel("2021-02-12 09:00 +0000", tick=False):
        assert await service.dispatch_due() == 0  # the withdrawn reminders are not posted
    calls = slack.calls_to("chat.postMessage")
    assert len(calls) == 1 and calls[0].body["text"].startswith(
        "“Panel go/no-go decision”, planned for Fri 12 Feb 2021, is cancelled"
    )
    assert {r.last_error for r in await rows(bot.db, state="withdrawn")} == {"cancelled"}


async def test_the_reminder_people_see_and_its_buttons(
    bot: Releasebot, service: ReminderService, slack: FakeSlack
) -> None:
    with time_machine.travel("2021-02-05 09:00 +0000", tick=False):
        await say(bot, "/release subscribe february-2021 go_no_go")
        await service.plan_now()
        assert await service.dispatch_due() == 1
        call = (await slack.wait_for("chat.postMessage"))[0]
        blocks = call.body["blocks"]
        assert check_slack_blocks(blocks) == []
        shown = json.dumps(blocks, ensure_ascii=False)
        assert blocks[0]["text"]["text"] == "⏰ Panel go/no-go decision: in 5 Working Days"
        for fact in (
            "*Due*\\n*Fri 12 Feb 2021*",
            "*Working Days left*\\n5",
            "February 2021 SEC Release",
            "Panel go/no-go",
        ):
            assert fact in shown, fact
        assert "*What to do:* Panel members read the Operations Group recommendation" in shown
        assert (
            "<https://smartenergycodecompany.co.uk/panels-and-committees/sec-panel/|Panel go/no-go on the SEC website>"
            in shown
        )
        assert "Posted to #releases, subscribed to: February 2021 SEC Release · go_no_go" in shown
        done, snooze = blocks[-1]["elements"]
        assert (done["text"]["text"], snooze["text"]["text"]) == ("Done", "Snooze 1 WD")
        sent = (await rows(bot.db, state="sent"))[0]
        assert sent.message_id == "1700000000.000001" and sent.sent_at is not None

        observer, admin = bot.actors.resolve("console", "observer"), bot.actors.resolve("console", "console")
        snoozed = await bot.answers.press("reminder_snooze", snooze["value"], observer, RELEASES)
        # Friday 09:00 + 1 Working Day = Monday 09:00.
        assert "Snoozed: I'll remind you again on Mon 8 Feb 2021 09:00." in render_text(snoozed)  # type: ignore[arg-type]
        again = await bot.answers.press("reminder_snooze", snooze["value"], observer, RELEASES)
        assert "Already snoozed until Mon 8 Feb 2021 09:00" in render_text(again)  # type: ignore[arg-type]
        refused = await bot.answers.press("reminder_done", done["value"], observer, RELEASES)
        assert "only release admins can mark a milestone done" in render_text(refused)  # type: ignore[arg-type]
        marked = await bot.answers.press("reminder_done", done["value"], admin, RELEASES)
        assert "Marked “Panel go/no-go decision” done" in render_text(marked)  # type: ignore[arg-type]
        assert "Demo Secretary (console:console) · Marked “Panel go/no-go decision” done" in await say(
            bot, "/release audit"
        )
        changes = await service.plan_now()
        assert sorted(w.reason for w in changes.withdraw) == [
            "done",
            "done",
            "done",
        ]  # 1 WD, on the day, and the snooze
        assert "· met" in await say(bot, "/release february-2021 timeline")
        await say(bot, "/release undo")  # the Done is undone: its reminders come back
        assert len((await service.plan_now()).reactivate) == 2


async def test_a_channel_the_bot_is_not_in_fails_once_and_the_admin_channel_hears(
    bot: Releasebot, service: ReminderService, slack: FakeSlack
) -> None:
    slack.script("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    with time_machine.travel("2021-02-05 09:00 +0000", tick=False):
        await say(bot, "/release subscribe february-2021 go_no_go")
        await service.plan_now()
        assert await service.dispatch_due() == 0
        calls = await slack.wait_for("chat.postMessage", 2)
        assert await service.dispatch_due() == 0  # not retried
    report = calls[1].body
    assert report["channel"] == ADMIN_CHANNEL
    text = json.dumps(report["blocks"], ensure_ascii=False)
    assert (
        "I could not post the reminder “⏰ Panel go/no-go decision: in 5 Working Days” to #releases: `not_in_channel`"
        in text
    )
    assert "Invite me to #releases" in text
    failed = await rows(bot.db, state="failed")
    assert len(failed) == 1 and failed[0].last_error == "not_in_channel"
    assert len(slack.calls_to("chat.postMessage")) == 2


async def test_a_server_error_is_retried_later_and_posted_once(
    bot: Releasebot, service: ReminderService, slack: FakeSlack
) -> None:
    for _ in range(4):  # the sender's own three retries fail too
        slack.script("chat.postMessage", status=500, body={"ok": False})
    with time_machine.travel("2021-02-05 09:00 +0000", tick=False):
        await say(bot, "/release subscribe february-2021 go_no_go")
        await service.plan_now()
        assert await service.dispatch_due() == 0
        waiting = (await rows(bot.db))[0]
        assert (waiting.state, waiting.attempts, waiting.last_error) == ("pending", 1, "http_500")
        assert waiting.lease_until == datetime(2021, 2, 5, 9, 1, tzinfo=UTC)  # retry_base 60 s
        assert await service.dispatch_due() == 0  # not before its retry time
    with time_machine.travel("2021-02-05 09:01 +0000", tick=False):
        assert await service.dispatch_due() == 1
    assert len(slack.calls_to("chat.postMessage")) == 5
    sent = await rows(bot.db, state="sent")
    assert [(r.lead, r.attempts) for r in sent] == [(5, 2)]  # the 1 WD and on-the-day reminders are still to come


async def test_two_claimers_never_hold_the_same_row(bot: Releasebot, service: ReminderService) -> None:
    due = datetime.now(UTC) - timedelta(seconds=1)
    assert await due_reminders(bot.db, 20, 15, due) == 300
    await bot.read_model.load()
    await service.plan_now()
    other = Database(bot.db.url)
    try:

        async def drain(db: Database, worker: str) -> list[int]:
            got: list[int] = []
            while batch := await claim_due(
                db, worker=worker, now=datetime.now(UTC), lease=timedelta(minutes=5), limit=7
            ):
                assert len(batch) <= 7  # PostgreSQL once took 37 for 8 (a re-run semi-join; see outbox.claim_due)
                got += [row.id for row in batch]
            return got

        a, b = await asyncio.gather(drain(bot.db, "a"), drain(other, "b"))
    finally:
        await other.dispose()
    assert len(a) + len(b) == 300 and not set(a) & set(b)
    assert a and b  # both took part


async def test_an_expired_claim_is_taken_over_and_the_late_worker_cannot_record(
    bot: Releasebot, service: ReminderService
) -> None:
    now = datetime.now(UTC)
    await due_reminders(bot.db, 1, 1, now - timedelta(seconds=1))
    await bot.read_model.load()
    await service.plan_now()
    (first,) = await claim_due(bot.db, worker="dead", now=now, lease=timedelta(seconds=30), limit=5)
    assert (
        await claim_due(bot.db, worker="other", now=now + timedelta(seconds=10), lease=timedelta(seconds=30), limit=5)
        == []
    )
    (again,) = await claim_due(
        bot.db, worker="other", now=now + timedelta(seconds=31), lease=timedelta(seconds=30), limit=5
    )
    assert again.id == first.id and again.attempts == 2
    assert not await mark_sent(bot.db, first.id, "dead", "ts-1", now)
    assert await mark_sent(bot.db, first.id, "other", "ts-2", now)
    assert [(r.state, r.message_id, r.claimed_by) for r in await rows(bot.db)] == [("sent", "ts-2", "other")]


async def test_every_message_renders_for_slack_and_teams(bot: Releasebot) -> None:
    snap = bot.read_model.snapshot
    gng = next(ms for ms in snap.milestones if ms.key == "feb-2021/go-no-go")
    appeal = next(ms for ms in snap.milestones if ms.key == "feb-2021/rid-appeal-end")
    sub = SubscriptionView(id=1, platform="slack", channel_id="C1", channel_name="#releases")
    now = datetime(2021, 1, 4, 8, tzinfo=UTC)
    replies = [
        compose(snap, Outgoing(1, "reminder", gng.id, 5), sub, load_rules(), now),
        compose(snap, Outgoing(2, "reminder", appeal.id, 0), sub, load_rules(), datetime(2020, 8, 28, 8, tzinfo=UTC)),
        compose(
            snap,
            Outgoing(3, "moved", gng.id, None, json.dumps({"from": "2021-02-05T00:00:00+00:00"})),
            sub,
            load_rules(),
            now,
        ),
        failure_report("#releases", "Panel go/no-go", "channel_not_found", 1),
    ]
    for reply in replies:
        assert not isinstance(reply, str)
        assert check_slack_blocks(render_slack(reply)["blocks"]) == []
        assert check_adaptive_card(render_teams(reply)) == []
    derived = render_text(replies[1])  # type: ignore[arg-type]
    assert (
        "Follows:" in derived
        and "10 Working Days after “Panel reviews and baselines the February 2021 RID” (Fri 14 Aug 2020)" in derived
    )
    assert "Working Days left: 0 (today)" in derived
    assert "RID appeal window closes on the SEC website" in derived
    assert (
        compose(snap, Outgoing(4, "reminder", gng.id, 5), sub, load_rules(), datetime(2021, 2, 13, tzinfo=UTC))
        == "passed"
    )


async def test_the_sender_pacing_is_the_settings(bot: Releasebot) -> None:
    settings = load_settings(database_url=bot.db.url, slack_bot_token="xoxb-x", slack_channel_interval=1.5)
    async with httpx.AsyncClient() as http:
        senders = create_senders(settings, http)
    assert isinstance(senders, Senders) and isinstance(senders.senders[0], SlackWebSender)
    assert all(isinstance(s.pacer, Pacer) and s.pacer.interval == 1.5 for s in senders.senders)  # type: ignore[attr-defined]


async def test_webhook_subscriptions_post_through_their_webhooks(
    bot: Releasebot, service: ReminderService, slack: FakeSlack
) -> None:
    with time_machine.travel("2021-02-05 09:00 +0000", tick=False):
        await say(
            bot,
            f"/release subscribe #partners february-2021 go_no_go slack-webhook={slack.base}/hooks/partners",
            channel=None,
        )
        await say(
            bot,
            f"/release subscribe #release-team february-2021 go_no_go teams-webhook={slack.base}/hooks/teams",
            channel=None,
        )
        await service.plan_now()
        assert await service.dispatch_due() == 2
    posted = await slack.wait_for("response", 2)
    assert not slack.calls_to("chat.postMessage")
    by_kind = {("attachments" in c.body): c.body for c in posted}
    assert check_slack_blocks(by_kind[False]["blocks"]) == []
    assert by_kind[False]["blocks"][-1]["type"] == "actions"  # Slack webhooks of the app keep the buttons
    card = by_kind[True]["attachments"][0]["content"]
    assert check_adaptive_card(card) == [] and "actions" not in card  # a Teams workflow cannot call the bot back
    assert {r.message_id for r in await rows(bot.db, state="sent")} == {"webhook", "accepted"}
