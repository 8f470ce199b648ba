"""The named graphs and the dataset version as resources: what ``/graph/…`` and
``/dataset/{version}`` answer.

A graph's RDF is a short VoID description (https://www.w3.org/TR/void/): its kind, its size and
where to query it; its triples themselves are one ``CONSTRUCT`` away on ``/sparql``. The dataset
version's RDF is the endpoint's SPARQL 1.1 Service Description, whose default dataset it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from ..query.store import Catalogue

__all__ = ["GraphPage", "graph_page", "graph_rdf"]

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

_KIND_TEXT = {
    "ontology": "the OWL 2 RL ontology and its SKOS schemes",
    "shapes": "the SHACL shapes the data must pass (served; not reasoned over; not in the default graph)",
    "source": "one source document: its text, its sentences and the facts they state",
    "background": "background facts with their own sources",
    "inferred": "the OWL 2 RL closure minus everything asserted",
    "data": "a data file given to the server",
    "virtual": "a virtual graph: the union of other graphs",
}


@dataclass(frozen=True)
class GraphPage:
    """One graph: IRI, kind, size (None for a virtual graph), and its members if virtual."""

    iri: str
    kind: str
    triples: int | None
    members: tuple[str, ...]

    @property
    def about(self) -> str:
        return _KIND_TEXT.get(self.kind, self.kind)


def graph_page(catalogue: Catalogue, iri: str) -> GraphPage | None:
    """The graph named ``iri``, or None if the dataset has no such graph."""
    info = catalogue.graph(iri)
    if info is not None:
        return GraphPage(iri, info.kind, info.triples, ())
    members = catalogue.virtual_graphs().get(iri)
    if members is not None:
        return GraphPage(iri, "virtual", None, tuple(members))
    return None


def graph_rdf(page: GraphPage, endpoint: str) -> Graph:
    """The VoID description of a graph."""
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("sd", SD)
    node = URIRef(page.iri)
    graph.add((node, RDF.type, SD.Graph))
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, RDFS.comment, Literal(page.about, lang="en")))
    graph.add((node, VOID.sparqlEndpoint, URIRef(endpoint)))
    if page.triples is not None:
        graph.add((node, VOID.triples, Literal(page.triples, datatype=XSD.integer)))
    for member in page.members:
        graph.add((node, VOID.subset, URIRef(member)))
    return graph
