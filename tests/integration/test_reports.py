"""The December 2016 Modification Status Report, the December 2020 Panel update, the pictures, the
document cache, and the same documents in chat. Facts from papers 002 (7 Dec 2016) and 000
(4 Dec 2020); the report must derive them from state, so each is checked in the built tables."""

from __future__ import annotations

import re
import struct
from datetime import date

import pytest
import time_machine

from bot.core import Releasebot
from commands.documents.build import (
    build_async,
    build_panel_update,
    build_progress_png,
    build_status_report,
    build_timeline_png,
    chart_pool,
    render_async,
)
from commands.documents.cache import DocumentCache
from commands.documents.model import TimelineChart
from commands.documents.status_report import open_by_phase, status_report_document
from commands.documents.timeline import release_timeline
from domain.snapshot import Snapshot
from tests.docreader import read_docx
from tests.helpers import ask, reply

DEC_2016 = date(2016, 12, 1)
TODAY = date(2020, 12, 4)


@pytest.fixture(scope="module")
def snapshot(demo_snapshot: Snapshot) -> Snapshot:
    """The demo data's read model (documents only read it)."""
    return demo_snapshot


def test_december_2016_counts_come_from_phase_history(snapshot: Snapshot) -> None:
    groups = open_by_phase(snapshot, date(2016, 12, 9))
    assert sum(len(v) for v in groups.values()) == 21
    assert len(groups["Refinement"]) == 17
    assert [m.ref for m in groups["Development"]] == ["SECMP0025"]
    assert [m.ref for m in groups["Report"]] == ["SECMP0016"]
    assert [m.ref for m in groups["Pending implementation"]] == ["SECMP0020", "SECMP0022"]
    # SECMP0007 is approved for November 2021 today, but was in Refinement in December 2016.
    assert "SECMP0007" in {m.ref for m in groups["Refinement"]}
    # After their 14 Dec 2016 implementation, SECMP0020 and SECMP0022 are no longer open.
    later = open_by_phase(snapshot, date(2016, 12, 15))
    assert later["Pending implementation"] == [] and sum(len(v) for v in later.values()) == 19


def test_december_2016_status_report_word_and_markdown(snapshot: Snapshot) -> None:
    word = read_docx(build_status_report(snapshot, DEC_2016, "docx", TODAY))
    assert word.title == "Modification Status Report: December 2016"
    table = word.table("1.1 Status of open modifications")
    counts = {row[0]: row[1] for row in table[1:]}
    assert counts["Total open"] == "21" and counts["Refinement"] == "17"
    assert (
        counts["Development (initial Modification Report)"] == "1" and counts["Approved, pending implementation"] == "2"
    )
    assert word.pictures == 2  # the bar chart of phases and the progress chart
    new = word.section("1.2 New modifications").bullets
    assert len(new) == 1 and new[0].startswith("SECMP0025 ")
    decisions = word.section("1.3 Decisions").bullets
    approved = [d for d in decisions if "approved by the Change Board" in d]
    assert [re.search(r"SECMP00\d\d", d).group() for d in approved] == ["SECMP0020", "SECMP0022"]  # type: ignore[union-attr]
    assert all(
        "Wed 23 Nov 2016" in d and "Implementation on Wed 14 Dec 2016" in d and "10 Working Days" in d for d in approved
    )
    assert any(d.startswith("Fri 11 Nov 2016: SECMP0003") and "withdrawn" in d for d in decisions)
    assert [h for _, h in word.headings() if h.startswith("Working Group")] == [
        f"Working Group {n} (WG{n})" for n in range(1, 6)
    ]
    assert "SECMP0021" in "\n".join(word.section("Working Group 5 (WG5)").bullets)
    releases = [h for lvl, h in word.headings() if lvl == 2 and h.endswith("SEC Release")]
    assert releases == [
        "June 2017 SEC Release",
        "November 2017 SEC Release",
        "February 2018 SEC Release",
        "June 2018 SEC Release",
    ]
    feb_2018 = word.table("February 2018 SEC Release")
    assert [row[0] for row in feb_2018[1:4]] == ["SECMP0004", "SECMP0008", "SECMP0011"]
    md = build_status_report(snapshot, DEC_2016, "md", TODAY).decode()
    assert "There were 21 open modifications" in md and "17 in Refinement" in md
    assert "SECMP0025" in md[md.index("### 1.2 New modifications") : md.index("### 1.3 Decisions")]


