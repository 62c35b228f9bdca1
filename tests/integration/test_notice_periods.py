"""Notice periods and RID versions from chat (SECMP0061 D10.15, D10.17). Both databases.

After a release's freeze its scope and RID content change only `by-exception <reason>`, which is
recorded; a DCC System impacting modification added inside the DCC lead time is confirmed first;
`rid baseline` records a version with what changed and the 10 Working Day appeal window.
"""

from __future__ import annotations

import pytest
import time_machine

from bot.core import Releasebot
from commands.render import render_text
from domain.notice import freeze_day
from domain.rules import load_rules
from tests.helpers import ask, reply, section

pytestmark = pytest.mark.usefixtures("bot")

ADMIN = "console"
FEB = "/release february-2021"
FROZEN = "2021-02-01 10:00 +0000"  # February 2021 (document-only) froze 20 WD before its 25 Feb go-live


async def test_the_freeze_day_comes_from_the_rules_data(bot: Releasebot) -> None:
    feb = bot.snapshot.release("february-2021")
    assert feb is not None
    assert load_rules().notice_for(False).freeze == 20
    assert freeze_day(feb, load_rules(), bot.snapshot.calendar).isoformat() == "2021-01-28"


async def test_a_frozen_release_changes_only_by_exception_and_says_so(bot: Releasebot) -> None:
    with time_machine.travel(FROZEN, tick=False):
        version = await bot.db.version()
        for line in (
            f"{FEB} approve MP092 reason Change Board approved",
            f"{FEB} cost add DCC implementation 1000",
            f"{FEB} impact MP092 parties DCC",
            f'{FEB} criterion add "One more."',
        ):
            r = await reply(bot, line, user=ADMIN)
            assert r.is_error, line
            text = render_text(r)
            assert "froze on Thu 28 Jan 2021" in text and "by-exception <reason>" in text, text
        assert await bot.db.version() == version

        done = await reply(
            bot, f"{FEB} approve MP092 reason Change Board approved by-exception Panel agreed on 29 Jan", user=ADMIN
        )
        assert done.kind == "changed", render_text(done)
        assert "by exception: Panel agreed on 29 Jan" in render_text(done)
        approved = section(await ask(bot, f"{FEB} scope"), "Approved")
        assert "MP092" in approved and "by exception: Panel agreed on 29 Jan" in approved
        change = bot.snapshot.changes_by_release[bot.snapshot.release_by_slug["february-2021"].id][-1]
        assert change.by_exception == "Panel agreed on 29 Jan" and change.reason == "Change Board approved"

        done = await reply(bot, f"{FEB} cost add DCC implementation 1000 by-exception Panel asked", user=ADMIN)
        assert done.kind == "changed", render_text(done)
        cost = bot.snapshot.costs[bot.snapshot.release_by_slug["february-2021"].id][-1]
        assert cost.by_exception == "Panel asked" and cost.amount_gbp == 1000
        assert "by exception: Panel asked" in await ask(bot, "/release audit", user=ADMIN)
        await reply(bot, "/release undo", user=ADMIN)
        await reply(bot, "/release undo", user=ADMIN)
        assert "MP092" in section(await ask(bot, f"{FEB} scope"), "Targeted")


async def test_a_back_dated_change_before_the_freeze_needs_no_exception(bot: Releasebot) -> None:
    with time_machine.travel(FROZEN, tick=False):
        done = await reply(bot, f"{FEB} cost add DCC implementation 1000 effective 2021-01-15", user=ADMIN)
        assert done.kind == "changed", render_text(done)
        assert "£1,000" in await ask(bot, f"{FEB} costs as of 2021-01-15")
        assert "£1,000" not in await ask(bot, f"{FEB} costs as of 2021-01-14")
        ahead = await reply(bot, f"{FEB} cost add DCC implementation 1000 effective 2021-02-02", user=ADMIN)
        assert ahead.is_error and "today (Mon 1 Feb 2021) or earlier" in render_text(ahead)


