"""Typed parameters of named queries: check a value against its type and turn it into an RDF term.

A parameter is declared in the query's header (``# param: day date "The day" default=2024-07-21``,
see :mod:`conflict_graph.query.named_queries`). A value arrives as text (a URL parameter, a
command-line ``--param``, a Python argument) and becomes a pyoxigraph term, which the engine binds
to the query variable by SPARQL substitution (pyoxigraph ``substitutions=``, RDF-dev SEP-0007):
a value is never pasted into the query text, so no value can change the query.

====================  ==============================  ============================================
type                  accepted text                   RDF term
====================  ==============================  ============================================
``iri``               an absolute IRI (``<…>`` too)   ``NamedNode``
``date``              ``YYYY-MM-DD``, a real day      ``xsd:date`` literal
``integer``           digits with an optional sign    ``xsd:integer`` literal
``string``            any text up to 1,000 characters ``xsd:string`` literal
====================  ==============================  ============================================
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import ParameterError
from ..query.named_queries import NamedQuery, Parameter

__all__ = ["MAX_STRING_LENGTH", "Term", "bind", "default_value", "json_schema", "parse_value"]

Term = ox.NamedNode | ox.Literal

#: The longest string value accepted, in characters.
MAX_STRING_LENGTH = 1000
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
# RFC 3987: a scheme, then no character IRIREF (SPARQL §19.8) forbids.
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|^`\\]*$')
_SCHEMAS: dict[str, dict[str, object]] = {
    "iri": {"type": "string", "format": "iri"},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
    "string": {"type": "string", "maxLength": MAX_STRING_LENGTH},
}


def parse_value(parameter: Parameter, text: str) -> Term:
    """The term a text value of ``parameter`` stands for.

    Raises:
        ParameterError: the text is not a value of the parameter's type; the message names the
            parameter and says what is expected.
    """

    def refuse(expected: str) -> ParameterError:
        shown = text if len(text) <= 80 else text[:80] + "…"
        return ParameterError(f"parameter {parameter.name!r} must be {expected}, not {shown!r}")

    if parameter.type == "iri":
        value = text.strip()
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        expected = "an absolute IRI such as https://w3id.org/conflict-graph/id/place/town/lashio"
        if not _IRI.match(value) or len(value) > 4096:
            raise refuse(expected)
        try:
            return ox.NamedNode(value)
        except ValueError as exc:  # RFC 3987 §2.2: "[" outside a host, "%" without two hex digits
            raise refuse(f"{expected} ({exc})") from None
    if parameter.type == "date":
        value = text.strip()
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            datetime.date.fromisoformat(value)
        except ValueError:
            raise refuse("a date written YYYY-MM-DD, such as 2024-07-21") from None
        return ox.Literal(value, datatype=ox.NamedNode(_XSD + "date"))
    if parameter.type == "integer":
        value = text.strip()
        if not _INTEGER.match(value):
            raise refuse("an integer of at most 18 digits")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
    if parameter.type == "string":
        if len(text) > MAX_STRING_LENGTH:
            raise ParameterError(
                f"parameter {parameter.name!r} is {len(text):,} characters long; "
                f"at most {MAX_STRING_LENGTH:,} are accepted"
            )
        return ox.Literal(text)
    raise ParameterError(f"parameter {parameter.name!r} has an unknown type {parameter.type!r}")


def default_value(parameter: Parameter) -> str | None:
    """The default as a value would be given (``<…>`` and ``"…"`` taken off), or None."""
    default = parameter.default
    if default is None:
        return None
    if parameter.type == "iri" and default.startswith("<") and default.endswith(">"):
        return default[1:-1]
    if parameter.type == "string" and len(default) >= 2 and default[0] == default[-1] == '"':
        return default[1:-1]
    return default


def bind(query: NamedQuery, given: Mapping[str, str]) -> tuple[tuple[str, Term], ...]:
    """Every parameter of ``query`` with its term: the value given, else its default.

    Raises:
        ParameterError: a value names no parameter of the query, a required parameter is
            missing, or a value is not of its parameter's type.
    """
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) if declared else "no parameters"
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r}; it takes: {takes}")
    bound: list[tuple[str, Term]] = []
    for parameter in query.parameters:
        text = given.get(parameter.name, default_value(parameter))
        if text is None:
            raise ParameterError(
                f"parameter {parameter.name!r} ({parameter.type}) is required by query "
                f"{query.name!r}: {parameter.description}"
            )
        bound.append((parameter.name, parse_value(parameter, text)))
    return tuple(bound)


def json_schema(parameter: Parameter) -> dict[str, object]:
    """The JSON Schema of the parameter's value (for OpenAPI), with its default."""
    schema = dict(_SCHEMAS[parameter.type])
    default = default_value(parameter)
    if default is not None:
        schema["default"] = int(default) if parameter.type == "integer" else default
    return schema
