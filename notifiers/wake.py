"""Waking at a time on the bot's clock, with a scheduler that runs on the host's.

APScheduler compares run dates with the machine's real clock, but the bot may live on another
day (the demo's 4 Dec 2020, `RELEASEBOT_TODAY`): a deadline at 17:00 on the bot's clock is as
far away on the host's clock as it is on the bot's. On the real clock this is the identity.
"""

from __future__ import annotations

from datetime import datetime

from domain.clock import Clock, system_clock

__all__ = ["on_host_clock"]


def on_host_clock(clock: Clock, at: datetime) -> datetime:
    """When the bot's `clock` says `at`, by the host's clock (what a scheduler's run date means)."""
    return system_clock() + (at - clock())
