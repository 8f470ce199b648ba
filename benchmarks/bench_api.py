"""What the query API costs over plain SPARQL, and what the Python API costs, on the same questions.

Against a running ``conflict-graph serve`` (``--url``), for each parameterised named query with
its default parameters, it times:

* ``GET /api/queries/{name}`` (parameter checks, substitution, the endpoint's engine);
* ``GET /sparql?query=…`` with the same query text (no parameter bound: the query's defaults);
* ``RemoteGraph.run`` (the Python API over HTTP: the API request plus typed values);
* ``EmbeddedGraph.run`` (the Python API in process, on the same data; no HTTP, no worker).

It prints median and p95 latency in milliseconds as a Markdown table, and the row counts (which
must agree). Sequential requests on one thread; loopback only; every loop is bounded.

    .venv/bin/conflict-graph serve --port 0 &          # prints its URL
    .venv/bin/python benchmarks/bench_api.py --url http://127.0.0.1:PORT [--reps 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

from conflict_graph.api.catalogue import Catalogue
from conflict_graph.api.client import EmbeddedGraph, RemoteGraph


def _timed(action: Callable[[], int], reps: int, warmup: int = 3) -> tuple[float, float, int]:
    rows = 0
    for _ in range(warmup):
        rows = action()
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))], rows


def _get(url: str, accept: str = "application/sparql-results+json") -> int:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        return int(response.headers["Conflict-Graph-Rows"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="root URL of a running conflict-graph serve")
    parser.add_argument("--reps", type=int, default=50, help="timed runs of each (after 3 untimed)")
    args = parser.parse_args()
    root = args.url.rstrip("/")
    remote = RemoteGraph(root)
    embedded = EmbeddedGraph()
    print("| query | client | median ms | p95 ms | rows |\n|---|---|---|---|---|")
    for query in Catalogue.load().queries:
        if not query.parameters:
            continue
        form = {"query": query.text, "entailment": query.entailment}
        sparql = f"{root}/sparql?" + urllib.parse.urlencode(form)
        clients: dict[str, Callable[[], int]] = {
            "GET /api/queries/{name}": lambda q=query: _get(f"{root}/api/queries/{q.name}"),
            "GET /sparql (same text)": lambda u=sparql: _get(u),
            "Python API, server": lambda q=query: len(remote.run(q.name)),
            "Python API, embedded": lambda q=query: len(embedded.run(q.name)),
        }
        for name, action in clients.items():
            median, p95, rows = _timed(action, args.reps)
            print(f"| {query.name} | {name} | {median:.1f} | {p95:.1f} | {rows} |")


if __name__ == "__main__":
    main()
