"""What the server writes: within the byte cap, well-formed XML or a 406, quads for the description."""

from __future__ import annotations

import json
import xml.dom.minidom
from collections.abc import Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib
from live_server import DATA, LiveServer, Reply, start_server, stop_server

CAP = 20_000
BIG = "SELECT ?s ?big WHERE { ?s ?p ?o BIND(\"" + "a" * 2000 + "\" AS ?big) }"
BIG_GRAPH = ("CONSTRUCT { ?s <http://ex/big> ?big } WHERE { ?s ?p ?o "
             "BIND(CONCAT(STR(?o), \"" + "a" * 2000 + "\") AS ?big) }")
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("capped")
    server = start_server(["--no-default-data", "--data", str(DATA), "--max-rows", "0",
                           "--max-response-bytes", str(CAP)], folder / "cache")
    yield server
    stop_server(server.process)


def get(server: LiveServer, accept: str | None = None, **params: str) -> Reply:
    return server.get("/sparql?" + urlencode(params), headers={"Accept": accept} if accept else {})


# --- the byte cap ------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_a_long_result_is_cut_at_a_row_boundary(capped_server: LiveServer, accept: str) -> None:
    reply = get(capped_server, accept, query=BIG)
    assert reply.status == 200, reply.text
    assert len(reply.body) <= CAP
    assert reply.headers["Conflict-Graph-Truncated"] == "true"
    assert reply.headers["Conflict-Graph-Truncated-By"] == "max-response-bytes"
    assert reply.headers["Conflict-Graph-Byte-Limit"] == str(CAP)
    rows = int(reply.headers["Conflict-Graph-Rows"])
    assert 0 < rows < CAP // 2000
    if accept == "text/csv":
        assert reply.body.endswith(b"\r\n") and len(reply.text.split("\r\n")) == rows + 2
        return
    formats = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}
    parsed = ox.parse_query_results(reply.body, formats[accept])
    assert isinstance(parsed, ox.QuerySolutions)
    assert len(list(parsed)) == rows


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-quads", "nquads")])
def test_a_long_graph_is_cut_at_a_triple_boundary(capped_server: LiveServer, accept: str,
                                                  rdflib_format: str) -> None:
    reply = get(capped_server, accept, query=BIG_GRAPH)
    assert reply.status == 200, reply.text
    assert len(reply.body) <= CAP
    assert reply.headers["Conflict-Graph-Truncated-By"] == "max-response-bytes"
    graph = rdflib.Dataset() if rdflib_format == "nquads" else rdflib.Graph()
    graph.parse(data=reply.body, format=rdflib_format)
    assert len(graph) == int(reply.headers["Conflict-Graph-Rows"]) > 0


def test_a_short_result_is_whole(capped_server: LiveServer) -> None:
    reply = get(capped_server, query="SELECT * { ?s ?p ?o } LIMIT 3")
    assert reply.headers["Conflict-Graph-Truncated"] == "false"
    assert "Conflict-Graph-Truncated-By" not in reply.headers


def test_the_row_cap_says_it_cut(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, query="SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }")  # the fixture caps at 50
    assert reply.headers["Conflict-Graph-Truncated-By"] == "max-rows"


# --- XML output is well-formed, or refused -----------------------------------------------------------

@pytest.mark.parametrize(("query", "accept"), [
    ("CONSTRUCT { <http://a/s> <http://ex/1> <http://a/o> } WHERE {}", "application/rdf+xml"),
    ('CONSTRUCT { <http://a/s> <http://ex/p> "a\\u0001b" } WHERE {}', "application/rdf+xml"),
    ('SELECT ?x { BIND("a\\u0001b" AS ?x) }', "application/sparql-results+xml"),
    ('SELECT ?x { BIND("\\uFFFE" AS ?x) }', "application/sparql-results+xml"),
])
def test_what_xml_cannot_carry_is_a_406(fixture_server: LiveServer, query: str, accept: str) -> None:
    reply = get(fixture_server, accept, query=query)
    assert reply.status == 406, reply.text
    assert "XML" in reply.text and ("Turtle" in reply.text or "JSON" in reply.text)


@pytest.mark.parametrize(("query", "accept"), [
    ("CONSTRUCT { <http://a/s> <http://ex/1> <http://a/o> } WHERE {}", "text/turtle"),
    ('SELECT ?x { BIND("a\\u0001b" AS ?x) }', "application/sparql-results+json"),
    ("CONSTRUCT { <http://a/s> <http://ex/p1> \"x\" } WHERE {}", "application/rdf+xml"),
])
def test_other_formats_carry_it(fixture_server: LiveServer, query: str, accept: str) -> None:
    reply = get(fixture_server, accept, query=query)
    assert reply.status == 200, reply.text
    if accept == "application/rdf+xml":
        xml.dom.minidom.parseString(reply.body)


def test_xml_results_keep_the_base_direction(fixture_server: LiveServer) -> None:
    query = 'SELECT ?x { BIND(STRLANGDIR("مرحبا", "ar", "rtl") AS ?x) }'
    reply = get(fixture_server, "application/sparql-results+xml", query=query)
    assert reply.status == 200, reply.text
    assert 'its:dir="rtl"' in reply.text
    xml.dom.minidom.parseString(reply.body)
    parsed = ox.parse_query_results(reply.body, ox.QueryResultsFormat.XML)
    literal = next(iter(parsed))["x"]  # type: ignore[call-overload]
    assert literal.language == "ar" and str(literal.direction).lower().endswith("rtl")
    as_json = json.loads(get(fixture_server, query=query).body)
    assert as_json["results"]["bindings"][0]["x"]["its:dir"] == "rtl"


# --- format parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["format", "output", "results"])
def test_an_unknown_format_is_a_400_naming_the_known_ones(fixture_server: LiveServer, name: str) -> None:
    reply = get(fixture_server, query="ASK {}", **{name: "bogus"})
    assert reply.status == 400, reply.text
    assert "bogus" in reply.text and "json" in reply.text and "turtle" in reply.text
    assert get(fixture_server, **{name: "bogus"}).status == 400  # the service description too


# --- the service description in the quad formats -------------------------------------------------------

@pytest.mark.parametrize(("accept", "params"), [
    ("application/n-quads", {}), (None, {"format": "nq"}),
    ("application/trig", {}), (None, {"format": "trig"}),
])
def test_the_description_as_quads_is_the_default_graph(fixture_server: LiveServer, accept: str | None,
                                                       params: dict[str, str]) -> None:
    reply = get(fixture_server, accept, **params)
    assert reply.status == 200, reply.text
    trig = reply.content_type == "application/trig"
    quads = list(ox.parse(reply.body, format=ox.RdfFormat.TRIG if trig else ox.RdfFormat.N_QUADS))
    assert quads and all(quad.graph_name == ox.DefaultGraph() for quad in quads)
    endpoint = ox.NamedNode(fixture_server.endpoint)
    assert ox.Quad(endpoint, ox.NamedNode(SD + "endpoint"), endpoint) in quads
