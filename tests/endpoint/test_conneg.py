"""Content negotiation: a table of Accept headers and parameters → the format chosen."""

from __future__ import annotations

import pytest

from conflict_graph.query.conneg import FORMATS, formats_for, negotiate, prefers_json
from conflict_graph.errors import NotAcceptable

# SPARQLWrapper's Accept headers (SPARQLWrapper/Wrapper.py, _getAcceptHeader)
SW_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
SW_TURTLE = "application/turtle,text/turtle"
SW_N3 = "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "kind", "hints", "expected"),
    [
        (None, "results", (), "json"),
        ("", "results", (), "json"),
        ("*/*", "results", (), "json"),
        (SW_JSON, "results", ("json",), "json"),
        ("application/sparql-results+xml", "results", ("xml",), "xml"),
        ("text/csv", "results", ("csv",), "csv"),
        ("text/tab-separated-values", "results", ("tsv", "text/tab-separated-values"), "tsv"),
        ("application/json;q=0.5, application/sparql-results+xml", "results", (), "xml"),
        ("text/csv;q=0, */*", "results", (), "json"),
        ("text/*", "results", (), "csv"),
        ("application/sparql-results+json; charset=utf-8", "results", (), "json"),
        (BROWSER, "results", (), "xml"),
        ("*/*", "results", ("tsv",), "tsv"),
        (None, "rdf", (), "turtle"),
        (SW_TURTLE, "rdf", ("turtle",), "turtle"),
        (SW_N3, "rdf", ("n3",), "n3"),
        ("application/rdf+xml", "rdf", ("rdf+xml", "application/rdf+xml"), "rdfxml"),
        ("application/ld+json", "rdf", ("json-ld", "application/ld+json"), "jsonld"),
        ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "rdf", (), "jsonld"),
        ("*/*", "rdf", ("json",), "jsonld"),  # SPARQLWrapper: JSON asked of a CONSTRUCT
        ("*/*", "rdf", ("csv",), "turtle"),  # a hint of the other kind is ignored
        ("application/n-triples", "rdf", (), "ntriples"),
        ("application/trig", "rdf", (), "trig"),
        ("application/n-quads", "rdf", (), "nquads"),
        ("text/plain;q=0.2, application/n-quads;q=0.1", "rdf", (), "nquads"),
    ],
)
def test_negotiate(accept: str | None, kind: str, hints: tuple[str, ...], expected: str) -> None:
    assert negotiate(accept, kind, hints).name == expected


@pytest.mark.parametrize(
    ("accept", "kind"),
    [("text/turtle", "results"), ("text/csv", "rdf"), ("image/png", "results"), ("*/*;q=0", "rdf")],
)
def test_not_acceptable(accept: str, kind: str) -> None:
    with pytest.raises(NotAcceptable, match="available"):
        negotiate(accept, kind)


def test_every_format_has_a_spec_iri_and_unique_name() -> None:
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    assert all(f.spec.startswith("http://www.w3.org/ns/formats/") for f in FORMATS)
    assert [f.name for f in formats_for("results")] == ["json", "xml", "csv", "tsv"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [(None, False), ("*/*", False), ("text/plain", False), (SW_JSON, True),
     ("application/json, text/plain;q=0.5", True), (BROWSER, False)],
)
def test_error_body_follows_accept(accept: str | None, expected: bool) -> None:
    assert prefers_json(accept) is expected
