"""Handlers for `/workdays`: Working Day arithmetic people can check against a paper."""

from __future__ import annotations

from datetime import date, timedelta

from commands import messages
from commands.context import Context
from commands.language import HolidayList, WorkdaysAdd, WorkdaysBetween, WorkdaysCheck
from domain.calendar import EARLIEST, LATEST, RANGE_TEXT, bank_holidays, in_range
from domain.format import day
from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, b, code, spans

__all__ = ["add", "between", "check", "holidays"]


MAX_SPAN_DAYS = 36_525  # a hundred years: more is not a question about Working Days
LISTED_SPAN_DAYS = 3 * 366  # name the holidays skipped only over spans people read through


def _skipped(ctx: Context, start: date, end: date) -> Block | None:
    if abs((end - start).days) > LISTED_SPAN_DAYS:
        return Note(
            spans(
                "Not counted: weekends, England & Wales bank holidays and one-off holidays (",
                code("/workdays holidays <year>"),
                " lists them).",
            )
        )
    named = ctx.snapshot.calendar.non_working_between(start, end)
    if not named:
        return None
    return Note(spans("Not counted: " + "; ".join(f"{day(d)} ({name})" for d, name in named) + ", and weekends."))


def _lands_in_range(d: date, n: int) -> bool:
    """Whether `n` Working Days from `d` can land from EARLIEST to LATEST, told before counting:
    n weekdays span at least 7 days per 5, so a count that cannot land in range is never made."""
    least = (abs(n) - 1) // 5 * 7 if n else 0
    return d - timedelta(days=least) >= EARLIEST if n < 0 else d + timedelta(days=least) <= LATEST


def _out_of_range(cmd: WorkdaysAdd | WorkdaysBetween) -> Reply:
    words = f"That lands outside the dates I count ({RANGE_TEXT})."
    return Reply("Out of range", (Paragraph(spans(words)),), command=cmd.text, kind="error")


def add(cmd: WorkdaysAdd, ctx: Context) -> Reply:
    if not in_range(cmd.day) or not _lands_in_range(cmd.day, cmd.n):
        return _out_of_range(cmd)
    result = ctx.snapshot.calendar.add(cmd.day, cmd.n)
    if not in_range(result):
        return _out_of_range(cmd)
    sign = "+" if cmd.n >= 0 else "−"
    title = f"{day(cmd.day)} {sign} {abs(cmd.n)} WD = {day(result)}"
    blocks: list[Block] = [Paragraph(spans(day(cmd.day), f" {sign} {abs(cmd.n)} Working Days = ", b(day(result))))]
    if not ctx.snapshot.calendar.is_working_day(cmd.day):
        blocks.append(Note(spans(f"{day(cmd.day)} is not itself a Working Day; counting starts from the next one.")))
    if skipped := _skipped(ctx, cmd.day, result):
        blocks.append(skipped)
    return Reply(title, tuple(blocks), command=cmd.text)


def between(cmd: WorkdaysBetween, ctx: Context) -> Reply:
    if not (in_range(cmd.day) and in_range(cmd.until)):
        return _out_of_range(cmd)
    if abs((cmd.until - cmd.day).days) > MAX_SPAN_DAYS:
        return Reply("Out of range", (Paragraph(spans(messages.span_too_long())),), command=cmd.text, kind="error")
    n = ctx.snapshot.calendar.between(cmd.day, cmd.until)
    title = f"{abs(n)} Working Days from {day(cmd.day)} to {day(cmd.until)}"
    blocks: list[Block] = [
        Paragraph(
            spans(
                b(f"{abs(n)} Working Days"),
                f" from {day(cmd.day)} to {day(cmd.until)}",
                " (earlier date excluded, later included).",
            )
        )
    ]
    if skipped := _skipped(ctx, cmd.day, cmd.until):
        blocks.append(skipped)
    return Reply(title, tuple(blocks), command=cmd.text)


def check(cmd: WorkdaysCheck, ctx: Context) -> Reply:
    cal = ctx.snapshot.calendar
    if cal.is_working_day(cmd.day):
        text = f"{day(cmd.day)} is a Working Day."
    elif name := cal.holiday_name(cmd.day):
        text = f"{day(cmd.day)} is not a Working Day: {name}. Next Working Day: {day(cal.roll_forward(cmd.day))}."
    else:
        text = f"{day(cmd.day)} is a weekend day. Next Working Day: {day(cal.roll_forward(cmd.day))}."
    return Reply(text, (Paragraph(spans(text)),), command=cmd.text)


def holidays(cmd: HolidayList, ctx: Context) -> Reply:
    year = cmd.year or ctx.today.year
    title = f"Holidays in {year}"
    if not EARLIEST.year <= year <= LATEST.year:
        words = f"Pick a year from {EARLIEST.year} to {LATEST.year}."
        return Reply(title, (Paragraph(spans(words)),), command=cmd.text, kind="error")
    bank = bank_holidays([year])
    extra = {d: n for d, n in ctx.snapshot.holidays.items() if d.year == year}
    ordered = sorted([(d, n, "") for d, n in bank.items()] + [(d, n, " (added by an admin)") for d, n in extra.items()])
    blocks: list[Block] = [Heading(title), Items(tuple(spans(b(day(d)), f" {n}{tag}") for d, n, tag in ordered))]
    blocks.append(Note(spans("England & Wales bank holidays; a holiday on a weekend changes nothing.")))
    return Reply(title, tuple(blocks), command=cmd.text)
