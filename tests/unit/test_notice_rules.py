"""The notice periods and RID version rules of the pure core: freeze window, DCC lead time,
appeal window, what changed, and RID content that leaves with its modification."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.calendar import WorkingDays
from domain.content import ReleaseHistory, content_at
from domain.notice import appeal_end, dcc_lead_on, frozen_on
from domain.rules import DEFAULT_NOTICE, load_rules
from domain.versions import describe_changes
from domain.views import ImpactSummaryView, ReleaseView, ScopeChangeView

RULES = load_rules()
CAL = WorkingDays()


def _release(dcc: bool | None, go_live: date = date(2021, 2, 25)) -> ReleaseView:
    return ReleaseView(1, "february-2021", "February 2021 SEC Release", go_live, "planning", dcc, "", "")


def test_a_release_is_frozen_from_its_freeze_day_until_go_live_then_it_is_history() -> None:
    feb = _release(False)  # document-only: 20 WD
    assert frozen_on(feb, date(2021, 1, 27), RULES, CAL) is None
    assert frozen_on(feb, date(2021, 1, 28), RULES, CAL) == date(2021, 1, 28)
    assert frozen_on(feb, date(2021, 2, 25), RULES, CAL) == date(2021, 1, 28)
    assert frozen_on(feb, date(2021, 2, 26), RULES, CAL) is None  # gone live: correcting the record


def test_the_dcc_lead_time_applies_to_dcc_releases_only() -> None:
    assert dcc_lead_on(_release(False), date(2021, 2, 1), RULES, CAL) is None  # document-only: no lead time
    dcc = _release(True, date(2022, 6, 30))
    start = dcc_lead_on(dcc, date(2022, 2, 1), RULES, CAL)
    assert start == CAL.add(date(2022, 6, 30), -130)
    assert dcc_lead_on(dcc, date(2021, 6, 1), RULES, CAL) is None
    # Unknown kind gets the DCC periods; a rules file without `notice:` gets the documented default.
    assert RULES.notice_for(None) == RULES.notice_for(True)
    assert DEFAULT_NOTICE.appeal == 10


def test_the_appeal_window_is_ten_working_days() -> None:
    assert appeal_end(date(2020, 12, 4), RULES, CAL, False) == date(2020, 12, 18)
    assert appeal_end(date(2020, 12, 18), RULES, CAL, False) == date(2021, 1, 6)  # over Christmas


def test_what_changed_since_the_last_version() -> None:
    assert describe_changes([], [], None) == "First version."
    assert describe_changes([], [], "1.1") == "No changes recorded since version 1.1."
    text = describe_changes(
        [("MP200", "targeted"), ("MP099", "approved"), ("MP200", "targeted")], ["costs", "costs"], "1.1"
    )
    assert text == "Scope: MP200 targeted, MP099 approved. Updated: costs."


def _summary(id_: int, mod: int | None) -> ImpactSummaryView:
    return ImpactSummaryView(1, "party", "All SEC Parties", f"text {id_}", id_, mod, id=id_, effective=date(2020, 8, 7))


def _scope(mod: int, state: str) -> ScopeChangeView:
    at = datetime(2020, 12, 4, tzinfo=UTC)
    return ScopeChangeView(mod, 1, mod, state, None, date(2020, 12, 4), "", "", None, "", at)


def test_a_summary_of_a_modification_leaves_the_rid_with_it() -> None:
    history = ReleaseHistory(summaries=[_summary(1, None), _summary(2, 95), _summary(3, 92)])
    scope = {95: _scope(95, "moved"), 92: _scope(92, "targeted")}
    assert [s.id for s in content_at(history, scope, None).summaries] == [1, 3]
    scope[95] = _scope(95, "targeted")
    assert [s.id for s in content_at(history, scope, None).summaries] == [1, 2, 3]
