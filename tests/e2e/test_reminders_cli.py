"""`releasebot reminders plan` as people run it: real processes, the demo papers' dates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.core import Releasebot
from bot.plan import print_plan
from tests.e2e.test_cli import run, seeded  # noqa: F401  (the seeded-database fixture)


def test_with_no_subscriptions_it_shows_every_rule(seeded: Path) -> None:  # noqa: F811
    result = run(["reminders", "plan", "--release", "feb-2021", "--from", "2021-02-01", "--to", "28 Feb 2021"], seeded)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Reminders from Mon 1 Feb 2021 to Sun 28 Feb 2021 (Europe/London), release february-2021: 8"
    assert "No subscriptions yet" in lines[1]
    assert any(
        line.startswith("Fri 5 Feb 2021 09:00   (every rule)  5 WD   go_no_go")
        and "Panel go/no-go decision (Fri 12 Feb 2021)" in line
        for line in lines
    )
    assert any(line.startswith("Thu 25 Feb 2021 09:00  (every rule)  0 WD   go_live") for line in lines)
    assert not any("Jan 2021 09:00" in line.split("  ")[0] for line in lines[3:])  # only the window asked for


def test_with_subscriptions_it_shows_where_and_sends_nothing(seeded: Path) -> None:  # noqa: F811
    subscribed = run(["ask", "/release subscribe #releases february-2021 go_live leads=1"], seeded)
    assert "Subscribed #releases" in subscribed.stdout, subscribed.stdout
    result = run(["reminders", "plan", "--from", "2021-01-01", "--to", "2021-03-31"], seeded)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith(": 1")
    assert (
        "Wed 24 Feb 2021 09:00  #releases  1 WD  go_live  February 2021 release go-live (Thu 25 Feb 2021)"
        in result.stdout
    )
    with sqlite3.connect(seeded) as db:
        assert db.execute("SELECT count(*) FROM delivery").fetchone() == (0,)


async def test_bad_arguments_get_one_line(bot: Releasebot) -> None:
    """The same function the command runs, in-process (the processes above show the wiring)."""
    for (start, end, slug), says in (
        (("someday", "2021-01-01", None), "need dates"),
        (("2021-02-01", "2021-01-01", None), "before --from"),
        (("2021-01-01", "2021-02-01", "jnue-2021"), "Did you mean `june-2021`"),
    ):
        code, text = await print_plan(bot, start, end, slug)
        assert code == 2 and says in text and text.startswith("releasebot: ") and len(text.strip().splitlines()) == 1, (
            text
        )
