"""The protocol-neutral shapes of a query and its answer, and the values of their parameters.

A front end (the web layer, a test) builds a :class:`QueryRequest`; the engine
(:class:`conflict_graph.engine.QueryService`) answers with a :class:`QueryResponse` carrying its
:class:`Provenance`. Nothing here knows about HTTP or runs anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .conneg import Format
from ..errors import QueryError

__all__ = [
    "DEFAULT_ENTAILMENT",
    "ENTAILMENT_VALUES",
    "MAX_GRAPH_URIS",
    "MIN_TIMEOUT",
    "NAMED_GRAPHS",
    "Provenance",
    "QueryRequest",
    "QueryResponse",
    "entailment_of",
]

#: The entailment a request gets when it names none.
DEFAULT_ENTAILMENT = "owl-rl"
#: Accepted values of the ``entailment`` parameter → the regime (``none`` is an alias of ``simple``;
#: the regime IRIs are those the service description advertises).
ENTAILMENT_VALUES: dict[str, str] = {
    "simple": "simple", "none": "simple", "owl-rl": "owl-rl",
    "http://www.w3.org/ns/entailment/Simple": "simple",
    "http://www.w3.org/ns/entailment/OWL-RDF-Based": "owl-rl",
}
_ENTAILMENT_KEYS = {key.lower(): regime for key, regime in ENTAILMENT_VALUES.items()}
#: What ``Conflict-Graph-Entailment`` says when the request itself named the graphs of its dataset
#: (``default-graph-uri``/``named-graph-uri``, or the query's ``FROM``/``FROM NAMED``): they are
#: taken as named, and the ``entailment`` parameter does not apply.
NAMED_GRAPHS = "named-graphs"
#: The shortest time limit a request may ask for, in seconds.
MIN_TIMEOUT = 0.1
#: The most ``default-graph-uri`` plus ``named-graph-uri`` values one request may carry.
MAX_GRAPH_URIS = 100


def entailment_of(values: Sequence[str]) -> str:
    """The entailment regime asked for by the ``entailment`` parameter values (may be empty).

    Raises:
        QueryError: an unknown value, or several different values.
    """
    regimes = set()
    for value in values:
        regime = _ENTAILMENT_KEYS.get(value.strip().lower())
        if regime is None:
            allowed = ", ".join(ENTAILMENT_VALUES)
            raise QueryError(f"unknown entailment {value!r}; use one of: {allowed}")
        regimes.add(regime)
    if len(regimes) > 1:
        raise QueryError("the entailment parameter is given more than once with different values")
    return regimes.pop() if regimes else DEFAULT_ENTAILMENT


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL query, as any front end received it.

    Attributes:
        text: the query.
        accept: the client's ``Accept`` header, if any.
        format_hints: ``format``/``output``/``results`` parameter values, in order.
        default_graph_uris: the protocol's ``default-graph-uri`` values (None: not given).
        named_graph_uris: the protocol's ``named-graph-uri`` values (None: not given).
        entailment: ``simple`` or ``owl-rl`` (already validated with :func:`entailment_of`).
        base_iri: what relative IRIs in the query resolve against (the endpoint's URL).
        timeout: a shorter time limit the client asks for, in seconds (None: the server's).
        client: who sent it (the remote address), for the per-client limit; None: not counted.
        bindings: values bound to query variables by SPARQL substitution (variable name without
            ``?`` → a pyoxigraph term), for the parameters of a named query; never pasted into
            the text.
    """

    text: str
    accept: str | None = None
    format_hints: tuple[str, ...] = ()
    default_graph_uris: tuple[str, ...] | None = None
    named_graph_uris: tuple[str, ...] | None = None
    entailment: str = DEFAULT_ENTAILMENT
    base_iri: str | None = None
    timeout: float | None = None
    client: str | None = None
    bindings: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Provenance:
    """What a result depends on, so it can be cited and reproduced.

    Attributes:
        data_version: the build's hash of every input.
        ontology_version: the ontology's ``owl:versionIRI``, if it declares one.
        entailment: ``simple`` or ``owl-rl``, or :data:`NAMED_GRAPHS` when the request named the
            graphs of its dataset itself.
    """

    data_version: str
    ontology_version: str | None
    entailment: str


@dataclass(frozen=True)
class QueryResponse:
    """The answer to a query.

    Attributes:
        body: the serialised result.
        format: its format (``format.content_type`` is the ``Content-Type``).
        etag: a weak entity tag covering data version, entailment, format and query.
        provenance: data and ontology version, entailment.
        rows: solutions or triples in ``body``.
        truncated_by: ``max-rows`` or ``max-response-bytes`` when that cap cut the result.
        row_limit: the row cap in force (0: none).
        byte_limit: the byte cap in force.
    """

    body: bytes
    format: Format
    etag: str
    provenance: Provenance
    rows: int
    truncated_by: str | None
    row_limit: int
    byte_limit: int = 0

    @property
    def truncated(self) -> bool:
        """True when a cap cut the result."""
        return self.truncated_by is not None
