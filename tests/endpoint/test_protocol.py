"""The SPARQL 1.1 Protocol over raw HTTP, against a live server on the test fixture data."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
import rdflib
from live_server import EX, LiveServer, Reply

PREFIX = f"PREFIX ex: <{EX}>\n"
ASK_ACTOR = PREFIX + "ASK { ex:tnla a ex:Actor }"
MEMBERS = PREFIX + "SELECT ?member WHERE { ex:alliance ex:hasMember ?member } ORDER BY ?member"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


def get(server: LiveServer, headers: dict[str, str] | None = None, **params: str | list[str]) -> Reply:
    return server.get("/sparql?" + urlencode(params, doseq=True), headers=headers)


def boolean(reply: Reply) -> bool:
    assert reply.status == 200, reply.text
    return bool(json.loads(reply.body)["boolean"])


def bindings(reply: Reply, name: str) -> list[str]:
    assert reply.status == 200, reply.text
    return [row[name]["value"] for row in json.loads(reply.body)["results"]["bindings"]]


# --- the three ways to send a query ------------------------------------------------------------------

def test_get(fixture_server: LiveServer) -> None:
    assert boolean(get(fixture_server, query=ASK_ACTOR)) is True


def test_form_post(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("POST", "/sparql", urlencode({"query": ASK_ACTOR}), FORM)
    assert boolean(reply) is True


def test_direct_post(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("POST", "/sparql", ASK_ACTOR, DIRECT)
    assert boolean(reply) is True


def test_form_post_takes_parameters_from_the_url_too(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("POST", "/sparql?entailment=simple", urlencode({"query": ASK_ACTOR}), FORM)
    assert boolean(reply) is False


# --- entailment -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("entailment", "expected"), [("owl-rl", True), ("simple", False), ("none", False)])
def test_entailment_parameter_changes_the_answer(fixture_server: LiveServer, entailment: str,
                                                 expected: bool) -> None:
    reply = get(fixture_server, query=ASK_ACTOR, entailment=entailment)
    assert boolean(reply) is expected
    assert reply.headers["Conflict-Graph-Entailment"] == ("owl-rl" if expected else "simple")


def test_default_entailment_is_owl_rl(fixture_server: LiveServer) -> None:
    assert bindings(get(fixture_server, query=MEMBERS), "member") == [EX + "mndaa", EX + "tnla"]
    assert bindings(get(fixture_server, query=MEMBERS, entailment="simple"), "member") == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [("asserted", False), ("inferred", True), ("all", True)],
)
def test_entailment_by_named_graph(fixture_server: LiveServer, graph: str, expected: bool) -> None:
    iri = f"https://w3id.org/conflict-graph/graph/{graph}"
    in_from = PREFIX + f"ASK FROM <{iri}> {{ ex:tnla a ex:Actor }}"
    assert boolean(get(fixture_server, query=in_from)) is expected
    by_protocol = get(fixture_server, query=ASK_ACTOR, **{"default-graph-uri": iri})
    assert boolean(by_protocol) is expected
    # as a named graph, a virtual graph stands for its member graphs
    in_graph = PREFIX + "ASK { GRAPH ?g { ex:tnla a ex:Actor } }"
    assert boolean(get(fixture_server, query=in_graph, **{"named-graph-uri": iri})) is expected


def test_transitive_closure_only_with_owl_rl(fixture_server: LiveServer) -> None:
    query = PREFIX + "ASK { ex:lashio ex:locatedIn ex:myanmar }"
    assert boolean(get(fixture_server, query=query)) is True
    assert boolean(get(fixture_server, query=query, entailment="simple")) is False


@pytest.mark.parametrize("value", ["rdfs", "OWL", ""])
def test_unknown_entailment_is_a_400(fixture_server: LiveServer, value: str) -> None:
    reply = get(fixture_server, query=ASK_ACTOR, entailment=value)
    assert reply.status == 400
    assert "entailment" in reply.text


def test_conflicting_entailments_are_a_400(fixture_server: LiveServer) -> None:
    assert get(fixture_server, query=ASK_ACTOR, entailment=["simple", "owl-rl"]).status == 400


# --- protocol dataset -------------------------------------------------------------------------------

def test_protocol_dataset_overrides_from(fixture_server: LiveServer) -> None:
    query = PREFIX + ("SELECT DISTINCT ?g FROM NAMED <http://example.org/graph/places> "
                      "WHERE { GRAPH ?g { ex:tnla ?p ?o } }")
    assert bindings(get(fixture_server, query=query), "g") == []
    protocol = get(fixture_server, query=query, **{"named-graph-uri": "http://example.org/graph/actors"})
    assert bindings(protocol, "g") == ["http://example.org/graph/actors"]


def test_remote_graph_is_empty_never_fetched(fixture_server: LiveServer) -> None:
    query = "ASK FROM <http://127.0.0.1:9/never-fetched.ttl> { ?s ?p ?o }"
    assert boolean(get(fixture_server, query=query)) is False
    assert boolean(get(fixture_server, query="ASK { ?s ?p ?o }",
                       **{"default-graph-uri": "http://127.0.0.1:9/x.ttl"})) is False


# --- formats ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("accept", "content_type", "parser"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("text/csv;q=0.1, application/sparql-results+xml;q=0.9", "application/sparql-results+xml",
         ox.QueryResultsFormat.XML),
    ],
)
def test_select_formats(fixture_server: LiveServer, accept: str, content_type: str,
                        parser: ox.QueryResultsFormat) -> None:
    reply = get(fixture_server, {"Accept": accept}, query=MEMBERS)
    assert reply.status == 200, reply.text
    assert reply.content_type == content_type
    assert reply.headers["Vary"] == "Accept"
    if parser == ox.QueryResultsFormat.CSV:  # lossy: pyoxigraph will not parse it
        assert reply.text.split("\r\n") == ["member", EX + "mndaa", EX + "tnla", ""]
        return
    rows = [solution["member"].value for solution in ox.parse_query_results(reply.body, parser)]
    assert rows == [EX + "mndaa", EX + "tnla"]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
     ("application/rdf+xml", "xml"), ("application/trig", "trig"), ("application/n-quads", "nquads"),
     ("text/n3", "n3")],
)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_graph_formats(fixture_server: LiveServer, accept: str, rdflib_format: str, form: str) -> None:
    query = (PREFIX + "CONSTRUCT { ?g ex:hasMember ?m } WHERE { ?g ex:hasMember ?m }" if form == "CONSTRUCT"
             else PREFIX + "DESCRIBE ex:tnla")
    reply = get(fixture_server, {"Accept": accept}, query=query)
    assert reply.status == 200, reply.text
    assert reply.content_type == accept
    graph = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=reply.body, format=rdflib_format)
    members = set(graph.objects(rdflib.URIRef(EX + "alliance"), rdflib.URIRef(EX + "hasMember")))
    if form == "CONSTRUCT":
        assert members == {rdflib.URIRef(EX + "tnla"), rdflib.URIRef(EX + "mndaa")}
    else:
        assert (rdflib.URIRef(EX + "tnla"), rdflib.RDF.type, rdflib.URIRef(EX + "Actor")) in graph


@pytest.mark.parametrize(("param", "value", "content_type"), [
    ("format", "csv", "text/csv"), ("output", "tsv", "text/tab-separated-values"),
    ("results", "xml", "application/sparql-results+xml"), ("format", "application/sparql-results+json",
                                                           "application/sparql-results+json"),
])
def test_format_parameters(fixture_server: LiveServer, param: str, value: str, content_type: str) -> None:
    reply = get(fixture_server, {"Accept": "*/*"}, query=MEMBERS, **{param: value})
    assert reply.content_type == content_type


def test_ask_in_every_results_format(fixture_server: LiveServer) -> None:
    for accept, expected in [("application/sparql-results+xml", b"<boolean>true</boolean>"),
                             ("text/csv", b"_askResult\r\ntrue\r\n"),
                             ("text/tab-separated-values", b"?_askResult\ntrue\n")]:
        reply = get(fixture_server, {"Accept": accept}, query=ASK_ACTOR)
        assert reply.status == 200 and expected in reply.body


def test_406_when_nothing_acceptable(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, {"Accept": "text/turtle"}, query=MEMBERS)
    assert reply.status == 406
    assert "application/sparql-results+json" in reply.text
    assert get(fixture_server, {"Accept": "text/csv"}, query=PREFIX + "DESCRIBE ex:tnla").status == 406


# --- errors -----------------------------------------------------------------------------------------

def test_syntax_error_names_line_and_column(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, query="SELECT * WHERE {\n  ?s ?p ?o\n  FILTER(\n}")
    assert reply.status == 400
    assert reply.content_type == "text/plain"
    assert "line 4, column " in reply.text


def test_errors_are_json_for_json_clients(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, {"Accept": "application/sparql-results+json"}, query="ASK {")
    assert reply.status == 400
    body = reply.json()
    assert body == {"ok": False, "status": 400, "title": "Bad Request", "error": body["error"]}  # type: ignore[index]
    assert "line 1" in body["error"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400),
        ("GET", "/sparql?query=ASK%7B%7D&update=CLEAR%20ALL", None, {}, 400),
        ("GET", "/sparql?query=", None, {}, 400),
        ("GET", "/sparql?query=%FF%FE", None, {}, 400),
        ("POST", "/sparql", "query=%FF", FORM, 400),
        ("POST", "/sparql", b"\xff\xfeA\x00S\x00K\x00", DIRECT, 400),
        ("POST", "/sparql", "ASK {}".encode("utf-16"),
         {"Content-Type": "application/sparql-query; charset=UTF-16"}, 415),
        ("POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"}, 415),
        ("POST", "/sparql", "ASK {}", {}, 415),
        ("POST", "/sparql?query=ASK%7B%7D", "ASK {}", DIRECT, 400),
        ("POST", "/sparql", "", FORM, 400),
        ("PUT", "/sparql?query=ASK%7B%7D", None, {}, 405),
        ("DELETE", "/sparql", None, {}, 405),
        ("GET", "/sparql?update=CLEAR%20ALL", None, {}, 403),
        ("POST", "/sparql", "update=CLEAR+ALL", FORM, 403),
        ("POST", "/sparql", "CLEAR ALL", {"Content-Type": "application/sparql-update"}, 403),
        ("POST", "/sparql", "LOAD <http://example.org/x.ttl>", DIRECT, 403),
        ("GET", "/sparql?" + urlencode({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
         None, {}, 403),
        ("GET", "/sparql?" + urlencode({"query": "SELECT * { SERVICE ?x { ?s ?p ?o } }"}), None, {}, 403),
        ("GET", "/nowhere", None, {}, 404),
        ("GET", "/sparql?" + urlencode({"query": "ASK {" + "{" * 5000 + "}" * 5000 + "}"}), None, {}, 400),
    ],
)
def test_bad_requests_are_4xx_with_a_message(fixture_server: LiveServer, method: str, path: str,
                                             body: str | bytes | None, headers: dict[str, str],
                                             status: int) -> None:
    reply = fixture_server.request(method, path, body, headers)
    assert reply.status == status, reply.text
    assert reply.text.startswith(f"{status} ")
    assert len(reply.text.strip()) > len(f"{status} Bad Request: ")


def test_405_lists_allowed_methods(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("PATCH", "/sparql")
    assert reply.status == 405
    assert {"GET", "POST"} <= {m.strip() for m in reply.headers["Allow"].split(",")}


# --- HEAD, OPTIONS, CORS, caching -------------------------------------------------------------------

def test_head(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("HEAD", "/sparql?" + urlencode({"query": MEMBERS}))
    assert reply.status == 200 and reply.body == b""
    assert reply.content_type == "application/sparql-results+json"
    assert reply.headers["ETag"]


def test_options_and_cors_preflight(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("OPTIONS", "/sparql", headers={
        "Origin": "https://example.net", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert reply.status == 200
    assert {"GET", "POST", "OPTIONS"} <= {m.strip() for m in reply.headers["Allow"].split(",")}
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]
    assert reply.headers["Access-Control-Allow-Headers"] == "content-type"


def test_cors_on_results_exposes_the_provenance_headers(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, {"Origin": "https://example.net"}, query=ASK_ACTOR)
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    exposed = reply.headers["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "Conflict-Graph-Data-Version" in exposed


def test_etag_and_conditional_get(fixture_server: LiveServer) -> None:
    first = get(fixture_server, query=MEMBERS)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert get(fixture_server, query=MEMBERS).headers["ETag"] == etag
    assert get(fixture_server, query=MEMBERS, entailment="simple").headers["ETag"] != etag
    assert get(fixture_server, {"Accept": "text/csv"}, query=MEMBERS).headers["ETag"] != etag
    again = get(fixture_server, {"If-None-Match": etag}, query=MEMBERS)
    assert again.status == 304 and again.body == b""
    assert again.headers["ETag"] == etag


def test_if_none_match_is_checked_after_the_query_parses(fixture_server: LiveServer) -> None:
    for tag in ("*", get(fixture_server, query=MEMBERS).headers["ETag"]):
        reply = get(fixture_server, {"If-None-Match": tag}, query=MEMBERS.replace("WHERE {", "WHERE {{"))
        assert reply.status == 400, reply.text
    assert get(fixture_server, {"If-None-Match": "*"}, query=MEMBERS).status == 304


def test_if_none_match_on_a_post_is_a_412(fixture_server: LiveServer) -> None:
    etag = get(fixture_server, query=MEMBERS).headers["ETag"]
    reply = fixture_server.request("POST", "/sparql", urlencode({"query": MEMBERS}),
                                   {**FORM, "If-None-Match": etag})
    assert reply.status == 412, reply.text
    assert "RFC 9110" in reply.text
    fresh = fixture_server.request("POST", "/sparql", MEMBERS, {**DIRECT, "If-None-Match": '"other"'})
    assert fresh.status == 200
    malformed = fixture_server.request("POST", "/sparql", "ASK {", {**DIRECT, "If-None-Match": "*"})
    assert malformed.status == 400


def test_an_undeclared_prefix_is_named(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, query="SELECT * WHERE { ?s b:p ?o }")
    assert reply.status == 400
    assert "line 1, column " in reply.text
    assert "prefix b: is not declared" in reply.text


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
     "LIMIT takes a non-negative integer that fits in 64 bits"),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999",
     "OFFSET takes a non-negative integer that fits in 64 bits"),
    ("SELECT * WHERE { <http://ex/a b> ?p ?o }", "an IRI in <…> is malformed"),
])
def test_parser_errors_are_worded_for_a_reader(fixture_server: LiveServer, query: str, message: str) -> None:
    reply = get(fixture_server, query=query)
    assert reply.status == 400
    assert message in reply.text
    assert "expected one of The" not in reply.text and "not declared" not in reply.text


@pytest.mark.parametrize(("method", "path", "status"), [("GET", "/nowhere", 404), ("PUT", "/sparql", 405),
                                                        ("GET", "/sparql?query=ASK%20%7B", 400)])
def test_errors_carry_cors_headers(fixture_server: LiveServer, method: str, path: str, status: int) -> None:
    reply = fixture_server.request(method, path, headers={"Origin": "https://example.net"})
    assert reply.status == status
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_the_query_page_has_no_cors_headers(fixture_server: LiveServer) -> None:
    reply = fixture_server.request("GET", "/query", headers={"Origin": "https://example.net"})
    assert reply.status == 200 and "Access-Control-Allow-Origin" not in reply.headers


def test_provenance_headers(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, query=MEMBERS)
    health = fixture_server.health()
    version = reply.headers["Conflict-Graph-Data-Version"]
    assert version == health["data_version"]
    assert f"/dataset/{version}>" in reply.headers["Link"]
    assert reply.headers["Conflict-Graph-Rows"] == "2"
    assert reply.headers["Conflict-Graph-Truncated"] == "false"


def test_relative_iris_resolve_against_the_endpoint(fixture_server: LiveServer) -> None:
    reply = get(fixture_server, {"Accept": "application/n-triples"},
                query="CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert reply.status == 200
    assert reply.text.startswith(f"<{fixture_server.root}/s> <{fixture_server.root}/p> ")


# --- limits -----------------------------------------------------------------------------------------

def test_row_cap_cuts_and_says_so(fixture_server: LiveServer) -> None:
    pairs = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }"  # well over 50 rows; the fixture server caps at 50
    reply = get(fixture_server, query=pairs)
    assert reply.headers["Conflict-Graph-Truncated"] == "true"
    assert reply.headers["Conflict-Graph-Row-Limit"] == "50"
    assert len(json.loads(reply.body)["results"]["bindings"]) == 50
    graph = get(fixture_server, {"Accept": "application/n-triples"},
                query="CONSTRUCT { ?s ?p ?c } WHERE { ?s ?p ?o . ?a ?b ?c }")
    assert graph.headers["Conflict-Graph-Truncated"] == "true"
    assert len(graph.text.strip().splitlines()) == 50


def test_query_size_limit_is_413(fixture_server: LiveServer) -> None:
    long_query = "ASK {}" + " " * 70_000
    assert fixture_server.request("POST", "/sparql", long_query, DIRECT).status == 413
    assert fixture_server.request("POST", "/sparql", urlencode({"query": long_query}), FORM).status == 413
    assert fixture_server.get("/sparql?query=" + quote(long_query)).status == 413


# --- health -----------------------------------------------------------------------------------------

def test_health(fixture_server: LiveServer) -> None:
    reply = fixture_server.get("/health")
    assert reply.status == 200 and reply.content_type == "application/json"
    health = reply.json()
    assert health["status"] == "ok"  # type: ignore[index]
    assert health["workers"]["size"] == 2  # type: ignore[index]
    assert health["workers"]["spare"] == 3  # room for two long queries moved aside, and one spare
    assert health["workers"]["alive"] == 5  # type: ignore[index]
    assert health["triples"] > 0  # type: ignore[index,operator]


def test_long_operator_chains_do_not_kill_a_worker(fixture_server: LiveServer) -> None:
    """pyoxigraph recurses per operator: the workers give it a deep stack, so this is a plain answer."""
    restarts = fixture_server.health()["workers"]["restarts"]  # type: ignore[index]
    chain = "SELECT (" + " + ".join(["1"] * 5000) + " AS ?n) {}"
    reply = get(fixture_server, query=chain)
    assert reply.status == 200, reply.text
    assert bindings(reply, "n") == ["5000"]
    assert fixture_server.health()["workers"]["restarts"] == restarts  # type: ignore[index]
