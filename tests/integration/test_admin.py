"""Changing state from chat: roles, atomicity, audit, undo, derived milestones. Both databases."""

from __future__ import annotations

import asyncio
import re

import pytest
import time_machine

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from commands.render import render_text
from tests.helpers import ask, reply, section

pytestmark = pytest.mark.usefixtures("bot")

ADMIN = "console"  # Demo Secretary
PANEL = "U0PANEL01"
OBSERVER = "observer"


async def test_non_admins_are_refused_and_nothing_changes(bot: Releasebot) -> None:
    version = bot.read_model.snapshot.version
    for user in (PANEL, OBSERVER, "U0STRANGER"):
        r = await reply(bot, "/release june-2022 approve MP099", user=user)
        assert r.is_error and "only release admins" in render_text(r)
    assert bot.read_model.snapshot.version == version
    assert await bot.db.version() == version
    assert "MP099" in section(await ask(bot, "/release june-2022 scope"), "Targeted")


async def test_approve_is_audited_with_who_and_when_and_undone(bot: Releasebot) -> None:
    with time_machine.travel("2022-03-01 10:15 +0000", tick=False):
        done = await reply(bot, "/release june-2022 approve MP099 Change Board approved", user=ADMIN)
    assert done.kind == "changed", render_text(done)
    assert "MP099" in section(await ask(bot, "/release june-2022 scope"), "Approved")
    log = await ask(bot, "/release audit")
    assert re.search(r"#\d+ Tue 1 Mar 2022 10:15 · Demo Secretary \(console:console\) · Approved MP099", log)
    # The new state shows in "changes since" with who made it.
    since = await ask(bot, "/release june-2022 changes since 2022-03-01")
    assert "MP099 approved" in since and "Demo Secretary" in since
    undone = await reply(bot, "/release undo", user=ADMIN)
    assert undone.kind == "changed" and "Undid: Approved MP099" in render_text(undone)
    assert "MP099" in section(await ask(bot, "/release june-2022 scope"), "Targeted")
    assert "Approved" not in await ask(bot, "/release june-2022 scope")
    log = await ask(bot, "/release audit")
    assert "undone" in log and "Undid: Approved MP099" in log


async def test_move_is_one_atomic_change_and_undo_reverses_both_sides(bot: Releasebot) -> None:
    done = await reply(bot, "/release nov-2021 move MP077 to june-2022 reason DCC capacity", user=ADMIN)
    assert done.kind == "changed", render_text(done)
    assert "MP077" in section(await ask(bot, "/release nov-2021 scope"), "Moved")
    assert "MP077" in section(await ask(bot, "/release june-2022 scope"), "Targeted")
    mod = await ask(bot, "/mod MP077")
    assert "June 2022" in section(mod, "Releases it has been in")
    await reply(bot, "/release undo", user=ADMIN)
    assert "MP077" in section(await ask(bot, "/release nov-2021 scope"), "Targeted")
    assert "MP077" not in await ask(bot, "/release june-2022 scope")


async def test_refused_changes_leave_no_trace(bot: Releasebot) -> None:
    version = await bot.db.version()
    cases = {
        "/release june-2022 move MP099 to june-2022": "already in",
        "/release june-2021 remove MP077 reason not there": "not in the scope",
        "/release june-2022 approve MP999": "Did you mean",
        "/release june-2030 approve MP099": "no release",
        "/release nov-2021 move MP077 to june-2030": "no release",
        "/release june-2021 milestone add launch_party 2021-06-01": "not a milestone kind",
        "/release holiday add 2022-12-25 Christmas": "already a bank holiday",
    }
    for command, expected in cases.items():
        r = await reply(bot, command, user=ADMIN)
        assert r.is_error, command
        assert expected.lower() in render_text(r).lower(), (command, render_text(r))
    assert await bot.db.version() == version
    assert "There is nothing to undo" in await ask(bot, "/release undo", user=ADMIN)


async def test_add_a_new_modification_needs_a_title(bot: Releasebot) -> None:
    r = await reply(bot, "/release june-2022 add MP300", user=ADMIN)
    assert r.is_error and "give its title" in render_text(r)
    done = await reply(bot, '/release june-2022 add MP300 "Faster release notes" raised at Panel', user=ADMIN)
    assert done.kind == "changed", render_text(done)
    assert "MP300 Faster release notes" in section(await ask(bot, "/release june-2022 scope"), "Targeted")
    await reply(bot, "/release undo", user=ADMIN)
    assert (await reply(bot, "/mod MP300")).is_error  # the modification it created is gone too


