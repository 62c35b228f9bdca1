"""Views across releases, a modification's impacts, the wider search and glossary, and help, on
the demo data living on 4 Dec 2020 (the latest paper's date). Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re

import pytest

from bot.console import run_console
from bot.core import Releasebot
from tests.helpers import ask, reply, section

pytestmark = pytest.mark.usefixtures("bot")


def bullets(text: str) -> list[str]:
    return [line.strip()[2:] for line in text.splitlines() if line.startswith("  • ")]


async def test_due_lists_every_deadline_from_today_soonest_first(bot: Releasebot) -> None:
    text = await ask(bot, "/release due")
    assert "18 milestones, soonest first." in text
    lines = bullets(text)
    assert lines[0] == "Fri 4 Dec 2020 · SEC Releases Update paper issued to the Panel · today"
    assert lines[1].startswith("Fri 11 Dec 2020 · Panel re-baselines the June 2021 RID") and lines[1].endswith(
        "in 5 WD"
    )
    assert (
        "Wed 20 Jan 2021 · Change Board vote on MP092 (Self-Governance) · MP092 · February 2021 SEC Release · in 30 WD"
        in lines
    )
    assert lines[-1].startswith("Thu 30 Jun 2022 · June 2022 release go-live") and lines[-1].endswith("in 393 WD")
    wds = [int(m.group(1)) for line in lines if (m := re.search(r"in (\d+) WD$", line))]
    assert wds == sorted(wds)
    assert "Fri 12 Feb 2021 · Panel go/no-go decision · February 2021 SEC Release · in 47 WD" in lines


async def test_due_in_working_days_and_periods(bot: Releasebot) -> None:
    five = await ask(bot, "/release due 5 WD")
    assert five.startswith("Due in the next 5 Working Days (to Fri 11 Dec 2020)") and "2 milestones" in five
    week = await ask(bot, "/release due this week")
    assert "Mon 30 Nov 2020 to Sun 6 Dec 2020" in week and "5 milestones" in week
    # The paper gives the month only: shown as the month, never as Tue 1 Dec 2020 (issue 12).
    assert "Dec 2020 · MP106 Modification Report at the Panel · MP106 · June 2021 SEC Release · this month" in week
    assert "1 Dec 2020" not in week.split("\n", 1)[1].replace("(Mon 30 Nov 2020 to Sun 6 Dec 2020)", "")
    next_week = await ask(bot, "/release due next week")
    assert bullets(next_week) == [
        "Fri 11 Dec 2020 · Panel re-baselines the June 2021 RID to add non-DCC System impacting proposals"
        " · June 2021 SEC Release · in 5 WD"
    ]
    month = await ask(bot, "/release due this month")
    assert "Due this month (December 2020)" in month and "7 milestones" in month
    assert "Tue 29 Dec 2020 · Appeal window on the non-system RID re-baseline closes" in month
    january = await ask(bot, "/release due next month")
    assert "6 milestones" in january and "Tue 26 Jan 2021 · DCC submits evidence" in january


async def test_due_says_when_nothing_is_due_and_refuses_what_it_cannot_read(bot: Releasebot) -> None:
    await ask(
        bot, "/release june-2021 milestone june-2021/rid-baseline-non-system cancel reason not needed in the test"
    )
    quiet = await ask(bot, "/release due next week")
    assert "Nothing is due next week" in quiet
    bad = await reply(bot, "/release due soon")
    assert bad.is_error and "`/release due [N WD|this week|next week|this month]`" in await ask(
        bot, "/release due soon"
    )


async def test_targeted_but_undecided_in_every_upcoming_release_with_its_cut_off(bot: Releasebot) -> None:
    text = await ask(bot, "/release targeted")
    assert "12 modifications targeted and still to be decided." in text
    feb = (
        "February 2021 SEC Release `february-2021` · go-live Thu 25 Feb 2021"
        " · no cut-off recorded; go/no-go Fri 12 Feb 2021 (in 47 WD)"
    )
    assert feb in text
    assert (
        "MP092 New Planned Maintenance methodology · Report"
        " — next: Change Board vote on MP092 (Self-Governance), Wed 20 Jan 2021 (in 30 WD)" in text
    )
    assert {"MP106", "MP116", "MP138", "DP144", "DP145", "MP147", "MP077", "MP105", "MP122B", "MP129", "MP099"} <= set(
        re.findall(r"\b[A-Z]+\d+[A-Z]?\b", text)
    )
    assert "MP122A" not in text and "SECMP0007" not in text  # approved, so decided
    assert "14 more sit in releases already past their go-live: `/release targeted all`." in text
    every = await ask(bot, "/release targeted all")
    assert "26 modifications" in every and "SECMP0002 Add New Command to Reset Debt Registers" in every


async def test_a_stated_cut_off_is_the_one_shown_and_a_decision_takes_a_modification_out(bot: Releasebot) -> None:
    await ask(bot, '/release february-2021 milestone add notice_cutoff 2021-01-15 "Notice period ends"')
    text = await ask(bot, "/release targeted")
    assert "cut-off: Fri 15 Jan 2021 Notice period ends (in 27 WD)" in text
    await ask(bot, "/release february-2021 approve MP092 Change Board approved")
    after = await ask(bot, "/release targeted")
    assert "11 modifications" in after and "MP092" not in after


async def test_the_decisions_log_newest_first_and_since_a_date(bot: Releasebot) -> None:
    text = await ask(bot, "/release decisions")
    assert "16 decisions, newest first." in text
    lines = bullets(text)
    assert lines[0].startswith("Fri 4 Dec 2020 · SECAS · recommended · MP099")
    assert lines[-1].startswith("Fri 11 Nov 2016 · body not stated · withdrawn · SECMP0003")
    assert (
        "Wed 23 Nov 2016 · Change Board · approved"
        " · SECMP0020 Removing confidential classification of unique IDs in Schedule 5" in text
    )
    since = await ask(bot, "/release decisions since 24 Nov 2020")
    assert "11 decisions" in since and "SECMP0020" not in since
    assert "date not stated (reported Fri 4 Dec 2020) · body not stated · rejected · SECMP0067" in since
    assert "No decisions are recorded since Sat 5 Dec 2020." in await ask(bot, "/release decisions since tomorrow")


async def test_mod_shows_the_parties_and_documents_it_affects_release_by_release(bot: Releasebot) -> None:
    text = await ask(bot, "/mod MP138")
    assert section(text, "Parties it affects").strip() == "• June 2021 SEC Release: Other SEC Parties, DCC"
    docs = section(text, "SEC documents it changes")
    assert "Appendix J Enduring Testing Approach Document · June 2021 SEC Release" in docs
    assert "Schedule 7 Specimen Enabling Services Agreement · June 2021 SEC Release" in docs
    old = await ask(bot, "/mod SECMP0004")
    assert (
        "February 2018 SEC Release: DCC" in old
        and "DUIS DCC User Interface Specification · February 2018 SEC Release" in old
    )


async def test_find_searches_party_categories_authors_and_papers(bot: Releasebot) -> None:
    parties = await ask(bot, "/release find Other SEC Parties")
    assert "Releases touched: February 2021 SEC Release, June 2021 SEC Release" in parties
    assert len(bullets(section(parties, "Participant impacts"))) == 6
    author = await ask(bot, "/release find Joe Hehir")
    assert (
        "SEC Releases Update (Panel paper) with June 2021 RID v1.1 · Joe Hehir, SECAS Team · issued Fri 4 Dec 2020"
        in author
    )
    other = await ask(bot, "/release find Kayla Reinhart")
    assert "issued Wed 7 Dec 2016" in other
    paper = await ask(bot, "/release find Modification Status Report")
    assert "SEC Update to the UNC Modification Panel, with the December 2016 Modification Status Report" in paper


@pytest.mark.parametrize(
    ("term", "meaning"),
    [("DUIS", "DCC User Interface Specification"), ("SMETS2", "Smart Metering Equipment Technical Specifications"),
     ("GBCS", "GB Companion Specification"), ("CHTS", "Communications Hub Technical Specifications"),
     ("Change Board", "votes on Modification Reports"), ("Self-Governance", "not the Authority, decides"),
     ("Modification Report", "end of refinement")],
)  # fmt: skip
async def test_the_glossary_knows_the_codes_common_terms(bot: Releasebot, term: str, meaning: str) -> None:
    assert meaning in await ask(bot, f"/release glossary {term}")


async def test_the_glossary_falls_back_to_sec_document_titles(bot: Releasebot) -> None:
    text = await ask(bot, "/release glossary Appendix O")
    assert "Appendix O is the SEC document “SMKI Repository Interface Design Specification”." in text
    assert "MP147 SMKI Full Extract" in text
    tadp = await ask(bot, "/release glossary TADP")
    assert "Threshold Anomaly Detection Procedures" in tadp and "SECMP0008" in tadp
    assert "Payment of Charges" in await ask(bot, "/release glossary section j")
    assert (await reply(bot, "/release glossary Appendix Q")).is_error


async def test_a_dropped_word_is_named_not_ignored(bot: Releasebot) -> None:
    r = await reply(bot, "/release june-2021 timeline v1.1")
    assert r.is_error
    assert "I did not use `v1.1`" in await ask(bot, "/release june-2021 timeline v1.1")
    # The RID takes a version: `rid v1.1` is the RID as it stood at 1.1, not the current one.
    versioned = await ask(bot, "/release june-2021 rid v1.1")
    assert "Version 1.1" in versioned and "I did not use" not in versioned


async def test_help_lists_every_family_and_each_topic_answers(bot: Releasebot) -> None:
    overview = await ask(bot, "/release help")
    families = (
        "/release", "/mod", "/workdays", "Panel go/no-go polls", "Deadline reminders", "Reports across releases",
        "Finding things", "Questions in plain words", "Changing release state (admins)",
    )  # fmt: skip
    for family in families:
        assert f"\n{family}\n" in overview, family
    topics = {
        "mod": "/mod", "workdays": "/workdays", "vote": "Panel go/no-go polls", "polls": "Panel go/no-go polls",
        "reminders": "Deadline reminders", "reports": "Reports across releases", "due": "Reports across releases",
        "admin": "Changing release state (admins)", "questions": "Questions in plain words",
        "glossary": "Finding things",
    }  # fmt: skip
    for topic, title in topics.items():
        for line in (f"/release help {topic}", f"help {topic}"):
            assert (await ask(bot, line)).startswith(title + "\n"), line
    assert (await ask(bot, "help me with the reminders")).startswith("Deadline reminders\n")
    unknown = await ask(bot, "help frobnicate")
    assert "There is no help on `frobnicate`" in unknown and "Reports across releases" in unknown
    observer = await ask(bot, "/release help", user="observer")
    assert "Changing release state (admins)" not in observer and "/release help admin" in observer


async def test_the_piped_console_echoes_each_line_and_reads_plain_words(bot: Releasebot) -> None:
    out = io.StringIO()
    await run_console(
        bot, "console", "text", stdin=io.StringIO("/release due next week\nwhat's in june 2022\n"), stdout=out
    )
    text = out.getvalue()
    assert text.startswith("> /release due next week\nDue next week (Mon 7 Dec 2020 to Sun 13 Dec 2020)")
    assert "\n> what's in june 2022\nJune 2022 SEC Release scope\n" in text
    assert "Read as `/release june-2022 scope`" in text
