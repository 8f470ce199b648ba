"""The cleaning rules that make an OWL 2 RL closure worth publishing in ``graph/inferred``.

Both reasoners' closures pass through :func:`noise_rule`, so the native closure is comparable
with owlrl's *cleaned* closure. Removed (each counted under the rule's name):

* triples whose subject is a literal (not RDF; owlrl's datatype rules make them);
* ``x owl:sameAs x`` (rule eq-ref, made for every node);
* reflexive ``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``owl:equivalentClass`` and
  ``owl:equivalentProperty`` (rules scm-cls, scm-op, scm-dp);
* triples that hold of everything and say nothing: ``x rdf:type owl:Thing`` (cls-thing,
  cax-sco), ``C rdfs:subClassOf owl:Thing``, ``owl:Nothing rdfs:subClassOf C``, and
  ``rdfs:domain``/``rdfs:range owl:Thing`` (scm-*);
* triples about the built-in vocabulary itself (``xsd:int rdf:type rdfs:Datatype``, ...);
* owlrl's ``err:ErrorMessage`` nodes (their messages become the report's errors);
* triples asserted in some graph (``graph/inferred`` holds only what is not asserted).

An ``owl:sameAs`` (asserted or inferred) between a project IRI and an external IRI is an error
(:func:`external_same_as`): it merges every statement of both nodes (eq-rep-s/p/o).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .. import iris

__all__ = ["BUILT_IN_NAMESPACES", "NOISE_RULES", "REFLEXIVE_NOISE", "external_same_as", "noise_rule"]

#: Predicates whose reflexive triples (``x p x``) owlrl adds for every node, class or property,
#: with the name of the cleaning rule that removes them.
REFLEXIVE_NOISE: dict[URIRef, str] = {
    OWL.sameAs: "reflexive owl:sameAs",
    RDFS.subClassOf: "reflexive rdfs:subClassOf",
    RDFS.subPropertyOf: "reflexive rdfs:subPropertyOf",
    OWL.equivalentClass: "reflexive owl:equivalentClass",
    OWL.equivalentProperty: "reflexive owl:equivalentProperty",
}
#: Namespaces of the built-in vocabulary: axioms about their terms are dropped.
BUILT_IN_NAMESPACES: tuple[str, ...] = (
    str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#",
)
#: Every cleaning rule, in the order a report lists them.
NOISE_RULES: tuple[str, ...] = ("literal subject", *REFLEXIVE_NOISE.values(), "owl:Thing / owl:Nothing",
                                "built-in vocabulary", "error message", "asserted")
_TRIVIAL_OBJECT_OF = {RDF.type: OWL.Thing, RDFS.subClassOf: OWL.Thing, RDFS.domain: OWL.Thing,
                      RDFS.range: OWL.Thing}


def noise_rule(triple: tuple[Node, Node, Node], asserted: Collection[tuple[Node, Node, Node]],
               messages: Collection[Node] = ()) -> str | None:
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


def external_same_as(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """One error per ``owl:sameAs`` pair linking a project IRI to an external IRI."""
    pairs: set[tuple[URIRef, URIRef]] = set()
    for s, _, o in triples:
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            ours_s, ours_o = str(s).startswith(iris.BASE), str(o).startswith(iris.BASE)
            if ours_s != ours_o:
                pairs.add((s, o) if ours_s else (o, s))
    return [f"owl:sameAs links project IRI <{ours}> to external IRI <{other}>: this merges every "
            "statement of both (OWL 2 RL eq-rep-s/p/o); use skos:exactMatch instead"
            for ours, other in sorted(pairs)]
