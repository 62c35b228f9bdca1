"""RID version numbers: `0.1` for a first draft, then the next minor number (`1.1` -> `1.2`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["VERSION", "next_version", "version_key"]

VERSION = re.compile(r"^v?(\d{1,3})\.(\d{1,3})$")


def version_key(version: str) -> tuple[int, int]:
    """A sortable key: `1.10` comes after `1.9`. ValueError for anything that is not `N.N`."""
    found = VERSION.match(version.strip())
    if found is None:
        raise ValueError(version)
    return int(found.group(1)), int(found.group(2))


def next_version(existing: Sequence[str]) -> str:
    known = sorted(version_key(v) for v in existing if VERSION.match(v.strip()))
    if not known:
        return "0.1"
    major, minor = known[-1]
    return f"{major}.{minor + 1}"