async def test_a_dcc_change_inside_the_lead_time_asks_first(bot: Releasebot) -> None:
    """June 2022 impacts the DCC Systems; MP077 does too. 1 Feb 2022 is inside the 130 WD lead time."""
    line = "/release november-2021 move MP077 to june-2022 reason DCC capacity"
    with time_machine.travel("2022-02-01 10:00 +0000", tick=False):
        version = await bot.db.version()
        warned = await reply(bot, line, user=ADMIN)
        text = render_text(warned)
        assert warned.kind == "answer" and "inside the DCC lead time" in text and "Nothing is changed yet" in text
        buttons = [b for block in warned.blocks for b in getattr(block, "buttons", ())]
        assert [(b.label, b.value) for b in buttons] == [("Add anyway", f"{line} confirm")]
        assert await bot.db.version() == version
        done = await reply(bot, buttons[0].value, user=ADMIN)
        assert done.kind == "changed", render_text(done)
        assert "MP077" in section(await ask(bot, "/release june-2022 scope"), "Targeted")
        # Approving what is already targeted there adds nothing: no warning.
        done = await reply(bot, "/release june-2022 approve MP077", user=ADMIN)
        assert done.kind == "changed", render_text(done)


async def test_rid_baseline_records_the_version_what_changed_and_the_appeal_window(bot: Releasebot) -> None:
    with time_machine.travel("2021-01-04 10:00 +0000", tick=False):
        done = await reply(bot, f"{FEB} rid baseline", user=ADMIN)
        assert done.kind == "changed", render_text(done)
        assert "Baselined RID v0.2 of February 2021 SEC Release on Mon 4 Jan 2021; appeals close Mon 18 Jan 2021" in (
            render_text(done)
        )
        versions = bot.snapshot.rid_versions[bot.snapshot.release_by_slug["february-2021"].id]
        assert [v.version for v in versions] == ["0.1", "0.2"]
        changes = versions[-1].changes
        assert changes.startswith("Scope: MP092 targeted, MP122A approved, MP095 moved, MP111 removed, MP122 removed.")
        timeline = await ask(bot, f"{FEB} timeline")
        assert "Mon 18 Jan 2021 · RID v0.2 appeal window closes" in timeline
        assert "RID v0.2" in await ask(bot, f"{FEB} history")

        assert "already has RID version 0.2" in render_text(await reply(bot, f"{FEB} rid baseline 0.2", user=ADMIN))
        assert "would not come after" in render_text(await reply(bot, f"{FEB} rid baseline 0.0", user=ADMIN))
        early = await reply(bot, f"{FEB} rid baseline 1.0 effective 2020-12-01", user=ADMIN)
        assert "dated before version 0.2" in render_text(early)

        await reply(bot, f"{FEB} cost add DCC implementation 1000", user=ADMIN)
        done = await reply(bot, f'{FEB} rid baseline 1.0 "Baselined by the Panel."', user=ADMIN)
        assert done.kind == "changed", render_text(done)
        assert bot.snapshot.rid_versions[bot.snapshot.release_by_slug["february-2021"].id][-1].changes == (
            "Baselined by the Panel."
        )
        await reply(bot, "/release undo", user=ADMIN)
        await reply(bot, "/release undo", user=ADMIN)
        done = await reply(bot, f"{FEB} rid baseline 1.0", user=ADMIN)
        latest = bot.snapshot.rid_versions[bot.snapshot.release_by_slug["february-2021"].id][-1]
        assert latest.version == "1.0" and latest.changes == "No changes recorded since version 0.2.", latest
        await reply(bot, "/release undo", user=ADMIN)
        await reply(bot, "/release undo", user=ADMIN)
        assert "RID v0.2" not in await ask(bot, f"{FEB} timeline")
        assert [v.version for v in bot.snapshot.rid_versions[bot.snapshot.release_by_slug["february-2021"].id]] == [
            "0.1"
        ]
