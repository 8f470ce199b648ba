"""The W3C SPARQL 1.1 Service Description tests, one per manifest entry, in every RDF format.

``shared/w3c/service-description/manifest.ttl`` names three required tests (the conformance
criteria of https://www.w3.org/TR/sparql11-service-description/#conformance, as the W3C validator
checks them):

* ``returns-rdf``: a GET on the endpoint URL returns RDF;
* ``has-endpoint-triple``: that RDF has ``?service sd:endpoint <URL>`` for the URL fetched;
* ``conforms-to-schema``: every ``sd:NamedGraph`` has an ``sd:name``.

The validator's best-practice checks (typed services, datasets, named graphs and graphs; a known
query language; datasets with graphs) run too, plus what this endpoint promises in its description:
the entailment regimes and VoID statistics.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import rdflib
from live_server import SHARED, LiveServer
from rdflib import RDF, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import VOID

MANIFEST = SHARED / "w3c" / "service-description" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ENT = Namespace("http://www.w3.org/ns/entailment/")
PROFILE = Namespace("http://www.w3.org/ns/owl-profile/")
GRAPH = "https://w3id.org/conflict-graph/graph/"

#: Accept header → rdflib parser; None is "no Accept header" (the default format).
FORMATS = {None: "turtle", "text/turtle": "turtle", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml", "application/n-triples": "nt",
           # what the W3C validator (RDF::Trine) sends
           "application/rdf+xml;q=0.9, text/turtle, application/x-turtle;q=0.8, */*;q=0.1": "turtle"}


def entries() -> list[str]:
    if not MANIFEST.is_file():
        return []
    graph = rdflib.Graph().parse(MANIFEST, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return [str(e).rsplit("#", 1)[-1] for e in Collection(graph, graph.value(manifest, MF.entries))]


ENTRIES = entries()


def test_the_manifest_is_present() -> None:
    """Without the W3C manifest the parametrized cases below would silently be zero."""
    assert MANIFEST.is_file(), f"W3C service-description manifest not found at {MANIFEST}"
    assert ENTRIES


def fetch(server: LiveServer, accept: str | None) -> rdflib.Graph:
    reply = server.get("/sparql", headers={"Accept": accept} if accept else {})
    assert reply.status == 200, reply.text
    return rdflib.Graph().parse(data=reply.body, format=FORMATS[accept])


def returns_rdf(graph: rdflib.Graph, endpoint: str) -> None:
    assert len(graph) > 0


def has_endpoint_triple(graph: rdflib.Graph, endpoint: str) -> None:
    assert (None, SD.endpoint, URIRef(endpoint)) in graph


def conforms_to_schema(graph: rdflib.Graph, endpoint: str) -> None:
    named = set(graph.subjects(RDF.type, SD.NamedGraph))
    assert named, "the description lists named graphs"
    assert all(graph.value(n, SD.name) is not None for n in named)


CHECKS: dict[str, Callable[[rdflib.Graph, str], None]] = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}


@pytest.mark.parametrize("accept", list(FORMATS), ids=lambda a: a.split(";")[0] if a else "no-accept")
@pytest.mark.parametrize("entry", ENTRIES)
def test_service_description(fixture_server: LiveServer, entry: str, accept: str | None) -> None:
    CHECKS[entry](fetch(fixture_server, accept), fixture_server.endpoint)


def _typed(graph: rdflib.Graph, cls: URIRef, domains: tuple[URIRef, ...] = (),
           ranges: tuple[URIRef, ...] = ()) -> None:
    candidates = {s for p in domains for s in graph.subjects(p, None)}
    candidates |= {o for p in ranges for o in graph.objects(None, p)}
    assert candidates
    untyped = [c for c in candidates if (c, RDF.type, cls) not in graph]
    assert not untyped, f"not typed {cls}: {untyped}"


def test_best_practices(fixture_server: LiveServer) -> None:
    graph = fetch(fixture_server, "text/turtle")
    _typed(graph, SD.Service, domains=(SD.endpoint, SD.supportedLanguage, SD.resultFormat,
                                       SD.defaultEntailmentRegime, SD.defaultDataset, SD.availableGraphs))
    _typed(graph, SD.Dataset, domains=(SD.defaultGraph,), ranges=(SD.defaultDataset,))
    _typed(graph, SD.NamedGraph, domains=(SD.entailmentRegime, SD.name, SD.graph), ranges=(SD.namedGraph,))
    _typed(graph, SD.Graph, ranges=(SD.defaultGraph, SD.graph))
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in graph
    for dataset in graph.subjects(RDF.type, SD.Dataset):
        assert graph.value(dataset, SD.defaultGraph) is not None or graph.value(dataset, SD.namedGraph)


def test_entailment_regimes_and_void(fixture_server: LiveServer) -> None:
    graph = fetch(fixture_server, "text/turtle")
    service = URIRef(fixture_server.endpoint)
    assert (service, SD.defaultEntailmentRegime, ENT["OWL-RDF-Based"]) in graph
    assert (service, SD.defaultSupportedEntailmentProfile, PROFILE.RL) in graph
    assert "entailment=simple" in " ".join(str(c) for c in graph.objects(service, rdflib.RDFS.comment))
    regimes = {}
    for named in graph.subjects(RDF.type, SD.NamedGraph):
        name = str(graph.value(named, SD.name))
        regimes[name] = graph.value(named, SD.entailmentRegime)
        described = graph.value(named, SD.graph)
        assert graph.value(described, VOID.triples) is not None, name
        if regimes[name] == ENT["OWL-RDF-Based"]:
            assert (named, SD.supportedEntailmentProfile, PROFILE.RL) in graph
    assert regimes["http://example.org/graph/actors"] == ENT.Simple
    assert regimes[GRAPH + "inferred"] == ENT["OWL-RDF-Based"]
    assert regimes[GRAPH + "asserted"] == ENT.Simple
    assert regimes[GRAPH + "all"] == ENT["OWL-RDF-Based"]
    dataset = graph.value(service, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    for count in (VOID.triples, VOID.distinctSubjects, VOID.properties, VOID.distinctObjects, VOID.classes):
        assert int(graph.value(default, count)) > 0  # type: ignore[arg-type]
    health = fixture_server.health()
    assert str(dataset).endswith(str(health["data_version"]))


def test_browsers_see_the_description_as_text(fixture_server: LiveServer) -> None:
    reply = fixture_server.get("/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert reply.status == 200 and reply.content_type == "text/plain"
    assert (None, SD.endpoint, URIRef(fixture_server.endpoint)) in rdflib.Graph().parse(
        data=reply.body, format="turtle")


def test_description_with_trailing_slash_names_that_url(fixture_server: LiveServer) -> None:
    reply = fixture_server.get("/sparql/", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    assert (None, SD.endpoint, URIRef(fixture_server.endpoint + "/")) in graph


def test_description_etag(fixture_server: LiveServer) -> None:
    first = fixture_server.get("/sparql", headers={"Accept": "text/turtle"})
    again = fixture_server.get("/sparql", headers={"Accept": "text/turtle",
                                                   "If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    other = fixture_server.get("/sparql", headers={"Accept": "application/ld+json"})
    assert other.headers["ETag"] != first.headers["ETag"]
