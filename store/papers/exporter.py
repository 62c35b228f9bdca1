"""Exporting the whole release record as papers in the store/demo/FORMAT.md format.

The export is a YAML stream with one paper per source document, in the order the loader reads
them, each holding what that document stated (its scope entries, RID content, decisions,
milestones, glossary terms, phases), so importing it into an empty store gives the same
history and exporting again gives the same bytes. What was entered in chat (no source
document) goes into one more paper, `releasebot-record`. A release or modification is written
in full in the first paper that needs it and by its slug or ref (with what that paper says of
it) after; one-off holidays go in the first paper, members in the last.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
import yaml
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import LONDON, local_date
from store import models as m
from store.papers.tables import RECORD_TABLES

__all__ = ["RECORD_KEY", "export_text"]

RECORD_KEY = "releasebot-record"
_HEADER = "# The release record exported by releasebot: one paper per YAML document (store/demo/FORMAT.md).\n"
_CONTENT = ("participantimpact", "impactsummary", "documentimpact", "cost", "acceptancecriterion")

Row = dict[str, Any]


@dataclass
class _Doc:
    key: str
    source: Row | None
    issued: date | None
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    releases: list[int] = field(default_factory=list)  # ids it refers to, in order of first mention
    mods: list[int] = field(default_factory=list)

    def refer(self, kind: str, row_id: int | None) -> None:
        seen = self.releases if kind == "release" else self.mods
        if row_id is not None and row_id not in seen:
            seen.append(row_id)


async def _read(session: AsyncSession) -> dict[str, list[Row]]:
    conn = await session.connection()
    out: dict[str, list[Row]] = {}
    for model in RECORD_TABLES:
        table = m.table_of(model)
        rows = (await conn.execute(sa.select(table).order_by(table.c.id))).mappings()
        out[table.name] = [dict(r) for r in rows if r.get("retracted_at") is None]
    return out


def _papers(data: dict[str, list[Row]]) -> list[_Doc]:
    """One paper per source (the record paper for what has none), in the loader's order."""
    docs: dict[int | None, _Doc] = {}
    for src in data["source"]:
        docs[src["id"]] = _Doc(src["key"], src, src["issued"])
    record = next((d for d in docs.values() if d.key == RECORD_KEY), None)
    stray: list[tuple[str, Row]] = [
        (table, row) for table, rows in data.items() if table != "source" for row in rows if _sourced(table, row)
    ]
    if not docs or any(row.get("source_id") is None for _, row in stray):  # an empty store: one empty paper
        if record is None:
            dates = [r.get("effective") for t, r in stray if r.get("source_id") is None and t in _CONTENT]
            record = _Doc(RECORD_KEY, None, max((d for d in dates if d is not None), default=None))
        docs[None] = record
    for table, row in stray:
        docs[row.get("source_id")].rows[table].append(row)
    return sorted(docs.values(), key=lambda d: (d.issued or date.min, d.source["id"] if d.source else 1 << 62))


def _sourced(table: str, row: Row) -> bool:
    return "source_id" in row


def _day(instant: Any) -> date:
    return local_date(instant)


