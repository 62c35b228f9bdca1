"""Where a modification stood on a date, from its phase history, decisions and milestones.

The monthly status report counts modifications by phase "as of" its month, so the phase must be
the one recorded by then, not today's: `Snapshot.phase_as_of` gives the latest dated phase,
and an approval becomes "pending implementation" until its implementation milestone has passed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from commands.documents.errors import DocumentError
from domain.calendar import EARLIEST, LATEST, local_date
from domain.snapshot import Snapshot
from domain.views import MilestoneView, ModView

__all__ = [
    "CLOSED",
    "OPEN",
    "PHASE_LABELS",
    "MonthError",
    "implementation_of",
    "month_end",
    "month_window",
    "parse_month",
    "phase_on",
]

OPEN = ("Development", "Refinement", "Report", "Change Board", "Authority decision", "Pending implementation")
CLOSED = ("Implemented", "Withdrawn", "Rejected")
PHASE_LABELS = {
    "Development": "Development (initial Modification Report)",
    "Refinement": "Refinement",
    "Report": "Report Phase (Modification Report)",
    "Change Board": "Change Board",
    "Authority decision": "Awaiting the Authority's decision",
    "Pending implementation": "Approved, pending implementation",
    "Implemented": "Implemented",
    "Withdrawn": "Withdrawn",
    "Rejected": "Rejected",
}
_MONTHS = {
    m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


class MonthError(DocumentError):
    """The month could not be read; the message says how to write one."""


def parse_month(text: str) -> date:
    """`2016-12`, `Dec 2016`, `December 2016`, `12/2016` -> 1 Dec 2016."""
    words = text.strip().lower().replace(",", " ").split()
    joined = " ".join(words)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", joined) or re.fullmatch(r"(\d{1,2})/(\d{4})", joined):
        a, b = m.groups()
        year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
    elif len(words) == 2 and words[0][:3] in _MONTHS and words[1].isdecimal() and len(words[1]) == 4:
        year, month = int(words[1]), _MONTHS[words[0][:3]]
    else:
        raise MonthError(f"`{text}` is not a month: write it like `2016-12` or `Dec 2016`.")
    if not 1 <= month <= 12:
        raise MonthError(f"`{text}` is not a month: write it like `2016-12` or `Dec 2016`.")
    if not EARLIEST.year <= year <= LATEST.year:
        raise MonthError(f"`{text}` is out of range: months from {EARLIEST:%b %Y} to {LATEST:%b %Y}.")
    return date(year, month, 1)


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _panel_day(snapshot: Snapshot, first: date) -> date | None:
    days = [
        local_date(ms.due_at) for ms in snapshot.milestones if ms.kind == "panel_meeting" and ms.state != "cancelled"
    ]
    inside = sorted(d for d in days if first <= d <= month_end(first))
    return inside[0] if inside else None


def month_window(snapshot: Snapshot, first: date, today: date) -> tuple[date, date]:
    """(start, as-of) of the report for the month starting `first`.

    The report speaks as of the month's Panel meeting (the day it is presented), or the month's
    last day when no meeting is recorded, and never later than today. It covers everything
    since the previous month's Panel meeting, or since the first of the previous month.
    """
    as_of = min(_panel_day(snapshot, first) or month_end(first), today)
    previous = (first - timedelta(days=1)).replace(day=1)
    before = _panel_day(snapshot, previous)
    return (before + timedelta(days=1) if before else previous), as_of


def implementation_of(snapshot: Snapshot, mod: ModView) -> list[MilestoneView]:
    return [
        ms
        for ms in snapshot.milestones_by_mod.get(mod.id, [])
        if ms.kind == "implementation" and ms.state != "cancelled"
    ]


def phase_on(snapshot: Snapshot, mod: ModView, as_of: date) -> str | None:
    """The phase on `as_of` (None: nothing recorded by then); an approval is pending until implemented."""
    phase = snapshot.phase_as_of(mod.id, as_of)
    for d in snapshot.decisions_by_mod.get(mod.id, []):
        if d.day is not None and d.day <= as_of and d.outcome in ("withdrawn", "rejected"):
            phase = d.outcome.capitalize()
    if phase == "Approved":
        done = implementation_of(snapshot, mod)
        return (
            "Implemented" if done and all(local_date(ms.due_at) <= as_of for ms in done) else "Pending implementation"
        )
    return phase
