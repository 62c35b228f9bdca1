"""Keeping posted poll messages up to date without one update per vote.

Fifty members voting within a second would otherwise be fifty message edits (and a rate limit).
A refresh waits `delay`, updates every message of the poll once, and goes round again only if
more votes came in meanwhile. Closing is announced at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

__all__ = ["PollRefresher"]


class PollRefresher:
    def __init__(self, refresh: Callable[[int, bool], Awaitable[None]], delay: Callable[[], float]) -> None:
        self._refresh = refresh  # (poll id, announce the outcome) -> None
        self._delay = delay
        self._dirty: dict[int, bool] = {}

    async def changed(self, poll_id: int, closed: bool) -> None:
        if closed:
            await self._refresh(poll_id, True)
            return
        if poll_id in self._dirty:
            self._dirty[poll_id] = True
            return
        self._dirty[poll_id] = False
        try:
            while True:
                await asyncio.sleep(self._delay())
                await self._refresh(poll_id, False)
                if not self._dirty.get(poll_id):
                    break
                self._dirty[poll_id] = False
        finally:
            self._dirty.pop(poll_id, None)
