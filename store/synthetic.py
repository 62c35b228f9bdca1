"""A generated store of many releases and modifications, for benchmarks and paging tests.

Bulk Core inserts (one statement per table), so 1,000 x 50 loads in seconds on SQLite.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from domain.calendar import london_to_utc
from store import models as m
from store.db import Database, bump_version

__all__ = ["generate"]

_WORDS = [
    "smart",
    "meter",
    "firmware",
    "alert",
    "service",
    "request",
    "credit",
    "cover",
    "testing",
    "privacy",
    "extract",
    "schedule",
    "tariff",
    "register",
    "display",
    "network",
    "supplier",
    "gateway",
    "inventory",
    "forecasting",
    "maintenance",
    "metrics",
    "security",
]
_DOCS = [
    ("Section A", "Definitions and Interpretation"),
    ("Section H", "DCC Services"),
    ("Appendix O", "SMKI Repository Interface Design Specification"),
    ("Appendix AL", "SMETS1 Transition and Migration Approach Document"),
]


async def generate(
    db: Database, releases: int, mods_per_release: int, seed: int = 7, start_year: int = 2030
) -> list[str]:
    """Insert `releases` releases each with `mods_per_release` new modifications in scope. Returns the slugs."""
    rng = random.Random(seed)
    months = ("february", "june", "november")
    release_rows: list[dict[str, Any]] = []
    slugs = []
    for n in range(releases):
        year, which = start_year + n // 3, months[n % 3]
        slug = f"{which}-{year}" if n < 3 * 400 else f"{which}-{year}-{n}"
        go_live = date(year, (2, 6, 11)[n % 3], 20)
        slugs.append(slug)
        release_rows.append(
            {
                "slug": slug,
                "name": f"{which.capitalize()} {year} SEC Release",
                "go_live": go_live,
                "status": "planning",
                "dcc_system_impacting": rng.random() < 0.5,
                "notes": "",
                "test_strategy": "",
            }
        )
    now = datetime(2029, 1, 1, tzinfo=UTC)  # when the generated history was "recorded": fixed, so runs agree
    async with db.transaction() as session:
        conn = await session.connection()
        base_release = int(await conn.scalar(sa.select(sa.func.coalesce(sa.func.max(m.Release.id), 0))) or 0)
        base_mod = int(await conn.scalar(sa.select(sa.func.coalesce(sa.func.max(m.Modification.id), 0))) or 0)
        await conn.execute(sa.insert(m.Release), release_rows)
        mod_rows, change_rows, doc_rows, ms_rows = [], [], [], []
        number = 1000 + base_mod
        for r in range(releases):
            release_id = base_release + r + 1
            for k in range(mods_per_release):
                number += 1
                mod_id = number - 1000
                title = " ".join(rng.choice(_WORDS) for _ in range(4)).capitalize()
                mod_rows.append(
                    {
                        "id": mod_id,
                        "ref": f"MP{number}",
                        "title": title,
                        "kind": "MP",
                        "aliases": "",
                        "url": "",
                        "summary": f"Proposes to change the {title.lower()}.",
                        "status_note": "",
                        "dcc_impact": k % 2 == 0,
                    }
                )
                state = ("targeted", "approved")[k % 2]
                change_rows.append(
                    {
                        "release_id": release_id,
                        "modification_id": mod_id,
                        "state": state,
                        "effective": date(2029, 1, 1) + timedelta(days=k),
                        "note": "",
                        "reason": "",
                        "actor": "generator",
                        "recorded_at": now,
                    }
                )
                if k % 10 == 0:
                    doc, doc_title = _DOCS[k // 10 % len(_DOCS)]
                    doc_rows.append(
                        {
                            "release_id": release_id,
                            "modification_id": mod_id,
                            "document": doc,
                            "document_title": doc_title,
                            "position": 0,
                        }
                    )
            go_live = release_rows[r]["go_live"]
            ms_rows.append(
                {
                    "key": f"{release_rows[r]['slug']}/go-live",
                    "release_id": release_id,
                    "kind": "go_live",
                    "title": "Release go-live",
                    "due_at": london_to_utc(go_live),
                    "all_day": True,
                    "origin": "stated",
                    "notes": "",
                    "state": "planned",
                }
            )
        await conn.execute(sa.insert(m.Modification), mod_rows)
        await conn.execute(sa.insert(m.ScopeChange), change_rows)
        if doc_rows:
            await conn.execute(sa.insert(m.DocumentImpact), doc_rows)
        await conn.execute(sa.insert(m.Milestone), ms_rows)
        if db.postgres:
            for table in ("modification",):
                await conn.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
        await bump_version(session, db.postgres, now)
    return slugs
