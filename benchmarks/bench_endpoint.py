"""Compare `conflict-graph serve` with other SPARQL servers over HTTP, on the same quads.

Servers, each on a free loopback port:

* ``conflict-graph``: ``conflict-graph serve`` on the embedded data (Flask on waitress, queries
  run by pyoxigraph in worker processes). Its build (SHACL validation + OWL 2 RL closure) is done
  before any timing, into a temporary ``--cache-dir``; the server then starts from that cache.
* ``oxigraph``: the Oxigraph server (PyPI ``oxigraph``), loaded with ``oxigraph load`` from the
  build's ``dataset.nq`` and served read-only with ``--union-default-graph``.
* ``rdflib-endpoint`` (optional): rdflib's engine behind FastAPI/uvicorn, same N-Quads file.

Every server gets the quads that our default graph covers (asserted + inferred): the artifact's
``dataset.nq`` without the SHACL shapes graph, which our default graph never includes.

The same queries go to each server as a form-encoded POST with urllib (a new connection per
request): a warm-up, then N sequential repetitions, then a few concurrent clients. It prints
median / p95 latency per query per server, throughput under concurrency, start-up time to the
first answer, and checks that every server returns the same number of rows for every query.
For reference it also times, in this process, what one of our query workers does for a request
(query + serialization, no HTTP and no worker hop): the rest of our latency is the HTTP stack
and the hop to a worker process.
Loopback only; every loop is bounded; every server is stopped at the end (also on error/Ctrl-C).

    .venv/bin/python benchmarks/bench_endpoint.py [--reps 30] [--clients 4] ...
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from bench_systems import end, free_port, spawn_ours  # this folder, run as a script

from conflict_graph.pipeline import build as cg_build
from conflict_graph.pipeline import inputs; from conflict_graph.query import store, workers

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PREFIXES = """PREFIX cg:   <https://w3id.org/conflict-graph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
"""
TNLA = "<https://w3id.org/conflict-graph/id/org/tnla>"

#: name → query text. DESCRIBE is counted in triples, SELECT in solutions, ASK as 1 (true) or 0.
QUERIES: dict[str, str] = {
    "ASK {} (no data)": "ASK {}",  # the fixed cost of a request: HTTP, parsing, serializing
    "lookup by IRI": f"SELECT ?p ?o WHERE {{ {TNLA} ?p ?o }}",
    "3-pattern join": PREFIXES + """SELECT ?event ?org ?place WHERE {
  ?event cg:participant ?org . ?org a cg:NonStateArmedGroup . ?event cg:eventPlace ?place }""",
    "path locatedIn+": PREFIXES + "SELECT ?place ?area WHERE { ?place cg:locatedIn+ ?area }",
    "GROUP BY count": """SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class""",
    "date-range FILTER": PREFIXES + """SELECT ?a ?place ?start WHERE {
  ?a a cg:ControlAssertion ; cg:controlledPlace ?place ; cg:earliestStart ?start .
  FILTER (?start >= "2024-07-01"^^xsd:date && ?start < "2024-08-01"^^xsd:date) }""",
    "OPTIONAL": PREFIXES + """SELECT ?org ?name ?alt WHERE {
  ?org a cg:Organization ; skos:prefLabel ?name . OPTIONAL { ?org skos:altLabel ?alt } }""",
    "DESCRIBE": f"DESCRIBE {TNLA}",
}
#: The project's own named queries added to the set.
NAMED_QUERIES = ("q12-lashio-located-in.rq", "q21-control-events-in-order.rq",
                 "q22-towns-controlled-by-2024-07-21.rq")


@dataclass
class Server:
    """A running server under test."""

    name: str
    url: str
    proc: subprocess.Popen[bytes]
    startup: dict[str, float] = field(default_factory=dict)
    reps: int = 0


@dataclass
class Timings:
    """One query's sequential runs on one server."""

    rows: object = None  # the row count (a list if warm-up runs disagreed; None on error)
    times: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float:
        """Median latency in seconds."""
        return statistics.median(self.times)


def load_queries() -> dict[str, str]:
    """The benchmark queries: the inline ones, then the project's named queries."""
    queries = dict(QUERIES)
    for name in NAMED_QUERIES:
        queries[name.split("-", 1)[0]] = (ROOT / "queries" / name).read_text(encoding="utf-8")
    return queries


