"""`/release <slug> vote ...` and the vote buttons: Panel go/no-go polls.

A poll reply carries `meta["poll_id"]`; platform adapters use it to post the poll message, keep
it up to date after each vote, and announce the outcome (see `Releasebot.poll_changed`).
"""

from __future__ import annotations

from datetime import time

from commands import messages
from commands.admin import _refuse
from commands.context import Context
from commands.grammar.polls import vote
from commands.language import Command, Vote, VoteCast, VoteOpen
from commands.refusals import say
from commands.suggest import release_or_error
from commands.table import CommandTable
from domain.calendar import local_date, london_to_utc, wall_clock_exists
from domain.format import day, instant, relative
from domain.polls import CHOICES, OUTCOMES, PollView, outcome_text
from domain.refusals import Refusal
from domain.reply import Actions, Block, Button, Facts, Heading, Items, Note, Paragraph, Reply, Spans, b, i, spans
from domain.words import read_id
from store import polls
from store.votes import Press

__all__ = [
    "DEFAULT_CLOSE",
    "cast",
    "close",
    "open_poll",
    "outcome_reply",
    "poll_card",
    "press_vote",
    "register",
    "show",
    "status",
    "votes_csv",
]

DEFAULT_CLOSE = time(17, 0)  # a closing date given without a time closes at 17:00 London


def _closes(view: PollView, ctx: Context) -> Spans:
    when = instant(view.closes_at)
    if view.is_open:
        return spans(when, f" ({relative(ctx.snapshot.calendar, ctx.today, local_date(view.closes_at))})")
    return spans(when)


def poll_card(view: PollView, ctx: Context) -> Reply:
    """The poll message: question, deadline, tally (counts only while a secret poll is open), buttons."""
    title = f"🗳 Panel go/no-go: {view.release_name}"
    tally = view.tally
    voted = len(view.votes)
    facts: list[tuple[str, Spans]] = [
        (
            "Closes" if view.is_open else "Closed",
            _closes(view, ctx) if view.is_open else spans(instant(view.closed_at or view.closes_at)),
        ),
        ("Votes", spans(f"{voted} of {len(view.eligible)} Panel members")),
    ]
    if view.quorum:
        facts.append(("Quorum", spans(f"{view.quorum} voting")))
    if view.secret:
        facts.append(("Ballot", spans("secret until close")))
    blocks: list[Block] = [Heading(title), Paragraph(spans(b(view.question))), Facts(tuple(facts))]
    reveal = not view.secret or not view.is_open
    if reveal:
        blocks.append(Paragraph(spans(" · ".join(f"{label} {tally[key]}" for key, label in CHOICES.items()))))
        if view.votes:
            lines = tuple(
                spans(b(v.name), f": {CHOICES[v.choice]}", f" — “{v.comment}”" if v.comment else "")
                for v in sorted(view.votes, key=lambda v: v.name)
            )
            blocks.append(Items(lines, title="Votes"))
    if view.is_open:
        blocks.append(
            Note(spans("Only Panel members can vote; the last vote of each member counts until the poll closes."))
        )
        blocks.append(
            Actions(
                (
                    Button("Go", "vote", f"{view.id}:go", "primary"),
                    Button("No-go", "vote", f"{view.id}:no_go", "danger"),
                    Button("Abstain", "vote", f"{view.id}:abstain"),
                    Button("Comment…", "vote_comment", str(view.id)),
                )
            )
        )
    else:
        outcome = view.outcome or "no_quorum"
        blocks.append(Paragraph(spans("Outcome: ", b(outcome_text(outcome, tally)))))
    return Reply(
        title, tuple(blocks), command=f"/release {view.slug} vote", public=True, meta={"poll_id": str(view.id)}
    )


