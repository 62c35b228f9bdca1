"""The day the bot lives on: the real clock, or a day set by RELEASEBOT_TODAY, `--today` or the demo.

Everything that asks what time it is reads the one clock, so on the papers' date (4 Dec 2020)
"upcoming", Working Days to go, App Home, poll deadlines and the reminder planner all agree.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.app import create_bot, create_senders, load_settings
from bot.clocks import choose_clock, newest_paper_day
from bot.core import Releasebot
from commands.context import Channel
from commands.home import home
from commands.render import render_text
from domain.calendar import LONDON
from domain.clock import system_clock
from domain.rules import load_rules
from notifiers.polls import PollCloser
from notifiers.service import ReminderConfig, ReminderService
from notifiers.wake import on_host_clock
from store import polls as poll_store
from tests.e2e.test_cli import run, seeded  # noqa: F401  (the seeded-database fixture)
from tests.helpers import SettableClock, ask, reply

RELEASES = Channel("slack", "C0RELEASES", "releases")


def _upcoming(listing: str) -> list[str]:
    """The release names under "Upcoming" in a text `/release` answer, in order."""
    lines = listing.splitlines()
    start = lines.index("Upcoming")
    names = []
    for line in lines[start + 1 :]:
        if not line.startswith("  • "):
            break
        names.append(line[4:].split(" `", 1)[0])
    return names


# -- the command line ----------------------------------------------------------------------


def test_the_demo_lives_on_the_newest_papers_day_and_says_so(seeded: Path) -> None:  # noqa: F811
    result = run(["demo"], seeded, stdin="/release\n")
    assert result.returncode == 0, result.stderr
    assert _upcoming(result.stdout)[0] == "February 2021 SEC Release"
    assert "go-live Thu 25 Feb 2021 (in 56 WD)" in result.stdout
    # Piped: one line before the first answer (on stderr, so standard output holds the answers alone).
    (said,) = result.stderr.strip().splitlines()
    assert said.startswith("Living on Fri 4 Dec 2020 (the newest demo paper's date)")


def test_the_demo_day_is_the_newest_papers_issued_date() -> None:
    assert newest_paper_day() == date(2020, 12, 4)


def test_today_option_and_setting_change_upcoming_and_working_days_to_go(seeded: Path) -> None:  # noqa: F811
    on_the_papers_day = run(["ask", "--today", "2020-12-04", "/release"], seeded)
    assert on_the_papers_day.returncode == 0, on_the_papers_day.stderr
    assert _upcoming(on_the_papers_day.stdout)[0] == "February 2021 SEC Release"
    assert "go-live Thu 25 Feb 2021 (in 56 WD)" in on_the_papers_day.stdout
    # A month later, with the setting: 19 Working Days in January (New Year's Day off) are gone.
    in_january = run(["ask", "/release feb-2021 timeline"], seeded, RELEASEBOT_TODAY="2021-01-04")
    assert "Thu 25 Feb 2021 · February 2021 release go-live · in 38 WD" in in_january.stdout
    assert "counted from today, Mon 4 Jan 2021" in in_january.stdout
    # After the go-live, February 2021 is past and June 2021 comes first.
    in_march = run(["ask", "/release"], seeded, RELEASEBOT_TODAY="2021-03-01")
    assert _upcoming(in_march.stdout)[0] == "June 2021 SEC Release"
    assert "go-live Thu 25 Feb 2021 (2 WD ago)" in in_march.stdout
    # --today wins over the setting.
    both = run(["ask", "--today", "2020-12-04", "/release feb-2021 timeline"], seeded, RELEASEBOT_TODAY="2021-03-01")
    assert "counted from today, Fri 4 Dec 2020" in both.stdout and "in 56 WD" in both.stdout


def test_without_a_day_the_real_clock_is_used(seeded: Path) -> None:  # noqa: F811
    result = run(["ask", "/release june-2021 timeline"], seeded, RELEASEBOT_TODAY="")
    assert result.returncode == 0, result.stderr
    assert f"counted from today, {datetime.now(LONDON):%a} " in result.stdout  # the machine's today
    assert choose_clock(load_settings(today=None)).clock is system_clock


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["--today", "tomorrow"], {}, "--today"),
        (["--today", "1899-12-31"], {}, "--today"),
        ([], {"RELEASEBOT_TODAY": "2020-13-01"}, "RELEASEBOT_TODAY"),
        ([], {"RELEASEBOT_TODAY": "1607040000"}, "RELEASEBOT_TODAY"),  # seconds are not a day
        ([], {"RELEASEBOT_TODAY": "2101-01-01"}, "RELEASEBOT_TODAY"),
    ],
)
def test_a_bad_day_gets_one_line_naming_the_setting(
    tmp_path: Path, args: list[str], env: dict[str, str], named: str
) -> None:
    result = run(["ask", *args, "/release"], tmp_path / "x.db", **env)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"releasebot: {named}: "), line
    assert "Traceback" not in result.stderr


def test_the_reminder_planner_reads_today_from_the_clock(seeded: Path) -> None:  # noqa: F811
    result = run(
        [
            "reminders",
            "plan",
            "--today",
            "2021-02-01",
            "--release",
            "feb-2021",
            "--from",
            "today",
            "--to",
            "28 Feb 2021",
        ],
        seeded,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Reminders from Mon 1 Feb 2021 to Sun 28 Feb 2021")
    with sqlite3.connect(seeded) as db:
        assert db.execute("SELECT count(*) FROM delivery").fetchone() == (0,)


@pytest.mark.parametrize(("today", "says"), [("", "on the real clock"), ("2020-12-04", "living on Fri 4 Dec 2020")])
def test_the_worker_says_which_clock_it_runs_on(seeded: Path, today: str, says: str) -> None:  # noqa: F811
    env = {**os.environ, "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{seeded}", "RELEASEBOT_TODAY": today}
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"], stderr=subprocess.PIPE, text=True, env=env, cwd=seeded.parent
    )
    said: list[str] = []
    try:
        assert worker.stderr is not None
        for line in worker.stderr:
            said.append(line)
            if "reminders running" in line:
                break
    finally:
        worker.terminate()
        worker.wait(30)
    assert any(line.startswith(f"releasebot worker: {says}") for line in said), said


# -- in the process: one clock for every part ----------------------------------------------


@pytest.fixture
async def demo_bot(database_url: str) -> AsyncIterator[Releasebot]:
    """A bot on the demo day, chosen by the setting as `make demo` would."""
    instance = create_bot(load_settings(database_url=database_url, today="2020-12-04"))
    await instance.start(watch=False)
    yield instance
    await instance.stop()


async def test_app_home_counts_working_days_from_the_bots_day(demo_bot: Releasebot) -> None:
    ctx = demo_bot.answers.context(demo_bot.actors.resolve("console", "console"))
    assert ctx.today == date(2020, 12, 4) and ctx.now.astimezone(LONDON).hour == 9
    shown = render_text(home(ctx))
    assert "in 30 WD · Wed 20 Jan 2021 · Change Board vote on MP092" in shown
    assert "February 2021 SEC Release" in shown


async def test_polls_open_and_close_on_the_papers_timeline(database_url: str) -> None:
    clock = SettableClock()
    clock.set(datetime(2020, 12, 4, 9, 0, tzinfo=UTC))
    bot = create_bot(load_settings(database_url=database_url), clock=clock)
    await bot.start(watch=False)
    try:
        opened = await reply(bot, "/release feb-2021 vote open closes 2021-02-12 17:00")
        assert opened.kind != "error", render_text(opened)
        closer = PollCloser(bot.writer, bot.fanout.poll_changed, bot.clock)
        await closer.tick()  # 4 Dec 2020: not yet
        view = await bot.writer.read(lambda s: poll_store.latest_poll(s, "february-2021"))
        assert view is not None and view.state == "open"
        clock.set(datetime(2021, 2, 12, 17, 1, tzinfo=UTC))
        await closer.tick()
        view = await bot.writer.read(lambda s: poll_store.latest_poll(s, "february-2021"))
        assert view is not None and view.state == "closed"
        assert "Panel go/no-go decision" in await ask(bot, "/release feb-2021 timeline")
    finally:
        await bot.stop_services()
        await bot.stop()


async def test_the_reminder_service_plans_on_the_bots_day(demo_bot: Releasebot) -> None:
    admin = demo_bot.actors.resolve("console", "console")
    subscribed = await demo_bot.answers.answer(None, "/release subscribe #releases february-2021", admin, RELEASES)
    assert subscribed.kind == "changed", render_text(subscribed)
    async with httpx.AsyncClient() as http:
        senders = create_senders(demo_bot.settings, http)
        service = ReminderService(demo_bot, senders, load_rules(), ReminderConfig(pace=0))
        changes = await service.plan_now()
    due = sorted(d.due_at for d in changes.insert)
    # 60 days ahead of 4 Dec 2020: the January deadlines of the February 2021 release.
    assert due and datetime(2020, 12, 4, tzinfo=UTC) <= due[0] and due[-1] <= datetime(2021, 2, 3, tzinfo=UTC)


def test_a_wake_up_on_the_bots_clock_is_as_far_away_on_the_hosts() -> None:
    clock = SettableClock()
    clock.set(datetime(2020, 12, 4, 9, 0, tzinfo=UTC))
    at = on_host_clock(clock, datetime(2020, 12, 4, 9, 0, 30, tzinfo=UTC))
    assert abs((at - system_clock()) - timedelta(seconds=30)) < timedelta(seconds=1)
    assert abs(on_host_clock(system_clock, system_clock()) - system_clock()) < timedelta(seconds=1)
