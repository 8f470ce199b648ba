"""Queries run in a pool of worker processes, so a time limit really stops the work.

A query running inside pyoxigraph cannot be interrupted from Python, and a thread cannot be
killed. So every query runs in a separate process. Each worker (started with the ``spawn`` method)
opens the built dataset once with :func:`conflict_graph.store.open_store` and then answers jobs
sent over a pipe: it runs the query, cuts the result at the row cap and serialises it, so only
bytes come back.

The calling thread takes an idle worker, sends the job and waits until the deadline; the wait for
an idle worker counts against the same deadline. When the deadline passes, the worker is killed
(``SIGKILL``), the caller gets :class:`~conflict_graph.errors.QueryTimeout`, and a fresh worker is
started in the background. Other callers keep being served by the other workers meanwhile.

On Linux each worker also asks the kernel to kill it if the server dies, so a runaway query never
outlives the server that started it.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from .errors import ConflictGraphError, DataLoadError, QueryError, QuerySyntaxError, QueryTimeout

__all__ = [
    "Outcome",
    "QueryJob",
    "StatsJob",
    "WorkerLost",
    "WorkerPool",
    "perform",
]

log = logging.getLogger(__name__)

#: Seconds a new worker may take to open the dataset before it counts as failed.
START_TIMEOUT = 300.0
#: Stack of the thread that runs queries in a worker. pyoxigraph parses and evaluates recursively;
#: with the default 8 MiB a 40 KB query made of one long ``1 + 1 + …`` chain overflows it and the
#: process dies. The memory is only reserved, and used as deep as a query needs.
QUERY_STACK_BYTES = 512 * 1024 * 1024


class WorkerLost(QueryError):
    """The worker running a query died before answering (most often: it ran out of memory)."""


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker.

    Attributes:
        text: the query.
        dataset: the :class:`conflict_graph.store.QueryDataset` to run it over.
        format_name: the :mod:`conflict_graph.conneg` format to write (``json``, ``turtle``...).
        max_rows: the row cap (solutions or triples); 0 means none.
        base_iri: the IRI relative IRIs in the query resolve against.
        prefixes: prefix → namespace, offered to the RDF writers (Turtle, TriG, N3, RDF/XML).
    """

    text: str
    dataset: Any
    format_name: str
    max_rows: int = 0
    base_iri: str | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatsJob:
    """Ask a worker for VoID statistics of some graphs.

    Attributes:
        graphs: a name (any string) → the graph IRIs whose union to count.
    """

    graphs: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Outcome:
    """A worker's answer to a :class:`QueryJob`.

    Attributes:
        body: the serialised result.
        format_name: the format written (normally the requested one; see :func:`perform`).
        form: ``solutions`` (SELECT), ``boolean`` (ASK) or ``graph`` (CONSTRUCT/DESCRIBE).
        rows: solutions or triples written.
        truncated: True when the row cap cut the result.
    """

    body: bytes
    format_name: str
    form: str
    rows: int
    truncated: bool


# --- inside a worker --------------------------------------------------------------------------------

def _query(store: Any, job: QueryJob) -> Any:
    """Run the job's query over its dataset (:func:`conflict_graph.store.execute`)."""
    from .store import execute

    return execute(store, job.text, job.dataset, base_iri=job.base_iri)


def _rdf_bytes(triples: list[Any], format_name: str, prefixes: Mapping[str, str]) -> bytes:
    import pyoxigraph as ox

    formats = {
        "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG,
        "nquads": ox.RdfFormat.N_QUADS, "n3": ox.RdfFormat.N3,
    }
    rdf_format = formats[format_name]
    items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples] \
        if rdf_format.supports_datasets else triples
    if format_name in {"turtle", "trig", "n3", "rdfxml"} and prefixes:
        try:
            return ox.serialize(items, format=rdf_format, prefixes=dict(prefixes)) or b""
        except ValueError:  # a prefix the writer rejects: write full IRIs instead
            pass
    return ox.serialize(items, format=rdf_format) or b""


