"""The bot's life-cycle parts without a store: services start in order and stop in reverse, and
the poll fan-out tells every platform in the background and survives one that fails."""

from __future__ import annotations

import asyncio

import pytest

from bot.fanout import PollFanout
from bot.services import Lifecycle, Services


class Recorded:
    def __init__(self, name: str, log: list[str], fail_on: str = "") -> None:
        self.name, self.log, self.fail_on = name, log, fail_on

    async def start(self) -> None:
        if self.fail_on == "start":
            raise RuntimeError(f"{self.name} cannot start")
        self.log.append(f"start {self.name}")

    async def stop(self) -> None:
        self.log.append(f"stop {self.name}")
        if self.fail_on == "stop":
            raise RuntimeError(f"{self.name} cannot stop")


async def test_services_start_in_order_and_stop_in_reverse() -> None:
    log: list[str] = []
    services = Services()
    services.add(Recorded("http", log), Recorded("slack", log))
    services.add(Recorded("reminders", log))
    await services.start()
    assert services.state is Lifecycle.RUNNING
    with pytest.raises(RuntimeError):
        services.add(Recorded("late", log))  # the order is fixed once they run
    await services.stop()
    await services.stop()  # twice is once
    assert log == ["start http", "start slack", "start reminders", "stop reminders", "stop slack", "stop http"]
    assert services.state is Lifecycle.STOPPED


async def test_a_service_that_cannot_start_stops_the_ones_before_it() -> None:
    log: list[str] = []
    services = Services()
    services.add(Recorded("http", log), Recorded("slack", log), Recorded("broken", log, fail_on="start"))
    with pytest.raises(RuntimeError, match="broken cannot start"):
        await services.start()
    assert log == ["start http", "start slack", "stop slack", "stop http"]
    assert services.state is Lifecycle.STOPPED


async def test_one_service_failing_to_stop_does_not_keep_the_others_running() -> None:
    log: list[str] = []
    services = Services()
    services.add(Recorded("http", log), Recorded("stuck", log, fail_on="stop"), Recorded("reminders", log))
    await services.start()
    with pytest.raises(RuntimeError, match="stuck cannot stop"):
        await services.stop()
    assert log[-3:] == ["stop reminders", "stop stuck", "stop http"]
    assert services.state is Lifecycle.STOPPED


async def test_the_fanout_tells_every_platform_in_the_background() -> None:
    told: list[tuple[str, int, bool]] = []

    class Platform:
        def __init__(self, name: str, broken: bool = False) -> None:
            self.name, self.broken = name, broken

        async def poll_changed(self, poll_id: int, closed: bool) -> None:
            await asyncio.sleep(0.01)
            if self.broken:
                raise ConnectionError("platform down")
            told.append((self.name, poll_id, closed))

    fanout = PollFanout()
    for platform in (Platform("slack"), Platform("down", broken=True), Platform("teams")):
        fanout.subscribe(platform)
    fanout.poll_changed(7)
    fanout.poll_changed(7, closed=True)
    assert told == []  # nobody waited for the edits
    await fanout.drain()
    assert sorted(told) == [("slack", 7, False), ("slack", 7, True), ("teams", 7, False), ("teams", 7, True)]
