"""The lean path for plain queries answers exactly as the Flask view does.

Every request below is sent twice to a live server: as it is (a plain query: the lean path
answers it) and with an ``Origin`` header (Flask answers it, and adds its CORS headers). Status,
body and every other header must be the same. In process, the lean path's counter shows which
requests it answered and which it handed to Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

import pytest
from live_server import EX, LiveServer

from conflict_graph.query.engine import QueryService
from conflict_graph.web import create_app

MEMBERS = f"PREFIX ex: <{EX}> SELECT ?member WHERE {{ ex:alliance ex:hasMember ?member }} ORDER BY ?member"
CONSTRUCT = f"PREFIX ex: <{EX}> CONSTRUCT {{ ex:alliance ex:hasMember ?m }} WHERE {{ ex:alliance ex:hasMember ?m }}"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BODY = {"Content-Type": "application/sparql-query"}

CASES: dict[str, tuple[str, str, str | None, Mapping[str, str]]] = {
    "GET, JSON": ("GET", "/sparql?" + urlencode({"query": MEMBERS}), None,
                  {"Accept": "application/sparql-results+json"}),
    "GET, CSV by format": ("GET", "/sparql?" + urlencode({"query": MEMBERS, "format": "csv"}), None, {}),
    "GET, trailing slash, simple": ("GET", "/sparql/?" + urlencode({"query": MEMBERS, "entailment": "simple"}),
                                    None, {"Accept": "application/sparql-results+xml"}),
    "POST form, default graph": ("POST", "/sparql", urlencode({"query": MEMBERS,
                                                               "default-graph-uri": EX + "nowhere"}), FORM),
    "POST query body, CONSTRUCT": ("POST", "/sparql", CONSTRUCT, {**BODY, "Accept": "text/turtle"}),
    "syntax error": ("GET", "/sparql?query=" + quote("SELECT ?x WHERE { ?x"), None, {}),
    "syntax error, JSON error body": ("POST", "/sparql", "ASK {", {**BODY, "Accept": "application/json"}),
    "not acceptable": ("GET", "/sparql?" + urlencode({"query": MEMBERS}), None, {"Accept": "image/png"}),
    "query too large": ("POST", "/sparql", "ASK {} #" + "x" * 70_000, BODY),
    "two queries": ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}),
    "update": ("POST", "/sparql", urlencode({"update": "CLEAR ALL"}), FORM),
    "bad timeout": ("GET", "/sparql?" + urlencode({"query": "ASK {}", "timeout": "soon"}), None, {}),
    "unknown entailment": ("GET", "/sparql?" + urlencode({"query": "ASK {}", "entailment": "rdfs"}), None, {}),
    "not UTF-8": ("GET", "/sparql?query=%FF", None, {}),
    "charset": ("POST", "/sparql", "ASK {}", {"Content-Type": "application/sparql-query; charset=latin-1"}),
    "no content type": ("POST", "/sparql", "ASK {}", {}),
    "no query, POST": ("POST", "/sparql", urlencode({"format": "json"}), FORM),
    "service description": ("GET", "/sparql", None, {"Accept": "text/turtle"}),
    "long text checked in a worker": ("POST", "/sparql", "ASK { SERVICE <http://example.org/x> {} }"
                                      + " " * 9000, BODY),
}
_NOT_COMPARED = {"date", "access-control-allow-origin", "access-control-expose-headers"}


def _headers(reply: object) -> dict[str, str]:
    return {name.lower(): value for name, value in reply.headers.items()  # type: ignore[attr-defined]
            if name.lower() not in _NOT_COMPARED}


@pytest.mark.parametrize("case", CASES)
def test_the_lean_path_answers_as_flask_does(fixture_server: LiveServer, case: str) -> None:
    method, path, body, headers = CASES[case]
    lean = fixture_server.request(method, path, body, headers)
    flask = fixture_server.request(method, path, body, {**headers, "Origin": "http://other.example"})
    assert flask.headers.get("Access-Control-Allow-Origin") == "*"  # Flask's CORS hook answered it
    assert lean.headers.get("Access-Control-Allow-Origin") is None
    assert (lean.status, lean.body) == (flask.status, flask.body), case
    assert _headers(lean) == _headers(flask), case
    assert lean.status != 500


def test_the_etag_of_the_lean_path_revalidates_on_flask(fixture_server: LiveServer) -> None:
    path = "/sparql?" + urlencode({"query": MEMBERS})
    first = fixture_server.get(path)
    assert first.status == 200 and first.headers["ETag"]
    again = fixture_server.get(path, {"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert again.headers["Link"] == first.headers["Link"]


def test_only_plain_queries_take_the_lean_path(engine: QueryService) -> None:
    app = create_app({"TESTING": True}, engine=engine)
    client = app.test_client()
    lean = app.wsgi_app

    def answered(response_status: int, **request: object) -> int:
        before = lean.answered  # type: ignore[attr-defined]
        response = client.open(**request)  # type: ignore[arg-type]
        assert response.status_code == response_status, response.get_data(as_text=True)
        return lean.answered - before  # type: ignore[attr-defined,no-any-return]

    assert answered(200, path="/sparql", query_string={"query": MEMBERS}) == 1
    assert answered(200, path="/sparql", method="POST", data=MEMBERS, content_type="application/sparql-query") == 1
    assert answered(200, path="/sparql", query_string={"query": MEMBERS},
                    headers={"Origin": "http://other.example"}) == 0
    assert answered(200, path="/sparql", method="HEAD", query_string={"query": MEMBERS}) == 0
    assert answered(200, path="/sparql") == 0  # the service description
    assert answered(200, path="/health") == 0
    assert answered(431, path="/sparql", query_string={"query": MEMBERS}, headers={"Accept": "a" * 9000}) == 0
    assert answered(431, path="/sparql", method="POST", data=MEMBERS,
                    content_type="application/sparql-query; x=" + "a" * 9000) == 0
    # a form body read by the lean path, then handed on: Flask reads the same body
    assert answered(400, path="/sparql", method="POST", data={"format": "json"}) == 0


def test_a_request_sent_again_is_answered_as_the_first(fixture_server: LiveServer) -> None:
    """The lean path remembers requests it has read and queries it has prepared: the same bytes
    from another client, or with another ``Accept``, still get their own answer, and a request
    that failed fails again."""
    body = urlencode({"query": MEMBERS})
    answers = [fixture_server.request("POST", "/sparql", body, {**FORM, "Accept": accept}, source=source)
               for accept, source in [("text/csv", "127.0.0.80"), ("text/csv", "127.0.0.81"),
                                      ("application/sparql-results+json", "127.0.0.81")]]
    assert [a.status for a in answers] == [200, 200, 200]
    assert answers[0].body == answers[1].body and answers[0].body.startswith(b"member\r\n")
    assert answers[2].body.startswith(b"{") and answers[2].headers["Content-Type"].startswith(
        "application/sparql-results+json")
    for _ in range(2):
        failed = fixture_server.request("POST", "/sparql", "SELECT ?x WHERE { ?x", BODY)
        assert failed.status == 400 and b"syntax" in failed.body.lower()


def test_requests_and_prepared_queries_are_remembered_within_their_bounds(engine: QueryService) -> None:
    """The ``Host`` (up to 8 KB) is in the endpoint URL and the base IRI of every request
    remembered: it counts toward the bytes the two caches may hold."""
    from conflict_graph.web import fast_path

    app = create_app({"TESTING": True}, engine=engine)
    client = app.test_client()
    lean = app.wsgi_app
    for number in range(700):
        host = f"h{number}-" + "a" * 8000
        response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Host": host})
        assert response.status_code == 200, response.get_data(as_text=True)
        held = sum(len(key[-1]) for key in lean._requests)  # type: ignore[attr-defined]
        assert held <= fast_path.REMEMBERED_REQUEST_BYTES
        prepared = engine._prepared  # the entries' base IRIs, in the request and in the pickled job
        assert sum(2 * len(entry.request.base_iri or "") for entry, _ in prepared._entries.values()) \
            <= prepared.max_bytes
    assert lean.answered >= 700  # type: ignore[attr-defined]
