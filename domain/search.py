"""`find`: the text of every release, modification, document, milestone and term, indexed by word.

An item matches when its text contains the query as a phrase (word-bounded), else when it holds
all the query's words. Candidates come from a word index (postings), the phrase is then checked
in each candidate's text, so a query costs the items that share its rarest word, not the store.

Entries are grouped in segments (a release's impacts, a modification with its documents, all
the milestones) and kept in the order of their keys, so a change replaces only the segments it
touched (`updated`): a new index sharing what did not change, the old one left as it was for
the readers still holding it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from domain.views import Hit

__all__ = ["Entry", "SearchIndex"]

_WORD = re.compile(r"[^\W_]+")

# (where it sorts among all entries: a tuple starting with its kind's rank, what it points to, its text)
Entry = tuple[tuple[Any, ...], Hit, str]


def _bounded(text: str, at: int, needle: str) -> bool:
    """The needle found at `at` in `text` starts and ends at a word boundary (where it is a word)."""
    stop = at + len(needle)
    before = at == 0 or not needle[0].isalnum() or not text[at - 1].isalnum()
    after = stop >= len(text) or not needle[-1].isalnum() or not text[stop].isalnum()
    return before and after


def _has(text: str, needle: str) -> bool:
    at = text.find(needle)
    while at != -1:
        if _bounded(text, at, needle):
            return True
        at = text.find(needle, at + 1)
    return False


class SearchIndex:
    """Built from segments of entries; read-only once built (`updated` makes a new one)."""

    def __init__(self, segments: Mapping[Hashable, Iterable[Entry]] | None = None) -> None:
        self._hits: dict[tuple[Any, ...], Hit] = {}
        self._texts: dict[tuple[Any, ...], str] = {}
        self._segments: dict[Hashable, list[tuple[Any, ...]]] = {}
        postings: dict[str, list[tuple[Any, ...]]] = {}
        for segment, entries in (segments or {}).items():
            keys = self._segments.setdefault(segment, [])
            for key, hit, text in entries:
                norm = " ".join(text.lower().split())
                keys.append(key)
                self._hits[key] = hit
                self._texts[key] = norm
                for word in set(_WORD.findall(norm)):
                    postings.setdefault(word, []).append(key)
        for keys in postings.values():
            keys.sort()
        self._postings = postings
        self._order = sorted(self._hits)

    def __len__(self) -> int:
        return len(self._hits)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchIndex):
            return NotImplemented
        return (
            self._order == other._order
            and self._hits == other._hits
            and self._texts == other._texts
            and {w: k for w, k in self._postings.items() if k} == {w: k for w, k in other._postings.items() if k}
        )

    __hash__ = None  # type: ignore[assignment]

    def hits(self) -> list[Hit]:
        """Every entry's hit, in order."""
        return [self._hits[key] for key in self._order]

    def updated(self, segments: Mapping[Hashable, Iterable[Entry]]) -> SearchIndex:
        """A new index with these segments' entries replaced (an empty segment removes it)."""
        new = SearchIndex.__new__(SearchIndex)
        new._hits, new._texts = dict(self._hits), dict(self._texts)
        new._segments, new._postings = dict(self._segments), dict(self._postings)
        new._order = self._order
        copied: set[str] = set()
        removed: list[tuple[Any, ...]] = []
        added: list[tuple[Any, ...]] = []

        def postings(word: str) -> list[tuple[Any, ...]]:
            if word not in copied:
                copied.add(word)
                new._postings[word] = list(new._postings.get(word, ()))
            return new._postings[word]

        for segment, entries in segments.items():
            fresh = {key: (hit, " ".join(text.lower().split())) for key, hit, text in entries}
            for key in new._segments.pop(segment, []):
                if key in fresh and fresh[key] == (new._hits[key], new._texts[key]):
                    continue
                for word in set(_WORD.findall(new._texts[key])):
                    keys = postings(word)
                    del keys[bisect.bisect_left(keys, key)]
                del new._hits[key], new._texts[key]
                removed.append(key)
            if fresh:
                new._segments[segment] = list(fresh)
            for key, (hit, text) in fresh.items():
                if key in new._hits:
                    continue  # unchanged
                new._hits[key], new._texts[key] = hit, text
                added.append(key)
                for word in set(_WORD.findall(text)):
                    bisect.insort(postings(word), key)
        if removed or added:
            order = new._order = list(self._order)
            for key in removed:
                del order[bisect.bisect_left(order, key)]
            for key in added:
                bisect.insort(order, key)
        return new

    def find(self, query: str, limit: int = 50) -> tuple[list[Hit], bool]:
        """Up to `limit` hits in store order, and whether there were more."""
        needle = " ".join(query.lower().split())
        if not needle:
            return [], False
        found = self._indexed_phrase(needle, limit + 1)
        if not found:
            words = [w for w in needle.split(" ") if w]
            if len(words) > 1:
                sets = [set(self._indexed_phrase(w, None)) for w in words]
                found = sorted(set.intersection(*sets))
        return [self._hits[k] for k in found[:limit]], len(found) > limit

    def _indexed_phrase(self, needle: str, stop_after: int | None) -> list[tuple[Any, ...]]:
        words = _WORD.findall(needle)
        if not words:
            return self._phrase(needle, stop_after)
        lists = sorted((self._postings.get(w, []) for w in set(words)), key=len)
        if not lists[0]:
            return []
        candidates = lists[0]
        for other in lists[1:]:
            keep = set(other)
            candidates = [k for k in candidates if k in keep]
        result = []
        for k in candidates:
            if _has(self._texts[k], needle):
                result.append(k)
                if stop_after is not None and len(result) >= stop_after:
                    break
        return result

    def _phrase(self, needle: str, stop_after: int | None = None) -> list[tuple[Any, ...]]:
        """A needle with no word in it (punctuation): every entry's text is checked."""
        result: list[tuple[Any, ...]] = []
        for key in self._order:
            if _has(self._texts[key], needle):
                result.append(key)
                if stop_after is not None and len(result) >= stop_after:
                    break
        return result
