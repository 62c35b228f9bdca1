"""Safeguards found by review: the undo stack, free text, clock times, ranges, secrets, webhooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from bot.core import Releasebot
from commands.context import Channel
from commands.render import render_slack, render_text
from domain.reply import Paragraph, Reply, spans
from notifiers.polls import PollCloser
from store import polls as poll_store
from tests.helpers import ask, reply

DM = Channel("slack", "D0PANEL01", "directmessage", direct=True)


async def say(bot: Releasebot, line: str, user: str = "console", channel: Channel | None = None) -> Reply:
    return await bot.answers.answer(None, line, bot.actors.resolve("console", user), channel)


async def test_undo_passes_over_someone_elses_own_subscription(bot: Releasebot) -> None:
    approved = await reply(bot, "/release june-2022 approve MP099 Change Board approved")
    assert approved.kind == "changed"
    mine = await say(bot, "/release subscribe all", user="U0PANEL01", channel=DM)
    assert mine.kind == "changed", render_text(mine)
    undone = render_text(await reply(bot, "/release undo"))
    assert "Undid: Approved MP099" in undone
    assert "DM with" in render_text(await say(bot, "/release subscriptions", user="U0PANEL01", channel=DM))


async def test_an_undo_button_undoes_its_own_change_only(bot: Releasebot) -> None:
    first = await reply(bot, "/release june-2022 approve MP099")
    button = next(btn for blk in first.blocks if hasattr(blk, "buttons") for btn in blk.buttons)  # type: ignore[attr-defined]
    await reply(bot, "/release holiday add 2030-03-06 Office move")
    stale = await reply(bot, button.value)
    assert stale.is_error and "no longer the latest" in render_text(stale)
    assert "Office move" in await ask(bot, "/workdays holidays 2030")  # nothing was undone
    assert "Undid: Added holiday" in render_text(await reply(bot, "/release undo"))
    assert "Undid: Approved MP099" in render_text(await reply(bot, button.value))  # now it is the latest


async def test_undo_still_works_after_hundreds_of_votes(bot: Releasebot) -> None:
    await reply(bot, "/release june-2022 approve MP099")
    await reply(bot, f"/release june-2022 vote open closes {(datetime.now(UTC) + timedelta(days=9)):%Y-%m-%d}")
    for n in range(210):
        assert not (
            await reply(bot, f"/release june-2022 vote {('go', 'no-go')[n % 2]}", user=f"U0PANEL0{n % 5 + 1}")
        ).is_error
    # Past 210 vote events (nothing to undo in them) the stack still finds the poll's opening,
    # which cannot be undone once it has votes.
    assert "already has votes" in render_text(await reply(bot, "/release undo"))


async def test_an_automatic_close_cannot_be_undone_and_zero_votes_decide_nothing(bot: Releasebot) -> None:
    with time_machine.travel("2026-12-01 12:00 +0000", tick=False):
        await reply(bot, "/release june-2022 vote open closes 2026-12-01 13:00")
    with time_machine.travel("2026-12-01 13:05 +0000", tick=False):
        await PollCloser(bot.writer, bot.fanout.poll_changed, bot.clock).tick()
        view = await bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
        assert view.state == "closed" and view.outcome == "no_quorum"
        refused = await reply(bot, "/release undo")
        assert refused.is_error and "deadline has passed" in render_text(refused)


async def test_undoing_an_early_close_asks_the_platforms_to_refresh(bot: Releasebot) -> None:
    seen: list[tuple[int, bool]] = []

    class Recorder:
        async def poll_changed(self, poll_id: int, closed: bool) -> None:
            seen.append((poll_id, closed))

    bot.fanout.subscribe(Recorder())
    await reply(bot, f"/release june-2022 vote open closes {(datetime.now(UTC) + timedelta(days=9)):%Y-%m-%d}")
    await reply(bot, "/release june-2022 vote close")
    undone = await reply(bot, "/release undo")
    assert undone.meta.get("refresh") == "1"
    await bot.stop_services()  # waits for the background refreshes
    assert seen[-1] == (1, False) and (1, True) in seen
    assert "vote" in render_text(await reply(bot, "/release june-2022 vote go", user="U0PANEL01")).lower()


async def test_a_poll_deadline_moves_only_with_its_poll(bot: Releasebot) -> None:
    await reply(bot, f"/release june-2022 vote open closes {(datetime.now(UTC) + timedelta(days=9)):%Y-%m-%d}")
    for line in (
        "/release june-2022 milestone poll_close 2099-01-01",
        "/release june-2022 milestone poll_close cancel",
    ):
        refused = await reply(bot, line)
        assert refused.is_error and "vote close" in render_text(refused), line


async def test_default_close_skips_cancelled_go_no_go_and_counts_today(bot: Releasebot) -> None:
    with time_machine.travel("2026-12-03 09:00 +0000", tick=False):
        await reply(bot, "/release june-2022 milestone add go_no_go 2026-12-03")
        opened = render_text(await reply(bot, "/release june-2022 vote open"))
        assert "Thu 3 Dec 2026 17:00" in opened
        await reply(bot, "/release june-2022 vote close")
        await reply(bot, "/release june-2022 milestone add go_no_go 2026-12-10")
        await reply(bot, "/release june-2022 milestone june-2022/go-no-go-2026-12-03 cancel")
        assert "Thu 10 Dec 2026 17:00" in render_text(await reply(bot, "/release june-2022 vote open"))


async def test_one_release_at_a_time(bot: Releasebot) -> None:
    refused = await reply(bot, "/release november-2021 approve MP099")
    assert (
        refused.is_error
        and "targeted for June 2022 SEC Release" in render_text(refused)
        and "move MP099" in render_text(refused)
    )


async def test_secret_votes_stay_secret_in_the_export_until_close(bot: Releasebot) -> None:
    from commands.polls import votes_csv

    await reply(bot, f"/release june-2022 vote open closes {(datetime.now(UTC) + timedelta(days=9)):%Y-%m-%d} secret")
    await reply(bot, "/release june-2022 vote no-go too risky", user="U0PANEL01")
    view = await bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
    exported = votes_csv(view)
    assert "No-go" not in exported and "too risky" not in exported and "voted (secret until close)" in exported
    await reply(bot, "/release june-2022 vote close")
    view = await bot.writer.read(lambda s: poll_store.latest_poll(s, "june-2022"))
    assert "No-go" in votes_csv(view) and "too risky" in votes_csv(view)


async def test_quorum_must_be_reachable(bot: Releasebot) -> None:
    until = f"{(datetime.now(UTC) + timedelta(days=9)):%Y-%m-%d}"
    assert "cannot be reached" in render_text(await reply(bot, f"/release june-2022 vote open closes {until} quorum 6"))
    assert "whole number" in render_text(
        await reply(bot, f"/release june-2022 vote open closes {until} quorum 99999999999999999999")
    )


async def test_free_text_keeps_its_words_and_times_are_checked(bot: Releasebot) -> None:
    done = await reply(bot, "/release june-2022 remove MP099 reason not wanted in public")
    assert "not wanted in public" in render_text(done)
    bad = await reply(bot, "/release june-2022 milestone add go_live 2026-12-01 25:00 Go live")
    assert bad.is_error and "not a time of day" in render_text(bad)
    titled = await reply(bot, '/release june-2022 milestone add other 2026-12-01 "9am dry run, page 2"')
    assert titled.kind == "changed" and "9am dry run, page 2" in render_text(titled)
    gap = await reply(bot, "/release june-2022 milestone add go_live 2027-03-28 01:30")
    assert gap.is_error and "clocks go forward" in render_text(gap)


async def test_workdays_over_an_absurd_range_is_a_short_answer(bot: Releasebot) -> None:
    far = await reply(bot, "/workdays 2016-11-23 to 9999-12-31")
    assert far.is_error and "1 Jan 1990 to 31 Dec 2100" in render_text(far)
    long = render_text(await reply(bot, "/workdays 2016-01-01 to 2026-01-01"))
    assert "Working Days" in long and "holidays <year>" in long  # summarised, not thousands of lines


async def test_leads_past_the_limit_and_webhooks_are_refused_in_a_dm(bot: Releasebot) -> None:
    too_far = await say(
        bot,
        "/release subscribe leads=61",
        user="U0STRANGER",
        channel=Channel("slack", "D0STRANGER", "directmessage", direct=True),
    )
    assert too_far.is_error and "60" in render_text(too_far)
    hooked = await say(
        bot,
        "/release subscribe <#D0STRANGER> all slack-webhook=https://hooks.slack.com/services/T/B/X",
        user="U0STRANGER",
        channel=Channel("slack", "D0STRANGER", "directmessage", direct=True),
    )
    assert hooked.is_error and "Only release admins" in render_text(hooked)
    # Even an admin cannot point a webhook anywhere but Slack's or Microsoft's webhook hosts
    # (the tests allow 127.0.0.1 through RELEASEBOT_WEBHOOK_HOSTS; this bot now allows nothing extra).
    bot.answers.webhook_hosts = frozenset()
    internal = await say(bot, "/release subscribe #ops all slack-webhook=http://127.0.0.1:8765/internal-admin")
    assert internal.is_error and "hooks.slack.com" in render_text(internal)
    metadata = await say(bot, "/release subscribe #ops all slack-webhook=https://169.254.169.254/latest")
    assert metadata.is_error


def test_slack_fallback_text_is_escaped() -> None:
    message = render_slack(Reply("x", (Paragraph(spans("hi")),), fallback="Removed MP000: <!channel> hi"))
    assert "<!channel>" not in message["text"] and "&lt;!channel&gt;" in message["text"]
