"""Reminder rules as data: the project's rules.yaml, and the clear errors a bad file gets."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest

from domain.kinds import MilestoneKind
from domain.rules import RulesError, load_rules, parse_leads, rules_from_data


def test_the_project_rules_cover_every_milestone_kind() -> None:
    rules = load_rules()
    assert set(rules.kinds) == {k.value for k in MilestoneKind}
    # The example: 5 WD, 1 WD and on the day at 09:00 (Europe/London).
    assert rules.rule("consultation_close").leads == (5, 1, 0)
    assert rules.rule("go_no_go").hour == time(9, 0)
    for kind in (
        "consultation_close",
        "change_board",
        "authority_decision",
        "notice_cutoff",
        "rid_baseline",
        "dcc_evidence",
        "opsg_review",
        "go_no_go",
        "go_live",
        "rid_appeal_end",
        "panel_paper",
    ):
        assert rules.rule(kind).leads, f"{kind} (named in the issue) gets reminders"
        assert rules.rule(kind).action.endswith("."), kind


def test_derivations_match_the_seed_papers() -> None:
    rules = load_rules()
    referral = rules.derived_from("change_board")
    assert [(d.kind, d.working_days) for d in referral] == [("referral_end", 10)]
    assert [(d.kind, d.working_days) for d in rules.derived_from("referral_end")] == [("implementation", 5)]
    assert [(d.kind, d.working_days) for d in rules.derived_from("rid_baseline")] == [("rid_appeal_end", 10)]


def test_a_kind_named_explicitly_gets_the_default_leads_even_without_a_rule() -> None:
    rules = load_rules()
    assert rules.rule("working_group").leads == ()
    assert rules.leads_for("working_group", (), named=False) == ()
    assert rules.leads_for("working_group", (), named=True) == rules.default_leads
    assert rules.leads_for("go_live", (3, 0), named=False) == (3, 0)


def _data(**changes: Any) -> dict[str, Any]:
    kinds = {k.value: {"label": k.value, "leads": [1], "hour": "09:00", "action": "Do it."} for k in MilestoneKind}
    data: dict[str, Any] = {"default": {"leads": [5, 1, 0], "hour": "09:00"}, "kinds": kinds, "derivations": []}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["kinds"].pop("go_live"), "no rule for the milestone kind(s) go_live"),
        (
            lambda d: d["kinds"].__setitem__("launch_party", d["kinds"]["go_live"]),
            "kinds.launch_party is not a milestone kind",
        ),
        (lambda d: d["kinds"]["go_live"].__setitem__("hour", "9 o'clock"), "kinds.go_live.hour"),
        (lambda d: d["kinds"]["go_live"].__setitem__("leads", [5, "x"]), "kinds.go_live.leads"),
        (lambda d: d["kinds"]["go_live"].__setitem__("leads", [500]), "more than 60"),
        (lambda d: d["kinds"]["go_live"].__setitem__("action", ""), "kinds.go_live.action"),
        (
            lambda d: d["derivations"].append({"from": "go_live", "kind": "nope", "working_days": 1, "title": "x"}),
            "derivations[0].kind",
        ),
        (
            lambda d: d["derivations"].extend(
                [
                    {"from": "go_live", "kind": "go_no_go", "working_days": 1, "title": "x"},
                    {"from": "go_no_go", "kind": "go_live", "working_days": 1, "title": "y"},
                ]
            ),
            "a cycle",
        ),
    ],
)
def test_a_bad_rules_file_says_where(mutate: Any, message: str) -> None:
    data = _data()
    mutate(data)
    with pytest.raises(RulesError, match=re.escape(message)):
        rules_from_data(data, "rules.yaml")


def test_hours_written_without_quotes_still_read_as_times() -> None:
    data = _data()
    data["kinds"]["go_live"]["hour"] = 9 * 60 + 30  # YAML 1.1 reads 09:30 unquoted as 570
    assert rules_from_data(data).rule("go_live").hour == time(9, 30)


@pytest.mark.parametrize(
    ("text", "leads"), [("5,1,0", (5, 1, 0)), ("0,5,1,5", (5, 1, 0)), ("10", (10,)), ("3;1", (3, 1))]
)
def test_lead_overrides(text: str, leads: tuple[int, ...]) -> None:
    assert parse_leads(text) == leads


@pytest.mark.parametrize("text", ["", "a,b", "-1", "61"])
def test_bad_lead_overrides(text: str) -> None:
    with pytest.raises(RulesError):
        parse_leads(text)
