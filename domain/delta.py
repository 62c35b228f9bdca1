"""A change applied to the read model: only the shards its rows belong to are rebuilt.

The store tells the read model which rows a change wrote (`store/changelog.py` records the
table and row ids of every insert, update and delete, whatever the change was) and reads those
rows again; `apply_delta` puts them into `Tables` (every row the snapshot is built from, by row
id) and rebuilds only what they feed:

- a *release shard* for each release id a changed row has (old or new value of `release_id`):
  the `PER_RELEASE` fields for that release, built by `build_snapshot` from that release's rows;
- a *modification shard* likewise for `modification_id` (and a modification row's own id):
  the `PER_MOD` fields, plus `mod_by_ref` and `mod_by_alias`;
- a *global group* (`GLOBAL`: releases, milestones, decisions, terms, papers, holidays, members)
  when a row of one of its kinds changed, rebuilt whole (each is small);
- the search index segments of those shards and groups (`domain.search.SearchIndex.updated`).

So a new kind of change needs nothing here: its rows are found by table and id, and their
`release_id` / `modification_id` say which shards to rebuild. A new *field* of `Snapshot` must
be named in one of `PER_RELEASE`, `PER_MOD` or `GLOBAL` (a unit test checks every field is),
and a new kind of row gets its table in `store/loading.py`.

The old snapshot is never changed (readers may hold it): dicts are copied, shards replaced.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import fields
from typing import Any

from domain.snapshot import Snapshot, build_snapshot, segment_entries
from domain.views import StateRows

__all__ = ["GLOBAL", "ORDERED", "PER_MOD", "PER_RELEASE", "Row", "Tables", "apply_delta", "unclassified_fields"]

Row = tuple[tuple[Any, ...], object]  # (where it sorts in its kind, its view)

PER_RELEASE = (
    "changes_by_release",
    "current_scope",
    "milestones_by_release",
    "party_impacts",
    "party_order",
    "impact_summaries",
    "doc_impacts_by_release",
    "costs",
    "criteria",
    "rid_versions",
    "decisions_by_release",
    "history",
)
PER_MOD = (
    "mod_by_id",
    "changes_by_mod",
    "milestones_by_mod",
    "doc_impacts_by_mod",
    "decisions_by_mod",
    "phase_history",
)
# field -> the kinds of row it is built from (all of them, rebuilt together)
GLOBAL: dict[str, tuple[str, ...]] = {
    "sources": ("sources",),
    "releases": ("releases",),
    "release_by_slug": ("releases",),
    "release_by_id": ("releases",),
    "milestones": ("milestones",),
    "milestone_by_id": ("milestones",),
    "decisions": ("decisions",),
    "glossary": ("glossary",),
    "holidays": ("holidays",),
    "calendar": ("holidays",),
    "members": ("members", "identities"),
}
_SPECIAL = ("version", "index", "mod_by_ref", "mod_by_alias")
# kind -> the search segment a row of it is in (kinds in shards have theirs there)
_SEGMENTS: dict[str, Callable[[Any], Hashable]] = {
    "releases": lambda _view: ("releases",),
    "milestones": lambda view: ("milestones", view.release_id),
    "glossary": lambda _view: ("glossary",),
    "sources": lambda _view: ("sources",),
}
_MOD_KINDS = ("modifications",)  # kinds whose row id is a modification id
# Fields whose key order readers see (they iterate them): kept in the order a full build gives.
ORDERED: dict[str, Callable[[Any], Any]] = {
    "mod_by_id": lambda mod: mod.id,
    "mod_by_ref": lambda mod: mod.id,
    "doc_impacts_by_mod": lambda docs: (docs[0].position, docs[0].id),
}


def unclassified_fields() -> set[str]:
    """Snapshot fields a delta would not know how to update (must be empty)."""
    known = {*PER_RELEASE, *PER_MOD, *GLOBAL, *_SPECIAL}
    return {f.name for f in fields(Snapshot)} - known


def _shard_ids(kind: str, view: object) -> tuple[int | None, int | None]:
    mod_id = getattr(view, "id", None) if kind in _MOD_KINDS else getattr(view, "modification_id", None)
    return getattr(view, "release_id", None), mod_id


class Tables:
    """Every row the snapshot is built from: kind (a `StateRows` field) -> row id -> row."""

    def __init__(self, version: int, kinds: Mapping[str, Mapping[int, Row]]) -> None:
        self.version = version
        self.kinds: dict[str, dict[int, Row]] = {kind: dict(rows) for kind, rows in kinds.items()}
        self._by: tuple[dict[str, dict[int, set[int]]], dict[str, dict[int, set[int]]]] = ({}, {})
        for kind, rows in self.kinds.items():
            for row_id, (_key, view) in rows.items():
                release_id, mod_id = _shard_ids(kind, view)
                if release_id is not None:
                    self._by[0].setdefault(kind, {}).setdefault(release_id, set()).add(row_id)
                if mod_id is not None:
                    self._by[1].setdefault(kind, {}).setdefault(mod_id, set()).add(row_id)

    def _group(self, kind: str, row_id: int, view: object, add: bool) -> None:
        for by, shard in zip(self._by, _shard_ids(kind, view), strict=True):
            if shard is None:
                continue
            ids = by.setdefault(kind, {}).setdefault(shard, set())
            if add:
                ids.add(row_id)
            else:
                ids.discard(row_id)

    def put(self, kind: str, row_id: int, row: Row | None) -> object | None:
        """Store a row's new value (None: it is gone); return its old view."""
        rows = self.kinds.setdefault(kind, {})
        old = rows.pop(row_id, None)
        if old is not None:
            self._group(kind, row_id, old[1], add=False)
        if row is not None:
            rows[row_id] = row
            self._group(kind, row_id, row[1], add=True)
        return None if old is None else old[1]

    def rows(
        self,
        kinds: Iterable[str] | None = None,
        release_ids: Iterable[int] | None = None,
        mod_ids: Iterable[int] | None = None,
    ) -> StateRows:
        """The rows of these kinds (all: None), or only those of these releases or modifications."""
        result = StateRows(version=self.version)
        wanted = set(self.kinds if kinds is None else kinds)
        shards = (None if release_ids is None else set(release_ids), None if mod_ids is None else set(mod_ids))
        for kind in wanted:
            table = self.kinds.get(kind, {})
            if shards == (None, None):
                picked = list(table.values())
            else:
                ids: set[int] = set()
                for by, keys in zip(self._by, shards, strict=True):
                    groups = by.get(kind, {})
                    for shard in keys or ():
                        ids |= groups.get(shard, set())
                if kind in _MOD_KINDS:
                    ids |= {i for i in shards[1] or () if i in table}
                picked = [table[i] for i in ids]
            picked.sort(key=lambda row: row[0])
            if isinstance(getattr(result, kind), dict):
                setattr(result, kind, dict(view for _key, view in picked))  # type: ignore[misc]
            else:
                setattr(result, kind, [view for _key, view in picked])
        return result