def export_docs(data: dict[str, list[Row]]) -> list[dict[str, Any]]:
    docs = _papers(data)
    rel = {r["id"]: r for r in data["release"]}
    mod = {r["id"]: r for r in data["modification"]}
    stones = {r["id"]: r for r in data["milestone"]}
    for d in docs:
        if d.key == RECORD_KEY:
            _restate(d, data)
        _mentions(d)
    phase_docs: dict[int, list[_Doc]] = defaultdict(list)
    for d in docs:
        for row in d.rows["phasechange"]:
            phase_docs[row["modification_id"]].append(d)
    record = next((d for d in docs if d.key == RECORD_KEY), None)
    for mod_id, row in mod.items():  # a phase no paper gave (set in chat) is stated by the record paper
        last = phase_docs[mod_id][-1].rows["phasechange"] if phase_docs[mod_id] else []
        given = [p["phase"] for p in last if p["modification_id"] == mod_id]
        if row["phase"] is not None and given[-1:] != [row["phase"]]:
            if record is None:
                record = _Doc(RECORD_KEY, None, docs[-1].issued)
                docs.append(record)
            record.rows["phasechange"].append({"modification_id": mod_id, "phase": row["phase"]})
            phase_docs[mod_id].append(record)
    status_doc = {mod_id: _status_doc(docs, row) for mod_id, row in mod.items() if row["status_note"]}
    first_rel = _first(docs, list(rel), "release", {})
    first_mod = _first(docs, list(mod), "mod", status_doc)
    out = []
    for n, d in enumerate(docs):
        paper: dict[str, Any] = {"document": _document(d)}
        if n == 0 and data["holiday"]:
            paper["holidays"] = [{"date": h["day"], "name": h["name"]} for h in data["holiday"]]
        mods = [i for i in mod if first_mod[i] is d or status_doc.get(i) is d or d in phase_docs[i]]
        if mods:
            paper["modifications"] = [_modification(mod[i], d, first_mod[i] is d, status_doc.get(i) is d) for i in mods]
        releases = [i for i in rel if first_rel[i] is d or i in d.releases]
        if releases:
            paper["releases"] = [_release(rel[i], d, first_rel[i] is d, rel, mod) for i in releases]
        top = [r for r in d.rows["documentimpact"] if r["release_id"] is None]
        if top:
            paper["document_impacts"] = _document_impacts(top, mod)
        if d.rows["decision"]:
            paper["decisions"] = [_decision(r, rel, mod) for r in d.rows["decision"]]
        if d.rows["milestone"]:
            paper["milestones"] = [_milestone(r, rel, mod, stones) for r in d.rows["milestone"]]
        if d.rows["glossaryterm"]:
            paper["glossary"] = [
                {"term": g["term"], "meaning": g["meaning"], "kind": g["kind"]} for g in d.rows["glossaryterm"]
            ]
        if n == len(docs) - 1 and data["member"]:
            paper["members"] = _members(data)
        out.append(paper)
    return out


def _restate(record: _Doc, data: dict[str, list[Row]]) -> None:
    """RID content entered in chat is added to what is in force, but a paper that states a kind
    of content replaces it: so the record paper states the whole of each kind chat added to."""
    for table in _CONTENT:
        touched = {r["release_id"] for r in record.rows[table] if r["source_id"] is None and r["release_id"]}
        if not touched:
            continue
        kept = [r for r in record.rows[table] if r["release_id"] not in touched]
        in_force = [r for r in data[table] if r["release_id"] in touched and r["until"] is None]
        record.rows[table] = kept + sorted(in_force, key=lambda r: (r["release_id"], r["position"], r["id"]))


def _mentions(d: _Doc) -> None:
    for row in d.rows["scopechange"]:
        d.refer("release", row["release_id"])
        d.refer("release", row["moved_to_release_id"])
        d.refer("mod", row["modification_id"])
    for table in _CONTENT:
        for row in d.rows[table]:
            d.refer("release", row.get("release_id"))
            d.refer("mod", row.get("modification_id"))
    for row in d.rows["ridversion"]:
        d.refer("release", row["release_id"])
    for table in ("decision", "milestone"):
        for row in d.rows[table]:
            d.refer("release", row["release_id"])
            d.refer("mod", row["modification_id"])


def _first(docs: list[_Doc], ids: list[int], kind: str, status: dict[int, _Doc]) -> dict[int, _Doc]:
    """The first paper that needs each release or modification (it is written in full there)."""
    found: dict[int, _Doc] = {}
    for d in docs:
        needs = d.releases if kind == "release" else [*d.mods, *(p["modification_id"] for p in d.rows["phasechange"])]
        for i in [*needs, *(i for i, s in status.items() if s is d)]:
            found.setdefault(i, d)
    return {i: found.get(i, docs[-1]) for i in ids}


