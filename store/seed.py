"""Load the demo data (store/demo/*.yaml, one file per source document) into the store.

Idempotent: a document whose source key is already stored is skipped, so `releasebot seed demo`
can run on every start. Documents load oldest first; scope entries become dated history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from domain.yamlload import safe_load
from store import models as m
from store.db import Database, bump_version
from store.invariants import InvariantBroken, check_scope
from store.paper_loader import PaperLoader, SeedError

__all__ = ["DEMO_DIR", "SeedError", "SeedReport", "load_documents", "seed_demo"]

DEMO_DIR = Path(__file__).parent / "demo"


@dataclass
class SeedReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_documents(folder: Path = DEMO_DIR) -> list[dict[str, Any]]:
    docs = []
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = safe_load(fh) or {}
        if "document" not in data:
            raise SeedError(f"{path.name}: no `document:` section")
        data["_file"] = path.name
        docs.append(data)
    return sorted(docs, key=lambda d: (d["document"].get("issued") or date.min, d["_file"]))


async def seed_demo(db: Database, now: datetime, folder: Path = DEMO_DIR) -> SeedReport:
    """Load every document not loaded yet; `now` is when the facts are recorded (the clock's now)."""
    report = SeedReport()
    for doc in load_documents(folder):
        key = doc["document"]["key"]
        async with db.transaction() as session:
            exists = (await session.exec(select(m.Source).where(m.Source.key == key))).first()
            if exists:
                report.skipped.append(key)
                continue
            loader = PaperLoader(session, doc, now)
            await loader.run()
            try:  # a file that breaks an invariant of the record is refused whole
                await check_scope(session, doc["_file"], loader.source.id)
            except InvariantBroken as broken:
                raise SeedError(str(broken)) from None
            await bump_version(session, db.postgres, now)
        report.loaded.append(key)
    return report
