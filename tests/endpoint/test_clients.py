"""Real SPARQL clients against a live server: SPARQLWrapper in every format, rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import rdflib
from live_server import EX, LiveServer
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML
from SPARQLWrapper import SPARQLWrapper as Wrapper

PREFIX = f"PREFIX ex: <{EX}>\n"
SELECT = PREFIX + "SELECT ?member WHERE { ex:alliance ex:hasMember ?member } ORDER BY ?member"
ASK = PREFIX + "ASK { ex:tnla a ex:Actor }"
CONSTRUCT = PREFIX + "CONSTRUCT { ?g ex:hasMember ?m } WHERE { ?g ex:hasMember ?m }"
DESCRIBE = PREFIX + "DESCRIBE ex:tnla"
MEMBERS = [EX + "mndaa", EX + "tnla"]
METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
METHOD_IDS = ["GET", "POST-form", "POST-direct"]


def run(server: LiveServer, query: str, fmt: str, method: tuple[str, str],
        parameters: dict[str, str] | None = None) -> tuple[Any, str]:
    client = Wrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method[0])
    client.setRequestMethod(method[1])
    for name, value in (parameters or {}).items():
        client.addParameter(name, value)
    result = client.query()
    try:
        return result.convert(), result.info()["content-type"]
    finally:
        result.response.close()


def xml_values(document: Any, tag: str) -> list[str]:
    return [node.firstChild.data for node in document.getElementsByTagName(tag)]


@pytest.mark.parametrize("method", METHODS, ids=METHOD_IDS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_every_format(fixture_server: LiveServer, fmt: str, method: tuple[str, str]) -> None:
    converted, content_type = run(fixture_server, SELECT, fmt, method)
    if fmt == JSON:
        assert content_type.startswith("application/sparql-results+json")
        assert [b["member"]["value"] for b in converted["results"]["bindings"]] == MEMBERS
    elif fmt == XML:
        assert content_type.startswith("application/sparql-results+xml")
        assert xml_values(converted, "uri") == MEMBERS
    elif fmt == CSV:
        assert content_type.startswith("text/csv")
        rows = list(csv.reader(io.StringIO(converted.decode("utf-8"))))
        assert rows == [["member"], *([m] for m in MEMBERS)]
    else:
        assert content_type.startswith("text/tab-separated-values")
        assert converted.decode("utf-8").split("\n") == ["?member", *(f"<{m}>" for m in MEMBERS), ""]


@pytest.mark.parametrize("method", METHODS, ids=METHOD_IDS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_ask_every_format(fixture_server: LiveServer, fmt: str, method: tuple[str, str]) -> None:
    converted, _ = run(fixture_server, ASK, fmt, method)
    if fmt == JSON:
        assert converted["boolean"] is True
    elif fmt == XML:
        assert xml_values(converted, "boolean") == ["true"]
    else:
        assert converted.decode("utf-8").split()[-1] == "true"


# SPARQLWrapper 2.0 converts RDF/XML and JSON-LD into an rdflib ConjunctiveGraph, which rdflib 7.x
# deprecates; that warning is the client's, not the endpoint's.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", METHODS, ids=METHOD_IDS)
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["CONSTRUCT", "DESCRIBE"])
def test_graph_every_format(fixture_server: LiveServer, query: str, fmt: str,
                            method: tuple[str, str]) -> None:
    converted, content_type = run(fixture_server, query, fmt, method)
    if isinstance(converted, bytes):  # Turtle and N3 come back as text
        graph = rdflib.Graph().parse(data=converted, format="n3" if fmt == N3 else "turtle")
    else:
        graph = converted
    assert isinstance(graph, rdflib.Graph)
    expected = {"turtle": "text/turtle", "n3": "text/n3", "rdf+xml": "application/rdf+xml",
                "xml": "application/rdf+xml", "json-ld": "application/ld+json"}[fmt]
    assert content_type.startswith(expected)
    if query == CONSTRUCT:
        members = sorted(str(o) for o in graph.objects(rdflib.URIRef(EX + "alliance"),
                                                        rdflib.URIRef(EX + "hasMember")))
        assert members == MEMBERS
    else:
        assert (rdflib.URIRef(EX + "tnla"), rdflib.RDF.type, rdflib.URIRef(EX + "Actor")) in graph


def test_entailment_as_a_sparqlwrapper_parameter(fixture_server: LiveServer) -> None:
    converted, _ = run(fixture_server, ASK, JSON, (GET, URLENCODED), {"entailment": "simple"})
    assert converted["boolean"] is False


def test_sparqlwrapper_query_error(fixture_server: LiveServer) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed, match="line 1"):
        run(fixture_server, "SELECT * WHERE {", JSON, (GET, URLENCODED))


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("returnFormat", ["xml", "json"])
def test_rdflib_sparqlstore(fixture_server: LiveServer, method: str, returnFormat: str) -> None:  # noqa: N803
    store = SPARQLStore(fixture_server.endpoint, method=method, returnFormat=returnFormat)
    graph = rdflib.Graph(store=store)
    try:
        rows = graph.query(SELECT)
        assert [str(row.member) for row in rows] == MEMBERS
        assert graph.query(ASK).askAnswer is True
        tnla = rdflib.URIRef(EX + "tnla")
        assert (tnla, rdflib.RDF.type, rdflib.URIRef(EX + "Actor")) in graph
        labels = set(graph.objects(tnla, rdflib.RDFS.label))
        assert labels == {rdflib.Literal("Ta'ang National Liberation Army", lang="en")}
    finally:
        store.close()
