"""A mix of normal and abusive clients against a live server, from many loopback addresses.

Used by ``test_abuse.py`` (asserts) and ``benchmarks/bench_abuse.py`` (prints figures). Each
client binds its sockets to its own address in 127.0.0.0/8 (Linux routes all of it to the
loopback interface), so the server sees separate clients. Everything is bounded: a fixed
duration, a per-request timeout, loopback only.

Clients:

* **normal**: a closed loop of small ``SELECT`` queries (a new connection each);
* **explosive**: a four-way cross product counted, which runs until the time limit;
* **oversized**: 60 KB queries the checker must read (a new text each time), a 250 KB ``Accept``
  header, a body over the size limit;
* **slow**: connections that send a header line every second and never finish;
* **memory**: queries that would take gigabytes (``ORDER BY`` over a cross product, a tower of
  ``CONCAT``).

A :class:`Tally` per kind counts statuses and keeps latencies.
"""

from __future__ import annotations

import http.client
import random
import socket
import statistics
import string
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

EX = "http://example.org/conflict#"
NORMAL_QUERIES = (
    f"PREFIX ex: <{EX}> SELECT ?m WHERE {{ ex:alliance ex:hasMember ?m }}",
    "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } LIMIT 5",
    "ASK { ?s ?p ?o }",
)
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LONG_QUERY = "ASK { " + "a-" * 30000 + " }"
MEMORY_QUERIES = (
    "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1",
    "SELECT (STRLEN(?j) AS ?n) WHERE { BIND(\"aaaaaaaaaa\" AS ?a) "
    + " ".join(f"BIND(CONCAT({', '.join([f'?{a}'] * 10)}) AS ?{b})"
               for a, b in zip("abcdefghi", "bcdefghij", strict=True)) + " }",
)


def filler(folder: Path, triples: int = 600) -> Path:
    """An N-Triples file that makes a four-way cross product explosive (600^4 rows)."""
    path = folder / "filler.nt"
    path.write_text("".join(f"<http://example.org/filler/{i}> <http://example.org/p> \"{i}\" .\n"
                            for i in range(triples)), encoding="utf-8")
    return path


@dataclass
class Tally:
    """Statuses and latencies of one kind of client."""

    statuses: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float, body: bytes = b"") -> None:
        with self.lock:
            self.statuses[status] += 1
            self.seconds.append(seconds)
            if status >= 500:
                self.reasons[body[:90].decode("utf-8", "replace")] += 1

    def failed(self, error: BaseException) -> None:
        with self.lock:
            self.errors[type(error).__name__] += 1

    @property
    def ok(self) -> int:
        return self.statuses[200]

    def percentile(self, share: float, status: int | None = 200) -> float:
        values = sorted(self.seconds)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(share * len(values)))]

    def summary(self, duration: float) -> str:
        if not self.seconds:
            return "no requests"
        return (f"{self.ok / duration:7.1f} answers/s  p50 {1000 * statistics.median(self.seconds):7.1f} ms  "
                f"p99 {1000 * self.percentile(0.99):7.1f} ms  statuses {dict(sorted(self.statuses.items()))}"
                + (f"  errors {dict(self.errors)}" if self.errors else ""))


