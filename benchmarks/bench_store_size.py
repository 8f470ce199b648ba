"""Memory and disk of our server against the Oxigraph server holding the same served dataset.

Given a build artifact (from ``conflict-graph build`` or any cache folder), this starts, one at a
time, each on a free loopback port:

* ``conflict-graph``: ``conflict-graph serve`` from the warm cache (``--`` passes the arguments
  that select the artifact, e.g. ``--data synthetic.nt``);
* ``oxigraph default graph``: the Oxigraph server on our ``owl-rl`` default graph (asserted and
  inferred triples, a set) in its default graph: what a client of the default graph sees;
* ``oxigraph all quads``: the Oxigraph server on every quad of our query store (each named graph,
  the derivations graph, and the default graph): everything our endpoint can answer.

Each server answers the same few queries (an ``ASK``, a count of the default graph and a count of
the named graphs' quads) before its RSS and PSS (summed over the process and its children, Linux
``/proc``; PSS counts a page shared by several processes once in all) and its on-disk files are
measured. Prints a Markdown table.

    .venv/bin/python benchmarks/bench_store_size.py --cache-dir /tmp/c --artifact /tmp/c/<key> \\
        --work /tmp/sizes -- --data synthetic-1000000.nt
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pyoxigraph as ox  # noqa: E402
from bench_systems import (  # noqa: E402
    BIN, Client, Server, memory_figures, spawn_on_free_port, spawn_ours, stop)

from conflict_graph.query import store  # noqa: E402

QUERIES = (
    "ASK {}",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
)


def measure(server: Server) -> dict[str, float]:
    client = Client(server.url)
    try:
        for query in QUERIES:
            status, body = client.send(query, timeout=600)
            if status != 200:
                raise RuntimeError(f"{server.name}: {status} {body[:200]!r}")
    finally:
        client.close()
    return {**memory_figures(server), "startup_s": server.startup}


def export(artifact: Path, work: Path) -> tuple[Path, Path]:
    """Our default graph as N-Triples, and every quad of our query store as N-Quads."""
    catalogue, opened = store.open_query_store(artifact)
    default, everything = work / "default-graph.nt", work / "all-quads.nq"
    if not default.exists():
        graph = store.graph_name(catalogue.all_union_graph)
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object)
                      for q in opened.quads_for_pattern(None, None, None, graph)),
                     str(default), ox.RdfFormat.N_TRIPLES)
    if not everything.exists():
        ox.serialize(opened.quads_for_pattern(None, None, None, None), str(everything), ox.RdfFormat.N_QUADS)
    return default, everything


def start_oxigraph(name: str, data: Path, work: Path) -> Server:
    exe = shutil.which("oxigraph", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if exe is None:
        raise SystemExit("the oxigraph server is not installed (pip install oxigraph)")
    location = work / name.replace(" ", "-")
    shutil.rmtree(location, ignore_errors=True)
    subprocess.run([exe, "load", "--location", str(location), "--file", str(data)],
                   check=True, capture_output=True, timeout=7200)
    server = spawn_on_free_port(
        name,
        lambda port: [exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        "/query", work / f"{location.name}.log")
    server.disk = location
    return server


def start_ours(cache_dir: Path, artifact: Path, work: Path, serve_args: list[str]) -> Server:
    server = spawn_ours(["--cache-dir", str(cache_dir), *serve_args], work / "ours.log")
    server.disk = artifact / store.STORE_DIR
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--artifact", type=Path, required=True, help="the artifact folder the server finds")
    parser.add_argument("--work", type=Path, required=True, help="folder for the exports and Oxigraph stores")
    parser.add_argument("serve_args", nargs="*", help="arguments of conflict-graph serve (after --)")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    catalogue = store.read_catalogue(args.artifact)
    kinds: dict[str, int] = {}
    for graph in catalogue.graphs:
        kinds[graph.kind] = kinds.get(graph.kind, 0) + graph.triples
    print("graphs:", ", ".join(f"{kind} {count:,}" for kind, count in kinds.items()),
          f"; asserted union stored: {catalogue.asserted_union_stored}")
    default, everything = export(args.artifact, args.work)
    rows: dict[str, dict[str, float]] = {}
    starts = {
        "conflict-graph": lambda: start_ours(args.cache_dir, args.artifact, args.work, args.serve_args),
        "oxigraph default graph": lambda: start_oxigraph("oxigraph default graph", default, args.work),
        "oxigraph all quads": lambda: start_oxigraph("oxigraph all quads", everything, args.work),
    }
    for name, start in starts.items():
        server = start()
        try:
            rows[name] = measure(server)
        finally:
            stop(server)
        print(f"  {name}: done", flush=True)
    print("\n| server | processes | RSS MB | PSS MB | on disk MB | RSS + disk MB | PSS + disk MB "
          "| ours ÷ this (RSS + disk) | ours ÷ this (PSS + disk) |")
    print("|---|---|---|---|---|---|---|---|---|")
    ours = rows["conflict-graph"]
    for name, row in rows.items():
        rss_total = row["rss_mb"] + row["disk_mb"]
        print(f"| {name} | {row['processes']:.0f} | {row['rss_mb']:.0f} | {row['pss_mb']:.0f} "
              f"| {row['disk_mb']:.0f} | {rss_total:.0f} | {row['pss_disk_mb']:.0f} "
              f"| {(ours['rss_mb'] + ours['disk_mb']) / rss_total:.2f}x "
              f"| {ours['pss_disk_mb'] / row['pss_disk_mb']:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
