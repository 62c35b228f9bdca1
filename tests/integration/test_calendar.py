"""The calendar feeds over HTTP: what Outlook and Google Calendar get, with UIDs that stay put."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
from icalendar import Calendar

from bot.core import Releasebot
from bot.web import create_web_app
from notifiers.ical import calendar_routes
from tests.helpers import reply


@pytest.fixture
async def web(bot: Releasebot) -> AsyncIterator[httpx.AsyncClient]:
    app = create_web_app(bot, calendar_routes(bot))  # ASGITransport sends no lifespan events: the fixture runs the bot
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://releasebot.test") as client:
        yield client


async def events(web: httpx.AsyncClient, path: str) -> dict[str, object]:
    response = await web.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


async def test_a_release_feed_has_its_milestones_with_stable_uids(web: httpx.AsyncClient) -> None:
    found = await events(web, "/calendar/june-2021.ics")
    assert "june-2021/go-live@releasebot" in found
    appeal = found["june-2021/rid-appeal-end-non-system@releasebot"]
    assert appeal["dtstart"].dt == date(2020, 12, 29) and appeal["dtend"].dt == date(2020, 12, 30)  # type: ignore[index]
    assert "10 Working Days after “Panel re-baselines the June 2021 RID" in str(appeal["description"])  # type: ignore[index]
    assert str(appeal["status"]) == "CONFIRMED"  # type: ignore[index]
    assert "feb-2021/go-live@releasebot" not in found
    assert (await events(web, "/calendar/jun-2021.ics")).keys() == found.keys()  # any slug form


async def test_the_all_feed_has_every_milestone(web: httpx.AsyncClient, bot: Releasebot) -> None:
    found = await events(web, "/calendar/all.ics")
    assert len(found) == len(bot.read_model.snapshot.milestones)
    assert "cb-2016-11-23@releasebot" in found  # not tied to a release


async def test_a_moved_or_cancelled_milestone_keeps_its_uid(web: httpx.AsyncClient, bot: Releasebot) -> None:
    await reply(bot, "/release june-2021 milestone add go_no_go 2021-06-10 14:00 Panel go/no-go")
    key = next(ms.key for ms in bot.read_model.snapshot.milestones if ms.title == "Panel go/no-go")
    before = (await events(web, "/calendar/june-2021.ics"))[f"{key}@releasebot"]
    assert before["dtstart"].dt == datetime(2021, 6, 10, 13, 0, tzinfo=UTC)  # type: ignore[index]  # 14:00 BST
    await reply(bot, "/release june-2021 milestone go_no_go 2021-06-11 reason Panel moved")
    after = (await events(web, "/calendar/june-2021.ics"))[f"{key}@releasebot"]
    assert after["dtstart"].dt == datetime(2021, 6, 11, 13, 0, tzinfo=UTC)  # type: ignore[index]
    await reply(bot, "/release june-2021 milestone go_no_go cancel")
    assert str((await events(web, "/calendar/june-2021.ics"))[f"{key}@releasebot"]["status"]) == "CANCELLED"  # type: ignore[index]


async def test_an_unknown_release_is_a_404_with_a_suggestion_and_unchanged_feeds_are_304(
    web: httpx.AsyncClient,
) -> None:
    missing = await web.get("/calendar/jnue-2021.ics")
    assert missing.status_code == 404 and "Did you mean `june-2021`" in missing.text
    first = await web.get("/calendar/all.ics")
    again = await web.get("/calendar/all.ics", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
