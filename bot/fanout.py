"""Telling the platforms a poll changed, without making the vote that changed it wait.

Slack and Teams each keep posted poll messages up to date (`PollPublisher`); a vote, a close or
an undo is answered at once and the message edits happen in the background, drained when the
process stops. One platform being down never breaks the change that triggered the edit.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot import messages
from bot.tasks import TaskSet

__all__ = ["PollFanout", "PollPublisher"]

log = logging.getLogger("releasebot")


class PollPublisher(Protocol):
    """A platform that shows polls: told when one changes so it updates its messages."""

    async def poll_changed(self, poll_id: int, closed: bool) -> None: ...


class PollFanout:
    """The poll publishers of this process and the background tasks that tell them."""

    def __init__(self) -> None:
        self._publishers: list[PollPublisher] = []
        self._tasks = TaskSet()

    @property
    def publishers(self) -> tuple[PollPublisher, ...]:
        return tuple(self._publishers)

    def subscribe(self, publisher: PollPublisher) -> None:
        self._publishers.append(publisher)

    def poll_changed(self, poll_id: int, closed: bool = False) -> None:
        """Tell every platform a poll changed (a vote, a close); they update their messages."""
        for publisher in self._publishers:
            self._tasks.spawn(self._tell(publisher, poll_id, closed))

    async def drain(self) -> None:
        """Wait for the edits in flight (before the adapters that make them stop)."""
        await self._tasks.drain()

    @staticmethod
    async def _tell(publisher: PollPublisher, poll_id: int, closed: bool) -> None:
        try:
            await publisher.poll_changed(poll_id, closed)
        except Exception:  # a platform being down must not break the vote that triggered this
            log.warning(messages.log_poll_refresh_failed(poll_id, type(publisher).__name__), exc_info=True)
