"""RDF terms of query results as Python values, the same from the embedded graph and a server.

A SPARQL result cell arrives as a pyoxigraph term (embedded graph) or as a SPARQL 1.1 Query
Results JSON term (https://www.w3.org/TR/sparql11-results-json/#select-encode-terms, from a
server); both become the same Python value:

==============================================  ===========================================
term                                            value
==============================================  ===========================================
IRI                                             :class:`IRI` (a ``str``)
blank node                                      ``str`` ``_:label``
``xsd:integer`` (and its derived types)         ``int``
``xsd:decimal``                                 ``decimal.Decimal``
``xsd:double``, ``xsd:float``                   ``float``
``xsd:boolean``                                 ``bool``
``xsd:date``                                    ``datetime.date``
``xsd:dateTime``                                ``datetime.datetime``
anything else (strings, language strings, ...)  ``str`` (the lexical form)
unbound                                         ``None``
==============================================  ===========================================

A lexical form that does not parse as its datatype stays a ``str``.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["IRI", "Value", "from_json_term", "from_oxigraph_term", "to_python"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = (
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
)


class IRI(str):
    """An IRI in a result: a ``str`` that remembers it names a resource."""

    __slots__ = ()


Value = IRI | str | int | float | decimal.Decimal | bool | datetime.date | datetime.datetime | None

_CONVERTERS: dict[str, Callable[[str], Any]] = {
    **{_XSD + name: int for name in _INTEGER_TYPES},
    _XSD + "decimal": decimal.Decimal,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "boolean": lambda text: {"true": True, "1": True, "false": False, "0": False}[text],
    _XSD + "date": datetime.date.fromisoformat,
    _XSD + "dateTime": lambda text: datetime.datetime.fromisoformat(text.replace("Z", "+00:00")),
}


def to_python(lexical: str, datatype: str | None) -> Value:
    """A literal's value: its lexical form converted by its datatype (see the table above)."""
    convert = _CONVERTERS.get(datatype or "")
    if convert is None:
        return lexical
    try:
        return convert(lexical)  # type: ignore[no-any-return]
    except (ValueError, KeyError, decimal.InvalidOperation):
        return lexical


def from_json_term(term: Mapping[str, str] | None) -> Value:
    """A SPARQL Results JSON term (``{"type": "uri", "value": ...}``) as a Python value."""
    if term is None:
        return None
    kind = term.get("type")
    if kind == "uri":
        return IRI(term["value"])
    if kind == "bnode":
        return f"_:{term['value']}"
    if kind in ("literal", "typed-literal"):
        return to_python(term["value"], term.get("datatype"))
    return str(term.get("value", ""))


def from_oxigraph_term(term: Any) -> Value:
    """A pyoxigraph term as a Python value."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return to_python(term.value, term.datatype.value)
    return str(term)
