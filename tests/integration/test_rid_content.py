"""RID content changed from chat: impacts, summaries, costs, criteria. Both databases.

Each change is for admins only, atomic, audited and undone by `/release undo`; it keeps history,
so `as of` an earlier day (and a RID built for that day) shows what was recorded then, for the
modifications in scope then.
"""

from __future__ import annotations

import pytest
import time_machine

from bot.core import Releasebot
from commands.render import render_text
from tests.helpers import ask, reply, section

pytestmark = pytest.mark.usefixtures("bot")

ADMIN = "console"  # Demo Secretary
PANEL = "U0PANEL01"
FEB = "/release february-2021"
BEFORE_FREEZE = "2020-12-15 10:00 +0000"  # February 2021 (document-only, go-live 25 Feb) freezes 20 WD before


async def _changed(bot: Releasebot, line: str) -> str:
    r = await reply(bot, line, user=ADMIN)
    assert r.kind == "changed", render_text(r)
    return render_text(r)


async def test_the_february_rid_shows_the_december_scope_with_its_own_impacts(bot: Releasebot) -> None:
    """MP095 moved and MP111 was removed on 4 Dec 2020: their August impacts leave with them."""
    now = await ask(bot, f"{FEB} impacts")
    matrix = section(now, "Participant impact matrix")
    assert "MP092" in matrix and "MP095" not in matrix and "MP111" not in matrix
    assert "Credit Cover" not in now and "SMDA" not in now
    august = await ask(bot, f"{FEB} impacts as of 2020-09-01")
    assert "as of Tue 1 Sep 2020" in august
    for ref in ("MP092", "MP095", "MP111", "MP122"):
        assert ref in section(august, "Participant impact matrix")
    assert "Credit Cover" in august and "SMDA" in august
    rid_now = await ask(bot, f"{FEB} rid")
    assert "Credit Cover" not in rid_now and "SMDA fixed costs" not in rid_now
    rid_then = await ask(bot, f"{FEB} rid version 0.1")
    assert "Credit Cover" in rid_then and "SMDA fixed costs" in rid_then
    # MP122's cost went with MP122 (removed when it was split).
    assert "£340,000" not in await ask(bot, f"{FEB} costs")
    assert "£340,000" in await ask(bot, f"{FEB} costs as of 2020-09-01")


async def test_participant_impacts_are_replaced_dated_and_undone(bot: Releasebot) -> None:
    with time_machine.travel(BEFORE_FREEZE, tick=False):
        done = await _changed(bot, f"{FEB} impact MP092 parties Suppliers, dcc")
        assert "MP092 impacts Suppliers, DCC" in done
        now = section(await ask(bot, f"{FEB} impacts parties"), "Participant impact matrix")
        row = next(line for line in now.splitlines() if line.strip().startswith("MP092"))
        assert row.count("✓") == 2
        before = section(await ask(bot, f"{FEB} impacts parties as of 2020-12-14"), "Participant impact matrix")
        assert next(line for line in before.splitlines() if "MP092" in line).count("✓") == 5
        assert "Participant impacts in February 2021 SEC Release" in await ask(bot, "/release audit", user=ADMIN)
        # Refused: the same again, a party row for a modification not in scope, an unknown ref.
        assert "already records" in render_text(await reply(bot, f"{FEB} impact MP092 parties DCC,Suppliers"))
        assert "not in the scope" in render_text(await reply(bot, f"{FEB} impact MP111 parties DCC"))
        assert (await reply(bot, f"{FEB} impact MP999 parties DCC")).is_error
        await _changed(bot, "/release undo")
        now = section(await ask(bot, f"{FEB} impacts parties"), "Participant impact matrix")
        assert next(line for line in now.splitlines() if "MP092" in line).count("✓") == 5


async def test_back_dated_document_impacts_show_as_of_their_day(bot: Releasebot) -> None:
    with time_machine.travel(BEFORE_FREEZE, tick=False):
        await _changed(bot, f'{FEB} impact MP092 document "Section J" effective 2020-12-10')
        docs = await ask(bot, f"{FEB} impacts documents")
        assert "Section J" in section(docs, "SEC document impact matrix")
        assert "Payment of Charges" in docs  # the title the release's papers give Section J
        assert "Section J" not in await ask(bot, f"{FEB} impacts documents as of 2020-12-09")
        assert "Section J" in await ask(bot, f"{FEB} impacts documents as of 2020-12-10")
        await _changed(bot, f'{FEB} impact MP092 document "section j" replace "Section K" "Testing"')
        docs = await ask(bot, f"{FEB} impacts documents")
        assert "Section K" in docs and "Section J" not in docs
        await _changed(bot, f'{FEB} impact MP092 document "Section K" remove')
        assert "Section K" not in await ask(bot, f"{FEB} impacts documents")
        assert "Nothing records" in render_text(await reply(bot, f'{FEB} impact MP092 document "Section K" remove'))
        for _ in range(3):
            await _changed(bot, "/release undo")
        assert "Section J" not in await ask(bot, f"{FEB} impacts documents")


