"""``reasonable`` and Nemo run over the same triples as the native engine, each timed and cleaned.

Each runner takes the asserted triples of the reasoned graphs (ontology and data, never the
shapes), computes its closure, cleans it like the native one (:mod:`.closures`) and writes it to
an N-Triples file for :func:`.closures.compare`. Times are wall-clock seconds and, in ``*_cpu``,
the process's CPU seconds (both engines may use more than one thread).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from . import closures
from .nemo_program import compile_program

__all__ = ["run_nemo", "run_reasonable"]

Triple = tuple[Node, Node, Node]

def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _plain(term: Node) -> Node:
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (the same RDF 1.1 term; rdflib differs)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def run_reasonable(asserted: list[Triple], out: Path) -> dict[str, Any]:
    """The closure of ``asserted`` by ``reasonable`` (its Python API), cleaned into ``out``."""
    import reasonable

    row: dict[str, Any] = {}
    wall, cpu = time.perf_counter(), _cpu()
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(asserted)
    closure = reasoner.reason()
    row["reason"], row["reason_cpu"] = time.perf_counter() - wall, _cpu() - cpu
    row["closure_raw"] = len(closure)
    row["peak_mb_reasoned"] = _peak_mb()
    base = set(asserted)
    row["inferred"] = closures.write(
        closures.cleaned(((s, p, _plain(o)) for s, p, o in closure), base), out)
    return row


def run_nemo(ontology: list[Triple], data: Path, out: Path, folder: Path,
             trace_samples: int = 50) -> dict[str, Any]:
    """The closure by Nemo of the ontology's compiled rules over ``ontology`` and ``data`` (N-Triples).

    ``compile`` is the schema closure and the rule compilation (:mod:`.nemo_program`); ``reason``
    is Nemo loading both files and reasoning; ``export`` writes its ``inferred`` relation;
    ``trace_ms`` is the median time of ``NemoEngine.trace`` for inferred triples spread over the
    closure (``trace_failed`` counts traces that returned nothing).
    """
    from nmo_python import NemoEngine, NemoOutputManager, load_string

    row: dict[str, Any] = {}
    mark = time.perf_counter()
    program, schema_closure = compile_program(ontology)
    ontology_file = folder / "ontology.nt"
    closures.write(ontology, ontology_file)
    text = program.text([str(ontology_file), str(data)], "inferred.nt")
    row["compile"] = time.perf_counter() - mark
    row["nemo_rules"] = len(program.rules)
    (folder / "program.rls").write_text(text, encoding="utf-8")
    wall, cpu = time.perf_counter(), _cpu()
    engine = NemoEngine(load_string(text))
    engine.reason()
    row["reason"], row["reason_cpu"] = time.perf_counter() - wall, _cpu() - cpu
    row["peak_mb_reasoned"] = _peak_mb()
    mark = time.perf_counter()
    engine.write_result("inferred", NemoOutputManager(str(folder / "nemo-out")))
    row["export"] = time.perf_counter() - mark
    produced = [(closures.from_oxigraph(q.subject), closures.from_oxigraph(q.predicate),
                 closures.from_oxigraph(q.object))
                for q in ox.parse(path=str(folder / "nemo-out" / "inferred.nt"),
                                  format=ox.RdfFormat.N_TRIPLES)]
    row["inferred"] = closures.write(closures.cleaned(produced + schema_closure, set(ontology)), out)
    row.update(_trace(engine, program, produced, trace_samples))
    return row


def _trace(engine: Any, program: Any, produced: list[Triple], samples: int) -> dict[str, Any]:
    """Median milliseconds of ``engine.trace`` over ``samples`` inferred ground triples."""
    ground = [t for t in produced if isinstance(t[0], URIRef) and isinstance(t[2], URIRef)]
    step = max(1, len(ground) // samples)
    times, failed = [], 0
    for triple in ground[::step][:samples]:
        fact = program.fact(triple)
        if fact is None:
            continue
        mark = time.perf_counter()
        tree = engine.trace(fact)
        times.append((time.perf_counter() - mark) * 1000)
        failed += tree is None
    return {"trace_ms": statistics.median(times) if times else None, "traced": len(times),
            "trace_failed": failed}


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
