"""Fair sharing of the query workers between clients.

A query holds a server thread while it waits for a query worker and while it runs. Clients are
told apart by remote address. :class:`Admission` decides who gets a worker, in three steps:

1. **Refuse at once** what cannot be served soon: a client with ``per_client`` queries already
   running or waiting gets :class:`TooManyQueries` (HTTP 429), and a query arriving while
   ``max_waiting`` queries already wait gets :class:`ServerBusy` (HTTP 503). Both carry
   ``retry_after`` and cost nothing.
2. **Queue fairly**: when a worker is free, it goes to the waiting query whose client has used
   the least worker time recently (worker-seconds, decaying with a half-life of
   :data:`HALF_LIFE` seconds; the time of its running queries included), the oldest first among
   equals: start-time fair queueing over clients, as in Demers, Keshav and Shenker, "Analysis and
   simulation of a fair queueing algorithm" (SIGCOMM 1989). One client may run on at most
   ``client_workers`` workers at once while it is heavy (below); a light client may also take a
   worker beyond its share that nobody else waits for, so one client alone uses every worker.
3. **Move long queries aside**: a query running longer than ``fair_share`` seconds (a tenth of
   that if its client was heavy, below, and others active when it started) gives up its place to a waiting query and goes on beside the ``workers`` (at most ``long_slots`` such
   queries; the pool has processes for them, and lowers their CPU priority). Short queries keep
   every worker while a few long ones run.
4. **Keep a worker for light clients**: a client is *heavy* while its recent worker time is above
   ``fair_share`` seconds (or it has a query running longer than that). With two workers or
   more, a heavy client's query does not take the last worker not held by a heavy query while
   other clients are active (they have a query now, or had one in the last :data:`HALF_LIFE`
   seconds); a client alone uses every worker. And when a worker runs a long query that could
   not be moved aside (every place beside the workers is taken) while a lighter client waits,
   the query of the heaviest client among it and the long queries beside the workers is
   stopped (:class:`~conflict_graph.errors.QueryPreempted`, HTTP 503 with ``Retry-After``) and
   its worker replaced, so a few addresses sending explosive queries cannot shut out everyone
   else. ``fair_share = 0`` switches steps 3 and 4 off.

A query that waits past its time limit gets :class:`~conflict_graph.errors.QueryTimeout`. Nothing
here runs a query: the engine calls :meth:`Admission.admit` around the worker pool.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from ..errors import QueryError, QueryTimeout

__all__ = ["HALF_LIFE", "Admission", "ServerBusy", "TooManyQueries", "Turn"]

#: Recent worker seconds above which a client is heavy, and a query long (the setting's default:
#: with 1 s, two clients sending explosive queries cost the others half their throughput; with
#: 0.5 s about a third, in ``benchmarks/bench_abuse.py``).
DEFAULT_FAIR_SHARE = 0.5
#: Seconds after which a client's recorded worker time counts half.
HALF_LIFE = 30.0
#: Clients whose recent use is remembered at most; beyond it the lightest are forgotten (their
#: use counts as none, which can only favour them), so memory and the scans over the clients stay
#: bounded however many addresses send queries.
MAX_REMEMBERED_CLIENTS = 4096
#: A heavy client's query counts as long after this share of ``fair_share`` (it moves aside sooner).
HEAVY_LONG_SHARE = 0.1
#: Seconds between two looks at the queue by a waiting query (a running query can turn heavy).
_RECHECK = 0.05


class ServerBusy(QueryError):
    """The queue of queries waiting for a worker is full."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyQueries(QueryError):
    """One client already has as many queries running or waiting as it may."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(eq=False)
class Turn:
    """One query's place: waiting, then running on a worker.

    Attributes:
        client: the client's address (None: counted in all only, never heavy).
        arrived: when the query asked for a worker (monotonic seconds).
        started: when it got one (None while it waits).
        stop_reason: set when the query must stop to free its worker for others.
        heavy: its client was heavy, and others active, when it got its worker (its query gets a
            lower CPU priority sooner, and moves aside sooner; a client alone is never slowed).
    """

    client: str | None
    arrived: float
    order: int
    started: float | None = None
    stop_reason: str | None = None
    long: bool = False
    heavy: bool = False
    granted: threading.Event = field(default_factory=threading.Event)

    def stop_requested(self) -> str | None:
        """Why the running query must stop now, or None (the worker pool asks while it waits)."""
        return self.stop_reason


class Admission:
    """Who may wait for a worker, and who gets the next free one.

    Args:
        workers: the query workers (queries running at once).
        per_client: queries one client may have running or waiting.
        max_waiting: queries that may wait for a worker, in all.
        client_workers: workers one client may use at once.
        fair_share: seconds of recent worker time above which a client is heavy (0: never).
        retry_after: seconds a refused client is told to wait.
        long_slots: long queries that may run beside the ``workers`` (0: none).
        clock: monotonic seconds (tests pass their own).
    """

    def __init__(self, workers: int, *, per_client: int = 5, max_waiting: int = 32,
                 client_workers: int | None = None, fair_share: float = DEFAULT_FAIR_SHARE, retry_after: int = 1,
                 long_slots: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        if workers < 1 or per_client < 1:
            raise ValueError("admission needs room for at least one query")
        self.workers = workers
        self.per_client = per_client
        self.max_waiting = max_waiting
        self.client_workers = client_workers or workers
        self.fair_share = fair_share
        self.retry_after = retry_after
        self.long_slots = long_slots if fair_share > 0 else 0
        self._clock = clock
        self._lock = threading.Lock()
        self._order = count()
        self._waiting: list[Turn] = []
        self._running: list[Turn] = []
        self._used: dict[str, tuple[float, float]] = {}  # client → (worker-seconds, as of when)
        self.preempted = 0

    @classmethod
    def from_settings(cls, values: Mapping[str, Any], workers: int) -> Admission:
        """The limits the settings ask for (:mod:`conflict_graph.settings`).

        ``max_waiting`` defaults to 16 per worker, kept below the server's ``threads`` minus the
        queries that may run (the workers and as many long ones) minus 2, so that threads stay
        free for ``/health`` and for refusals; ``client_workers`` to every worker
        but one (at least one). A refused client is told to retry after the time limit.
        """
        threads = int(values.get("threads") or 8)
        waiting = values.get("max_waiting")
        waiting = 16 * workers if waiting is None else int(waiting)
        waiting = max(0, min(waiting, threads - 2 * workers - 2))
        client_workers = values.get("max_client_workers")
        client_workers = max(1, workers - 1) if client_workers is None else int(client_workers)
        fair_share = values.get("fair_share_seconds")
        return cls(workers, per_client=int(values.get("max_client_queries") or 5), max_waiting=waiting,
                   client_workers=client_workers,
                   fair_share=DEFAULT_FAIR_SHARE if fair_share is None else float(fair_share), long_slots=workers,
                   retry_after=max(1, math.ceil(float(values.get("query_timeout") or 10))))

    # accounting (callers hold the lock)

    def _recent(self, client: str | None, now: float) -> float:
        """Worker-seconds the client used recently, its running queries included."""
        if client is None:
            return 0.0
        used, when = self._used.get(client, (0.0, now))
        total: float = used * 0.5 ** ((now - when) / HALF_LIFE)
        return total + sum(now - (t.started or now) for t in self._running if t.client == client)

    def _heavy(self, client: str | None, now: float) -> bool:
        return self.fair_share > 0 and client is not None and self._recent(client, now) > self.fair_share

    def _long(self, turn: Turn, now: float) -> bool:
        limit = self.fair_share * (HEAVY_LONG_SHARE if turn.heavy else 1.0)
        return self.fair_share > 0 and turn.started is not None and now - turn.started > limit

    def _busy(self) -> int:
        """Workers held by queries that have not given up their place."""
        return sum(1 for t in self._running if not t.long)

    def _schedule(self, now: float) -> None:
        """Move long queries out of the way, give free workers to waiting queries, and stop one
        long query if light clients starve."""
        moved = sum(1 for t in self._running if t.long)
        for turn in self._running:
            if moved < self.long_slots and not turn.long and self._long(turn, now):
                turn.long = True
                moved += 1
        while self._waiting and self._busy() < self.workers:
            chosen = self._next(now)
            if chosen is None:
                break
            self._waiting.remove(chosen)
            chosen.started = now
            chosen.heavy = self._heavy(chosen.client, now) and self._others_active(chosen.client, now)
            self._running.append(chosen)
            chosen.granted.set()
        if self._waiting and self._busy() >= self.workers:
            self._preempt(now)

    def _next(self, now: float) -> Turn | None:
        """The waiting turn to run next: least recent use first, then the oldest."""
        heavy_running = sum(1 for t in self._running
                            if not t.long and (self._long(t, now) or self._heavy(t.client, now)))
        candidates = []
        for turn in self._waiting:
            heavy = self._heavy(turn.client, now)
            over = turn.client is not None and sum(
                1 for t in self._running if t.client == turn.client) >= self.client_workers
            if over and (heavy or self.fair_share <= 0):
                continue  # a light client may use a worker beyond its share while it is free
            if (self.workers > 1 and heavy and heavy_running + 1 >= self.workers
                    and self._others_active(turn.client, now)):
                continue  # keep one worker for the other clients, which are lighter
            candidates.append((over, self._recent(turn.client, now), turn.order, turn))
        return min(candidates, key=lambda c: c[:3])[3] if candidates else None

    def _others_active(self, client: str | None, now: float) -> bool:
        """True when a client other than ``client`` has a query now or had one recently."""
        return (any(t.client != client for t in self._running + self._waiting)
                or any(c != client and now - when < HALF_LIFE for c, (_, when) in self._used.items()))

    def _preempt(self, now: float) -> None:
        if self.fair_share <= 0 or any(t.stop_reason for t in self._running):
            return  # off, or one query is already being stopped
        stuck = [t for t in self._running if not t.long and self._long(t, now)]
        if not stuck:
            return  # no worker is held by a long query: one will soon be free
        lane = [t for t in self._running if t.long]  # stopping one of these lets a stuck one move
        lightest = min(self._recent(t.client, now) for t in self._waiting)
        victim = max(stuck + lane, key=lambda t: (self._recent(t.client, now), t.started or 0))
        if self._recent(victim.client, now) <= lightest + self.fair_share:
            return  # the waiting clients are no lighter
        victim.stop_reason = (
            f"the query was stopped after {now - (victim.started or now):.1f} s to let other clients' "
            "queries run: long queries held the query workers and every place beside them, and this "
            f"client has used the most worker time recently ({self._recent(victim.client, now):.1f} s; fair sharing, "
            "CONFLICT_GRAPH_FAIR_SHARE_SECONDS); retry later, or make the query more selective")
        self.preempted += 1

    # the interface

    @contextmanager
    def admit(self, client: str | None, timeout: float) -> Iterator[Turn]:
        """Wait for a fair turn on a worker, and hold it while the query runs.

        Args:
            client: the client's address (None: counted in all only).
            timeout: seconds the wait may take.

        Raises:
            TooManyQueries: the client already has ``per_client`` queries running or waiting.
            ServerBusy: ``max_waiting`` queries are already waiting.
            QueryTimeout: no worker came free for this query within ``timeout``.
        """
        deadline = self._clock() + timeout
        with self._lock:
            turn = self._enqueue(client)
            self._schedule(self._clock())
        try:
            while not turn.granted.wait(min(_RECHECK, max(0.0, deadline - self._clock()))):
                with self._lock:
                    if turn.granted.is_set():
                        break
                    if self._clock() >= deadline:
                        self._waiting.remove(turn)
                        raise QueryTimeout(
                            f"the server is busy: no query worker became free for this query within "
                            f"its {timeout:g} s limit; try again later")
                    self._schedule(self._clock())
            yield turn
        finally:
            with self._lock:
                now = self._clock()
                if turn in self._running:
                    self._running.remove(turn)
                    self._record(turn, now)
                elif turn in self._waiting:
                    self._waiting.remove(turn)
                self._schedule(now)

    def _enqueue(self, client: str | None) -> Turn:
        if client is not None:
            mine = sum(1 for t in self._running + self._waiting if t.client == client)
            if mine >= self.per_client:
                raise TooManyQueries(
                    f"this client already has {mine} queries running or waiting, the most one client "
                    "may have (CONFLICT_GRAPH_MAX_CLIENT_QUERIES); wait for an answer before sending "
                    "the next query", self.retry_after)
        free = self.workers - self._busy()
        if len(self._waiting) >= self.max_waiting + max(0, free):
            raise ServerBusy(
                f"the server is busy: {len(self._waiting)} queries are waiting for a query worker, the "
                "most it queues (CONFLICT_GRAPH_MAX_WAITING); try again shortly", self.retry_after)
        turn = Turn(client, self._clock(), next(self._order))
        self._waiting.append(turn)
        return turn

    def _record(self, turn: Turn, now: float) -> None:
        if turn.client is None or turn.started is None:
            return
        self._add(turn.client, now - turn.started, now)

    def charge(self, client: str | None, seconds: float) -> None:
        """Count ``seconds`` of work done for ``client`` outside the workers (the query checker
        runs in the server) as worker time, so it weighs in its fair share like a query."""
        if client is None or seconds <= 0:
            return
        with self._lock:
            self._add(client, seconds, self._clock())

    def _add(self, client: str, seconds: float, now: float) -> None:
        used, when = self._used.get(client, (0.0, now))
        self._used[client] = (used * 0.5 ** ((now - when) / HALF_LIFE) + seconds, now)
        if len(self._used) > MAX_REMEMBERED_CLIENTS:
            self._forget_light_clients(now)

    def _forget_light_clients(self, now: float) -> None:
        """Keep the heaviest half of :data:`MAX_REMEMBERED_CLIENTS` clients whose use has not
        decayed to nothing; halving makes the rebuild happen at most once per that many queries."""
        current = {c: u * 0.5 ** ((now - w) / HALF_LIFE) for c, (u, w) in self._used.items()}
        kept = sorted((c for c in current if current[c] > 0.01), key=current.__getitem__,
                      reverse=True)[:MAX_REMEMBERED_CLIENTS // 2]
        self._used = {c: self._used[c] for c in kept}

    def ready(self) -> bool:
        """True when a worker is free for a query arriving now."""
        with self._lock:
            return self._busy() < self.workers and not self._waiting

    def stats(self) -> dict[str, int | float]:
        """Queries running and waiting, clients with queries, the limits, queries stopped."""
        with self._lock:
            turns = self._running + self._waiting
            return {"running": len(self._running), "long": sum(1 for t in self._running if t.long),
                    "waiting": len(self._waiting),
                    "clients": len({t.client for t in turns}), "workers": self.workers,
                    "long_slots": self.long_slots, "max_waiting": self.max_waiting,
                    "per_client": self.per_client,
                    "client_workers": self.client_workers, "fair_share_seconds": self.fair_share,
                    "preempted": self.preempted}
