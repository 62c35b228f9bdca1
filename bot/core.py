"""The app object: one per process (built by `bot.app.create_bot`), holding the parts that do the work.

Like bolt's `App`, it builds its parts and holds them; it does no answering or writing itself.

- `answers`: parse, dispatch through the command table, render, cache (`bot.answers`)
- `writer`: the store writer with the write timeout (`bot.writer`)
- `actors`: platform user -> member and role (`bot.actors`)
- `fanout`: telling Slack and Teams a poll changed (`bot.fanout`)
- `documents`, `links`: files asked for in chat, built off the loop and cached; signed download links
- `services`: what runs beside the requests, started in order, stopped in reverse (`bot.services`)

Every part that needs the time reads the one `clock` given here.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.actors import Actors
from bot.answers import Answers
from bot.documents import DocumentFiles
from bot.fanout import PollFanout
from bot.links import DocumentLinks
from bot.services import Lifecycle, Services
from bot.settings import Settings
from bot.writer import StoreWriter
from commands.table import CommandTable
from domain.clock import Clock, system_clock
from domain.rules import Rules
from domain.snapshot import Snapshot
from store.db import Database
from store.readmodel import ReadModel

__all__ = ["Releasebot"]


class Releasebot:
    """The store, the read model and the clock, and the parts built on them."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        read_model: ReadModel,
        table: CommandTable,
        rules: Rules,
        clock: Clock = system_clock,
    ) -> None:
        self.settings = settings
        self.db = db
        self.read_model = read_model
        self.table = table
        self.rules = rules
        self.clock = clock
        self.writer = StoreWriter(db, read_model, clock, settings.write_timeout)
        self.actors = Actors(read_model)
        self.fanout = PollFanout()
        self.answers = Answers(
            table, rules, read_model, self.writer, self.fanout, clock, webhook_hosts=settings.extra_webhook_hosts
        )
        self.documents = DocumentFiles(read_model, clock)
        secret = settings.link_secret.get_secret_value().encode() if settings.link_secret else secrets.token_bytes(32)
        self.links = DocumentLinks(secret, clock, timedelta(hours=settings.link_hours))
        self.services = Services()
        self.services.add(self.documents)
        self.state = Lifecycle.CREATED

    @property
    def snapshot(self) -> Snapshot:
        """The state now (the read model's current snapshot)."""
        return self.read_model.snapshot

    async def start(self, watch: bool = True) -> None:
        """Bring the schema up to date and load the state; with `watch`, follow other replicas' changes."""
        self.state = Lifecycle.STARTING
        try:
            await self.db.upgrade()
            await self.read_model.load()
        except BaseException:
            self.state = Lifecycle.CREATED  # nothing is running: the store could not be opened
            raise
        if watch:
            self.read_model.start()
        self.state = Lifecycle.RUNNING

    async def stop(self) -> None:
        self.state = Lifecycle.STOPPING
        await self.writer.votes.close()  # votes queued at shutdown commit before the store closes
        await self.read_model.stop()
        await self.db.dispose()
        self.state = Lifecycle.STOPPED

    async def start_services(self) -> None:
        await self.services.start()

    async def stop_services(self) -> None:
        """Finish the poll message edits in flight (they post through the adapters), then stop the services."""
        await self.fanout.drain()
        await self.services.stop()
