"""Queries run in a pool of worker processes, so a time limit really stops the work.

A query running inside pyoxigraph cannot be interrupted from Python, and a thread cannot be
killed. So every query runs in a separate process. Each worker opens the artifact's on-disk store read-only with :func:`conflict_graph.store.open_query_store`
(all workers share its files: no worker holds a copy of the data) and then answers jobs sent over
a pipe: it runs the query, cuts the result at the row cap and serialises it, so only bytes come
back.

Workers are forked from a *fork server* (``multiprocessing``'s ``forkserver`` start method), a
small process started once that has already imported Python, pyoxigraph and this package: a
worker replaced after a timeout or a memory limit starts in milliseconds instead of paying a
new interpreter's start-up (about a second of CPU, which a two-core machine under attack cannot
spare), and the workers share the fork server's pages for the modules.

The calling thread takes an idle worker, sends the job with its deadline and waits; the wait for
an idle worker counts against the same deadline. The idle worker taken is the one that finished
last (its caches are warm). Waking a process whose core went idle costs tens of microseconds on
a virtual machine, and runs its code on cold caches, several times the work of a small query;
so while a job runs alone (no other job is running), its caller keeps its core for
:data:`CALLER_SPIN_SECONDS` waiting for the answer, and the worker keeps its core for
:data:`WORKER_SPIN_SECONDS` after answering, in case the next job follows at once; both yield
the core to anything else runnable (``sched_yield``). Under load nobody spins: the cores are
then better used by the queries. One message goes each way: the job, then its
answer, which is ``expired`` if the deadline had already passed when the worker read the job (a
job that never started is withdrawn and its worker stays in the pool). When the deadline passes
while a job runs, the worker is killed
(``SIGKILL``), the caller gets :class:`~conflict_graph.errors.QueryTimeout`, and a fresh worker is
started in the background. Other callers keep being served by the other workers meanwhile.

Deadlines are ``time.monotonic()`` values, which are system-wide (the same clock in every process
of one machine) on Linux, macOS and Windows.

What a worker does with a job is in :mod:`conflict_graph.jobs`.

On Linux each worker also asks the kernel to kill it if the server dies, so a runaway query never
outlives the server that started it.

Each worker may grow by at most ``memory_limit`` bytes of address space beyond its size once the
dataset is open (``RLIMIT_AS``, POSIX ``setrlimit``): a query that needs more (``ORDER BY`` over a
cross product, strings doubled by nested ``CONCAT``) fails to allocate, and the worker either
answers :class:`WorkerLost` or dies and is replaced; the client gets 503 either way.

A query that runs longer than ``lower_priority_after`` seconds gets a lower CPU priority (its
worker's nice value is raised to :data:`LONG_QUERY_NICENESS`), so it uses the cores other
workers leave idle and short queries keep their latency; when it ends, the worker gets its
priority back or, if the system refuses that to an unprivileged process, is replaced.

A caller may also pass ``cancel``: while the query runs the pool asks it every
:data:`CANCEL_POLL` seconds, and when it names a reason the worker is killed and replaced and
the caller gets :class:`~conflict_graph.errors.QueryPreempted` (the fair sharing of
:mod:`conflict_graph.query.admission` uses this).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue
import select
import signal
import struct
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from collections.abc import Callable
from typing import Any

from ..errors import (
    ConflictGraphError,
    DataLoadError,
    NotAcceptable,
    QueryError,
    QueryPreempted,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
)
from . import guard
from .jobs import (InspectJob, ModulesJob, Outcome, QueryJob, StatsJob, graph_statistics, loaded_packages,
                   perform)
from .service_check import ServiceFailed
from .spawning import main_module_hidden

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
#: Python recursion limit in a worker: the query checker (run in a worker for long texts)
#: recurses with the nesting of a query, and a worker's query thread has the deep stack above.
WORKER_RECURSION_LIMIT = 100_000
#: Seconds a caller waits past the deadline for the worker's answer before killing it: a job
#: whose deadline passed before the worker read it is answered ``expired`` at once, and the worker
#: is kept.
EXPIRY_GRACE = 0.25
#: Modules the fork server imports once, before it forks any worker. Not ``__main__``: for
#: ``conflict-graph serve`` that is the console script, which would bring the command line and
#: rdflib into every worker (see :mod:`conflict_graph.query.spawning`).
#: The result writers are among them, so a worker's first answer does not import them (about
#: 20 ms) and every worker shares their pages.
FORK_SERVER_PRELOAD = ["conflict_graph.query.workers", "conflict_graph.query.store", "pyoxigraph",
                       "conflict_graph.query.results", "conflict_graph.query.solution_writer",
                       "conflict_graph.query.rdf_writer"]
#: Seconds between two questions to a running query's ``cancel`` callback.
CANCEL_POLL = 0.05
#: Nice value of a worker while it runs a long query (POSIX ``setpriority``; 0 is the default).
LONG_QUERY_NICENESS = 19
#: A job's message: its deadline and the seconds its worker may spin after it, then the pickled job.
_HEADER = struct.Struct("<dd")
#: Bytes of pickled jobs a worker remembers unpickled (forgotten all at once beyond it).
REMEMBERED_JOB_BYTES = 4 * 1024 * 1024
#: Seconds between two looks for idle workers that have died.
SWEEP_INTERVAL = 1.0
#: Seconds a worker keeps its core after answering, in case the next job follows at once.
WORKER_SPIN_SECONDS = 0.001
#: Seconds a caller keeps its core waiting for a worker's answer before it blocks.
CALLER_SPIN_SECONDS = 0.001


class WorkerLost(QueryError):
    """The worker running a query died before answering (most often: it ran out of memory)."""


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere).

    The parent is the fork server, which exits when the server does; ``parent_pid`` is the
    server's, checked once more in case it died before the request took effect.
    """
    if sys.platform == "linux":
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    try:
        os.kill(parent_pid, 0)
    except ProcessLookupError:  # the server died before the request above took effect
        os._exit(0)
    except PermissionError:
        pass


