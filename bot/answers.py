"""Answering: text -> parsed command -> handler (through the command table) -> reply -> rendering.

Every platform asks here (console, Slack, Teams, the CLI), so a question gets the same answer
wherever it is typed. Nothing here raises to an adapter: a store that is down or slow and an
unexpected error both become short replies the user can act on. Read-only answers are cached per
state version and day, so the common question costs no handler run and no rendering.
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.fanout import PollFanout
from commands.buttons import BUTTONS, Pressed, unknown_button
from commands.context import Actor, Channel, Context, Writer
from commands.dispatch import answer as dispatch
from commands.language import Command, ParseError
from commands.messages import redacted
from commands.parse import parse, parse_line
from commands.render import Target, render
from commands.table import CommandTable
from domain.calendar import local_date
from domain.clock import Clock
from domain.reply import Paragraph, Reply, spans
from domain.rules import Rules
from store.db import STORE_ERRORS
from store.readmodel import ReadModel

if TYPE_CHECKING:
    from commands.interpret import Interpreter

__all__ = ["Answers", "ReplyCache", "parse_text"]

log = logging.getLogger("releasebot")

# What a store that is down or too slow raises: the user is told it is unavailable, not "internal error".

RenderFn = Callable[[Reply, int | None], Any]


def parse_text(table: CommandTable, command: str | None, text: str, today: date) -> Command | ParseError:
    """The one call into the parser: a slash command's text, or a whole line when `command` is None,
    read with the grammar the features registered into the command table."""
    grammar = table.grammar
    return parse_line(grammar, text, today) if command is None else parse(grammar, command, text, today)


class ReplyCache:
    """Rendered answers to read-only commands, for one state version at a time."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.version = -1
        self._items: OrderedDict[tuple[Any, ...], tuple[Reply, Any]] = OrderedDict()
        self.hits = 0

    def get(self, version: int, key: tuple[Any, ...]) -> tuple[Reply, Any] | None:
        if version != self.version:
            self._items.clear()
            self.version = version
            return None
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return found

    def put(self, version: int, key: tuple[Any, ...], value: tuple[Reply, Any]) -> None:
        if version != self.version:
            return
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)


def _failure(title: str, text: str, shown: str = "") -> Reply:
    return Reply(title, (Paragraph(spans(text)),), command=shown, kind="error")


def _poll_change(reply: Reply) -> tuple[int, bool] | None:
    """(poll id, closed) when the reply says a poll's messages must be updated."""
    poll_id = reply.meta.get("poll_id")
    if poll_id and reply.kind != "error" and (reply.meta.get("refresh") or reply.meta.get("closed")):
        return int(poll_id), bool(reply.meta.get("closed"))
    return None