def perform(store: Any, job: QueryJob) -> Outcome:
    """Run one job against an open store and serialise its result (this is what a worker does).

    The requested format is written when it fits the result. If it does not (a results format
    for a CONSTRUCT, which only happens when the guard could not tell the form), the first format
    of the right kind is written instead and named in :attr:`Outcome.format_name`.
    """
    import pyoxigraph as ox

    from . import results

    result = _query(store, job)
    cap = job.max_rows if job.max_rows > 0 else None
    if isinstance(result, ox.QueryBoolean):
        name = job.format_name if job.format_name in results.WRITERS else "json"
        return Outcome(results.write_boolean(name, bool(result)), name, "boolean", 1, False)
    if isinstance(result, ox.QuerySolutions):
        name = job.format_name if job.format_name in results.WRITERS else "json"
        variables = [variable.value for variable in result.variables]
        rows = [list(solution) for solution in itertools.islice(result, None if cap is None else cap + 1)]
        truncated = cap is not None and len(rows) > cap
        rows = rows[:cap] if truncated else rows
        return Outcome(results.write_solutions(name, variables, rows), name, "solutions", len(rows),
                       truncated)
    name = job.format_name if job.format_name not in results.WRITERS else "turtle"
    triples = list(itertools.islice(result, None if cap is None else cap + 1))
    truncated = cap is not None and len(triples) > cap
    triples = triples[:cap] if truncated else triples
    return Outcome(_rdf_bytes(triples, name, job.prefixes), name, "graph", len(triples), truncated)


