"""Questions a Panel secretary would ask, answered from the demo data (the four seed papers).

Each test names the paper the answer comes from. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
import time_machine

from bot.core import Releasebot
from tests.helpers import ask, reply, section

pytestmark = pytest.mark.usefixtures("bot")


def refs(text: str) -> set[str]:
    return set(re.findall(r"\b(?:SECMP\d{4}|MP\d{3}[A-Z]?|DP\d{3}|CR\d{3})\b", text))


async def test_june_2021_scope_as_baselined_in_december_2020(bot: Releasebot) -> None:
    # 000: six document-only proposals targeted; MP095 removed (no decision in time).
    text = await ask(bot, "/release june-2021 scope")
    assert refs(section(text, "Targeted")) == {"MP106", "MP116", "MP138", "DP144", "DP145", "MP147"}
    removed = section(text, "Removed")
    assert "MP095" in removed and "not expected in time" in removed
    assert "SECMP0067" in removed


async def test_february_2021_scope_changed_between_august_and_december_papers(bot: Releasebot) -> None:
    # 003 (7 Aug 2020) targeted MP092, MP095, MP111, MP122; 000 (4 Dec 2020): MP092 targeted, MP122A approved.
    august = await ask(bot, "/release feb-2021 scope as of 2020-09-01")
    assert refs(section(august, "Targeted")) == {"MP092", "MP095", "MP111", "MP122"}
    assert "Approved" not in august
    december = await ask(bot, "/release february 2021 scope as of 4 Dec 2020")
    assert refs(section(december, "Approved")) == {"MP122A"}
    assert refs(section(december, "Targeted")) == {"MP092"}
    assert "MP095" in section(december, "Moved") and "June 2021" in section(december, "Moved")
    before = await ask(bot, "/release feb-2021 scope as of 2020-08-06")
    assert "No scope is recorded" in before


async def test_november_2021_mp099_moved_to_june_2022(bot: Releasebot) -> None:
    # 000: DCC recommends implementing MP099 with June 2022 changes.
    text = await ask(bot, "/release nov-2021 scope")
    assert refs(section(text, "Approved")) == {"SECMP0007", "MP090"}
    assert {"MP077", "MP105", "MP122B", "MP129"} <= refs(section(text, "Targeted"))
    assert "MP099" in section(text, "Moved") and "June 2022" in section(text, "Moved")
    june_2022 = await ask(bot, "/release 2022-06 scope")
    assert refs(section(june_2022, "Targeted")) == {"MP099"}


async def test_a_modification_in_every_release_it_was_ever_in(bot: Releasebot) -> None:
    # SECMP0007: June 2018 candidate in 002 (2016), approved for November 2021 in 000 (2020).
    text = await ask(bot, "/mod secmp7")
    releases = section(text, "Releases it has been in")
    assert "June 2018" in releases and "targeted" in releases
    assert "November 2021" in releases and "approved" in releases


async def test_draft_proposal_found_by_its_later_mp_number(bot: Releasebot) -> None:
    # 000's document matrix calls DP144 "MP144".
    text = await ask(bot, "/mod MP 144")
    assert text.startswith("DP144 Charging of Random Sample Privacy Assessments")


async def test_change_board_decision_and_derived_implementation_date(bot: Releasebot) -> None:
    # 002: CB approved SECMP0020 on 23 Nov 2016; implemented 14 Dec 2016 = 10 WD referral + 5 WD.
    text = await ask(bot, "/mod SECMP20")
    assert "Wed 23 Nov 2016" in text and "approved" in text
    milestones = section(text, "Milestones")
    assert "Wed 7 Dec 2016" in milestones and "Wed 14 Dec 2016" in milestones


async def test_which_releases_touch_appendix_o(bot: Releasebot) -> None:
    text = await ask(bot, "/release find Appendix O")
    assert "Releases touched: June 2021 SEC Release" in text
    assert "MP147 SMKI Full Extract" in text


async def test_find_smki_lists_modifications_and_glossary(bot: Releasebot) -> None:
    text = await ask(bot, "/release find smki")
    assert {"MP147", "SECMP0022"} <= refs(section(text, "Modifications"))
    assert "Smart Metering Key Infrastructure" in section(text, "Glossary")


async def test_february_2021_costs_and_criteria(bot: Releasebot) -> None:
    # 003: DCC £340,000 due to MP122; SECAS ~£1,200 + ~£3,000; ten operational criteria.
    costs = await ask(bot, "/release feb-2021 costs as of 2020-09-01")
    assert "£340,000" in costs and "MP122" in costs
    assert "£1,200" in costs and "£3,000" in costs
    # MP122 left the release on 4 Dec 2020 (split into MP122A and MP122B): its cost went with it.
    now = await ask(bot, "/release feb-2021 costs")
    assert "£340,000" not in now and "£1,200" in now
    criteria = await ask(bot, "/release feb-2021 criteria")
    assert len(re.findall(r"^\s+• \d+\. ", criteria, flags=re.M)) == 10


async def test_february_2021_timeline_with_working_days(bot: Releasebot) -> None:
    # 003 timetable; the RID appeal window (004) derived as baseline + 10 WD.
    with time_machine.travel("2021-02-01 09:00 +0000", tick=False):
        text = await ask(bot, "/release feb-2021 timeline")
    assert re.search(r"Tue 26 Jan 2021 · .*evidence", text, re.I)
    assert re.search(r"Fri 12 Feb 2021 · .*go/no-go.* · in 9 WD", text, re.I)
    assert re.search(r"Thu 25 Feb 2021 · .*go-live.* · in 18 WD", text, re.I)
    assert re.search(r"Fri 28 Aug 2020 · .*appeal.*derived: 10 WD after", text, re.I)


async def test_june_2021_rid_rebuilt_from_state(bot: Releasebot) -> None:
    text = await ask(bot, "/release june-2021 rid")
    assert "Appendix 1: Version control" in text
    for version, when in (("0.1", "Fri 10 Jul 2020"), ("1.0", "Fri 24 Jul 2020"), ("1.1", "Fri 4 Dec 2020")):
        assert re.search(rf"^\s+{re.escape(version)}\s+{when}", text, re.M), version
    assert re.search(r"Appendix O\s+✓", text) is None or "Appendix O" in text
    matrix = section(text, "SEC document impact matrix")
    row = next(line for line in matrix.splitlines() if line.strip().startswith("Appendix O"))
    header = matrix.splitlines()[0]
    assert header.index("MP147") == row.index("✓")


async def test_participant_impacts_matrix(bot: Releasebot) -> None:
    text = await ask(bot, "/release june-2021 impacts parties")
    matrix = section(text, "Participant impact matrix")
    header, _, *rows = matrix.splitlines()
    mp116 = next(r for r in rows if r.strip().startswith("MP116"))
    ticks = [header[n : n + 3].strip() for n, ch in enumerate(mp116) if ch == "✓"]
    assert ticks == ["DCC"]


async def test_release_card_and_slug_forms(bot: Releasebot) -> None:
    answers = {await ask(bot, f"/release {form}") for form in ("june-2022", "jun-2022", "2022-06", "June 2022")}
    assert len(answers) == 1
    card = answers.pop()
    assert "Thu 30 Jun 2022" in card and "1 targeted" in card


async def test_workdays_for_people(bot: Releasebot) -> None:
    assert "Wed 7 Dec 2016" in await ask(bot, "/workdays 2016-11-23 +10")
    assert "Wed 14 Dec 2016" in await ask(bot, "/workdays 23 Nov 2016 +15")
    between = await ask(bot, "/workdays 2020-12-11 to 2020-12-29")
    assert "10 Working Days" in between and "Boxing Day (observed)" in between
    assert "State Funeral" in await ask(bot, "/workdays 2022-09-19")


async def test_changes_since_and_history(bot: Releasebot) -> None:
    since = await ask(bot, "/release june-2021 changes since 2020-12-01")
    assert "MP106" in since and "RID v1.1" in since
    assert "SECMP0067" not in since.split("MP106")[0] or "removed" in since
    history = await ask(bot, "/release june-2021 history")
    assert history.index("Fri 10 Jul 2020") < history.index("Fri 24 Jul 2020") < history.index("Fri 4 Dec 2020")


async def test_glossary(bot: Releasebot) -> None:
    assert "Release Implementation Document" in await ask(bot, "/release glossary RID")
    miss = await reply(bot, "/release glossary RIDD")
    assert miss.is_error and "Did you mean" in render(miss)


def render(r: object) -> str:
    from commands.render import render_text

    return render_text(r)  # type: ignore[arg-type]


async def test_unknown_release_suggests_the_nearest(bot: Releasebot) -> None:
    r = await reply(bot, "/release june-2023 scope")
    assert r.is_error
    assert "`june-2022`" in render(r)
    typo = await reply(bot, "/release jnue-2021")
    assert typo.is_error and "`june-2021`" in render(typo)


async def test_unknown_ref_and_word_suggestions(bot: Releasebot) -> None:
    r = await reply(bot, "/mod MP1222")
    assert r.is_error and "Did you mean" in render(r)
    scpoe = await reply(bot, "/release june-2021 scpoe")
    assert scpoe.is_error and "`scope`" in render(scpoe)
    assert "Usage" in render(scpoe)


async def test_november_2021_dcc_scope_as_baselined_in_november_2020(bot: Releasebot) -> None:
    # 000: "since the Panel baselined the scope on the DCC Systems last month" (Nov 2020): the DCC
    # System impacting items, MP099 among them, were in it; MP129 (not DCC impacting) is not said to be.
    text = await ask(bot, "/release nov-2021 scope as of 2020-11-15")
    assert refs(section(text, "Targeted")) == {"SECMP0007", "MP077", "MP090", "MP105", "MP122B", "MP099"}
