"""Reminders from chat: subscribe, unsubscribe, subscriptions, derived and cancelled milestones.

Who may, what is audited and undone, and that bad input is a short answer that changes nothing.
Both databases.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from bot.app import command_table
from bot.core import Releasebot
from commands.context import Channel
from commands.language import ParseError
from commands.parse import parse
from commands.render import render_text
from domain.reply import Actions, Reply
from notifiers.language import Subscription
from tests.helpers import ask

pytestmark = pytest.mark.usefixtures("bot")

ADMIN, OBSERVER = "console", "observer"
RELEASES = Channel("slack", "C0RELEASES", "releases")
DM = Channel("slack", "D0OBSERVER", "", direct=True)
TODAY = date(2021, 1, 4)
GRAMMAR = command_table().grammar


async def say(bot: Releasebot, line: str, user: str = ADMIN, channel: Channel | None = RELEASES) -> Reply:
    return await bot.answers.answer(None, line, bot.actors.resolve("console", user), channel)


async def text(bot: Releasebot, line: str, user: str = ADMIN, channel: Channel | None = RELEASES) -> str:
    return render_text(await say(bot, line, user, channel))


def buttons(reply: Reply) -> list[str]:
    return [b.label for block in reply.blocks if isinstance(block, Actions) for b in block.buttons]


@pytest.mark.parametrize(
    ("typed", "action", "slug", "channel", "kinds", "leads"),
    [
        ("subscribe", "subscription.add", None, None, (), None),
        (
            "subscribe #releases june-2022 go_live go-no-go leads=5,1,0",
            "subscription.add",
            "june-2022",
            ("#releases", "#releases"),
            ("go_live", "go-no-go"),
            (5, 1, 0),
        ),
        (
            "subscribe <#C024BE7LR|general> all leads 3,1",
            "subscription.add",
            None,
            ("C024BE7LR", "#general"),
            (),
            (3, 1),
        ),
        ("June 2022 subscribe go_live", "subscription.add", "june-2022", None, ("go_live",), None),
        ("unsubscribe jun-2022 go_live", "subscription.remove", "june-2022", None, ("go_live",), None),
        ("subscriptions all", "subscription.list", None, None, (), None),
    ],
)
def test_subscription_grammar(
    typed: str,
    action: str,
    slug: str | None,
    channel: tuple[str, str] | None,
    kinds: tuple[str, ...],
    leads: tuple[int, ...] | None,
) -> None:
    cmd = parse(GRAMMAR, "release", typed, TODAY)
    assert isinstance(cmd, Subscription), cmd
    assert (cmd.action, cmd.slug, cmd.channel, cmd.kinds, cmd.leads) == (
        action,
        slug,
        channel,
        kinds,
        leads,
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("subscribe leads=soon", "like `leads=5,1,0`"),
        ("subscribe #a #b", "one channel"),
        ("subscriptions everything", "takes a channel or `all`"),
        ("subscribe slack-webhook=ftp://x", "webhook is an address"),
    ],
)
def test_subscription_grammar_errors(typed: str, says: str) -> None:
    result = parse(GRAMMAR, "release", typed, TODAY)
    assert isinstance(result, ParseError) and says in result.message


async def test_admin_subscribes_a_channel_and_sees_the_next_reminder(bot: Releasebot) -> None:
    with time_machine.travel("2021-01-20 10:00 +0000", tick=False):
        done = await say(bot, "/release subscribe february-2021")
        shown = render_text(done)
        assert done.kind == "changed" and done.public
        assert "Subscribed #releases to reminders for February 2021 SEC Release" in shown
        # 20 Jan 2021 10:00: the DCC evidence (Tue 26 Jan) 5 WD reminder was yesterday; 1 WD before is Mon 25 Jan.
        assert (
            "next: Mon 25 Jan 2021 09:00, “DCC submits evidence against the operational acceptance criteria” (1 WD before)"
            in shown
        )
        assert buttons(done) == ["Undo"]
        listed = await text(bot, "/release subscriptions")
    assert "#releases · February 2021 SEC Release · every kind the rules remind · lead times as the rules say" in listed
    assert "by Demo Secretary (console:console)" in listed
    assert re.search(r"Demo Secretary \(console:console\) · Subscribed #releases", await text(bot, "/release audit"))
    assert "Undid: Subscribed #releases" in await text(bot, "/release undo")
    assert "gets no reminders" in await text(bot, "/release subscriptions")


async def test_only_admins_subscribe_channels_but_anyone_their_own_dm(bot: Releasebot) -> None:
    version = await bot.db.version()
    refused = await say(bot, "/release subscribe", user=OBSERVER)
    assert refused.is_error and "only release admins can set up reminders for a channel" in render_text(refused)
    assert (await say(bot, "/release subscribe #elsewhere", user=OBSERVER, channel=DM)).is_error
    assert await bot.db.version() == version
    mine = await say(bot, "/release subscribe june-2022 go_live", user=OBSERVER, channel=DM)
    assert mine.kind == "changed", render_text(mine)
    assert "Subscribed DM with Demo Observer to reminders for June 2022 SEC Release (go_live" in render_text(mine)
    assert buttons(mine) == [] and "/release unsubscribe" in render_text(mine)  # no Undo: they cannot undo
    assert "DM with Demo Observer · June 2022 SEC Release · go_live" in await text(
        bot, "/release subscriptions", user=OBSERVER, channel=DM
    )
    assert (await say(bot, "/release subscriptions all", user=OBSERVER, channel=DM)).is_error
    assert "DM with Demo Observer" in await text(bot, "/release subscriptions all")
    stopped = await say(bot, "/release unsubscribe", user=OBSERVER, channel=DM)
    assert "Stopped all reminders for June 2022 SEC Release in DM with Demo Observer" in render_text(stopped)


async def test_bad_subscriptions_get_a_short_answer_and_change_nothing(bot: Releasebot) -> None:
    version = await bot.db.version()
    cases = {
        "/release subscribe june-2022 golive": "`golive` is neither a milestone kind nor a release. Did you mean `go_live`?",
        "/release subscribe jnue-2021": "`jnue-2021` is neither a milestone kind nor a release. Did you mean `june-2021`",
        "/release unsubscribe": "has no such reminder subscription",
        "/release subscribe leads=x": "like `leads=5,1,0`",
    }
    for line, expected in cases.items():
        r = await say(bot, line)
        assert r.is_error and expected in render_text(r), (line, render_text(r))
    no_channel = await say(bot, "/release subscribe june-2022", channel=None)
    assert no_channel.is_error and "Which channel?" in render_text(no_channel)
    assert await bot.db.version() == version


async def test_subscribe_adds_kinds_and_unsubscribe_removes_them(bot: Releasebot) -> None:
    await say(bot, "/release subscribe june-2022 go_live")
    widened = await text(bot, "/release subscribe june-2022 go_no_go leads=3,0")
    assert "Changed the reminders of #releases to June 2022 SEC Release (go_live, go_no_go; 3, 0 WD before)" in widened
    assert "already gets reminders" in await text(bot, "/release subscribe june-2022 go_no_go")
    assert "Stopped go_live for June 2022 SEC Release in #releases" in await text(
        bot, "/release unsubscribe june-2022 go_live"
    )
    listed = await text(bot, "/release subscriptions")
    assert "go_no_go · 3 and 0 Working Days before" in listed and "go_live" not in listed
    assert "does not get go_live reminders" in await text(bot, "/release unsubscribe june-2022 go_live")
    await say(bot, "/release undo")
    assert "go_live, go_no_go" in await text(bot, "/release subscriptions")


async def test_a_webhook_address_is_never_shown_back(bot: Releasebot) -> None:
    url = "https://hooks.slack.com/services/T000/B000/SECRETSECRET"
    done = await say(bot, f"/release subscribe #partners all slack-webhook={url}", channel=None)
    assert done.kind == "changed", render_text(done)
    assert "SECRET" not in render_text(done) and "SECRET" not in done.command
    listed = await text(bot, "/release subscriptions all", channel=None)
    assert "#partners · every release" in listed and "via webhook" in listed and "SECRET" not in listed
    assert "SECRET" not in await text(bot, "/release audit")


async def test_adding_a_change_board_vote_adds_its_referral_period_and_implementation(bot: Releasebot) -> None:
    done = await text(bot, "/release june-2022 milestone add change_board 2016-11-23 CB vote")
    # The 2016 paper: Change Board 23 Nov 2016 + 10 WD = referral ends 7 Dec; + 5 WD = implemented 14 Dec.
    assert (
        "derived: “Referral period ends (CB vote)” Wed 07 Dec 2016, “Implementation (CB vote)” Wed 14 Dec 2016" in done
    )
    timeline = await text(bot, "/release june-2022 timeline")
    assert "Wed 7 Dec 2016 · Referral period ends (CB vote) · derived: 10 WD after “CB vote”" in timeline
    assert (
        "Wed 14 Dec 2016 · Implementation (CB vote) · derived: 5 WD after “Referral period ends (CB vote)”" in timeline
    )
    moved = await text(bot, "/release june-2022 milestone change_board 2016-11-30 reason Rescheduled")
    assert "“Implementation (CB vote)” → 21 Dec 2016" in moved
    await say(bot, "/release undo")
    await say(bot, "/release undo")
    assert "CB vote" not in await text(bot, "/release june-2022 timeline")


async def test_cancelling_a_milestone_cancels_what_follows_from_it_and_undo_restores(bot: Releasebot) -> None:
    done = await text(
        bot, "/release june-2021 milestone june-2021/rid-baseline-non-system cancel reason Panel postponed"
    )
    assert (
        "Cancelled “Panel re-baselines the June 2021 RID to add non-DCC System impacting proposals” (June 2021 SEC Release, 11 Dec 2020)"
        in done
    )
    assert "and what follows from it: “Appeal window on the non-system RID re-baseline closes" in done
    timeline = await text(bot, "/release june-2021 timeline")
    assert timeline.count(" · cancelled") == 2
    assert "already cancelled" in await text(
        bot, "/release june-2021 milestone june-2021/rid-baseline-non-system cancel"
    )
    await say(bot, "/release undo")
    assert " · cancelled" not in await text(bot, "/release june-2021 timeline")
    refused = await say(bot, "/release june-2021 milestone go_live cancel", user=OBSERVER)
    assert refused.is_error and "only release admins" in render_text(refused)


async def test_help_lists_the_reminder_commands(bot: Releasebot) -> None:
    shown = await ask(bot, "/release help reminders")
    assert "/release subscribe [#channel] [june-2022|all] [kinds...] [leads=5,1,0]" in shown
    assert "`/release subscribe [june-2022|all]` — deadline reminders in this channel" in await ask(
        bot, "/release help release"
    )