def graph_statistics(store: Any, job: StatsJob) -> dict[str, dict[str, int]]:
    """VoID counts (triples, distinct subjects/objects, properties, classes) per union of graphs."""
    import pyoxigraph as ox

    counts: dict[str, dict[str, int]] = {}
    for name, members in job.graphs.items():
        graphs = [ox.NamedNode(iri) for iri in members]
        if not graphs:
            counts[name] = {"triples": 0, "distinctSubjects": 0, "properties": 0,
                            "distinctObjects": 0, "classes": 0}
            continue
        row = next(iter(store.query(
            "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?p) AS ?p_) "
            "(COUNT(DISTINCT ?o) AS ?o_) WHERE { ?s ?p ?o }", default_graph=graphs)))
        classes = next(iter(store.query(
            "SELECT (COUNT(DISTINCT ?c) AS ?c_) WHERE { ?s a ?c }", default_graph=graphs)))
        counts[name] = {
            "triples": int(row["t"].value), "distinctSubjects": int(row["s_"].value),
            "properties": int(row["p_"].value), "distinctObjects": int(row["o_"].value),
            "classes": int(classes["c_"].value),
        }
    return counts


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when the server dies (no-op elsewhere)."""
    if sys.platform == "linux":
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    if os.getppid() != parent_pid:  # the server died before the request above took effect
        os._exit(0)


def _worker_main(artifact: str, conn: Connection, parent_pid: int) -> None:
    """Entry point of a worker process: answer jobs on a thread with a deep stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _die_with_parent(parent_pid)
    try:
        threading.stack_size(QUERY_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform that refuses: keep the default stack
        pass
    thread = threading.Thread(target=_serve, args=(artifact, conn), name="query")
    thread.start()
    thread.join()


def _serve(artifact: str, conn: Connection) -> None:
    """Open the dataset, then answer jobs until told to stop."""
    from .store import open_store

    try:
        store = open_store(Path(artifact))
    except ConflictGraphError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            if isinstance(job, StatsJob):
                reply: tuple[Any, ...] = ("ok", graph_statistics(store, job))
            else:
                reply = ("ok", perform(store, job))
        except ConflictGraphError as exc:
            reply = ("error", type(exc).__name__, str(exc))
        except Exception:  # a bug: report it to the server, which logs it and answers 500
            reply = ("crash", traceback.format_exc())
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


# --- in the server ------------------------------------------------------------------------------------

@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection


_ERRORS: dict[str, type[ConflictGraphError]] = {
    cls.__name__: cls for cls in (QuerySyntaxError, QueryError, DataLoadError, ConflictGraphError)
}


class WorkerPool:
    """A fixed number of worker processes answering jobs with a deadline each.

    Args:
        artifact: the built dataset (folder or ``dataset.nq``) every worker opens.
        size: how many workers (each holds its own copy of the dataset in memory).
    """

    def __init__(self, artifact: Path, size: int = 2) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.artifact = Path(artifact)
        self.size = size
        self.restarts = 0
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._launches: queue.Queue[bool | None] = queue.Queue()
        self._started: queue.Queue[str | None] = queue.Queue()
        self._closed = False
        # Workers are launched from one long-lived thread: on Linux a worker's "die with the
        # server" signal fires when the *thread* that launched it ends.
        self._launcher = threading.Thread(target=self._launch_loop, name="worker-launcher", daemon=True)
        self._launcher.start()

    # lifecycle

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start every worker and wait until each has opened the dataset.

        Raises:
            DataLoadError: a worker could not open the dataset (its message says why).
        """
        for _ in range(self.size):
            self._launches.put(True)
        deadline = time.monotonic() + timeout
        for _ in range(self.size):
            try:
                failure = self._started.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                failure = f"{self.artifact}: query workers did not start within {timeout:g} s"
            if failure is not None:
                self.close()
                raise DataLoadError(failure)

    def close(self) -> None:
        """Stop every worker (idle ones are asked to exit, busy ones are killed)."""
        self._closed = True
        self._launches.put(None)
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in workers:
            worker.process.join(timeout=1)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
            worker.conn.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> dict[str, Any]:
        """Pool size, workers alive and idle, their process ids, and how many were replaced."""
        with self._lock:
            alive = [worker.process.pid for worker in self._workers if worker.process.is_alive()]
        return {"size": self.size, "alive": len(alive), "idle": self._idle.qsize(),
                "restarts": self.restarts, "pids": sorted(pid or 0 for pid in alive)}

    # jobs

    def run(self, job: QueryJob | StatsJob, timeout: float) -> Any:
        """Run a job on an idle worker and return its answer.

        Args:
            job: a :class:`QueryJob` (answer: :class:`Outcome`) or :class:`StatsJob` (a dict).
            timeout: seconds, counting both the wait for an idle worker and the work.

        Raises:
            QueryTimeout: no worker became free in time, or the work ran past the deadline (the
                worker was then killed and is being replaced).
            WorkerLost: the worker died while working.
            QuerySyntaxError: the query does not parse.
            QueryError: any other reason the worker gave for not answering.
        """
        if self._closed:
            raise WorkerLost("the query workers have been stopped")
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(
                    f"the server is busy: no query worker became free within the {timeout:g} s "
                    "limit; try again later"
                ) from None
            if worker.process.is_alive():
                break
            self._replace(worker)  # died while idle (killed from outside): take another one
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran past the time limit of {timeout:g} s and was stopped; add a "
                    "LIMIT, make the patterns more selective, or avoid cross products"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerLost(
                "the query worker stopped while running the query (it ran out of memory or crashed); "
                "it is being replaced"
            ) from None
        self._idle.put(worker)
        status = reply[0]
        if status == "ok":
            return reply[1]
        if status == "error":
            raise _ERRORS.get(reply[1], QueryError)(reply[2])
        raise RuntimeError(f"query worker failed:\n{reply[1]}")

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        with self._lock:
            self._workers.discard(worker)
            self.restarts += 1
        if not self._closed:
            self._launches.put(False)

    # launching (processes are created on the launcher thread only)

    def _launch_loop(self) -> None:
        while True:
            initial = self._launches.get()
            if initial is None or self._closed:
                return
            parent_end, child_end = self._context.Pipe()
            process = self._context.Process(
                target=_worker_main, args=(str(self.artifact), child_end, os.getpid()),
                name="conflict-graph-query-worker", daemon=True,
            )
            process.start()
            child_end.close()
            threading.Thread(target=self._await_ready, args=(_Worker(process, parent_end), initial),
                             name="worker-start", daemon=True).start()

    def _await_ready(self, worker: _Worker, initial: bool) -> None:
        try:
            ready = worker.conn.poll(START_TIMEOUT)
            message = worker.conn.recv() if ready else ("failed", "did not open the dataset in time")
        except (EOFError, OSError):
            message = ("failed", f"exited with code {worker.process.exitcode} while opening the dataset")
        if message[0] != "ready":
            worker.process.kill()
            worker.process.join(timeout=5)
            worker.conn.close()
            log.error("query worker failed to start: %s", message[1])
            if initial:
                self._started.put(str(message[1]))
            elif not self._closed:  # a replacement: try again a little later
                time.sleep(5)
                self._launches.put(False)
            return
        with self._lock:
            if self._closed:
                worker.conn.send(None)
                return
            self._workers.add(worker)
        self._idle.put(worker)
        if initial:
            self._started.put(None)
