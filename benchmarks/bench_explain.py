"""How explanations scale: build cost of the derivations graph, and the latency of one explanation.

For each size, a seeded conflict-like graph (:func:`conflict_graph.reasoning.synthetic.generate`)
is written next to the project's own data and built (SHACL validation off: generated data has no
labels), then a seeded sample of inferred triples is explained in process, each several times.

    python benchmarks/bench_explain.py                    # 10^4 and 10^5 asserted triples
    python benchmarks/bench_explain.py --sizes 10000 --sample 50 --json out.json
    python benchmarks/bench_explain.py --smoke            # a tiny size, seconds (CI)

Prints a table (build seconds per step, graph sizes, explanation median/p95 in ms) and writes the
same figures as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from conflict_graph.pipeline import build, inputs
from conflict_graph.reasoning.explainer import Explainer
from conflict_graph.reasoning.synthetic import generate
from conflict_graph.reasoning.terms import to_oxigraph


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


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure(size: int, sample: int, repeats: int, work: Path) -> dict[str, Any]:
    """Build ``size`` generated triples with the article, then time explanations of a sample."""
    _, built, cold = prepare(size, work)
    graphs = {g.kind: g.triples for g in built.catalogue.graphs}
    explainer = Explainer.open(built.artifact)
    inferred = list(explainer.index.inferred_triples())  # type: ignore[attr-defined]
    chosen = random.Random(7).sample(inferred, min(sample, len(inferred)))
    times: list[float] = []
    nodes: list[int] = []
    for triple in chosen:
        for _ in range(repeats):
            mark = time.perf_counter()
            explanation = explainer.explain(triple)
            times.append((time.perf_counter() - mark) * 1000)
        nodes.append(explanation.nodes)
    return {
        "generated": size, "cold_build_s": round(cold, 3),
        "timings_s": {k: round(v, 3) for k, v in built.catalogue.timings.items()},
        "inferred": graphs.get("inferred", 0), "derivations_graph": graphs.get("derivations", 0),
        "explained": len(chosen), "explain_ms_median": round(statistics.median(times), 2),
        "explain_ms_p95": round(_percentile(times, 0.95), 2), "nodes_median": statistics.median(nodes),
        "nodes_max": max(nodes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sample", type=int, default=200, help="inferred triples explained per size")
    parser.add_argument("--repeats", type=int, default=3, help="explanations of each sampled triple")
    parser.add_argument("--smoke", action="store_true", help="one tiny size, for CI")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    sizes, sample = ([2_000], 20) if args.smoke else (args.sizes, args.sample)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-explain.") as folder:
        for size in sizes:
            rows.append(measure(size, sample, args.repeats, Path(folder)))
            row = rows[-1]
            print(f"{row['generated']:>9,} generated  cold build {row['cold_build_s']:7.2f} s "
                  f"(derivations {row['timings_s'].get('derivations', 0):.2f} s)  inferred {row['inferred']:>9,}  "
                  f"derivations graph {row['derivations_graph']:>10,}  explain median "
                  f"{row['explain_ms_median']:6.2f} ms  p95 {row['explain_ms_p95']:6.2f} ms  "
                  f"nodes median {row['nodes_median']} max {row['nodes_max']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
