"""The words of RID content changes, RID versions and the notice periods, read into typed commands.
Pure: no database, no bot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.app import command_table
from commands.content_language import CostChange, CriterionChange, ImpactChange, RidBaseline, SummaryChange
from commands.language import ParseError, ReleaseShow, ScopeChange
from commands.parse import parse_line

TODAY = date(2021, 1, 4)
GRAMMAR = command_table().grammar


def read(line: str) -> object:
    return parse_line(GRAMMAR, line, TODAY)


def test_participant_impacts_take_a_comma_list_of_parties() -> None:
    cmd = read("/release feb-2021 impact mp092 parties Suppliers, Other SEC Parties,DCC")
    assert isinstance(cmd, ImpactChange)
    assert (cmd.action, cmd.slug, cmd.ref, cmd.parties) == (
        "content.parties",
        "february-2021",
        "MP092",
        ("Suppliers", "Other SEC Parties", "DCC"),
    )
    cleared = read("/release feb-2021 impact MP092 parties none")
    assert isinstance(cleared, ImpactChange) and cleared.parties == ()


def test_document_impacts_add_remove_and_replace() -> None:
    add = read('/release feb-2021 impact MP092 document "Section A" "Definitions and Interpretation"')
    assert isinstance(add, ImpactChange)
    assert (add.action, add.document, add.title) == (
        "content.document.add",
        "Section A",
        "Definitions and Interpretation",
    )
    gone = read('/release feb-2021 impact MP092 document "Section A" remove')
    assert isinstance(gone, ImpactChange) and gone.action == "content.document.remove"
    moved = read('/release feb-2021 impact MP092 document "Section A" replace "Section H"')
    assert isinstance(moved, ImpactChange)
    assert (moved.action, moved.document, moved.new_document) == ("content.document.replace", "Section A", "Section H")
    assert isinstance(read("/release feb-2021 impact MP092 document Section A"), ParseError)  # unquoted


def test_costs_read_amounts_effort_refs_and_notes() -> None:
    cmd = read('/release feb-2021 cost add DCC implementation £340,000 days 2.5 for mp122 "From MP122 alone."')
    assert isinstance(cmd, CostChange)
    assert (cmd.action, cmd.payer, cmd.category, cmd.amount_gbp, cmd.effort_days, cmd.ref, cmd.note) == (
        "content.cost.add",
        "DCC",
        "implementation",
        340000,
        2.5,
        "MP122",
        "From MP122 alone.",
    )
    unknown = read('/release feb-2021 cost add DCC "SEC update" none')
    assert isinstance(unknown, CostChange) and unknown.amount_gbp is None and unknown.category == "SEC update"
    replaced = read("/release feb-2021 cost 2 replace SECAS update 12k")
    assert isinstance(replaced, CostChange) and (replaced.number, replaced.amount_gbp) == (2, 12000)
    removed = read("/release feb-2021 cost #3 remove")
    assert isinstance(removed, CostChange) and (removed.action, removed.number) == ("content.cost.remove", 3)
    for bad in ("cost add DCC impl 1e9", "cost add DCC impl 10000000000000", "cost 0 remove", "cost 2 remove now"):
        assert isinstance(read(f"/release feb-2021 {bad}"), ParseError), bad


def test_summaries_and_criteria() -> None:
    summary = read('/release feb-2021 summary add dcc "Testing" "The DCC tests." for MP092')
    assert isinstance(summary, SummaryChange)
    assert (summary.audience, summary.area, summary.words, summary.ref) == ("dcc", "Testing", "The DCC tests.", "MP092")
    reworded = read('/release feb-2021 summary 2 replace "New."')
    assert isinstance(reworded, SummaryChange) and (reworded.action, reworded.number) == ("content.summary.replace", 2)
    criterion = read('/release feb-2021 criterion add security "SECAS has checked."')
    assert isinstance(criterion, CriterionChange) and (criterion.kind, criterion.words) == (
        "security",
        "SECAS has checked.",
    )
    assert read("/release feb-2021 criterion") == ReleaseShow(
        action="release.criteria", slug="february-2021", text="/release feb-2021 criterion"
    )
    # The singular words read the views too.
    costs = read("/release feb-2021 cost as of 1 Sep 2020")
    assert isinstance(costs, ReleaseShow) and (costs.action, costs.day) == ("release.costs", date(2020, 9, 1))
    parties = read("/release feb-2021 impact parties as of 2020-09-01")
    assert isinstance(parties, ReleaseShow) and (parties.option, parties.day) == ("parties", date(2020, 9, 1))


def test_effective_and_by_exception_end_any_content_change() -> None:
    cmd = read('/release feb-2021 criterion 3 replace "New." effective 1 Feb 2021 by-exception Panel agreed on 29 Jan')
    assert isinstance(cmd, CriterionChange)
    assert (cmd.effective, cmd.by_exception, cmd.words) == (date(2021, 2, 1), "Panel agreed on 29 Jan", "New.")
    also = read("/release feb-2021 cost 1 remove by exception: the Panel asked")
    assert isinstance(also, CostChange) and also.by_exception == "the Panel asked"
    assert isinstance(read("/release feb-2021 cost 1 remove confirm"), ParseError)  # scope changes only
    # Quoted words are never keywords.
    quoted = read('/release feb-2021 criterion add "Done by exception effective today."')
    assert isinstance(quoted, CriterionChange) and quoted.by_exception == "" and quoted.effective is None


def test_scope_changes_take_by_exception_and_confirm() -> None:
    cmd = read("/release feb-2021 approve MP092 reason CB approved by-exception Panel agreed confirm")
    assert isinstance(cmd, ScopeChange)
    assert (cmd.reason, cmd.by_exception, cmd.confirmed) == ("CB approved", "Panel agreed", True)
    move = read("/release nov-2021 move MP077 to june-2022 reason DCC capacity confirm")
    assert isinstance(move, ScopeChange) and move.confirmed and move.reason == "DCC capacity"
    plain = read("/release feb-2021 remove MP092 reason no longer needed")
    assert isinstance(plain, ScopeChange) and (plain.by_exception, plain.confirmed) == ("", False)


def test_rid_baseline() -> None:
    cmd = read('/release feb-2021 rid baseline v1.2 "Scope baselined." effective 2021-01-08')
    assert cmd == RidBaseline(
        slug="february-2021",
        version="1.2",
        changes="Scope baselined.",
        effective=date(2021, 1, 8),
        text='/release feb-2021 rid baseline v1.2 "Scope baselined." effective 2021-01-08',
    )
    bare = read("/release feb-2021 rid baseline")
    assert isinstance(bare, RidBaseline) and bare.version is None and bare.changes == ""
    for bad in (
        "rid baseline 1.x",
        "rid baseline 1.2 unquoted",
        "rid baseline by-exception why",
        "rid baseline confirm",
    ):
        assert isinstance(read(f"/release feb-2021 {bad}"), ParseError), bad


HELP = yaml.safe_load((Path(__file__).parents[2] / "commands" / "help.yaml").read_text())


@pytest.mark.parametrize(
    "line",
    [
        example
        for example, _ in HELP["admin"]["lines"]
        if any(
            w in example for w in (" impact ", " summary ", " cost ", " criterion ", " rid ", "by-exception", "confirm")
        )
    ],
)
def test_every_content_example_in_help_parses(line: str) -> None:
    cmd = read(line)
    assert not isinstance(cmd, ParseError), (line, cmd)
    assert cmd.action.startswith(("content.", "rid.", "scope.")), cmd
