"""The ``graph/derivations`` of a build says what ``/explain`` says, for every inferred triple."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query.store import DATASET_FILE
from conflict_graph.reasoning.explain import MAX_ALTERNATIVES, ordered_derivations
from conflict_graph.reasoning.explainer import Explainer
from conflict_graph.reasoning.term_syntax import nt

GRAPH = ox.NamedNode("https://w3id.org/conflict-graph/graph/derivations")
ID = "https://w3id.org/conflict-graph/id/"
QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?t ?s ?p ?o ?rule ?ps ?pp ?po WHERE {
  ?t rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:qualifiedDerivation ?d .
  ?d dct:identifier ?rule ; prov:entity ?premise .
  ?premise rdf:subject ?ps ; rdf:predicate ?pp ; rdf:object ?po .
  ?t prov:wasDerivedFrom ?premise .
}"""


def _name(triple: tuple[object, ...]) -> str:
    text = " ".join(str(term) for term in triple)
    return ID + "triple/" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def test_every_inferred_triple_has_its_first_derivation_in_the_graph(real_build: BuildResult,
                                                                     article: Explainer) -> None:
    store = ox.Store()  # parsed, not loaded: blank nodes keep the labels of the file, as in the index
    store.bulk_extend(ox.parse(path=str(real_build.artifact / DATASET_FILE), format=ox.RdfFormat.N_QUADS))
    found: dict[tuple[str, ...], tuple[str, set[tuple[str, ...]], str]] = {}
    for row in store.query(QUERY, default_graph=[GRAPH]):  # type: ignore[union-attr]
        triple = tuple(nt(row[v]) for v in ("s", "p", "o"))  # type: ignore[arg-type]
        premise = tuple(nt(row[v]) for v in ("ps", "pp", "po"))  # type: ignore[arg-type]
        rule = str(row["rule"].value)  # type: ignore[union-attr]
        entry = found.setdefault(triple, (rule, set(), str(row["t"].value)))  # type: ignore[union-attr]
        entry[1].add(premise)
    inferred = list(article.index.inferred_triples())  # type: ignore[attr-defined]
    assert len(found) == len(inferred) > 2000
    for triple in inferred:
        first = ordered_derivations(article.index.derivations(triple, limit=MAX_ALTERNATIVES))[0]
        key = tuple(nt(t) for t in triple)
        rule, premises, node = found[key]
        assert (rule, premises) == (first.rule, {tuple(nt(t) for t in p) for p in first.premises}), key
        if any(isinstance(term, ox.BlankNode) for term in triple):
            assert node.startswith("t")  # a blank node: its label changes with every build
        else:
            assert node == _name(triple)
    total = sum(1 for _ in store.quads_for_pattern(None, None, None, GRAPH))
    assert total == next(g.triples for g in real_build.catalogue.graphs if g.kind == "derivations")


def test_the_graph_leaves_out_the_statement_type_its_properties_entail(real_build: BuildResult) -> None:
    """``rdf:type rdf:Statement`` follows from ``rdf:subject`` (RDF Schema 1.1 §5.3) and is not
    stored; every derivation keeps ``a prov:Derivation``, which clients query."""
    store = ox.Store()
    store.bulk_load(path=str(real_build.artifact / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    kind = ox.NamedNode(rdf + "type")
    statements = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(rdf + "subject"), None, GRAPH)}
    typed = list(store.quads_for_pattern(None, kind, ox.NamedNode(rdf + "Statement"), GRAPH))
    derivations = list(store.quads_for_pattern(None, kind, ox.NamedNode("http://www.w3.org/ns/prov#Derivation"), GRAPH))
    qualified = list(store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/prov#qualifiedDerivation"),
                                             None, GRAPH))
    assert len(statements) > 2000 and typed == []
    assert len(derivations) == len(qualified) > 2000
