"""Result terms as Python values: the same from pyoxigraph terms and from SPARQL Results JSON."""

from __future__ import annotations

import datetime
import decimal

import pyoxigraph as ox
import pytest

from conflict_graph.api.values import IRI, from_json_term, from_oxigraph_term

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("lexical", "datatype", "value"),
    [
        ("42", "integer", 42),
        ("7", "unsignedShort", 7),
        ("2.50", "decimal", decimal.Decimal("2.50")),
        ("1.5E2", "double", 150.0),
        ("true", "boolean", True),
        ("0", "boolean", False),
        ("2024-07-21", "date", datetime.date(2024, 7, 21)),
        ("2024-07-21T10:00:00Z", "dateTime", datetime.datetime(2024, 7, 21, 10, tzinfo=datetime.UTC)),
        ("July", "date", "July"),  # a lexical form that is not of its datatype stays text
        ("plain", "string", "plain"),
    ],
)
def test_typed_literals(lexical: str, datatype: str, value: object) -> None:
    term = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    from_json = from_json_term({"type": "literal", "value": lexical, "datatype": XSD + datatype})
    assert from_oxigraph_term(term) == value == from_json
    assert type(from_oxigraph_term(term)) is type(value) is type(from_json)


def test_iris_blank_nodes_language_strings_and_unbound() -> None:
    iri = from_oxigraph_term(ox.NamedNode("https://w3id.org/x"))
    assert isinstance(iri, IRI) and iri == "https://w3id.org/x"
    assert from_json_term({"type": "uri", "value": "https://w3id.org/x"}) == iri
    assert isinstance(from_json_term({"type": "uri", "value": "https://w3id.org/x"}), IRI)
    assert from_oxigraph_term(ox.Literal("Lashio", language="en")) == "Lashio"
    assert from_json_term({"type": "literal", "value": "Lashio", "xml:lang": "en"}) == "Lashio"
    assert (
        from_oxigraph_term(ox.BlankNode("b1")) == from_json_term({"type": "bnode", "value": "b1"}) == "_:b1"
    )
    assert from_oxigraph_term(None) is None and from_json_term(None) is None
