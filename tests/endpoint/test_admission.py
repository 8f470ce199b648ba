"""A client sending many slow queries cannot lock out the others, nor ``/health``.

Queries hold a server thread while they run or wait for a query worker, so the server bounds
them: per client (by remote address; the second client here binds its socket to ``127.0.0.2``)
and in all (the workers plus ``--max-waiting``). Beyond either bound a request is refused at
once (429 with ``Retry-After``, or 503), never queued behind the slow ones. The bounds are
"served, not blocked": answers must come within the time limit plus a few seconds.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from live_server import DATA, EX, LiveServer, Reply, start_server, stop_server

TIMEOUT = 3.0
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
    """Two workers and the default limits: one query at a time per client."""
    server = serve(tmp_path_factory, "admission", "--workers", "2")
    yield server
    stop_server(server.process)


@pytest.fixture(scope="module")
def short_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One worker, one waiting place, no per-client limit to speak of."""
    server = serve(tmp_path_factory, "queue", "--workers", "1", "--max-waiting", "1",
                   "--max-client-queries", "20")
    yield server
    stop_server(server.process)


def query(server: LiveServer, text: str, source: str | None = None, timeout: float = 60) -> Reply:
    return server.request("GET", "/sparql?" + urlencode({"query": text}), timeout=timeout, source=source)


def flood(server: LiveServer, count: int) -> tuple[list[threading.Thread], list[tuple[Reply, float]]]:
    replies: list[tuple[Reply, float]] = []

    def one() -> None:
        started = time.monotonic()
        reply = query(server, EXPLOSIVE)
        replies.append((reply, time.monotonic() - started))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, replies


def idle(server: LiveServer) -> None:
    """Wait until every worker is back (the flood's running query is stopped at the limit)."""
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        health = server.health()
        if health["workers"]["idle"] == health["workers"]["size"] and not health["queries"]["admitted"]:  # type: ignore[index]
            return
        time.sleep(0.1)
    pytest.fail(f"the server did not recover: {server.health()}")


def test_one_client_flooding_does_not_lock_out_another(two_workers: LiveServer) -> None:
    idle(two_workers)
    threads, replies = flood(two_workers, 10)
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
    assert other_seconds < TIMEOUT + 3
    assert health_seconds and max(health_seconds) < 2.0, health_seconds
    statuses = sorted(reply.status for reply, _ in replies)
    assert statuses.count(429) >= 8, statuses  # the flooding client has one query running at a time
    refused = [(reply, seconds) for reply, seconds in replies if reply.status == 429]
    assert all(seconds < 2.0 for _, seconds in refused), refused  # refused at once, not queued
    reply = refused[0][0]
    assert int(reply.headers["Retry-After"]) >= 1
    assert reply.text.startswith("429 Too Many Requests: ") and "CLIENT_QUERIES" in reply.text
    idle(two_workers)


def test_health_reports_the_queue(two_workers: LiveServer) -> None:
    health = two_workers.health()
    assert health["queries"] == {"admitted": 0, "clients": 0, "capacity": 6, "per_client": 1}  # type: ignore[index]


def test_a_full_queue_is_refused_at_once(short_queue: LiveServer) -> None:
    idle(short_queue)
    threads, replies = flood(short_queue, 5)  # one runs, one waits, three are refused
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
