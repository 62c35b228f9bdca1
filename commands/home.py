"""The dashboard a person sees on the bot's home tab: what is due, what is in flight."""

from __future__ import annotations

from collections import Counter

from commands.context import Context
from commands.format import day, milestone_when, relative
from commands.reply import Block, Heading, Items, Note, Paragraph, Reply, b, code, i, spans
from notifiers.workdays import local_date

__all__ = ["home"]

DEADLINES = 12


def home(ctx: Context) -> Reply:
    snap = ctx.snapshot
    cal = snap.calendar
    blocks: list[Block] = [Heading("SEC release deadlines")]
    upcoming = [ms for ms in snap.milestones if local_date(ms.due_at) >= ctx.today and ms.state == "planned"][:DEADLINES]
    if upcoming:
        lines = []
        for ms in upcoming:
            rel = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
            mod = snap.mod_by_id.get(ms.modification_id) if ms.modification_id is not None else None
            where = " · ".join(x for x in (rel.name if rel else "", mod.ref if mod else "") if x)
            lines.append(spans(b(relative(cal, ctx.today, local_date(ms.due_at))), f" · {milestone_when(ms)} · {ms.title}", f" · {where}" if where else ""))
        blocks.append(Items(tuple(lines), title="Next deadlines (Working Days to go)"))
    else:
        blocks.append(Paragraph(spans(i("No deadlines ahead in the release store."))))
    in_flight = [r for r in snap.upcoming() if r.go_live >= ctx.today]
    if in_flight:
        lines = []
        for r in in_flight:
            counts = Counter(c.state for c in snap.scope(r.id).values())
            scope = ", ".join(f"{counts[s]} {s}" for s in ("approved", "targeted") if counts[s]) or "no scope yet"
            lines.append(spans(b(r.name), " ", code(r.slug), f" · go-live {day(r.go_live)} ({relative(cal, ctx.today, r.go_live)}) · {scope}"))
        blocks.append(Items(tuple(lines), title="Releases in flight"))
    else:
        latest = max(snap.releases, key=lambda r: r.go_live, default=None)
        if latest:
            blocks.append(Paragraph(spans(i(f"No release is in flight; the latest was {latest.name} ({day(latest.go_live)})."))))
    who = f"{ctx.actor.name} ({ctx.actor.role})" if ctx.actor.role else f"{ctx.actor.name} (not a member yet: you can ask, not change)"
    blocks.append(Note(spans(f"You are {who}. Try ", code("/release"), ", ", code("/release help"), ". Updated ", day(ctx.today), ".")))
    return Reply("Home", tuple(blocks))
