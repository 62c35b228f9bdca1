"""The life-cycle registry: the parts a process runs beside its requests, started in order and
stopped in reverse.

The order is what `bot.assemble` adds them in: the shared HTTP client first (so it is closed
last), then the adapters, then the background services that post through them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from enum import StrEnum
from typing import Protocol

from bot import messages

__all__ = ["Lifecycle", "Service", "Services"]

log = logging.getLogger("releasebot")


class Lifecycle(StrEnum):
    """Where a part that starts and stops is in its life."""

    CREATED = "created"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"


class Service(Protocol):
    """A part started with the web server or worker (an adapter, the reminder service, ...)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Services:
    """Starts every service in the order added and stops the started ones in reverse.

    A service that fails to start stops the ones already started, so a half-started process does
    not keep a scheduler or a socket running; a service that fails to stop does not keep the rest
    from stopping.
    """

    def __init__(self) -> None:
        self._services: list[Service] = []
        self._started: list[Service] = []
        self.state = Lifecycle.CREATED

    def __iter__(self) -> Iterator[Service]:
        return iter(self._services)

    def __len__(self) -> int:
        return len(self._services)

    def add(self, *services: Service) -> None:
        """Register services to run; only before they start (the order is the start order)."""
        if self.state not in (Lifecycle.CREATED, Lifecycle.STOPPED):
            raise RuntimeError(f"services are added before they start (they are {self.state})")
        self._services.extend(services)

    async def start(self) -> None:
        if self.state not in (Lifecycle.CREATED, Lifecycle.STOPPED):
            raise RuntimeError(f"services cannot start while {self.state}")
        self.state = Lifecycle.STARTING
        try:
            for service in self._services:
                await service.start()
                self._started.append(service)
        except BaseException:
            await self._stop_started()
            self.state = Lifecycle.STOPPED
            raise
        self.state = Lifecycle.RUNNING

    async def stop(self) -> None:
        """Stop what was started, newest first; stopping twice (or before starting) does nothing."""
        if self.state not in (Lifecycle.STARTING, Lifecycle.RUNNING):
            return
        self.state = Lifecycle.STOPPING
        try:
            await self._stop_started()
        finally:
            self.state = Lifecycle.STOPPED

    async def _stop_started(self) -> None:
        failed: BaseException | None = None
        while self._started:
            service = self._started.pop()
            try:
                await service.stop()
            except Exception as exc:
                log.warning(messages.log_service_stop_failed(type(service).__name__), exc_info=True)
                failed = failed or exc
        if failed is not None:
            raise failed
