"""A snapshot updated change by change equals a full reload, on the writer and on a second replica.

Random sequences of every kind of change (scope target, approve, remove, move; milestones added,
moved, met, cancelled; holidays; members; polls opened and closed; undo) are made through the
bot's writer; after each one the writer's read model and another `ReadModel` on the same
database apply the change (neither may fall back to a full reload), and both must equal a
snapshot built from scratch. Changes whose rows are not known reload in full. Both databases.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from domain.delta import ORDERED, unclassified_fields
from domain.refusals import Refusal
from domain.snapshot import Snapshot
from store.changes import AddMember, MarkMet
from store.db import Database
from store.loading import load_snapshot
from store.readmodel import ReadModel
from store.synthetic import generate
from tests.helpers import reply

KINDS = (
    "target",
    "target-new",
    "approve",
    "remove",
    "move",
    "milestone-add",
    "milestone-move",
    "milestone-met",
    "milestone-cancel",
    "holiday",
    "member",
    "poll-open",
    "poll-close",
    "undo",
)
steps = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 10_000), st.integers(1, 300)),
    min_size=1,
    max_size=6,
)

Replicas = tuple[asyncio.AbstractEventLoop, Releasebot, ReadModel, Database]


@pytest.fixture
def replicas(database_url: str) -> Iterator[Replicas]:
    loop = asyncio.new_event_loop()
    bot = create_bot(load_settings(database_url=database_url))
    db = Database(database_url)
    other = ReadModel(db)
    loop.run_until_complete(bot.start(watch=False))
    loop.run_until_complete(other.load())
    yield loop, bot, other, db
    loop.run_until_complete(bot.stop())
    loop.run_until_complete(db.dispose())
    loop.close()


def _line(snap: Snapshot, kind: str, i: int, j: int, n: int) -> str | None:
    """A command for this kind of change, aimed at what the state holds (so most of them apply)."""
    slugs = sorted(snap.release_by_slug)
    slug, other = slugs[i % len(slugs)], slugs[j % len(slugs)]
    live = sorted(
        (r.slug, snap.mod_by_id[mod_id].ref)
        for r in snap.releases
        for mod_id, change in snap.scope(r.id).items()
        if change.state in ("targeted", "approved")
    )
    in_scope, ref = live[j % len(live)] if live else (slug, sorted(snap.mod_by_ref)[0])
    dated = [ms for ms in snap.milestones if ms.release_id is not None and ms.kind != "poll_close"]
    ms = dated[j % len(dated)] if dated else None
    ms_slug = snap.release_by_id[ms.release_id].slug if ms is not None and ms.release_id is not None else slug
    day = (datetime.now(UTC).date() + timedelta(days=n)).isoformat()
    milestone = ("go_no_go", "go_live", "change_board")[n % 3]
    return {
        "target": f"/release {slug} add {sorted(snap.mod_by_ref)[j % len(snap.mod_by_ref)]}",
        "target-new": f'/release {slug} add MP9{i % 50 + 100} "Generated change {i % 50}"',
        "approve": f"/release {in_scope} approve {ref} Change Board approved",
        "remove": f"/release {in_scope} remove {ref} reason no longer needed",
        "move": f"/release {in_scope} move {ref} to {other} replanned",
        "milestone-add": f"/release {slug} milestone add {milestone} {day}",
        "milestone-move": f"/release {ms_slug} milestone {ms.key if ms else milestone} {day} slipped",
        "milestone-cancel": f"/release {ms_slug} milestone {ms.key if ms else milestone} cancel not needed",
        "holiday": f"/release holiday add {day} Generated holiday {n}",
        "poll-open": f"/release {slug} vote open closes {day}",
        "poll-close": f"/release {slug} vote close",
        "undo": "/release undo",
    }.get(kind)


async def _step(bot: Releasebot, kind: str, i: int, j: int, n: int) -> None:
    snap = bot.snapshot
    line = _line(snap, kind, i, j, n)
    if line is not None:
        await reply(bot, line)
        return
    try:
        if kind == "member":
            await bot.writer.write(AddMember("console", "slack", f"U0GEN{i % 40}", ("panel", "observer")[j % 2]))
        elif kind == "milestone-met" and snap.milestones:
            await bot.writer.write(MarkMet("console", snap.milestones[i % len(snap.milestones)].key))
    except Refusal:
        pass


def _differences(got: Snapshot, want: Snapshot) -> list[str]:
    wrong = []
    for f in fields(Snapshot):
        a, b = getattr(got, f.name), getattr(want, f.name)
        if f.name == "calendar":
            a, b = dict(a.extra), dict(b.extra)
        if a != b or (f.name in ORDERED and list(a.items()) != list(b.items())):
            wrong.append(f.name)
    if got.index.hits() != want.index.hits():
        wrong.append("index order")
    return wrong


async def _check(bot: Releasebot, other: ReadModel, db: Database) -> None:
    mine = bot.read_model.snapshot
    theirs = await other.refresh()
    async with db.engine.connect() as conn:
        full = await load_snapshot(conn)
    assert mine.version == theirs.version == full.version
    assert _differences(mine, full) == []
    assert _differences(theirs, full) == []
    assert bot.read_model.reloads == 1 and other.reloads == 1  # every change applied, none reloaded


def test_every_snapshot_field_is_classified() -> None:
    assert unclassified_fields() == set()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_an_updated_snapshot_equals_a_full_reload(
    replicas: Replicas, sequence: list[tuple[str, int, int, int]]
) -> None:
    loop, bot, other, db = replicas
    for kind, i, j, n in sequence:
        loop.run_until_complete(_step(bot, kind, i, j, n))
        loop.run_until_complete(_check(bot, other, db))


async def test_a_change_whose_rows_are_not_known_reloads_in_full(database_url: str) -> None:
    """A bulk load (Core inserts) and a version bumped without its record: replicas reload, and agree."""
    db = Database(database_url)
    reader = ReadModel(db)
    try:
        before = await reader.load()
        await generate(db, 2, 3, start_year=2090)  # Core inserts: their tables are marked wholly written
        bulk = await reader.refresh()
        assert reader.reloads == 2 and reader.deltas == 0
        assert bulk.release("february-2090") is not None and len(bulk.mod_by_id) == len(before.mod_by_id) + 6
        async with db.transaction() as session:  # a version made outside the change log
            await (await session.connection()).execute(sa.text("UPDATE stateversion SET version = version + 1"))
        gap = await reader.refresh()
        assert reader.reloads == 3 and gap.version == bulk.version + 1
        async with db.engine.connect() as conn:
            assert _differences(gap, await load_snapshot(conn)) == []
    finally:
        await db.dispose()
