"""A sentence -> the things it mentions: releases, refs, dates, milestone kinds, documents, terms,
parties, people, cue words for what is asked, each tied to the words it came from.

Three passes, most certain first: typos towards known words (one letter off, two in long words),
the shaped words (readers.py), then the phrase table, longest phrase first; what is left may still
name a modification by the distinctive words of its title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from commands.interpret.readers import DATE_PREPS, read_at
from commands.interpret.text import Token, tokens_of
from commands.interpret.vocabulary import Sense, Vocabulary

__all__ = ["TITLE_HOW", "Mention", "Sentence", "read_mentions", "stems"]

TITLE_HOW = "words of its title"


@dataclass(frozen=True, slots=True)
class Mention:
    """Words of the sentence (token positions) and what they can mean."""

    tokens: tuple[int, ...]
    typed: str
    senses: tuple[Sense, ...]
    quality: float
    how: str
    day: date | None = None
    prep: str = ""
    next: bool = False  # "the next go/no-go": the kind's next occurrence


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[Token, ...]
    mentions: tuple[Mention, ...]
    corrections: tuple[tuple[str, str], ...]
    content: frozenset[int]  # positions of the words that count (not filler)


def stems(word: str) -> list[str]:
    """The word and its plain forms: `touches` -> touche, touch; `affected` -> affect."""
    forms = [word]
    for suffix in ("ing", "es", "ed", "s", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)])
    return forms


def _correct(tokens: list[Token], vocab: Vocabulary) -> list[tuple[str, str]]:
    """Replace an unknown word by the nearest known word: one letter away, or two in a longer word."""
    fixed: list[tuple[str, str]] = []
    for k, token in enumerate(tokens):
        word = token.norm
        if len(token.subs) != 1 or not word.isalpha() or len(word) < 4 or any(f in vocab.known for f in stems(word)):
            continue
        close = process.extract(
            word, vocab.spellings, scorer=OSA.distance, score_cutoff=1 if len(word) < 5 else 2, limit=8
        )
        # One letter off (a slip or two letters swapped); two off only when most letters still line up.
        ranked = sorted(
            (d, -fuzz.ratio(word, w), w) for w, d, _ in close if d <= 1 or len(word) >= 8 or fuzz.ratio(word, w) >= 80
        )
        if ranked:
            best = ranked[0][2]
            tokens[k] = Token(token.typed, best, (best,))
            fixed.append((token.typed, best))
    return fixed


def _typed(tokens: list[Token], positions: Iterable[int]) -> str:
    return " ".join(tokens[k].typed for k in positions if tokens[k].typed)


def _lookup(vocab: Vocabulary, phrase: tuple[str, ...]) -> tuple[tuple[Sense, ...], bool]:
    """(senses, exact): the phrase as typed, else with its last word in a plain form."""
    found = vocab.phrases.get(phrase)
    if found:
        return found, True
    for form in stems(phrase[-1])[1:]:
        found = vocab.phrases.get((*phrase[:-1], form))
        if found:
            return found, False
    return (), False


def _phrases(tokens: list[Token], free: list[bool], vocab: Vocabulary) -> list[Mention]:
    """Longest phrases first, each starting and ending on whole tokens."""
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        if not free[i]:
            i += 1
            continue
        best: tuple[int, tuple[Sense, ...], bool] | None = None
        subs: list[str] = []
        for j in range(i, len(tokens)):
            if not free[j] or len(subs) + len(tokens[j].subs) > vocab.max_phrase:
                break
            subs.extend(tokens[j].subs)
            senses, exact = _lookup(vocab, tuple(subs))
            if senses:
                best = (j + 1, senses, exact)
        if best is None:
            i += 1
            continue
        end, senses, exact = best
        typed = _typed(tokens, range(i, end))
        found.append(
            Mention(
                tuple(range(i, end)),
                typed,
                senses,
                1.0 if exact else 0.95,
                "a known phrase" if exact else "a known word, another form",
            )
        )
        for k in range(i, end):
            free[k] = False
        i = end
    return found


def _kind_dates(
    mentions: list[Mention], tokens: list[Token], free: list[bool], vocab: Vocabulary, today: date
) -> list[Mention]:
    """`the last Panel` -> the date it happened; `the next go/no-go` -> the kind, marked as next."""
    out: list[Mention] = []
    for m in mentions:
        kinds = [s for s in m.senses if s.type == "kind"]
        first = m.tokens[0]
        before = first - 1 if first >= 1 and tokens[first - 1].norm != "the" else first - 2
        word = tokens[before].norm if before >= 0 and free[before] else ""
        if kinds and word in ("last", "previous", "latest"):
            past = [d for kind in kinds for d, _ in vocab.kind_dates.get(kind.value, []) if d < today]
            if past:
                when = max(past)
                prep_at = before - 2 if before >= 2 and tokens[before - 1].norm == "the" else before - 1
                prep = DATE_PREPS.get(tokens[prep_at].norm, "") if prep_at >= 0 and free[prep_at] else ""
                used = tuple(range(prep_at if prep else before, m.tokens[-1] + 1))
                for k in used:
                    free[k] = False
                sense = Sense("date", when.isoformat(), f"the last {kinds[0].label} ({when:%d %b %Y})")
                out.append(
                    Mention(
                        used, _typed(tokens, used), (sense,), 0.8, "the last such milestone before today", when, prep
                    )
                )
                continue
        if kinds and word in ("next", "upcoming", "coming"):
            free[before] = False
            m = Mention((before, *m.tokens), f"{tokens[before].typed} {m.typed}", m.senses, m.quality, m.how, next=True)
        out.append(m)
    return out


def _title(tokens: list[Token], free: list[bool], vocab: Vocabulary) -> Mention | None:
    """A modification named by the distinctive words of its title ("the credit cover one")."""
    words: dict[str, int] = {}
    for k, token in enumerate(tokens):
        if free[k]:
            for form in stems(token.norm):
                if form in vocab.title_index:
                    words.setdefault(form, k)
    scored: list[tuple[float, str, list[int]]] = []
    for ref in {ref for w in words for ref in vocab.title_index[w]}:
        title = vocab.title_words[ref]
        hits = [w for w in words if w in title]
        total = sum(vocab.idf[w] for w in title)
        share = sum(vocab.idf[w] for w in hits) / total if total else 0.0
        if (len(hits) >= 2 or len(title) == 1) and share >= 0.5:
            scored.append((share, ref, [words[w] for w in hits]))
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], s[1]))
    share, ref, used = scored[0]
    close = [s for s in scored[1:2] if s[0] > share - 0.15]
    senses = tuple(Sense("mod", r, f"{r} {vocab.mods[r]}") for _, r, _ in [scored[0], *close])
    for k in used:
        free[k] = False
    typed = _typed(tokens, sorted(used))
    quality = (0.7 + 0.3 * share) * (0.8 if close else 1.0)
    return Mention(tuple(sorted(used)), typed, senses, round(quality, 2), TITLE_HOW)


def _corrected(m: Mention) -> Mention:
    """A mention read through a corrected spelling is a little less sure."""
    how = m.how + " (spelling corrected)"
    return Mention(m.tokens, m.typed, m.senses, round(m.quality * 0.9, 2), how, m.day, m.prep, m.next)


def read_mentions(text: str, vocab: Vocabulary, today: date) -> Sentence:
    """Everything the sentence mentions (the caller bounds its length)."""
    lexicon = vocab.lexicon
    tokens = tokens_of(text, lexicon.is_words, lexicon.contractions)
    corrections = _correct(tokens, vocab)
    free = [True] * len(tokens)
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        got = read_at(tokens, free, i, vocab, today)
        if got is None:
            i += 1
            continue
        found, before, prep = got
        used = tuple(range(i - before, i + found.used))
        for k in used:
            free[k] = False
        mentions.append(Mention(used, _typed(tokens, used), (found.sense,), found.quality, found.how, found.day, prep))
        i += found.used
    title = _title(tokens, free, vocab)
    if title is not None:
        mentions.append(title)
    mentions.extend(_kind_dates(_phrases(tokens, free, vocab), tokens, free, vocab, today))
    corrected = {typed for typed, _ in corrections}
    mentions = [m if not corrected & {tokens[k].typed for k in m.tokens} else _corrected(m) for m in mentions]
    mentions.sort(key=lambda m: m.tokens[0])
    content = frozenset(k for k, t in enumerate(tokens) if t.norm not in lexicon.filler)
    return Sentence(tuple(tokens), tuple(mentions), tuple(corrections), content)