def _merge(
    old: dict[Any, Any], fresh: dict[Any, Any], gone: Iterable[Any], rank: Callable[[Any], Any] | None = None
) -> dict[Any, Any]:
    """`old` with the keys in `fresh` replaced or added and those in `gone` removed.

    With `rank` (what orders the keys in a full build), a key that is new or ranks anew moves
    to where a full build would put it.
    """
    fresh = {k: v for k, v in fresh.items() if k not in old or (old[k] is not v and old[k] != v)}
    gone = [k for k in gone if k in old]
    if not fresh and not gone:
        return old  # nothing changed: shared with the old snapshot, not copied
    new = dict(old)
    for key in gone:
        new.pop(key, None)
    moving = [k for k, v in fresh.items() if rank is not None and (k not in old or rank(old[k]) != rank(v))]
    for key in moving:
        new.pop(key, None)
    new.update((k, v) for k, v in fresh.items() if k not in moving)
    if not moving or rank is None:
        return new
    late = []  # keys that rank before the last one: they go in the middle
    for key in sorted(moving, key=lambda k: rank(fresh[k])):
        if not new or rank(new[next(reversed(new))]) <= rank(fresh[key]):
            new[key] = fresh[key]  # ranks last: appended, the order stays right
        else:
            late.append(key)
    if not late:
        return new
    keys = list(new)
    for key in late:
        value = rank(fresh[key])
        keys.insert(bisect.bisect_right(keys, value, key=lambda k: rank(new[k])), key)
        new[key] = fresh[key]
    return dict(zip(keys, map(new.__getitem__, keys), strict=True))


