"""Time the build's reasoning path, native engine against owlrl, on generated graphs and LUBM(1).

For each case (a generated conflict-like graph of N asserted triples in the project's ontology,
from ``conflict_graph.reasoning.synthetic``, or LUBM(1,0) from ``benchmarks/data/lubm``) and each
reasoner, one child process runs the steps of a build and reports its own peak memory:

* ``parse``: the ontology and the data file (N-Triples) loaded as a build loads them;
* ``validate``: the SHACL shapes (pySHACL) — only up to ``--validate-up-to`` triples (pySHACL
  takes about 12 s for the article's 4.7k, so hours at 10^6); ``-`` beyond;
* ``reason``: the OWL 2 RL closure (the native engine, or owlrl), cleaning and publishing into
  ``graph/inferred`` included;
* ``derivations``: writing ``derivations.sqlite`` (native only; with owlrl the build also runs
  the native engine for the records, not counted here);
* ``write``: ``dataset.nq`` with pyoxigraph;
* incremental (native only): the same closure kept by ``IncrementalClosure``, then one more
  source of about the article's size (3,500 triples, same generator, other IRIs, same country)
  added and removed again, each timed; the closure after the removal must equal the one before.

The candidates of issue 6 run in children of their own on the same triples (ontology and data):
``reasonable`` (its Python API) and Nemo (``nmo_python``; the ontology compiled into specialised
rules by ``benchmarks/candidates/nemo_program.py``, then Nemo's ``trace`` timed for a sample of
inferred triples). Each closure (owlrl's and the candidates') is cleaned like the native one and
compared with it: ``missing`` and ``extra`` ground triples, and blank-node triples by count (see
``benchmarks/candidates/closures.py``). A candidate that is not installed is skipped with a
printed line; one that fails or exceeds ``--candidate-timeout`` is a row saying so.

owlrl runs only up to ``--owlrl-up-to`` triples (10^5 by default: it takes about 2.4 ms per
asserted triple here, so hours at 10^6). Peak memory is the child's ``ru_maxrss``. The command
prints a Markdown table, writes JSON and a PNG plot (matplotlib, from the ``bench`` extra).

    .venv/bin/python benchmarks/bench_reasoning.py                 # 10^4, 10^5, 10^6 and LUBM(1)
    .venv/bin/python benchmarks/bench_reasoning.py --smoke         # tiny sizes, seconds (CI)
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/candidates when run as a child
LUBM = ROOT / "benchmarks" / "data" / "lubm"
ONTOLOGY = ROOT / "ontology" / "conflict-graph.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
EXTRA_SOURCE_SIZE = 3_500
COLUMNS = ("parse", "validate", "reason", "derivations", "write", "add", "remove")
#: The reasoners of issue 6 besides the native engine and owlrl, and the module each needs.
CANDIDATES = {"reasonable": "reasonable", "nemo": "nmo_python"}


def _write_case(case: str, folder: Path) -> tuple[Path, Path]:
    """The ontology and the N-Triples data file of ``case`` (``lubm`` or a number of triples)."""
    import pyoxigraph as ox

    from conflict_graph.reasoning.synthetic import generate
    from conflict_graph.reasoning.terms import to_oxigraph

    data = folder / f"{case}.nt"
    if case == "lubm":
        data.write_bytes(gzip.decompress((LUBM / "lubm1.nt.gz").read_bytes()))
        return LUBM / "univ-bench.ttl", data
    triples = generate(int(case), seed=1)
    ox.serialize((ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in triples),  # type: ignore[misc]
                 str(data), ox.RdfFormat.N_TRIPLES)
    return ONTOLOGY, data


def _lookup_ms(folder: Path, samples: int = 200) -> float:
    """Median milliseconds of ``DerivationIndex.derivations`` for inferred triples spread over the store."""
    import statistics

    from conflict_graph.reasoning import DerivationIndex

    with DerivationIndex.open(folder) as index:
        inferred = list(index.inferred_triples())
        step = max(1, len(inferred) // samples)
        times = []
        for triple in inferred[::step][:samples]:
            mark = time.perf_counter()
            assert index.derivations(triple)
            times.append((time.perf_counter() - mark) * 1000)
    return statistics.median(times)


def run_candidate(case: str, candidate: str, closures_dir: Path) -> dict[str, Any]:
    """One case with ``reasonable`` or Nemo, in this process; its cleaned closure into ``closures_dir``."""
    from rdflib import Graph

    from candidates import runners

    row: dict[str, Any] = {"case": case, "reasoner": candidate}
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as temporary:
        folder = Path(temporary)
        ontology_file, data = _write_case(case, folder)
        out = closures_dir / f"{case}-{candidate}.nt"
        mark = time.perf_counter()
        ontology = list(Graph().parse(ontology_file, format="turtle"))
        if candidate == "reasonable":
            triples = ontology + list(Graph().parse(data, format="nt"))
            row["parse"] = time.perf_counter() - mark
            row["asserted"] = len(triples)
            row.update(runners.run_reasonable(triples, out))
        else:
            row["parse"] = time.perf_counter() - mark  # the ontology only: Nemo reads the data itself
            with data.open("rb") as lines:
                row["asserted"] = len(ontology) + sum(1 for _ in lines)
            row.update(runners.run_nemo(ontology, data, out, folder))
    row["peak_mb"] = row.pop("peak_mb_reasoned")
    row["peak_mb_with_comparison"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def run_case(case: str, reasoner: str, validate_up_to: int, closures_dir: Path | None = None) -> dict[str, Any]:
    """One case with one reasoner, in this process (called in a child by :func:`main`)."""
    from rdflib import Graph

    from conflict_graph import iris
    from conflict_graph.pipeline import inputs
    from conflict_graph.pipeline.build import write_nquads
    from conflict_graph.reasoning import materialize, validation, write_derivations
    from conflict_graph.reasoning.incremental import IncrementalClosure
    from conflict_graph.reasoning.synthetic import generate

    row: dict[str, Any] = {"case": case, "reasoner": reasoner}
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as temporary:
        folder = Path(temporary)
        ontology, data = _write_case(case, folder)
        files = [inputs.InputFile(ontology, "turtle", str(iris.ONTOLOGY_GRAPH), "ontology"),
                 inputs.InputFile(data, "nt", str(iris.source_graph("bench")), "source")]
        if case != "lubm":
            files.append(inputs.InputFile(SHAPES, "turtle", str(iris.SHAPES_GRAPH), "shapes"))
        mark = time.perf_counter()
        loaded = inputs.load(files)
        row["parse"] = time.perf_counter() - mark
        row["asserted"] = sum(len(g) for g in loaded.dataset.graphs())
        if case != "lubm" and int(case) <= validate_up_to:
            mark = time.perf_counter()
            validation.validate(loaded.dataset)
            row["validate"] = time.perf_counter() - mark
        report = materialize(loaded.dataset, reasoner=reasoner)
        row["reason"] = report.timings.get("owlrl", report.seconds) + (
            report.seconds - sum(report.timings.values()) if reasoner == "owlrl" else 0.0)
        row["engine"] = report.timings["reason"]
        row["inferred"] = report.inferred_triples
        row["errors"] = len(report.errors)
        if closures_dir is not None:
            from candidates import closures

            inferred = loaded.dataset.graph(iris.INFERRED_GRAPH)
            closures.write(inferred, closures_dir / f"{case}-{reasoner}.nt")
        assert report.engine is not None
        row["derivation_records"] = len(report.engine.d_fact)
        if reasoner == "native":
            mark = time.perf_counter()
            write_derivations(folder / "derivations.sqlite", report.engine, loaded.dataset)
            row["derivations"] = time.perf_counter() - mark
            row["lookup_ms"] = _lookup_ms(folder)
        mark = time.perf_counter()
        write_nquads(loaded.dataset, folder / "dataset.nq")
        row["write"] = time.perf_counter() - mark
        if reasoner == "native":
            names = [g for g in report.graphs]
            incremental = IncrementalClosure()
            mark = time.perf_counter()
            for name in names:
                incremental.set_graph(str(name), Graph(store=loaded.dataset.store, identifier=name))
            incremental.engine.track()
            row["incremental_cold"] = time.perf_counter() - mark
            before = len(incremental.engine.fid)
            extra = generate(EXTRA_SOURCE_SIZE, seed=99, prefix="extra-")
            mark = time.perf_counter()
            incremental.set_graph("extra", extra)
            row["add"] = time.perf_counter() - mark
            row["added_facts"] = len(incremental.engine.fid) - before
            mark = time.perf_counter()
            incremental.remove_graph("extra")
            row["remove"] = time.perf_counter() - mark
            row["restored"] = len(incremental.engine.fid) == before
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def _child(case: str, reasoner: str, validate_up_to: int, closures_dir: Path,
           timeout: float | None = None) -> dict[str, Any]:
    """Run one case and reasoner in a child process; a failure or a timeout is a row saying so
    (exit code -9 is SIGKILL: on this shared machine, the kernel's out-of-memory killer)."""
    command = [sys.executable, __file__, "--child", case, reasoner, "--validate-up-to", str(validate_up_to),
               "--closures", str(closures_dir)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"case": case, "reasoner": reasoner, "status": f"stopped after {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"{case} with {reasoner} failed (exit code {done.returncode}):\n{done.stderr[-3000:]}",
              file=sys.stderr)
        return {"case": case, "reasoner": reasoner, "status": f"failed (exit code {done.returncode}): {last}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _ratio(row: dict[str, Any], native: dict[str, Any] | None) -> str:
    """owlrl: its reason time over the native one (both clean and publish); a candidate: its load
    and closure time over the native engine's closure alone (``engine``; neither cleans)."""
    if native is None or "status" in native or row["reasoner"] == "native" or row.get("reason") is None:
        return "-"
    base = native["reason"] if row["reasoner"] == "owlrl" else native["engine"]
    ratio = row["reason"] / base
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table, one line per case and reasoner."""
    header = ["case", "reasoner", "asserted", "inferred", *[f"{c} s" for c in COLUMNS], "peak MB",
              "lookup ms", "time / native", "missing", "extra", "blank-node triples (native)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    native = {r["case"]: r for r in rows if r["reasoner"] == "native"}
    for row in rows:
        if "status" in row:
            cells = [row["case"], row["reasoner"], row["status"]] + ["-"] * (len(header) - 3)
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
            continue
        blank = (f"{row['blank_candidate']:,} ({row['blank_native']:,})" if "blank_native" in row else None)
        lookup = row.get("lookup_ms", row.get("trace_ms"))
        cells = [row["case"], row["reasoner"], row.get("asserted"), row.get("inferred"),
                 *[row.get(c) for c in COLUMNS], row.get("peak_mb"), lookup,
                 _ratio(row, native.get(row["case"])), row.get("missing"), row.get("extra"), blank]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Reasoning time against asserted triples, one line per reasoner (log-log)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    for reasoner in ("native", "owlrl", *CANDIDATES):
        points = sorted((r["asserted"], r["reason"]) for r in rows
                        if r["reasoner"] == reasoner and r["case"] != "lubm" and r.get("reason"))
        if points:
            axes.plot(*zip(*points), marker="o", label=f"{reasoner}: reason")
    points = sorted((r["asserted"], r["engine"]) for r in rows
                    if r["reasoner"] == "native" and r["case"] != "lubm" and r.get("engine"))
    if points:
        axes.plot(*zip(*points), marker=".", linestyle=":", label="native: engine (closure only)")
    points = sorted((r["asserted"], r["add"]) for r in rows if r.get("add") is not None and r["case"] != "lubm")
    if points:
        axes.plot(*zip(*points), marker="s", linestyle="--", label="native: add one source (incremental)")
    for r in rows:
        if r["case"] == "lubm" and r.get("reason"):
            axes.scatter([r["asserted"]], [r["reason"]], marker="x", s=60, label=f"LUBM(1), {r['reasoner']}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("asserted triples")
    axes.set_ylabel("seconds")
    axes.set_title("OWL 2 RL closure: native engine, owlrl, reasonable, Nemo")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def _run_reasoners(case: str, args: argparse.Namespace, candidates: list[str], closures_dir: Path,
                   rows: list[dict[str, Any]], saved: Callable[[], None]) -> None:
    """Append the rows of one case to ``rows`` (native first, then owlrl and the candidates
    compared with it), calling ``saved`` after each."""
    from candidates.closures import compare

    reasoners = ["native"]
    if (case == "lubm" and args.owlrl_lubm) or (case != "lubm" and int(case) <= args.owlrl_up_to):
        reasoners.append("owlrl")
    if case == "lubm" or int(case) <= args.candidates_up_to:
        reasoners += candidates
    for reasoner in reasoners:
        print(f"running {case} with {reasoner}…", file=sys.stderr, flush=True)
        timeout = args.candidate_timeout if reasoner in CANDIDATES else None
        row = _child(case, reasoner, args.validate_up_to, closures_dir, timeout)
        closure, native = closures_dir / f"{case}-{reasoner}.nt", closures_dir / f"{case}-native.nt"
        if reasoner != "native" and closure.exists() and native.exists():
            row.update(compare(native, closure))
        rows.append(row)
        saved()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="generated sizes (asserted triples), comma-separated")
    parser.add_argument("--no-lubm", action="store_true", help="leave LUBM(1) out")
    parser.add_argument("--owlrl-up-to", type=int, default=100_000, help="largest size owlrl runs on")
    parser.add_argument("--owlrl-lubm", action="store_true", help="also run owlrl on LUBM(1) (~2.5 min)")
    parser.add_argument("--validate-up-to", type=int, default=10_000, help="largest size pySHACL runs on")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, no LUBM: seconds (CI)")
    parser.add_argument("--out", type=Path, default=Path("bench-reasoning"),
                        help="folder for results.json and reasoning.png")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG (no matplotlib needed)")
    parser.add_argument("--candidates", default=",".join(CANDIDATES),
                        help="candidates to run besides native and owlrl (comma-separated; '' for none)")
    parser.add_argument("--candidates-up-to", type=int, default=1_000_000,
                        help="largest generated size the candidates run on")
    parser.add_argument("--candidate-timeout", type=float, default=1800.0,
                        help="seconds after which a candidate's child is stopped (reported as a row)")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON",
                        help="print the table and draw the plot of saved results.json files, merged")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "REASONER"), help=argparse.SUPPRESS)
    parser.add_argument("--closures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        case, reasoner = args.child
        row = (run_candidate(case, reasoner, args.closures) if reasoner in CANDIDATES
               else run_case(case, reasoner, args.validate_up_to, args.closures))
        print(json.dumps(row))
        return 0
    if args.report:
        saved = [row for path in args.report for row in json.loads(path.read_text(encoding="utf-8"))]
        print(table(saved))
        if not args.no_plot:
            args.out.mkdir(parents=True, exist_ok=True)
            plot(saved, args.out / "reasoning.png")
        return 0
    sizes = [300, 1000] if args.smoke else [int(s) for s in args.sizes.split(",") if s]
    cases = [str(n) for n in sizes] + ([] if args.smoke or args.no_lubm else ["lubm"])
    if args.smoke:
        args.validate_up_to, args.owlrl_up_to, args.candidates_up_to = 0, sizes[0], sizes[0]
    candidates = []
    for name in (c for c in args.candidates.split(",") if c):
        if name not in CANDIDATES:
            parser.error(f"unknown candidate {name!r}: expected one of {', '.join(CANDIDATES)}")
        if importlib.util.find_spec(CANDIDATES[name]) is None:
            print(f"{name}: not installed (module {CANDIDATES[name]}), skipped")
        else:
            candidates.append(name)
    rows: list[dict[str, Any]] = []
    args.out.mkdir(parents=True, exist_ok=True)

    def saved() -> None:  # after every row, so a long run keeps what it measured
        (args.out / "results.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="cg-bench-closures-") as closures_dir:
        for case in cases:
            _run_reasoners(case, args, candidates, Path(closures_dir), rows, saved)
    print(table(rows))
    if not args.no_plot:
        plot(rows, args.out / "reasoning.png")
    print(f"\nwrote {args.out / 'results.json'}" + ("" if args.no_plot else f" and {args.out / 'reasoning.png'}"))
    failed = [r for r in rows if r.get("restored") is False]
    if any("status" in r for r in rows if r["reasoner"] in ("native", "owlrl")):
        return 1
    if failed:
        print("incremental removal did not restore the closure for: "
              + ", ".join(r["case"] for r in failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
