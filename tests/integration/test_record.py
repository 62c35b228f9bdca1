"""Keeping the record from chat: new releases and modifications, their fields, decisions, and
`effective` dates; each refused for non-admins, audited, undone, and right "as of". Both databases."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from bot.core import Releasebot
from commands.render import render_text
from domain.record_refusals import IdentityTaken
from store import models as m
from store.changes import AddMember, LinkIdentity
from tests.helpers import ask, reply, section

pytestmark = pytest.mark.usefixtures("bot")

ADMIN = "console"  # Demo Secretary
PANEL = "U0PANEL01"

CHANGES = [
    "/release new june-2023 go-live 29 Jun 2023 dcc",
    "/release june-2022 set status frozen",
    '/mod new MP200 "Faster release notes"',
    "/mod MP122 set phase Change Board",
    "/mod MP099 decision cb approved 20 Jan 2021",
]


@pytest.mark.parametrize("line", CHANGES)
async def test_non_admins_are_refused_and_nothing_changes(bot: Releasebot, line: str) -> None:
    version = await bot.db.version()
    for user in (PANEL, "observer", "U0STRANGER"):
        r = await reply(bot, line, user=user)
        assert r.is_error and "only release admins" in render_text(r), (user, render_text(r))
    assert await bot.db.version() == version


async def test_new_release_with_its_go_live_then_set_and_undo(bot: Releasebot) -> None:
    done = await reply(bot, '/release new june-2023 go-live 29 Jun 2023 dcc "June 2023 SEC Release"', user=ADMIN)
    assert done.kind == "changed", render_text(done)
    card = await ask(bot, "/release june-2023")
    assert "June 2023 SEC Release" in card and "Thu 29 Jun 2023" in card
    assert "Thu 29 Jun 2023 · June 2023 release go-live" in await ask(bot, "/release june-2023 timeline")
    # The release a user could not add to before now takes scope.
    added = await reply(bot, "/release june-2023 add MP099", user=ADMIN)
    assert added.is_error and "targeted for June 2022" in render_text(added)  # one release at a time
    assert (await reply(bot, "/release june-2022 move MP099 to june-2023", user=ADMIN)).kind == "changed"
    assert "MP099" in section(await ask(bot, "/release june-2023 scope"), "Targeted")
    await reply(bot, "/release undo", user=ADMIN)

    moved = await reply(bot, "/release june-2023 set go-live 22 Jun 2023", user=ADMIN)
    assert "go-live Thu 29 Jun 2023 → Thu 22 Jun 2023" in render_text(moved)
    assert "Thu 22 Jun 2023 · June 2023 release go-live" in await ask(bot, "/release june-2023 timeline")
    status = await reply(bot, "/release june-2023 set status frozen", user=ADMIN)
    assert status.kind == "changed" and "status frozen" in render_text(status)
    same = await reply(bot, "/release june-2023 set status frozen", user=ADMIN)
    assert same.is_error and "already frozen" in render_text(same)
    assert (await reply(bot, "/release june-2023 set dcc no", user=ADMIN)).kind == "changed"
    assert "document-only" in (await ask(bot, "/release audit 1"))

    for _ in range(3):  # dcc, status, go-live
        assert (await reply(bot, "/release undo", user=ADMIN)).kind == "changed"
    assert "Thu 29 Jun 2023 · June 2023 release go-live" in await ask(bot, "/release june-2023 timeline")
    again = await reply(bot, "/release new june-2023 go-live 1 Jul 2023", user=ADMIN)
    assert again.is_error and "already a release" in render_text(again)
    # The release itself: its scope history (the undone move is kept, retracted) still names it,
    # so undo says so and sets the change aside rather than leave history pointing at nothing.
    stuck = await reply(bot, "/release undo", user=ADMIN)
    assert stuck.is_error and "scope history" in render_text(stuck), render_text(stuck)
    assert (await reply(bot, "/release june-2023")).kind != "error"


async def test_undo_of_a_new_release_with_nothing_in_it_deletes_it(bot: Releasebot) -> None:
    assert (await reply(bot, "/release new nov-2023 go-live 2 Nov 2023 document-only", user=ADMIN)).kind == "changed"
    assert "document-only" in await ask(bot, "/release audit 1")
    assert (await reply(bot, "/release undo", user=ADMIN)).kind == "changed"
    assert (await reply(bot, "/release november-2023")).is_error


async def test_new_modification_and_each_field_set_and_undone(bot: Releasebot) -> None:
    done = await reply(bot, '/mod new MP200 "Faster release notes" path self-governance', user=ADMIN)
    assert done.kind == "changed", render_text(done)
    shown = await ask(bot, "/mod MP200")
    assert "MP200 Faster release notes" in shown and "Self-Governance" in shown
    twin = await reply(bot, '/mod new MP200 "Again"', user=ADMIN)
    assert twin.is_error and "already recorded" in render_text(twin)
    steps = {
        "/mod MP200 set phase Refinement": "Phase:             Refinement",
        "/mod MP200 set wg WG2": "Working Group:     WG2",
        "/mod MP200 set dcc yes": "DCC System impact: yes",
        "/mod MP200 set path authority": "Path:              Authority",
        '/mod MP200 set title "Release notes, faster"': "MP200 Release notes, faster",
    }
    for line, expected in steps.items():
        r = await reply(bot, line, user=ADMIN)
        assert r.kind == "changed", (line, render_text(r))
        assert expected in await ask(bot, "/mod MP200"), line
    unknown = await reply(bot, "/mod MP999 set phase Report", user=ADMIN)
    assert unknown.is_error and "MP999" in render_text(unknown)
    for line, expected in reversed(steps.items()):
        await reply(bot, "/release undo", user=ADMIN)
        assert expected not in await ask(bot, "/mod MP200"), line
    await reply(bot, "/release undo", user=ADMIN)
    assert (await reply(bot, "/mod MP200")).is_error


async def test_a_phase_set_is_dated_history_at_the_precision_given(bot: Releasebot) -> None:
    done = await reply(bot, "/mod MP122 set phase Change Board effective Dec 2020", user=ADMIN)
    assert done.kind == "changed" and "(effective Dec 2020)" in render_text(done)
    async with bot.db.session() as session:
        row = (await session.exec(select(m.PhaseChange).order_by(col(m.PhaseChange.id).desc()))).first()
    assert row is not None and row.effective is not None
    assert (row.phase, row.effective.isoformat(), row.precision) == ("Change Board", "2020-12-01", "month")


async def test_back_dated_scope_change_shows_in_scope_as_of(bot: Releasebot) -> None:
    done = await reply(bot, "/release june-2022 approve MP099 effective 20 Jan 2021 Change Board approved", user=ADMIN)
    assert done.kind == "changed" and "(effective Wed 20 Jan 2021)" in render_text(done)
    assert "MP099" in section(await ask(bot, "/release june-2022 scope as of 2021-01-21"), "Approved")
    assert "MP099" in section(await ask(bot, "/release june-2022 scope as of 2021-01-19"), "Targeted")
    month = await reply(bot, "/release june-2022 remove MP099 reason dropped effective Mar 2021", user=ADMIN)
    assert month.kind == "changed", render_text(month)
    history = await ask(bot, "/mod MP099")
    assert re.search(r"approved Wed 20 Jan 2021 → removed Mar 2021", history), history
    await reply(bot, "/release undo", user=ADMIN)
    await reply(bot, "/release undo", user=ADMIN)
    assert "Approved" not in await ask(bot, "/release june-2022 scope as of 2021-01-21")


async def test_a_decision_approves_where_targeted_and_dates_follow_the_rules(bot: Releasebot) -> None:
    done = await reply(
        bot, '/mod MP106 decision "Change Board" approved 20 Jan 2021 "Approved as proposed"', user=ADMIN
    )
    text = render_text(done)
    assert done.kind == "changed", text
    assert "approved in June 2021 SEC Release" in text and "phase Approved" in text
    # 20 Jan 2021 + 10 WD = 3 Feb 2021; + 5 WD = 10 Feb 2021.
    mod = await ask(bot, "/mod MP106")
    milestones = section(mod, "Milestones")
    assert "Wed 3 Feb 2021 · Referral period ends" in milestones and "Wed 10 Feb 2021 · Implementation" in milestones
    assert "Wed 20 Jan 2021 Change Board: approved — Approved as proposed" in mod
    assert "MP106" in section(await ask(bot, "/release june-2021 scope as of 2021-01-21"), "Approved")
    assert "MP106" in section(await ask(bot, "/release june-2021 scope as of 2021-01-19"), "Targeted")
    future = await reply(bot, "/mod MP106 decision cb approved 20 Jan 2099", user=ADMIN)
    assert future.is_error and "after today" in render_text(future), render_text(future)
    twice = await reply(bot, "/mod MP106 decision cb approved 20 Jan 2021", user=ADMIN)
    assert twice.is_error and "already recorded" in render_text(twice)
    await reply(bot, "/release undo", user=ADMIN)
    after = await ask(bot, "/mod MP106")
    assert "Referral period ends" not in after and "Approved as proposed" not in after
    assert "MP106" in section(await ask(bot, "/release june-2021 scope"), "Targeted")


async def test_a_rejection_takes_it_out_of_scope_with_the_reason(bot: Releasebot) -> None:
    done = await reply(bot, "/mod MP099 decision cb rejected 20 Jan 2021 costs too high", user=ADMIN)
    assert done.kind == "changed" and "removed from June 2022 SEC Release" in render_text(done)
    removed = section(await ask(bot, "/release june-2022 scope"), "Removed")
    assert "MP099" in removed and "Change Board rejected: costs too high" in removed
    assert "Phase:             Rejected" in await ask(bot, "/mod MP099")
    month = await reply(bot, "/mod MP099 decision authority withdrawn Feb 2021", user=ADMIN)
    assert month.kind == "changed", render_text(month)
    assert "Feb 2021 Authority: withdrawn" in await ask(bot, "/mod MP099")
    await reply(bot, "/release undo", user=ADMIN)
    await reply(bot, "/release undo", user=ADMIN)
    assert "MP099" in section(await ask(bot, "/release june-2022 scope"), "Targeted")


async def test_members_add_links_an_existing_person_and_link_refuses_anothers_account(bot: Releasebot) -> None:
    done = await bot.writer.write(AddMember("test", "slack", "U0ALEX2", "panel", "alex marsh"))
    assert "Linked slack:U0ALEX2 to Alex Marsh" in done.event.summary
    members = bot.read_model.snapshot.members
    assert members[("slack", "U0ALEX2")].id == members[("slack", "U0PANEL01")].id
    linked = await bot.writer.write(LinkIdentity("test", "slack:U0PANEL01", "console", "alex"))
    assert "Linked console:alex to Alex Marsh" in linked.event.summary
    assert bot.actors.resolve("console", "alex").name == "Alex Marsh"  # the console account is theirs
    with pytest.raises(IdentityTaken):
        await bot.writer.write(LinkIdentity("test", "Bryony Keane", "console", "alex"))
    assert (await reply(bot, "/release undo", user=ADMIN)).kind == "changed"
    assert ("console", "alex") not in bot.read_model.snapshot.members


async def test_help_admin_lists_every_record_command_with_an_example(bot: Releasebot) -> None:
    text = await ask(bot, "/release help admin", user=ADMIN)
    for example in (
        "/release new june-2023 go-live 29 Jun 2023",
        "/release june-2023 set status frozen",
        '/mod new MP200 "Faster release notes"',
        "/mod MP200 set phase Report",
        '/mod SECMP0020 decision "Change Board" approved 23 Nov 2016',
        "effective Dec 2020",
        "releasebot members link",
    ):
        assert example in text, example


async def test_milestone_and_holiday_changes_take_effective_too(bot: Releasebot) -> None:
    added = await reply(
        bot, "/release june-2022 milestone add go_no_go 2022-06-10 Panel go/no-go effective 4 Dec 2020", user=ADMIN
    )
    assert added.kind == "changed" and "“Panel go/no-go”" in render_text(added), render_text(added)
    assert "(effective Fri 4 Dec 2020)" in render_text(added)
    moved = await reply(
        bot, "/release june-2022 milestone go_no_go 2022-06-09 effective Jan 2021 Panel moved it", user=ADMIN
    )
    assert "(Panel moved it) (effective Jan 2021)" in render_text(moved), render_text(moved)
    holiday = await reply(bot, "/release holiday add 2022-09-20 Office closure effective 2022-09-12", user=ADMIN)
    assert "Added holiday Tue 20 Sep 2022: Office closure" in render_text(holiday)
    assert "(effective Mon 12 Sep 2022)" in render_text(holiday)
    for _ in range(3):
        assert (await reply(bot, "/release undo", user=ADMIN)).kind == "changed"


async def test_a_back_dated_phase_is_what_the_status_report_reads_as_of_its_month(bot: Releasebot) -> None:
    done = await reply(bot, "/mod SECMP0016 set phase Change Board effective 21 Dec 2016", user=ADMIN)
    assert done.kind == "changed", render_text(done)
    january = await ask(bot, "/release report status 2017-01")
    assert re.search(r"Change Board\s+1\s+SECMP0016", january), january
    november = await ask(bot, "/release report status 2016-11")
    assert not re.search(r"Change Board\s+1\s+SECMP0016", november)
    await reply(bot, "/release undo", user=ADMIN)
    assert not re.search(r"Change Board\s+1\s+SECMP0016", await ask(bot, "/release report status 2017-01"))
