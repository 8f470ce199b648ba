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

(PROV-O §3.3, ``prov:qualifiedDerivation``.) The explanation of one triple (:func:`explanation_rdf`)
adds the rule's name and spec link (``rdfs:label``, ``dct:conformsTo``), the other derivations,
and for each asserted premise the graphs asserting it (``dct:isPartOf``), its evidence nodes
(``cg:evidence``) and the sentences they quote (``prov:wasDerivedFrom``). The named graph
``…/graph/derivations`` of a build (:func:`derivation_graph`) holds the first derivation of every
inferred triple, so a SPARQL client finds the derivation of any result row by its terms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from .. import iris
from .explain import Explanation, Step, ordered_derivations
from .rule_catalogue import Rule
from .term_syntax import Triple, nt

__all__ = ["DERIVATIONS_GRAPH", "RDF_PREFIXES", "append_derivation_graph", "derivation_graph", "derivation_iri", "explanation_rdf", "triple_iri"]

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
#: Derivations read per inferred triple to choose its first one.
_CANDIDATES = 100


def _hash(triple: Triple) -> str:
    return hashlib.sha256(" ".join(nt(t) for t in triple).encode("utf-8")).hexdigest()[:32]


def triple_iri(triple: Triple) -> ox.NamedNode:
    """The IRI naming ``triple`` in derivation RDF."""
    return ox.NamedNode(f"{iris.ID}triple/{_hash(triple)}")


def derivation_iri(triple: Triple, index: int) -> ox.NamedNode:
    """The IRI of the ``index``-th derivation of ``triple`` (0 is the shortest)."""
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


def derivation_graph(derivations: Iterable[tuple[Triple, str, tuple[Triple, ...]]]) -> Iterator[ox.Quad]:
    """The quads of ``…/graph/derivations``: for each ``(inferred triple, rule id, premises)``
    (its first derivation), the triple, the derivation and the premises as statements.

    A premise shared by many derivations is described once; the input must list each inferred
    triple once.
    """
    graph = ox.NamedNode(DERIVATIONS_GRAPH)
    described: set[Triple] = set()
    for triple, rule_id, premises in derivations:
        for item in (triple, *premises):
            if item not in described:
                described.add(item)
                for t in _statement(item):
                    yield ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in _derivation(triple, 0, rule_id, premises, expanded=True):
            yield ox.Quad(t.subject, t.predicate, t.object, graph)


def append_derivation_graph(artifact: Path, dataset_file: str = "dataset.nq") -> int:
    """Append ``…/graph/derivations`` to the artifact's N-Quads, from its derivation store.

    Each inferred triple gets its first derivation in the order of explanations (shortest, then
    by rule id and premises, so the same data always gives the same graph); a triple the store has no
    derivation for (owlrl inferred it, the native engine did not) is left out.

    Returns:
        The number of triples in the graph.
    """
    from .store import DerivationIndex

    with DerivationIndex.open(artifact) as index:
        firsts = ((t, found[0].rule, found[0].premises)
                  for t in index.inferred_triples()
                  for found in [ordered_derivations(index.derivations(t, limit=_CANDIDATES))] if found)
        quads = list(derivation_graph(firsts))
    with open(Path(artifact) / dataset_file, "ab") as output:
        ox.serialize(quads, output, ox.RdfFormat.N_QUADS)
    return len(quads)
