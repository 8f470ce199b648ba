"""The published JSON-LD ``@context`` and the dataset as JSON-LD that uses it.

The context (JSON-LD 1.1 §3.1, published at ``https://w3id.org/conflict-graph/context.jsonld``)
is generated from the ontology itself: the vocabulary prefixes the data uses, one term per class
and property of the ``cg:`` namespace (its local name), object properties coerced to IRIs
(``"@type": "@id"``, §4.2.3) and datatype properties with a single ``rdfs:range`` coerced to that
datatype (§4.2.2). So ``{"controlLevel": "cg:CompleteControl"}`` reads as an IRI and
``{"earliestStart": "2024-06-25"}`` as an ``xsd:date``.

The dataset export keeps its named graphs (JSON-LD 1.1 §4.9: each named graph is a node with an
``@graph``) and carries the whole context inline, so a consumer needs no network access to read it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .. import iris
from .source import DatasetSource

__all__ = ["CONTEXT_IRI", "PREFIXES", "dataset_jsonld", "jsonld_context"]

#: Where the context is published (served by the endpoint at ``/context.jsonld``).
CONTEXT_IRI = iris.BASE + "context.jsonld"
#: Vocabulary prefixes of the context (the data's own vocabularies, and the project's IRIs).
PREFIXES: dict[str, str] = {
    "cg": str(iris.CG),
    "id": iris.BASE + "id/",
    "graph": iris.BASE + "graph/",
    "dct": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "http://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_TERMS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?kind (SAMPLE(?r) AS ?range) (COUNT(DISTINCT ?r) AS ?ranges) WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  GRAPH <%s> { ?term a ?kind . OPTIONAL { ?term rdfs:range ?r FILTER(isIRI(?r)) } }
  FILTER(isIRI(?term) && STRSTARTS(STR(?term), "%s"))
} GROUP BY ?term ?kind ORDER BY ?term"""


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix not in ("id", "graph"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def jsonld_context(source: DatasetSource) -> dict[str, Any]:
    """The ``@context`` object: prefixes, then one term per ``cg:`` class and property."""
    context: dict[str, Any] = {"@version": 1.1, **PREFIXES}
    namespace = str(iris.CG)
    for row in source.select(_TERMS % (iris.ONTOLOGY_GRAPH, namespace), "simple"):
        name = row["term"][len(namespace):]
        kind = row["kind"].rsplit("#", 1)[-1]
        curie = f"cg:{name}"
        if kind == "ObjectProperty":
            context[name] = {"@id": curie, "@type": "@id"}
        elif kind == "DatatypeProperty" and int(row["ranges"]) == 1 and "range" in row \
                and row["range"].startswith(PREFIXES["xsd"]) \
                and row["range"] != PREFIXES["xsd"] + "string":
            context[name] = {"@id": curie, "@type": _compact(row["range"])}
        elif name not in context:
            context[name] = curie
    return {"@context": context}


def _graphs_jsonld(quads: Iterable[ox.Quad]) -> list[dict[str, Any]]:
    """Expanded JSON-LD (a list of graph objects) for ``quads``, written by pyoxigraph."""
    expanded = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b"[]")
    return expanded if isinstance(expanded, list) else expanded.get("@graph", [expanded])


def dataset_jsonld(source: DatasetSource, graphs: Iterable[str]) -> bytes:
    """The named graphs ``graphs`` as one JSON-LD document with the context inline.

    Each subject is one node object per graph; node objects keep full IRIs for subjects and objects where no term applies, so the document is
    both readable (terms for the vocabulary) and loss-free (it expands to exactly these quads).
    """
    from pyld import jsonld  # imported here: only this export needs it

    context = jsonld_context(source)
    expanded = _graphs_jsonld(source.quads(graphs))
    # Flattening (JSON-LD 1.1 API §4.4) merges the node objects of one subject in each graph.
    flattened = jsonld.flatten(expanded, context["@context"])
    flattened["@context"] = context["@context"]
    return json.dumps(flattened, ensure_ascii=False, indent=1).encode("utf-8")
