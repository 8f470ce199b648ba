"""The SPARQL 1.1 Service Description of the endpoint, with VoID statistics per graph.

https://www.w3.org/TR/sparql11-service-description/ — served at the endpoint URL itself when
it is fetched without a query. It states:

* the service (``sd:endpoint`` is the URL the client used), its language and result formats;
* the default entailment regime (OWL 2 RDF-Based semantics, restricted to the OWL 2 RL profile),
  and how to switch it per request with the ``entailment`` parameter;
* the default dataset: its default graph and every named graph, each with its own
  ``sd:entailmentRegime`` (``Simple`` for asserted graphs; OWL 2 RL for the inferred graph) and
  VoID counts (triples, distinct subjects and objects, properties, classes);
* the graphs a request may name (``sd:availableGraphs``), virtual graphs included;
* the limits (row cap, byte cap, time limit, query size) as comments.

In the quad formats (TriG, N-Quads) the description is the dataset's default graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, VOID, XSD

from . import conneg
from .. import iris
from .store import Catalogue

__all__ = ["ENT", "PROFILE", "RDFLIB_FORMATS", "SD", "describe", "serialize"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: Entailment regimes (SPARQL 1.1 Entailment Regimes §10).
ENT = Namespace("http://www.w3.org/ns/entailment/")
#: OWL 2 profiles.
PROFILE = Namespace("http://www.w3.org/ns/owl-profile/")

#: conneg format name → rdflib serializer name.
RDFLIB_FORMATS = {
    "turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
    "nquads": "nquads", "n3": "n3",
}

_KIND_NOTES = {
    "ontology": "the OWL ontology and its SKOS concept schemes",
    "shapes": "the SHACL shapes the data is validated against (not reasoned over, not in the default graph)",
    "source": "the facts one source document states, with its sentences as quotes",
    "background": "background facts (coordinates, identifiers) with their own source",
    "user": "data loaded with --data",
    "inferred": "the OWL 2 RL closure of the asserted graphs, minus every asserted triple",
}
_ENTAILMENT_NOTE = (
    "The default graph is the union of the asserted graphs and the inferred graph (entailment "
    "owl-rl, the default). Add entailment=simple to a request (or entailment=none) for the asserted "
    "graphs only, entailment=owl-rl for both. The virtual graph {asserted} is the union of the "
    "asserted graphs, {all} adds the inferred graph, and {inferred} holds only the inferred "
    "triples. Each can be named in FROM or default-graph-uri; in FROM NAMED or named-graph-uri "
    "a virtual graph stands for its member graphs (match them with GRAPH ?g)."
)


def _statistics(graph: Graph, node: URIRef | BNode, counts: Mapping[str, int] | None,
                fallback_triples: int | None = None) -> None:
    if counts:
        for name, value in counts.items():
            graph.add((node, VOID[name], Literal(value, datatype=XSD.integer)))
    elif fallback_triples is not None:
        graph.add((node, VOID.triples, Literal(fallback_triples, datatype=XSD.integer)))


def _regime(graph: Graph, node: BNode, owl_rl: bool) -> None:
    if owl_rl:
        graph.add((node, SD.entailmentRegime, ENT["OWL-RDF-Based"]))
        graph.add((node, SD.supportedEntailmentProfile, PROFILE.RL))
    else:
        graph.add((node, SD.entailmentRegime, ENT.Simple))


def describe(endpoint: str, catalogue: Catalogue, statistics: Mapping[str, Mapping[str, int]] | None = None,
             *, max_rows: int = 0, query_timeout: float = 0.0, max_query_bytes: int = 0,
             service_allowlist: Sequence[str] = (), max_response_bytes: int = 0) -> Graph:
    """Build the service description graph.

    Args:
        endpoint: the endpoint URL as the client reached it (``sd:endpoint``).
        catalogue: the dataset's graphs and versions.
        statistics: VoID counts from :meth:`conflict_graph.engine.QueryService.statistics`;
            without them only ``void:triples`` from the catalogue is given.
        max_rows, query_timeout, max_query_bytes, service_allowlist, max_response_bytes: the
            limits in force.
    """
    statistics = statistics or {}
    graph = Graph()
    for prefix, namespace in (("sd", SD), ("void", VOID), ("ent", ENT), ("profile", PROFILE),
                              ("formats", Namespace("http://www.w3.org/ns/formats/")),
                              ("dcterms", DCTERMS), ("cg", iris.CG)):
        graph.bind(prefix, namespace)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in conneg.FORMATS:
        graph.add((service, SD.resultFormat, URIRef(fmt.spec)))
    if service_allowlist:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    graph.add((service, SD.defaultEntailmentRegime, ENT["OWL-RDF-Based"]))
    graph.add((service, SD.defaultSupportedEntailmentProfile, PROFILE.RL))
    graph.add((service, DCTERMS.title, Literal("conflict-graph SPARQL endpoint", lang="en")))
    graph.add((service, RDFS.comment, Literal(_ENTAILMENT_NOTE.format(
        asserted=iris.ASSERTED_GRAPH, all=iris.ALL_GRAPH, inferred=iris.INFERRED_GRAPH), lang="en")))
    limits = [f"results are cut at {max_rows:,} rows (header Conflict-Graph-Truncated)" if max_rows else "",
              f"results are cut at {max_response_bytes:,} bytes (header Conflict-Graph-Truncated)"
              if max_response_bytes else "",
              f"a query stops after {query_timeout:g} s, or sooner with timeout=SECONDS (503)"
              if query_timeout else "",
              f"a query may be at most {max_query_bytes:,} bytes (413)" if max_query_bytes else "",
              "read-only: SPARQL Update is refused (403)",
              "SERVICE is refused unless its endpoint is on the allowlist (403)"]
    graph.add((service, RDFS.comment, Literal("Limits: " + "; ".join(x for x in limits if x) + ".",
                                              lang="en")))

    dataset = iris.dataset_version(catalogue.data_version)
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, OWL.versionInfo, Literal(catalogue.data_version)))
    graph.add((dataset, VOID.sparqlEndpoint, service))
    graph.add((dataset, VOID.vocabulary, URIRef(str(iris.CG))))
    if catalogue.ontology_version:
        graph.add((dataset, DCTERMS.conformsTo, URIRef(catalogue.ontology_version)))

    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.comment, Literal(
        "Union of the asserted graphs and the inferred graph (entailment owl-rl); with "
        "entailment=simple, of the asserted graphs only. Counts are for entailment owl-rl.", lang="en")))
    _statistics(graph, default, statistics.get("default:owl-rl"))

    available = BNode()
    graph.add((service, SD.availableGraphs, available))
    graph.add((available, RDF.type, SD.GraphCollection))
    for info in catalogue.graphs:
        named = _named_graph(graph, URIRef(info.iri), info.kind == "inferred",
                             statistics.get(info.iri), info.triples, _KIND_NOTES.get(info.kind, info.kind),
                             DATA_LICENSE if info.kind in _PROJECT_KINDS else None)
        graph.add((dataset, SD.namedGraph, named))
        graph.add((available, SD.namedGraph, named))
    for virtual, owl_rl, note in (
        (iris.ASSERTED_GRAPH, False, "virtual: the union of every asserted graph"),
        (iris.ALL_GRAPH, True, "virtual: the asserted graphs and the inferred graph"),
    ):
        named = _named_graph(graph, virtual, owl_rl, statistics.get(str(virtual)), None, note)
        graph.add((available, SD.namedGraph, named))
    return graph


#: The licence of the project's own graphs (LICENSE-DATA); a user's --data graphs carry their own.
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
_PROJECT_KINDS = frozenset({"ontology", "shapes", "source", "background"})


def _named_graph(graph: Graph, name: URIRef, owl_rl: bool, counts: Mapping[str, int] | None,
                 triples: int | None, note: str, licence: URIRef | None = None) -> BNode:
    named = BNode()
    graph.add((named, RDF.type, SD.NamedGraph))
    graph.add((named, SD.name, name))
    _regime(graph, named, owl_rl)
    described = BNode()
    graph.add((named, SD.graph, described))
    graph.add((described, RDF.type, SD.Graph))
    graph.add((described, RDFS.comment, Literal(note, lang="en")))
    if licence is not None:
        graph.add((described, DCTERMS.license, licence))
    _statistics(graph, described, counts, triples)
    return named


def serialize(graph: Graph, format_name: str) -> bytes:
    """Write the description in a :mod:`conflict_graph.conneg` RDF format.

    rdflib writes a lone graph as a named graph with a blank-node name in TriG and refuses to
    write it as N-Quads; pyoxigraph writes those two, with every triple in the default graph.
    """
    if format_name in ("trig", "nquads"):
        import pyoxigraph as ox

        triples = ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        if format_name == "nquads":
            return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        used = {term.value for quad in quads for term in (quad.subject, quad.predicate, quad.object)
                if isinstance(term, ox.NamedNode)}
        prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()
                    if prefix and any(iri.startswith(str(namespace)) for iri in used)}
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
    data = graph.serialize(format=RDFLIB_FORMATS[format_name], encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
