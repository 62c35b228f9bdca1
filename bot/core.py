"""The platform-neutral bot: who is asking, what they asked, the reply, rendered for a target.

One `Releasebot` per process (built by `bot.app.create_bot`). Adapters (console, Slack, Teams)
call `answer()` / `answer_rendered()`; nothing here knows a chat platform.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timezone
from typing import Any, Protocol

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import Settings
from commands import messages
from commands.buttons import ACTIONS, BUTTONS, Pressed, unknown_button
from commands.context import Actor, Channel, Context
from commands.dispatch import READ_ONLY, answer
from commands.parse import Command, ParseError, parse, parse_line
from commands.render import Target, render
from commands.reply import Paragraph, Reply, spans
from notifiers.workdays import local_date
from store.db import Database
from store.readmodel import ReadModel

__all__ = ["Clock", "PollPublisher", "Releasebot", "Service", "utc_now"]

log = logging.getLogger("releasebot")

Clock = Callable[[], datetime]


class PollPublisher(Protocol):
    """A platform that shows polls (Slack, Teams): told when one changes so it updates its messages."""

    async def poll_changed(self, poll_id: int, closed: bool) -> None: ...


class Service(Protocol):
    """A background part of the bot (reminder scheduler, ...) started with the web server or worker."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class _ReplyCache:
    """Rendered answers to read-only commands, for one state version at a time."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.version = -1
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.hits = 0

    def get(self, version: int, key: tuple[Any, ...]) -> Any:
        if version != self.version:
            self._items.clear()
            self.version = version
            return None
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return found

    def put(self, version: int, key: tuple[Any, ...], value: Any) -> None:
        if version != self.version:
            return
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)


class Releasebot:
    """Answers commands from the read model; applies changes through the database."""

    def __init__(self, settings: Settings, db: Database, read_model: ReadModel, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.db = db
        self.read_model = read_model
        self.clock = clock
        self._cache = _ReplyCache()
        self.services: list[Service] = []
        self.poll_publishers: list[PollPublisher] = []
        self._webhook_hosts = frozenset(h.strip().lower() for h in settings.webhook_hosts.split(",") if h.strip())
        self._background: set[asyncio.Task[Any]] = set()

    # -- life cycle ----------------------------------------------------------------------

    async def start(self, watch: bool = True) -> None:
        await self.db.upgrade()
        await self.read_model.load()
        if watch:
            self.read_model.start()

    async def stop(self) -> None:
        await self.read_model.stop()
        await self.db.dispose()

    async def start_services(self) -> None:
        for service in self.services:
            await service.start()

    async def stop_services(self) -> None:
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        for service in reversed(self.services):
            await service.stop()

    def poll_changed(self, poll_id: int, closed: bool = False) -> None:
        """Tell every platform a poll changed (a vote, a close); they update their messages."""
        async def tell(publisher: PollPublisher) -> None:
            try:
                await publisher.poll_changed(poll_id, closed)
            except Exception:  # a platform being down must not break the vote that triggered this
                log.warning(messages.log_poll_refresh_failed(poll_id, type(publisher).__name__), exc_info=True)

        for publisher in self.poll_publishers:
            task = asyncio.ensure_future(tell(publisher))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    def _after(self, reply: Reply) -> Reply:
        poll_id = reply.meta.get("poll_id")
        if poll_id and reply.kind != "error" and (reply.meta.get("refresh") or reply.meta.get("closed")):
            self.poll_changed(int(poll_id), closed=bool(reply.meta.get("closed")))
        return reply

    # -- Writer (used by admin handlers) -------------------------------------------------

    async def write(self, change: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
        async with asyncio.timeout(self.settings.write_timeout):
            async with self.db.transaction() as session:
                done = await change(session, postgres=self.db.postgres, **kwargs)
        await self.read_model.load()
        return done

    async def run(self, work: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
        async with asyncio.timeout(self.settings.write_timeout):
            async with self.db.transaction(serialize=False) as session:
                return await work(session, postgres=self.db.postgres, **kwargs)

    async def read(self, query: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
        async with asyncio.timeout(self.settings.write_timeout):
            async with self.db.session() as session:
                return await query(session)

    # -- answering -----------------------------------------------------------------------

    def actor(self, platform: str, user_id: str, name: str = "") -> Actor:
        found = self.read_model.snapshot.member(platform, user_id)
        if found is None:
            return Actor(platform, user_id, name or user_id)
        identity_platform, member = found
        return Actor(identity_platform, user_id, member.name, member.role, member.id)

    def today(self) -> date:
        return local_date(self.clock())

    def parse(self, command: str | None, text: str) -> Command | ParseError:
        today = self.today()
        return parse_line(text, today) if command is None else parse(command, text, today)

    async def answer(self, command: str | None, text: str, actor: Actor, channel: Channel | None = None) -> Reply:
        """Parse, dispatch, and never raise: errors become short replies the user can act on."""
        return (await self._answer(command, text, actor, channel))[1]

    async def _answer(self, command: str | None, text: str, actor: Actor, channel: Channel | None = None) -> tuple[bool, Reply]:
        """(cacheable, reply): only answers that depend on nothing but state, day and text cache."""
        shown = text if command is None else f"/{command} {text}".strip()
        try:
            parsed = self.parse(command, text)
            ctx = Context(self.read_model.snapshot, actor, self.clock(), self.today(), writer=self, channel=channel, webhook_hosts=self._webhook_hosts)
            reply = self._after(await answer(parsed, ctx, shown))
            return isinstance(parsed, ParseError) or parsed.action in READ_ONLY, reply
        except (TimeoutError, OperationalError, InterfaceError, OSError, ConnectionError):
            log.warning("release store unavailable while answering %r", messages.redacted(shown), exc_info=True)
            return False, Reply("Store unavailable", (Paragraph(spans(messages.store_unavailable())),), command=shown, kind="error")
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("internal error %s while answering %r", reference, messages.redacted(shown))
            return False, Reply("Internal error", (Paragraph(spans(messages.internal_error(reference))),), command=shown, kind="error")

    async def press(self, action: str, value: str, actor: Actor, channel: Channel | None = None) -> Reply | Pressed:
        """A button: navigation buttons give the command to re-run (`Pressed`); others act and reply."""
        if action in BUTTONS:
            try:
                return BUTTONS[action](value)
            except (ValueError, TypeError, KeyError):
                return unknown_button(action)
        handler = ACTIONS.get(action)
        if handler is None:
            return unknown_button(action)
        try:
            ctx = Context(self.read_model.snapshot, actor, self.clock(), self.today(), writer=self, channel=channel, webhook_hosts=self._webhook_hosts)
            return self._after(await handler(value, ctx))
        except (TimeoutError, OperationalError, InterfaceError, OSError, ConnectionError):
            log.warning("release store unavailable while pressing %s", action, exc_info=True)
            return Reply("Store unavailable", (Paragraph(spans(messages.store_unavailable())),), kind="error")
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("internal error %s while pressing %s", reference, action)
            return Reply("Internal error", (Paragraph(spans(messages.internal_error(reference))),), kind="error")

    def cached(
        self, command: str | None, text: str, actor: Actor, target: Target, page: int | None = None, render_fn: Callable[[Reply, int | None], Any] | None = None
    ) -> tuple[Reply, Any] | None:
        """The cached answer, if there is one, without awaiting anything (adapters' fast path)."""
        key = (command, text, target, page, self.today(), actor.is_admin, render_fn)
        return self._cache.get(self.read_model.snapshot.version, key)  # type: ignore[no-any-return]

    async def answer_rendered(
        self,
        command: str | None,
        text: str,
        actor: Actor,
        target: Target,
        page: int | None = None,
        channel: Channel | None = None,
        render_fn: Callable[[Reply, int | None], Any] | None = None,
    ) -> tuple[Reply, Any]:
        """The reply and its rendering; read-only answers are cached per state version and day.

        `render_fn(reply, page)` lets an adapter cache its own final form (e.g. Slack's response
        payload); pass a module-level function, since it is part of the cache key.
        """
        snapshot = self.read_model.snapshot
        cached = self.cached(command, text, actor, target, page, render_fn)
        if cached is not None:
            return cached
        key = (command, text, target, page, self.today(), actor.is_admin, render_fn)
        cacheable, reply = await self._answer(command, text, actor, channel)
        rendered = render_fn(reply, page) if render_fn is not None else render(reply, target, page)
        if cacheable:
            self._cache.put(snapshot.version, key, (reply, rendered))
        return reply, rendered