def _limit_memory(allowance: int) -> None:
    """Let this process grow by ``allowance`` bytes of address space from now on (Linux, BSD)."""
    if allowance <= 0:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + allowance
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):  # no /proc or no setrlimit: run without the limit
        log.warning("query workers run without a memory limit on this platform")


def _worker_main(artifact: str, conn: Connection, parent_pid: int, memory_limit: int = 0) -> None:
    """Entry point of a worker process: answer jobs on a thread with a deep stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _die_with_parent(parent_pid)
    try:
        threading.stack_size(QUERY_STACK_BYTES)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), WORKER_RECURSION_LIMIT))
    except (ValueError, RuntimeError):  # a platform that refuses: keep the default stack
        pass
    thread = threading.Thread(target=_serve, args=(artifact, conn, memory_limit), name="query")
    thread.start()
    thread.join()


def _serve(artifact: str, conn: Connection, memory_limit: int = 0) -> None:
    """Open the dataset, then answer jobs until told to stop.

    Each message is ``(deadline, job)``; the answer is ``("expired",)`` when the deadline has
    passed before the job starts, else the result when done.
    """
    from . import store as stores

    try:
        _, store = stores.open_query_store(Path(artifact))
    except ConflictGraphError as exc:
        conn.send(("failed", str(exc)))
        return
    _limit_memory(memory_limit)
    conn.send(("ready", os.getpid()))
    arrived = _arrival_check(conn)
    spin = 0.0
    jobs: dict[bytes, Any] = {}  # jobs seen recently, by their pickled bytes
    remembered = 0  # bytes of their keys
    while True:
        _spin_until(arrived, spin)
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not message:
            return
        deadline, spin = _HEADER.unpack_from(message)
        blob = message[_HEADER.size:]
        job = jobs.get(blob)
        if job is None:
            job = pickle.loads(blob)
            remembered += len(blob)
            if remembered > REMEMBERED_JOB_BYTES:
                jobs.clear()
                remembered = len(blob)
            jobs[blob] = job
        if time.monotonic() >= deadline:
            try:
                conn.send(("expired",))
            except (OSError, ValueError):
                return
            continue
        try:
            if isinstance(job, StatsJob):
                reply: tuple[Any, ...] = ("ok", graph_statistics(store, job))
            elif isinstance(job, InspectJob):
                reply = ("ok", guard.inspect(job.text, job.base_iri))
            elif isinstance(job, ModulesJob):
                reply = ("ok", loaded_packages())
            else:
                reply = ("ok", perform(store, job))
        except ConflictGraphError as exc:
            reply = ("error", type(exc).__name__, str(exc))
        except MemoryError:
            reply = ("error", "WorkerLost", _memory_message(memory_limit))
        except Exception:  # a bug: report it to the server, which logs it and answers 500
            reply = ("crash", traceback.format_exc())
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _arrival_check(source: Connection | int) -> Callable[[], bool]:
    """A cheap question: has something arrived on ``source`` (or has it closed)? One ``poll``
    system call, where ``Connection.poll`` builds a selector each time."""
    poller = select.poll()
    poller.register(source if isinstance(source, int) else source.fileno(), select.POLLIN)
    return lambda: bool(poller.poll(0))


def _spin_until(arrived: Callable[[], bool], seconds: float) -> bool:
    """Keep the CPU for up to ``seconds`` while waiting, giving it up to anything else runnable.

    A process that blocks lets its core go idle, and on a virtual machine waking an idle core
    costs tens of microseconds and cold caches, several times the work of a small query. Spinning
    a little while a reply or the next job is likely to come keeps the core awake; ``sched_yield``
    hands it to any other runnable thread, so the spin costs only otherwise idle time.
    """
    if seconds <= 0:
        return arrived()
    end = time.perf_counter() + seconds
    while True:
        if arrived():
            return True
        if time.perf_counter() >= end:
            return False
        os.sched_yield()


def pickled(job: QueryJob | StatsJob | InspectJob | ModulesJob) -> bytes:
    """A job as :meth:`WorkerPool.run` sends it."""
    return pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)


def _memory_message(limit: int) -> str:
    return (f"the query needed more memory than a query worker may use ({limit // 2**20:,} MB, "
            "CONFLICT_GRAPH_WORKER_MEMORY_MB); make it more selective, avoid cross products or add "
            "a LIMIT")


# --- in the server ------------------------------------------------------------------------------------

def _fork_server_context() -> Any:
    """The ``forkserver`` start method with this package preloaded (``spawn`` where there is none)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(FORK_SERVER_PRELOAD)
    return context


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    lowered: bool = False  # its CPU priority was lowered while it ran a long query

    def __post_init__(self) -> None:
        self.arrived = _arrival_check(self.conn)  # has its answer arrived?
        self.ended = _arrival_check(self.process.sentinel)  # has the process ended?


