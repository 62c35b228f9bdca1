"""The words a sentence can be read with, built from the state itself (a `Snapshot`) and the lexicon.

Release names and months, modification refs and titles, milestone kinds and their everyday names,
SEC document codes and titles, glossary terms, party categories, working groups and the papers'
authors: a new release or term is understood as soon as it is in the store, with no list to keep.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from commands.interpret.lexicon import Lexicon, Phrase
from commands.interpret.text import phrase_words, split_words
from domain.snapshot import Snapshot
from domain.words import MONTHS

__all__ = ["ReleaseInfo", "Sense", "Vocabulary", "VocabularyCache", "build_vocabulary"]

LONDON = ZoneInfo("Europe/London")
_TITLE_STOP = frozenset({"the", "and", "for", "with", "from", "into", "via", "sec"})
_TITLE_DF_SHARE = 200  # a title word names a modification only if at most 1 in 200 titles (or 5) use it


@dataclass(frozen=True, slots=True)
class Sense:
    """One thing a phrase can mean: a `type` (release, mod, kind, document, term, party, person, group,
    cue, aspect), its value (slug, ref, kind, intent...), a label for the explanation, and a weight."""

    type: str
    value: str
    label: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    slug: str
    name: str
    go_live: date


@dataclass
class Vocabulary:
    """Phrase table and indexes for one state version; read-only once built."""

    version: int
    lexicon: Lexicon
    phrases: dict[Phrase, tuple[Sense, ...]] = field(default_factory=dict)
    max_phrase: int = 1
    known: frozenset[str] = frozenset()
    spellings: tuple[str, ...] = ()
    releases: dict[str, ReleaseInfo] = field(default_factory=dict)
    by_month: dict[int, list[ReleaseInfo]] = field(default_factory=dict)
    by_go_live: list[ReleaseInfo] = field(default_factory=list)
    kind_dates: dict[str, list[tuple[date, str | None]]] = field(default_factory=dict)
    mods: dict[str, str] = field(default_factory=dict)
    mod_alias: dict[str, str] = field(default_factory=dict)
    title_words: dict[str, frozenset[str]] = field(default_factory=dict)
    title_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)

    def mod_ref(self, ref: str) -> str | None:
        """The stored ref for a ref or one of its aliases (`MP144` -> `DP144`)."""
        return ref if ref in self.mods else self.mod_alias.get(ref)

    def next_release(self, today: date, month: int | None = None) -> ReleaseInfo | None:
        """The first release going live on or after today (in `month` if given), else the latest before."""
        pool = self.by_month.get(month, []) if month is not None else self.by_go_live
        upcoming = [r for r in pool if r.go_live >= today]
        return upcoming[0] if upcoming else (pool[-1] if pool else None)

    def last_release(self, today: date) -> ReleaseInfo | None:
        past = [r for r in self.by_go_live if r.go_live < today]
        return past[-1] if past else None


def _add(table: dict[Phrase, list[Sense]], phrase: Phrase, sense: Sense) -> None:
    if phrase and sense not in (senses := table.setdefault(phrase, [])):
        senses.append(sense)


def _documents(snap: Snapshot, table: dict[Phrase, list[Sense]]) -> None:
    titles: dict[str, str] = {}
    for impacts in snap.doc_impacts_by_mod.values():
        for d in impacts:
            if d.document_title or d.document not in titles:
                titles[d.document] = d.document_title
    for doc, title in titles.items():
        sense = Sense("document", doc, f"{doc} {title}".strip())
        _add(table, split_words(doc.lower()), sense)
        if title:
            _add(table, split_words(title.lower()), sense)


def _terms(snap: Snapshot, table: dict[Phrase, list[Sense]], filler: frozenset[str]) -> None:
    for g in snap.glossary.values():
        words = split_words(g.term.lower())
        _add(table, words, Sense("term", g.term, g.term))
        for cut in range(1, len(words) - 1):  # "appeal window" still finds "RID appeal window"
            tail = words[cut:]
            if tail[0] not in filler and all(w.isalpha() for w in tail):
                _add(table, tail, Sense("term", g.term, g.term, 0.85))


def _people_parties_groups(snap: Snapshot, table: dict[Phrase, list[Sense]]) -> None:
    for src in snap.sources.values():
        name = src.author.partition(",")[0]
        if len(name.split()) >= 2:
            _add(table, split_words(name.lower()), Sense("person", name.strip(), src.author.strip()))
    parties = {p for order in snap.party_order.values() for p in order}
    parties.update(area for summaries in snap.impact_summaries.values() for _, area, _ in summaries)
    for party in parties:
        _add(table, split_words(party.lower()), Sense("party", party, party))
    for mod in snap.mod_by_id.values():
        group = mod.working_group
        if group and group.upper().startswith("WG") and group[2:].isdecimal():
            sense = Sense("group", group, f"Working Group {group[2:]}")
            _add(table, (group.lower(),), sense)
            _add(table, ("working", "group", group[2:]), sense)
            _add(table, ("wg", group[2:]), sense)


def _titles(snap: Snapshot, vocab: Vocabulary) -> set[str]:
    words_of: dict[str, frozenset[str]] = {}
    df: Counter[str] = Counter()
    for mod in snap.mod_by_id.values():
        vocab.mods[mod.ref] = mod.title
        for alias in mod.aliases:
            vocab.mod_alias.setdefault(alias, mod.ref)
        words = frozenset(
            w for w in split_words(mod.title.lower()) if len(w) >= 3 and w not in _TITLE_STOP and not w.isdecimal()
        )
        words_of[mod.ref] = words
        df.update(words)
    limit = max(5, len(words_of) // _TITLE_DF_SHARE)
    index: dict[str, list[str]] = {}
    for ref, words in words_of.items():
        for w in words:
            if df[w] <= limit:
                index.setdefault(w, []).append(ref)
    vocab.title_index = {w: tuple(refs) for w, refs in index.items()}
    vocab.title_words = {ref: words for ref, words in words_of.items() if any(w in vocab.title_index for w in words)}
    total = max(1, len(words_of))
    vocab.idf = {w: math.log(1 + total / df[w]) for w in df}
    return set(df)


def _inherit_cues(table: dict[Phrase, list[Sense]]) -> None:
    """A cue phrase also asks what its shorter cue phrases ask: "what is due" keeps the "due" of dates."""
    cues = {phrase: [s for s in senses if s.type == "cue"] for phrase, senses in table.items()}
    for phrase, own in cues.items():
        if len(phrase) < 2 or not own:
            continue
        present = {s.value for s in own}
        for size in range(len(phrase) - 1, 0, -1):
            for start in range(len(phrase) - size + 1):
                for sense in cues.get(phrase[start : start + size], []):
                    if sense.value not in present:
                        present.add(sense.value)
                        table[phrase].append(sense)


def build_vocabulary(snap: Snapshot, lexicon: Lexicon) -> Vocabulary:
    """Everything the reader matches against, from one snapshot."""
    vocab = Vocabulary(version=snap.version, lexicon=lexicon)
    table: dict[Phrase, list[Sense]] = {}
    for phrase, kind in lexicon.kinds.items():
        _add(table, phrase, Sense("kind", kind, lexicon.kind_names.get(kind, kind.replace("_", " "))))
    for phrase, intents in lexicon.cues.items():
        for intent, weight in intents.items():
            _add(table, phrase, Sense("cue", intent, " ".join(phrase), weight))
    for phrase, aspect in lexicon.aspects.items():
        _add(table, phrase, Sense("aspect", aspect, aspect))
    _documents(snap, table)
    _terms(snap, table, lexicon.filler)
    _people_parties_groups(snap, table)
    _inherit_cues(table)
    vocab.phrases = {phrase: tuple(senses) for phrase, senses in table.items()}
    vocab.max_phrase = max((len(p) for p in vocab.phrases), default=1)
    for rel in snap.releases:
        info = ReleaseInfo(rel.slug, rel.name, rel.go_live)
        vocab.releases[rel.slug] = info
        vocab.by_go_live.append(info)
        vocab.by_month.setdefault(rel.go_live.month, []).append(info)
    vocab.by_go_live.sort(key=lambda r: r.go_live)
    for infos in vocab.by_month.values():
        infos.sort(key=lambda r: r.go_live)
    for ms in snap.milestones:
        if ms.state != "cancelled":
            owner = snap.release_by_id.get(ms.release_id) if ms.release_id is not None else None
            vocab.kind_dates.setdefault(ms.kind, []).append(
                (ms.due_at.astimezone(LONDON).date(), owner.slug if owner else None)
            )
    for dates in vocab.kind_dates.values():
        dates.sort(key=lambda pair: pair[0])
    title_words = _titles(snap, vocab)
    known = set(lexicon.words) | title_words | set(MONTHS) | {m[:3] for m in MONTHS}
    for phrase in vocab.phrases:
        known.update(phrase)
    for info in vocab.by_go_live[:5000]:
        known.update(phrase_words(info.name.lower()))
    vocab.known = frozenset(known)
    vocab.spellings = tuple(sorted(w for w in known if len(w) >= 4 and w.isalpha()))
    return vocab


class VocabularyCache:
    """The vocabulary of the latest snapshot asked about; a new state version builds a new one.

    Building walks every modification (about 0.2 s for 50,000), so it is done once per version,
    not per question. One instance serves a process (`answer_sentence` takes it as an argument).
    """

    def __init__(self) -> None:
        self._key: tuple[int, int, int] | None = None
        self._vocab: Vocabulary | None = None

    def get(self, snap: Snapshot, lexicon: Lexicon) -> Vocabulary:
        key = (id(snap), snap.version, id(lexicon))
        if self._vocab is None or key != self._key:
            self._vocab = build_vocabulary(snap, lexicon)
            self._key = key
        return self._vocab
