"""A small, bounded cache of built documents keyed by (kind, arguments, state version).

Building a RID as PDF takes a few hundred milliseconds; the same request for the same state
version gives the same bytes, so the second one is served from here. Entries of older state
versions are never returned (the version is in the key) and fall out as the bound is reached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

__all__ = ["DocumentCache"]

Key = tuple[str, tuple[Hashable, ...], int]


class DocumentCache:
    """Least-recently-used bytes, at most `max_items` entries and `max_bytes` in total; thread-safe."""

    def __init__(self, max_items: int = 32, max_bytes: int = 64 * 1024 * 1024) -> None:
        if max_items < 1 or max_bytes < 1:
            raise ValueError("a document cache needs room for at least one document")
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._items: OrderedDict[Key, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        return self._size

    def get(self, kind: str, args: tuple[Hashable, ...], version: int) -> bytes | None:
        with self._lock:
            found = self._items.get((kind, args, version))
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end((kind, args, version))
            self.hits += 1
            return found

    def put(self, kind: str, args: tuple[Hashable, ...], version: int, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return  # bigger than the whole cache: not worth keeping
        with self._lock:
            key = (kind, args, version)
            if key in self._items:
                self._size -= len(self._items.pop(key))
            self._items[key] = data
            self._size += len(data)
            while len(self._items) > self.max_items or self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def get_or_build(self, kind: str, args: tuple[Hashable, ...], version: int, build: Callable[[], bytes]) -> bytes:
        """The cached bytes, or `build()` stored and returned (call from a worker thread)."""
        found = self.get(kind, args, version)
        if found is None:
            found = build()
            self.put(kind, args, version, found)
        return found
