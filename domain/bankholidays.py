"""England & Wales bank holidays from the `holidays` package, without its 250 countries.

`holidays.country_holidays("GB")` imports `holidays.countries`, whose `__init__` imports every
country's module: about 70 ms at every start of every process, for one country. The United
Kingdom's module imports only the package's shared parts, so it is loaded here from its file on
its own. If that ever fails (the package moved it), the package's own entry point is used, and
tests/unit/test_bank_holidays.py checks that both give the same days and names.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import holidays

__all__ = ["england_and_wales", "from_package"]


def from_package(year: int) -> Mapping[date, str]:
    """The package's own way (imports every country)."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


@cache
def _united_kingdom() -> Callable[..., Any] | None:
    path = Path(holidays.__file__).parent / "countries" / "united_kingdom.py"
    spec = importlib.util.spec_from_file_location("holidays.countries.united_kingdom", path)
    if spec is None or spec.loader is None:
        return None
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found: Callable[..., Any] = module.UnitedKingdom
    except Exception:  # any change in the package's layout: use its entry point instead
        return None
    return found


def england_and_wales(year: int) -> Mapping[date, str]:
    """The bank holidays of England & Wales in `year`, with their names."""
    uk = _united_kingdom()
    if uk is None:
        return from_package(year)
    return dict(uk(subdiv="ENG", years=year))