_ERRORS: dict[str, type[ConflictGraphError]] = {
    cls.__name__: cls for cls in (QuerySyntaxError, QueryRefused, NotAcceptable, ServiceFailed, WorkerLost,
                                  QueryError, DataLoadError, ConflictGraphError)
}


class WorkerPool:
    """A fixed number of worker processes answering jobs with a deadline each.

    Args:
        artifact: the built dataset (folder or ``dataset.nq``) every worker opens.
        size: how many workers (they share the on-disk store; each runs one query at a time).
        memory_limit: bytes of address space each worker may add once the store is open
            (0: no limit).
        spare: workers started beyond ``size``. The pool itself runs as many jobs at once as
            it has idle workers; a caller that runs at most ``size`` at once (the engine's
            admission) always finds a started worker, even right after one was killed and while
            its replacement starts.
        lower_priority_after: seconds after which a running query's worker gets a lower CPU
            priority (0: never).
    """

    def __init__(self, artifact: Path, size: int = 2, memory_limit: int = 0, spare: int = 0,
                 lower_priority_after: float = 0.0) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.artifact = Path(artifact)
        self.size = size
        self.spare = spare
        self.lower_priority_after = lower_priority_after
        self.memory_limit = memory_limit
        self.restarts = 0
        self._context = _fork_server_context()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._running = 0  # jobs sent and not yet answered
        self._next_sweep = 0.0
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
        for _ in range(self.size + self.spare):
            self._launches.put(True)
        deadline = time.monotonic() + timeout
        for _ in range(self.size + self.spare):
            try:
                failure = self._started.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                failure = f"{self.artifact}: query workers did not start within {timeout:g} s"
            if failure is not None:
                self.close()
                raise DataLoadError(failure)

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones are killed.

        A busy worker's pipe belongs to the thread running its job, which may be reading or
        writing it: only that thread closes it (it reads the end of the pipe and replaces the
        worker, and a closed pool launches none). Closing it here, under that thread, would make
        its read fail with an error other than the end of the pipe, or read a reused descriptor;
        a worker that thread gives back after this is stopped by it (:meth:`_make_idle`).
        """
        self._launches.put(None)
        with self._lock:  # from here, no worker is made idle: it is stopped instead
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        with self._idle.mutex:  # no job can take these any more
            idle = [worker for worker in self._idle.queue if worker in workers]
            self._idle.queue.clear()
        for worker in workers:  # all at once, then wait for each
            if worker in idle:
                self._ask_to_exit(worker)
            else:
                worker.process.kill()
        for worker in workers:
            self._reap(worker)
        for worker in idle:
            worker.conn.close()

    def _make_idle(self, worker: _Worker) -> None:
        """Give a worker back for the next job, or stop it if the pool has closed meanwhile."""
        with self._lock:
            if not self._closed:
                self._idle.put(worker)
                return
        self._stop(worker)

    @classmethod
    def _stop(cls, worker: _Worker) -> None:
        """Stop a worker nobody else holds, and close its pipe."""
        cls._ask_to_exit(worker)
        cls._reap(worker)
        worker.conn.close()

    @staticmethod
    def _ask_to_exit(worker: _Worker) -> None:
        """Send the empty message that ends a worker's loop (nothing if it has already exited)."""
        try:
            worker.conn.send_bytes(b"")
        except (OSError, ValueError):
            pass

    @staticmethod
    def _reap(worker: _Worker) -> None:
        """Wait a second for a worker to exit, then kill it."""
        worker.process.join(timeout=1)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> dict[str, Any]:
        """Pool size, workers alive and idle, their process ids, and how many were replaced."""
        self._replace_ended_idle()
        with self._lock:
            alive = [worker.process.pid for worker in self._workers if worker.process.is_alive()]
        return {"size": self.size, "spare": self.spare, "alive": len(alive), "idle": self._idle.qsize(),
                "restarts": self.restarts, "pids": sorted(pid or 0 for pid in alive)}

    # jobs

    def run(self, job: QueryJob | StatsJob | InspectJob | ModulesJob | bytes, timeout: float,
            cancel: Callable[[], str | None] | None = None, since: float | None = None,
            low_priority: bool = False) -> Any:
        """Run a job on an idle worker and return its answer.

        Args:
            job: a :class:`QueryJob` (answer: :class:`Outcome`), :class:`StatsJob` (a dict) or
                :class:`InspectJob` (a :class:`~conflict_graph.query.guard.QueryShape`) or
                :class:`ModulesJob` (a list), or one of them already :func:`pickled` (a prepared
                query's job is pickled once, and a worker unpickles a job it saw recently
                only once).
            timeout: seconds, counting both the wait for an idle worker and the work.
            cancel: asked while the job runs; a reason it returns stops the job.
            since: when the ``timeout`` began (``time.monotonic()``; default: now), if the caller
                already waited for its turn.
            low_priority: give the job the lower CPU priority of a long query once it has run
                :data:`CANCEL_POLL` seconds (not only after ``lower_priority_after``).

        Raises:
            QueryTimeout: no worker became free in time, or the job could not start before its
                deadline (it is withdrawn; the worker stays), or the work ran past the deadline
                (the worker was then killed and is being replaced).
            WorkerLost: the worker died while working, or ran out of memory.
            QueryPreempted: ``cancel`` gave a reason (the worker was then killed and is being
                replaced).
            QuerySyntaxError: the query does not parse.
            QueryRefused, NotAcceptable, ServiceFailed: see :func:`conflict_graph.jobs.perform`.
            QueryError: any other reason the worker gave for not answering.
        """
        if self._closed:
            raise WorkerLost("the query workers have been stopped")
        if time.monotonic() >= self._next_sweep:
            self._replace_ended_idle()
        deadline = (time.monotonic() if since is None else since) + timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(
                    f"the server is busy: no query worker became free within the {timeout:g} s "
                    "limit; try again later"
                ) from None
            if not worker.ended():
                break
            self._replace(worker)  # died while idle (killed from outside): take another one
        with self._lock:
            self._running += 1
            alone = self._running == 1
        try:
            blob = job if isinstance(job, bytes) else pickled(job)
            worker.conn.send_bytes(_HEADER.pack(deadline, WORKER_SPIN_SECONDS if alone else 0.0) + blob)
            stopped = None
            if not (alone and _spin_until(worker.arrived, CALLER_SPIN_SECONDS)):
                stopped = self._await_reply(worker, deadline + EXPIRY_GRACE,
                                            self._lowering(worker, cancel, 0.0 if low_priority else None))
            if stopped is not None:
                self._replace(worker)
                raise QueryPreempted(stopped)
            if not worker.arrived():
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran past the time limit of {timeout:g} s and was stopped; add a "
                    "LIMIT, make the patterns more selective, or avoid cross products"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            if self._closed:
                raise WorkerLost("the server is stopping and stopped the query before it ended; "
                                 "try again in a moment") from None
            limit = f" of {self.memory_limit // 2**20:,} MB" if self.memory_limit else ""
            raise WorkerLost(
                f"the query worker stopped while running the query: it reached the memory limit{limit} "
                "(CONFLICT_GRAPH_WORKER_MEMORY_MB) or crashed, and it is being replaced; make the query "
                "more selective, avoid cross products or add a LIMIT"
            ) from None
        finally:
            with self._lock:
                self._running -= 1
        if not (worker.lowered and self._restore_priority(worker)):  # also after an expired job
            self._make_idle(worker)
        status = reply[0]
        if status == "expired":
            raise QueryTimeout(f"the server is busy: the query could not start within its {timeout:g} s "
                               "limit; try again later")
        if status == "ok":
            return reply[1]
        if status == "error":
            raise _ERRORS.get(reply[1], QueryError)(reply[2])
        raise RuntimeError(f"query worker failed:\n{reply[1]}")

    def _lowering(self, worker: _Worker, cancel: Callable[[], str | None] | None,
                  after: float | None = None) -> Callable[[], str | None] | None:
        """``cancel``, also lowering the worker's priority once the job has run ``after`` seconds
        (default: ``lower_priority_after``)."""
        after = self.lower_priority_after if after is None else after
        if (after <= 0 and self.lower_priority_after <= 0) or not hasattr(os, "setpriority"):
            return cancel
        lower_at = time.monotonic() + after

        def check() -> str | None:
            if not worker.lowered and time.monotonic() >= lower_at and worker.process.pid:
                try:
                    os.setpriority(os.PRIO_PROCESS, worker.process.pid, LONG_QUERY_NICENESS)
                    worker.lowered = True
                except OSError:
                    pass
            return cancel() if cancel is not None else None
        return check

    def _restore_priority(self, worker: _Worker) -> bool:
        """Give a worker its priority back; if not allowed, replace it. True if it was replaced."""
        try:
            os.setpriority(os.PRIO_PROCESS, worker.process.pid or 0, 0)
            worker.lowered = False
            return False
        except OSError:
            self._replace(worker)
            return True

    @staticmethod
    def _await_reply(worker: _Worker, deadline: float,
                     cancel: Callable[[], str | None] | None) -> str | None:
        """Wait for the reply until ``deadline``; the reason to stop early if ``cancel`` gives one."""
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            if worker.conn.poll(remaining if cancel is None else min(remaining, CANCEL_POLL)):
                return None
            reason = cancel() if cancel is not None else None
            if reason:
                return reason
            if time.monotonic() >= deadline:
                return None

    def _replace_ended_idle(self) -> None:
        """Replace the idle workers whose process has ended (killed from outside).

        The most recently used idle worker runs the next job (its caches are warm), so one at the
        bottom of the idle stack may wait long before a job would find it dead; this looks at
        all of them, at most once every :data:`SWEEP_INTERVAL` seconds from :meth:`run` (and
        whenever :meth:`stats` is asked).
        """
        self._next_sweep = time.monotonic() + SWEEP_INTERVAL
        with self._idle.mutex:
            ended = [worker for worker in self._idle.queue if worker.ended()]
            for worker in ended:
                self._idle.queue.remove(worker)
        for worker in ended:
            self._replace(worker)

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
                target=_worker_main,
                args=(str(self.artifact), child_end, os.getpid(), self.memory_limit),
                name="conflict-graph-query-worker", daemon=True,
            )
            with main_module_hidden():  # the worker needs neither the command line nor rdflib
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
            closed = self._closed
            if not closed:
                self._workers.add(worker)
                self._idle.put(worker)
        if closed:  # the pool closed while this worker started: it is nobody else's to stop
            self._stop(worker)
            return
        if initial:
            self._started.put(None)
