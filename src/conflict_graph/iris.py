"""Every IRI the project mints, in one place.

The base IRI is a placeholder for a persistent identifier service; change ``BASE`` in
:mod:`conflict_graph.iri_text` (and nothing else) to move the whole graph: that module holds the
base and graph IRIs as plain text for the processes that must not import rdflib (query workers).
Instance IRIs are slash IRIs grouped by kind so that they stay readable and deterministic: the
same input always yields the same IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from . import iri_text
from .iri_text import BASE

__all__ = [
    "ALL_GRAPH",
    "ASSERTED_GRAPH",
    "BASE",
    "CG",
    "ID",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "SHAPES_GRAPH",
    "background_graph",
    "dataset_version",
    "source_graph",
]

#: The ontology namespace (prefix ``cg:``): classes, properties and SKOS concepts.
CG = Namespace(iri_text.ONTOLOGY_NAMESPACE)
#: The ontology document IRI; its ``owl:versionIRI`` lives in ``ontology/conflict-graph.ttl``.
ONTOLOGY_IRI = URIRef(BASE + "ontology")
#: Instances: ``ID["org/tnla"]``, ``ID["place/town/lashio"]``, ``ID["quote/<source>/s05"]``.
ID = Namespace(iri_text.ID_NAMESPACE)

_GRAPH = iri_text.GRAPH_NAMESPACE
#: The OWL ontology and its SKOS schemes (``ontology/conflict-graph.ttl``).
ONTOLOGY_GRAPH = URIRef(iri_text.ONTOLOGY_GRAPH)
#: The SHACL shapes (``ontology/shapes.ttl``); served, never reasoned over.
SHAPES_GRAPH = URIRef(iri_text.SHAPES_GRAPH)
#: The cleaned OWL 2 RL closure: only triples that are not asserted anywhere.
INFERRED_GRAPH = URIRef(iri_text.INFERRED_GRAPH)
#: Virtual graph: the union of every asserted graph (ontology, sources, background, user data).
ASSERTED_GRAPH = URIRef(iri_text.ASSERTED_GRAPH)
#: Virtual graph: asserted plus inferred.
ALL_GRAPH = URIRef(iri_text.ALL_GRAPH)

#: Prefixes for printing IRIs and for reading the prefixed names people type (command line,
#: ``/explain``).
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "cg": str(CG),
    "id": str(ID),
    "graph": _GRAPH,
}


def source_graph(slug: str) -> URIRef:
    """The named graph holding one source document's facts and quotes."""
    return URIRef(f"{_GRAPH}source/{slug}")


def background_graph(slug: str) -> URIRef:
    """A named graph of background facts (coordinates, identifiers) with their own source."""
    return URIRef(f"{_GRAPH}background/{slug}")


def dataset_version(data_version: str) -> URIRef:
    """The IRI of one version of the whole dataset: what a cited query result links to."""
    return URIRef(f"{BASE}dataset/{data_version}")
