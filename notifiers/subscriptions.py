"""Handlers for `/release subscribe`, `unsubscribe` and `subscriptions`.

Who may: a release admin for any channel; anyone for their own direct message with the bot.
Each change is one audited, undoable transaction (store/reminders.py); the outbox follows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from commands.admin import apply_change, check_release, without_undo
from commands.context import Context
from commands.messages import redacted
from commands.suggest import close_words, error_reply, nearest_releases
from domain.format import instant
from domain.planning import SubscriptionView, plan
from domain.reply import Block, Heading, Items, Note, Paragraph, Reply, b, code, i, spans
from domain.rules import Rules
from notifiers import messages
from notifiers.language import Subscription
from notifiers.message import where
from notifiers.outbox import load_subscriptions
from notifiers.webhooks import WEBHOOK_HOSTS, webhook_allowed
from store import reminders

__all__ = ["list_subscriptions", "subscribe", "unsubscribe"]


@dataclass(frozen=True)
class _Target:
    platform: str
    channel_id: str
    channel_name: str
    direct: bool


def _target(cmd: Subscription, ctx: Context) -> _Target | Reply:
    named = cmd.channel
    webhook = cmd.webhook
    here = ctx.channel
    if named is not None:
        channel_id, name = named
        platform = webhook[0] if webhook else (here.platform if here and here.platform != "console" else "slack")
        return _Target(platform, channel_id, name, bool(here and here.direct and here.id == channel_id))
    if here is None or webhook:
        return error_reply(
            _redacted(cmd), messages.subscribe_needs_channel(), usage="/release subscribe #channel [<release>|all]"
        )
    label = f"#{here.name}" if here.name and not here.direct else here.name or here.id
    if here.direct:
        label = f"DM with {ctx.actor.name or ctx.actor.user_id}"
    return _Target(here.platform, here.id, label, here.direct)


def _redacted(cmd: Subscription) -> str:
    """The command as typed, without a webhook address (a secret) in it."""
    return redacted(cmd.text)


def _refuse(cmd: Subscription, ctx: Context, target: _Target) -> Reply | None:
    webhook = cmd.webhook
    if webhook and not ctx.actor.is_admin:
        return Reply(
            "Not allowed", (Paragraph(spans(messages.webhook_needs_admin())),), command=_redacted(cmd), kind="error"
        )
    if webhook and not webhook_allowed(webhook[0], webhook[1], ctx.webhook_hosts):
        return error_reply(_redacted(cmd), messages.webhook_not_allowed(webhook[0], WEBHOOK_HOSTS[webhook[0]]))
    if target.direct or ctx.actor.is_admin:
        return None
    return Reply(
        "Not allowed",
        (Paragraph(spans(messages.subscribe_needs_admin(ctx.actor.name or ctx.actor.user_id))),),
        command=_redacted(cmd),
        kind="error",
    )


def _kinds(cmd: Subscription) -> tuple[str, ...]:
    return tuple(word.replace("-", "_") for word in cmd.kinds)


def _check_kinds(cmd: Subscription, ctx: Context, rules: Rules) -> Reply | None:
    known = list(rules.kinds)
    bad = [word for word in cmd.kinds if word.replace("-", "_") not in rules.kinds]
    if not bad:
        return None
    # A word that is not a kind may be a mistyped release (`jnue-2021`): offer both.
    suggestions = [
        s
        for word in bad
        for s in close_words(word.replace("-", "_"), known, 2) or nearest_releases(ctx.snapshot, word, 2)
    ]
    blocks: list[Block] = [Paragraph(spans(messages.unknown_kinds(bad, suggestions)))]
    blocks.append(
        Note(
            spans(
                "Kinds with reminders: ",
                ", ".join(rules.reminded_kinds()),
                ". Others: ",
                ", ".join(k for k in known if not rules.kinds[k].leads),
                ".",
            )
        )
    )
    return Reply("Sorry", tuple(blocks), command=_redacted(cmd), kind="error")


def _checks(cmd: Subscription, ctx: Context) -> _Target | Reply:
    target = _target(cmd, ctx)
    if isinstance(target, Reply):
        return target
    return _refuse(cmd, ctx, target) or check_release(cmd, ctx, cmd.slug) or _check_kinds(cmd, ctx, ctx.rules) or target


def _personal(reply: Reply, ctx: Context) -> Reply:
    """Non-admins cannot use `/release undo`: point them at unsubscribe instead of the Undo button."""
    return without_undo(reply, ctx, Note(spans("Stop them any time with ", code("/release unsubscribe"), ".")))


def _next_line(ctx: Context, sub: SubscriptionView, rules: Rules) -> str:
    """When this subscription's next reminder goes out, from the rules (no outbox needed)."""
    snap = ctx.snapshot
    upcoming = plan(snap.milestones, [sub], rules, snap.calendar, ctx.now, ctx.now + timedelta(days=400))
    if not upcoming:
        return "no reminder due in the next year"
    first = min(upcoming, key=lambda p: p.due_at)
    ms = snap.milestone_by_id[first.milestone_id]
    return f"next: {instant(first.due_at)}, “{ms.title}” ({first.lead} WD before)"


