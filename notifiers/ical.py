"""Calendar feeds: /calendar/<slug>.ics and /calendar/all.ics, for Outlook and Google Calendar.

Built from the read model (no database round trip) with the `icalendar` package. Each event's
UID is the milestone's key, which never changes, so a calendar that subscribed updates a moved
milestone in place instead of adding a second one; a cancelled milestone stays with
STATUS:CANCELLED so clients remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from icalendar import Calendar, Event
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from commands import messages
from commands.suggest import nearest_releases
from domain.calendar import LONDON, local_date
from domain.rules import Rules
from domain.snapshot import Snapshot
from domain.views import MilestoneView, ReleaseView
from domain.words import read_slug, tokenize

__all__ = ["UID_DOMAIN", "FeedHost", "build_calendar", "calendar_routes", "event_uid"]

UID_DOMAIN = "releasebot"
TIMED_LENGTH = timedelta(minutes=30)  # a timed milestone is a deadline or a meeting start: show half an hour


def event_uid(ms: MilestoneView) -> str:
    return f"{ms.key}@{UID_DOMAIN}"


def _event(snap: Snapshot, ms: MilestoneView, rules: Rules, stamp: datetime, with_release: bool) -> Event:
    rule = rules.rule(ms.kind)
    rel = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
    mod = snap.mod_by_id.get(ms.modification_id) if ms.modification_id is not None else None
    event = Event()
    event.add("uid", event_uid(ms))
    event.add("dtstamp", stamp)
    event.add("summary", ms.title + (f" · {rel.name}" if with_release and rel else ""))
    if ms.all_day:
        start = local_date(ms.due_at)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", ms.due_at)
        event.add("dtend", ms.due_at + TIMED_LENGTH)
    event.add("status", "CANCELLED" if ms.state == "cancelled" else "CONFIRMED")
    lines = [f"{rule.label[:1].upper()}{rule.label[1:]}. {rule.action}"]
    if mod is not None:
        lines.append(f"{mod.ref} {mod.title}")
    if rel is not None:
        lines.append(f"{rel.name} ({rel.slug})")
    if ms.derived_from_id is not None and (base := snap.milestone_by_id.get(ms.derived_from_id)) is not None:
        lines.append(f"{ms.offset_wd} Working Days after “{base.title}”.")
    if ms.state == "met":
        lines.append("Done.")
    if ms.notes:
        lines.append(ms.notes)
    event.add("description", "\n".join(lines))
    event.add("categories", [ms.kind])
    if url := (mod.url if mod is not None and mod.url else rule.link):
        event.add("url", url)
    return event


def build_calendar(snap: Snapshot, release: ReleaseView | None, now: datetime, rules: Rules) -> bytes:
    """The feed for one release (or every milestone when `release` is None), as iCalendar bytes."""
    cal = Calendar()
    cal.add("prodid", "-//releasebot//SEC release milestones//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"SEC releases: {release.name if release else 'all milestones'}")
    cal.add("x-wr-timezone", str(LONDON))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    chosen: Iterable[MilestoneView] = (
        snap.milestones if release is None else snap.milestones_by_release.get(release.id, [])
    )
    for ms in chosen:
        cal.add_component(_event(snap, ms, rules, now, with_release=release is None))
    return bytes(cal.to_ical())


class FeedHost(Protocol):
    """What the feeds need from the bot: the state, the clock and the rules."""

    rules: Rules

    @property
    def snapshot(self) -> Snapshot: ...

    def clock(self) -> datetime: ...


def calendar_routes(host: FeedHost) -> list[Route]:
    """Starlette routes for the web app (`create_web_app(bot, [..., *calendar_routes(bot)])`)."""

    async def feed(request: Request) -> Response:
        snap = host.snapshot
        name = request.path_params["name"].lower()
        release = None
        if name != "all":
            got = read_slug(tokenize(name), 0)
            release = snap.release(got[0]) if got else None
            if release is None:
                hint = messages.did_you_mean(nearest_releases(snap, name))
                return PlainTextResponse(
                    f"{messages.unknown_release(name)} {hint}".strip() + " Try /calendar/all.ics.\n", status_code=404
                )
        now = host.clock()
        tag = f'"v{snap.version}-{release.slug if release else "all"}-{local_date(now).isoformat()}"'
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        body = build_calendar(snap, release, now, host.rules)
        filename = f"{release.slug if release else 'all'}.ics"
        headers = {"ETag": tag, "Cache-Control": "max-age=300", "Content-Disposition": f'inline; filename="{filename}"'}
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    return [Route("/calendar/{name}.ics", feed, methods=["GET", "HEAD"])]
