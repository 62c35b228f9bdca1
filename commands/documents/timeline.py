"""Timeline pictures as data: one release's milestones, or the key dates of every release.

Working Days are counted with the one calendar (`Snapshot.calendar`) from `today`; a milestone
already passed has no count and is drawn grey.
"""

from __future__ import annotations

from datetime import date

from commands.documents.model import TimelineChart, TimelinePoint
from domain.calendar import local_date
from domain.snapshot import Snapshot
from domain.views import MilestoneView, ReleaseView

__all__ = ["KEY_KINDS", "all_releases_timeline", "release_timeline"]

KEY_KINDS = ("go_live", "go_no_go", "rid_baseline", "opsg_review", "dcc_evidence")


def _point(snapshot: Snapshot, ms: MilestoneView, lane: str, today: date) -> TimelinePoint:
    when = local_date(ms.due_at)
    working_days = snapshot.calendar.between(today, when) if when >= today else None
    label = ms.title if len(ms.title) <= 60 else ms.title[:58] + "…"
    return TimelinePoint(
        when, label, lane, working_days, derived=ms.origin == "derived", key=ms.kind in ("go_live", "go_no_go")
    )


def release_timeline(snapshot: Snapshot, rel: ReleaseView, today: date) -> TimelineChart:
    """The release's own milestones on one lane and its modifications' on another."""
    points = []
    for ms in snapshot.milestones_by_release.get(rel.id, []):
        if ms.state == "cancelled":
            continue
        lane = "Modifications" if ms.modification_id is not None else rel.name
        points.append(_point(snapshot, ms, lane, today))
    if not any(p.key and p.lane == rel.name for p in points):
        wd = snapshot.calendar.between(today, rel.go_live) if rel.go_live >= today else None
        points.append(TimelinePoint(rel.go_live, "Release go-live", rel.name, wd, key=True))
    points.sort(key=lambda p: (p.lane != rel.name, p.day))
    return TimelineChart(f"{rel.name}: milestones, Working Days from {today.day} {today:%b %Y}", today, tuple(points))


def all_releases_timeline(snapshot: Snapshot, today: date, limit: int = 8) -> TimelineChart:
    """The key dates (baseline, evidence, review, go/no-go, go-live) of the next `limit` releases."""
    upcoming = [r for r in snapshot.upcoming() if r.go_live >= today][:limit]
    points = []
    for rel in upcoming:
        mine = [
            ms
            for ms in snapshot.milestones_by_release.get(rel.id, [])
            if ms.kind in KEY_KINDS and ms.state != "cancelled" and ms.modification_id is None
        ]
        points += [_point(snapshot, ms, rel.name, today) for ms in mine]
        if not any(ms.kind == "go_live" for ms in mine):
            points.append(
                TimelinePoint(
                    rel.go_live, "Release go-live", rel.name, snapshot.calendar.between(today, rel.go_live), key=True
                )
            )
    return TimelineChart(f"SEC Releases: key dates, Working Days from {today.day} {today:%b %Y}", today, tuple(points))
