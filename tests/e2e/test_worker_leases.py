"""Two real `releasebot worker` processes with a 3 s lease, and Slack answering 429 with
Retry-After 5 (longer than the lease) to the first calls: every reminder is posted exactly once
(issue 11.4; before, a worker waiting out Retry-After posted rows another worker had taken over).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import models as m
from store.db import Database
from tests.fakeslack import FakeSlack
from tests.reminderkit import due_reminders, start_worker, stop_worker, wait_for_keys

LIMITED = 3  # the first calls answered 429


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def test_two_workers_and_a_retry_after_longer_than_the_lease_post_each_reminder_once(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    for _ in range(LIMITED):
        slack.script("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "5"})
    db = Database(database_url)
    try:
        total = await due_reminders(db, channels=4, milestones=2, due=datetime.now(UTC) + timedelta(seconds=2))
        workers = [await start_worker(database_url, slack, tmp_path / f"worker-{n}.log") for n in range(2)]
        try:
            await wait_for_keys(slack, total, timeout=120)
        finally:
            codes = [await stop_worker(w) for w in workers]  # each finishes what it was waiting to post
        assert codes == [0, 0], [(tmp_path / f"worker-{n}.log").read_text() for n in range(2)]
        calls = slack.calls_to("chat.postMessage")
        accepted = Counter(c.body["metadata"]["event_payload"]["key"] for c in calls[LIMITED:])
        assert len(accepted) == total and set(accepted.values()) == {1}, accepted
        async with db.engine.connect() as conn:
            states = (await conn.execute(sa.select(m.Delivery.state))).scalars().all()  # type: ignore[call-overload]
        assert Counter(states) == {"sent": total}
    finally:
        await db.dispose()
