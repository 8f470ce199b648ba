"""The datasets of the query-path benchmark: our artifact, and the triples every other system gets.

``article`` is the project's own build; ``lubm`` is LUBM(1,0) with its ontology and OWL 2 RL
closure (from ``reasonable`` when installed, else a normal build); ``gen-1e5``/``gen-1e6`` come
from :mod:`generate_graph`. For the last three the artifact is written directly (no SHACL, no
owlrl), where ``conflict-graph serve`` finds it in its cache.
"""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generate_graph
import pyoxigraph as ox

from conflict_graph import iris, reasoning
from conflict_graph.pipeline import build, inputs
from conflict_graph.query import named_queries, store

ROOT = Path(__file__).resolve().parents[1]
LUBM = ROOT / "benchmarks" / "data" / "lubm"



@dataclass
class Dataset:
    """One dataset: how our server is started on it, the triples the others get, the queries."""

    name: str
    serve_args: list[str]
    triples_file: Path
    triples: int
    queries: dict[str, str]
    artifact: Path


def _prebuilt(cache_dir: Path, files: list[inputs.InputFile], inferred: list[ox.Triple]) -> Path:
    """Write an artifact for ``files`` (as a build would, without SHACL and reasoning) where
    ``conflict-graph serve`` finds it, with ``inferred`` as the inferred graph."""
    key = build.cache_key(files)
    folder = cache_dir / key
    if build.find_artifact(cache_dir, key) is not None:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    graphs: list[store.GraphInfo] = []
    quads: list[ox.Quad] = []
    for item in files:
        graph = ox.NamedNode(item.graph or item.path.as_uri())
        found = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(path=str(item.path), format=ox.RdfFormat.from_extension(item.path.suffix[1:]))
        ]
        quads += found
        graphs.append(store.GraphInfo(graph.value, "user", len(found)))
    inferred_graph = ox.NamedNode(str(iris.INFERRED_GRAPH))
    quads += [ox.Quad(t.subject, t.predicate, t.object, inferred_graph) for t in inferred]
    graphs.append(store.GraphInfo(inferred_graph.value, "inferred", len(inferred)))
    ox.serialize(quads, str(folder / store.DATASET_FILE), ox.RdfFormat.N_QUADS)
    # no reasoning, so no derivations: an empty derivation store (an empty file is an empty SQLite
    # database), which a cached artifact must have for serve to find it
    (folder / reasoning.DERIVATIONS_FILE).touch()
    catalogue = store.write_query_store(folder, store.Catalogue(tuple(graphs), key, None, {}))
    meta = {"format": build.CACHE_FORMAT, "validated": True, **catalogue.to_json()}
    (folder / store.META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return folder


def _export_default_graph(artifact: Path, path: Path) -> int:
    """Write our owl-rl default graph (asserted + inferred, a set) as N-Triples for the others."""
    catalogue, opened = store.open_query_store(artifact)
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in opened.quads_for_pattern(None, None, None, store.graph_name(catalogue.all_union_graph))
    ]
    ox.serialize(triples, str(path), ox.RdfFormat.N_TRIPLES)
    return len(triples)


def article(work: Path, cache_dir: Path) -> Dataset:
    built = build.build(inputs.collect(), cache_dir=cache_dir, progress=print)
    queries = {q.name: q.text for q in named_queries.load_queries(ROOT / "queries")}
    path = work / "article.nt"
    return Dataset("article", [], path, _export_default_graph(built.artifact, path), queries, built.artifact)


def _lubm_closure(asserted: Path, ontology: Path) -> list[ox.Triple] | None:
    try:
        import reasonable
    except ImportError:
        return None
    readable = asserted.with_name(asserted.stem + "-as-turtle.ttl")  # it reads .ttl files only
    shutil.copyfile(asserted, readable)  # N-Triples is Turtle
    reasoner = reasonable.PyReasoner()
    reasoner.load_file(str(ontology))
    reasoner.load_file(str(readable))
    known = {
        str(t)
        for f in (asserted, ontology)
        for t in ox.parse(path=str(f), format=ox.RdfFormat.from_extension(f.suffix[1:]))
    }
    closure: list[ox.Triple] = []
    for s, p, o in reasoner.reason():
        subject = _term(s)
        if isinstance(subject, ox.Literal):
            continue
        triple = ox.Triple(subject, _term(p), _term(o))
        if str(triple) not in known:
            closure.append(triple)
    return closure


def _term(value: Any) -> Any:
    text = str(value)
    kind = type(value).__name__
    if kind == "URIRef":
        return ox.NamedNode(text)
    if kind == "BNode":
        return ox.BlankNode(text)
    datatype = getattr(value, "datatype", None)
    language = getattr(value, "language", None)
    if language:
        return ox.Literal(text, language=language)
    if datatype is not None and str(datatype) != "http://www.w3.org/2001/XMLSchema#string":
        return ox.Literal(text, datatype=ox.NamedNode(str(datatype)))
    return ox.Literal(text)


def lubm(work: Path, cache_dir: Path) -> Dataset:
    asserted = work / "lubm1.nt"
    if not asserted.exists():
        with gzip.open(LUBM / "lubm1.nt.gz", "rb") as packed:
            asserted.write_bytes(packed.read())
    ontology = LUBM / "univ-bench.ttl"
    args = ["--no-default-data", "--data", str(ontology), "--data", str(asserted)]
    files = inputs.collect(include_embedded=False, extra_paths=[ontology, asserted])
    closure = _lubm_closure(asserted, ontology)
    if closure is None:
        print("lubm: reasonable is not installed; computing the closure with a normal build (owlrl, minutes)")
        artifact = build.build(files, cache_dir=cache_dir, validate=False, progress=print).artifact
    else:
        artifact = _prebuilt(cache_dir, files, closure)
    queries = {
        f"LUBM {p.stem}": p.read_text(encoding="utf-8")
        for p in sorted(LUBM.glob("queries/q*.rq"), key=lambda p: int(p.stem[1:]))
    }
    path = work / "lubm-served.nt"
    return Dataset("lubm", args, path, _export_default_graph(artifact, path), queries, artifact)


def generated(size: int, work: Path, cache_dir: Path) -> Dataset:
    path = work / f"gen-{size}.nt"
    if not path.exists():
        generate_graph.write(size, path)
    files = inputs.collect(include_embedded=False, extra_paths=[path])
    artifact = _prebuilt(cache_dir, files, [])
    name = f"gen-1e{len(str(size)) - 1}"
    return Dataset(
        name,
        ["--no-default-data", "--data", str(path)],
        path,
        _export_default_graph(artifact, work / f"{name}-served.nt"),
        dict(generate_graph.QUERIES),
        artifact,
    )
