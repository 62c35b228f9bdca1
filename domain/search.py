"""`find`: the text of every release, modification, document, milestone and term, indexed by word.

An item matches when its text contains the query as a phrase (word-bounded), else when it holds
all the query's words. Candidates come from a word index (postings), the phrase is then checked
in each candidate's text, so a query costs the items that share its rarest word, not the store.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from domain.views import Hit

__all__ = ["SearchIndex"]

_WORD = re.compile(r"[^\W_]+")


def _bounded(text: str, at: int, needle: str) -> bool:
    """The needle found at `at` in `text` starts and ends at a word boundary (where it is a word)."""
    stop = at + len(needle)
    before = at == 0 or not needle[0].isalnum() or not text[at - 1].isalnum()
    after = stop >= len(text) or not needle[-1].isalnum() or not text[stop].isalnum()
    return before and after


class SearchIndex:
    """Built once per snapshot from (hit, text) entries; read-only afterwards."""

    def __init__(self, entries: Iterable[tuple[Hit, str]] = ()) -> None:
        parts: list[str] = []
        offsets: list[int] = []
        hits: list[Hit] = []
        pos = 0
        for hit, text in entries:
            text = " ".join(text.lower().split()) + "\n"
            offsets.append(pos)
            hits.append(hit)
            parts.append(text)
            pos += len(text)
        self._haystack = "".join(parts)
        self._offsets = offsets
        self._hits = hits
        postings: dict[str, list[int]] = {}
        for k, text in enumerate(parts):
            for word in set(_WORD.findall(text)):
                postings.setdefault(word, []).append(k)
        self._postings = postings

    def __len__(self) -> int:
        return len(self._hits)

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

    def _indexed_phrase(self, needle: str, stop_after: int | None) -> list[int]:
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
            if self._item_has(k, needle):
                result.append(k)
                if stop_after is not None and len(result) >= stop_after:
                    break
        return result

    def _item(self, k: int) -> str:
        start = self._offsets[k]
        end = self._offsets[k + 1] if k + 1 < len(self._offsets) else len(self._haystack)
        return self._haystack[start:end]

    def _item_has(self, k: int, needle: str) -> bool:
        text = self._item(k)
        at = text.find(needle)
        while at != -1:
            if _bounded(text, at, needle):
                return True
            at = text.find(needle, at + 1)
        return False

    def _phrase(self, needle: str, stop_after: int | None = None) -> list[int]:
        """A needle with no word in it (punctuation): scan the whole haystack."""
        hay, offsets = self._haystack, self._offsets
        result: list[int] = []
        last = -1
        start = hay.find(needle)
        while start != -1:
            if _bounded(hay, start, needle):
                k = bisect.bisect_right(offsets, start) - 1
                if k != last:
                    result.append(k)
                    last = k
                    if stop_after is not None and len(result) >= stop_after:
                        break
                # the rest of this item cannot add anything: jump to the next item
                start = offsets[k + 1] if k + 1 < len(offsets) else len(hay)
            else:
                start += 1
            start = hay.find(needle, start)
        return result
