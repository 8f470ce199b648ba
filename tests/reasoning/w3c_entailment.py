"""Run the W3C SPARQL 1.1 entailment tests (tests/data/w3c/entailment) over a materialized closure.

A test is *in scope* when its regimes include RDFS or its profiles include OWL 2 RL. Its data is
loaded into one named graph, :func:`conflict_graph.reasoning.materialize` adds ``graph/inferred``,
and pyoxigraph answers the query over the union of both; the solutions must equal the expected
``.srx`` ones as a multiset (blank nodes compared by position only, as they are existentials).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Namespace, RDF, URIRef
from rdflib.collection import Collection

from conflict_graph import iris
from conflict_graph.reasoning import materialize
from conflict_graph.reasoning.terms import to_oxigraph

FOLDER = Path(__file__).resolve().parents[1] / "data" / "w3c" / "entailment"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATA_GRAPH = URIRef("https://example.org/w3c-entailment-data")


@dataclass(frozen=True)
class EntailmentTest:
    name: str
    query: Path
    data: tuple[Path, ...]
    result: Path


def _items(graph: Graph, node: object) -> list[object]:
    if node is None:
        return []
    if (node, RDF.first, None) in graph:
        return list(Collection(graph, node))  # type: ignore[arg-type]
    return [node]


def in_scope_tests() -> list[EntailmentTest]:
    """The manifest's tests whose regimes include RDFS or whose profiles include OWL 2 RL."""
    manifest = Graph().parse(FOLDER / "manifest.ttl")
    head = next(manifest.objects(None, MF.entries))
    found = []
    for entry in Collection(manifest, head):  # type: ignore[arg-type]
        action = manifest.value(entry, MF.action)
        regimes = {str(x).rsplit("/", 1)[1] for x in _items(manifest, manifest.value(action, SD.entailmentRegime))}
        profiles = {str(x).rsplit("/", 1)[1] for x in _items(manifest, manifest.value(action, SD.EntailmentProfile))}
        if "RDFS" not in regimes and "RL" not in profiles:
            continue
        path = lambda iri: FOLDER / str(iri).rsplit("/", 1)[1]  # noqa: E731
        found.append(EntailmentTest(str(entry).split("#")[1], path(manifest.value(action, QT.query)),
                                    tuple(path(d) for d in manifest.objects(action, QT.data)),
                                    path(manifest.value(entry, MF.result))))
    return found


def _solutions(results: object) -> Counter[object]:
    if isinstance(results, (bool, ox.QueryBoolean)):
        return Counter([bool(results)])
    rows = []
    for solution in results:  # type: ignore[attr-defined]
        row = []
        for variable in results.variables:  # type: ignore[attr-defined]
            value = solution[variable]
            row.append((variable.value, "_:" if isinstance(value, ox.BlankNode) else
                        None if value is None else str(value)))
        rows.append(tuple(sorted(row)))
    return Counter(rows)


def passes(test: EntailmentTest, reasoner: str) -> bool:
    """True if ``reasoner``'s closure answers ``test`` with the expected solutions."""
    dataset = Dataset()
    graph = dataset.graph(DATA_GRAPH)
    for data in test.data:
        graph.parse(data, format="turtle")
    materialize(dataset, reasoner=reasoner)
    store = ox.Store()
    for name in (DATA_GRAPH, iris.INFERRED_GRAPH):
        for s, p, o in dataset.graph(name):
            store.add(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)))
    query = test.query.read_text(encoding="utf-8")
    try:
        actual = store.query(query, base_iri=test.query.as_uri())
    except (SyntaxError, OSError, ValueError):
        return False
    expected = ox.parse_query_results(path=str(test.result), format=ox.QueryResultsFormat.XML)
    return _solutions(actual) == _solutions(expected)
