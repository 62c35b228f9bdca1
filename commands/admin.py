"""Handlers that change state: scope, milestones, holidays, undo, and the audit log.

Each checks the actor's role first, then runs one store change in one transaction through the
context's writer. A refused change (`ChangeRefused`) becomes a short error reply; nothing half-done
is left behind because the transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from commands import messages
from commands.context import Context
from commands.format import instant
from commands.parse import Command
from commands.reply import (
    Actions,
    Block,
    Button,
    Heading,
    Items,
    Note,
    Paragraph,
    Reply,
    b,
    code,
    i,
    spans,
)
from commands.suggest import error_reply, mod_or_error, nearest_releases
from notifiers.rules import load_rules
from store import changes, models

__all__ = ["add_holiday", "add_milestone", "apply_change", "audit", "cancel_milestone", "check_release", "move_milestone", "set_scope", "undo", "without_undo"]


def _refuse(cmd: Command, ctx: Context) -> Reply | None:
    if ctx.actor.is_admin:
        return None
    text = messages.not_admin(ctx.actor.name) if ctx.actor.role else messages.not_member()
    return Reply("Not allowed", (Paragraph(spans(text)),), command=cmd.text, kind="error")


async def _apply(cmd: Command, ctx: Context, change: Callable[..., Awaitable[changes.Changed]], **kwargs: Any) -> Reply:
    if ctx.writer is None:
        return Reply("Read-only", (Paragraph(spans("This channel is read-only; changes are made where the bot can write.")),), command=cmd.text, kind="error")
    try:
        done = await ctx.writer.write(change, actor=ctx.actor.label, **kwargs)
    except changes.ChangeRefused as refused:
        return Reply("Not changed", (Paragraph(spans(str(refused))),), command=cmd.text, kind="error")
    event = done.event
    who = f"Change #{event.id} by {ctx.actor.name or ctx.actor.user_id} · state version {done.version}"
    blocks: list[Block] = [Paragraph(spans("✅ ", event.summary))]
    if event.action == "undo" or event.action.startswith(changes.PERSONAL):
        blocks.append(Note(spans(who)))
    else:
        blocks.append(Note(spans(who, " · ", code("/release undo"), " reverses it")))
        blocks.append(Actions((Button("Undo", "command", f"/release undo #{event.id}", "danger"),)))
    meta = {}
    touched = done.undone.undo if done.undone is not None else []
    poll = next((op["id"] for op in touched if op.get("table") == "poll"), None)
    if poll is not None:  # an undone poll close: the poll's messages must show it open again
        meta = {"poll_id": str(poll), "refresh": "1"}
    return Reply(event.summary, tuple(blocks), command=cmd.text, kind="changed", public=True, meta=meta)


def _check_release(cmd: Command, ctx: Context, slug: str | None) -> Reply | None:
    if slug and ctx.snapshot.release(slug) is None:
        return error_reply(cmd.text, messages.unknown_release(slug), nearest_releases(ctx.snapshot, slug), usage="/release")
    return None


async def set_scope(cmd: Command, ctx: Context) -> Reply:
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
        if not cmd.words:
            return error_reply(cmd.text, messages.new_mod_needs_title(cmd.ref or "", cmd.slug or ""))
    return await _apply(
        cmd, ctx, changes.set_scope, action=action, slug=cmd.slug, ref=known.ref if known else cmd.ref,
        reason=cmd.reason, today=ctx.today, to_slug=cmd.to_slug, title=cmd.words or None,
    )  # fmt: skip


async def add_milestone(cmd: Command, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug):
        return bad
    kinds = [k.value for k in models.MilestoneKind]
    if cmd.option not in kinds:
        return error_reply(cmd.text, messages.no_such_milestone_kind(cmd.option or "", kinds))
    derive = load_rules().derivations  # e.g. a Change Board vote brings its referral period and implementation
    return await _apply(cmd, ctx, changes.add_milestone, slug=cmd.slug, kind=cmd.option, day=cmd.day, at=cmd.at, title=cmd.words, derive=derive)


async def move_milestone(cmd: Command, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug):
        return bad
    return await _apply(cmd, ctx, changes.move_milestone, slug=cmd.slug, which=cmd.option, day=cmd.day, at=cmd.at, reason=cmd.reason)


async def cancel_milestone(cmd: Command, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if bad := _check_release(cmd, ctx, cmd.slug):
        return bad
    return await _apply(cmd, ctx, changes.cancel_milestone, slug=cmd.slug, which=cmd.option, reason=cmd.reason)


async def add_holiday(cmd: Command, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    return await _apply(cmd, ctx, changes.add_holiday, day=cmd.day, name=cmd.words)


async def undo(cmd: Command, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    return await _apply(cmd, ctx, changes.undo_last, expected=cmd.n)


async def _latest_events(session: AsyncSession, n: int) -> list[models.AuditEvent]:
    rows = await session.exec(select(models.AuditEvent).order_by(col(models.AuditEvent.id).desc()).limit(n))
    return list(rows.all())


async def audit(cmd: Command, ctx: Context) -> Reply:
    if refused := _refuse(cmd, ctx):
        return refused
    if ctx.writer is None:
        return Reply("Read-only", (Paragraph(spans("The audit log is not available here.")),), command=cmd.text, kind="error")
    events: list[models.AuditEvent] = await ctx.writer.read(lambda s: _latest_events(s, cmd.n or 10))
    title = "Audit log"
    if not events:
        return Reply(title, (Heading(title), Paragraph(spans("No changes have been made from chat yet."))), command=cmd.text)
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


# Shared with the reminder handlers (commands/subscriptions.py, commands/reminders.py).
apply_change = _apply
check_release = _check_release
