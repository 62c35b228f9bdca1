"""Every command family parses to its own frozen type, with typed fields the handler reads."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import pytest

from bot.app import command_table
from commands.language import (
    Audit,
    Command,
    Find,
    Glossary,
    HelpCommand,
    HolidayAdd,
    HolidayList,
    MilestoneAdd,
    MilestoneCancel,
    MilestoneMove,
    ModShow,
    ParseError,
    ReleaseList,
    ReleaseShow,
    ScopeChange,
    Undo,
    Vote,
    VoteCast,
    VoteOpen,
    WorkdaysAdd,
    WorkdaysBetween,
    WorkdaysCheck,
)
from commands.parse import parse
from notifiers.language import Subscription

TODAY = date(2021, 1, 4)
GRAMMAR = command_table().grammar


@pytest.mark.parametrize(
    ("slash", "text", "expected"),
    [
        ("release", "", ReleaseList()),
        ("release", "list all", ReleaseList(every=True)),
        ("release", "help admin", HelpCommand(words="admin")),
        ("mod", "help me", HelpCommand(words="mod")),
        ("workdays", "", HelpCommand(words="workdays")),
        ("release", "june 2022", ReleaseShow(action="release.card", slug="june-2022")),
        (
            "release",
            "feb-2021 scope as of 1 Dec 2020",
            ReleaseShow(action="release.scope", slug="february-2021", day=date(2020, 12, 1)),
        ),
        (
            "release",
            "2021-06 impacts docs",
            ReleaseShow(action="release.impacts", slug="june-2021", option="documents"),
        ),
        ("release", "june-2021 dates", ReleaseShow(action="release.timeline", slug="june-2021")),
        ("release", "june-2021 milestone", ReleaseShow(action="release.timeline", slug="june-2021")),
        (
            "release",
            "june-2021 changes since 2020-12-01",
            ReleaseShow(action="release.changes", slug="june-2021", day=date(2020, 12, 1)),
        ),
        ("mod", "MP 122A", ModShow(ref="MP122A")),
        ("mod", "search SMKI", Find(words="SMKI")),
        ("release", "find Appendix O", Find(words="Appendix O")),
        ("release", "glossary RID", Glossary(term="RID")),
        ("workdays", "2016-11-23 +10", WorkdaysAdd(day=date(2016, 11, 23), n=10)),
        ("workdays", "2020-12-11 to 2020-12-29", WorkdaysBetween(day=date(2020, 12, 11), until=date(2020, 12, 29))),
        ("workdays", "2022-09-19", WorkdaysCheck(day=date(2022, 9, 19))),
        ("workdays", "holidays 2022", HolidayList(year=2022)),
        ("release", "holidays", HolidayList(year=2021)),
        ("release", "holiday add 2022-09-19 State funeral", HolidayAdd(day=date(2022, 9, 19), name="State funeral")),
        (
            "release",
            'june-2022 add MP200 "New thing" because urgent',
            ScopeChange(action="scope.add", slug="june-2022", ref="MP200", title="New thing", reason="urgent"),
        ),
        (
            "release",
            "june-2021 drop MP095 reason late",
            ScopeChange(action="scope.remove", slug="june-2021", ref="MP095", reason="late"),
        ),
        (
            "release",
            "nov-2021 move MP 99 to June 2022 reason DCC testing",
            ScopeChange(
                action="scope.move", slug="november-2021", ref="MP099", to_slug="june-2022", reason="DCC testing"
            ),
        ),
        (
            "release",
            "june-2022 milestone add go-no-go 10 Jun 2022 14:00 Panel go/no-go",
            MilestoneAdd(slug="june-2022", kind="go_no_go", day=date(2022, 6, 10), at=time(14), title="Panel go/no-go"),
        ),
        (
            "release",
            "june-2022 milestone go_live to 2022-06-30 reason DCC",
            MilestoneMove(slug="june-2022", which="go_live", day=date(2022, 6, 30), reason="DCC"),
        ),
        (
            "release",
            "june-2022 milestone go_live cancel no longer needed",
            MilestoneCancel(slug="june-2022", which="go_live", reason="no longer needed"),
        ),
        ("release", "undo #12", Undo(change=12)),
        ("release", "undo", Undo()),
        ("release", "audit 500", Audit(count=100)),
        ("release", "june-2022 poll", Vote(action="vote.show", slug="june-2022")),
        ("release", "june-2022 vote status", Vote(action="vote.status", slug="june-2022")),
        ("release", "june-2022 vote no go on", VoteCast(slug="june-2022", choice="no_go", comment="go on")),
        (
            "release",
            'june-2022 vote open closes 10 Jun 2022 14:00 quorum 4 secret "Go live?"',
            VoteOpen(slug="june-2022", day=date(2022, 6, 10), at=time(14), quorum=4, secret=True, question="Go live?"),
        ),
        (
            "release",
            "june-2022 subscribe #releases go_live leads=5,1",
            Subscription(
                action="subscription.add",
                slug="june-2022",
                channel=("#releases", "#releases"),
                kinds=("go_live",),
                leads=(5, 1),
            ),
        ),
        ("release", "unsubscribe all", Subscription(action="subscription.remove", every=True)),
        ("release", "subscriptions", Subscription(action="subscription.list")),
    ],
)
def test_each_family_parses_to_its_type(slash: str, text: str, expected: Command) -> None:
    got = parse(GRAMMAR, slash, text, TODAY)
    assert type(got) is type(expected)
    assert got == dataclasses.replace(expected, text=f"/{slash} {text}".strip())


def test_commands_are_frozen_and_name_what_their_action_says() -> None:
    show = ReleaseShow(action="release.rid", slug="june-2021")
    assert show.view == "rid"
    assert ScopeChange(action="scope.approve", slug="june-2021", ref="MP099").change == "approve"
    with pytest.raises(dataclasses.FrozenInstanceError):
        show.slug = "june-2022"  # type: ignore[misc]


def test_free_text_is_a_property_of_the_family() -> None:
    free: set[type[Command]] = {
        HolidayAdd,
        ScopeChange,
        MilestoneAdd,
        MilestoneMove,
        MilestoneCancel,
        VoteOpen,
        VoteCast,
    }
    others: set[type[Command]] = {
        ReleaseShow,
        ReleaseList,
        Find,
        Glossary,
        Vote,
        Undo,
        Audit,
        Subscription,
        HelpCommand,
    }
    for family in free | others:
        assert family.free_text is (family in free), family


def test_the_base_carries_only_what_every_reply_needs() -> None:
    assert [f.name for f in dataclasses.fields(Command)] == ["action", "text", "public", "page"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("june-2021 remove MP095", "Say why"),
        ("june-2021 impacts money", "`impacts` takes"),
        ("june-2022 vote maybe", "After `vote`"),
        ("june-2022 milestone add", "Usage"),
        ("undo twelve", "`undo` takes nothing"),
    ],
)
def test_bad_words_are_parse_errors_never_exceptions(text: str, says: str) -> None:
    got = parse(GRAMMAR, "release", text, TODAY)
    assert isinstance(got, ParseError) and says in got.message
