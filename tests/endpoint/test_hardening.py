"""Each way one client could take the server down, as a regression test against a live server.

* a 60 KB query costs the query checker time linear in its length, so eight at once leave
  ``/health`` answering, and so do 64 just short of being read in a worker, unclosed strings
  included;
* malformed IRIs and calls of unknown functions are 400s with a message, never 500 or 502;
* idle and slow-header connections neither lock others out nor stay open forever;
* a memory-hungry query ends in 503 with a message and its worker is replaced;
* ``SIGTERM`` drains: requests in progress are answered, then the process exits 0;
* after a cold build, ``serve`` holds no more memory than after a warm start.

Clients bind their sockets to other loopback addresses (127.0.0.x) to be seen as other clients.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from live_server import DATA, EX, LiveServer, Reply, start_server, stop_server

from conflict_graph.query.engine import CHECK_TURN_CHARS

NORMAL = f"PREFIX ex: <{EX}> SELECT ?m WHERE {{ ex:alliance ex:hasMember ?m }}"
LONG_QUERY = "ASK { " + "a-" * 30000 + " }"
SORT_CROSS_PRODUCT = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
CONCAT_TOWER = ("SELECT (STRLEN(?j) AS ?n) WHERE { BIND(\"aaaaaaaaaa\" AS ?a) "
                + " ".join(f"BIND(CONCAT({', '.join([f'?{a}'] * 10)}) AS ?{b})"
                           for a, b in zip("abcdefghi", "bcdefghij", strict=True)) + " }")


def filler(folder: Path) -> Path:
    path = folder / "filler.nt"
    path.write_text("".join(f"<http://example.org/filler/{i}> <http://example.org/p> \"{i}\" .\n"
                            for i in range(600)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("hardening")
    live = start_server(["--no-default-data", "--data", str(DATA), "--data", str(filler(folder)),
                         "--query-timeout", "20", "--worker-memory-mb", "256",
                         "--request-read-timeout", "3",
                         "--max-client-connections", "40"], folder / "cache")
    yield live
    stop_server(live.process)


def post(server: LiveServer, text: str, source: str | None = None, timeout: float = 60) -> Reply:
    return server.request("POST", "/sparql", body=text, headers={"Content-Type": "application/sparql-query"},
                          source=source, timeout=timeout)


def get(server: LiveServer, text: str) -> Reply:
    return server.get("/sparql?" + urlencode({"query": text}))


def health_while(server: LiveServer, busy: list[threading.Thread]) -> list[float]:
    seconds = []
    while any(thread.is_alive() for thread in busy):
        started = time.monotonic()
        assert server.get("/health", timeout=30, source="127.0.0.99").status == 200
        seconds.append(time.monotonic() - started)
        time.sleep(0.05)
    return seconds


def test_eight_60_kb_queries_at_once_leave_health_answering(server: LiveServer) -> None:
    replies: list[Reply] = []
    threads = [threading.Thread(target=lambda: replies.append(post(server, LONG_QUERY, source="127.0.0.2")))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    seconds = health_while(server, threads)
    statuses = [reply.status for reply in replies]
    assert len(replies) == 8 and set(statuses) <= {400, 429}, [r.text[:200] for r in replies]
    assert statuses.count(400) >= 5  # one address may have five queries at once; a sixth is a 429
    assert all("syntax error" in reply.text for reply in replies if reply.status == 400)
    assert seconds and max(seconds) < 2.0, seconds  # a safety net; bench_abuse.py measures


@pytest.mark.parametrize("unit", ["a-", '"\\', "'\\"])
def test_many_queries_just_short_of_a_worker_check_leave_health_answering(server: LiveServer,
                                                                          unit: str) -> None:
    # up to CHECK_TURN_CHARS a text is read in the thread that received it; each is new, so none
    # is a text the checker has read before
    texts = [(f"ASK {{ ?v{i} " + unit * CHECK_TURN_CHARS)[:CHECK_TURN_CHARS - 2] + " }" for i in range(64)]
    replies: list[Reply] = []
    threads = [threading.Thread(target=lambda text=text: replies.append(post(server, text,
                                                                              source="127.0.0.3")))
               for text in texts]
    for thread in threads:
        thread.start()
    seconds = health_while(server, threads)
    statuses = [reply.status for reply in replies]
    assert len(replies) == 64 and set(statuses) <= {400, 429}, [r.text[:200] for r in replies]
    assert all("syntax error" in reply.text for reply in replies if reply.status == 400)
    assert seconds and max(seconds) < 2.0, seconds  # a safety net; bench_checker.py --http measures


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT (<x:f>(1) AS ?v) {}", "The custom function <x:f> is not supported"),
    ("# service\nSELECT (<x:f>(1) AS ?v) {}", "The custom function <x:f> is not supported"),
    ("SELECT ?v { BIND(<http://example.org/fn>(\"a\") AS ?v) }", "is not supported"),
    ("PREFIX p: <http://[> ASK {}", "<http://[> is not a valid IRI"),
    ("BASE <http://]> ASK {}", "<http://]> is not a valid IRI"),
    ("ASK { SERVICE <http://[::1> {} }", "is not a valid IRI"),
    ("SELECT * FROM <http://[x]:99999/> { ?s ?p ?o }", "is not a valid IRI"),
])
def test_malformed_iris_and_unknown_functions_are_400(server: LiveServer, text: str, message: str) -> None:
    for reply in (get(server, text), post(server, text)):
        assert reply.status == 400, reply.text
        assert reply.text.startswith("400 Bad Request: ") and message in reply.text
        assert "SERVICE" not in reply.text.split(":", 1)[1][:40]  # nothing blames a SERVICE endpoint


def open_slow(count: int, server: LiveServer, sources: list[str]) -> list[socket.socket]:
    sockets = []
    for index in range(count):
        sock = socket.create_connection(server.address, timeout=5,
                                        source_address=(sources[index % len(sources)], 0))
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        sockets.append(sock)
    return sockets


def test_120_slow_header_connections_do_not_lock_others_out(server: LiveServer) -> None:
    sources = [f"127.0.0.{n}" for n in range(10, 14)]  # 30 each, below the per-address limit
    sockets = open_slow(120, server, sources)
    try:
        for _ in range(2):  # keep them busy: one header line every second
            for sock in sockets:
                sock.sendall(b"X-Slow: 1\r\n")
            started = time.monotonic()
            reply = server.get("/health", timeout=10)
            assert reply.status == 200 and time.monotonic() - started < 2.0
            time.sleep(1.0)
        time.sleep(4.5)  # past --request-read-timeout (3 s)
        closed = 0
        for sock in sockets:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                sock.settimeout(2)
                closed += sock.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == len(sockets)  # a request sent a line at a time cannot hold a connection
    finally:
        for sock in sockets:
            sock.close()


def test_one_address_cannot_take_every_connection(server: LiveServer) -> None:
    sockets = open_slow(40, server, ["127.0.0.20"])
    try:
        extra = socket.create_connection(server.address, timeout=5, source_address=("127.0.0.20", 0))
        extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = extra.recv(4096)
        extra.close()
        assert answer.startswith(b"HTTP/1.1 429 ") and b"MAX_CLIENT_CONNECTIONS" in answer
        assert server.get("/health", source="127.0.0.21").status == 200
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.parametrize("text", [SORT_CROSS_PRODUCT, CONCAT_TOWER])
def test_a_memory_hungry_query_is_a_503_and_its_worker_is_replaced(server: LiveServer, text: str) -> None:
    before = server.health()["workers"]["restarts"]  # type: ignore[index]
    reply = post(server, text)
    assert reply.status == 503, reply.text
    assert "memory" in reply.text and "WORKER_MEMORY_MB" in reply.text
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        workers = server.health()["workers"]
        if workers["alive"] == workers["size"] + workers["spare"]:  # type: ignore[index,operator]
            break
        time.sleep(0.1)
    assert server.health()["workers"]["restarts"] > before  # type: ignore[index,operator]
    assert json.loads(get(server, NORMAL).body)["results"]["bindings"]


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


def test_serve_after_a_cold_build_holds_what_a_warm_start_holds(tmp_path: Path) -> None:
    """The build runs in a child process: the server keeps none of its memory (a build in the
    server's own process would leave it holding rdflib's graphs, pySHACL and the reasoner)."""
    resident = {}
    for start in ("cold", "warm"):
        live = start_server([], tmp_path / "cache")
        try:
            assert live.get("/health").status == 200
            resident[start] = resident_mb(live.process.pid)
        finally:
            stop_server(live.process)
    assert resident["cold"] <= resident["warm"] + 25, resident


def test_sigterm_drains_requests_in_progress(tmp_path: Path) -> None:
    live = start_server(["--no-default-data", "--data", str(DATA), "--data", str(filler(tmp_path)),
                         "--workers", "2", "--drain-timeout", "20", "--fair-share-seconds", "0"],
                        tmp_path / "cache")
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
            "VALUES ?k { 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 } }")
    replies: list[Reply] = []
    try:
        threads = [threading.Thread(target=lambda i=i: replies.append(post(live, slow, f"127.0.0.{30 + i}")))
                   for i in range(3)]
        for thread in threads:
            thread.start()
        limit = time.monotonic() + 10
        while time.monotonic() < limit:  # two queries run, the third waits for a worker
            queries = live.health()["queries"]
            if queries["running"] == 2 and queries["waiting"] == 1:  # type: ignore[index]
                break
            time.sleep(0.02)
        else:
            pytest.fail(f"the three queries were not all in the server within 10 s: {queries}")
        live.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        with pytest.raises(OSError):
            live.get("/health", timeout=5)  # no longer accepting
        for thread in threads:
            thread.join()
        code = live.process.wait(timeout=30)
    finally:
        stop_server(live.process)
    assert [reply.status for reply in replies] == [200] * 3, [r.text for r in replies]
    counts = {json.loads(reply.body)["results"]["bindings"][0]["n"]["value"] for reply in replies}
    assert len(counts) == 1 and int(counts.pop()) > 16 * 600 ** 2  # answered in full
    assert code == 0
    assert any("stopped (drained)" in line for line in live.log), live.log[-5:]
