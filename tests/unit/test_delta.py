"""The pieces a delta is made of: a search index updated by segment equals one built afresh, and
ordered dicts keep a full build's order when keys are added, re-ranked or removed."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from domain.delta import _merge
from domain.search import Entry, SearchIndex
from domain.views import Hit

WORDS = ["smart", "meter", "alert", "tariff", "a&b", "MP1", "mp2"]
segments = st.dictionaries(
    st.integers(0, 6),
    st.lists(st.tuples(st.integers(0, 40), st.lists(st.sampled_from(WORDS), max_size=4)), max_size=4),
    max_size=6,
)


def _entries(found: dict[int, list[tuple[int, list[str]]]]) -> dict[Any, list[Entry]]:
    """Segment -> entries, keys unique across segments (the segment is part of the key)."""
    out: dict[Any, list[Entry]] = {}
    for segment, items in found.items():
        unique = dict(items)
        out[("s", segment)] = [
            ((n % 3, n, segment), Hit("item", f"{segment}/{n}"), " ".join(words)) for n, words in unique.items()
        ]
    return out


@given(before=segments, after=segments)
def test_an_updated_index_equals_one_built_from_its_segments(before: dict[int, Any], after: dict[int, Any]) -> None:
    old, new = _entries(before), _entries(after)
    changed = {seg: new.get(seg, []) for seg in old.keys() | new.keys()}
    updated = SearchIndex(old).updated(changed)
    fresh = SearchIndex({seg: entries for seg, entries in new.items() if entries})
    assert updated == fresh
    assert updated.hits() == fresh.hits() and len(updated) == len(fresh)
    for query in [*WORDS, "smart meter", "&", "alert tariff"]:
        assert updated.find(query, 3) == fresh.find(query, 3)
    assert SearchIndex(old) == SearchIndex(old).updated({})  # the old one is left as it was


@given(
    start=st.dictionaries(st.integers(0, 30), st.integers(0, 100), max_size=15),
    fresh=st.dictionaries(st.integers(0, 40), st.integers(0, 100), max_size=6),
    gone=st.sets(st.integers(0, 40), max_size=4),
)
def test_a_merge_keeps_the_order_a_full_build_gives(
    start: dict[int, int], fresh: dict[int, int], gone: set[int]
) -> None:
    def rank(value: int) -> int:
        return value

    old = dict(sorted(start.items(), key=lambda kv: (kv[1], kv[0])))
    gone -= fresh.keys()
    merged = _merge(old, fresh, gone, rank)
    want = {k: v for k, v in {**old, **fresh}.items() if k not in gone}
    assert merged == want
    assert [rank(v) for v in merged.values()] == sorted(rank(v) for v in merged.values())
    assert old == dict(sorted(start.items(), key=lambda kv: (kv[1], kv[0])))  # not changed