def _shards(old: Snapshot, new: Snapshot, mini: Snapshot, names: Iterable[str], keys: set[int]) -> None:
    for name in names:
        built: dict[int, Any] = getattr(mini, name)
        fresh = {k: built[k] for k in keys if k in built}
        setattr(new, name, _merge(getattr(old, name), fresh, keys - fresh.keys(), ORDERED.get(name)))


def apply_delta(
    old: Snapshot, tables: Tables, version: int, changed: Mapping[str, Mapping[int, Row | None]]
) -> Snapshot:
    """The snapshot after these rows changed (kind -> row id -> new row, None: deleted).

    `tables` is updated in place; `old` is not touched.
    """
    releases: set[int] = set()
    mods: set[int] = set()
    kinds: set[str] = set()
    old_mods: list[Any] = []
    segments: set[Hashable] = set()
    tables.version = version
    for kind, rows in changed.items():
        for row_id, row in rows.items():
            before = tables.put(kind, row_id, row)
            after = None if row is None else row[1]
            if before is None and after is None:
                continue
            kinds.add(kind)
            for view in (before, after):
                if view is not None:
                    if kind in _SEGMENTS:
                        segments.add(_SEGMENTS[kind](view))
                    release_id, mod_id = _shard_ids(kind, view)
                    releases.update(() if release_id is None else (release_id,))
                    mods.update(() if mod_id is None else (mod_id,))
            if kind in _MOD_KINDS and before is not None:
                old_mods.append(before)
    new = copy.copy(old)
    new.version = version
    if releases:
        _shards(old, new, build_snapshot(tables.rows(release_ids=releases), index=False), PER_RELEASE, releases)
        segments.update(("release", r) for r in releases)
    if mods:
        mini = build_snapshot(tables.rows(release_ids=(), mod_ids=mods), index=False)
        _shards(old, new, mini, PER_MOD, mods)
        fresh = {mod.ref: mod for mod in mini.mod_by_id.values()}
        stale = {mod.ref for mod in old_mods} | {old.mod_by_id[i].ref for i in mods if i in old.mod_by_id}
        new.mod_by_ref = _merge(old.mod_by_ref, fresh, stale - fresh.keys(), ORDERED["mod_by_ref"])
        if any(getattr(mod, "aliases", ()) for mod in [*old_mods, *mini.mod_by_id.values()]):
            aliases: dict[str, Any] = {}
            for mod in new.mod_by_id.values():
                for alias in mod.aliases:
                    aliases.setdefault(alias, mod)
            new.mod_by_alias = aliases
        segments.update(("mod", m) for m in mods)
    groups = {name for name, needs in GLOBAL.items() if kinds & set(needs)}
    if groups:
        mini = build_snapshot(tables.rows(kinds={k for name in groups for k in GLOBAL[name]}), index=False)
        for name in groups:
            setattr(new, name, getattr(mini, name))
    new.index = old.index.updated({segment: segment_entries(new, segment) for segment in segments})
    return new
