"""Deterministic IRIs for evidence nodes, so a piece of evidence can be cited and linked to.

Data files write evidence as blank nodes (``cg:evidence [ a cg:Evidence ; prov:entity q:s05 … ]``),
which is easy to read and write by hand but gives nodes no stable name across builds. Before
validation and reasoning, every blank node that is the object of ``cg:evidence`` is renamed
``<fact IRI>/evidence/<sentence or source>-<status>`` (for example
``…/assertion/control/nawnghkio-town-effective/evidence/s05-stated``): the same data always gives
the same IRIs (https://www.w3.org/TR/rdf11-concepts/#section-skolemization, here with readable
names instead of ``/.well-known/genid/``).
"""

from __future__ import annotations

import re

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import PROV

from ..iris import BASE, CG

__all__ = ["name_evidence"]


def _tail(node: object) -> str:
    text = str(node).rstrip("/#")
    return re.split(r"[/#]", text)[-1].lower() if text else "unknown"


def _naming_order(graph: Graph) -> tuple[bool, str]:
    """The project's own graphs first, then the others, each by IRI: when two graphs give evidence
    of one fact from sentences with the same id and status, the project's evidence keeps the plain
    name and the other is numbered (``…-2``), whatever else is loaded."""
    name = str(graph.identifier)
    return (not name.startswith(BASE), name)


def name_evidence(dataset: Dataset) -> int:
    """Replace, in every graph, each blank evidence node of an IRI-named fact by its readable IRI,
    unique across all graphs.

    Returns:
        How many evidence nodes were named.
    """
    renamed = 0
    taken: set[URIRef] = set()  # across graphs: a second source may add evidence to the same fact
    for graph in sorted(dataset.graphs(), key=_naming_order):
        for fact, evidence in list(graph.subject_objects(CG.evidence)):
            if not isinstance(evidence, BNode) or not isinstance(fact, URIRef):
                continue
            base = f"{fact}/evidence/{_tail(graph.value(evidence, PROV.entity))}-" \
                   f"{_tail(graph.value(evidence, CG.epistemicStatus))}"
            iri, number = URIRef(base), 1
            while iri in taken:
                number += 1
                iri = URIRef(f"{base}-{number}")
            taken.add(iri)
            for s, p, o in list(graph.triples((evidence, None, None))):
                graph.remove((s, p, o))
                graph.add((iri, p, o))
            for s, p, o in list(graph.triples((None, None, evidence))):
                graph.remove((s, p, o))
                graph.add((s, p, iri))
            renamed += 1
    return renamed