def _status_doc(docs: list[_Doc], row: Row) -> _Doc:
    """The paper that gave the status note: the last one issued on its date (else the last one)."""
    dated = [d for d in docs if d.issued == row["status_date"]]
    return dated[-1] if dated else docs[-1]


def _document(d: _Doc) -> dict[str, Any]:
    src = d.source or {"title": "What was recorded in releasebot", "author": "releasebot", "seed": ""}
    out: dict[str, Any] = {"key": d.key, "title": src["title"], "issued": d.issued}
    for name in ("author", "seed"):
        if src[name]:
            out[name] = src[name]
    return out


def _modification(row: Row, d: _Doc, full: bool, status: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"ref": row["ref"]}
    if full:
        out["title"] = row["title"]
        out["kind"] = row["kind"]
        if row["aliases"]:
            out["aliases"] = row["aliases"].split()
        for name in ("url", "summary", "path", "working_group", "dcc_impact"):
            if row[name] not in (None, ""):
                out[name] = row[name]
    phases = [p["phase"] for p in d.rows["phasechange"] if p["modification_id"] == row["id"]]
    if phases:
        out["phase"] = phases[-1]
    if status:
        out["status_note"] = row["status_note"]
    return out


def _release(row: Row, d: _Doc, full: bool, rel: dict[int, Row], mod: dict[int, Row]) -> dict[str, Any]:
    out: dict[str, Any] = {"slug": row["slug"]}
    if full:
        out.update(name=row["name"], go_live=row["go_live"], status=row["status"])
        out["dcc_system_impacting"] = row["dcc_system_impacting"]
        for name in ("notes", "test_strategy"):
            if row[name]:
                out[name] = row[name]
    mine = {
        t: [r for r in d.rows[t] if r.get("release_id") == row["id"]] for t in (*_CONTENT, "scopechange", "ridversion")
    }
    if mine["scopechange"]:
        out["scope"] = [_scope(r, d, rel, mod) for r in mine["scopechange"]]
    if mine["participantimpact"]:
        ticks = sorted(mine["participantimpact"], key=lambda r: (r["position"], r["id"]))
        parties = list(dict.fromkeys(r["party"] for r in ticks))
        rows: dict[str, list[str]] = {}
        for r in sorted(mine["participantimpact"], key=lambda r: r["id"]):
            rows.setdefault(mod[r["modification_id"]]["ref"], [])
        for r in ticks:
            rows[mod[r["modification_id"]]["ref"]].append(r["party"])
        out["participant_impacts"] = {"parties": parties, "rows": rows}
    if mine["impactsummary"]:
        out["impact_summaries"] = [
            {"audience": r["audience"], "area": r["area"], "text": r["text"]}
            | ({"ref": mod[r["modification_id"]]["ref"]} if r["modification_id"] is not None else {})
            for r in sorted(mine["impactsummary"], key=lambda r: (r["position"], r["id"]))
        ]
    if mine["documentimpact"]:
        out["document_impacts"] = _document_impacts(mine["documentimpact"], mod)
    if mine["cost"]:
        out["costs"] = [_cost(r, mod) for r in sorted(mine["cost"], key=lambda r: (r["position"], r["id"]))]
    if mine["acceptancecriterion"]:
        out["acceptance_criteria"] = [
            {"number": r["number"], "kind": r["kind"], "text": r["text"]}
            for r in sorted(mine["acceptancecriterion"], key=lambda r: (r["number"], r["id"]))
        ]
    if mine["ridversion"]:
        out["rid_versions"] = [
            {"version": r["version"], "issued": r["issued"], "changes": r["changes"]} for r in mine["ridversion"]
        ]
    return out


