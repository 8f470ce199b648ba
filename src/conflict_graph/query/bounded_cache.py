"""A least-recently-used map bounded by the bytes its entries stand for, safe across threads.

The engine keeps two: the query checker's reading of query texts it has seen
(:mod:`conflict_graph.query.guard` is linear in the text, but a dashboard sends the same few
queries again and again) and, when ``CONFLICT_GRAPH_ANSWER_CACHE_MB`` allows it, whole answers
(the dataset is read-only between builds, so an answer never goes stale while the server runs).
Each entry is weighed by the caller (query text plus result bytes); the least recently used
entries are dropped once the total exceeds the bound, and an entry heavier than the bound on its
own is never kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["BoundedCache"]

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """Up to ``max_bytes`` of entries, the least recently used dropped first (0: keeps nothing).

    Attributes:
        hits: lookups that found their entry.
        misses: lookups that did not.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The entry under ``key`` (now the most recently used), or None."""
        if not self.max_bytes:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: V, weight: int) -> None:
        """Keep ``value`` under ``key``, weighing ``weight`` bytes; drop the oldest entries to fit."""
        if weight > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, weight)
            self._bytes += weight
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def stats(self) -> dict[str, int]:
        """Entries, bytes held, the bound, hits and misses."""
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._bytes, "max_bytes": self.max_bytes,
                    "hits": self.hits, "misses": self.misses}