class Answers:
    """Parses, dispatches through the command table, renders, caches; never raises."""

    def __init__(
        self,
        table: CommandTable,
        rules: Rules,
        read_model: ReadModel,
        writer: Writer,
        fanout: PollFanout,
        clock: Clock,
        webhook_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.table = table
        self.rules = rules
        self.read_model = read_model
        self.writer = writer
        self.fanout = fanout
        self.clock = clock
        self.webhook_hosts = webhook_hosts  # extra hosts webhook subscriptions may use
        self.cache = ReplyCache()
        self._interpreter: Interpreter | None = None

    @property
    def interpreter(self) -> Interpreter:
        """The plain-words reader, built at the first line that may be a sentence (a one-shot
        `releasebot ask "/release"` never loads it, nor its lexicon and fuzzy matcher)."""
        if self._interpreter is None:
            from commands.interpret import Interpreter

            self._interpreter = Interpreter(self.table.grammar)
        return self._interpreter

    def context(self, actor: Actor, channel: Channel | None = None) -> Context:
        """What a handler gets: the state now, who asks, where, when, and a way to write."""
        now = self.clock()
        return Context(
            self.read_model.snapshot,
            actor,
            now,
            local_date(now),
            self.rules,
            writer=self.writer,
            channel=channel,
            webhook_hosts=self.webhook_hosts,
        )

    def parse(self, command: str | None, text: str) -> Command | ParseError:
        return parse_text(self.table, command, text, local_date(self.clock()))

    async def answer(self, command: str | None, text: str, actor: Actor, channel: Channel | None = None) -> Reply:
        """Parse, dispatch, and never raise: errors become short replies the user can act on."""
        return (await self._answer(command, text, actor, channel))[1]

    async def line(self, text: str, actor: Actor, channel: Channel | None = None) -> Reply:
        """A line typed in a conversation (a DM, a mention, the console): a command as it is, a
        question in plain words read with the state's vocabulary and answered with how it was read."""
        if text.lstrip().startswith("/"):  # a command as typed: what the reader would do with it
            return await self.answer(None, text, actor, channel)
        snapshot, today = self.read_model.snapshot, local_date(self.clock())
        return await self.interpreter.answer(
            text, snapshot, today, lambda said: self.answer(None, said, actor, channel)
        )

    async def line_rendered(
        self,
        text: str,
        actor: Actor,
        target: Target,
        page: int | None = None,
        channel: Channel | None = None,
        render_fn: RenderFn | None = None,
    ) -> tuple[Reply, Any]:
        """`line`, rendered (and cached as `answer_rendered` caches) for the target."""

        def rendered(reply: Reply) -> Any:
            return render_fn(reply, page) if render_fn is not None else render(reply, target, page)

        if text.lstrip().startswith("/"):  # a command as typed: what the reader would do with it
            return await self.answer_rendered(None, text, actor, target, page, channel, render_fn)
        return await self.interpreter.answer_rendered(
            text,
            self.read_model.snapshot,
            local_date(self.clock()),
            lambda said: self.answer_rendered(None, said, actor, target, page, channel, render_fn),
            rendered,
        )

    async def press(self, action: str, value: str, actor: Actor, channel: Channel | None = None) -> Reply | Pressed:
        """A button: navigation buttons give the command to re-run (`Pressed`); others act and reply."""
        if action in BUTTONS:
            try:
                return BUTTONS[action](value)
            except (ValueError, TypeError, KeyError):
                return unknown_button(action)
        handler = self.table.buttons.get(action)
        if handler is None:
            return unknown_button(action)
        try:
            return self._told(await handler(value, self.context(actor, channel)))
        except STORE_ERRORS:
            log.warning("release store unavailable while pressing %s", action, exc_info=True)
            return _failure("Store unavailable", messages.store_unavailable())
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("internal error %s while pressing %s", reference, action)
            return _failure("Internal error", messages.internal_error(reference))

    def cached(
        self,
        command: str | None,
        text: str,
        actor: Actor,
        target: Target,
        page: int | None = None,
        render_fn: RenderFn | None = None,
    ) -> tuple[Reply, Any] | None:
        """The cached answer, if there is one, without awaiting anything (adapters' fast path)."""
        return self.cache.get(
            self.read_model.snapshot.version, self._key(command, text, actor, target, page, render_fn)
        )

    async def answer_rendered(
        self,
        command: str | None,
        text: str,
        actor: Actor,
        target: Target,
        page: int | None = None,
        channel: Channel | None = None,
        render_fn: RenderFn | None = None,
    ) -> tuple[Reply, Any]:
        """The reply and its rendering; read-only answers are cached per state version and day.

        `render_fn(reply, page)` lets an adapter cache its own final form (e.g. Slack's response
        payload); pass a module-level function, since it is part of the cache key.
        """
        version = self.read_model.snapshot.version
        key = self._key(command, text, actor, target, page, render_fn)
        hit = self.cache.get(version, key)
        if hit is not None:
            return hit
        cacheable, reply = await self._answer(command, text, actor, channel)
        rendered = render_fn(reply, page) if render_fn is not None else render(reply, target, page)
        if cacheable:
            self.cache.put(version, key, (reply, rendered))
        return reply, rendered

    def _key(
        self,
        command: str | None,
        text: str,
        actor: Actor,
        target: Target,
        page: int | None,
        render_fn: RenderFn | None,
    ) -> tuple[Any, ...]:
        # The day is in the key: "upcoming" and Working Days to go change at midnight, not with the state.
        return (command, text, target, page, local_date(self.clock()), actor.is_admin, render_fn)

    async def _answer(
        self, command: str | None, text: str, actor: Actor, channel: Channel | None = None
    ) -> tuple[bool, Reply]:
        """(cacheable, reply): only answers that depend on nothing but state, day and text cache."""
        shown = text if command is None else f"/{command} {text}".strip()
        try:
            parsed = self.parse(command, text)
            reply = self._told(await dispatch(parsed, self.context(actor, channel), shown, self.table))
            return isinstance(parsed, ParseError) or parsed.action in self.table.read_only, reply
        except STORE_ERRORS:
            log.warning("release store unavailable while answering %r", redacted(shown), exc_info=True)
            return False, _failure("Store unavailable", messages.store_unavailable(), shown)
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("internal error %s while answering %r", reference, redacted(shown))
            return False, _failure("Internal error", messages.internal_error(reference), shown)

    def _told(self, reply: Reply) -> Reply:
        """The reply, after telling the platforms when it changed a poll (they edit its messages)."""
        change = _poll_change(reply)
        if change is not None:
            self.fanout.poll_changed(*change)
        return reply
