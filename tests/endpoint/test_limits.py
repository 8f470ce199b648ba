"""The time limit really stops a runaway query, while other clients keep being served.

A server with a 1.5 s limit and two query workers gets a deliberately explosive query (a four-way
cross product counted over the whole dataset: about 10^11 rows here). While it runs, normal
queries must keep succeeding on the other worker; the explosive one must get a 503 with a
message soon after the limit; its worker process must be gone and a fresh one must take its place.
(The server lets one client run four queries at once on both workers, so these tests can keep them busy
from one address; ``test_admission.py`` covers the per-client limit.)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from live_server import DATA, EX, LiveServer, Reply, start_server, stop_server

TIMEOUT = 1.5
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
NORMAL = f"PREFIX ex: <{EX}> SELECT ?m WHERE {{ ex:alliance ex:hasMember ?m }}"


@pytest.fixture(scope="module")
def tight_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("tight")
    filler = folder / "filler.nt"
    filler.write_text("".join(f"<http://example.org/filler/{i}> <http://example.org/p> \"{i}\" .\n"
                              for i in range(600)), encoding="utf-8")
    server = start_server(["--no-default-data", "--data", str(DATA), "--data", str(filler),
                           "--query-timeout", str(TIMEOUT), "--workers", "2",
                           "--max-client-queries", "4", "--max-client-workers", "2"], folder / "cache")
    yield server
    stop_server(server.process)


def query(server: LiveServer, text: str, **params: str) -> Reply:
    return server.get("/sparql?" + urlencode({"query": text, **params}), timeout=30)


def wait_for_workers(server: LiveServer, restarts: int, deadline: float = 60.0) -> dict[str, object]:
    limit = time.monotonic() + deadline
    while time.monotonic() < limit:
        workers = server.health()["workers"]
        processes = workers["size"] + workers["spare"]  # type: ignore[index]
        if workers["alive"] == workers["idle"] == processes and workers["restarts"] >= restarts:  # type: ignore[index]
            return workers  # type: ignore[return-value]
        time.sleep(0.1)
    pytest.fail(f"workers did not recover: {server.health()}")


def test_a_client_may_ask_for_a_shorter_limit(tight_server: LiveServer) -> None:
    started = time.monotonic()
    reply = query(tight_server, EXPLOSIVE, timeout="0.4")
    assert reply.status == 503 and "0.4 s" in reply.text
    assert time.monotonic() - started < 1.2
    assert query(tight_server, NORMAL, timeout="60").status == 200  # never longer than the server's
    assert query(tight_server, NORMAL, timeout="soon").status == 400
    assert query(tight_server, NORMAL, timeout="0").status == 400


def finished(pid: int) -> bool:
    """True once the kernel has ended a process and all its threads (a zombie until reaped)."""
    try:
        zombie = ") Z " in Path(f"/proc/{pid}/stat").read_text()
        return zombie and len(os.listdir(f"/proc/{pid}/task")) <= 1
    except FileNotFoundError:  # reaped (or no /proc: nothing to wait for)
        return True


def test_explosive_query_is_stopped_while_others_are_served(tight_server: LiveServer) -> None:
    before = wait_for_workers(tight_server, 0)
    explosive: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        explosive["reply"] = query(tight_server, EXPLOSIVE)
        explosive["seconds"] = time.monotonic() - started
        explosive["ended"] = time.monotonic()

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)  # the explosive query is now running on one worker
    normal: list[tuple[int, float, float]] = []
    while thread.is_alive() and len(normal) < 200:
        started = time.monotonic()
        reply = query(tight_server, NORMAL)
        normal.append((reply.status, time.monotonic() - started, time.monotonic()))
        assert len(json.loads(reply.body)["results"]["bindings"]) == 2
    thread.join()

    reply = explosive["reply"]
    assert isinstance(reply, Reply)
    assert reply.status == 503, reply.text
    assert "time limit" in reply.text and f"{TIMEOUT:g} s" in reply.text
    assert TIMEOUT <= explosive["seconds"] < TIMEOUT + 5  # type: ignore[operator]
    during = [n for n in normal if n[2] < explosive["ended"]]  # type: ignore[operator]
    assert len(during) >= 5, normal
    assert all(status == 200 and seconds < 1.0 for status, seconds, _ in during), during

    after = wait_for_workers(tight_server, int(before["restarts"]) + 1)  # type: ignore[call-overload]
    killed = set(before["pids"]) - set(after["pids"])  # type: ignore[call-overload]
    assert len(killed) == 1, (before, after)
    assert finished(killed.pop())
    assert query(tight_server, NORMAL).status == 200


def test_waiting_for_a_worker_counts_against_the_limit(tight_server: LiveServer) -> None:
    before = wait_for_workers(tight_server, 0)
    threads = [threading.Thread(target=query, args=(tight_server, EXPLOSIVE)) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # both workers are busy until the explosive queries are stopped at 1.5 s
    started = time.monotonic()
    reply = query(tight_server, NORMAL, timeout="0.5")  # its limit passes before any worker is free
    waited = time.monotonic() - started
    for thread in threads:
        thread.join()
    assert reply.status == 503, reply.text
    assert "busy" in reply.text and "0.5 s" in reply.text
    assert 0.5 <= waited < 1.2
    wait_for_workers(tight_server, int(before["restarts"]) + 2)  # type: ignore[call-overload]
    assert query(tight_server, NORMAL).status == 200


def test_a_worker_killed_while_idle_is_replaced(tight_server: LiveServer) -> None:
    before = wait_for_workers(tight_server, 0)
    victim = int(before["pids"][0])  # type: ignore[index]
    os.kill(victim, signal.SIGKILL)
    limit = time.monotonic() + 10
    while not finished(victim) and time.monotonic() < limit:
        time.sleep(0.05)
    for _ in range(2 * len(before["pids"])):  # type: ignore[arg-type]  # the dead one is taken in turn
        assert query(tight_server, NORMAL).status == 200
    after = wait_for_workers(tight_server, int(before["restarts"]) + 1)  # type: ignore[call-overload]
    assert victim not in after["pids"]  # type: ignore[operator]


def test_a_timeout_below_the_minimum_is_a_400(tight_server: LiveServer) -> None:
    before = wait_for_workers(tight_server, 0)
    for value in ("1e-9", "0.01", "0.099"):
        reply = query(tight_server, NORMAL, timeout=value)
        assert reply.status == 400, reply.text
        assert "at least 0.1" in reply.text
    for _ in range(20):  # the smallest limit allowed: the query is answered, no worker is killed
        assert query(tight_server, NORMAL, timeout="0.1").status in (200, 503)
    assert tight_server.health()["workers"]["restarts"] == before["restarts"]  # type: ignore[index]


@contextmanager
def one_worker_engine(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """An in-process query engine with one worker (and its spare), and a job asking ``ASK {}``."""
    from conflict_graph import settings
    from conflict_graph.query import store
    from conflict_graph.query.engine import QueryService
    from conflict_graph.query.jobs import QueryJob

    values = settings.resolve({"data": (str(DATA),), "no_default_data": True, "workers": 1,
                               "cache_dir": str(tmp_path / "cache")}, environ={})
    service = QueryService.from_settings(values)
    try:
        yield service, QueryJob("ASK {}", store.query_dataset(service.catalogue), "json")
    finally:
        service.close()


def test_a_job_that_never_started_is_withdrawn_not_killed(tmp_path: Path) -> None:
    """The deadline passed before the worker read the job: the worker stays, nothing is restarted."""
    from conflict_graph.errors import QueryTimeout

    with one_worker_engine(tmp_path) as (service, job):
        pid = service.pool.stats()["pids"]
        for _ in range(5):
            with pytest.raises(QueryTimeout, match="could not start"):
                service.pool.run(job, 0.0)
        assert service.pool.stats()["restarts"] == 0 and service.pool.stats()["pids"] == pid
        assert service.pool.run(job, 5.0).body == b'{"head": {}, "boolean": true}'


def test_a_worker_lowered_while_its_job_waited_gets_its_priority_back_when_it_expires(tmp_path: Path) -> None:
    """A low-priority job is lowered once it has waited :data:`CANCEL_POLL`; if the worker then
    answers ``expired`` (it read the job too late), the worker goes back to the pool at its
    normal priority, not at the long queries' one."""
    from conflict_graph.errors import QueryTimeout

    with one_worker_engine(tmp_path) as (service, job):
        pids = service.pool.stats()["pids"]
        for pid in pids:  # the workers read the job only after its deadline
            os.kill(pid, signal.SIGSTOP)
        resume = threading.Timer(0.3, lambda: [os.kill(pid, signal.SIGCONT) for pid in pids])
        resume.start()
        with pytest.raises(QueryTimeout, match="could not start"):
            service.pool.run(job, 0.1, low_priority=True)
        resume.join()
        assert service.pool.stats()["pids"] == pids
        assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in pids] == [0] * len(pids)


