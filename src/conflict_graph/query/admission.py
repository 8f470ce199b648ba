"""How many queries may hold a server thread at once, in all and per client.

The WSGI server has a fixed number of threads, and a query holds one while it runs or waits for
a query worker. Without a bound, a few slow queries (plus everything queued behind them) take
every thread, and then even ``/health`` waits. :class:`Admission` keeps two counts of the
queries admitted and not finished (running or waiting for a worker):

* in all: at most ``capacity`` (the workers plus ``max_waiting``, and always fewer than the
  server's threads); one more is refused at once with :class:`ServerBusy` (HTTP 503);
* per client (by remote address): at most ``per_client``; one more is refused at once with
  :class:`TooManyQueries` (HTTP 429), so one client cannot take every worker.

Both refusals carry ``retry_after``, in seconds. Nothing here waits, so a refusal costs nothing.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..errors import QueryError

__all__ = ["Admission", "ServerBusy", "TooManyQueries"]


class ServerBusy(QueryError):
    """Every worker is busy and the queue of waiting queries is full."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyQueries(QueryError):
    """One client already has as many queries running or waiting as it may."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Admission:
    """Counts of the queries running or waiting, in all and per client.

    Args:
        capacity: queries admitted at once, in all.
        per_client: queries admitted at once for one client.
        retry_after: seconds a refused client is told to wait.
    """

    def __init__(self, capacity: int, per_client: int, retry_after: int = 1) -> None:
        if capacity < 1 or per_client < 1:
            raise ValueError("admission needs room for at least one query")
        self.capacity = capacity
        self.per_client = per_client
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._total = 0
        self._clients: Counter[str] = Counter()

    @classmethod
    def from_settings(cls, values: Mapping[str, Any], workers: int) -> Admission:
        """The limits the settings ask for (:mod:`conflict_graph.settings`).

        ``max_waiting`` defaults to twice the workers and ``max_client_queries`` to
        ``workers - 1`` (at least 1). The total is kept below the server's ``threads``, so one
        thread always stays free for ``/health`` and for refusals. A refused client is told to
        retry after the time limit, when its running query has surely ended.
        """
        waiting = values.get("max_waiting")
        waiting = 2 * workers if waiting is None else int(waiting)
        per_client = values.get("max_client_queries")
        per_client = max(1, workers - 1) if per_client is None else int(per_client)
        threads = int(values.get("threads") or 8)
        capacity = max(1, min(workers + waiting, threads - 1))
        retry_after = max(1, math.ceil(float(values.get("query_timeout") or 10)))
        return cls(capacity, per_client, retry_after)

    @contextmanager
    def admit(self, client: str | None) -> Iterator[None]:
        """Hold a place for one query of ``client`` (None: counted in all only) while it runs.

        Raises:
            TooManyQueries: the client already has ``per_client`` queries running or waiting.
            ServerBusy: ``capacity`` queries are already running or waiting.
        """
        with self._lock:
            if client is not None and self._clients[client] >= self.per_client:
                raise TooManyQueries(
                    f"this client already has {self._clients[client]} query(ies) running or waiting, "
                    f"the most one client may have (CONFLICT_GRAPH_MAX_CLIENT_QUERIES); wait for "
                    "an answer before sending the next query", self.retry_after)
            if self._total >= self.capacity:
                raise ServerBusy(
                    f"the server is busy: {self._total} queries are running or waiting for a query "
                    "worker, the most it queues (CONFLICT_GRAPH_MAX_WAITING); try again shortly",
                    self.retry_after)
            self._total += 1
            if client is not None:
                self._clients[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._total -= 1
                if client is not None:
                    self._clients[client] -= 1
                    if self._clients[client] <= 0:
                        del self._clients[client]

    def stats(self) -> dict[str, int]:
        """Queries admitted now, clients with queries, and the two limits."""
        with self._lock:
            return {"admitted": self._total, "clients": len(self._clients), "capacity": self.capacity,
                    "per_client": self.per_client}
