"""How explanations scale: build cost of the derivation store, and the latency of one explanation,
in process or over HTTP.

For each size, a seeded conflict-like graph (:func:`conflict_graph.reasoning.synthetic.generate`)
is written next to the project's own data and built (SHACL validation off: generated data has no
labels), then a seeded sample of inferred triples is explained, each several times:

* in process (default): :class:`~conflict_graph.reasoning.explainer.Explainer` on the build;
* ``--http``: ``conflict-graph serve`` is started on the same build (one query worker, a free
  loopback port) and every sampled triple is asked for at ``/explain`` as JSON and as HTML over
  one persistent connection; the server's resident memory is read before the first explanation
  and after the last (the web process alone, and with its query workers).

    python benchmarks/bench_explain.py                    # 10^4 and 10^5 asserted triples
    python benchmarks/bench_explain.py --sizes 10000 --sample 50 --json out.json
    python benchmarks/bench_explain.py --http --sizes 1000000 --sample 100 --work /tmp/bench-explain
    python benchmarks/bench_explain.py --smoke [--http]   # a tiny size, seconds (CI)

``--work DIR`` keeps the generated file and the build cache there, so a second run reuses the
build (a 10^6 build takes minutes); without it everything goes to a temporary folder and every
build is cold. Prints a table (build seconds, graph sizes, explanation median/p95/max in ms) and
writes the same figures as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from bench_systems import percentile, process_rss, rss_bytes, spawn_ours, stop  # this folder, run as a script

from conflict_graph.pipeline import build, inputs
from conflict_graph.query.store import META_FILE
from conflict_graph.reasoning import DerivationIndex
from conflict_graph.reasoning.explain import explain_path
from conflict_graph.reasoning.explainer import Explainer
from conflict_graph.reasoning.synthetic import generate
from conflict_graph.reasoning.term_syntax import Triple
from conflict_graph.reasoning.terms import to_oxigraph

#: Seed of the sample of inferred triples.
SAMPLE_SEED = 7
#: Requests sent before timing starts (HTTP), so start-up costs are not counted.
WARM_UP = 5


def _write_generated(size: int, folder: Path) -> Path:
    """The generated graph of ``size`` triples (seed 1), written once per folder."""
    path = folder / f"synthetic-{size}.nt"
    if not path.is_file():
        triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
                   for s, p, o in generate(size, seed=1)]
        ox.serialize(triples, str(path), ox.RdfFormat.N_TRIPLES)
    return path


def prepare(size: int, work: Path, *, force: bool = True) -> tuple[Path, build.BuildResult, float]:
    """Write the generated graph into ``work`` and build it with the article into ``work/cache``
    (SHACL off: generated data has no labels); without ``force``, a cached build is reused.

    Returns:
        The generated file, the build and its wall time in seconds.
    """
    data = _write_generated(size, work)
    started = time.perf_counter()
    built = build.build(inputs.collect(True, [data]), cache_dir=work / "cache", validate=False, force=force)
    return data, built, time.perf_counter() - started


def _summary(prefix: str, times: list[float]) -> dict[str, float]:
    return {f"{prefix}_median": round(statistics.median(times), 2),
            f"{prefix}_p95": round(percentile(times, 0.95), 2), f"{prefix}_max": round(max(times), 2)}


def _sample(artifact: Path, sample: int) -> list[Triple]:
    with DerivationIndex.open(artifact) as index:
        return index.sample_inferred(sample, SAMPLE_SEED)


def _build_row(size: int, built: build.BuildResult, seconds: float) -> dict[str, Any]:
    graphs = {g.kind: g.triples for g in built.catalogue.graphs}
    return {"generated": size, "build": built.mode, "build_s": round(seconds, 3),
            "timings_s": {k: round(v, 3) for k, v in built.catalogue.timings.items()},
            "inferred": graphs.get("inferred", 0), "derivations_graph": graphs.get("derivations", 0)}


def measure(size: int, sample: int, repeats: int, work: Path, *, force: bool = True) -> dict[str, Any]:
    """Build ``size`` generated triples with the article, then time explanations of a sample in process."""
    _, built, seconds = prepare(size, work, force=force)
    mark = time.perf_counter()
    explainer = Explainer.open(built.artifact)
    opened_ms = (time.perf_counter() - mark) * 1000
    chosen = _sample(built.artifact, sample)
    times: list[float] = []
    nodes: list[int] = []
    for triple in chosen:
        for _ in range(repeats):
            mark = time.perf_counter()
            explanation = explainer.explain(triple)
            times.append((time.perf_counter() - mark) * 1000)
        nodes.append(explanation.nodes)
    return {**_build_row(size, built, seconds), "explainer_open_ms": round(opened_ms, 2),
            "explained": len(chosen), **_summary("explain_ms", times),
            "nodes_median": statistics.median(nodes), "nodes_max": max(nodes)}


# ---------------------------------------------------------------------------------------- HTTP
def _serve_from_cache(artifact: Path) -> None:
    """Let ``conflict-graph serve`` take the benchmark's build from the cache: it serves only
    SHACL-validated builds, and generated data is built without SHACL (it has no labels)."""
    meta = json.loads((artifact / META_FILE).read_text(encoding="utf-8"))
    if not meta.get("validated"):
        meta["validated"] = True
        (artifact / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def _timed_get(connection: http.client.HTTPConnection, path: str, accept: str) -> float:
    mark = time.perf_counter()
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - mark) * 1000
    if response.status != 200:
        raise RuntimeError(f"GET {path} ({accept}): {response.status} {body[:300]!r}")
    return elapsed


def measure_http(size: int, sample: int, repeats: int, work: Path, *, force: bool = False) -> dict[str, Any]:
    """Build (or reuse) ``size`` generated triples, serve them, and time ``/explain`` over HTTP."""
    data, built, seconds = prepare(size, work, force=force)
    _serve_from_cache(built.artifact)
    chosen = _sample(built.artifact, sample)
    server = spawn_ours(["--workers", "1", "--cache-dir", str(work / "cache"), "--data", str(data)],
                        work / f"serve-{size}.log", timeout=3600)
    try:
        parts = urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
        pid = server.process.pid
        rss = {"before_mb": rss_bytes(pid) / 2**20, "web_before_mb": process_rss(pid) / 2**20}
        times: dict[str, list[float]] = {"json": [], "html": []}
        first: dict[str, float] = {}
        accept = {"json": "application/json", "html": "text/html"}
        for index, triple in enumerate(chosen):
            path = explain_path(triple)
            for name, media in accept.items():
                for _ in range(repeats):
                    elapsed = _timed_get(connection, path, media)
                    if index == 0 and name not in first:
                        first[name] = elapsed  # the first /explain opens the derivation store
                    times[name].append(elapsed)
        connection.close()
        rss.update({"after_mb": rss_bytes(pid) / 2**20, "web_after_mb": process_rss(pid) / 2**20})
    finally:
        stop(server)
    warm = {name: found[WARM_UP:] if len(found) > 2 * WARM_UP else found for name, found in times.items()}
    return {**_build_row(size, built, seconds), "startup_s": round(server.startup, 2),
            "explained": len(chosen), "first_json_ms": round(first.get("json", 0.0), 2),
            **_summary("json_ms", warm["json"]), **_summary("html_ms", warm["html"]),
            **{f"rss_{k}": round(v, 1) for k, v in rss.items()}}


def _print_row(row: dict[str, Any], http_mode: bool) -> None:
    head = (f"{row['generated']:>9,} generated  build {row['build']} {row['build_s']:7.2f} s "
            f"(derivations {row['timings_s'].get('derivations', 0):.2f} s)  inferred {row['inferred']:>9,}")
    if http_mode:
        print(f"{head}  start-up {row['startup_s']:.2f} s  first /explain {row['first_json_ms']:.1f} ms\n"
              f"    JSON median {row['json_ms_median']:6.2f} ms  p95 {row['json_ms_p95']:6.2f}  "
              f"max {row['json_ms_max']:6.2f}   HTML median {row['html_ms_median']:6.2f} ms  "
              f"p95 {row['html_ms_p95']:6.2f}  max {row['html_ms_max']:6.2f}\n"
              f"    RSS web process {row['rss_web_before_mb']:.0f} -> {row['rss_web_after_mb']:.0f} MiB, "
              f"with workers {row['rss_before_mb']:.0f} -> {row['rss_after_mb']:.0f} MiB", flush=True)
    else:
        print(f"{head}  open {row['explainer_open_ms']:.2f} ms  "
              f"explain median {row['explain_ms_median']:6.2f} ms  "
              f"p95 {row['explain_ms_p95']:6.2f} ms  max {row['explain_ms_max']:6.2f} ms  "
              f"nodes median {row['nodes_median']} max {row['nodes_max']}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sample", type=int, default=200, help="inferred triples explained per size")
    parser.add_argument("--repeats", type=int, default=3,
                        help="explanations of each sampled triple (per format)")
    parser.add_argument("--http", action="store_true", help="explain over HTTP, through conflict-graph serve")
    parser.add_argument("--work", type=Path, help="keep the generated files and builds here (reused)")
    parser.add_argument("--smoke", action="store_true", help="one tiny size, for CI")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    sizes, sample = ([2_000], 20) if args.smoke else (args.sizes, args.sample)
    run: Callable[..., dict[str, Any]] = measure_http if args.http else measure
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-explain.") as folder:
        work = args.work or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            rows.append(run(size, sample, args.repeats, work.resolve(), force=args.work is None))
            _print_row(rows[-1], args.http)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