def send(url: str, query: str, timeout: float = 60.0) -> tuple[float, int]:
    """POST one query; return (seconds until the whole body was read, rows or triples)."""
    describe = query.lstrip().upper().startswith("DESCRIBE")
    accept = "application/n-triples" if describe else "application/sparql-results+json"
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        payload = response.read()
    elapsed = time.perf_counter() - start
    if describe:
        rows = sum(1 for line in payload.decode().splitlines() if line.strip() and not line.startswith("#"))
    else:
        answer = json.loads(payload)
        rows = len(answer["results"]["bindings"]) if "results" in answer else int(answer["boolean"])
    return elapsed, rows


def wait_for_answer(server: Server, deadline_s: float) -> float:
    """Poll with ``ASK {}`` until the server answers; return the seconds since it was spawned."""
    spawned = time.perf_counter()
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    while time.perf_counter() - spawned < deadline_s:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode} before answering")
        try:
            urllib.request.urlopen(urllib.request.Request(server.url, data=body), timeout=2).read()
            return time.perf_counter() - spawned
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.02)
    raise RuntimeError(f"{server.name} did not answer within {deadline_s:.0f} s")


def spawn(name: str, cmd: list[str], url: str, log_dir: Path, deadline_s: float = 300.0) -> Server:
    """Start ``cmd`` (output to a log file) and wait for its first answer at ``url``."""
    with open(log_dir / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server(name, url, proc)
    try:
        server.startup["first answer"] = wait_for_answer(server, deadline_s)
    except Exception:
        stop(server)
        print((log_dir / f"{name}.log").read_text(errors="replace")[-2000:], file=sys.stderr)
        raise
    return server


def stop(server: Server) -> None:
    """Terminate a server process (kill it if it does not exit within 10 s)."""
    end(server.proc, grace=10)


def build_dataset(cache_dir: Path, work: Path) -> tuple[Path, Path, float, bool]:
    """Build (or reuse) the artifact; write the served N-Quads (without the shapes graph).

    Returns (artifact folder, N-Quads file for the other servers, build seconds, cache hit).
    """
    start = time.perf_counter()
    built = cg_build.build(inputs.collect(), cache_dir=cache_dir)
    seconds = time.perf_counter() - start
    shapes = {g.iri for g in built.catalogue.graphs if g.kind == "shapes"}
    quads = ox.parse(path=str(built.artifact / store.DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    served = work / "served.nq"
    ox.serialize((q for q in quads if not (isinstance(q.graph_name, ox.NamedNode)
                                           and q.graph_name.value in shapes)),
                 output=str(served), format=ox.RdfFormat.N_QUADS)
    return built.artifact, served, seconds, built.cached


def in_process(artifact: Path, queries: dict[str, str], warmup: int, reps: int) -> dict[str, Timings]:
    """Time what one of our query workers does (query + serialization), here, without HTTP or pipe."""
    catalogue, oxstore = store.open_query_store(artifact)  # as a worker opens it
    dataset = store.query_dataset(catalogue, unions=True)  # the default: asserted + inferred
    results: dict[str, Timings] = {}
    for name, text in queries.items():
        describe = text.lstrip().upper().startswith("DESCRIBE")
        job = workers.QueryJob(text, dataset, "ntriples" if describe else "json", max_rows=10_000)
        rows = {workers.perform(oxstore, job).rows for _ in range(max(1, warmup))}
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            workers.perform(oxstore, job)
            times.append(time.perf_counter() - start)
        results[name] = Timings(rows.pop() if len(rows) == 1 else sorted(rows), times)
    return results


def start_conflict_graph(cache_dir: Path, artifact: Path, log_dir: Path) -> Server:
    """``conflict-graph serve`` from the warm cache, default settings (2 workers, 8 threads).

    Raises:
        RuntimeError: it serves another build than ``artifact`` (an input changed meanwhile).
    """
    started = spawn_ours(["--cache-dir", str(cache_dir)], log_dir / "conflict-graph.log")
    server = Server("conflict-graph", started.url, started.process,
                    {"warm start from the cache, to first answer": started.startup})
    with urllib.request.urlopen(server.url + "?query=ASK%7B%7D", timeout=10) as response:
        served = response.headers.get("Conflict-Graph-Data-Version")
    if served != artifact.name:
        stop(server)
        raise RuntimeError(f"conflict-graph serves data version {served}, not the build {artifact.name}"
                           " the other servers got: an input file changed during the run")
    return server


def start_oxigraph(nquads: Path, work: Path, log_dir: Path) -> Server:
    """``oxigraph load`` into a fresh on-disk store, then ``oxigraph serve-read-only`` on it."""
    exe = shutil.which("oxigraph", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if exe is None:
        raise RuntimeError("oxigraph not found: pip install oxigraph")
    location = work / "oxigraph-db"
    start = time.perf_counter()
    subprocess.run([exe, "load", "--location", str(location), "--file", str(nquads)],
                   check=True, capture_output=True, timeout=300)
    load = time.perf_counter() - start
    port = free_port()
    cmd = [exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
           "--union-default-graph"]
    server = spawn("oxigraph", cmd, f"http://127.0.0.1:{port}/query", log_dir)
    server.startup = {"oxigraph load": load, "serve to first answer": server.startup["first answer"]}
    return server


def start_rdflib_endpoint(exe: str, nquads: Path, log_dir: Path) -> Server:
    """``rdflib-endpoint serve`` on the N-Quads file (it parses the file with rdflib at start)."""
    port = free_port()
    cmd = [exe, "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)]
    server = spawn("rdflib-endpoint", cmd, f"http://127.0.0.1:{port}/", log_dir)
    server.startup = {"parse N-Quads + first answer": server.startup["first answer"]}
    return server


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def sequential(server: Server, queries: dict[str, str], warmup: int) -> dict[str, Timings]:
    """Warm up, then time ``server.reps`` sequential runs of each query."""
    results: dict[str, Timings] = {}
    for name, query in queries.items():
        try:
            rows = {send(server.url, query)[1] for _ in range(max(1, warmup))}
            times = [send(server.url, query)[0] for _ in range(server.reps)]
            results[name] = Timings(rows.pop() if len(rows) == 1 else sorted(rows), times)
        except Exception as exc:  # one failing query must not stop the others
            results[name] = Timings(error=f"{type(exc).__name__}: {exc}")
    return results


def concurrent(server: Server, queries: dict[str, str], clients: int, rounds: int) -> dict[str, float]:
    """``clients`` threads each send every query ``rounds`` times; return throughput and latency."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    texts = list(queries.values())

    def client(offset: int) -> None:
        for i in range(rounds * len(texts)):
            try:
                seconds = send(server.url, texts[(i + offset) % len(texts)])[0]
                with lock:
                    latencies.append(seconds)
            except Exception as exc:
                with lock:
                    errors.append(str(exc))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return {"requests": len(latencies), "errors": len(errors), "wall": wall,
            "throughput": len(latencies) / wall,
            "median": statistics.median(latencies) if latencies else math.nan,
            "p95": percentile(latencies, 0.95) if latencies else math.nan}


def ms(seconds: float) -> str:
    """Milliseconds, with precision that suits the size."""
    value = seconds * 1000
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def report(servers: list[Server], seq: dict[str, dict[str, Timings]], inproc: dict[str, Timings],
           conc: dict[str, dict[str, float]], clients: int) -> int:
    """Print the tables (Markdown); return the number of errors and row-count mismatches.

    A DESCRIBE whose size differs is printed as loudly but not counted: its output is left to the
    service by the standard.
    """
    names = [s.name for s in servers]
    reference = names[0]
    print("\n## Sequential latency (ms, median / p95) and rows\n")
    ratio_head = f" | {reference} ÷ {names[1]}" if len(names) > 1 else ""
    print(f"| query | {reference} in-process | " + " | ".join(names) + ratio_head + " | rows |")
    print("|---|---|" + "---|" * (len(names) + (len(names) > 1)) + "---|")
    problems: list[str] = []
    notes: list[str] = []
    for query in next(iter(seq.values())):
        here = inproc[query]
        cells = [f"{ms(here.median)} / {ms(percentile(here.times, 0.95))}"]
        counts: dict[str, object] = {f"{reference} in-process": here.rows}
        for name in names:
            result = seq[name][query]
            counts[name] = result.rows
            if result.error:
                cells.append("error")
                problems.append(f"{name} / {query}: {result.error}")
            else:
                cells.append(f"{ms(result.median)} / {ms(percentile(result.times, 0.95))}")
        same = len({json.dumps(c) for c in counts.values()}) == 1
        rows = str(counts[reference]) if same else " vs ".join(f"{n}={c}" for n, c in counts.items())
        if not same:
            rows = "**MISMATCH** " + rows
            if query == "DESCRIBE":  # SPARQL 1.1 §16.4 leaves DESCRIBE's output to the service
                notes.append(f"ROW COUNT MISMATCH for DESCRIBE (implementation-defined): {counts}")
            else:
                problems.append(f"ROW COUNT MISMATCH for {query}: {counts}")
        ratio = ""
        ours, other = seq[reference][query], seq[names[1]][query] if len(names) > 1 else None
        if other is not None:
            ratio = " | –" if ours.error or other.error else f" | {ours.median / other.median:.1f}x"
        print(f"| {query} | " + " | ".join(cells) + f"{ratio} | {rows} |")
    print(f"\n## Under concurrency ({clients} clients, every query in turn)\n")
    print("| server | requests | errors | wall (s) | throughput (req/s) | median (ms) | p95 (ms) |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        c = conc[name]
        print(f"| {name} | {c['requests']:.0f} | {c['errors']:.0f} | {c['wall']:.2f} | "
              f"{c['throughput']:.1f} | {ms(c['median'])} | {ms(c['p95'])} |")
        if c["errors"]:
            problems.append(f"{name}: {c['errors']:.0f} failed requests under concurrency")
    print("\n## Start-up (s)\n")
    print("| server | steps before the first answer |")
    print("|---|---|")
    for server in servers:
        steps = ", ".join(f"{k} {v:.2f}" for k, v in server.startup.items())
        print(f"| {server.name} | {steps} |")
    if problems or notes:
        print("\n" + "!" * 72)
        for problem in problems + notes:
            print("!! " + problem)
        print("!" * 72)
    return len(problems)


def main(argv: list[str] | None = None) -> int:
    """Parse options, start the servers, run the benchmark, print the tables, stop the servers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=30, help="sequential repetitions per query")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per query first")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=5,
                        help="times each concurrent client sends every query")
    parser.add_argument("--cache-dir", type=Path,
                        help="reuse this build cache (default: a fresh temporary one, so a cold build)")
    parser.add_argument("--rdflib-endpoint", default="auto",
                        help="path of the rdflib-endpoint command, 'auto' (look on PATH) or 'none'")
    parser.add_argument("--rdflib-reps", type=int, default=5,
                        help="sequential repetitions for rdflib-endpoint, which also gets one"
                        " concurrent round only (its engine is slow)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    servers: list[Server] = []
    try:
        cache_dir = args.cache_dir or work / "cache"
        artifact, nquads, build_s, cached = build_dataset(cache_dir, work)
        kind = "cache hit" if cached else "cold build: SHACL validation + owlrl closure"
        print(f"conflict-graph build: {build_s:.1f} s ({kind}; excluded from the timings);"
              f" data version {artifact.name}")
        with open(nquads, encoding="utf-8") as lines:
            quads = sum(1 for _ in lines)
        print(f"served quads (dataset.nq without the shapes graph): {quads:,}")

        queries = load_queries()
        print(f"conflict-graph in-process: {args.reps} runs x {len(queries)} queries ...", flush=True)
        inproc = in_process(artifact, queries, args.warmup, args.reps)
        servers.append(start_conflict_graph(cache_dir, artifact, work))
        servers.append(start_oxigraph(nquads, work, work))
        exe = None if args.rdflib_endpoint == "none" else (
            shutil.which("rdflib-endpoint") if args.rdflib_endpoint == "auto" else args.rdflib_endpoint)
        if exe:
            servers.append(start_rdflib_endpoint(exe, nquads, work))
        else:
            print("rdflib-endpoint: not found, skipped (--rdflib-endpoint PATH to include it)")
        for server in servers:
            server.reps = args.rdflib_reps if server.name == "rdflib-endpoint" else args.reps

        seq, conc = {}, {}
        for server in servers:  # one server under load at a time; the others sit idle
            print(f"{server.name}: {server.reps} sequential runs x {len(queries)} queries ...", flush=True)
            seq[server.name] = sequential(server, queries, args.warmup)
            rounds = 1 if server.name == "rdflib-endpoint" else args.rounds
            print(f"{server.name}: {args.clients} clients x {rounds} round(s) ...", flush=True)
            conc[server.name] = concurrent(server, queries, args.clients, rounds)
        return 1 if report(servers, seq, inproc, conc, args.clients) else 0
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