def outcome_reply(view: PollView, ctx: Context) -> Reply:
    """Posted in the poll's thread when it closes."""
    text = outcome_text(view.outcome or "no_quorum", view.tally)
    lines = tuple(
        spans(b(v.name), f": {CHOICES[v.choice]}", f" — “{v.comment}”" if v.comment else "")
        for v in sorted(view.votes, key=lambda v: v.name)
    )
    blocks: list[Block] = [Paragraph(spans("🏁 Poll closed. Panel decision for ", b(view.release_name), ": ", b(text)))]
    if lines:
        blocks.append(Items(lines, title="Votes"))
    blocks.append(Note(spans(f"Recorded on the release timeline and in the audit log. Closed by {view.closed_by}.")))
    return Reply(
        f"Panel decision: {OUTCOMES.get(view.outcome or '', '')}",
        tuple(blocks),
        public=True,
        meta={"poll_id": str(view.id), "closed": "1"},
    )


def _error(cmd: Command, text: str) -> Reply:
    return Reply("Sorry", (Paragraph(spans(text)),), command=cmd.text, kind="error")


async def _latest(cmd: Vote, ctx: Context) -> PollView | Reply:
    slug = cmd.slug
    assert ctx.writer is not None and slug is not None
    view = await ctx.writer.read(lambda s: polls.latest_poll(s, slug))
    if view is None:
        return _error(cmd, messages.no_poll(slug))
    return view


