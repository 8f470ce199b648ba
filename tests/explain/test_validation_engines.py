"""pyshacl-turbo (the build's SHACL engine) against pySHACL (the reference), result for result.

Both engines run on the article's data and on every planted fault of ``tests/test_shapes.py``;
they must report the same results (focus node, path, severity, shape, value and message). A shapes
graph whose SPARQL constraint calls ``SERVICE`` must not reach the network.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from rdflib import Dataset, URIRef

from conflict_graph import iris
from conflict_graph.errors import ValidationFailed
from conflict_graph.pipeline import inputs
from conflict_graph.pipeline.evidence_iris import name_evidence
from conflict_graph.reasoning.validation import ENGINES, ValidationReport, validate
from test_shapes import FAULTS, fixture_dataset


def _outcome(report: ValidationReport) -> tuple[bool, list[tuple[str, str, str, str, str, str]]]:
    return report.conforms, sorted((r.focus, r.path, r.severity, r.shape, r.value, r.message)
                                   for r in report.results)


@pytest.fixture(scope="module")
def article() -> Dataset:
    loaded = inputs.load(inputs.collect())
    name_evidence(loaded.dataset)
    return loaded.dataset


def test_engines_agree_on_the_article(article: Dataset) -> None:
    fast, reference = (_outcome(validate(article, engine=engine)) for engine in ENGINES)
    assert fast == reference == (True, [])


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_engines_agree_on_a_fault(fault: str) -> None:
    update = FAULTS[fault][0]
    fast = _outcome(validate(fixture_dataset(update), engine="pyshacl-turbo"))
    reference = _outcome(validate(fixture_dataset(update), engine="pyshacl"))
    assert fast == reference
    assert fast[0] is False and fast[1], f"{fault} was not caught"


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown SHACL engine 'jena'"):
        validate(fixture_dataset(), engine="jena")


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    _Counter.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Counter.hits
    finally:
        server.shutdown()
        server.server_close()


def test_a_service_call_in_a_sparql_constraint_is_refused_without_a_request(
        listener: tuple[str, list[str]]) -> None:
    endpoint, hits = listener
    dataset = Dataset()
    dataset.graph(iris.SHAPES_GRAPH).parse(format="turtle", data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:sparql [ sh:select "SELECT $this WHERE {{ SERVICE <{endpoint}> {{ $this ?p ?o }} }}" ] .
        """)
    dataset.graph(URIRef("https://example.org/graph")).parse(
        format="turtle", data="<https://example.org/a> a <https://example.org/Thing> .")
    with pytest.raises(ValidationFailed, match="SPARQL constraints cannot use SERVICE"):
        validate(dataset)
    assert hits == []
