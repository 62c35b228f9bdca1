"""Command -> handler through the command table, and the reply's modifiers (public, page)."""

from __future__ import annotations

import inspect
from dataclasses import replace

from commands import helptext
from commands.context import Context
from commands.language import Command, ParseError
from commands.table import CommandTable
from domain.reply import Reply

__all__ = ["answer"]


async def answer(parsed: Command | ParseError, ctx: Context, text: str, table: CommandTable) -> Reply:
    if isinstance(parsed, ParseError):
        known = list(ctx.snapshot.release_by_slug)
        return helptext.parse_error_reply(parsed, text, known)
    handler = table.handler(parsed.action)
    if handler is None:
        raise LookupError(f"no handler is registered for {parsed.action}")
    result = handler(parsed, ctx)
    reply = await result if inspect.isawaitable(result) else result
    if parsed.public and not reply.public and reply.kind != "error":
        reply = replace(reply, public=True, page=parsed.page)
    elif parsed.page != 1:
        reply = replace(reply, page=parsed.page)
    return reply