def _scope(row: Row, d: _Doc, rel: dict[int, Row], mod: dict[int, Row]) -> dict[str, Any]:
    out: dict[str, Any] = {"ref": mod[row["modification_id"]]["ref"], "state": row["state"]}
    if row["moved_to_release_id"] is not None:
        out["to"] = rel[row["moved_to_release_id"]]["slug"]
    for name in ("note", "reason", "by_exception"):
        if row[name]:
            out[name] = row[name]
    if row["precision"] == "month":
        out["effective"] = f"{row['effective']:%Y-%m}"
    elif row["effective"] != d.issued:
        out["effective"] = row["effective"]
    return out


def _document_impacts(rows: list[Row], mod: dict[int, Row]) -> list[dict[str, Any]]:
    groups: dict[tuple[int, str, str], list[str]] = {}
    for r in sorted(rows, key=lambda r: (r["position"], r["id"])):
        groups.setdefault((r["position"], r["document"], r["document_title"]), []).append(
            mod[r["modification_id"]]["ref"]
        )
    out = []
    for (_, document, title), refs in groups.items():
        item: dict[str, Any] = {"document": document}
        if title:
            item["title"] = title
        item["refs"] = refs
        out.append(item)
    return out


def _cost(row: Row, mod: dict[int, Row]) -> dict[str, Any]:
    effort = row["effort_days"]
    if isinstance(effort, float) and effort.is_integer():
        effort = int(effort)
    out: dict[str, Any] = {
        "payer": row["payer"],
        "category": row["category"],
        "amount_gbp": row["amount_gbp"],
        "effort_days": effort,
    }
    if row["modification_id"] is not None:
        out["ref"] = mod[row["modification_id"]]["ref"]
    if row["note"]:
        out["note"] = row["note"]
    return out


def _decision(row: Row, rel: dict[int, Row], mod: dict[int, Row]) -> dict[str, Any]:
    out: dict[str, Any] = {"date": row["decided_on"]}
    if row["body"]:
        out["body"] = row["body"]
    if row["modification_id"] is not None:
        out["subject"] = mod[row["modification_id"]]["ref"]
        if row["release_id"] is not None:
            out["release"] = rel[row["release_id"]]["slug"]
    else:
        out["subject"] = rel[row["release_id"]]["slug"] if row["release_id"] is not None else None
    out["outcome"] = row["outcome"]
    if row["text"]:
        out["text"] = row["text"]
    return out


def _milestone(row: Row, rel: dict[int, Row], mod: dict[int, Row], stones: dict[int, Row]) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row["key"]}
    if row["release_id"] is not None:
        out["release"] = rel[row["release_id"]]["slug"]
    if row["modification_id"] is not None:
        out["ref"] = mod[row["modification_id"]]["ref"]
    out.update(kind=row["kind"], title=row["title"], date=_day(row["due_at"]))
    if row["precision"] == "month":
        out["date"] = f"{out['date']:%Y-%m}"
    if not row["all_day"]:
        out["time"] = f"{row['due_at'].astimezone(LONDON):%H:%M}"
    if row["derived_from_id"] is not None and row["derived_from_id"] in stones:
        out["derived"] = {"from": stones[row["derived_from_id"]]["key"], "working_days": row["offset_wd"] or 0}
    if row["notes"]:
        out["notes"] = row["notes"]
    if row["state"] != "planned":
        out["state"] = row["state"]
    return out


def _members(data: dict[str, list[Row]]) -> list[dict[str, Any]]:
    out = []
    for member in data["member"]:
        ids = [
            {"platform": i["platform"], "user_id": i["user_id"]}
            for i in data["memberidentity"]
            if i["member_id"] == member["id"]
        ]
        item: dict[str, Any] = {"name": member["name"], "role": member["role"]}
        if ids:
            item["identities"] = ids
        out.append(item)
    return out


async def export_text(session: AsyncSession) -> str:
    """The whole release record as one YAML stream (deterministic: same state, same bytes)."""
    docs = export_docs(await _read(session))
    body = yaml.safe_dump_all(docs, explicit_start=True, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body
