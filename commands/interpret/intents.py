"""What a sentence can ask for: each reading names the entities it needs and may use, and how the
command text is written from them. Only read commands: a change is never made from plain words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from commands.interpret.vocabulary import Sense

__all__ = ["ENTITY_CUES", "INTENT_SPECS", "TOPIC_TYPES", "IntentSpec", "Slots"]

Slots = Mapping[str, Sense]


@dataclass(frozen=True)
class IntentSpec:
    """A reading: the slots it needs and may use, its strength with no cue word, and its command."""

    name: str
    what: str
    needs: tuple[str, ...]
    uses: tuple[str, ...]
    implicit: float
    build: Callable[[Slots], str]


def _release(view: str) -> Callable[[Slots], str]:
    return lambda s: f"/release {s['release'].value} {view}".rstrip()


def _scope(s: Slots) -> str:
    return f"/release {s['release'].value} scope" + (f" as of {s['date'].value}" if "date" in s else "")


def _impacts(s: Slots) -> str:
    return f"/release {s['release'].value} impacts" + (f" {s['aspect'].value}" if "aspect" in s else "")


def _due(s: Slots) -> str:
    if "window" not in s:
        return "/release due"
    window = s["window"]
    return (
        f"/release due {window.value.lstrip('+')} WD"
        if window.type == "wd"
        else f"/release due {window.value.replace('-', ' ')}"
    )


def _workdays_add(s: Slots) -> str:
    n = s["wd"].value.lstrip("+-")
    sign = "-" if s["wd"].value.startswith("-") or s.get("direction", Sense("", "+", "")).value == "-" else "+"
    return f"/workdays {s['date'].value} {sign}{n}"


INTENT_SPECS: tuple[IntentSpec, ...] = (
    IntentSpec("release.card", "a release's summary", ("release",), (), 0.6, _release("")),
    IntentSpec("release.scope", "what is in a release", ("release",), ("date", "mod"), 0.35, _scope),
    IntentSpec("release.timeline", "a release's dates", ("release",), ("kind",), 0.0, _release("timeline")),
    IntentSpec("release.impacts", "who and what a release affects", ("release",), ("aspect", "topic"), 0.0, _impacts),
    IntentSpec("release.costs", "a release's costs", ("release",), ("context",), 0.0, _release("costs")),
    IntentSpec("release.criteria", "a release's acceptance criteria", ("release",), (), 0.0, _release("criteria")),
    IntentSpec("release.history", "a release's history", ("release",), (), 0.0, _release("history")),
    IntentSpec("release.changes", "what changed in a release since a date", ("release", "date"), (), 0.0,
               lambda s: f"/release {s['release'].value} changes since {s['date'].value}"),
    IntentSpec("release.rid", "a release's Implementation Document", ("release",), (), 0.0, _release("rid")),
    IntentSpec("release.vote", "a release's go/no-go poll", ("release",), (), 0.0, _release("vote")),
    IntentSpec("release.list", "every release", (), (), 0.0, lambda s: "/release"),
    IntentSpec("mod.show", "one modification", ("mod",), ("release", "kind", "context"), 0.6,
               lambda s: f"/mod {s['mod'].value}"),
    IntentSpec("find", "a search of the whole store", ("topic",), (), 0.45,
               lambda s: f"/release find {s['topic'].value}"),
    IntentSpec("glossary", "the meaning of a term", ("topic",), (), 0.4,
               lambda s: f"/release glossary {s['topic'].value}"),
    IntentSpec("workdays.add", "Working Days from a date", ("date", "wd"), (), 0.8, _workdays_add),
    IntentSpec("workdays.between", "Working Days between two dates", ("date", "date2"), (), 0.6,
               lambda s: f"/workdays {s['date'].value} to {s['date2'].value}"),
    IntentSpec("workdays.check", "whether a day is a Working Day", ("date",), (), 0.3,
               lambda s: f"/workdays {s['date'].value}"),
    IntentSpec("holiday.list", "the bank holidays of a year", (), ("year",), 0.0,
               lambda s: "/workdays holidays" + (f" {s['year'].value}" if "year" in s else "")),
    IntentSpec("cross.due", "every deadline across releases", (), ("window", "kind"), 0.0, _due),
    IntentSpec("cross.targeted", "what is targeted and not yet decided", (), (), 0.0, lambda s: "/release targeted"),
    IntentSpec("cross.decisions", "the decisions log", (), ("date", "context"), 0.0,
               lambda s: "/release decisions" + (f" since {s['date'].value}" if "date" in s else "")),
    IntentSpec("help", "the list of commands", (), (), 0.0, lambda s: "/release help"),
)  # fmt: skip

# What each reading takes as its topic, best first.
TOPIC_TYPES: dict[str, tuple[str, ...]] = {
    "find": ("document", "person", "party", "group", "term"),
    "glossary": ("term", "document"),
    "release.impacts": ("party", "document"),
}

# Entities that point at a reading by themselves: (entity type, prep or "") -> {reading: weight}.
ENTITY_CUES: dict[tuple[str, str], dict[str, float]] = {
    ("kind", ""): {"release.timeline": 0.7, "cross.due": 0.4, "mod.show": 0.5},
    ("period", ""): {"cross.due": 0.7},
    ("wd", ""): {"cross.due": 0.6},
    ("date", "since"): {"release.changes": 0.6, "cross.decisions": 0.6},
    ("date", "after"): {"release.changes": 0.5, "cross.decisions": 0.5},
    ("date", "as of"): {"release.scope": 0.6},
    ("date", "on"): {"release.scope": 0.4, "workdays.check": 0.3},
    ("aspect", ""): {"release.impacts": 0.7},
    ("year", ""): {"holiday.list": 0.3},
    ("person", ""): {"find": 0.7},
    ("party", ""): {"find": 0.5, "release.impacts": 0.5},
    ("group", ""): {"find": 0.6},
}
