"""The command types of RID content changes and RID versions (admins): one frozen type per family.

Every one carries the notice-period words: `effective <date>` (the day it happened; today by
default), `by-exception <reason>` (a change after the release's freeze says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from commands.language import ReleaseCommand

__all__ = ["ContentCommand", "CostChange", "CriterionChange", "ImpactChange", "RidBaseline", "SummaryChange"]


@dataclass(frozen=True, kw_only=True)
class ContentCommand(ReleaseCommand):
    """What every content change carries besides its own words."""

    effective: date | None = None  # None: today
    by_exception: str = ""
    free_text: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class ImpactChange(ContentCommand):
    """`impact <ref> parties A,B` | `parties none` | `document "X" [remove | replace "Y"] ["title"]`.

    `action`: content.parties | content.document.add | content.document.remove | content.document.replace.
    """

    ref: str
    parties: tuple[str, ...] = ()
    document: str = ""
    new_document: str = ""
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class SummaryChange(ContentCommand):
    """`summary add party|dcc "area" "text" [for <ref>]` | `summary <n> remove` | `summary <n> replace "text"`."""

    number: int | None = None
    audience: str = ""
    area: str = ""
    words: str = ""
    ref: str | None = None


@dataclass(frozen=True, kw_only=True)
class CostChange(ContentCommand):
    """`cost add <payer> <category> <amount|none> [days N] [for <ref>] ["note"]` | `cost <n> remove` |
    `cost <n> replace <payer> <category> <amount> ...`."""

    number: int | None = None
    payer: str = ""
    category: str = ""
    amount_gbp: int | None = None
    effort_days: float | None = None
    ref: str | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class CriterionChange(ContentCommand):
    """`criterion add [kind] "text"` | `criterion <n> remove` | `criterion <n> replace "text"`."""

    number: int | None = None
    kind: str = "operational"
    words: str = ""


@dataclass(frozen=True, kw_only=True)
class RidBaseline(ReleaseCommand):
    """`rid baseline [version] ["what changed"] [effective <date>]`: record a RID version."""

    action: str = "rid.baseline"
    version: str | None = None
    changes: str = ""
    effective: date | None = None
    free_text: ClassVar[bool] = True
