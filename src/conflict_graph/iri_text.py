"""The IRIs the query path needs, as plain text, so that importing them imports no RDF library.

:mod:`conflict_graph.iris` is the place every IRI is minted and the one to read; it takes its base
and graph IRIs from here and wraps them in rdflib terms. A query worker (and anything else that only
reads the on-disk store with pyoxigraph) imports this module instead and never loads rdflib.
"""

from __future__ import annotations

__all__ = [
    "ALL_GRAPH",
    "ASSERTED_GRAPH",
    "BASE",
    "GRAPH_NAMESPACE",
    "ID_NAMESPACE",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_NAMESPACE",
    "SHAPES_GRAPH",
]

#: The base of every IRI the project mints (a placeholder for a persistent identifier service).
BASE = "https://w3id.org/conflict-graph/"
#: The ontology namespace (prefix ``cg:``).
ONTOLOGY_NAMESPACE = BASE + "ontology#"
#: The namespace of instances (prefix ``id:``).
ID_NAMESPACE = BASE + "id/"
#: The namespace of named graphs (prefix ``graph:``).
GRAPH_NAMESPACE = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH_NAMESPACE + "ontology"
SHAPES_GRAPH = GRAPH_NAMESPACE + "shapes"
INFERRED_GRAPH = GRAPH_NAMESPACE + "inferred"
ASSERTED_GRAPH = GRAPH_NAMESPACE + "asserted"
ALL_GRAPH = GRAPH_NAMESPACE + "all"