async def test_milestone_move_carries_derived_milestones_and_undo_restores(bot: Releasebot) -> None:
    # The June 2021 RID appeal window is derived: 11 Dec 2020 baseline + 10 WD = 29 Dec 2020.
    before = await ask(bot, "/release june-2021 timeline")
    assert re.search(r"Tue 29 Dec 2020 · .*appeal", before, re.I)
    done = await reply(
        bot, "/release june-2021 milestone june-2021/rid-baseline-non-system 2020-12-18 reason Panel moved", user=ADMIN
    )
    assert done.kind == "changed", render_text(done)
    assert "derived" in render_text(done)
    after = await ask(bot, "/release june-2021 timeline")
    # 18 Dec 2020 + 10 WD skips 25 and 28 Dec and 1 Jan: Wed 6 Jan 2021.
    assert re.search(r"Wed 6 Jan 2021 · .*appeal", after, re.I)
    await reply(bot, "/release undo", user=ADMIN)
    assert re.search(r"Tue 29 Dec 2020 · .*appeal", await ask(bot, "/release june-2021 timeline"), re.I)


async def test_derived_milestone_cannot_be_moved_directly(bot: Releasebot) -> None:
    appeal = next(ms for ms in bot.read_model.snapshot.milestones if ms.origin == "derived" and ms.release_id)
    slug = bot.read_model.snapshot.release_by_id[appeal.release_id].slug  # type: ignore[index]
    r = await reply(bot, f"/release {slug} milestone {appeal.key} 2030-01-01", user=ADMIN)
    assert r.is_error and "derived" in render_text(r)


async def test_one_off_holiday_moves_derived_dates_and_workday_answers(bot: Releasebot) -> None:
    assert "Wed 7 Dec 2016" in await ask(bot, "/workdays 2016-11-23 +10")
    done = await reply(bot, "/release holiday add 2016-12-01 Office closure", user=ADMIN)
    assert done.kind == "changed", render_text(done)
    assert "Thu 8 Dec 2016" in await ask(bot, "/workdays 2016-11-23 +10")
    # SECMP0020's referral end and implementation are derived from the Change Board date.
    mod = await ask(bot, "/mod SECMP0020")
    assert "Thu 8 Dec 2016" in section(mod, "Milestones") and "Thu 15 Dec 2016" in section(mod, "Milestones")
    assert "Office closure (added by an admin)" in await ask(bot, "/workdays holidays 2016")
    await reply(bot, "/release undo", user=ADMIN)
    assert "Wed 7 Dec 2016" in await ask(bot, "/workdays 2016-11-23 +10")
    assert "Wed 14 Dec 2016" in section(await ask(bot, "/mod SECMP0020"), "Milestones")


async def test_add_milestone_then_it_is_the_next_one(bot: Releasebot) -> None:
    with time_machine.travel("2022-06-01 08:00 +0000", tick=False):
        done = await reply(bot, "/release june-2022 milestone add go_no_go 2022-06-10 14:00 Panel go/no-go", user=ADMIN)
        assert done.kind == "changed", render_text(done)
        card = await ask(bot, "/release june-2022")
    # 2 and 3 June 2022 were bank holidays (Spring, Platinum Jubilee): 5 Working Days to go.
    assert "Next milestone: Panel go/no-go · Fri 10 Jun 2022 14:00 (in 5 WD)" in card


async def test_concurrent_admins_cannot_both_approve(database_url: str) -> None:
    """Two replicas approve the same modification at once: exactly one wins, one is refused."""
    bots = [create_bot(load_settings(database_url=database_url)) for _ in range(2)]
    for b in bots:
        await b.start(watch=False)
    try:
        results = await asyncio.gather(*(reply(b, "/release june-2022 approve MP099", user=ADMIN) for b in bots))
        kinds = sorted(r.kind for r in results)
        assert kinds == ["changed", "error"], [render_text(r) for r in results]
        assert "already approved" in render_text(next(r for r in results if r.is_error))
    finally:
        for b in bots:
            await b.stop()


async def test_a_second_replica_sees_a_write(database_url: str) -> None:
    writer = create_bot(load_settings(database_url=database_url))
    reader = create_bot(load_settings(database_url=database_url, poll_seconds=0.05))
    await writer.start(watch=False)
    await reader.start(watch=True)
    try:
        done = await reply(writer, "/release june-2022 approve MP099", user=ADMIN)
        assert done.kind == "changed"
        version = await writer.db.version()
        await asyncio.wait_for(reader.read_model.wait_for_version(version), timeout=10)
        assert "MP099" in section(await ask(reader, "/release june-2022 scope"), "Approved")
    finally:
        await writer.stop()
        await reader.stop()
