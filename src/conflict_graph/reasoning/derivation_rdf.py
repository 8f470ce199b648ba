"""Derivations as RDF: PROV-O over reified triples, with deterministic IRIs.

A triple ``s p o`` is named by a hash of its N-Triples form,
``https://w3id.org/conflict-graph/id/triple/<h>`` (``h`` = the first 32 hex digits of the SHA-256
of ``"<s> <p> <o>"`` with each term in N-Triples syntax), and described as an ``rdf:Statement``
(RDF 1.1 Semantics §D, reification). Its ``n``-th derivation (0 is the shortest) is
``https://w3id.org/conflict-graph/id/derivation/<h>/<n>``::

    <id/triple/h> a rdf:Statement ; rdf:subject s ; rdf:predicate p ; rdf:object o ;
        prov:wasDerivedFrom <id/triple/h1>, <id/triple/h2> ;      # the premises
        prov:qualifiedDerivation <id/derivation/h/0> .
    <id/derivation/h/0> a prov:Derivation ;
        dct:identifier "prp-inv1" ;                                # the OWL 2 RL rule id
        prov:entity <id/triple/h1>, <id/triple/h2> .

(PROV-O §3.3, ``prov:qualifiedDerivation``.) A triple holding a blank node (an ontology
restriction or list) and its derivations are blank nodes instead: a blank node's label changes
with every build, so an IRI hashed from it would not be stable. The explanation of one triple (:func:`explanation_rdf`)
adds the rule's name and spec link (``rdfs:label``, ``dct:conformsTo``), the other derivations,
and for each asserted premise the graphs asserting it (``dct:isPartOf``), its evidence nodes
(``cg:evidence``) and the sentences they quote (``prov:wasDerivedFrom``). The named graph
``…/graph/derivations`` of a build holds the first derivation of every
inferred triple, so a SPARQL client finds the derivation of any result row by its terms
(:func:`append_derivation_graph`); that graph leaves out ``rdf:type rdf:Statement``, which
``rdf:subject`` entails.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from pathlib import Path

import pyoxigraph as ox

from .. import iris
from .explain import MAX_ALTERNATIVES, Explanation, Step, ordered_derivations
from .rule_catalogue import Rule
from .term_syntax import Triple, nt

__all__ = ["DERIVATIONS_GRAPH", "RDF_PREFIXES", "append_derivation_graph", "derivation_iri", "explanation_rdf", "triple_iri"]

#: The named graph of the derivations of a build (graph kind ``derivations``).
DERIVATIONS_GRAPH = iris.BASE + "graph/derivations"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Prefixes for writing derivation RDF (no ``id:``: the hashed IRIs read better in full).
RDF_PREFIXES: dict[str, str] = {
    "rdf": _RDF, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#", "dct": "http://purl.org/dc/terms/", "cg": str(iris.CG),
    "org": "http://www.w3.org/ns/org#", "skos": "http://www.w3.org/2004/02/skos/core#",
}
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_TYPE = ox.NamedNode(_RDF + "type")
_STATEMENT = ox.NamedNode(_RDF + "Statement")
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
_DERIVED_FROM = ox.NamedNode(_PROV + "wasDerivedFrom")
_QUALIFIED = ox.NamedNode(_PROV + "qualifiedDerivation")
_DERIVATION = ox.NamedNode(_PROV + "Derivation")
_ENTITY = ox.NamedNode(_PROV + "entity")
_IDENTIFIER = ox.NamedNode(_DCT + "identifier")
_CONFORMS_TO = ox.NamedNode(_DCT + "conformsTo")
_PART_OF = ox.NamedNode(_DCT + "isPartOf")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_EVIDENCE = ox.NamedNode(str(iris.CG) + "evidence")
#: Derivations read per inferred triple to choose its first one: as many as an explanation reads,
#: so derivation 0 here is derivation 0 of ``/explain``.
_CANDIDATES = MAX_ALTERNATIVES


def _hash(triple: Triple) -> str:
    return _hash_text(" ".join(nt(t) for t in triple))


def _has_blank(triple: Triple) -> bool:
    return any(isinstance(term, ox.BlankNode) for term in triple)


def triple_iri(triple: Triple) -> ox.NamedNode | ox.BlankNode:
    """The node naming ``triple`` in derivation RDF: an IRI, or a blank node when the triple holds
    a blank node (whose label, and so any hash of it, changes with every build)."""
    if _has_blank(triple):
        return ox.BlankNode(f"t{_hash(triple)}")
    return ox.NamedNode(f"{iris.ID}triple/{_hash(triple)}")


def derivation_iri(triple: Triple, index: int) -> ox.NamedNode | ox.BlankNode:
    """The node of the ``index``-th derivation of ``triple`` (0 is the shortest); a blank node
    when the triple holds one."""
    if _has_blank(triple):
        return ox.BlankNode(f"d{_hash(triple)}x{index}")
    return ox.NamedNode(f"{iris.ID}derivation/{_hash(triple)}/{index}")


def _statement(triple: Triple) -> Iterator[ox.Triple]:
    node = triple_iri(triple)
    s, p, o = triple
    yield ox.Triple(node, _TYPE, _STATEMENT)
    yield ox.Triple(node, _SUBJECT, s)
    yield ox.Triple(node, _PREDICATE, p)
    yield ox.Triple(node, _OBJECT, o)


def _derivation(triple: Triple, index: int, rule_id: str, premises: Iterable[Triple], *,
                expanded: bool, rule: Rule | None = None) -> Iterator[ox.Triple]:
    node, derivation = triple_iri(triple), derivation_iri(triple, index)
    yield ox.Triple(node, _QUALIFIED, derivation)
    yield ox.Triple(derivation, _TYPE, _DERIVATION)
    yield ox.Triple(derivation, _IDENTIFIER, ox.Literal(rule_id))
    if rule is not None:
        yield ox.Triple(derivation, _LABEL, ox.Literal(f"{rule.id}: {rule.name}", language="en"))
        yield ox.Triple(derivation, _CONFORMS_TO, ox.NamedNode(rule.spec))
    for premise in premises:
        yield ox.Triple(derivation, _ENTITY, triple_iri(premise))
        if expanded:
            yield ox.Triple(node, _DERIVED_FROM, triple_iri(premise))


def _step(step: Step) -> Iterator[ox.Triple]:
    yield from _statement(step.triple)
    node = triple_iri(step.triple)
    for graph in step.graphs:
        yield ox.Triple(node, _PART_OF, ox.NamedNode(graph))
    for item in step.evidence:
        if item.iri is not None and item.via != "source":
            yield ox.Triple(node, _EVIDENCE, ox.NamedNode(item.iri))
        source = item.quote.iri if item.quote is not None else item.document
        if source:
            yield ox.Triple(node, _DERIVED_FROM, ox.NamedNode(source))
    if step.rule is not None and step.derivation is not None:
        yield from _derivation(step.triple, step.derivation, step.rule.id, (p.triple for p in step.premises),
                               expanded=True, rule=step.rule)
        for alternative in step.alternatives:
            yield from _derivation(step.triple, alternative.index, alternative.rule.id, alternative.premises,
                                   expanded=False, rule=alternative.rule)
            for unexpanded in alternative.premises:
                yield from _statement(unexpanded)
    for premise in step.premises:
        yield from _step(premise)


def explanation_rdf(explanation: Explanation) -> list[ox.Triple]:
    """The explanation tree as RDF (see the module docstring), each triple once, grouped by
    subject (the root's statement first)."""
    triples = list(dict.fromkeys(_step(explanation.root)))
    first = {subject: i for i, subject in reversed(list(enumerate(t.subject for t in triples)))}
    return sorted(triples, key=lambda t: first[t.subject])


def _first_derivations(connection: sqlite3.Connection) -> Iterator[tuple[str, str, list[str]]]:
    """``(triple, rule id, premises)`` of every inferred fact, each triple as an N-Triples
    ``s p o`` text, in one pass over the derivation store.

    Reads the tables documented in :mod:`conflict_graph.reasoning.store`. The choice mirrors
    :func:`~conflict_graph.reasoning.explain.ordered_derivations` over the same candidates as an
    explanation (the first :data:`MAX_ALTERNATIVES` by the store's rank): lowest height, then rule id, then
    premises.
    """
    terms = dict(connection.execute("SELECT id, nt FROM terms"))
    rules = dict(connection.execute("SELECT id, name FROM rules"))
    facts = {fact: f"{terms[s]} {terms[p]} {terms[o]}"
             for fact, s, p, o in connection.execute("SELECT id, s, p, o FROM facts")}
    rows = connection.execute(
        "SELECT d.fact, d.rule, d.height, d.premises FROM derivations d JOIN facts f ON f.id = d.fact "
        "WHERE f.inferred = 1 ORDER BY d.fact, d.rank")
    for fact, group in groupby(rows, key=lambda row: row[0]):
        candidates = list(islice(group, _CANDIDATES))
        lowest = candidates[0][2]
        best = min(((str(rules[rule]), [facts[int(x)] for x in premises.split(",") if x])
                    for _, rule, height, premises in candidates if height == lowest),
                   key=lambda item: (item[0], item[1]))
        yield facts[fact], best[0], best[1]


def _hash_text(triple_text: str) -> str:
    return hashlib.sha256(triple_text.encode("utf-8")).hexdigest()[:32]


def _node_text(triple_text: str, derivation: bool = False) -> str:
    """The N-Triples text of :func:`triple_iri` (or of derivation 0's node) for a triple given as
    ``"s p o"`` text."""
    h = _hash_text(triple_text)
    s, _, o = _split(triple_text)
    if s.startswith("_:") or o.startswith("_:"):
        return f"_:d{h}x0" if derivation else f"_:t{h}"
    return f"<{iris.ID}derivation/{h}/0>" if derivation else f"<{iris.ID}triple/{h}>"


def _graph_lines(derivations: Iterable[tuple[str, str, list[str]]]) -> Iterator[str]:
    """The N-Quads lines of ``…/graph/derivations``, written from N-Triples term texts: the
    statements and first derivations of the module docstring, without labels or spec links, and
    without ``rdf:type rdf:Statement``, which ``rdf:subject`` entails (RDF Schema 1.1 §5.3: its
    domain is ``rdf:Statement``) and which would be one triple more per statement."""
    graph = f"<{DERIVATIONS_GRAPH}>"
    rdf, prov, dct = _RDF, _PROV, _DCT
    described: set[str] = set()
    for triple, rule_id, premises in derivations:
        for item in (triple, *premises):
            if item not in described:
                described.add(item)
                node = _node_text(item)
                s, p, o = _split(item)
                yield f"{node} <{rdf}subject> {s} {graph} .\n"
                yield f"{node} <{rdf}predicate> {p} {graph} .\n"
                yield f"{node} <{rdf}object> {o} {graph} .\n"
        node, derivation = _node_text(triple), _node_text(triple, derivation=True)
        yield f"{node} <{prov}qualifiedDerivation> {derivation} {graph} .\n"
        yield f"{derivation} <{rdf}type> <{prov}Derivation> {graph} .\n"
        yield f"{derivation} <{dct}identifier> {json.dumps(rule_id)} {graph} .\n"
        for premise in premises:
            premise_node = _node_text(premise)
            yield f"{derivation} <{prov}entity> {premise_node} {graph} .\n"
            yield f"{node} <{prov}wasDerivedFrom> {premise_node} {graph} .\n"


def _split(triple_text: str) -> tuple[str, str, str]:
    """Split ``"s p o"`` (N-Triples terms) into its terms: subject and predicate have no spaces."""
    s, p, o = triple_text.split(" ", 2)
    return s, p, o


def append_derivation_graph(artifact: Path, dataset_file: str = "dataset.nq") -> int:
    """Append ``…/graph/derivations`` to the artifact's N-Quads, from its derivation store.

    Each inferred triple gets its first derivation in the order of explanations (shortest, then
    by rule id and premises, so the same data always gives the same graph); a triple the store has
    no derivation for (owlrl inferred it, the native engine did not) is left out. One pass over the
    store, written as text: about 12 quads per inferred triple.

    Returns:
        The number of triples in the graph.
    """
    from .store import DERIVATIONS_FILE

    path = Path(artifact) / DERIVATIONS_FILE
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    written = 0
    try:
        with open(Path(artifact) / dataset_file, "a", encoding="utf-8") as output:
            for line in _graph_lines(_first_derivations(connection)):
                output.write(line)
                written += 1
    finally:
        connection.close()
    return written
