"""OWL 2 RL materialization into ``graph/inferred``, cleaned of the reasoner's noise.

This is the only module that imports owlrl: :func:`materialize` is the single place to change
if the reasoner changes. It computes the OWL 2 RL closure (OWL 2 Profiles §4.3, rule tables 4-9,
https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules) of the
ontology and data graphs (never the shapes, which would be reasoned into junk), keeps in
``graph/inferred`` only what is not asserted anywhere, and removes owlrl's noise:

* triples whose subject is a literal (not RDF; owlrl's datatype rules make them);
* ``x owl:sameAs x`` (rule eq-ref, made for every node);
* reflexive ``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``owl:equivalentClass`` and
  ``owl:equivalentProperty`` (rules scm-cls, scm-op, scm-dp);
* triples that hold of everything and say nothing: ``x rdf:type owl:Thing`` (cls-thing,
  cax-sco), ``C rdfs:subClassOf owl:Thing``, ``owl:Nothing rdfs:subClassOf C``, and
  ``rdfs:domain``/``rdfs:range owl:Thing`` (scm-*);
* triples about the built-in vocabulary itself (``xsd:int rdf:type rdfs:Datatype``,
  ``xsd:boolean owl:disjointWith xsd:decimal``, ...), which owlrl's datatype axioms add;
* owlrl's ``err:ErrorMessage`` nodes, whose messages become :attr:`ReasoningReport.errors`
  (inconsistencies such as cax-dw, prp-irp, eq-diff1, or ill-typed literals).

An ``owl:sameAs`` (asserted or inferred) between a project IRI and an external IRI is also an
error: it merges every statement of both nodes (rules eq-rep-s/p/o); use ``skos:exactMatch``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .. import iris

__all__ = ["BUILT_IN_NAMESPACES", "REFLEXIVE_NOISE", "ReasoningReport", "materialize"]

#: Predicates whose reflexive triples (``x p x``) owlrl adds for every node, class or property,
#: with the name of the cleaning rule that removes them.
REFLEXIVE_NOISE: dict[URIRef, str] = {
    OWL.sameAs: "reflexive owl:sameAs",
    RDFS.subClassOf: "reflexive rdfs:subClassOf",
    RDFS.subPropertyOf: "reflexive rdfs:subPropertyOf",
    OWL.equivalentClass: "reflexive owl:equivalentClass",
    OWL.equivalentProperty: "reflexive owl:equivalentProperty",
}
#: Namespaces of the built-in vocabulary: owlrl's axioms about their terms are dropped.
BUILT_IN_NAMESPACES: tuple[str, ...] = (
    str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#",
)
_TRIVIAL_OBJECT_OF = {RDF.type: OWL.Thing, RDFS.subClassOf: OWL.Thing, RDFS.domain: OWL.Thing,
                      RDFS.range: OWL.Thing}
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"
_ERROR_MESSAGE = URIRef(_ERR + "ErrorMessage")
_ERROR = URIRef(_ERR + "error")


@dataclass(frozen=True)
class ReasoningReport:
    """The outcome of :func:`materialize`.

    Attributes:
        inferred_triples: triples in ``graph/inferred`` after cleaning.
        removed_noise: how many triples each cleaning rule removed (``literal subject``,
            ``reflexive owl:sameAs``, ..., ``asserted``, ``error message``).
        errors: inconsistencies and other problems, one readable message each.
        seconds: wall time of the closure and cleaning.
    """

    inferred_triples: int
    removed_noise: dict[str, int] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    seconds: float = 0.0


def _closure(source: Dataset, graphs: Iterable[URIRef]) -> Graph:
    """Run owlrl over a copy of ``graphs``; return the (uncleaned) inferred graph of the copy."""
    import owlrl  # only here: importing owlrl is slow and only building needs it

    work = Dataset(default_union=True)
    for name in graphs:
        target = work.graph(name)
        target += Graph(store=source.store, identifier=name)
    with warnings.catch_warnings():
        # owlrl 7.6 reads rdflib's deprecated Dataset.default_context on every triple lookup.
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work, destination=iris.INFERRED_GRAPH)
    return Graph(store=work.store, identifier=iris.INFERRED_GRAPH)


def _external_same_as(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    pairs: set[tuple[URIRef, URIRef]] = set()
    for s, _, o in triples:
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            ours_s, ours_o = str(s).startswith(iris.BASE), str(o).startswith(iris.BASE)
            if ours_s != ours_o:
                pairs.add((s, o) if ours_s else (o, s))
    return [f"owl:sameAs links project IRI <{ours}> to external IRI <{other}>: this merges every "
            "statement of both (OWL 2 RL eq-rep-s/p/o); use skos:exactMatch instead"
            for ours, other in sorted(pairs)]


def _noise(triple: tuple[Node, Node, Node], messages: set[Node],
           asserted: set[tuple[Node, Node, Node]]) -> str | None:
    """The cleaning rule that removes ``triple`` from the closure, or None to keep it."""
    s, p, o = triple
    if isinstance(s, Literal):
        return "literal subject"
    if s in messages:
        return "error message"
    if s == o and isinstance(p, URIRef) and p in REFLEXIVE_NOISE:
        return REFLEXIVE_NOISE[p]
    if _TRIVIAL_OBJECT_OF.get(p) == o or (s == OWL.Nothing and p == RDFS.subClassOf):  # type: ignore[call-overload]
        return "owl:Thing / owl:Nothing"
    if isinstance(s, URIRef) and str(s).startswith(BUILT_IN_NAMESPACES):
        return "built-in vocabulary"
    if triple in asserted:
        return "asserted"
    return None


def materialize(dataset: Dataset, graphs: Iterable[URIRef] | None = None) -> ReasoningReport:
    """Compute the cleaned OWL 2 RL closure of ``dataset`` into its ``graph/inferred``.

    Args:
        dataset: the asserted graphs; ``graph/inferred`` is replaced.
        graphs: the graphs to reason over; by default every named graph except the shapes and
            the inferred graph.

    Returns:
        Counts, removed noise, errors (an empty tuple means consistent) and timing.
    """
    started = time.perf_counter()
    skip = {iris.SHAPES_GRAPH, iris.INFERRED_GRAPH, DATASET_DEFAULT_GRAPH_ID}
    names: list[URIRef] = (
        [URIRef(g.identifier) for g in dataset.graphs() if g.identifier not in skip]
        if graphs is None else list(graphs))
    asserted = {t for g in dataset.graphs() if g.identifier != iris.INFERRED_GRAPH for t in g}
    closure = _closure(dataset, names)

    messages = set(closure.subjects(RDF.type, _ERROR_MESSAGE))
    errors = sorted({str(text) for m in messages for text in closure.objects(m, _ERROR)})
    noise = dict.fromkeys(["literal subject", *REFLEXIVE_NOISE.values(), "owl:Thing / owl:Nothing",
                           "built-in vocabulary", "error message", "asserted"], 0)
    kept = []
    for triple in closure:
        rule = _noise(triple, messages, asserted)
        if rule is None:
            kept.append(triple)
        else:
            noise[rule] += 1

    dataset.remove_graph(iris.INFERRED_GRAPH)
    inferred = dataset.graph(iris.INFERRED_GRAPH)
    inferred.addN((s, p, o, inferred) for s, p, o in kept)
    same_as = [t for t in asserted if t[1] == OWL.sameAs] + [t for t in kept if t[1] == OWL.sameAs]
    errors += _external_same_as(same_as)
    return ReasoningReport(len(kept), noise, tuple(errors), time.perf_counter() - started)