def test_a_month_with_nothing_recorded_says_so(snapshot: Snapshot) -> None:
    md = build_status_report(snapshot, date(2015, 3, 1), "md", TODAY).decode()
    assert "There were 0 open modifications" in md
    assert (
        "No new modifications were raised in this period." in md and "No decisions were recorded in this period." in md
    )


def test_panel_update_recommendations_match_the_december_2020_paper(snapshot: Snapshot) -> None:
    word = read_docx(build_panel_update(snapshot, date(2020, 11, 6), "docx", TODAY))
    assert word.title == "SEC Releases Update"
    recommendations = word.section("6. Recommendations").bullets
    assert recommendations == [
        "NOTE the update to the scope of the February 2021 SEC Release;",
        "BASELINE the June 2021 SEC Release Implementation Document (version 1.1);",
        "AGREE the update to the scope of the November 2021 SEC Release, moving MP099 to the June 2022 SEC Release;",
        "NOTE the update to the scope of the June 2022 SEC Release.",
    ]
    feb = word.table("2. February 2021 SEC Release")
    assert [row[0].split()[0] for row in feb[1:]] == ["MP092", "MP122A"]
    nov = word.table("4. November 2021 SEC Release")
    assert [row[0].split()[0] for row in nov[1:]] == ["SECMP0007", "MP077", "MP090", "MP105", "MP122B", "MP129"]
    assert [row[2] for row in nov[1:]] == ["✓"] * 5 + [""]
    # Nothing changed after 5 Dec 2020: the paper asks for nothing.
    quiet = read_docx(build_panel_update(snapshot, date(2020, 12, 5), "docx", TODAY))
    assert "No decisions are requested." in quiet.section("6. Recommendations").paragraphs


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_pictures_are_pngs(snapshot: Snapshot) -> None:
    one = _png_size(build_timeline_png(snapshot, "june-2021", TODAY))
    every = _png_size(build_timeline_png(snapshot, None, TODAY))
    progress = _png_size(build_progress_png(snapshot, DEC_2016, TODAY))
    assert all(w > 600 and h > 200 for w, h in (one, every, progress))


async def test_second_request_for_the_same_state_version_reuses_the_bytes(snapshot: Snapshot) -> None:
    cache = DocumentCache(max_items=4)
    calls = []

    def make() -> TimelineChart:
        calls.append(1)
        return release_timeline(snapshot, snapshot.release_by_slug["june-2021"], TODAY)

    first = await build_async(cache, "timeline", ("june-2021", TODAY), snapshot, make, "png")
    again = await build_async(cache, "timeline", ("june-2021", TODAY), snapshot, make, "png")
    assert again is first and len(calls) == 1 and cache.hits == 1
    assert first == build_timeline_png(snapshot, "june-2021", TODAY)  # the same picture as the plain function draws


async def test_documents_with_pictures_drawn_in_a_process(snapshot: Snapshot) -> None:
    pool = chart_pool()
    try:
        data = await render_async(status_report_document(snapshot, DEC_2016, TODAY), "docx", pool)
    finally:
        pool.shutdown()
    word = read_docx(data)
    assert word.pictures == 2 and word.table("1.1 Status of open modifications")[-1][:2] == ["Total open", "21"]


async def test_chat_rid_uses_the_document_model(bot: Releasebot) -> None:
    text = await ask(bot, "/release june-2021 rid")
    assert text.startswith("June 2021 SEC Release Implementation Document\n")
    assert "Release Release" not in text
    assert text.count("1. Scope") == 1
    timetable = text[text.index("Release implementation timetable") : text.index("Deadlines that follow by rule")]
    assert "Panel baselines" in timetable and "go-live" in timetable and "MP106" not in timetable
    assert "Annex A: Modification milestones" in text
    older = await ask(bot, "/release june-2021 rid version 1.0")
    assert "SECMP0067" in older and "MP106" not in older.split("Appendix 1")[0]
    diff = await ask(bot, "/release june-2021 rid diff 1.0 1.1")
    assert "SECMP0067: targeted → removed" in diff
    wrong = await reply(bot, "/release june-2021 rid version 9")
    assert wrong.is_error


async def test_chat_status_report(bot: Releasebot) -> None:
    text = await ask(bot, "/release report status Dec 2016")
    assert "There were 21 open modifications" in text and "17 in Refinement" in text
    bad = await reply(bot, "/release report status 2016-13")
    assert bad.is_error
    with time_machine.travel("2020-12-04 09:00 +0000", tick=False):
        panel = await ask(bot, "/release report panel since 2020-11-06")
    assert "BASELINE the June 2021 SEC Release Implementation Document (version 1.1)" in panel