def test_an_oversized_body_is_refused_before_it_is_read(tight_server: LiveServer) -> None:
    """waitress answers 413 from Content-Length alone; it does not wait for 50 MB to arrive."""
    host, port = tight_server.address
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n"
                           b"Content-Length: 50000000\r\n\r\nquery=ASK")
        started = time.monotonic()
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert time.monotonic() - started < 5


def test_closing_the_pool_under_a_running_job_tells_its_caller_the_server_is_stopping(tmp_path: Path) -> None:
    """The pool closes (the server stopping) while a job runs: the busy worker is killed, and the
    thread running the job, which alone closes that worker's pipe, gets a 503-class error saying
    the server is stopping, not a crash report nor an error from a pipe closed under it."""
    from conflict_graph.query.workers import WorkerLost

    with one_worker_engine(tmp_path) as (service, job):
        pids = service.pool.stats()["pids"]
        for pid in pids:  # whichever worker takes the job keeps it until the pool closes
            os.kill(pid, signal.SIGSTOP)
        raised: list[BaseException] = []

        def run_job() -> None:
            try:
                service.pool.run(job, 30.0)
            except BaseException as error:  # noqa: BLE001 - the test inspects it
                raised.append(error)

        runner = threading.Thread(target=run_job)
        runner.start()
        deadline = time.monotonic() + 10
        while service.pool._running == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # the job is written to the worker's pipe; its caller waits for the answer
        started = time.monotonic()
        service.pool.close()
        runner.join(15)
        assert not runner.is_alive() and time.monotonic() - started < 15
        assert len(raised) == 1 and isinstance(raised[0], WorkerLost), raised
        assert "the server is stopping" in str(raised[0])
        for pid in pids:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)


def test_a_worker_given_back_after_the_pool_closed_is_stopped_and_its_pipe_closed(tmp_path: Path) -> None:
    """A job's answer is read, then the pool closes before the worker goes back to the idle ones:
    the pool took it for busy and left its pipe to the job's thread, which stops it."""
    with one_worker_engine(tmp_path) as (service, job):
        pool = service.pool
        give_back = pool._make_idle
        returned = []

        def close_first(worker: Any) -> None:
            pool.close()
            returned.append(worker)
            give_back(worker)

        pool._make_idle = close_first  # type: ignore[method-assign]
        assert pool.run(job, 5.0).body == b'{"head": {}, "boolean": true}'
        [worker] = returned
        assert worker.conn.closed and not worker.process.is_alive()
        assert pool._idle.qsize() == 0
