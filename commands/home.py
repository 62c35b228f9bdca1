"""The dashboard a person sees on the bot's home tab: what is due, what is in flight, documents to download."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from commands.context import Context
from domain.calendar import local_date
from domain.format import day, instant, milestone_relative, milestone_when, relative
from domain.polls import CHOICES, PollView
from domain.reply import Actions, Block, Button, Heading, Items, Note, Paragraph, Reply, b, code, i, spans

__all__ = ["home"]

DEADLINES = 12
DOCUMENT_RELEASES = 2  # releases in flight with Download buttons on the home tab


def _votes(ctx: Context, open_polls: Sequence[PollView]) -> list[Block]:
    """The person's open votes, with buttons to vote from here (Panel) or get the CSV (admins)."""
    if not open_polls:
        return []
    blocks: list[Block] = [Heading("Open go/no-go votes")]
    for view in open_polls:
        mine = next((v for v in view.votes if v.member_id == ctx.actor.member_id), None)
        where = f"{view.release_name} · closes {instant(view.closes_at)} ({relative(ctx.snapshot.calendar, ctx.today, local_date(view.closes_at))})"
        if ctx.actor.role == "panel":
            status = f"your vote: {CHOICES[mine.choice]}" if mine else "you have not voted yet"
        else:
            status = f"{len(view.votes)} of {len(view.eligible)} Panel members have voted"
        blocks.append(Paragraph(spans(b(view.question), f" — {where} — ", i(status))))
        buttons: list[Button] = []
        if ctx.actor.role == "panel":
            buttons += [
                Button("Go", "vote", f"{view.id}:go", "primary"),
                Button("No-go", "vote", f"{view.id}:no_go", "danger"),
                Button("Abstain", "vote", f"{view.id}:abstain"),
            ]
        if ctx.actor.is_admin:
            buttons.append(Button("Votes as CSV", "votes_csv", str(view.id)))
        if buttons:
            blocks.append(Actions(tuple(buttons)))
    return blocks


def _documents(ctx: Context) -> list[Block]:
    """Download buttons: each sends the file to the person's DM (Slack's `download` button runs the command)."""
    in_flight = [r for r in ctx.snapshot.upcoming() if r.go_live >= ctx.today][:DOCUMENT_RELEASES]
    blocks: list[Block] = [Heading("Documents")]
    for r in in_flight:
        blocks.append(Paragraph(spans(b(r.name), " ", code(r.slug))))
        blocks.append(
            Actions(
                tuple(
                    Button(f"Download {label}", "download", f"/release {r.slug} {words}")
                    for label, words in (
                        ("RID (Word)", "rid docx"),
                        ("RID (PDF)", "rid pdf"),
                        ("timeline (PNG)", "timeline png"),
                    )
                )
            )
        )
    month = ctx.today.strftime("%Y-%m")
    blocks.append(
        Actions(
            (
                Button("Download status report (Word)", "download", f"/release report status {month} docx"),
                Button("Download timeline of all releases (PNG)", "download", "/release timeline png"),
            )
        )
    )
    blocks.append(
        Note(spans("Each file arrives in your DM with me. In a channel: ", code("/release june-2021 rid docx"), "."))
    )
    return blocks


def home(ctx: Context, open_polls: Sequence[PollView] = ()) -> Reply:
    snap = ctx.snapshot
    cal = snap.calendar
    blocks: list[Block] = [*_votes(ctx, open_polls), Heading("SEC release deadlines")]
    upcoming = [ms for ms in snap.milestones if local_date(ms.due_at) >= ctx.today and ms.state == "planned"][
        :DEADLINES
    ]
    if upcoming:
        lines = []
        for ms in upcoming:
            rel = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
            mod = snap.mod_by_id.get(ms.modification_id) if ms.modification_id is not None else None
            where = " · ".join(x for x in (rel.name if rel else "", mod.ref if mod else "") if x)
            lines.append(
                spans(
                    b(milestone_relative(cal, ctx.today, ms)),
                    f" · {milestone_when(ms)} · {ms.title}",
                    f" · {where}" if where else "",
                )
            )
        blocks.append(Items(tuple(lines), title="Next deadlines (Working Days to go)"))
    else:
        blocks.append(Paragraph(spans(i("No deadlines ahead in the release store."))))
    in_flight = [r for r in snap.upcoming() if r.go_live >= ctx.today]
    if in_flight:
        lines = []
        for r in in_flight:
            counts = Counter(c.state for c in snap.scope(r.id).values())
            scope = ", ".join(f"{counts[s]} {s}" for s in ("approved", "targeted") if counts[s]) or "no scope yet"
            lines.append(
                spans(
                    b(r.name),
                    " ",
                    code(r.slug),
                    f" · go-live {day(r.go_live)} ({relative(cal, ctx.today, r.go_live)}) · {scope}",
                )
            )
        blocks.append(Items(tuple(lines), title="Releases in flight"))
    else:
        latest = max(snap.releases, key=lambda r: r.go_live, default=None)
        if latest:
            blocks.append(
                Paragraph(spans(i(f"No release is in flight; the latest was {latest.name} ({day(latest.go_live)}).")))
            )
    blocks += _documents(ctx)
    who = (
        f"{ctx.actor.name} ({ctx.actor.role})"
        if ctx.actor.role
        else f"{ctx.actor.name} (not a member yet: you can ask, not change)"
    )
    blocks.append(
        Note(
            spans(
                f"You are {who}. Try ", code("/release"), ", ", code("/release help"), ". Updated ", day(ctx.today), "."
            )
        )
    )
    return Reply("Home", tuple(blocks))
