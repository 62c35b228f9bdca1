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
import itertools
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
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


_BUCKETS = 256  # each map is split by hash, so an update copies the few buckets it touches
_CHUNK = 512  # a word's keys are kept in chunks, so an update copies one chunk of a long list
Key = tuple[Any, ...]


class _Keys:
    """One word's keys, sorted, in chunks: changing one copies its chunk, never the whole list."""

    __slots__ = ("_chunks", "_len")

    def __init__(self, chunks: list[list[Key]] | None = None, length: int = 0) -> None:
        self._chunks = chunks or []
        self._len = length

    @staticmethod
    def of(keys: list[Key]) -> _Keys:
        return _Keys([keys[at : at + _CHUNK] for at in range(0, len(keys), _CHUNK)], len(keys))

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Key]:
        return itertools.chain.from_iterable(self._chunks)

    def copy(self) -> _Keys:
        return _Keys(list(self._chunks), self._len)  # the chunks are shared: each is copied before it changes

    def _at(self, key: Key) -> int:
        return min(bisect.bisect_left(self._chunks, key, key=lambda chunk: chunk[-1]), len(self._chunks) - 1)

    def insert(self, key: Key) -> None:
        self._len += 1
        if not self._chunks:
            self._chunks.append([key])
            return
        at = self._at(key)
        chunk = list(self._chunks[at])
        bisect.insort(chunk, key)
        self._chunks[at : at + 1] = [chunk] if len(chunk) <= 2 * _CHUNK else [chunk[:_CHUNK], chunk[_CHUNK:]]

    def remove(self, key: Key) -> None:
        at = self._at(key)
        chunk = list(self._chunks[at])
        del chunk[bisect.bisect_left(chunk, key)]
        self._len -= 1
        self._chunks[at : at + 1] = [chunk] if chunk else []


def _bucket(value: Hashable) -> int:
    return hash(value) & (_BUCKETS - 1)


_NONE = _Keys()


class SearchIndex:
    """Built from segments of entries; read-only once built (`updated` makes a new one)."""

    def __init__(self, segments: Mapping[Hashable, Iterable[Entry]] | None = None) -> None:
        self._items: list[dict[tuple[Any, ...], tuple[Hit, str]]]
        self._segments: list[dict[Hashable, list[tuple[Any, ...]]]]
        self._postings: list[dict[str, _Keys]]
        self._count = 0
        self._sorted: list[tuple[Any, ...]] | None = None
        if not segments:  # empty: every bucket the same empty dict (`updated` copies before it writes)
            self._items, self._segments, self._postings = [{}] * _BUCKETS, [{}] * _BUCKETS, [{}] * _BUCKETS
            return
        self._items = [{} for _ in range(_BUCKETS)]
        self._segments = [{} for _ in range(_BUCKETS)]
        self._postings = [{} for _ in range(_BUCKETS)]
        postings: dict[str, list[Key]] = {}
        for segment, entries in (segments or {}).items():
            keys = self._segments[_bucket(segment)].setdefault(segment, [])
            for key, hit, text in entries:
                norm = " ".join(text.lower().split())
                keys.append(key)
                self._items[_bucket(key)][key] = (hit, norm)
                self._count += 1
                for word in set(_WORD.findall(norm)):
                    postings.setdefault(word, []).append(key)
        for word, found in postings.items():
            found.sort()
            self._postings[_bucket(word)][word] = _Keys.of(found)

    def __len__(self) -> int:
        return self._count

    def _entries(self) -> dict[tuple[Any, ...], tuple[Hit, str]]:
        return {k: v for bucket in self._items for k, v in bucket.items()}

    def _words(self) -> dict[str, list[Key]]:
        return {w: list(keys) for bucket in self._postings for w, keys in bucket.items() if keys}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchIndex):
            return NotImplemented
        return self._entries() == other._entries() and self._words() == other._words()

    __hash__ = None  # type: ignore[assignment]

    @property
    def _order(self) -> list[tuple[Any, ...]]:
        """Every key in order (made when first needed: punctuation searches, `hits`)."""
        if self._sorted is None:
            self._sorted = sorted(k for bucket in self._items for k in bucket)
        return self._sorted

    def hits(self) -> list[Hit]:
        """Every entry's hit, in order."""
        return [self._item(key)[0] for key in self._order]

    def _item(self, key: tuple[Any, ...]) -> tuple[Hit, str]:
        return self._items[_bucket(key)][key]

    def _posting(self, word: str) -> _Keys:
        return self._postings[_bucket(word)].get(word, _NONE)

    def updated(self, segments: Mapping[Hashable, Iterable[Entry]]) -> SearchIndex:
        """A new index with these segments' entries replaced (an empty segment removes it)."""
        new = SearchIndex.__new__(SearchIndex)
        new._items, new._segments, new._postings = list(self._items), list(self._segments), list(self._postings)
        new._count, new._sorted = self._count, None
        own: set[tuple[str, int]] = set()  # the buckets copied already
        own_words: set[str] = set()

        def mine(table: str, at: int) -> dict[Any, Any]:
            maps: list[dict[Any, Any]] = getattr(new, table)
            if (table, at) not in own:
                own.add((table, at))
                maps[at] = dict(maps[at])
            return maps[at]

        def posting(word: str) -> _Keys:
            bucket = mine("_postings", _bucket(word))
            if word not in own_words:
                own_words.add(word)
                bucket[word] = bucket[word].copy() if word in bucket else _Keys()
            keys: _Keys = bucket[word]
            return keys

        for segment, entries in segments.items():
            fresh = {key: (hit, " ".join(text.lower().split())) for key, hit, text in entries}
            segs = mine("_segments", _bucket(segment))
            for key in segs.pop(segment, []):
                if fresh.get(key) == new._item(key):
                    continue  # unchanged
                for word in set(_WORD.findall(new._item(key)[1])):
                    posting(word).remove(key)
                del mine("_items", _bucket(key))[key]
                new._count -= 1
            if fresh:
                segs[segment] = list(fresh)
            for key, (hit, text) in fresh.items():
                if key in new._items[_bucket(key)]:
                    continue  # unchanged
                mine("_items", _bucket(key))[key] = (hit, text)
                new._count += 1
                for word in set(_WORD.findall(text)):
                    posting(word).insert(key)
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
        return [self._item(k)[0] for k in found[:limit]], len(found) > limit

    def _indexed_phrase(self, needle: str, stop_after: int | None) -> list[tuple[Any, ...]]:
        words = _WORD.findall(needle)
        if not words:
            return self._phrase(needle, stop_after)
        lists = sorted((self._posting(w) for w in set(words)), key=len)
        if not lists[0]:
            return []
        candidates: Iterable[Key] = lists[0]
        for other in lists[1:]:
            keep = set(other)
            candidates = [k for k in candidates if k in keep]
        result = []
        for k in candidates:
            if _has(self._item(k)[1], needle):
                result.append(k)
                if stop_after is not None and len(result) >= stop_after:
                    break
        return result

    def _phrase(self, needle: str, stop_after: int | None = None) -> list[tuple[Any, ...]]:
        """A needle with no word in it (punctuation): every entry's text is checked."""
        result: list[tuple[Any, ...]] = []
        for key in self._order:
            if _has(self._item(key)[1], needle):
                result.append(key)
                if stop_after is not None and len(result) >= stop_after:
                    break
        return result