async def subscribe(cmd: Subscription, ctx: Context) -> Reply:
    checked = _checks(cmd, ctx)
    if isinstance(checked, Reply):
        return checked
    webhook = cmd.webhook
    change = reminders.Subscribe(
        ctx.actor.label,
        checked.platform,
        checked.channel_id,
        checked.channel_name,
        checked.direct,
        cmd.slug,
        _kinds(cmd),
        cmd.leads,
        webhook_url=webhook[1] if webhook else None,
        personal=checked.direct,
    )
    reply = await apply_change(_as(cmd), ctx, change)
    if reply.kind == "changed" and ctx.writer is not None:
        subs = await ctx.writer.read(load_subscriptions)
        release_id = ctx.snapshot.release(cmd.slug).id if cmd.slug else None  # type: ignore[union-attr]
        mine = next(
            (
                s
                for s in subs
                if s.platform == checked.platform and s.channel_id == checked.channel_id and s.release_id == release_id
            ),
            None,
        )
        if mine is not None:
            blocks = (reply.blocks[0], Paragraph(spans(i(_next_line(ctx, mine, ctx.rules)))), *reply.blocks[1:])
            reply = replace(reply, blocks=blocks)
    return _personal(reply, ctx)


def _as(cmd: Subscription) -> Subscription:
    """The command with its text redacted, so replies (and their buttons) never carry a webhook address."""
    return replace(cmd, text=_redacted(cmd))


async def unsubscribe(cmd: Subscription, ctx: Context) -> Reply:
    checked = _checks(cmd, ctx)
    if isinstance(checked, Reply):
        return checked
    scope = "all" if cmd.every else cmd.slug
    change = reminders.Unsubscribe(
        ctx.actor.label,
        checked.platform,
        checked.channel_id,
        checked.channel_name,
        scope,
        _kinds(cmd),
        ctx.rules.reminded_kinds(),
        personal=checked.direct,
    )
    reply = await apply_change(cmd, ctx, change)
    return _personal(reply, ctx)


async def list_subscriptions(cmd: Subscription, ctx: Context) -> Reply:
    every = cmd.every
    if every and not ctx.actor.is_admin:
        return Reply(
            "Not allowed",
            (Paragraph(spans(messages.subscribe_needs_admin(ctx.actor.name or ctx.actor.user_id))),),
            command=cmd.text,
            kind="error",
        )
    target = None if every else _target(cmd, ctx)
    if isinstance(target, Reply):
        return target
    if ctx.writer is None:
        return Reply(
            "Read-only", (Paragraph(spans("Subscriptions are not available here.")),), command=cmd.text, kind="error"
        )
    subs: list[SubscriptionView] = await ctx.writer.read(load_subscriptions)
    if target is not None:
        subs = [s for s in subs if s.platform == target.platform and s.channel_id == target.channel_id]
    rules = ctx.rules
    title = "Reminder subscriptions" if target is None else f"Reminders in {target.channel_name}"
    if not subs:
        return Reply(
            title,
            (
                Heading(title),
                Paragraph(spans(messages.no_subscriptions(target.channel_name if target else "No channel"))),
            ),
            command=cmd.text,
        )
    lines = []
    for sub in subs:
        rel = ctx.snapshot.release_by_id.get(sub.release_id) if sub.release_id is not None else None
        scope = messages.reminder_scope(rel.name if rel else None, sorted(sub.kinds), sub.leads)
        via = " · via webhook" if sub.webhook_url else ""
        lines.append(
            spans(b(where(sub)), f" · {scope}{via} · ", i(_next_line(ctx, sub, rules)), f" · by {sub.created_by}")
        )
    blocks: list[Block] = [Heading(title), Items(tuple(lines))]
    blocks.append(
        Note(
            spans(
                "Change with ",
                code("/release subscribe"),
                " · stop with ",
                code("/release unsubscribe"),
                " · rules: ",
                code("/release help reminders"),
            )
        )
    )
    return Reply(title, tuple(blocks), command=cmd.text)
