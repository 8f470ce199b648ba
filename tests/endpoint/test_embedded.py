"""``conflict-graph serve`` with no option, as on a fresh clone: the project's own graph.

SPARQLWrapper gets an answer in every format, the entailment switch changes answers on the real
data, and the responses carry the versions that make them citable.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import rdflib
from live_server import LiveServer
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML
from SPARQLWrapper import SPARQLWrapper as Wrapper

CG = "https://w3id.org/conflict-graph/ontology#"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
COUNT_TYPES = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }"


def sparqlwrapper(server: LiveServer, query: str, fmt: str, method: str = "GET") -> object:
    client = Wrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    result = client.query()
    try:
        return result.convert()
    finally:
        result.response.close()


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_and_ask(embedded_server: LiveServer, fmt: str, method: str) -> None:
    select = sparqlwrapper(embedded_server, f"SELECT ?c WHERE {{ ?c a <{OWL_CLASS}> }} LIMIT 5", fmt, method)
    ask = sparqlwrapper(embedded_server, f"ASK {{ ?c a <{OWL_CLASS}> }}", fmt, method)
    if fmt == JSON:
        assert len(select["results"]["bindings"]) == 5  # type: ignore[index]
        assert ask["boolean"] is True  # type: ignore[index]
    elif fmt == XML:
        assert len(select.getElementsByTagName("result")) == 5  # type: ignore[attr-defined]
    else:
        assert len(select.decode().strip().splitlines()) == 6  # type: ignore[attr-defined]
        assert ask.decode().split()[-1] == "true"  # type: ignore[attr-defined]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_and_describe(embedded_server: LiveServer, fmt: str, method: str) -> None:
    for query in (f"CONSTRUCT WHERE {{ ?c a <{OWL_CLASS}> }} LIMIT 5",
                  f"DESCRIBE ?c WHERE {{ ?c a <{OWL_CLASS}> }} LIMIT 1"):
        converted = sparqlwrapper(embedded_server, query, fmt, method)
        if isinstance(converted, bytes):  # Turtle and N3 come back as text
            converted = rdflib.Graph().parse(data=converted, format="n3")
        graph = converted
        assert isinstance(graph, rdflib.Graph) and len(graph) > 0


def test_inference_adds_answers(embedded_server: LiveServer) -> None:
    def count(entailment: str) -> int:
        reply = embedded_server.get("/sparql?" + urlencode({"query": COUNT_TYPES, "entailment": entailment}))
        return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])

    assert count("owl-rl") > count("simple") > 0


def test_alliance_members_only_with_inference(embedded_server: LiveServer) -> None:
    """The example of docs/endpoint.md: org:hasMember is only inferred (inverse of org:memberOf)."""
    query = ("PREFIX org: <http://www.w3.org/ns/org#> SELECT ?member WHERE { "
             "<https://w3id.org/conflict-graph/id/org/brotherhood-alliance> org:hasMember ?member }")

    def members(entailment: str) -> set[str]:
        reply = embedded_server.get("/sparql?" + urlencode({"query": query, "entailment": entailment}))
        return {row["member"]["value"] for row in json.loads(reply.body)["results"]["bindings"]}

    assert "https://w3id.org/conflict-graph/id/org/tnla" in members("owl-rl")
    assert members("simple") == set()


def test_versions_make_results_citable(embedded_server: LiveServer) -> None:
    reply = embedded_server.get("/sparql?" + urlencode({"query": COUNT_TYPES}))
    health = embedded_server.health()
    assert reply.headers["Conflict-Graph-Data-Version"] == health["data_version"]
    ontology_version = health["ontology_version"]
    assert ontology_version, "the ontology declares an owl:versionIRI"
    assert reply.headers["Conflict-Graph-Ontology-Version"] == ontology_version
    assert f'<{ontology_version}>; rel="describedby"' in reply.headers["Link"]


def test_service_description_gives_the_data_licence(embedded_server: LiveServer) -> None:
    """The project's graphs carry CC BY 4.0; a user's own --data graphs would carry none from us."""
    reply = embedded_server.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=reply.text, format="turtle")
    licensed = set(graph.query("""
        PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?name WHERE {
          ?named sd:name ?name ; sd:graph/dct:license <https://creativecommons.org/licenses/by/4.0/> }"""))
    names = {str(row[0]) for row in licensed}
    assert "https://w3id.org/conflict-graph/graph/source/irrawaddy-2024-op1027-phase2" in names
    assert "https://w3id.org/conflict-graph/graph/ontology" in names
    assert "https://w3id.org/conflict-graph/graph/inferred" not in names


def test_query_page_is_served_beside_the_endpoint(embedded_server: LiveServer) -> None:
    page = embedded_server.get("/query", headers={"Accept": "text/html"})
    assert page.status == 200 and page.content_type == "text/html"
    assert "Access-Control-Allow-Origin" not in page.headers
    assert page.headers["Content-Security-Policy"]