async def test_summaries_costs_and_criteria_add_remove_replace_and_undo(bot: Releasebot) -> None:
    with time_machine.travel(BEFORE_FREEZE, tick=False):
        await _changed(bot, f'{FEB} summary add dcc "Testing" "The DCC tests the TOC changes." for MP092')
        assert "Testing: The DCC tests the TOC changes." in section(await ask(bot, f"{FEB} impacts"), "DCC impacts")
        await _changed(bot, f'{FEB} summary 1 replace "Every Party sees planned maintenance."')
        party = section(await ask(bot, f"{FEB} impacts"), "SEC Party impacts")
        assert "1. All SEC Parties: Every Party sees planned maintenance." in party

        costs = initial = await ask(bot, f"{FEB} costs")
        assert "1. DCC operational" in costs
        done = await _changed(bot, f'{FEB} cost add DCC implementation 12k days 3 for MP092 "TOC work"')
        assert "DCC implementation £12,000 for MP092" in done
        costs = await ask(bot, f"{FEB} costs")
        assert "4. DCC implementation: £12,000 · 3 days' effort · due to MP092 — TOC work" in costs
        assert "DCC £12,000" in costs
        await _changed(bot, f'{FEB} cost 2 replace SECAS "SEC update" 1500 days 2')
        await _changed(bot, f"{FEB} cost 1 remove")
        costs = await ask(bot, f"{FEB} costs")
        assert "DCC operational" not in costs and "1. SECAS SEC update: £1,500" in costs
        assert "no cost 9" in render_text(await reply(bot, f"{FEB} cost 9 remove"))

        await _changed(bot, f'{FEB} criterion add "SECAS has published the updated SEC."')
        await _changed(bot, f'{FEB} criterion 3 replace "The DCC has proven the services work together."')
        await _changed(bot, f"{FEB} criterion 4 remove")
        criteria = await ask(bot, f"{FEB} criteria")
        assert "11. SECAS has published the updated SEC." in criteria
        assert "3. The DCC has proven the services work together." in criteria and "\n  • 4." not in criteria
        assert "4. The DCC has weighed" in await ask(bot, f"{FEB} criteria as of 2020-12-14")

        for _ in range(8):
            await _changed(bot, "/release undo")
        assert await ask(bot, f"{FEB} costs") == initial
        criteria = await ask(bot, f"{FEB} criteria")
        assert "11." not in criteria and "4. The DCC has weighed" in criteria
        assert "Testing" not in await ask(bot, f"{FEB} impacts")


@pytest.mark.parametrize(
    "line",
    [
        f"{FEB} impact MP092 parties DCC",
        f'{FEB} impact MP092 document "Section J"',
        f'{FEB} summary add party "All SEC Parties" "Something."',
        f"{FEB} summary 1 remove",
        f"{FEB} cost add DCC implementation 1000",
        f"{FEB} cost 1 remove",
        f'{FEB} criterion add "Something."',
        f'{FEB} criterion 1 replace "Something."',
        f"{FEB} rid baseline",
    ],
)
async def test_non_admins_are_refused_and_nothing_changes(bot: Releasebot, line: str) -> None:
    version = await bot.db.version()
    for user in (PANEL, "U0STRANGER"):
        r = await reply(bot, line, user=user)
        assert r.is_error and ("only release admins" in render_text(r) or "not a member" in render_text(r).lower())
    assert await bot.db.version() == version


async def test_bad_words_get_a_usage_not_a_change(bot: Releasebot) -> None:
    version = await bot.db.version()
    for line, expected in {
        f"{FEB} cost add DCC implementation lots": "not an amount",
        f"{FEB} cost two remove": "not a cost number",
        f"{FEB} criterion add unquoted words": "usage",
        f"{FEB} criterion 3 rewrite": "remove",
        f"{FEB} impact MP092 colours red": "parties",
        f"{FEB} summary add nobody": "usage",
        f"{FEB} cost add DCC implementation 1 by-exception": "say why",
        f"{FEB} rid baseline 1.x": "not a rid version",
    }.items():
        r = await reply(bot, line, user=ADMIN)
        assert r.is_error, line
        assert expected in render_text(r).lower(), (line, render_text(r))
    assert await bot.db.version() == version
