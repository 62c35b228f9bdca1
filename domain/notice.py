"""Notice periods: when a release's scope and RID freeze, and when a DCC change comes too late.

Pure: from the release's go-live, its kind (DCC System impacting or document-only), the rules'
notice periods and the Working Day calendar. The Panel "may add further modifications by
exception" after the freeze, so a frozen release is not locked: a change then says why.
"""

from __future__ import annotations

from datetime import date

from domain.calendar import WorkingDays
from domain.rules import Rules
from domain.views import ReleaseView

__all__ = ["appeal_end", "dcc_lead_on", "dcc_lead_start", "freeze_day", "frozen_on", "inside_dcc_lead", "is_frozen"]


def freeze_day(release: ReleaseView, rules: Rules, calendar: WorkingDays) -> date:
    """The first day the release is frozen: its freeze period in Working Days before go-live."""
    return calendar.add(release.go_live, -rules.notice_for(release.dcc_system_impacting).freeze)


def is_frozen(release: ReleaseView, day: date, rules: Rules, calendar: WorkingDays) -> bool:
    return day >= freeze_day(release, rules, calendar)


def dcc_lead_start(release: ReleaseView, rules: Rules, calendar: WorkingDays) -> date | None:
    """From this day a DCC System impacting change is inside the DCC's lead time (None: no lead time)."""
    lead = rules.notice_for(release.dcc_system_impacting).dcc_lead
    return calendar.add(release.go_live, -lead) if lead else None


def inside_dcc_lead(release: ReleaseView, day: date, rules: Rules, calendar: WorkingDays) -> bool:
    start = dcc_lead_start(release, rules, calendar)
    return start is not None and day >= start


def appeal_end(published: date, rules: Rules, calendar: WorkingDays, dcc_system_impacting: bool | None) -> date:
    """The last day a Party may appeal a RID approval published on `published` (D10.17)."""
    return calendar.add(published, rules.notice_for(dcc_system_impacting).appeal)


def frozen_on(release: ReleaseView, day: date, rules: Rules, calendar: WorkingDays) -> date | None:
    """The freeze day when `day` falls between the release's freeze and its go-live, else None.

    A release that has gone live is history: correcting its record then is not a late change.
    """
    start = freeze_day(release, rules, calendar)
    return start if start <= day <= release.go_live else None


def dcc_lead_on(release: ReleaseView, day: date, rules: Rules, calendar: WorkingDays) -> date | None:
    """The start of the DCC lead time when `day` falls inside it (and before go-live), else None."""
    start = dcc_lead_start(release, rules, calendar)
    return start if start is not None and start <= day <= release.go_live else None
