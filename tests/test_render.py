"""What the command line prints for an IRI can be pasted back into a query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from conflict_graph.cli.render import DEFAULT_PREFIXES, term_text


@pytest.mark.parametrize(("iri", "shown"), [
    ("https://w3id.org/conflict-graph/ontology#Town", "cg:Town"),
    ("https://w3id.org/conflict-graph/id/org-tnla", "id:org-tnla"),
    ("https://w3id.org/conflict-graph/id/place/town/lashio", "<https://w3id.org/conflict-graph/id/place/town/lashio>"),
    ("https://w3id.org/conflict-graph/id/", "<https://w3id.org/conflict-graph/id/>"),
    ("http://example.org/a#b", "<http://example.org/a#b>"),
])
def test_iris_are_abbreviated_only_to_valid_prefixed_names(iri: str, shown: str) -> None:
    assert term_text(ox.NamedNode(iri), DEFAULT_PREFIXES) == shown


def test_a_printed_name_parses_in_a_query() -> None:
    store = ox.Store()
    lashio = ox.NamedNode("https://w3id.org/conflict-graph/id/place/town/lashio")
    store.add(ox.Quad(lashio, ox.NamedNode("http://example.org/p"), ox.Literal("x")))
    shown = term_text(lashio, DEFAULT_PREFIXES)
    assert bool(store.query(f"ASK {{ {shown} ?p ?o }}"))
