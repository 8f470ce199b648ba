"""The query API in process (Flask test client, real engine and workers) on queries of its own:
integer and string parameters end to end, ASK and CONSTRUCT named queries, and the records format."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from conflict_graph.query.engine import QueryService
from conflict_graph.web import create_app

QUERIES = {
    "double": '# title: Twice a number\n# param: n integer "A number" default=1\n'
    "SELECT ?n ?double WHERE { BIND (COALESCE(?n, 1) * 2 AS ?double) }\n",
    "length": '# title: Length of a text\n# param: text string "Any text"\n'
    "SELECT ?text ?length WHERE { BIND (STRLEN(?text) AS ?length) }\n",
    "anything": "# title: Is there a triple?\nASK { ?s ?p ?o }\n",
    "graph": "# title: One triple\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1\n",
}


@pytest.fixture(scope="module")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api-queries")
    for name, text in QUERIES.items():
        (folder / f"{name}.rq").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def client(engine: QueryService, queries_dir: Path) -> FlaskClient:
    return create_app({"TESTING": True, "QUERIES_DIR": str(queries_dir)}, engine=engine).test_client()


def test_an_integer_parameter(client: FlaskClient) -> None:
    reply = client.get("/api/queries/double", query_string={"n": "21", "format": "records"})
    assert reply.status_code == 200 and reply.json == [{"n": 21, "double": 42}]
    assert client.get("/api/queries/double", query_string={"format": "records"}).json == [
        {"n": 1, "double": 2}
    ]
    bad = client.get("/api/queries/double", query_string={"n": "2.5"})
    assert bad.status_code == 400 and b"parameter 'n' must be an integer" in bad.data


def test_a_string_is_a_value_whatever_it_contains(client: FlaskClient) -> None:
    text = '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o #'
    reply = client.get("/api/queries/length", query_string={"text": text, "format": "records"})
    assert reply.status_code == 200 and reply.json == [{"text": text, "length": len(text)}]


def test_a_required_parameter(client: FlaskClient) -> None:
    reply = client.get("/api/queries/length", headers={"Accept": "application/json"})
    assert reply.status_code == 400
    assert reply.json is not None and "parameter 'text' (string) is required" in reply.json["error"]


def test_ask_in_every_results_format(client: FlaskClient) -> None:
    assert client.get("/api/queries/anything").json == {"head": {}, "boolean": True}
    assert client.get("/api/queries/anything", query_string={"format": "records"}).json == [{"boolean": True}]
    csv = client.get("/api/queries/anything", query_string={"format": "csv"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv"


def test_construct_answers_rdf_and_refuses_records(client: FlaskClient) -> None:
    reply = client.get("/api/queries/graph")
    assert reply.status_code == 200 and reply.mimetype == "text/turtle"
    refused = client.get("/api/queries/graph", query_string={"format": "records"})
    assert refused.status_code == 400
    assert b"format=records is for SELECT and ASK queries; 'graph' answers with a graph" in refused.data


@pytest.mark.parametrize(("query", "fmt", "mimetype"), [
    ("graph", "turtle", "text/turtle"),
    ("graph", "application/n-triples", "application/n-triples"),
    ("anything", "JSON", "application/sparql-results+json"),
    ("anything", "text/csv", "text/csv"),
    ("anything", "RECORDS", "application/json"),
])
def test_format_takes_a_name_or_a_media_type_of_the_querys_answers(client: FlaskClient, query: str, fmt: str,
                                                                     mimetype: str) -> None:
    reply = client.get(f"/api/queries/{query}", query_string={"format": fmt})
    assert reply.status_code == 200 and reply.mimetype == mimetype


@pytest.mark.parametrize(("query", "fmt", "expected"), [
    ("graph", "csv", "format 'csv' is not a format of this query's answers ('graph' answers with a graph); "
                     "give one of turtle, "),
    ("anything", "turtle", "format 'turtle' is not a format of this query's answers ('anything' answers "
                           "with a table of results); give one of json, xml, csv, tsv, records"),
])
def test_a_format_of_the_other_kind_of_answer_is_refused(client: FlaskClient, query: str, fmt: str,
                                                          expected: str) -> None:
    reply = client.get(f"/api/queries/{query}", query_string={"format": fmt},
                       headers={"Accept": "application/json"})
    assert reply.status_code == 400
    assert reply.json is not None and expected in reply.json["error"]
