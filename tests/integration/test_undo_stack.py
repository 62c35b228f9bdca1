"""The undo stack never jams: every inverse applies or is refused with its reason, and a refused
one is set aside so the changes before it stay undoable. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.core import Releasebot
from commands.render import render_text
from store import models as m
from store import polls as poll_store
from store.changes import AddMember
from tests.helpers import ask, reply, section

ADMIN = "console"


def later(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


async def _count(bot: Releasebot, model: type[m.SQLModel]) -> int:
    async with bot.db.session() as session:
        return int(
            await (await session.connection()).scalar(sa.select(sa.func.count()).select_from(m.table_of(model))) or 0
        )


async def test_undo_of_a_posted_poll_removes_it_with_its_messages(bot: Releasebot) -> None:
    opened = await reply(bot, f"/release june-2022 vote open closes {later()}")
    poll_id = int(opened.meta["poll_id"])
    # Posted in a Slack channel and a Teams chat: where it was posted refers to the poll.
    await bot.writer.run(poll_store.RecordMessage(poll_id, "slack", "C0PANEL", "1700000000.000100"))
    await bot.writer.run(poll_store.RecordMessage(poll_id, "teams", "19:chat", "m-1"))
    undone = await reply(bot, "/release undo")
    assert undone.kind == "changed", render_text(undone)
    assert f"Undid: Opened poll #{poll_id}" in render_text(undone)
    assert undone.meta == {"poll_id": str(poll_id), "refresh": "1"}
    assert await _count(bot, m.Poll) == 0 and await _count(bot, m.PollMessage) == 0
    assert "poll" not in (await ask(bot, "/release june-2022 timeline")).lower()


async def test_a_refused_undo_is_set_aside_and_older_changes_stay_undoable(bot: Releasebot) -> None:
    approved = await reply(bot, "/release june-2022 approve MP099 Change Board approved")
    assert approved.kind == "changed"
    opened = await reply(bot, f"/release june-2022 vote open closes {later()}")
    poll_id = int(opened.meta["poll_id"])
    added = await bot.writer.write(AddMember("test", "slack", "U0NEWPANEL", "panel", "New Panellist"))
    voted = await reply(bot, "/release june-2022 vote go", user="U0NEWPANEL")
    assert not voted.is_error, render_text(voted)

    # The newest change added the member who has since voted: it cannot be undone, and says why.
    first = await reply(bot, "/release undo")
    text = render_text(first)
    assert first.is_error and f"Cannot undo #{added.event.id}" in text and "1 votes still refer to the member" in text
    assert "set aside" in text
    assert await _count(bot, m.Member) >= 1 and await _count(bot, m.Vote) == 1  # nothing half-undone

    # The next undo reaches the poll, which has a vote: refused and set aside too.
    second = await reply(bot, "/release undo")
    assert second.is_error and f"poll #{poll_id} already has votes" in render_text(second)

    # And then the approval, which undoes as ever.
    third = await reply(bot, "/release undo")
    assert third.kind == "changed" and "Undid: Approved MP099" in render_text(third)
    assert "MP099" in section(await ask(bot, "/release june-2022 scope"), "Targeted")

    # Both refusals are in the audit log; nothing is left to undo but what was set aside.
    log = await ask(bot, "/release audit 20")
    assert log.count("Set aside on the undo stack") == 2
    assert "nothing to undo" in render_text(await reply(bot, "/release undo")).lower()


async def test_the_undo_button_of_a_change_set_aside_is_refused_but_older_buttons_work(bot: Releasebot) -> None:
    approved = await reply(bot, "/release june-2022 approve MP099 Change Board approved")
    approve_id = render_text(approved).split("Change #")[1].split(" ")[0]
    added = await bot.writer.write(AddMember("test", "slack", "U0NEWPANEL", "panel", "New Panellist"))
    await reply(bot, f"/release june-2022 vote open closes {later()}")
    await reply(bot, "/release june-2022 vote go", user="U0NEWPANEL")
    # The poll has a vote and the member who cast it was added: both are refused and set aside.
    assert (await reply(bot, "/release undo")).is_error
    assert (await reply(bot, "/release undo")).is_error
    stale = await reply(bot, f"/release undo #{added.event.id}")
    assert stale.is_error
    button = await reply(bot, f"/release undo #{approve_id}")
    assert button.kind == "changed" and "Undid: Approved MP099" in render_text(button)
