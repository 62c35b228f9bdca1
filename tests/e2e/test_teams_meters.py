"""Teams memory stays flat: the SDK's per-activity meters are not kept (issue 13, item 5).

The SDK asks OpenTelemetry for a meter for every activity; the API's default (proxy) provider
keeps each one. The adapter sets the no-op provider at start-up, so the proxy's list stops
growing however many messages arrive.
"""

from __future__ import annotations

from opentelemetry import metrics

from tests.teamsharness import teams_harness
from tests.teamsreq import message


def _kept() -> int:
    """How many meters the API's proxy provider holds."""
    from opentelemetry.metrics._internal import _PROXY_METER_PROVIDER

    return len(_PROXY_METER_PROVIDER._meters)


async def test_the_meter_provider_after_start_up_is_the_no_op_one_and_keeps_nothing(database_url: str) -> None:
    async with teams_harness(database_url) as teams:
        assert isinstance(metrics.get_meter_provider(), metrics.NoOpMeterProvider)
        response = await teams.post(message(teams.connector.url, "release june-2021 scope"))
        assert response.status_code == 200
        await teams.sent(1)
        kept = _kept()
        for _ in range(20):
            response = await teams.post(message(teams.connector.url, "release june-2021 scope"))
            assert response.status_code == 200
        await teams.sent(21)
        assert _kept() == kept  # twenty more activities, not one more meter
