"""The December 2016 paper entered from chat on an empty store gives the paper's dates; the loader
refuses a data file that breaks an invariant of the record. Both databases."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.app import create_bot, load_settings
from commands.render import render_text
from store.changes import AddMember
from store.db import Database
from store.seed import DEMO_DIR, SeedError, seed_demo
from tests.helpers import ask, reply, section

# What the paper states (store/demo/002-unc-panel-2016-12-07.yaml, seed 002_080c61ee267e5e44.txt):
# the Change Board approved SECMP0020 and SECMP0022 on 23 Nov 2016; the referral period ends
# 10 Working Days later, on 7 Dec 2016, and both are implemented 5 Working Days after, on 14 Dec 2016.
PAPER = [
    "/release new june-2017 go-live 29 Jun 2017 document-only effective 7 Dec 2016",
    '/mod new SECMP0020 "Removing confidential classification of unique IDs in Schedule 5" effective 7 Dec 2016',
    '/mod new SECMP0022 "Expanding SMKI PMA membership and removing Alternate restrictions" effective 7 Dec 2016',
    '/mod SECMP0020 decision "Change Board" approved 23 Nov 2016 "Approved at the November Change Board"',
    "/mod SECMP22 decision change board approved 23 Nov 2016",
]


async def test_the_december_2016_change_board_decision_from_chat_on_an_empty_store(empty_database_url: str) -> None:
    bot = create_bot(load_settings(database_url=empty_database_url))
    await bot.start(watch=False)
    try:
        assert (await reply(bot, PAPER[0])).is_error  # nobody is an admin of an empty store yet
        await bot.writer.write(AddMember("cli:test", "console", "console", "admin", "Secretary"))
        for line in PAPER:
            done = await reply(bot, line)
            assert done.kind == "changed", (line, render_text(done))
        for ref in ("SECMP0020", "SECMP0022"):
            mod = await ask(bot, f"/mod {ref}")
            assert "Phase:             Approved" in mod
            assert "Wed 23 Nov 2016 Change Board: approved" in mod
            milestones = section(mod, "Milestones")
            assert f"Wed 23 Nov 2016 · Change Board approved {ref}" in milestones
            assert f"Wed 7 Dec 2016 · Referral period ends (Change Board approved {ref})" in milestones
            assert f"Wed 14 Dec 2016 · Implementation (Change Board approved {ref})" in milestones
        log = await ask(bot, "/release decisions since 2016-11-01")
        assert log.count("Wed 23 Nov 2016 · Change Board · approved") == 2, log
        assert "Thu 29 Jun 2017" in await ask(bot, "/release june-2017")
        audit = await ask(bot, "/release audit")
        assert "Recorded the Change Board decision on SECMP0020: approved on Wed 23 Nov 2016" in audit
        # Undo takes the decision back whole: phase, decision and the derived dates.
        await reply(bot, "/release undo")
        mod = await ask(bot, "/mod SECMP0022")
        assert "Referral period ends" not in mod and "Decision:          none recorded" in mod
    finally:
        await bot.stop()


async def test_the_loader_refuses_a_paper_that_leaves_a_modification_in_two_releases(
    empty_database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    for paper in DEMO_DIR.glob("*.yaml"):
        shutil.copyfile(paper, folder / paper.name)
    later = folder / "000-panel-2020-12-04.yaml"
    data = yaml.safe_load(later.read_text(encoding="utf-8"))
    data["releases"] = [r for r in data["releases"] if r["slug"] != "june-2018"]  # the recorded move, taken out
    later.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    db = Database(empty_database_url)
    try:
        with pytest.raises(
            SeedError, match=r"SECMP0007 is live in june-2018 and november-2021 at once from 2020-11-01"
        ):
            await seed_demo(db, datetime.now(UTC), folder)
        report = await seed_demo(db, datetime.now(UTC), DEMO_DIR)  # the paper as fixed loads; nothing half-loaded
        assert "panel-2020-12-04" in report.loaded and "unc-panel-2016-12-07" in report.skipped
    finally:
        await db.dispose()


async def test_a_month_the_paper_gave_is_kept_as_a_month_never_the_first(database_url: str) -> None:
    bot = create_bot(load_settings(database_url=database_url))
    await bot.start(watch=False)
    try:
        snap = bot.read_model.snapshot
        dp145 = next(ms for ms in snap.milestones if ms.key == "dp145/mr-panel-2021-01")
        assert dp145.precision == "month"
        timeline = await ask(bot, "/release june-2021 timeline")
        assert "Jan 2021 · DP145 Modification Report expected at the Panel" in timeline
        assert "Fri 1 Jan 2021" not in timeline  # a bank holiday the paper never named
        mod = await ask(bot, "/mod SECMP0007")
        assert "targeted Wed 7 Dec 2016 → moved Nov 2020" in mod  # the move the December 2020 paper implies
        assert "november-2021`: approved (targeted Nov 2020 → approved Fri 4 Dec 2020)" in mod
    finally:
        await bot.stop()
