"""Fair sharing of the query workers: clients are served, not refused, and none starves another.

Queries hold a server thread while they wait for a query worker and while they run. Clients are
told apart by remote address (the tests bind their sockets to 127.0.0.2, 127.0.0.3, ...: Linux
routes all of 127/8 to the loopback interface). A client may run several queries at once (five by
default, as on the Wikidata Query Service); a free worker goes to the client that used the least
worker time recently; and when every worker is busy with a long query while a lighter client
waits, the heaviest client's query is stopped. Answers must come within the time limit plus a
few seconds: "served, not blocked".
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from live_server import DATA, EX, LiveServer, Reply, start_server, stop_server

TIMEOUT = 4.0
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
NORMAL = f"PREFIX ex: <{EX}> SELECT ?m WHERE {{ ex:alliance ex:hasMember ?m }}"
OTHER_CLIENT = "127.0.0.2"


def filler(folder: Path) -> Path:
    path = folder / "filler.nt"
    path.write_text("".join(f"<http://example.org/filler/{i}> <http://example.org/p> \"{i}\" .\n"
                            for i in range(600)), encoding="utf-8")
    return path


def serve(tmp_path_factory: pytest.TempPathFactory, name: str, *options: str) -> LiveServer:
    folder = tmp_path_factory.mktemp(name)
    return start_server(["--no-default-data", "--data", str(DATA), "--data", str(filler(folder)),
                         "--query-timeout", str(TIMEOUT), *options], folder / "cache")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Two workers and the default limits."""
    server = serve(tmp_path_factory, "admission", "--workers", "2")
    yield server
    stop_server(server.process)


