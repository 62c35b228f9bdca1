"""'Did you mean ...': close matches for a release, a modification, a word or a term."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date

from commands import messages
from commands.language import ModShow, ReleaseCommand, ScopeChange
from domain.reply import Block, Note, Paragraph, Reply, code, spans
from domain.snapshot import Snapshot
from domain.views import ModView, ReleaseView
from domain.words import MONTHS, ref_variants

__all__ = ["close_words", "error_reply", "mod_or_error", "nearest_releases", "release_or_error"]


def close_words(word: str, options: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word.lower(), list(options), n=n, cutoff=0.6)


def _slug_month(slug: str) -> date | None:
    name, _, year = slug.partition("-")
    if name in MONTHS and year.isdecimal() and len(year) == 4:
        return date(int(year), MONTHS.index(name) + 1, 1)
    return None


def nearest_releases(snap: Snapshot, slug: str, n: int = 2) -> list[str]:
    """Releases whose slug looks alike, else the ones closest in time to the month asked for."""
    alike = close_words(slug, snap.release_by_slug, n)
    if alike:
        return alike
    month = _slug_month(slug)
    if month is None or not snap.releases:
        return []
    by_distance = sorted(snap.releases, key=lambda r: abs((r.go_live - month).days))
    return [r.slug for r in by_distance[:n]]


def error_reply(cmd_text: str, message: str, suggestions: Sequence[str] = (), usage: str | None = None) -> Reply:
    blocks: list[Block] = [
        Paragraph(spans(message + (" " + messages.did_you_mean(suggestions) if suggestions else "")))
    ]
    if usage:
        blocks.append(Note(spans("Try ", code(usage), " or ", code("/release help"), ".")))
    return Reply("Sorry", tuple(blocks), command=cmd_text, kind="error")


def release_or_error(cmd: ReleaseCommand, snap: Snapshot) -> ReleaseView | Reply:
    rel = snap.release(cmd.slug)
    if rel is not None:
        return rel
    return error_reply(cmd.text, messages.unknown_release(cmd.slug), nearest_releases(snap, cmd.slug), usage="/release")


def _similar_refs(snap: Snapshot, ref: str) -> list[str]:
    variants = [v for v in ref_variants(ref) if snap.mod(v)]
    if variants:
        return [snap.mod(v).ref for v in variants]  # type: ignore[union-attr]
    digits = "".join(ch for ch in ref if ch.isdigit()).lstrip("0")
    pool = [r for r in snap.mod_by_ref if digits and digits in r] or list(snap.mod_by_ref)
    if len(pool) > 5000:
        pool = pool[:5000]
    return difflib.get_close_matches(ref, pool, n=3, cutoff=0.6)


def mod_or_error(cmd: ModShow | ScopeChange, snap: Snapshot) -> ModView | Reply:
    mod = snap.mod(cmd.ref)
    if mod is not None:
        return mod
    return error_reply(cmd.text, messages.unknown_mod(cmd.ref), _similar_refs(snap, cmd.ref), usage="/mod find <words>")
