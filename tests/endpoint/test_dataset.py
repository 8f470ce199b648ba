"""The dataset a query sees: a set of triples, the graphs it names, and what the headers say.

The server reads a ``--data`` folder whose two files share a triple, next to hidden files and
folders and JSON files that are not JSON-LD, plus a ``.json`` file named explicitly, plus the
endpoint test fixtures (which have OWL 2 RL inferences).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import rdflib
from live_server import DATA, EX, LiveServer, Reply, start_server, stop_server

GRAPH = "https://w3id.org/conflict-graph/graph/"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SHARED = "<http://ex/a> <http://ex/b> <http://ex/c> .\n"
ASK_ACTOR = f"PREFIX ex: <{EX}> ASK {{ ex:tnla a ex:Actor }}"


@pytest.fixture(scope="module")
def data_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("dataset")
    user = folder / "user"
    (user / ".git").mkdir(parents=True)
    (user / ".hidden").mkdir()
    (user / "a.ttl").write_text(SHARED + '<http://ex/a> <http://ex/only-a> "1" .\n', encoding="utf-8")
    (user / "b.nt").write_text(SHARED, encoding="utf-8")
    (user / ".git" / "x.ttl").write_text('<http://ex/git> <http://ex/p> "hidden" .\n', encoding="utf-8")
    (user / ".hidden" / "y.ttl").write_text('<http://ex/hidden> <http://ex/p> "hidden" .\n', encoding="utf-8")
    (user / ".secret.ttl").write_text('<http://ex/secret> <http://ex/p> "hidden" .\n', encoding="utf-8")
    (user / "tsconfig.json").write_text('{\n  // not JSON, let alone JSON-LD\n  "strict": true\n}\n',
                                        encoding="utf-8")
    (user / "package.json").write_text('{"name": "not-rdf", "@id": "http://ex/package"}\n', encoding="utf-8")
    explicit = folder / "explicit.json"
    explicit.write_text('{"@id": "http://ex/json", "http://ex/p": "from json"}\n', encoding="utf-8")
    server = start_server(["--no-default-data", "--data", str(DATA), "--data", str(user),
                           "--data", str(explicit)], folder / "cache")
    yield server
    stop_server(server.process)


def get(server: LiveServer, **params: str | list[str]) -> Reply:
    return server.get("/sparql?" + urlencode(params, doseq=True))


def values(reply: Reply, name: str) -> list[str]:
    assert reply.status == 200, reply.text
    return [row[name]["value"] for row in json.loads(reply.body)["results"]["bindings"] if name in row]


def count(server: LiveServer, query: str, **params: str | list[str]) -> int:
    return int(values(get(server, query=query, **params), "n")[0])


# --- the default graph is a set (an RDF merge) ------------------------------------------------------

@pytest.mark.parametrize("entailment", ["owl-rl", "simple"])
def test_a_triple_in_two_files_is_answered_once(data_server: LiveServer, entailment: str) -> None:
    found = values(get(data_server, query="SELECT ?s { ?s <http://ex/b> ?o }", entailment=entailment), "s")
    assert found == ["http://ex/a"]
    assert count(data_server, "SELECT (COUNT(*) AS ?n) { ?s <http://ex/b> ?o }", entailment=entailment) == 1
    every = count(data_server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", entailment=entailment)
    distinct = count(data_server, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                     entailment=entailment)
    assert every == distinct


@pytest.mark.parametrize("graph", ["asserted", "all"])
def test_virtual_graphs_are_sets_too(data_server: LiveServer, graph: str) -> None:
    in_from = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}{graph}> {{ ?s <http://ex/b> ?o }}"
    assert count(data_server, in_from) == 1
    protocol = "SELECT (COUNT(*) AS ?n) { ?s <http://ex/b> ?o }"
    assert count(data_server, protocol, **{"default-graph-uri": GRAPH + graph}) == 1


@pytest.mark.parametrize("graph", ["asserted", "all"])
def test_a_real_graph_beside_a_virtual_one_is_not_counted_twice(data_server: LiveServer, graph: str) -> None:
    """SPARQL 1.1 Query §13.2: the default graph is the merge of the FROM graphs, a set."""
    files = values(get(data_server, query="SELECT DISTINCT ?g { GRAPH ?g { ?s <http://ex/b> ?o } }"), "g")
    for source in files:
        in_from = f"SELECT (COUNT(*) AS ?n) FROM <{source}> FROM <{GRAPH}{graph}> {{ ?s <http://ex/b> ?o }}"
        assert count(data_server, in_from) == 1
        protocol = "SELECT (COUNT(*) AS ?n) { ?s <http://ex/b> ?o }"
        assert count(data_server, protocol, **{"default-graph-uri": [source, GRAPH + graph]}) == 1


def test_each_file_still_has_its_own_graph(data_server: LiveServer) -> None:
    graphs = values(get(data_server, query="SELECT ?g { GRAPH ?g { ?s <http://ex/b> ?o } } ORDER BY ?g"), "g")
    assert len(graphs) == 2 and all(g.startswith("file:") for g in graphs)
    every = values(get(data_server, query="SELECT DISTINCT ?g { GRAPH ?g { } }"), "g")
    assert GRAPH + "asserted" not in every and GRAPH + "all" not in every


def test_void_counts_are_those_of_the_merge(data_server: LiveServer) -> None:
    description = rdflib.Graph().parse(data=data_server.get("/sparql").body, format="turtle")
    default = next(description.objects(None, SD.defaultGraph))
    triples = int(description.value(default, rdflib.namespace.VOID.triples))  # type: ignore[arg-type]
    assert triples == count(data_server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")


# --- which files a --data folder contributes --------------------------------------------------------

@pytest.mark.parametrize("subject", ["git", "hidden", "secret", "package"])
def test_hidden_files_and_plain_json_in_a_folder_are_skipped(data_server: LiveServer, subject: str) -> None:
    reply = get(data_server, query=f"ASK {{ <http://ex/{subject}> ?p ?o }}")
    assert reply.status == 200 and json.loads(reply.body)["boolean"] is False


def test_a_json_file_named_explicitly_is_read_as_json_ld(data_server: LiveServer) -> None:
    reply = get(data_server, query='ASK { <http://ex/json> <http://ex/p> "from json" }')
    assert json.loads(reply.body)["boolean"] is True


# --- FROM and FROM NAMED are read as pyoxigraph reads them -------------------------------------------

def test_a_relative_from_resolves_against_the_endpoint(data_server: LiveServer) -> None:
    assert count(data_server, "SELECT (COUNT(*) AS ?n) FROM <nothing> { ?s ?p ?o }") == 0
    assert count(data_server, "SELECT (COUNT(*) AS ?n) FROM NAMED <nothing> { GRAPH ?g { ?s ?p ?o } }") == 0


def test_escapes_in_from_are_unescaped(data_server: LiveServer) -> None:
    plain = count(data_server, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/graph/actors> { ?s ?p ?o }")
    escaped = count(data_server, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/graph/\\u0061ctors> "
                                 "{ ?s ?p ?o }")
    assert escaped == plain > 0
    named = ("SELECT (COUNT(*) AS ?n) FROM NAMED <http://example.org/graph/\\u0061ctors> "
             "{ GRAPH <http://example.org/graph/actors> { ?s ?p ?o } }")
    assert count(data_server, named) == plain


# --- Conflict-Graph-Entailment tells what answered ----------------------------------------------------

@pytest.mark.parametrize(("params", "header", "answer"), [
    ({}, "owl-rl", True),
    ({"entailment": "simple"}, "simple", False),
    ({"entailment": "http://www.w3.org/ns/entailment/Simple"}, "simple", False),
    ({"entailment": "http://www.w3.org/ns/entailment/OWL-RDF-Based"}, "owl-rl", True),
    ({"entailment": "simple", "default-graph-uri": GRAPH + "all"}, "named-graphs", True),
    ({"entailment": "owl-rl", "default-graph-uri": GRAPH + "asserted"}, "named-graphs", False),
])
def test_the_entailment_header_reports_what_answered(data_server: LiveServer, params: dict[str, str],
                                                     header: str, answer: bool) -> None:
    reply = get(data_server, query=ASK_ACTOR, **params)
    assert reply.status == 200, reply.text
    assert json.loads(reply.body)["boolean"] is answer
    assert reply.headers["Conflict-Graph-Entailment"] == header


def test_a_query_naming_its_graphs_reports_named_graphs(data_server: LiveServer) -> None:
    query = f"PREFIX ex: <{EX}> ASK FROM <{GRAPH}all> {{ ex:tnla a ex:Actor }}"
    reply = get(data_server, query=query, entailment="simple")
    assert json.loads(reply.body)["boolean"] is True
    assert reply.headers["Conflict-Graph-Entailment"] == "named-graphs"


def test_too_many_graph_parameters_are_a_400(data_server: LiveServer) -> None:
    graphs = [f"http://example.org/g{i}" for i in range(101)]
    reply = get(data_server, query="ASK {}", **{"default-graph-uri": graphs})
    assert reply.status == 400 and "at most 100" in reply.text
    assert get(data_server, query="ASK {}", **{"named-graph-uri": graphs[:100]}).status == 200
