"""Terms interned as small integers, and the vocabulary the OWL 2 RL rules are written in.

The engine joins integers, never RDF terms: :class:`TermTable` maps each rdflib term to an id
once, and back. Ids of the OWL, RDF and RDFS terms the rules name are fixed (:data:`V`), so a
rule reads ``p == V.type`` instead of comparing IRIs.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

import pyoxigraph as ox

__all__ = ["TermTable", "V", "VOCABULARY", "to_oxigraph"]

#: Every term an OWL 2 RL rule names, interned first and in this order (so :data:`V` is stable).
VOCABULARY: dict[str, URIRef] = {
    "type": RDF.type, "first": RDF.first, "rest": RDF.rest, "nil": RDF.nil,
    "sco": RDFS.subClassOf, "spo": RDFS.subPropertyOf, "domain": RDFS.domain, "range": RDFS.range,
    "sameAs": OWL.sameAs, "differentFrom": OWL.differentFrom, "AllDifferent": OWL.AllDifferent,
    "members": OWL.members, "distinctMembers": OWL.distinctMembers,
    "eqc": OWL.equivalentClass, "eqp": OWL.equivalentProperty, "inverseOf": OWL.inverseOf,
    "Thing": OWL.Thing, "Nothing": OWL.Nothing,
    "FunctionalProperty": OWL.FunctionalProperty,
    "InverseFunctionalProperty": OWL.InverseFunctionalProperty,
    "IrreflexiveProperty": OWL.IrreflexiveProperty, "SymmetricProperty": OWL.SymmetricProperty,
    "AsymmetricProperty": OWL.AsymmetricProperty, "TransitiveProperty": OWL.TransitiveProperty,
    "chain": OWL.propertyChainAxiom, "pdw": OWL.propertyDisjointWith,
    "AllDisjointProperties": OWL.AllDisjointProperties, "AllDisjointClasses": OWL.AllDisjointClasses,
    "hasKey": OWL.hasKey, "sourceIndividual": OWL.sourceIndividual,
    "assertionProperty": OWL.assertionProperty, "targetIndividual": OWL.targetIndividual,
    "targetValue": OWL.targetValue,
    "intersectionOf": OWL.intersectionOf, "unionOf": OWL.unionOf, "complementOf": OWL.complementOf,
    "oneOf": OWL.oneOf, "disjointWith": OWL.disjointWith,
    "svf": OWL.someValuesFrom, "avf": OWL.allValuesFrom, "hasValue": OWL.hasValue,
    "onProperty": OWL.onProperty, "onClass": OWL.onClass,
    "maxCardinality": OWL.maxCardinality, "maxQualifiedCardinality": OWL.maxQualifiedCardinality,
}


class _Vocabulary:
    """Attribute access to the fixed ids of :data:`VOCABULARY` (``V.type == 0``)."""

    def __init__(self) -> None:
        for index, name in enumerate(VOCABULARY):
            setattr(self, name, index)

    def __getattr__(self, name: str) -> int:  # for mypy: attributes are set in __init__
        raise AttributeError(name)


V = _Vocabulary()


class TermTable:
    """A two-way map between rdflib terms and dense integer ids.

    Attributes:
        terms: id → term.
        literal: id → 1 if the term is a literal (rules never put a literal in subject position).
    """

    def __init__(self) -> None:
        self.terms: list[Node] = []
        self.literal = bytearray()
        self._ids: dict[Node, int] = {}
        for term in VOCABULARY.values():
            self.id(term)

    def id(self, term: Node) -> int:
        """The id of ``term``, interning it on first sight."""
        found = self._ids.get(term)
        if found is None:
            found = self._ids[term] = len(self.terms)
            self.terms.append(term)
            self.literal.append(1 if isinstance(term, Literal) else 0)
        return found

    def find(self, term: Node) -> int | None:
        """The id of ``term`` if it was ever interned."""
        return self._ids.get(term)

    def __len__(self) -> int:
        return len(self.terms)


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (blank nodes keep their labels)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
