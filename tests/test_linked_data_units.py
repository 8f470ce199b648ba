"""The parts of ``conflict_graph.linked_data`` that need no server: paths, formats, terms, ranges."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from conflict_graph.errors import NotAcceptable
from conflict_graph.linked_data import addresses
from conflict_graph.linked_data.describe import marking_of
from conflict_graph.linked_data.sections import DateRange
from conflict_graph.linked_data.source_document import _passages
from conflict_graph.linked_data.terms import Term, compact, ntriples

BASE = "https://w3id.org/conflict-graph/"
CG = BASE + "ontology#"


def test_paths_and_iris_map_both_ways() -> None:
    assert addresses.local_path(BASE + "id/org/mndaa") == "/id/org/mndaa"
    assert addresses.local_path(CG + "Town") == "/ontology#Town"
    assert addresses.local_path("http://example.org/x") is None
    assert addresses.iri_of_path("/graph/inferred") == BASE + "graph/inferred"


@pytest.mark.parametrize(("path", "iri", "fmt"), [
    ("/id/org/mndaa", BASE + "id/org/mndaa", None),
    ("/id/org/mndaa.ttl", BASE + "id/org/mndaa", "turtle"),
    ("/id/org/mndaa.jsonld", BASE + "id/org/mndaa", "jsonld"),
    ("/id/org/mndaa.nt", BASE + "id/org/mndaa", "ntriples"),
    ("/id/org/mndaa.rdf", BASE + "id/org/mndaa", "rdfxml"),
    ("/id/org/mndaa.html", BASE + "id/org/mndaa.html", None),
])
def test_a_suffix_names_the_format(path: str, iri: str, fmt: str | None) -> None:
    address = addresses.parse_path(path)
    assert address.iri == iri
    assert (address.format.name if address.format else None) == fmt


@pytest.mark.parametrize(("accept", "chosen"), [
    (None, None), ("*/*", None), ("text/html", None),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None),
    ("text/turtle", "turtle"), ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
    ("application/rdf+xml", "rdfxml"), ("text/html;q=0.1, text/turtle;q=0.9", "turtle"),
])
def test_accept_chooses_html_or_rdf(accept: str | None, chosen: str | None) -> None:
    fmt = addresses.choose_format(accept, addresses.parse_path("/id/org/mndaa"))
    assert (fmt.name if fmt else None) == chosen


def test_nothing_acceptable_is_refused() -> None:
    with pytest.raises(NotAcceptable, match="text/turtle"):
        addresses.choose_format("image/png", addresses.parse_path("/id/org/mndaa"))


def test_unsafe_iris_are_refused() -> None:
    assert addresses.is_acceptable_iri(BASE + "id/org/mndaa")
    for bad in ("<x>", "a b", 'a"b', "a{b", "a\nb", "a\\b", "a\x01b", "a|b", "a[b", "a%zzb"):
        assert not addresses.is_acceptable_iri(BASE + "id/" + bad)


def test_quote_paths_point_at_their_sentence() -> None:
    assert addresses.quote_anchor("/id/quote/doc/s06") == "/id/source/doc#s06"
    assert addresses.quote_anchor("/id/quote/doc/s06/position") is None
    assert addresses.quote_anchor("/id/org/mndaa") is None
    assert addresses.quote_anchor("/id/quote/d?c/s#6") == "/id/source/d%3Fc#s%236"


def test_paths_and_iris_become_uri_references_for_headers() -> None:
    assert addresses.path_as_uri("/id/org/mndaa.ttl") == "/id/org/mndaa.ttl"
    assert addresses.path_as_uri("/id/a%zz?b#c[d]\r\u2028") == "/id/a%25zz%3Fb%23c%5Bd%5D%0D%E2%80%A8"
    assert addresses.as_uri("https://w3id.org/conflict-graph/id/org/mndaa") == "https://w3id.org/conflict-graph/id/org/mndaa"
    assert addresses.as_uri("http://[::1]:8000/a?b#c\u00e9") == "http://[::1]:8000/a?b#c%C3%A9"


@pytest.mark.parametrize("term", [
    Term("uri", BASE + "id/org/mndaa"),
    Term("literal", 'a "quoted"\nline\\', lang="en"),
    Term("literal", "2024-07-10", datatype="http://www.w3.org/2001/XMLSchema#date"),
    Term("literal", "plain"),
])
def test_ntriples_spelling_reads_back(term: Term) -> None:
    line = f"<{BASE}s> <{BASE}p> {ntriples(term)} .\n"
    (_, _, obj), = Graph().parse(data=line, format="nt")
    if term.kind == "uri":
        assert obj == URIRef(term.value)
    else:
        assert obj == Literal(term.value, lang=term.lang, datatype=term.datatype)


def test_compact_names() -> None:
    assert compact("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == "rdf:type"
    assert compact(CG + "Town") == "cg:Town"
    assert compact("http://example.org/x") == "http://example.org/x"


def test_strongest_status_gives_the_marking() -> None:
    assert marking_of([CG + "Claimed", CG + "Stated"]) == "stated"
    assert marking_of([CG + "Hedged", CG + "Announced"]) == "claimed"
    assert marking_of([CG + "NameBased"]) == "background"
    assert marking_of([]) is None


def test_date_ranges_are_shown_as_ranges() -> None:
    assert str(DateRange("2024-07-11", "2024-07-20")) == "2024-07-11 – 2024-07-20"
    assert str(DateRange("2024-07-10", "2024-07-10")) == "2024-07-10"
    assert str(DateRange(None, "2024-08-03")) == "… – 2024-08-03"
    assert not DateRange(None, None).known


def test_passages_cut_the_text_at_code_point_offsets() -> None:
    text = "Myanmar’s junta lost. Then “more”."
    quotes = [{"quote": Term("uri", BASE + "id/quote/d/s01"), "sid": Term("literal", "S01"),
               "start": Term("literal", "0"), "end": Term("literal", "21")},
              {"quote": Term("uri", BASE + "id/quote/d/s02"), "sid": Term("literal", "S02"),
               "start": Term("literal", "22"), "end": Term("literal", "34")}]
    passages = _passages(text, quotes, {})
    assert [(p.text, p.anchor) for p in passages] == [
        ("Myanmar’s junta lost.", "s01"), (" ", None), ("Then “more”.", "s02")]
    assert "".join(p.text for p in passages) == text
