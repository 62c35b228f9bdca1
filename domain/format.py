"""Small pure helpers for showing dates, money and states the same way in every reply."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import LONDON, WorkingDays
from domain.views import MilestoneView

__all__ = [
    "STATE_LABEL",
    "day",
    "day_or_month",
    "gbp",
    "instant",
    "milestone_relative",
    "milestone_when",
    "relative",
    "yes_no",
]

STATE_LABEL = {
    "approved": "Approved",
    "targeted": "Targeted (in if approved by the cut-off)",
    "removed": "Removed",
    "moved": "Moved to another release",
}


def day(d: date) -> str:
    """`Thu 25 Feb 2021`."""
    return d.strftime("%a %d %b %Y").replace(" 0", " ")


def day_or_month(d: date, precision: str = "day") -> str:
    """`Thu 25 Feb 2021`, or `Dec 2020` for a date the paper gave to the month only."""
    return d.strftime("%b %Y") if precision == "month" else day(d)


def milestone_when(ms: MilestoneView) -> str:
    local = ms.due_at.astimezone(LONDON)
    if ms.precision == "month":
        return day_or_month(local.date(), "month")
    text = day(local.date())
    return text if ms.all_day else f"{text} {local:%H:%M}"


def relative(calendar: WorkingDays, today: date, target: date) -> str:
    """`today`, `in 5 WD`, `3 WD ago` (Working Days, so a weekend between does not count)."""
    if target == today:
        return "today"
    n = calendar.between(today, target)
    if target > today:
        return f"in {n} WD" if n else "next Working Day is after it"
    return f"{-n} WD ago" if n else "just past"


def milestone_relative(calendar: WorkingDays, today: date, ms: MilestoneView) -> str:
    """`in 5 WD`; for a month the paper gave without a day, `this month`, `in 2 months`, `1 month ago`
    (Working Days from its 1st would be a count from a day the paper never named)."""
    local = ms.due_at.astimezone(LONDON).date()
    if ms.precision != "month":
        return relative(calendar, today, local)
    months = (local.year - today.year) * 12 + local.month - today.month
    if months == 0:
        return "this month"
    unit = "month" if abs(months) == 1 else "months"
    return f"in {months} {unit}" if months > 0 else f"{-months} {unit} ago"


def gbp(amount: int | None) -> str:
    return "—" if amount is None else f"£{amount:,}"


def yes_no(flag: bool | None, yes: str = "yes", no: str = "no", unknown: str = "not known") -> str:
    return unknown if flag is None else (yes if flag else no)


def instant(moment: datetime) -> str:
    """An instant in Europe/London, e.g. `Mon 23 Nov 2026 09:05`."""
    local = moment.astimezone(LONDON)
    return f"{day(local.date())} {local:%H:%M}"