def request(address: tuple[str, int], source: str, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _loop(until: float, tally: Tally, send: Callable[[int], tuple[int, bytes]]) -> None:
    turn = 0
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            status, body = send(turn)
        except (OSError, http.client.HTTPException) as exc:  # an answer cut short is counted too
            tally.failed(exc)
            time.sleep(0.05)
        else:
            tally.add(status, time.monotonic() - started, body)
        turn += 1


def _get(address: tuple[str, int], source: str, text: str, timeout: float = 30.0) -> tuple[int, bytes]:
    return request(address, source, "GET", "/sparql?" + urlencode({"query": text}), timeout=timeout)


def _post(address: tuple[str, int], source: str, text: str, timeout: float = 30.0,
          headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    return request(address, source, "POST", "/sparql", text.encode(),
                   {"Content-Type": "application/sparql-query", **(headers or {})}, timeout)


def normal_client(address: tuple[str, int], source: str, until: float, tally: Tally) -> None:
    _loop(until, tally, lambda turn: _get(address, source, NORMAL_QUERIES[turn % len(NORMAL_QUERIES)]))


def explosive_client(address: tuple[str, int], source: str, until: float, tally: Tally) -> None:
    _loop(until, tally, lambda _: _get(address, source, EXPLOSIVE))


def oversized_client(address: tuple[str, int], source: str, until: float, tally: Tally) -> None:
    def send(turn: int) -> tuple[int, bytes]:
        if turn % 3 == 0:  # a new text each time: nothing the server remembers helps
            return _post(address, source, f"# {turn}\n{LONG_QUERY}")
        if turn % 3 == 1:
            return _post(address, source, "ASK {}", headers={"Accept": "application/json;q=0.5, " * 10000})
        return _post(address, source, "ASK { " + " " * 1_000_000 + "}")
    _loop(until, tally, send)


def memory_client(address: tuple[str, int], source: str, until: float, tally: Tally) -> None:
    _loop(until, tally, lambda turn: _post(address, source, MEMORY_QUERIES[turn % len(MEMORY_QUERIES)]))


def slow_client(address: tuple[str, int], source: str, until: float, tally: Tally, sockets: int = 30) -> None:
    """Keep ``sockets`` connections sending a header line a second; reopen the ones closed."""
    open_: list[socket.socket] = []
    while time.monotonic() < until:
        while len(open_) < sockets:
            try:
                sock = socket.create_connection(address, timeout=2, source_address=(source, 0))
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
                open_.append(sock)
            except OSError as exc:
                tally.failed(exc)
                break
        for sock in list(open_):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                tally.add(0, 0.0)  # the server closed it: counted as status 0
                open_.remove(sock)
                sock.close()
        time.sleep(1.0)
    for sock in open_:
        sock.close()


CLIENTS: dict[str, Callable[[tuple[str, int], str, float, Tally], None]] = {
    "normal": normal_client, "explosive": explosive_client, "oversized": oversized_client,
    "memory": memory_client, "slow": slow_client,
}


def run(address: tuple[str, int], plan: dict[str, int], duration: float,
        first_source: int = 2) -> dict[str, Tally]:
    """Run ``plan`` (kind → number of client addresses) for ``duration`` seconds.

    Each client gets its own address, 127.0.0.<first_source>, then the next ones.
    """
    tallies = {kind: Tally() for kind in plan}
    until = time.monotonic() + duration
    threads = []
    number = first_source
    for kind, count in plan.items():
        for _ in range(count):
            thread = threading.Thread(target=CLIENTS[kind], args=(address, f"127.0.0.{number}", until,
                                                                   tallies[kind]), daemon=True)
            threads.append(thread)
            number += 1
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    return tallies


# --- fuzzing ------------------------------------------------------------------------------------

_SEEDS = (
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "ASK {}",
    "PREFIX ex: <http://example.org/> SELECT ?x { ?x a ex:C }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", "DESCRIBE <http://example.org/x>",
    "SELECT (<x:f>(1) AS ?v) {}", "BASE <http://]> ASK {}", "PREFIX p: <http://[> ASK {}",
    "SELECT ?x { SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }", "SELECT * FROM <http://[::1]:0/> {}",
    "SELECT (REPLACE(\"a\", \"(\", \"b\") AS ?r) {}", "SELECT (STRDT(\"1\", <x>) AS ?d) {}",
    "SELECT ?x { VALUES ?x { 1 2 } FILTER(?x < 2) }", "SELECT (1/0 AS ?z) {}", "ASK { <a\\u0000b> ?p ?o }",
    "SELECT * { ?s ?p \"\"\"x\"\"\"@en-x-y . }", "INSERT DATA { <a:b> <a:c> <a:d> }", "LOAD <http://x/>",
)
_NOISE = string.printable + "<>{}()[]?$\"'#\\:\u00e9\u2028\ud7ff\U0001f600\x00"
_PARAMS = ("query", "default-graph-uri", "named-graph-uri", "entailment", "format", "output", "timeout",
           "update", "results")
_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
          "text/plain", "application/sparql-query; charset=latin-1", "multipart/form-data; boundary=x", "")
_ACCEPTS = ("*/*", "application/json", "text/csv", "application/sparql-results+xml", "text/turtle",
            "image/png", "application/json;q=abc", ";;,,", "text/*;q=0", "")


def mutate(rng: random.Random, text: str) -> str:
    """A query mangled by a few random edits: insertions, deletions, duplications."""
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        action = rng.random()
        position = rng.randint(0, len(chars))
        if action < 0.4:
            chars[position:position] = rng.choice(_NOISE) * rng.choice((1, 1, 2, 50))
        elif action < 0.7 and chars:
            del chars[position:position + rng.randint(1, 8)]
        else:
            chars[position:position] = chars[max(0, position - 10):position]
    return "".join(chars)


#: A generated request: method, path (with its query string), body, headers.
FuzzRequest = tuple[str, str, bytes | None, dict[str, str]]


def _query_string(pairs: list[tuple[str, str]]) -> str:
    """``pairs`` as a query string; lone surrogates in a value are sent as their UTF-8 bytes."""
    return "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in pairs)


def fuzz_request(rng: random.Random) -> FuzzRequest:
    """One generated request: method, path, body, headers."""
    text = mutate(rng, rng.choice(_SEEDS)) if rng.random() < 0.9 else rng.choice(_SEEDS)
    params = [("query", text)] if rng.random() < 0.85 else []
    for _ in range(rng.choice((0, 0, 1, 2))):
        params.append((rng.choice(_PARAMS), mutate(rng, rng.choice(("owl-rl", "simple", "json", "1.5",
                                                                    "http://example.org/g", "")))))
    headers = {"Accept": rng.choice(_ACCEPTS)}
    method = rng.choice(("GET", "GET", "POST", "POST", "HEAD", "PUT", "OPTIONS"))
    path = rng.choice(("/sparql", "/sparql", "/sparql/", "/health", "/health/ready", "/sparq%6c",
                       "/sparql?x"))
    if method == "POST":
        content_type = rng.choice(_TYPES)
        if content_type:
            headers["Content-Type"] = content_type
        if content_type.startswith("application/sparql"):
            body = text.encode("utf-8", "surrogatepass")
        else:
            noise = bytes(rng.randrange(256) for _ in range(40))
            body = urlencode(params).encode() if rng.random() < 0.9 else noise
        return method, path, body, headers
    query = _query_string(params)
    if rng.random() < 0.05:
        query += "&%ff=%fe"
    return method, path + ("&" if "?" in path else "?") + query, None, headers


_PAGE_SEEDS = (
    ("/id/", "org/mndaa"), ("/id/", "place/town/lashio"), ("/id/", "org/mndaa.ttl"),
    ("/id/", "quote/irrawaddy-2024-op1027-phase2/s06"), ("/id/", "source/irrawaddy-2024-op1027-phase2"),
    ("/graph/", "asserted"), ("/graph/", "inferred.nt"), ("/dataset/", "0.2.0"), ("/ontology/", "0.1.0"),
    ("/ontology.", "ttl"), ("/downloads/", "dataset.nq"), ("/api/queries/", "q40-control-as-of-date"),
    ("/api/queries/", "q42-what-a-source-supports"), ("/", ""),
)
_PAGE_QUERIES = (
    ("/explain", (("subject", "<https://w3id.org/conflict-graph/id/org/mndaa>"), ("predicate", "rdf:type"),
                  ("object", "org:Organization"), ("format", "json"))),
    ("/consistency", (("format", "json"),)),
    ("/api/places.geojson", (("date", "2024-07-21"),)),
    ("/map", (("date", "2024-07-21"),)),
    ("/api/queries/q41-events-in-date-range", (("start", "2024-06-25"), ("end", "2024-08-04"),
                                               ("format", "records"))),
    ("/api/queries/q42-what-a-source-supports",
     (("source", "<https://w3id.org/conflict-graph/id/source/irrawaddy-2024-op1027-phase2>"),)),
    ("/query", (("query", "ASK {}"),)),
)


def fuzz_page_request(rng: random.Random) -> FuzzRequest:
    """One generated request for a page, the query API, the map or an explanation."""
    headers = {"Accept": rng.choice(_ACCEPTS + ("text/html", "application/ld+json", "application/geo+json"))}
    method = rng.choice(("GET", "GET", "GET", "HEAD", "POST"))
    if rng.random() < 0.5:
        prefix, rest = rng.choice(_PAGE_SEEDS)
        rest = mutate(rng, rest) if rng.random() < 0.8 else rest
        return method, prefix + quote(rest, safe="/%", errors="surrogatepass"), None, headers
    path, params = rng.choice(_PAGE_QUERIES)
    pairs = [(name, mutate(rng, value) if rng.random() < 0.5 else value) for name, value in params
             if rng.random() < 0.9]
    query = _query_string(pairs)
    return method, f"{path}?{query}", None, headers


def fuzz(address: tuple[str, int], count: int, threads: int, seed: int = 7,
         deadline: float = 90.0,
         generate: Callable[[random.Random], FuzzRequest] = fuzz_request,
         ) -> tuple[Counter[int], list[tuple[int, str, str]]]:
    """Send ``count`` requests made by ``generate`` from ``threads`` addresses; statuses, and every
    5xx but 503.

    Stops at ``deadline`` seconds even if not every request was sent.
    """
    statuses: Counter[int] = Counter()
    bad: list[tuple[int, str, str]] = []
    lock = threading.Lock()
    until = time.monotonic() + deadline
    share = count // threads

    def work(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        source = f"127.0.1.{index + 1}"
        for _ in range(share):
            if time.monotonic() > until:
                return
            method, path, body, headers = generate(rng)
            try:
                status, answer = request(address, source, method, path, body, headers, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                status, answer = -1, str(exc).encode()
            with lock:
                statuses[status] += 1
                if status >= 500 and status != 503 or status == -1:
                    bad.append((status, f"{method} {path[:200]}", answer[:300].decode("utf-8", "replace")))

    workers = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=deadline + 60)
    return statuses, bad