async def open_poll(cmd: VoteOpen, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    rel = release_or_error(cmd, ctx.snapshot)
    if isinstance(rel, Reply):
        return rel
    assert ctx.writer is not None
    if cmd.day is not None:
        if not wall_clock_exists(cmd.day, cmd.at or DEFAULT_CLOSE):
            return _error(cmd, messages.no_such_time(f"{cmd.at or DEFAULT_CLOSE:%H:%M}", day(cmd.day)))
        closes_at = london_to_utc(cmd.day, cmd.at or DEFAULT_CLOSE)
    else:
        # The release's next planned go/no-go: an all-day one closes at 17:00 on its day.
        closings = [
            london_to_utc(local_date(ms.due_at), DEFAULT_CLOSE) if ms.all_day else ms.due_at
            for ms in ctx.snapshot.milestones_by_release.get(rel.id, [])
            if ms.kind == "go_no_go" and ms.state == "planned"
        ]
        ahead = sorted(at for at in closings if at > ctx.now)
        if not ahead:
            return _error(cmd, messages.poll_needs_close(rel.slug))
        closes_at = ahead[0]
    question = cmd.question or f"Should the {rel.name} go live as planned on {day(rel.go_live)}?"
    opening = polls.OpenPoll(ctx.actor.label, rel.slug, closes_at, cmd.quorum, cmd.secret, question)
    try:
        done = await ctx.writer.write(opening)
    except Refusal as refusal:
        return _error(cmd, say(refusal))
    assert done.poll_id is not None
    poll_id = done.poll_id
    view = await ctx.writer.read(lambda s: polls.load_poll(s, poll_id))
    card = poll_card(view, ctx)
    return Reply(card.title, card.blocks, cmd.text, "changed", True, meta={"poll_id": str(poll_id), "publish": "1"})


async def show(cmd: Vote, ctx: Context) -> Reply:
    view = await _latest(cmd, ctx)
    if isinstance(view, Reply):
        return view
    card = poll_card(view, ctx)
    # Shown on request: no buttons (the poll message in the channel has them), never re-published.
    blocks = tuple(blk for blk in card.blocks if not isinstance(blk, Actions))
    return Reply(card.title, blocks, cmd.text, meta={})


async def status(cmd: Vote, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    view = await _latest(cmd, ctx)
    if isinstance(view, Reply):
        return view
    title = f"Poll #{view.id} on {view.release_name}: who has voted"
    missing = view.not_voted
    blocks: list[Block] = [
        Heading(title),
        Facts(
            (
                ("Closes" if view.is_open else "Closed", _closes(view, ctx)),
                ("Voted", spans(f"{len(view.votes)} of {len(view.eligible)}")),
            )
        ),
    ]
    if missing:
        blocks.append(Items(tuple(spans(name) for _, name in missing), title=f"Not voted yet ({len(missing)})"))
    else:
        blocks.append(Paragraph(spans(i("Every Panel member has voted."))))
    if view.secret and view.is_open:
        blocks.append(Note(spans("A secret poll: who voted what is shown when it closes.")))
    return Reply(title, tuple(blocks), cmd.text)


async def close(cmd: Vote, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    view = await _latest(cmd, ctx)
    if isinstance(view, Reply):
        return view
    assert ctx.writer is not None
    if not view.is_open:
        return _error(cmd, messages.poll_already_closed(view.id))
    try:
        done = await ctx.writer.write(polls.ClosePoll(ctx.actor.label, view.id))
    except Refusal as refusal:
        return _error(cmd, say(refusal))
    if done is None:
        return _error(cmd, messages.poll_already_closed(view.id))
    # The outcome itself is announced where the poll was posted (see Releasebot.poll_changed).
    return Reply(
        done.event.summary,
        (Paragraph(spans("✅ ", done.event.summary)),),
        cmd.text,
        "changed",
        meta={"poll_id": str(view.id), "closed": "1"},
    )


def votes_csv(view: PollView) -> str:
    """The poll for the minutes: one row per member, voters first."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "poll",
            "release",
            "question",
            "member",
            "vote",
            "comment",
            "voted at (Europe/London)",
            "times cast",
            "outcome",
        ]
    )
    outcome = outcome_text(view.outcome, view.tally) if view.outcome else "open"
    hidden = view.secret and view.is_open  # a secret ballot: who voted, not what, until it closes
    for v in sorted(view.votes, key=lambda v: v.name):
        vote, comment = ("voted (secret until close)", "") if hidden else (CHOICES[v.choice], v.comment)
        writer.writerow(
            [view.id, view.release_name, view.question, v.name, vote, comment, instant(v.voted_at), v.casts, outcome]
        )
    for _, name in view.not_voted:
        writer.writerow([view.id, view.release_name, view.question, name, "not voted", "", "", 0, outcome])
    return out.getvalue()


async def _vote(poll_id: int, choice: str, comment: str | None, ctx: Context, command: str) -> Reply:
    assert ctx.writer is not None
    if ctx.actor.role is None:
        return Reply("Not allowed", (Paragraph(spans(messages.vote_not_member())),), command, "error")
    press = Press(poll_id, ctx.actor.member_id, ctx.actor.role, ctx.actor.label, choice, comment)
    try:
        counted = await ctx.writer.vote(press)
    except Refusal as refusal:
        return Reply("Not counted", (Paragraph(spans(say(refusal))),), command, "error")
    text = messages.vote_counted(CHOICES[choice], counted.release_name, instant(counted.closes_at))
    return Reply(text, (Paragraph(spans("✅ ", text)),), command, meta={"poll_id": str(poll_id), "refresh": "1"})


async def cast(cmd: VoteCast, ctx: Context) -> Reply:
    view = await _latest(cmd, ctx)
    if isinstance(view, Reply):
        return view
    return await _vote(view.id, cmd.choice, cmd.comment or None, ctx, cmd.text)


async def press_vote(value: str, ctx: Context) -> Reply:
    """The Go / No-go / Abstain buttons: value `<poll id>:<choice>[:<comment>]`."""
    poll_text, _, rest = value.partition(":")
    choice, _, comment = rest.partition(":")
    if (poll_id := read_id(poll_text)) is None:
        return Reply("Unknown button", (Paragraph(spans(messages.unknown_button())),), kind="error")
    return await _vote(poll_id, choice, comment or None, ctx, "")


def register(table: CommandTable) -> None:
    """The poll words, commands and the vote buttons."""
    table.release_word("vote", vote, aliases=("poll", "votes"))
    table.command("vote.open", open_poll)
    table.command("vote.show", show)
    table.command("vote.status", status)
    table.command("vote.close", close)
    table.command("vote.cast", cast)
    table.button("vote", press_vote)
