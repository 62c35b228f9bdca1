"""Handlers that change state: scope, milestones, holidays, undo, and the audit log.

Each checks the actor's role first, then runs one store change in one transaction through the
context's writer. A refused change (a `domain.refusals.Refusal`) becomes a short error reply,
worded by `commands.refusals`; nothing half-done is left behind because the transaction rolls back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from commands import content_refusals as _words  # noqa: F401 (registers the refusals' words)
from commands import messages
from commands.context import Context
from commands.language import (
    Audit,
    Command,
    HolidayAdd,
    MilestoneAdd,
    MilestoneCancel,
    MilestoneMove,
    ScopeChange,
    Undo,
)
from commands.refusals import say
from commands.suggest import error_reply, mod_or_error, nearest_releases
from domain.content_refusals import InsideDccLead
from domain.format import instant
from domain.kinds import PERSONAL, MilestoneKind
from domain.refusals import CannotUndo, Refusal
from domain.reply import Actions, Block, Button, Heading, Items, Note, Paragraph, Reply, b, code, i, spans
from store import changes, models
from store.changes import Changed
from store.changes.undo import SET_ASIDE
from store.uow import Change

__all__ = [
    "add_holiday",
    "add_milestone",
    "apply_change",
    "audit",
    "cancel_milestone",
    "changed",
    "check_release",
    "dcc_lead_warning",
    "move_milestone",
    "refusal_reply",
    "refuse_non_admin",
    "set_scope",
    "undo",
    "without_undo",
]


def _refuse(cmd: Command, ctx: Context) -> Reply | None:
    if ctx.actor.is_admin:
        return None
    text = messages.not_admin(ctx.actor.name) if ctx.actor.role else messages.not_member()
    return Reply("Not allowed", (Paragraph(spans(text)),), command=cmd.text, kind="error")


def _read_only(cmd: Command) -> Reply:
    text = "This channel is read-only; changes are made where the bot can write."
    return Reply("Read-only", (Paragraph(spans(text)),), command=cmd.text, kind="error")


def refusal_reply(cmd: Command, refusal: Refusal) -> Reply:
    """A refused change as a short error reply (nothing was changed: the transaction rolled back)."""
    return Reply("Not changed", (Paragraph(spans(say(refusal))),), command=cmd.text, kind="error")


def changed(cmd: Command, ctx: Context, done: Changed) -> Reply:
    """A change made: what it did, who and which version, and an Undo button for it alone."""
    event = done.event
    who = f"Change #{event.id} by {ctx.actor.name or ctx.actor.user_id} · state version {done.version}"
    blocks: list[Block] = [Paragraph(spans("✅ ", event.summary))]
    if event.action in ("undo", SET_ASIDE) or event.action.startswith(PERSONAL):
        blocks.append(Note(spans(who)))
    else:
        blocks.append(Note(spans(who, " · ", code("/release undo"), " reverses it")))
        blocks.append(Actions((Button("Undo", "command", f"/release undo #{event.id}", "danger"),)))
    # An undone poll open or close: the poll's messages must follow.
    meta = {"poll_id": str(done.poll_id), "refresh": "1"} if done.poll_id is not None else {}
    return Reply(event.summary, tuple(blocks), command=cmd.text, kind="changed", public=True, meta=meta)


async def _apply(cmd: Command, ctx: Context, change: Change[Changed]) -> Reply:
    if ctx.writer is None:
        return _read_only(cmd)
    try:
        done = await ctx.writer.write(change)
    except InsideDccLead as lead:
        return dcc_lead_warning(cmd, lead)
    except Refusal as refusal:
        return refusal_reply(cmd, refusal)
    return changed(cmd, ctx, done)


def dcc_lead_warning(cmd: Command, lead: InsideDccLead) -> Reply:
    """Not applied yet: what the DCC lead time means, and a button that applies it anyway."""
    again = f"{cmd.text} confirm"
    blocks = (
        Paragraph(spans("⚠️ ", say(lead), " The DCC may not be able to deliver it in time.")),
        Note(spans("Nothing is changed yet. To go ahead, press the button or send ", code(again), ".")),
        Actions((Button("Add anyway", "command", again, "primary"),)),
    )
    return Reply("Inside the DCC lead time", blocks, command=cmd.text, kind="answer")


def _check_release(cmd: Command, ctx: Context, slug: str | None) -> Reply | None:
    if slug and ctx.snapshot.release(slug) is None:
        return error_reply(
            cmd.text, messages.unknown_release(slug), nearest_releases(ctx.snapshot, slug), usage="/release"
        )
    return None


async def set_scope(cmd: ScopeChange, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug) or _check_release(cmd, ctx, cmd.to_slug):
        return bad
    action = cmd.action.split(".", 1)[1]
    known = ctx.snapshot.mod(cmd.ref or "")
    if known is None:
        if action != "add":
            found = mod_or_error(cmd, ctx.snapshot)
            assert isinstance(found, Reply)
            return found
        if not cmd.title:
            return error_reply(cmd.text, messages.new_mod_needs_title(cmd.ref or "", cmd.slug or ""))
    ref = known.ref if known else cmd.ref
    who, slug, reason = ctx.actor.label, cmd.slug, cmd.reason
    on, precision = (cmd.effective.day, cmd.effective.precision) if cmd.effective else (ctx.today, "day")
    notice: dict[str, Any] = {"by_exception": cmd.by_exception, "rules": ctx.rules, "confirmed": cmd.confirmed}
    notice["precision"] = precision
    change: Change[Changed]
    if action == "add":
        change = changes.TargetScope(who, slug, ref, on, reason, title=cmd.title or None, **notice)
    elif action == "approve":
        change = changes.ApproveScope(who, slug, ref, on, reason, **notice)
    elif action == "remove":
        change = changes.RemoveFromScope(who, slug, ref, on, reason, **notice)
    else:
        change = changes.MoveScope(who, slug, ref, on, reason, to_slug=cmd.to_slug, **notice)
    return await _apply(cmd, ctx, change)


async def add_milestone(cmd: MilestoneAdd, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug):
        return bad
    kinds = [k.value for k in MilestoneKind]
    if cmd.kind not in kinds:
        return error_reply(cmd.text, messages.no_such_milestone_kind(cmd.kind, kinds))
    derive = ctx.rules.derivations  # e.g. a Change Board vote brings its referral period and implementation
    change = changes.AddMilestone(
        ctx.actor.label, cmd.slug, cmd.kind, cmd.day, cmd.at, cmd.title, derive, effective=cmd.effective
    )
    return await _apply(cmd, ctx, change)


async def move_milestone(cmd: MilestoneMove, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug):
        return bad
    return await _apply(
        cmd,
        ctx,
        changes.MoveMilestone(
            ctx.actor.label, cmd.slug, cmd.which, cmd.day, cmd.at, cmd.reason, effective=cmd.effective
        ),
    )


async def cancel_milestone(cmd: MilestoneCancel, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug):
        return bad
    return await _apply(
        cmd, ctx, changes.CancelMilestone(ctx.actor.label, cmd.slug, cmd.which, cmd.reason, effective=cmd.effective)
    )


async def add_holiday(cmd: HolidayAdd, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    return await _apply(cmd, ctx, changes.AddHoliday(ctx.actor.label, cmd.day, cmd.name, effective=cmd.effective))


async def undo(cmd: Undo, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if ctx.writer is None:
        return _read_only(cmd)
    try:
        done = await ctx.writer.write(changes.Undo(ctx.actor.label, expected=cmd.change))
    except CannotUndo as stuck:
        return await _set_aside(cmd, ctx, stuck)
    except Refusal as refusal:
        return refusal_reply(cmd, refusal)
    return changed(cmd, ctx, done)


async def _set_aside(cmd: Command, ctx: Context, stuck: CannotUndo) -> Reply:
    """The newest change can no longer be undone: say why, and take it off the stack so the
    changes before it stay undoable (the next undo reaches them)."""
    assert ctx.writer is not None
    why = say(stuck.reason)
    try:
        await ctx.writer.write(changes.SetAside(ctx.actor.label, stuck.event_id, why))
    except Refusal as refusal:
        return refusal_reply(cmd, refusal)
    text = f"{say(stuck)} It is set aside: `/release undo` now reverses the change before it."
    return Reply("Not undone", (Paragraph(spans(text)),), command=cmd.text, kind="error")


async def _latest_events(session: AsyncSession, n: int) -> list[models.AuditEvent]:
    rows = await session.exec(select(models.AuditEvent).order_by(col(models.AuditEvent.id).desc()).limit(n))
    return list(rows.all())


async def audit(cmd: Audit, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if ctx.writer is None:
        return Reply(
            "Read-only", (Paragraph(spans("The audit log is not available here.")),), command=cmd.text, kind="error"
        )
    events: list[models.AuditEvent] = await ctx.writer.read(lambda s: _latest_events(s, cmd.count))
    title = "Audit log"
    if not events:
        return Reply(
            title, (Heading(title), Paragraph(spans("No changes have been made from chat yet."))), command=cmd.text
        )
    lines = []
    for e in events:
        state = " · undone" if e.undone_by_id else ""
        lines.append(spans(b(f"#{e.id}"), f" {instant(e.at)} · {e.actor} · ", e.summary, i(state)))
    return Reply(title, (Heading(title), Items(tuple(lines))), command=cmd.text)


def without_undo(reply: Reply, ctx: Context, note: Note | None = None) -> Reply:
    """A change a non-admin made (their own reminders): they cannot `/release undo`, so no Undo button."""
    if ctx.actor.is_admin or reply.kind != "changed":
        return reply
    blocks = (reply.blocks[0], note) if note is not None else reply.blocks[:1]
    return replace(reply, blocks=blocks)


# Shared with the reminder handlers (notifiers/subscriptions.py, notifiers/buttons.py).
apply_change = _apply
check_release = _check_release
refuse_non_admin = _refuse
