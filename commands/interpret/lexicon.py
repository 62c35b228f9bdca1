"""The interpreter's everyday words (lexicon.yaml), loaded once and checked.

Kept as data so the words can grow without touching the reader; checked at load so a typo in the
file (an unknown intent or milestone kind, a weight out of range) names itself instead of
quietly never matching.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commands.interpret.text import phrase_words
from domain.yamlload import safe_load

__all__ = ["INTENTS", "KINDS", "LEXICON_PATH", "Lexicon", "LexiconError", "Phrase", "load_lexicon"]

# Readings the interpreter can produce: read-only commands (a change always needs the command itself).
INTENTS = (
    "release.card", "release.scope", "release.timeline", "release.impacts", "release.costs", "release.criteria",
    "release.history", "release.changes", "release.rid", "release.vote", "release.list", "mod.show", "find",
    "glossary", "workdays.add", "workdays.between", "workdays.check", "holiday.list", "cross.due",
    "cross.targeted", "cross.decisions", "help",
)  # fmt: skip
# store/models.py MilestoneKind values (not imported: the interpreter stays free of the store's tables).
KINDS = (
    "consultation_close", "change_board", "authority_decision", "notice_cutoff", "rid_baseline", "dcc_evidence",
    "opsg_review", "go_no_go", "go_live", "rid_appeal_end", "panel_paper", "panel_meeting", "panel_decision",
    "poll_close", "referral_end", "implementation", "working_group", "withdrawal", "mandate", "assessment_due",
    "modification_report", "other",
)  # fmt: skip

Phrase = tuple[str, ...]


class LexiconError(ValueError):
    """lexicon.yaml is wrong; the message names the entry."""


@dataclass(frozen=True)
class Lexicon:
    """Filler words, contractions, months that are also words, change verbs, kinds, cues, aspects."""

    filler: frozenset[str]
    is_words: frozenset[str]
    contractions: dict[str, str]
    ambiguous_months: frozenset[str]
    change_verbs: frozenset[str]
    kinds: dict[Phrase, str]
    kind_names: dict[str, str]
    cues: dict[Phrase, dict[str, float]]
    aspects: dict[Phrase, str]

    @property
    def words(self) -> frozenset[str]:
        """Every word the lexicon knows (a typo is corrected only towards known words)."""
        known: set[str] = set(self.filler) | set(self.change_verbs)
        for table in (self.kinds, self.cues, self.aspects):
            for phrase in table:
                known.update(phrase)
        return frozenset(known)


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise LexiconError(f"lexicon.yaml: `{key}` must be words (a list, or a string of words)")
    return frozenset(w.lower() for w in value)


def _build(data: dict[str, Any]) -> Lexicon:
    is_words = _words(data, "is_words")
    contractions = {str(k): str(v) for k, v in (data.get("contractions") or {}).items()}

    def words_of(text: object, where: str) -> Phrase:
        phrase = phrase_words(str(text), is_words, contractions)
        if not phrase:
            raise LexiconError(f"lexicon.yaml: {where}: `{text}` has no words")
        return phrase

    kinds: dict[Phrase, str] = {}
    kind_names: dict[str, str] = {}
    for kind, names in (data.get("kinds") or {}).items():
        if kind not in KINDS:
            raise LexiconError(f"lexicon.yaml: kinds.{kind}: not a milestone kind")
        kind_names[kind] = str(names[0])
        for name in names:
            kinds[words_of(name, f"kinds.{kind}")] = kind
    cues: dict[Phrase, dict[str, float]] = {}
    for intent, table in (data.get("cues") or {}).items():
        if intent not in INTENTS:
            raise LexiconError(f"lexicon.yaml: cues.{intent}: not a reading the interpreter makes")
        for phrase, weight in table.items():
            if not isinstance(weight, int | float) or not 0 < weight <= 1:
                raise LexiconError(f"lexicon.yaml: cues.{intent}.{phrase}: weight must be in (0, 1]")
            cues.setdefault(words_of(phrase, f"cues.{intent}"), {})[intent] = float(weight)
    aspects = {
        words_of(name, f"aspects.{a}"): str(a) for a, names in (data.get("aspects") or {}).items() for name in names
    }
    return Lexicon(
        filler=_words(data, "filler"), is_words=is_words, contractions=contractions,
        ambiguous_months=_words(data, "ambiguous_months"), change_verbs=_words(data, "change_verbs"),
        kinds=kinds, kind_names=kind_names, cues=cues, aspects=aspects,
    )  # fmt: skip


LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon at `path`, checked; the `Interpreter` the bot holds reads it once."""
    with path.open(encoding="utf-8") as fh:
        data = safe_load(fh) or {}
    if not isinstance(data, dict):
        raise LexiconError("lexicon.yaml: expected a mapping at the top")
    return _build(data)
