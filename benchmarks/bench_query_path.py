"""The query path against other SPARQL servers, on the same triples and queries, in one command.

Datasets (each served by every system; ``--datasets`` picks some):

* ``article``: the project's own build (asserted + OWL 2 RL closure), the 23 named queries;
* ``lubm``: LUBM(1,0) with its ontology and OWL 2 RL closure (``benchmarks/data/lubm/``), the 14
  LUBM queries; the closure comes from the ``reasonable`` package when it is installed, else from
  a normal build of the two files (slow: owlrl);
* ``gen-1e5``, ``gen-1e6``: ``generate_graph.py`` at 10^5 and 10^6 triples, five queries
  (lookup, join, aggregate, path, date filter). Served as generated: they hold no ontology, so
  their closure is empty, and their artifact is written directly (no SHACL, no reasoning).

Systems, each on a free loopback port, stopped at the end (also on error or Ctrl-C):

* ``conflict-graph``: ``conflict-graph serve`` from a warm cache, default settings;
* ``oxigraph``: the Oxigraph server (PyPI ``oxigraph``), ``serve-read-only`` on a store loaded
  with our default graph (asserted + inferred, as a set) in its default graph;
* ``virtuoso``: Virtuoso open source (``virtuoso-t``), the same triples loaded with ``DB.DBA.TTLP``
  into one graph (its default graph is the union of its graphs), skipped when not installed;
* ``rdflib-endpoint``: rdflib's engine behind uvicorn, same triples; skipped when not installed;
  each of its queries is capped (``--cap``) and a query over the cap is reported as "> cap"; it
  gets one timed run per query and no concurrent round (its queries take seconds at 10^5).

Per system and dataset: p50 and p99 latency per query at concurrency 1 (sequential, one
persistent connection) and at concurrency 8 (eight clients, each with its own persistent
connection and its own loopback address 127.0.0.x, sending every query in turn), throughput at
concurrency 8 (answers per second), refusals (429/503), start-up time to the first answer, the
server's RSS and PSS (summed over the process and its children; PSS counts a page shared by
several processes once in all, which is what a process tree really holds) and its on-disk size.
Row counts are compared between systems (the exit status is 1 when ours differ from
Oxigraph's). Figures go to standard output as Markdown, to ``--json`` and to ``--plot`` (PNG).

``--smoke`` runs everything once with tiny counts (the article only, untimed): a CI test runs it
so the script cannot rot.

    .venv/bin/python benchmarks/bench_query_path.py --json /tmp/bench.json --plot /tmp/bench.png
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_datasets import article, generated, lubm  # noqa: E402
from bench_systems import Client, Server, memory_figures, percentile, start, stop  # noqa: E402

CONCURRENCY = 8


# --- measuring ----------------------------------------------------------------------------------


def rows(body: bytes) -> int:
    if body.lstrip().startswith(b"{"):
        document = json.loads(body)
        if "boolean" in document:
            return int(bool(document["boolean"]))
        return len(document["results"]["bindings"])
    return sum(1 for line in body.splitlines() if line.strip())


def disagreements(systems: dict[str, dict[str, Any]]) -> int:
    """Queries where our row count differs from the Oxigraph server's (the same engine, so any
    difference is ours). Differences with Virtuoso and rdflib-endpoint, whose SPARQL readings
    differ in places, are shown in the tables (``DIFFER``) but do not count."""
    ours = systems.get("conflict-graph", {}).get("queries", {})
    reference = systems.get("oxigraph", {}).get("queries", {})
    return sum(1 for query, figures in ours.items()
               if query in reference and not str(reference[query]["rows"]).startswith(">")
               and str(figures["rows"]) != str(reference[query]["rows"]))


@dataclass
class Measured:
    c1: dict[str, list[float]] = field(default_factory=dict)
    c8: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int | str] = field(default_factory=dict)
    over_cap: set[str] = field(default_factory=set)
    throughput: float = 0.0
    refused: int = 0
    failed: int = 0
    four_at_once_refused: int = 0


def sequential(server: Server, queries: dict[str, str], reps: int, cap: float, measured: Measured) -> None:
    client = Client(server.url)
    for name, text in queries.items():
        try:
            status, body = client.send(text, timeout=cap)
        except OSError:
            measured.over_cap.add(name)
            measured.rows[name] = f"> {cap:g} s"
            client.close()
            continue
        measured.rows[name] = rows(body) if status == 200 else f"HTTP {status}"
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            client.send(text, timeout=cap)
            times.append(time.perf_counter() - started)
        measured.c1[name] = times
    client.close()


def concurrent(server: Server, queries: dict[str, str], rounds: int, cap: float, measured: Measured) -> None:
    names = [n for n in queries if n not in measured.over_cap]
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = Client(server.url, source=f"127.0.0.{index + 1}")
        for round_ in range(rounds):
            for offset in range(len(names)):
                name = names[(offset + index + round_) % len(names)]
                started = time.perf_counter()
                try:
                    status, _ = client.send(queries[name], timeout=cap)
                except OSError:
                    status = 0
                seconds = time.perf_counter() - started
                with lock:
                    if status == 200:
                        measured.c8.setdefault(name, []).append(seconds)
                    elif status in (429, 503):
                        measured.refused += 1
                    else:
                        measured.failed += 1
        client.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answered = sum(len(v) for v in measured.c8.values())
    measured.throughput = answered / (time.perf_counter() - started)


def four_at_once(server: Server, query: str) -> int:
    """How many of four simultaneous queries from one client address are refused (429/503)."""
    statuses: list[int] = []
    clients = [Client(server.url, source="127.0.0.100") for _ in range(4)]
    threads = [threading.Thread(target=lambda c=c: statuses.append(c.send(query)[0])) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    return sum(1 for s in statuses if s in (429, 503))


# --- report -------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.2f}"


def report(results: dict[str, dict[str, Any]]) -> None:
    for dataset, systems in results.items():
        names = list(systems)
        print(f"\n### {dataset}\n")
        print("| system | start-up s | processes | RSS MB | PSS MB | on disk MB | PSS + disk MB "
              "| throughput c=8 /s | refused c=8 | failed | 4 at once refused |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name in names:
            s = systems[name]
            print(
                f"| {name} | {s['startup_s']:.2f} | {s['processes']} | {s['rss_mb']:.0f} | "
                f"{s['pss_mb']:.0f} | {s['disk_mb']:.0f} | {s['pss_disk_mb']:.0f} | {s['throughput']:.0f} | "
                f"{s['refused']} | {s['failed']} | {s['four_at_once_refused']} |"
            )
        if "conflict-graph" in systems and "oxigraph" in systems:
            ours, theirs = systems["conflict-graph"], systems["oxigraph"]
            rss_ratio = (ours["rss_mb"] + ours["disk_mb"]) / (theirs["rss_mb"] + theirs["disk_mb"])
            print(f"\nMemory, ours ÷ Oxigraph: PSS + disk {ours['pss_disk_mb'] / theirs['pss_disk_mb']:.2f}x "
                  f"(RSS + disk {rss_ratio:.2f}x)")
        queries = list(systems[names[0]]["queries"])
        print("\n| query | " + " | ".join(f"{n} p50 / p99 c=1 | {n} p50 c=8" for n in names) + " | rows |")
        print("|---|" + "---|---|" * len(names) + "---|")
        for query in queries:
            cells = []
            counts = set()
            for name in names:
                q = systems[name]["queries"].get(query, {})
                counts.add(str(q.get("rows")))
                cells.append(f"{q.get('p50_c1', '–')} / {q.get('p99_c1', '–')} | {q.get('p50_c8', '–')}")
            agree = counts.pop() if len(counts) == 1 else "DIFFER: " + ", ".join(sorted(counts))
            print(f"| {query} | " + " | ".join(cells) + f" | {agree} |")
        if "conflict-graph" in systems and "oxigraph" in systems:
            ratios = []
            for query in queries:
                ours = systems["conflict-graph"]["queries"].get(query, {}).get("p50_c1_s")
                theirs = systems["oxigraph"]["queries"].get(query, {}).get("p50_c1_s")
                if ours and theirs:
                    ratios.append(ours / theirs)
            if ratios:
                print(
                    f"\np50 ratio conflict-graph / oxigraph at c=1: median {statistics.median(ratios):.2f}x "
                    f"(range {min(ratios):.2f}–{max(ratios):.2f}x)"
                )


def plot(results: dict[str, dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install matplotlib)")
        return
    figure, axes = plt.subplots(len(results), 1, figsize=(12, 4 * len(results)), squeeze=False)
    for axis, (dataset, systems) in zip(axes[:, 0], results.items(), strict=True):
        queries = list(next(iter(systems.values()))["queries"])
        width = 0.8 / max(1, len(systems))
        for index, (name, s) in enumerate(systems.items()):
            values = [s["queries"].get(q, {}).get("p50_c1_s") or 0 for q in queries]
            axis.bar(
                [i + index * width for i in range(len(queries))],
                [v * 1000 for v in values],
                width,
                label=name,
            )
        axis.set_yscale("log")
        axis.set_ylabel("p50 latency, ms (log)")
        axis.set_title(f"{dataset}: p50 latency at concurrency 1")
        axis.set_xticks(
            [i + 0.4 - width / 2 for i in range(len(queries))], queries, rotation=60, ha="right", fontsize=7
        )
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    print(f"plot written to {path}")


def summarize(server: Server, measured: Measured) -> dict[str, Any]:
    queries: dict[str, Any] = {}
    for name, count in measured.rows.items():
        c1, c8 = measured.c1.get(name, []), measured.c8.get(name, [])
        queries[name] = {
            "rows": count,
            "p50_c1_s": statistics.median(c1) if c1 else None,
            "p50_c1": ms(statistics.median(c1)) if c1 else count if isinstance(count, str) else "–",
            "p99_c1": ms(percentile(c1, 0.99)) if c1 else "–",
            "p50_c8": ms(statistics.median(c8)) if c8 else "–",
            "p99_c8": ms(percentile(c8, 0.99)) if c8 else "–",
        }
    return {
        "startup_s": server.startup,
        **memory_figures(server),
        "throughput": measured.throughput,
        "refused": measured.refused,
        "failed": measured.failed,
        "four_at_once_refused": measured.four_at_once_refused,
        "queries": queries,
    }


def write_json(path: Path, results: dict[str, dict[str, Any]], argv: list[str] | None) -> None:
    machine = {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average": os.getloadavg(),
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
    }
    path.write_text(json.dumps({"machine": machine, "results": results}, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets",
        default="article,lubm,gen-1e5,gen-1e6",
        help="comma-separated: article, lubm, gen-1e5, gen-1e6",
    )
    parser.add_argument("--systems", default="conflict-graph,oxigraph,virtuoso,rdflib-endpoint")
    parser.add_argument("--reps", type=int, default=20, help="sequential runs per query (concurrency 1)")
    parser.add_argument("--rounds", type=int, default=3, help="times each of the 8 clients sends every query")
    parser.add_argument(
        "--cap", type=float, default=60.0, help="seconds a query may take before it counts as '> cap'"
    )
    parser.add_argument(
        "--work", type=Path, default=None, help="folder for data and stores (default: a temporary one)"
    )
    parser.add_argument(
        "--rdflib-endpoint",
        default=shutil.which("rdflib-endpoint"),
        help="the rdflib-endpoint command (default: on PATH)",
    )
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--plot", type=Path, help="write a PNG plot here")
    parser.add_argument("--smoke", action="store_true", help="tiny untimed run: the article, 1 rep, 1 round")
    args = parser.parse_args(argv)
    if args.smoke:
        args.datasets, args.reps, args.rounds = "article", 1, 1
    work = args.work or Path(tempfile.mkdtemp(prefix="cg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cache_dir = work / "cache"
    makers = {
        "article": lambda: article(work, cache_dir),
        "lubm": lambda: lubm(work, cache_dir),
        "gen-1e5": lambda: generated(100_000, work, cache_dir),
        "gen-1e6": lambda: generated(1_000_000, work, cache_dir),
    }
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    results: dict[str, dict[str, Any]] = {}
    problems = 0
    try:
        for name in [d.strip() for d in args.datasets.split(",") if d.strip()]:
            dataset = makers[name]()
            print(
                f"{dataset.name}: {dataset.triples:,} triples in the default graph, "
                f"{len(dataset.queries)} queries"
            )
            results[dataset.name] = {}
            for system in systems:
                server = start(system, dataset, cache_dir, work, args.rdflib_endpoint)
                if server is None:
                    continue
                try:
                    measured = Measured()
                    slow = system == "rdflib-endpoint"  # seconds a query: one timed run, no concurrency
                    sequential(server, dataset.queries, 1 if slow else args.reps, args.cap, measured)
                    if not slow:
                        concurrent(server, dataset.queries, args.rounds, args.cap, measured)
                    measured.four_at_once_refused = four_at_once(server, next(iter(dataset.queries.values())))
                    results[dataset.name][system] = summarize(server, measured)
                    print(f"  {system}: done (start-up {server.startup:.2f} s)")
                finally:
                    stop(server)
            problems += disagreements(results[dataset.name])
            if args.json:  # after each dataset, so a long run keeps what it measured
                write_json(args.json, results, argv)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report(results)
    if args.json:
        write_json(args.json, results, argv)
    if args.plot:
        plot(results, args.plot)
    if problems:
        print(f"\n{problems} query(ies) where conflict-graph and oxigraph returned different row counts")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
