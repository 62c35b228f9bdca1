"""Background tasks someone must wait for before they stop (a late answer, a poll message edit).

A task that nobody holds can be garbage-collected mid-flight and its exception is lost; a part
that spawns work keeps it here and drains it when it stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

__all__ = ["TaskSet"]


class TaskSet:
    """The tasks one part started and has not yet seen finish."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run `work` in the background, held until it finishes."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self) -> None:
        """Wait for every task in flight (their exceptions are theirs: each one logs its own)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
