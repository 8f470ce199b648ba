"""The application factory in process: one engine shared by cheap apps, the error table, the UI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from conflict_graph import errors
from conflict_graph.query.admission import ServerBusy, TooManyQueries
from conflict_graph.query.engine import QueryService
from conflict_graph.query.service_check import ServiceFailed
from conflict_graph.web import create_app
from conflict_graph.web.errors import PreconditionFailed, ProtocolError, UnsupportedMediaType, status_for
from conflict_graph.query.workers import WorkerLost


@pytest.fixture
def client(engine: QueryService) -> FlaskClient:
    return create_app({"TESTING": True, "max_rows": 3}, engine=engine).test_client()


def test_one_engine_many_apps(engine: QueryService) -> None:
    first = create_app({"TESTING": True}, engine=engine)
    second = create_app({"TESTING": True, "cors_origins": ()}, engine=engine)
    assert first.extensions["conflict_graph"] is second.extensions["conflict_graph"] is engine
    assert second.config["CONFLICT_GRAPH"]["cors_origins"] == ()
    reply = second.test_client().get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://x"})
    assert reply.status_code == 200 and "Access-Control-Allow-Origin" not in reply.headers


def test_query_in_process(client: FlaskClient) -> None:
    reply = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert reply.status_code == 200
    assert reply.json == {"head": {}, "boolean": True}


def test_query_page_is_registered(client: FlaskClient) -> None:
    rules = {rule.rule: rule.endpoint for rule in client.application.url_map.iter_rules()}
    assert rules["/query"] == "ui.index"
    assert rules["/"] == "pages.landing"
    assert rules["/sparql"].startswith("sparql.")


def test_a_bug_is_a_logged_500(client: FlaskClient, engine: QueryService, monkeypatch: pytest.MonkeyPatch,
                               caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "prepare", broken)
    reply = client.get("/sparql", query_string={"query": "ASK {}"})
    assert reply.status_code == 500
    assert "boom" not in reply.get_data(as_text=True)
    assert any("boom" in (r.exc_text or "") for r in caplog.records)


@pytest.mark.parametrize(("error", "status"), [
    (errors.QuerySyntaxError("x"), 400), (errors.QueryRefused("x"), 403), (errors.NotAcceptable("x"), 406),
    (errors.QueryTooLarge("x"), 413), (UnsupportedMediaType("x"), 415), (errors.QueryTimeout("x"), 503),
    (WorkerLost("x"), 503), (ProtocolError("x"), 400), (errors.QueryError("x"), 400),
    (PreconditionFailed("x"), 412), (TooManyQueries("x"), 429), (ServiceFailed("x"), 502),
    (ServerBusy("x"), 503), (errors.QueryPreempted("x"), 503),
    (errors.DataLoadError("x"), 500), (errors.ReasoningError("x"), 500),
])
def test_status_table(error: errors.ConflictGraphError, status: int) -> None:
    assert status_for(error) == status


def test_a_new_host_costs_no_new_service_description(engine: QueryService) -> None:
    app = create_app({"TESTING": True}, engine=engine)
    client = app.test_client()
    for index in range(100):
        for accept in ("text/turtle", "application/ld+json"):
            reply = client.get("/sparql", headers={"Host": f"h{index}.example:{8000 + index}", "Accept": accept})
            assert reply.status_code == 200
            assert f"http://h{index}.example:{8000 + index}/sparql" in reply.get_data(as_text=True)
            assert "endpoint.invalid" not in reply.get_data(as_text=True)
    assert len(app.extensions["conflict_graph.description"]) == 2  # one per format, not per Host


@pytest.mark.parametrize("host", ['a"b', "a b", "<x>", "a/b", "h:port"])
def test_a_malformed_host_is_a_400(client: FlaskClient, host: str) -> None:
    reply = client.get("/sparql", headers={"Host": host})
    assert reply.status_code == 400 and "Host header" in reply.get_data(as_text=True)


def test_a_long_header_field_is_a_431_without_negotiation(client: FlaskClient) -> None:
    reply = client.get("/sparql", query_string={"query": "ASK {}"},
                       headers={"Accept": "application/json;q=0.1, " * 5000})
    assert reply.status_code == 431
    assert "Accept header is 120,000 bytes long" in reply.get_data(as_text=True)


def test_package_has_no_module_level_app() -> None:
    import conflict_graph.web as web

    assert not any(type(v).__name__ == "Flask" for v in vars(web).values())
    assert Path(web.__file__).name == "__init__.py"