@pytest.fixture(scope="module")
def short_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One worker, one waiting place, no fair sharing: the queue bound alone."""
    server = serve(tmp_path_factory, "queue", "--workers", "1", "--max-waiting", "1",
                   "--max-client-queries", "20", "--fair-share-seconds", "0")
    yield server
    stop_server(server.process)


def query(server: LiveServer, text: str, source: str | None = None, timeout: float = 60) -> Reply:
    return server.request("GET", "/sparql?" + urlencode({"query": text}), timeout=timeout, source=source)


def parallel(count: int,
             send: Callable[[int], Reply]) -> tuple[list[threading.Thread], list[tuple[Reply, float]]]:
    replies: list[tuple[Reply, float]] = []

    def one(index: int) -> None:
        started = time.monotonic()
        reply = send(index)
        replies.append((reply, time.monotonic() - started))

    threads = [threading.Thread(target=one, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    return threads, replies


def idle(server: LiveServer) -> None:
    """Wait until every worker is back and no query runs or waits."""
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        health = server.health()
        queries = health["queries"]
        workers = health["workers"]
        if (workers["idle"] == workers["size"] + workers["spare"]  # type: ignore[index,operator]
                and not queries["running"] and not queries["waiting"]):  # type: ignore[index]
            return
        time.sleep(0.1)
    pytest.fail(f"the server did not recover: {server.health()}")


def test_a_client_running_four_queries_at_once_is_not_refused(two_workers: LiveServer) -> None:
    idle(two_workers)
    threads, replies = parallel(4, lambda _: query(two_workers, NORMAL))
    for thread in threads:
        thread.join()
    assert [reply.status for reply, _ in replies] == [200] * 4, [r.text for r, _ in replies]
    assert all(len(json.loads(reply.body)["results"]["bindings"]) == 2 for reply, _ in replies)


def test_the_sixth_query_of_one_client_is_refused_at_once(two_workers: LiveServer) -> None:
    idle(two_workers)
    threads, replies = parallel(6, lambda _: query(two_workers, EXPLOSIVE))
    for thread in threads:
        thread.join()
    refused = [(reply, seconds) for reply, seconds in replies if reply.status == 429]
    assert len(refused) == 1, [(r.status, r.text) for r, _ in replies]
    reply, seconds = refused[0]
    assert seconds < 2.0  # refused at once, not queued
    assert int(reply.headers["Retry-After"]) >= 1
    assert reply.text.startswith("429 Too Many Requests: ") and "CLIENT_QUERIES" in reply.text
    assert all(r.status == 503 for r, _ in replies if r.status != 429)  # stopped at the limit
    idle(two_workers)


def test_one_client_flooding_does_not_lock_out_another(two_workers: LiveServer) -> None:
    idle(two_workers)
    threads, replies = parallel(5, lambda _: query(two_workers, EXPLOSIVE))
    time.sleep(0.5)
    started = time.monotonic()
    other = query(two_workers, NORMAL, source=OTHER_CLIENT, timeout=TIMEOUT + 5)
    other_seconds = time.monotonic() - started
    health_seconds = []
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        assert two_workers.get("/health", timeout=5).status == 200
        health_seconds.append(time.monotonic() - started)
        time.sleep(0.1)
    for thread in threads:
        thread.join()

    assert other.status == 200, other.text
    assert len(json.loads(other.body)["results"]["bindings"]) == 2
    assert other_seconds < TIMEOUT - 1  # the flooder does not keep both workers to the time limit
    assert health_seconds and max(health_seconds) < 2.0, health_seconds
    assert all(reply.status == 503 for reply, _ in replies), [r.text for r, _ in replies]
    idle(two_workers)


def test_two_addresses_sending_explosive_queries_do_not_shut_out_a_third(two_workers: LiveServer) -> None:
    idle(two_workers)
    stop = threading.Event()
    explosive: list[Reply] = []

    def attack(source: str) -> None:
        while not stop.is_set():
            explosive.append(query(two_workers, EXPLOSIVE, source=source, timeout=TIMEOUT + 10))

    attackers = [threading.Thread(target=attack, args=(source,)) for source in ("127.0.0.3", "127.0.0.4")]
    for thread in attackers:
        thread.start()
    time.sleep(1.5)  # both workers now run an explosive query
    seconds = []
    moved = []
    for _ in range(8):
        started = time.monotonic()
        reply = query(two_workers, NORMAL, source="127.0.0.5", timeout=TIMEOUT + 5)
        seconds.append(time.monotonic() - started)
        assert reply.status == 200, reply.text
        queries = two_workers.health()["queries"]
        moved.append(queries["long"] + queries["preempted"])  # type: ignore[index]
        time.sleep(0.2)
    ready = two_workers.get("/health/ready")
    stop.set()
    for thread in attackers:
        thread.join()

    assert max(seconds) < TIMEOUT - 1, seconds  # never waits for an explosive query's time limit
    assert max(moved) >= 1  # explosive queries were moved aside (or stopped) to make room
    stopped = [reply for reply in explosive if "to let other clients' queries run" in reply.text]
    assert all(reply.status == 503 and reply.headers["Retry-After"] for reply in stopped)
    assert ready.status in (200, 503) and "ready" in ready.json()  # type: ignore[operator]
    idle(two_workers)


def test_liveness_and_readiness(two_workers: LiveServer) -> None:
    idle(two_workers)
    assert two_workers.get("/health/ready").status == 200
    threads, _ = parallel(2, lambda index: query(two_workers, EXPLOSIVE, source=f"127.0.0.{6 + index}"))
    limit = time.monotonic() + 5
    while two_workers.health()["queries"]["running"] < 2 and time.monotonic() < limit:  # type: ignore[index]
        time.sleep(0.05)
    busy = two_workers.get("/health/ready")
    live = two_workers.get("/health")
    also_live = two_workers.get("/health/live")
    for thread in threads:
        thread.join()
    assert busy.status == 503 and busy.json()["ready"] is False  # type: ignore[index]
    assert live.status == 200 and live.json()["status"] == "ok"  # type: ignore[index]
    assert also_live.status == 200
    idle(two_workers)


def test_a_full_queue_is_refused_at_once(short_queue: LiveServer) -> None:
    idle(short_queue)
    threads, replies = parallel(5, lambda _: query(short_queue, EXPLOSIVE))  # one runs, one waits
    started = time.monotonic()
    health = short_queue.get("/health", timeout=5)
    assert health.status == 200 and time.monotonic() - started < 2.0
    for thread in threads:
        thread.join()
    busy = [(reply, seconds) for reply, seconds in replies if reply.status == 503 and "busy" in reply.text]
    assert len(busy) >= 3, [(r.status, r.text) for r, _ in replies]
    assert any(seconds < 2.0 and "MAX_WAITING" in reply.text for reply, seconds in busy)
    assert all(reply.status == 503 for reply, _ in replies)  # the others ran past the time limit
    idle(short_queue)
    assert query(short_queue, NORMAL).status == 200
