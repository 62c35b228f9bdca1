"""The buttons on a reminder: "Done" marks the milestone met (admins), "Snooze 1 WD" reminds again.

Both are audited changes through the bot's writer, like any other; pressing them twice is
answered, not repeated.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel.ext.asyncio.session import AsyncSession

from commands.admin import apply_change, without_undo
from commands.context import Context
from commands.language import Command
from commands.messages import unknown_button
from domain.calendar import LONDON, local_date, london_to_utc
from domain.format import instant, milestone_when
from domain.reply import Paragraph, Reply, spans
from notifiers import messages
from notifiers.message import decode_button_value
from store import changes, reminders
from store.models import Delivery

__all__ = ["done", "snooze"]


def _error(text: str) -> Reply:
    return Reply("Sorry", (Paragraph(spans(text)),), kind="error")


async def done(value: str, ctx: Context) -> Reply:
    try:
        _, key = decode_button_value(value)
    except ValueError:
        return _error(unknown_button())
    if not ctx.actor.is_admin:
        return _error(messages.done_needs_admin(ctx.actor.name or ctx.actor.user_id))
    return await apply_change(Command(action="reminder.done", text="Done"), ctx, changes.MarkMet(ctx.actor.label, key))


async def _delivery(session: AsyncSession, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def snooze(value: str, ctx: Context) -> Reply:
    try:
        delivery_id, _ = decode_button_value(value)
    except ValueError:
        return _error(unknown_button())
    if ctx.writer is None:
        return _error(messages.reminder_gone())
    original: Delivery | None = await ctx.writer.read(lambda s: _delivery(s, delivery_id))
    if original is None:
        return _error(messages.reminder_gone())
    ms = ctx.snapshot.milestone_by_id.get(original.milestone_id)
    if ms is None:
        return _error(messages.milestone_gone())
    calendar = ctx.snapshot.calendar
    again = london_to_utc(calendar.add(ctx.today, 1), original.due_at.astimezone(LONDON).time())
    if (local_date(again) > local_date(ms.due_at)) if ms.all_day else again > ms.due_at:
        return _error(messages.snooze_too_late(milestone_when(ms)))
    until = instant(again)
    who = ctx.actor
    audience = reminders.Audience(who.platform, who.user_id, who.member_id, ctx.channel.id if ctx.channel else None)
    change = reminders.Snooze(ctx.actor.label, delivery_id, again, until, audience)
    reply = await apply_change(Command(action="reminder.snooze", text="Snooze 1 WD"), ctx, change)
    if reply.kind == "changed":
        reply = replace(reply, blocks=(Paragraph(spans(messages.snoozed(until))), *reply.blocks[1:]))
    return without_undo(reply, ctx)
