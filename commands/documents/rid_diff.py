"""What changed in a RID between two versions, section by section: a pure diff of two `RidModel`s."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from commands.documents.model import Bullets, Document, Paragraph, Section
from commands.documents.rid import RidModel
from commands.documents.rid_layout import rid_title
from domain.format import day, gbp

__all__ = ["RidDiff", "diff_document", "diff_rid"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class RidDiff:
    name: str
    old: str
    new: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (section, change lines); empty lines: unchanged
    issued: date | None = None  # the newer version's day (what a file of the diff is dated)

    @property
    def unchanged(self) -> bool:
        return all(not lines for _, lines in self.sections)


def _compare(
    old: Mapping[K, V],
    new: Mapping[K, V],
    added: Callable[[K, V], str],
    removed: Callable[[K, V], str],
    changed: Callable[[K, V, V], str],
) -> list[str]:
    lines = [added(k, v) for k, v in new.items() if k not in old]
    lines += [removed(k, v) for k, v in old.items() if k not in new]
    lines += [changed(k, old[k], v) for k, v in new.items() if k in old and old[k] != v]
    return lines


def _ticks(
    a: RidModel, b: RidModel, what: str, old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]
) -> list[str]:
    def moved(k: str, x: tuple[str, ...], y: tuple[str, ...]) -> str:
        plus, minus = sorted(set(y) - set(x)), sorted(set(x) - set(y))
        return f"{k}: " + "; ".join(
            p for p in (f"now {', '.join(plus)}" if plus else "", f"no longer {', '.join(minus)}" if minus else "") if p
        )

    return _compare(
        old,
        new,
        lambda k, v: f"{k} added ({what}: {', '.join(v) or 'none'})",
        lambda k, v: f"{k} no longer listed",
        moved,
    )


def diff_rid(a: RidModel, b: RidModel) -> RidDiff:
    """Scope, impacts, timetable, costs, criteria and versions: added, removed and changed entries."""
    scope = _compare(
        {s.ref: s.state for s in a.scope}, {s.ref: s.state for s in b.scope},
        lambda k, v: f"{k} added ({v})" if v in ("targeted", "approved") else f"{k} recorded as {v}",
        lambda k, v: f"{k} no longer recorded ({v} before)", lambda k, x, y: f"{k}: {x} → {y}",
    )  # fmt: skip
    impacts = _ticks(a, b, "participants", dict(a.party_rows), dict(b.party_rows))
    impacts += _ticks(a, b, "changed by", dict(a.document_ticks), dict(b.document_ticks))
    old_sum = {(area, t) for area, texts in a.party_summaries + a.dcc_summaries for t in texts}
    new_sum = {(area, t) for area, texts in b.party_summaries + b.dcc_summaries for t in texts}
    impacts += [f"New impact for {area}: {t}" for area, t in sorted(new_sum - old_sum)]
    impacts += [f"Impact no longer listed for {area}: {t}" for area, t in sorted(old_sum - new_sum)]
    old_rows = {r.key or r.event: r for r in a.timetable + a.derived}
    new_rows = {r.key or r.event: r for r in b.timetable + b.derived}
    timetable = _compare(
        {k: r.day for k, r in old_rows.items()}, {k: r.day for k, r in new_rows.items()},
        lambda k, v: f"Added: {day(v)} {new_rows[k].event}", lambda k, v: f"Removed: {day(v)} {old_rows[k].event}",
        lambda k, x, y: f"{new_rows[k].event}: {day(x)} → {day(y)}",
    )  # fmt: skip
    costs = _compare(
        {(c.payer, c.category, c.ref): c.amount_gbp for c in a.costs}, {(c.payer, c.category, c.ref): c.amount_gbp for c in b.costs},
        lambda k, v: f"{k[0]} {k[1]}{' for ' + k[2] if k[2] else ''} added: {gbp(v)}",
        lambda k, v: f"{k[0]} {k[1]}{' for ' + k[2] if k[2] else ''} removed (was {gbp(v)})",
        lambda k, x, y: f"{k[0]} {k[1]}{' for ' + k[2] if k[2] else ''}: {gbp(x)} → {gbp(y)}",
    )  # fmt: skip
    criteria = _compare(
        {n: t for n, _, t in a.criteria}, {n: t for n, _, t in b.criteria},
        lambda k, v: f"Criterion {k} added: {v}", lambda k, v: f"Criterion {k} removed: {v}", lambda k, x, y: f"Criterion {k} reworded: {y}",
    )  # fmt: skip
    versions = [
        f"Version {v} of {day(d)}: {changes}" for v, d, changes in b.versions if v not in {x[0] for x in a.versions}
    ]
    return RidDiff(
        b.name, a.version or "draft", b.version or "draft",
        (("1. Scope", tuple(scope)), ("2. Impacts", tuple(impacts)), ("3. Implementation timetable", tuple(timetable)),
         ("5. Costs", tuple(costs)), ("6. Acceptance criteria", tuple(criteria)), ("Appendix 1: Version control", tuple(versions))),
        b.as_of or b.built_on,
    )  # fmt: skip


def diff_document(diff: RidDiff) -> Document:
    title = f"{rid_title(diff.name)}: changes from version {diff.old} to {diff.new}"
    sections = tuple(
        Section(name, (Bullets(lines),) if lines else (Paragraph("No change."),)) for name, lines in diff.sections
    )
    subtitle = f"Version {diff.old} → version {diff.new}"
    return Document("rid-diff", title, subtitle, sections, toc=False, issued=diff.issued, footer=title)
