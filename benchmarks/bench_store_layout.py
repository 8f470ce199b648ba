"""Layouts of the on-disk query store, in process: size on disk against query time.

One N-Triples file (e.g. ``generate_graph.py``'s output) is loaded, as the build loads a file with
an empty closure, into four RocksDB stores:

* ``union``: the file's named graph plus its copy in the store's default graph (the ``owl-rl``
  default graph when it is a union of several graphs), each in a bulk load of its own as the
  build writes them; queries run over ``DefaultGraph``;
* ``single``: the named graph only; queries run over ``default_graph=NamedNode(file)`` (the layout
  of a build whose ``owl-rl`` default graph is one stored graph);

each with and without ``Store.optimize()`` after the bulk load. Every store is then opened
read-only (as a query worker opens it) and the five ``generate_graph.QUERIES`` run ``--reps``
times, the layouts alternated within each repetition and their order rotated between repetitions
(after one untimed warm-up run each), so a change in the machine's load, and the first place in
the order (slower on short queries), touch every layout alike. Prints the size on disk and the median
and minimum time per query and layout as Markdown.

    .venv/bin/python benchmarks/bench_store_layout.py /tmp/gen-100000.nt --work /tmp/layouts --reps 15
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_graph  # noqa: E402
from bench_systems import disk_bytes  # noqa: E402

GRAPH = ox.NamedNode("urn:bench:file")
LAYOUTS: dict[str, tuple[bool, bool]] = {  # name → (copy in the default graph, optimize)
    "union, optimized": (True, True),
    "union": (True, False),
    "single, optimized": (False, True),
    "single": (False, False),
}


def quads(path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> Iterable[ox.Quad]:
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def write(path: Path, folder: Path, copy: bool, optimize: bool) -> float:
    """Write one layout, closing the store after each bulk load (as the build does, so RocksDB
    does not compact it in the background); returns the seconds it took."""
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    for graph in (GRAPH, ox.DefaultGraph()) if copy else (GRAPH,):
        written = ox.Store(str(folder))
        written.bulk_extend(quads(path, graph))
        written.flush()
        del written
    if optimize:
        written = ox.Store(str(folder))
        written.optimize()
        del written
    return time.perf_counter() - started


def run(opened: ox.Store, text: str, graph: ox.NamedNode | ox.DefaultGraph) -> tuple[float, int]:
    started = time.perf_counter()
    answer = opened.query(text, default_graph=graph)
    count = sum(1 for _ in answer)  # type: ignore[union-attr]
    return time.perf_counter() - started, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", type=Path, help="an N-Triples file")
    parser.add_argument("--work", type=Path, required=True, help="folder for the stores (emptied)")
    parser.add_argument("--reps", type=int, default=15, help="timed runs of each query on each layout")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    stores: dict[str, ox.Store] = {}
    graphs: dict[str, ox.NamedNode | ox.DefaultGraph] = {}
    print("| layout | load s | on disk MB |\n|---|---|---|")
    for name, (copy, optimize) in LAYOUTS.items():
        folder = args.work / name.replace(", ", "-")
        seconds = write(args.triples, folder, copy, optimize)
        print(f"| {name} | {seconds:.1f} | {disk_bytes(folder) / 2**20:.0f} |", flush=True)
        stores[name] = ox.Store.read_only(str(folder))
        graphs[name] = ox.DefaultGraph() if copy else GRAPH
    times: dict[tuple[str, str], list[float]] = {}
    answers: dict[str, set[int]] = {}
    names = list(stores)
    for rep in range(args.reps + 1):
        for query, text in generate_graph.QUERIES.items():
            for name in names[rep % len(names):] + names[:rep % len(names)]:  # the first one runs slower
                seconds, count = run(stores[name], text, graphs[name])
                answers.setdefault(query, set()).add(count)
                if rep:  # the first repetition warms the page cache and is not counted
                    times.setdefault((query, name), []).append(seconds)
    print("\nms, median (minimum) of", args.reps, "runs; layouts alternated\n")
    print("| query | " + " | ".join(LAYOUTS) + " |")
    print("|---|" + "---|" * len(LAYOUTS))
    for query in generate_graph.QUERIES:
        cells = [f"{statistics.median(times[query, n]) * 1e3:.2f} ({min(times[query, n]) * 1e3:.2f})"
                 for n in LAYOUTS]
        print(f"| {query} | " + " | ".join(cells) + " |")
    differing = [query for query, counts in answers.items() if len(counts) != 1]
    if differing:
        print("row counts differ between layouts:", ", ".join(differing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
