"""A sentence -> readings (a command each), scored, and whether the best is sure enough to answer.

Every reading in intents.py is tried: its slots are filled from what the sentence mentions, and
its confidence is the product of three plain numbers, so the explanation can show them:
  cue        how strongly the words ask for it (its strongest cue, +0.1 for each further one)
  entities   how surely the release, ref, date... it needs were read (1 exact, less inferred)
  coverage   the share of the sentence's meaningful words that the reading used
A reading is answered when it reaches SURE and leads the next by MARGIN; otherwise the two best
are offered. Deterministic: the same sentence and state give the same readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commands.interpret.intents import ENTITY_CUES, INTENT_SPECS, TOPIC_TYPES, IntentSpec
from commands.interpret.mentions import TITLE_HOW, Mention, Sentence, read_mentions
from commands.interpret.vocabulary import Sense, Vocabulary

__all__ = ["MARGIN", "SURE", "Interpretation", "Part", "Reading", "read_sentence"]

SURE = 0.5
MARGIN = 0.15
_FLOOR = 0.12  # readings below this are not worth offering
_DATE_PREPS = {
    "release.changes": ("since", "after", "from", ""),
    "cross.decisions": ("since", "after", "from", ""),
    "release.scope": ("as of", "on", ""),
    "workdays.check": ("on", ""),
}
_CONTEXT = ("term", "party", "document", "group")
_MINUS = frozenset({"before", "earlier", "minus", "ago", "back"})


@dataclass(frozen=True)
class Part:
    """How some words were read: the words, what they were taken as, and why."""

    words: str
    meaning: str
    how: str


@dataclass(frozen=True)
class Reading:
    command: str
    intent: str
    confidence: float
    parts: tuple[Part, ...]
    unused: tuple[str, ...]
    factors: tuple[float, float, float]  # cue, entities, coverage


@dataclass(frozen=True)
class Interpretation:
    """The readings of a sentence, best first; `sure` when the best may be answered without asking."""

    sentence: str
    readings: tuple[Reading, ...]
    sure: bool
    corrections: tuple[tuple[str, str], ...] = ()
    asks_change: bool = False

    @property
    def best(self) -> Reading | None:
        return self.readings[0] if self.readings else None

    @property
    def alternatives(self) -> tuple[Reading, ...]:
        """The two best readings, when the best is not sure enough to answer alone."""
        return () if self.sure else self.readings[:2]


@dataclass
class _Fill:
    slots: dict[str, Sense]
    used: list[Mention]
    parts: list[Part]
    quality: float


def _senses(m: Mention, *types: str) -> list[Sense]:
    return [s for s in m.senses if s.type in types]


def _first(
    sentence: Sentence, taken: list[Mention], *types: str, preps: tuple[str, ...] | None = None
) -> tuple[Mention, Sense] | None:
    pool = [
        m for m in sentence.mentions if m not in taken and _senses(m, *types) and (preps is None or m.prep in preps)
    ]
    if not pool:
        return None
    best = max(pool, key=lambda m: m.quality)
    return best, _senses(best, *types)[0]


def _resolve_release(sentence: Sentence, vocab: Vocabulary, today: date) -> tuple[Mention, Sense, float, str] | None:
    """No release named: the one with the next milestone of the kind asked about ("the next go/no-go")."""
    for m in sentence.mentions:
        for kind in _senses(m, "kind"):
            for when, slug in vocab.kind_dates.get(kind.value, []):
                if when >= today and slug in vocab.releases:
                    info = vocab.releases[slug]
                    how = f"the release with the next {kind.label} ({when:%a %d %b %Y})"
                    return m, Sense("release", slug, info.name), 0.9 if m.next else 0.75, how
    return None


def _topic(spec: IntentSpec, sentence: Sentence, fill: _Fill, cues: list[Mention]) -> tuple[Sense, list[int]] | None:
    for kind in TOPIC_TYPES.get(spec.name, ()):
        got = _first(sentence, fill.used, kind)
        if got is not None:
            mention, sense = got
            fill.used.append(mention)
            fill.parts.append(Part(mention.typed, f"{sense.type}: {sense.label}", mention.how))
            return sense, list(mention.tokens)
    if spec.name not in ("find", "glossary") or not cues:
        return None
    titles_are_words = spec.name == "find"  # "anything about credit cover": a search for the words themselves
    entity = {
        k for m in sentence.mentions for k in m.tokens
        if any(s.type not in ("cue", "aspect") for s in m.senses) and not (titles_are_words and m.how == TITLE_HOW)
    }  # fmt: skip
    cue_tokens = {k for m in sentence.mentions if any(s.type == "cue" for s in m.senses) for k in m.tokens}
    left = [k for k in sorted(sentence.content) if k not in entity and k not in cue_tokens]
    if not left:
        return None
    words = " ".join(sentence.tokens[k].typed for k in left if sentence.tokens[k].typed)
    if not words:
        return None
    fill.parts.append(Part(words, f"the words to look up: {words}", "what is left of the sentence"))
    fill.quality *= 0.6
    return Sense("words", words, words), left


def _fill(
    spec: IntentSpec, sentence: Sentence, vocab: Vocabulary, today: date, cues: list[Mention]
) -> tuple[_Fill, set[int]] | None:
    fill = _Fill({}, [], [], 1.0)
    extra: set[int] = set()
    for slot in (*spec.needs, *spec.uses):
        needed = slot in spec.needs
        got: tuple[Mention, Sense] | None = None
        if slot == "topic":
            topic = _topic(spec, sentence, fill, cues)
            if topic is None and needed:
                return None
            if topic is not None:
                fill.slots["topic"] = topic[0]
                extra.update(topic[1])
            continue
        if slot == "context":  # what the answer shows anyway (a modification's documents, parties, deciding bodies)
            for m in sentence.mentions:
                if m not in fill.used and _senses(m, *_CONTEXT):
                    fill.used.append(m)
                    fill.parts.append(
                        Part(m.typed, f"context: {_senses(m, *_CONTEXT)[0].label}", "shown in the answer")
                    )
            continue
        if slot in ("date", "date2"):
            got = _first(sentence, fill.used, "date", preps=_DATE_PREPS.get(spec.name))
        elif slot == "window":
            got = _first(sentence, fill.used, "period", "wd")
        else:
            got = _first(sentence, fill.used, slot)
        if got is None and slot == "release" and needed:
            resolved = _resolve_release(sentence, vocab, today)
            if resolved is not None:
                mention, sense, quality, how = resolved
                fill.slots["release"] = sense
                fill.used.append(mention)
                fill.parts.append(Part(mention.typed, f"release: {sense.label}", how))
                fill.quality *= quality
                continue
        if got is None:
            if needed:
                return None
            continue
        mention, sense = got
        fill.slots[slot] = sense
        fill.used.append(mention)
        fill.parts.append(Part(mention.typed, f"{'date' if slot == 'date2' else slot}: {sense.label}", mention.how))
        if needed:
            fill.quality *= mention.quality
    if spec.name == "workdays.add" and any(t.norm in _MINUS for t in sentence.tokens):
        fill.slots["direction"] = Sense("direction", "-", "before")
    return fill, extra


def _score(spec: IntentSpec, sentence: Sentence, vocab: Vocabulary, today: date) -> Reading | None:
    cues = [m for m in sentence.mentions if any(s.type == "cue" and s.value == spec.name for s in m.senses)]
    filled = _fill(spec, sentence, vocab, today, cues)
    if filled is None:
        return None
    fill, extra = filled
    weights: list[float] = []
    parts = list(fill.parts)
    for m in cues:
        weight = max(s.weight for s in m.senses if s.type == "cue" and s.value == spec.name) * m.quality
        weights.append(weight)
        parts.append(Part(m.typed, f"asks for {spec.what}", f"cue words ({weight:.1f})"))
    for m in fill.used:
        for s in m.senses:
            entity = ENTITY_CUES.get((s.type, m.prep), {}).get(spec.name) or ENTITY_CUES.get((s.type, ""), {}).get(
                spec.name
            )
            if entity:
                weights.append(entity)
                break
    implicit = spec.implicit if spec.needs else 0.0
    if not weights and not implicit:
        return None
    ordered = sorted(weights, reverse=True)
    cue = min(1.0, max([implicit, *ordered[:1]]) + 0.1 * len(ordered[1:]))
    used = {k for m in (*fill.used, *cues) for k in m.tokens} | extra
    content = sentence.content
    coverage = len(used & content) / len(content) if content else 1.0
    confidence = round(cue * fill.quality * coverage, 2)
    unused = tuple(sentence.tokens[k].typed for k in sorted(content - used) if sentence.tokens[k].typed)
    return Reading(
        spec.build(fill.slots),
        spec.name,
        confidence,
        tuple(parts),
        unused,
        (round(cue, 2), round(fill.quality, 2), round(coverage, 2)),
    )


def _asks_change(sentence: Sentence, vocab: Vocabulary) -> bool:
    if not sentence.tokens or sentence.tokens[0].norm not in vocab.lexicon.change_verbs:
        return False
    return not any(0 in m.tokens and any(s.type != "cue" for s in m.senses) for m in sentence.mentions)


def read_sentence(text: str, vocab: Vocabulary, today: date) -> Interpretation:
    """Every reading of `text` worth offering, best first, and whether the best is sure."""
    sentence = read_mentions(text, vocab, today)
    if _asks_change(sentence, vocab):
        return Interpretation(text, (), False, sentence.corrections, asks_change=True)
    best: dict[str, Reading] = {}
    for spec in INTENT_SPECS:
        reading = _score(spec, sentence, vocab, today)
        known = best.get(reading.command) if reading is not None else None
        if (
            reading is not None
            and reading.confidence >= _FLOOR
            and (known is None or known.confidence < reading.confidence)
        ):
            best[reading.command] = reading
    ranked = tuple(sorted(best.values(), key=lambda r: (-r.confidence, r.command)))
    sure = (
        bool(ranked)
        and ranked[0].confidence >= SURE
        and (len(ranked) < 2 or ranked[0].confidence - ranked[1].confidence >= MARGIN)
    )
    return Interpretation(text, ranked, sure, sentence.corrections)
