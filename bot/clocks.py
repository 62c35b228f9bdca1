"""Which clock a process lives on: the real one, or a day someone chose.

The seed papers are from 2016-2020, so the demo lives on the newest paper's date, and anyone can
set a day with `RELEASEBOT_TODAY` or `--today`. A chosen day starts at 09:00 Europe/London and
the clock runs on from there (`domain.clock.shifted_clock`), so "upcoming", Working Days to go,
poll deadlines, App Home and the reminder planner all agree, because they all read this one clock.
Production runs on the real clock unless the setting is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.settings import Settings, bounded_day
from domain.calendar import LONDON
from domain.clock import Clock, shifted_clock, system_clock

__all__ = ["ClockChoice", "choose_clock", "newest_paper_day", "read_day"]

TODAY_SETTING = "RELEASEBOT_TODAY"


@dataclass(frozen=True)
class ClockChoice:
    clock: Clock
    day: date | None  # the day it started on; None for the real clock
    source: str  # what chose it, as the start-up line says it: "set by RELEASEBOT_TODAY", ...


def read_day(text: str) -> date:
    """A day as `--today` takes it (2020-12-04); ValueError saying what is wanted."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("a day like 2020-12-04") from None
    return bounded_day(value)


def newest_paper_day() -> date | None:
    """The newest `issued` date among the demo papers (store/demo/*.yaml): the day the demo lives on."""
    from store.seed import load_documents  # the demo alone needs the papers (and the store models)

    issued = [d["document"].get("issued") for d in load_documents()]
    days = [d for d in issued if isinstance(d, date)]
    return max(days) if days else None


def choose_clock(settings: Settings, today: date | None = None, demo: bool = False) -> ClockChoice:
    """`--today` first, then RELEASEBOT_TODAY, then (for the demo) the newest paper, else the real clock."""
    if today is not None:
        return ClockChoice(shifted_clock(today, LONDON), today, "set by --today")
    if settings.today is not None:
        return ClockChoice(shifted_clock(settings.today, LONDON), settings.today, f"set by {TODAY_SETTING}")
    paper = newest_paper_day() if demo else None
    if paper is not None:
        return ClockChoice(shifted_clock(paper, LONDON), paper, "the newest demo paper's date")
    return ClockChoice(system_clock, None, "the real clock")
