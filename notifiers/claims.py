"""The claim a delivery runs under, as senders see it: renewed while a sender waits (Retry-After,
pacing) and confirmed right before each post, so a worker never posts a reminder whose claim has
expired and passed to another worker (issue 11.4: a Retry-After longer than the lease used to
post it twice).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from notifiers.outbox import renew_claim
from store.db import Database

__all__ = ["ClaimHold"]


class ClaimHold:
    """One outbox row held by one worker, renewed for a full lease each time (a `senders.Hold`)."""

    def __init__(
        self, db: Database, delivery_id: int, worker: str, lease: timedelta, clock: Callable[[], datetime]
    ) -> None:
        self._db = db
        self._id = delivery_id
        self._worker = worker
        self._lease = lease
        self._clock = clock
        self.lost = False

    @property
    def interval(self) -> float:
        """A third of the lease: two renewals may fail (a slow store) before it runs out."""
        return max(self._lease.total_seconds() / 3, 0.05)

    async def renew(self) -> bool:
        if self.lost:
            return False
        if not await renew_claim(self._db, self._id, self._worker, self._clock() + self._lease):
            self.lost = True
        return not self.lost
