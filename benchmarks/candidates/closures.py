"""Closures of different reasoners, cleaned the same way, written to N-Triples and compared.

A closure is cleaned by the project's own rules (:func:`conflict_graph.reasoning.cleaning.noise_rule`),
so every reasoner is compared with the native closure *after the same cleaning*. Reasoners label
blank nodes their own way (``reasonable`` and Nemo relabel them), so triples are compared in two
parts: *ground* triples (no blank node; an ontology blank node written by the Nemo compile as a
``urn:x-bnode:`` IRI counts as one) triple for triple, and blank-node triples by count only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from conflict_graph.reasoning.cleaning import noise_rule
from conflict_graph.reasoning.terms import to_oxigraph

from .nemo_program import BNODE_PREFIX

__all__ = ["cleaned", "compare", "from_oxigraph", "read", "write"]

Triple = tuple[Node, Node, Node]


def from_oxigraph(term: Any) -> Node:
    """The rdflib term for a pyoxigraph term (the inverse of ``to_oxigraph``)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def cleaned(triples: Iterable[Triple], asserted: Collection[Triple]) -> Iterator[Triple]:
    """``triples`` without what the project's cleaning removes (asserted triples included)."""
    for triple in triples:
        if noise_rule(triple, asserted) is None:
            yield triple


def write(triples: Iterable[Triple], path: Path) -> int:
    """Write ``triples`` as N-Triples (pyoxigraph: ``"x"^^xsd:string`` is written ``"x"``)."""
    unique = {ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples}  # type: ignore[arg-type]
    ox.serialize(unique, str(path), ox.RdfFormat.N_TRIPLES)
    return len(unique)


def read(path: Path) -> set[ox.Triple]:
    """The triples of an N-Triples file."""
    return set(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))


def _blank(term: Any) -> bool:
    return isinstance(term, ox.BlankNode) or (isinstance(term, ox.NamedNode)
                                              and term.value.startswith(BNODE_PREFIX))


def _kind(triple: ox.Triple) -> str:
    """What a triple says, for grouping differences: its predicate, or ``a <class>``."""
    p = triple.predicate.value
    if p == str(RDF.type):
        return f"a <{triple.object.value}>"
    return f"<{p}>"


def compare(native: Path, candidate: Path, top: int = 5) -> dict[str, Any]:
    """Missing and extra ground triples of ``candidate`` against ``native``, and blank-node counts."""
    ours, theirs = read(native), read(candidate)
    ground_ours = {t for t in ours if not any(_blank(x) for x in t)}
    ground_theirs = {t for t in theirs if not any(_blank(x) for x in t)}
    missing, extra = ground_ours - ground_theirs, ground_theirs - ground_ours
    return {
        "missing": len(missing),
        "extra": len(extra),
        "blank_native": len(ours) - len(ground_ours),
        "blank_candidate": len(theirs) - len(ground_theirs),
        "missing_kinds": dict(Counter(_kind(t) for t in missing).most_common(top)),
        "extra_kinds": dict(Counter(_kind(t) for t in extra).most_common(top)),
    }
