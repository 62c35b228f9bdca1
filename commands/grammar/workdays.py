"""The words of `/workdays`: Working Day arithmetic from a date, and the holidays (also under `/release`)."""

from __future__ import annotations

from commands.grammar.book import Said
from commands.grammar.reading import fail, need_date, no_more, out_of_range, rest
from commands.grammar.record import take_effective
from commands.language import (
    Command,
    HelpCommand,
    HolidayAdd,
    HolidayList,
    WorkdaysAdd,
    WorkdaysBetween,
    WorkdaysCheck,
)
from domain.words import read_date

__all__ = ["help_workdays", "holiday", "workdays"]

MAX_WORKING_DAYS = 30_000  # more than the Working Days from EARLIEST to LATEST


def help_workdays(said: Said) -> HelpCommand:
    """`/workdays`, `/workdays help`: whatever follows, the help on `/workdays`."""
    return HelpCommand(words="workdays")


def holiday(said: Said) -> HolidayList | HolidayAdd:
    """`holidays [year]` | `holiday add <date> <name>` (the usage shown under an error follows the slash command)."""
    tokens, i, topic = said.tokens, said.i, said.slash
    if len(tokens) > i and tokens[i].lower() == "add":
        said, effective = take_effective(said)
        tokens = said.tokens
        day, used = need_date(tokens, i + 1, said.today, topic, "the holiday's date")
        name = rest(tokens, i + 1 + used)
        if not name:
            raise fail("Give the holiday a name, e.g. `holiday add 2022-09-19 State funeral`.", topic)
        return HolidayAdd(day=day, name=name, effective=effective)
    given = tokens[i] if len(tokens) > i else ""
    has_year = given.isdecimal() and len(given) == 4
    no_more(tokens, i + has_year, f"/{said.slash} holidays [year]", topic=topic)
    return HolidayList(year=int(given) if has_year else said.today.year)


def workdays(said: Said) -> Command:
    """`/workdays [<date>] [+N|-N|to <date>]`: a date alone asks whether it is a Working Day."""
    tokens, today = said.tokens, said.today
    i = 0
    start = today
    got = read_date(tokens, 0, today)
    if got is not None:
        start, i = got
    elif not (tokens[0][:1] in "+-" or tokens[0].lower() in ("to", "until")):
        out_of_range(tokens, 0, today, "workdays", "the date")
        raise fail(f"`{tokens[0]}` is not a date I can read.", "workdays", word=tokens[0])
    if i >= len(tokens):
        return WorkdaysCheck(day=start)
    word = tokens[i]
    if word[:1] in "+-":
        number = word[1:] or (tokens[i + 1] if i + 1 < len(tokens) else "")
        used = 1 if word[1:] else 2
        digits = number.lower().removesuffix("wd")
        if not (digits.isascii() and digits.isdecimal()):
            raise fail(f"`{word}` should be a whole number of Working Days, like `+10` or `-5`.", "workdays")
        if len(digits) > len(str(MAX_WORKING_DAYS)) or (n := int(digits)) > MAX_WORKING_DAYS:
            raise fail(f"That is more Working Days than I will count ({MAX_WORKING_DAYS:,} at most).", "workdays")
        after = tokens[i + used :]
        if after and after[0].lower() in ("wd", "working", "workdays", "days"):
            after = after[1:] if after[0].lower() != "working" else after[2:]
        if after:
            raise fail(f"I didn't understand `{' '.join(after)}` after the number.", "workdays")
        return WorkdaysAdd(day=start, n=-n if word[0] == "-" else n)
    if word.lower() in ("to", "until", "-", "and"):
        end, used = need_date(tokens, i + 1, today, "workdays", "the end date")
        if i + 1 + used < len(tokens):
            raise fail(f"I didn't understand `{rest(tokens, i + 1 + used)}`.", "workdays")
        return WorkdaysBetween(day=start, until=end)
    raise fail(f"After the date I understand `+N`, `-N` or `to <date>` (got `{word}`).", "workdays", word=word)
