"""The words of keeping the record (`/release new|set`, `/mod new|set|decision`, `effective`),
the record's word readers, month precision and the one-release-at-a-time invariant. Pure."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.app import command_table
from commands.language import ParseError, ScopeChange
from commands.parse import parse, parse_line
from commands.record_language import ModDecision, ModNew, ModSet, ReleaseNew, ReleaseSet
from domain.calendar import WorkingDays
from domain.format import milestone_relative
from domain.invariants import ScopeStep, live_overlaps
from domain.record import When, effective_note, read_body, read_path, read_phase
from domain.views import MilestoneView

TODAY = date(2026, 11, 23)
GRAMMAR = command_table().grammar


def _parse(line: str) -> object:
    return parse_line(GRAMMAR, line, TODAY)


def test_release_new_reads_slug_go_live_kind_and_name() -> None:
    cmd = _parse('/release new june-2023 go-live 29 Jun 2023 dcc "June 2023 SEC Release"')
    assert cmd == ReleaseNew(
        slug="june-2023",
        go_live=date(2023, 6, 29),
        dcc=True,
        name="June 2023 SEC Release",
        text='/release new june-2023 go-live 29 Jun 2023 dcc "June 2023 SEC Release"',
    )
    plain = _parse("/release new Feb 2024 go live 2024-02-29 document-only")
    assert isinstance(plain, ReleaseNew) and (plain.slug, plain.dcc, plain.name) == ("february-2024", False, "")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("/release new june-2023", "go-live date"),
        ("/release new nonsense go-live 2023-06-29", "Which release"),
        ("/release new june-2023 go-live 31 Jun 2023", "go-live date as a date"),
        ("/release new june-2023 go-live 2023-06-29 dcc extra", "I did not use `extra`"),
    ],
)
def test_release_new_errors_say_what_is_missing(line: str, words: str) -> None:
    got = _parse(line)
    assert isinstance(got, ParseError) and words in got.message, got


def test_release_set_fields() -> None:
    assert _parse("/release june-2023 set status frozen") == ReleaseSet(
        slug="june-2023", field="status", status="frozen", text="/release june-2023 set status frozen"
    )
    go = _parse("/release june-2023 set go-live 22 Jun 2023")
    assert isinstance(go, ReleaseSet) and go.go_live == date(2023, 6, 22)
    dcc = _parse("/release june-2023 set dcc no")
    assert isinstance(dcc, ReleaseSet) and dcc.dcc is False
    bad = _parse("/release june-2023 set status shipped")
    assert isinstance(bad, ParseError) and "planning" in bad.message
    what = _parse("/release june-2023 set colour blue")
    assert isinstance(what, ParseError) and "status, go-live or dcc" in what.message


def test_mod_new_with_quoted_or_plain_title_and_path() -> None:
    cmd = _parse('/mod new MP200 "Faster release notes" path self governance')
    assert isinstance(cmd, ModNew) and (cmd.ref, cmd.title, cmd.path) == (
        "MP200",
        "Faster release notes",
        "Self-Governance",
    )
    plain = _parse("/mod new secmp20 Removing confidential classification")
    assert isinstance(plain, ModNew) and (plain.ref, plain.title, plain.path) == (
        "SECMP0020",
        "Removing confidential classification",
        "",
    )
    for bad in ("/mod new MP200", '/mod new MP200 "T" path sideways'):
        assert isinstance(_parse(bad), ParseError), bad


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("/mod MP122 set phase report phase", "phase", "Report"),
        ("/mod MP122 set phase change board", "phase", "Change Board"),
        ("/mod MP122 set path authority determined", "path", "Authority Determined"),
        ("/mod MP122 set path none", "path", ""),
        ("/mod MP122 set wg wg3", "wg", "WG3"),
        ("/mod MP122 set working-group none", "wg", ""),
        ("/mod MP122 set dcc yes", "dcc", True),
        ("/mod MP122 set dcc unknown", "dcc", None),
        ('/mod MP122 set title "Operational Metrics"', "title", "Operational Metrics"),
    ],
)
def test_mod_set_reads_each_field(line: str, field: str, value: object) -> None:
    cmd = _parse(line)
    assert isinstance(cmd, ModSet) and (cmd.ref, cmd.field, cmd.value) == ("MP122", field, value), cmd


def test_mod_set_refuses_unknown_fields_and_values() -> None:
    for line, words in (
        ("/mod MP122 set colour red", "phase, path, wg, dcc, title"),
        ("/mod MP122 set phase sleeping", "Development"),
        ("/mod MP122 set dcc maybe", "unknown"),
        ("/mod MP122 set", "Set what"),
        ("/mod MP122 frobnicate", "expected nothing more"),
    ):
        got = _parse(line)
        assert isinstance(got, ParseError) and words in got.message, (line, got)


def test_mod_decision_reads_body_outcome_date_and_note() -> None:
    cmd = _parse('/mod SECMP0020 decision "Change Board" approved 23 Nov 2016 "At the November meeting"')
    assert isinstance(cmd, ModDecision)
    assert (cmd.ref, cmd.body, cmd.outcome, cmd.decided, cmd.note) == (
        "SECMP0020",
        "Change Board",
        "approved",
        When(date(2016, 11, 23)),
        "At the November meeting",
    )
    two_words = _parse("/mod MP200 decision change board rejected 2021-01-20 not needed")
    assert isinstance(two_words, ModDecision) and (two_words.body, two_words.note) == ("Change Board", "not needed")
    month = _parse("/mod MP200 decision ofgem approved Nov 2021")
    assert isinstance(month, ModDecision) and month.body == "Authority"
    assert month.decided == When(date(2021, 11, 1), "month") and month.decided.shown == "Nov 2021"
    for bad, words in (
        ("/mod MP200 decision board approved 2021-01-20", "Which body"),
        ("/mod MP200 decision cb maybe 2021-01-20", "approved, rejected, withdrawn, deferred"),
        ("/mod MP200 decision cb approved", "When was it decided"),
    ):
        got = _parse(bad)
        assert isinstance(got, ParseError) and words in got.message, (bad, got)


def test_effective_is_taken_out_wherever_it_stands_and_keeps_a_month() -> None:
    cmd = parse(GRAMMAR, "release", "june-2022 approve MP099 effective Dec 2020 Change Board approved", TODAY)
    assert isinstance(cmd, ScopeChange)
    assert cmd.effective == When(date(2020, 12, 1), "month") and cmd.reason == "Change Board approved"
    day = parse(GRAMMAR, "release", "nov-2021 move MP077 to june-2022 reason capacity effective 2020-11-06", TODAY)
    assert isinstance(day, ScopeChange) and day.effective == When(date(2020, 11, 6)) and day.reason == "capacity"
    plain = parse(GRAMMAR, "release", "june-2022 approve MP099", TODAY)
    assert isinstance(plain, ScopeChange) and plain.effective is None
    quoted = parse(GRAMMAR, "release", 'june-2022 add MP300 "effective" reason effective teams', TODAY)
    assert isinstance(quoted, ScopeChange) and quoted.title == "effective" and quoted.reason == "effective teams"
    bad = parse(GRAMMAR, "release", "june-2022 approve MP099 effective 31 Feb 2020", TODAY)
    assert isinstance(bad, ParseError) and "After `effective`" in bad.message
    new = _parse("/release new june-2023 go-live 2023-06-29 effective 1 Dec 2022")
    assert isinstance(new, ReleaseNew) and new.effective == When(date(2022, 12, 1))


def test_the_record_words_readers() -> None:
    assert read_path("Self Governance") == "Self-Governance" and read_path("fast_track") == "Fast-Track"
    assert read_path("sideways") is None
    assert read_phase("authority decision") == "Authority decision" and read_phase("nap") is None
    assert read_body(["Change", "Board", "approved"], 0) == ("Change Board", 2)
    assert read_body(["CSC"], 0) == ("CSC", 1) and read_body(["Board"], 0) is None
    assert effective_note(When(TODAY), TODAY) == ""
    assert effective_note(When(date(2020, 12, 1), "month"), TODAY) == " (effective Dec 2020)"


def _ms(day: date, precision: str) -> MilestoneView:
    at = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return MilestoneView(
        1, "k", None, None, "other", "t", at, True, "stated", None, None, "", "planned", None, precision
    )


def test_a_month_is_never_counted_from_its_first_day() -> None:
    cal = WorkingDays({})
    today = date(2020, 12, 4)
    assert milestone_relative(cal, today, _ms(date(2020, 12, 1), "month")) == "this month"
    assert milestone_relative(cal, today, _ms(date(2021, 2, 1), "month")) == "in 2 months"
    assert milestone_relative(cal, today, _ms(date(2020, 11, 1), "month")) == "1 month ago"
    assert milestone_relative(cal, today, _ms(date(2020, 12, 11), "day")) == "in 5 WD"


def test_live_in_two_releases_at_once_is_found_with_its_date() -> None:
    steps = [
        ScopeStep("SECMP0007", "june-2018", "targeted", date(2016, 12, 7), 1),
        ScopeStep("SECMP0007", "november-2021", "targeted", date(2020, 11, 1), 2),
        ScopeStep("SECMP0007", "november-2021", "approved", date(2020, 12, 4), 3),
    ]
    (overlap,) = live_overlaps(steps)
    assert (overlap.ref, overlap.releases, overlap.since) == (
        "SECMP0007",
        ("june-2018", "november-2021"),
        date(2020, 11, 1),
    )
    assert "live in june-2018 and november-2021 at once from 2020-11-01" in str(overlap)
    moved = [*steps, ScopeStep("SECMP0007", "june-2018", "moved", date(2020, 11, 1), 4)]
    assert live_overlaps(moved) == []  # the move the later paper implies, on the same date
    removed = [*steps[:1], ScopeStep("SECMP0007", "june-2018", "removed", date(2018, 1, 1), 5), *steps[1:]]
    assert live_overlaps(removed) == []


def test_every_record_refusal_has_its_own_sentence() -> None:
    import dataclasses

    from commands.record_refusals import say
    from domain import record_refusals
    from domain.refusals import Refusal

    generic = say(Refusal())
    for name in record_refusals.__all__:
        kind = getattr(record_refusals, name)
        text = say(kind(*("x" for _ in dataclasses.fields(kind))))
        assert text and text != generic and "x" in text, name


def test_effective_with_the_notice_words_of_a_scope_change() -> None:
    line = "june-2022 approve MP099 Change Board approved effective 20 Jan 2021 by-exception Panel agreed confirm"
    cmd = parse(GRAMMAR, "release", line, TODAY)
    assert isinstance(cmd, ScopeChange), cmd
    assert (cmd.reason, cmd.effective, cmd.by_exception, cmd.confirmed) == (
        "Change Board approved",
        When(date(2021, 1, 20)),
        "Panel agreed",
        True,
    )
