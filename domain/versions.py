"""RID version numbers: `0.1` for a first draft, then the next minor number (`1.1` -> `1.2`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["VERSION", "describe_changes", "next_version", "version_key"]

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


def describe_changes(scope: Sequence[tuple[str, str]], updated: Sequence[str], previous: str | None) -> str:
    """A RID version's "what changed" from the history since the previous version: the scope
    steps (ref, state) in order, then the content kinds updated, each named once."""
    if previous is None and not scope and not updated:
        return "First version."
    parts = []
    if scope:
        parts.append("Scope: " + ", ".join(f"{ref} {state}" for ref, state in dict.fromkeys(scope)) + ".")
    if updated:
        parts.append("Updated: " + ", ".join(dict.fromkeys(updated)) + ".")
    if not parts:
        return f"No changes recorded since version {previous}."
    return " ".join(parts)
