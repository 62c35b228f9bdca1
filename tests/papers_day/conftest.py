"""Tests here run on the demo data on the latest paper's date, Fri 4 Dec 2020 (`tests/papers.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import create_bot, load_settings
from bot.core import Releasebot
from tests.papers import papers_clock


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[Releasebot]:
    """A started bot on the demo data whose clock says noon on 4 Dec 2020."""
    instance = create_bot(load_settings(database_url=database_url), clock=papers_clock)
    await instance.start(watch=False)
    yield instance
    await instance.stop()
