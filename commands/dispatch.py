"""Command -> handler. The table below is the whole list of what the bot can do."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Union

from commands import admin, helptext, lookup, polls, releases, subscriptions, workdays
from commands.context import Context
from commands.parse import Command, ParseError
from commands.reply import Reply

__all__ = ["HANDLERS", "READ_ONLY", "answer"]

Handler = Callable[[Command, Context], Union[Reply, Awaitable[Reply]]]

HANDLERS: dict[str, Handler] = {
    "help": helptext.help_reply,
    "release.list": releases.list_releases,
    "release.card": releases.card,
    "release.scope": releases.scope,
    "release.timeline": releases.timeline,
    "release.impacts": releases.impacts,
    "release.costs": releases.costs,
    "release.criteria": releases.criteria,
    "release.history": releases.history,
    "release.changes": releases.changes,
    "release.rid": releases.rid,
    "mod.show": lookup.show_mod,
    "find": lookup.find,
    "glossary": lookup.glossary,
    "workdays.add": workdays.add,
    "workdays.between": workdays.between,
    "workdays.check": workdays.check,
    "holiday.list": workdays.holidays,
    "scope.add": admin.set_scope,
    "scope.approve": admin.set_scope,
    "scope.remove": admin.set_scope,
    "scope.move": admin.set_scope,
    "milestone.add": admin.add_milestone,
    "milestone.move": admin.move_milestone,
    "milestone.cancel": admin.cancel_milestone,
    "holiday.add": admin.add_holiday,
    "undo": admin.undo,
    "audit": admin.audit,
    "vote.open": polls.open_poll,
    "vote.show": polls.show,
    "vote.status": polls.status,
    "vote.close": polls.close,
    "vote.cast": polls.cast,
    # Reminders: these depend on the channel asked from, so they are not cached (not in READ_ONLY).
    "subscription.add": subscriptions.subscribe,
    "subscription.remove": subscriptions.unsubscribe,
    "subscription.list": subscriptions.list_subscriptions,
}

# Answers that depend only on (state version, date, text): safe to cache per version.
READ_ONLY = frozenset(
    action for action in HANDLERS if action.split(".")[0] in ("help", "release", "mod", "find", "glossary", "workdays") or action == "holiday.list"
)


async def answer(parsed: Command | ParseError, ctx: Context, text: str) -> Reply:
    if isinstance(parsed, ParseError):
        known = list(ctx.snapshot.release_by_slug)
        return helptext.parse_error_reply(parsed, text, known)
    handler = HANDLERS[parsed.action]
    result = handler(parsed, ctx)
    reply = await result if inspect.isawaitable(result) else result
    if parsed.public and not reply.public and reply.kind != "error":
        reply = Reply(reply.title, reply.blocks, reply.command, reply.kind, True, parsed.page, reply.fallback, reply.meta)
    elif parsed.page != 1:
        reply = Reply(reply.title, reply.blocks, reply.command, reply.kind, reply.public, parsed.page, reply.fallback, reply.meta)
    return reply
