"""`releasebot reminders plan`: what would be posted when and where, without sending anything.

Uses the same planner as the service, over a date range that may lie in the past (the demo
papers are from 2016-2021). With no subscriptions yet it shows what every rule would post to a
channel subscribed to everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.core import Releasebot
from commands import messages
from commands.suggest import nearest_releases
from domain.calendar import RANGE_TEXT, local_date, london_to_utc
from domain.format import day, instant, milestone_when
from domain.planning import Planned, SubscriptionView, plan
from domain.snapshot import Snapshot
from domain.words import read_date, read_slug, tokenize
from notifiers.message import where
from notifiers.outbox import load_subscriptions

__all__ = ["format_plan", "print_plan"]

EVERY_RULE = SubscriptionView(id=0, platform="-", channel_id="-")


def format_plan(
    snap: Snapshot,
    planned: Sequence[Planned],
    subs: Sequence[SubscriptionView],
    first: date,
    last: date,
    slug: str | None,
    every_rule: bool,
) -> str:
    """A plain-text table, earliest first."""
    by_id = {s.id: s for s in subs}
    scope = f", release {slug}" if slug else ""
    lines = [f"Reminders from {day(first)} to {day(last)} (Europe/London){scope}: {len(planned)}"]
    if every_rule:
        lines.append("No subscriptions yet: this is what every rule would post to a channel subscribed to everything.")
    rows = []
    for p in sorted(planned, key=lambda p: (p.due_at, p.subscription_id, p.milestone_id)):
        ms = snap.milestone_by_id[p.milestone_id]
        rel = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
        what = f"{ms.title} ({milestone_when(ms)})"
        label = "(every rule)" if every_rule else where(by_id[p.subscription_id])
        rows.append((instant(p.due_at), label, f"{p.lead} WD", ms.kind, what + (f" · {rel.name}" if rel else "")))
    if rows:
        header = ("when", "where", "lead", "kind", "milestone")
        widths = [max(len(r[n]) for r in [header, *rows]) for n in range(4)]
        for r in [header, *rows]:
            lines.append("  ".join(c.ljust(widths[n]) for n, c in enumerate(r[:4])) + "  " + r[4])
    return "\n".join(lines) + "\n"


async def print_plan(bot: Releasebot, start: str, end: str, slug: str | None) -> tuple[int, str]:
    """(exit code, text): 0 and the table, or 2 and one line saying what was wrong."""
    today = local_date(bot.clock())  # `--from today` is the day the bot lives on
    first, last = read_date(tokenize(start), 0, today), read_date(tokenize(end), 0, today)
    if first is None or last is None:
        words = f"dates from {RANGE_TEXT} like 2021-01-01"
        return 2, f"releasebot: --from and --to need {words} (got {start!r}, {end!r})\n"
    if last[0] < first[0]:
        return 2, "releasebot: --to is before --from\n"
    snap = bot.read_model.snapshot
    if slug:
        got = read_slug(tokenize(slug), 0)
        slug = got[0] if got else slug
    rel = snap.release(slug) if slug else None
    if slug and rel is None:
        hint = messages.did_you_mean(nearest_releases(snap, slug))
        return 2, f"releasebot: {messages.unknown_release(slug)} {hint}".rstrip() + "\n"
    subs: list[SubscriptionView] = await bot.writer.read(load_subscriptions)
    every_rule = not subs
    if every_rule:
        subs = [EVERY_RULE]
    milestones = [ms for ms in snap.milestones if rel is None or ms.release_id == rel.id]
    if rel is not None:
        subs = [s for s in subs if s.release_id in (None, rel.id)]
    window = (london_to_utc(first[0]), london_to_utc(last[0] + timedelta(days=1)))
    planned = plan(milestones, subs, bot.rules, snap.calendar, *window)
    return 0, format_plan(snap, planned, subs, first[0], last[0], slug, every_rule)
