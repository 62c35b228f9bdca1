"""The interpreter alone (no database): sentences -> readings against a state made up here.

The state names releases, modifications, documents, terms, parties and an author that appear in no
paper and no lexicon, so a passing reading shows the words came from the state's own vocabulary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.interpret import Interpretation, build_vocabulary, read_sentence
from commands.interpret.lexicon import LexiconError, load_lexicon
from commands.interpret.text import tokens_of
from commands.interpret.vocabulary import Vocabulary, VocabularyCache
from domain.snapshot import Snapshot
from domain.views import (
    DecisionView,
    DocImpactView,
    GlossaryView,
    MilestoneView,
    ModView,
    ReleaseView,
    ScopeChangeView,
    SourceView,
)

TODAY = date(2031, 1, 10)


def _ms(
    id_: int, key: str, release_id: int | None, mod_id: int | None, kind: str, title: str, day: date
) -> MilestoneView:
    due = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
    return MilestoneView(
        id_, key, release_id, mod_id, kind, title, due, True, "stated", None, None, "", "planned", None
    )


def _mod(id_: int, ref: str, title: str, aliases: tuple[str, ...] = (), group: str | None = None) -> ModView:
    return ModView(id_, ref, title, "MP", aliases, "", "", "Self-Governance", "Refinement", group, False, "", None)


def made_up_state() -> Snapshot:
    snap = Snapshot(version=7)
    for rel in (
        ReleaseView(1, "march-2031", "March 2031 SEC Release", date(2031, 3, 27), "planning", True, "", ""),
        ReleaseView(2, "october-2031", "October 2031 SEC Release", date(2031, 10, 2), "planning", False, "", ""),
        ReleaseView(3, "october-2030", "October 2030 SEC Release", date(2030, 10, 1), "live", False, "", ""),
    ):
        snap.releases.append(rel)
        snap.release_by_slug[rel.slug] = rel
        snap.release_by_id[rel.id] = rel
    for mod in (
        _mod(10, "MP900", "Widget Frobnication Rules", ("DP900",), "WG7"),
        _mod(11, "MP901", "Gadget Tariff Alignment"),
        _mod(12, "MP902", "Sprocket Register Cleanup"),
    ):
        snap.mod_by_ref[mod.ref] = mod
        snap.mod_by_id[mod.id] = mod
        for alias in mod.aliases:
            snap.mod_by_alias[alias] = mod
    change = ScopeChangeView(
        1, 1, 10, "targeted", None, date(2030, 12, 1), "", "", None, "test", datetime(2030, 12, 1, tzinfo=UTC)
    )
    snap.changes_by_release = {1: [change]}
    snap.changes_by_mod = {10: [change]}
    snap.current_scope = {1: {10: change}}
    for ms in (
        _ms(100, "m31/go-no-go", 1, None, "go_no_go", "Panel go/no-go", date(2031, 3, 13)),
        _ms(101, "m31/go-live", 1, None, "go_live", "March 2031 go-live", date(2031, 3, 27)),
        _ms(102, "mp900/cb", 1, 10, "change_board", "Change Board vote on MP900", date(2031, 2, 4)),
        _ms(103, "panel-2031-01-05", None, None, "panel_meeting", "Panel meeting", date(2031, 1, 5)),
    ):
        snap.milestones.append(ms)
        snap.milestone_by_id[ms.id] = ms
        snap.milestones_by_release.setdefault(ms.release_id or 0, []).append(ms)
    impact = DocImpactView(1, 10, "Appendix Z", "Widget Interface Guide", 0)
    snap.doc_impacts_by_release = {1: [impact]}
    snap.doc_impacts_by_mod = {10: [impact]}
    snap.party_order = {1: ["Suppliers", "Widget Makers"]}
    snap.party_impacts = {1: {10: ["Widget Makers"]}}
    snap.glossary = {
        "frob": GlossaryView("FROB", "Frobnication Register of Bots", "acronym"),
        "widget window": GlossaryView("Widget window", "The days a widget may be changed", "definition"),
    }
    snap.sources = {1: SourceView(1, "widget-paper", "Widget Paper", date(2030, 12, 1), "Ada Lovelace, SECAS Team")}
    snap.decisions = [DecisionView(1, date(2030, 12, 2), None, "Panel", 1, None, "noted", "Noted.", 1)]
    return snap


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return build_vocabulary(made_up_state(), load_lexicon())


def read(vocab: Vocabulary, sentence: str) -> Interpretation:
    return read_sentence(sentence, vocab, TODAY)


@pytest.mark.parametrize(
    ("sentence", "command"),
    [
        ("when is the march 2031 go/no-go", "/release march-2031 timeline"),
        ("when is the next go/no-go", "/release march-2031 timeline"),
        ("what's in the october release", "/release october-2031 scope"),
        ("octber 2031 timeline", "/release october-2031 timeline"),
        ("how much will march 2031 cost", "/release march-2031 costs"),
        ("what does FROB stand for", "/release glossary FROB"),
        ("what is the widget window", "/release glossary Widget window"),
        ("which releases touch appendix z", "/release find Appendix Z"),
        ("what does the widget interface guide cover", "/release glossary Appendix Z"),
        ("who is ada lovelace", "/release find Ada Lovelace"),
        ("which modifications affect widget makers", "/release find Widget Makers"),
        ("what is in working group 7", "/release find WG7"),
        ("tell me about the widget frobnication one", "/mod MP900"),
        ("status of DP900", "/mod MP900"),
        ("is MP901 approved", "/mod MP901"),
        ("when is the MP900 change board vote", "/mod MP900"),
        ("what is due next week", "/release due next week"),
        ("anything due in the next 15 working days", "/release due 15 WD"),
        ("what's still undecided", "/release targeted"),
        ("what was decided since 1 dec 2030", "/release decisions since 2030-12-01"),
        ("what changed in march 2031 since the last panel", "/release march-2031 changes since 2031-01-05"),
        ("working days between 1 mar 2031 and 31 mar 2031", "/workdays 2031-03-01 to 2031-03-31"),
        ("12 working days before 27 mar 2031", "/workdays 2031-03-27 -12"),
        ("what are the bank holidays in 2031", "/workdays holidays 2031"),
        ("which releases are there", "/release"),
    ],
)  # fmt: skip
def test_sentences_read_with_the_states_own_words(vocab: Vocabulary, sentence: str, command: str) -> None:
    got = read(vocab, sentence)
    assert got.best is not None and got.best.command == command, got.readings[:3]
    assert got.sure, got.readings[:3]


def test_a_reading_says_how_it_read_each_part(vocab: Vocabulary) -> None:
    got = read(vocab, "when is the march 2031 go/no-go please now")
    assert got.best is not None
    parts = {p.words: p.meaning for p in got.best.parts}
    assert parts["march 2031"] == "release: March 2031 SEC Release"
    assert parts["go/no-go"].startswith("kind: go/no-go")
    assert parts["when"] == "asks for a release's dates"
    cue, entities, coverage = got.best.factors
    assert got.best.confidence == round(cue * entities * coverage, 2)
    assert got.best.unused == ()  # "please" and "now" carry no meaning; nothing that did was dropped


def test_words_it_did_not_use_are_named(vocab: Vocabulary) -> None:
    got = read(vocab, "what's in march 2031 sprockets")
    assert got.best is not None and got.best.command == "/release march-2031 scope"
    assert got.best.unused == ("sprockets",)
    assert got.best.factors[2] < 1


def test_a_release_not_in_the_store_is_still_read_so_the_answer_can_say_so(vocab: Vocabulary) -> None:
    got = read(vocab, "what's in june 2021")
    assert got.best is not None and got.best.command == "/release june-2021 scope"
    assert any("not in the store" in p.how for p in got.best.parts)


def test_two_close_readings_are_both_offered(vocab: Vocabulary) -> None:
    got = read(vocab, "march 2031 changes")  # no date: history or the card, not a guess
    assert not got.sure and len(got.alternatives) == 2
    assert {r.command for r in got.alternatives} <= {
        "/release march-2031 history",
        "/release march-2031",
        "/release march-2031 scope",
    }


@pytest.mark.parametrize(
    "sentence", ["approve MP900 for march 2031", "remove MP901 please", "undo that", "cancel the go live"]
)
def test_changes_are_never_read_from_plain_words(vocab: Vocabulary, sentence: str) -> None:
    got = read(vocab, sentence)
    assert got.asks_change and got.best is None


def test_the_change_board_is_not_a_change(vocab: Vocabulary) -> None:
    got = read(vocab, "change board date for MP900")
    assert not got.asks_change and got.best is not None and got.best.command == "/mod MP900"


def test_nonsense_gets_no_sure_reading(vocab: Vocabulary) -> None:
    got = read(vocab, "zzzz qqqq xxxx")
    assert not got.sure and got.best is None


def test_same_sentence_same_readings(vocab: Vocabulary) -> None:
    assert read(vocab, "when is the next go/no-go") == read(vocab, "when is the next go/no-go")


def test_contractions_and_possessives() -> None:
    assert [t.norm for t in tokens_of("what's march 2031's scope?", frozenset({"what"}), {"'s": "is"})] == [
        "what", "is", "march", "2031", "scope",
    ]  # fmt: skip


def test_a_sentence_is_cut_at_forty_words() -> None:
    assert len(tokens_of("word " * 500)) == 40


def test_the_vocabulary_is_built_once_per_state_version() -> None:
    cache = VocabularyCache()
    snap = made_up_state()
    lexicon = load_lexicon()
    first = cache.get(snap, lexicon)
    assert cache.get(snap, lexicon) is first
    snap.version += 1
    assert cache.get(snap, load_lexicon()) is not first


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("cues:\n  release.frobnicate:\n    when: 0.5\n", "not a reading"),
        ("kinds:\n  tea_break: [tea]\n", "not a milestone kind"),
        ("cues:\n  release.scope:\n    scope: 3\n", "weight must be in (0, 1]"),
        ("filler: 12\n", "must be words"),
    ],
)
def test_a_bad_lexicon_names_its_entry(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_lexicon(path)


WORDS = (
    "when", "is", "the", "march", "2031", "go/no-go", "MP900", "due", "next", "week", "since", "last", "panel",
    "between", "and", "1", "mar", "+5", "’s", "what's", "of",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)))
def test_any_text_reads_without_raising(vocab: Vocabulary, sentence: str) -> None:
    got = read(vocab, sentence)
    assert all(0 <= r.confidence <= 1 for r in got.readings)
    assert all(r.command.startswith(("/release", "/mod", "/workdays")) for r in got.readings)
