"""The commands that keep the release record current: new releases and modifications, their
fields, and decisions (admins). Each may carry `effective <date>` (a day, or a month kept as one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from commands.language import Command, ReleaseCommand
from domain.record import When

__all__ = ["ModDecision", "ModNew", "ModSet", "ReleaseNew", "ReleaseSet"]


@dataclass(frozen=True, kw_only=True)
class ReleaseNew(Command):
    """`/release new <slug> go-live <date> [dcc|document-only] ["name"]`."""

    action: str = "release.new"
    slug: str
    go_live: date
    dcc: bool | None = None
    name: str = ""
    effective: When | None = None


@dataclass(frozen=True, kw_only=True)
class ReleaseSet(ReleaseCommand):
    """`/release <slug> set status <status>` | `set go-live <date>` | `set dcc yes|no`."""

    action: str = "release.set"
    field: str  # status | go_live | dcc
    status: str = ""
    go_live: date | None = None
    dcc: bool | None = None
    effective: When | None = None


@dataclass(frozen=True, kw_only=True)
class ModNew(Command):
    """`/mod new <ref> "title" [path <path>]`."""

    action: str = "mod.new"
    ref: str
    title: str
    path: str = ""
    effective: When | None = None


@dataclass(frozen=True, kw_only=True)
class ModSet(Command):
    """`/mod <ref> set phase|path|wg|dcc|title <value>`: `value` canonical ("" or None: not stated)."""

    action: str = "mod.set"
    ref: str
    field: str
    value: str | bool | None
    effective: When | None = None
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class ModDecision(Command):
    """`/mod <ref> decision <body> <outcome> <date> ["note"]`."""

    action: str = "mod.decision"
    ref: str
    body: str
    outcome: str
    decided: When
    note: str = ""
    effective: When | None = None
    free_text: ClassVar[bool] = True
