"""Import and export of papers on both databases: round trip, dry run, undo, errors with lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import create_bot, load_settings
from commands.papers import describe
from store.changes import Undo
from store.db import Database
from store.papers.exporter import export_text
from store.papers.importer import DryRun, ImportPapers
from store.papers.schema import PaperErrors, read_papers
from store.uow import UnitOfWork
from tests.helpers import ask
from tests.paperkit import BAD_LINES, BAD_PAPER, NEW_PAPER

NOW = datetime(2021, 3, 8, 10, 0, tzinfo=UTC)


async def _export(db: Database) -> str:
    async with db.session() as session:
        return await export_text(session)


async def _write(db: Database, change: ImportPapers | Undo) -> object:
    async with db.transaction() as session:
        return await change.apply(UnitOfWork(session, db.postgres, NOW))


async def test_export_import_export_is_byte_identical(database_url: str, empty_database_url: str) -> None:
    seeded, empty = Database(database_url), Database(empty_database_url)
    try:
        first = await _export(seeded)
        assert first.count("\n---") == 6 and "key: panel-2020-12-04" in first
        await _write(empty, ImportPapers("test", "record.yaml", first))
        second = await _export(empty)
        assert second == first
        with pytest.raises(DryRun) as again:  # every paper stored: nothing to apply, nothing recorded
            await _write(empty, ImportPapers("test", "record.yaml", second))
        assert again.value.preview.empty and len(again.value.preview.skipped) == 6
    finally:
        await seeded.dispose()
        await empty.dispose()


async def test_dry_run_then_import_then_undo(database_url: str) -> None:
    db = Database(database_url)
    try:
        before, version = await _export(db), await db.version()
        with pytest.raises(DryRun) as dry:
            await _write(db, ImportPapers("test", "march.yaml", NEW_PAPER, dry_run=True))
        assert await _export(db) == before and await db.version() == version  # nothing changed
        lines = "\n".join(describe(dry.value.preview))
        assert "Papers to load: panel-2021-03-05" in lines
        for said in (
            "1 release,",
            "1 modification,",
            "1 scope change,",
            "2 milestones,",
            "1 participant impact,",
            "1 cost,",
            "1 decision,",
            "1 RID version",
        ):
            assert said in lines, said
        assert "new releases: november-2022" in lines
        assert "Changes release june-2021: status: baselined → frozen" in lines

        done, preview = await _write(db, ImportPapers("test", "march.yaml", NEW_PAPER))  # type: ignore[misc]
        assert preview == dry.value.preview
        assert done.event.action == "record.import" and "panel-2021-03-05" in done.event.summary
        after = await _export(db)
        assert "key: panel-2021-03-05" in after and "slug: november-2022" in after

        await _write(db, Undo("test"))
        assert await _export(db) == before
    finally:
        await db.dispose()


async def test_imported_paper_answers_in_chat_and_undoes_from_chat(database_url: str) -> None:
    bot = create_bot(load_settings(database_url=database_url))
    await bot.start(watch=False)
    try:
        await bot.writer.write(ImportPapers("test", "march.yaml", NEW_PAPER))
        scope = await ask(bot, "/release november-2022 scope")
        assert "MP300" in scope and "Faster Change Board referrals" in scope
        milestones = await ask(bot, "/mod MP300")
        assert "Change Board" in milestones
        undone = await ask(bot, "/release undo")
        assert "Undid: Imported march.yaml" in undone
        assert "no release" in (await ask(bot, "/release november-2022 scope")).lower()
    finally:
        await bot.stop()


async def test_bad_file_names_file_line_and_field(database_url: str) -> None:
    db = Database(database_url)
    try:
        before = await _export(db)
        with pytest.raises(PaperErrors) as caught:
            await _write(db, ImportPapers("test", "broken.yaml", BAD_PAPER))
        found = {(e.line, e.field) for e in caught.value.errors}
        assert found == set(BAD_LINES.items())
        text = str(caught.value)
        assert "broken.yaml:8: releases[0].status: must be one of baselined, cancelled" in text
        assert "broken.yaml:12: releases[0].scope[1].ref: modification MP999 is not listed" in text
        assert await _export(db) == before
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("document: [1, 2\n", "broken.yaml:2: file: is not valid YAML"),
        ("releases: []\n", "broken.yaml:1: document: needs `document`"),
        (
            "document: {key: k, title: t, issued: 2021-02-30}\n",
            "broken.yaml:1: document.issued: `2021-02-30` is not a real date",
        ),
        (
            "document: {key: k, title: t}\nmilestones:\n  - key: a\n    title: A\n    date: 2021-01-04\n    colour: red\n",
            "broken.yaml:6: milestones[0].colour: is not a field here",
        ),
        (
            "document: {key: k, title: t}\nreleases:\n  - slug: march-2030\n    status: planning\n",
            "broken.yaml:3: releases[0]: release march-2030 is not in the store: it needs `name` and `go_live`",
        ),
        (
            "document: {key: k, title: t}\nmodifications: [{ref: MP500}]\nreleases:\n"
            "  - {slug: june-2030, name: June 2030, go_live: 2030-06-27, scope: [{ref: MP500, state: moved}]}\n",
            "broken.yaml:4: releases[0].scope[0]: a `moved` entry needs `to`",
        ),
        (
            "document: {key: k, title: t}\nmilestones:\n  - key: b\n    title: B\n    derived: {from: nowhere, working_days: 2}\n",
            "broken.yaml:5: milestones[0].derived.from: milestone nowhere is not listed",
        ),
    ],
)
def test_file_errors_without_a_database(text: str, where: str) -> None:
    with pytest.raises(PaperErrors) as caught:
        read_papers(text, "broken.yaml")
    assert str(caught.value).startswith(where), str(caught.value)


async def test_what_was_entered_in_chat_round_trips_too(database_url: str, empty_database_url: str) -> None:
    """Changes with no paper behind them (scope, milestones, holidays, members, RID content) go in
    the record paper, and come back from it the same."""
    from datetime import date, time

    from sqlmodel import select

    from store import models as m
    from store.changes import AddHoliday, AddMember, AddMilestone, ApproveScope, MarkMet, MoveScope, TargetScope

    seeded, empty = Database(database_url), Database(empty_database_url)
    try:
        for change in (
            AddHoliday("admin", date(2022, 6, 6), "Office closed"),
            TargetScope("admin", "june-2022", "MP400", date(2022, 1, 10), title="A new proposal from chat"),
            ApproveScope(
                "admin",
                "june-2022",
                "MP400",
                date(2022, 2, 1),
                reason="Change Board approved",
                by_exception="Panel agreed",
            ),
            MoveScope("admin", "june-2022", "MP099", date(2022, 2, 2), reason="not ready", to_slug="november-2021"),
            AddMilestone("admin", "june-2022", "panel_meeting", date(2022, 3, 11), time(10, 30), "Extra Panel"),
            MarkMet("admin", "june-2021/go-live"),
            AddMember("admin", "slack", "U0NEW", "panel", "New Person"),
        ):
            await _write(seeded, change)  # type: ignore[arg-type]
        async with seeded.transaction() as session:  # a cost entered in chat (no source document)
            rel = (await session.exec(select(m.Release).where(m.Release.slug == "february-2021"))).one()
            session.add(m.Cost(release_id=rel.id, payer="DCC", category="operational", amount_gbp=5000,
                               effective=date(2022, 2, 3), actor="admin"))  # fmt: skip
        first = await _export(seeded)
        assert "key: releasebot-record" in first and "MP400" in first and "Office closed" in first
        assert "by_exception: Panel agreed" in first  # why a change was made after the freeze is kept
        await _write(empty, ImportPapers("test", "record.yaml", first))
        assert await _export(empty) == first
        for db in (seeded, empty):  # the RID still shows the paper's costs beside the one from chat
            async with db.session() as session:
                feb = (await session.exec(select(m.Release).where(m.Release.slug == "february-2021"))).one()
                costs = (await session.exec(select(m.Cost).where(m.Cost.release_id == feb.id))).all()
                assert sorted((c.payer, c.category, c.amount_gbp or 0) for c in costs if c.until is None) == [
                    ("DCC", "implementation", 340000),
                    ("DCC", "operational", 0),
                    ("DCC", "operational", 5000),
                    ("SECAS", "SEC update", 1200),
                    ("SECAS", "project management", 3000),
                ], db.url
    finally:
        await seeded.dispose()
        await empty.dispose()


async def test_a_paper_that_contradicts_the_rules_is_refused_whole(database_url: str) -> None:
    from store.papers.importer import ImportRefused

    db = Database(database_url)
    try:
        before = await _export(db)
        wrong = NEW_PAPER.replace("date: 2021-03-24", "date: 2021-03-25")  # 10 WD after 10 Mar is the 24th
        with pytest.raises(ImportRefused, match="stated 2021-03-25 but mp300/cb-2021-03-10 \\+ 10 WD = 2021-03-24"):
            await _write(db, ImportPapers("test", "march.yaml", wrong))
        assert await _export(db) == before
    finally:
        await db.dispose()


async def test_holidays_load_from_a_stored_paper_too(database_url: str) -> None:
    """One-off holidays belong to the calendar, not to one paper: a file's holidays load even when
    the paper carrying them is stored already (as an export's first paper is)."""
    db = Database(database_url)
    try:
        text = (
            "document: {key: panel-2020-12-04, title: SEC Releases Update, issued: 2020-12-04}\n"
            "holidays:\n  - {date: 2022-06-06, name: Office closed}\n"
        )
        _, preview = await _write(db, ImportPapers("test", "holidays.yaml", text))  # type: ignore[misc]
        assert preview.skipped == ("panel-2020-12-04",) and [a.label for a in preview.added] == [
            "06 Jun 2022 Office closed"
        ]
        await _write(db, Undo("test"))
        assert "Office closed" not in await _export(db)
    finally:
        await db.dispose()


async def test_a_store_with_no_papers_round_trips(empty_database_url: str) -> None:
    """Releases and members entered only in chat (no paper ever loaded) come back from the record paper."""
    from store.changes import AddMember

    db = Database(empty_database_url)
    try:
        await _write(db, AddMember("admin", "slack", "U0ONLY", "admin", "Only Admin"))  # type: ignore[arg-type]
        first = await _export(db)
        assert "key: releasebot-record" in first and "Only Admin" in first
        await _write(db, ImportPapers("test", "record.yaml", first))  # the record paper, now stored
        assert await _export(db) == first
    finally:
        await db.dispose()


def test_every_demo_paper_passes_the_checks() -> None:
    """The checks know every field the demo papers use: a field added to the format (and the
    loader) must be added to store/papers/schema.py too, or import would refuse real papers."""
    from store.seed import DEMO_DIR, load_documents

    files = [DEMO_DIR / doc["_file"] for doc in load_documents()]
    stream = "".join("---\n" + path.read_text(encoding="utf-8") for path in files)
    papers = read_papers(stream, "demo.yaml")
    assert [p.key for p in papers] == [doc["document"]["key"] for doc in load_documents()]


async def test_importing_the_demo_papers_is_seeding_them(database_url: str, empty_database_url: str) -> None:
    """`releasebot import` of the demo files gives the store `releasebot seed demo` gives."""
    from store.seed import DEMO_DIR, load_documents

    stream = "".join("---\n" + (DEMO_DIR / d["_file"]).read_text(encoding="utf-8") for d in load_documents())
    seeded, empty = Database(database_url), Database(empty_database_url)
    try:
        await _write(empty, ImportPapers("test", "demo.yaml", stream))
        assert await _export(empty) == await _export(seeded)
    finally:
        await seeded.dispose()
        await empty.dispose()
