"""Shapes from input files never reach the network: SHACL-SPARQL is checked where it enters.

SHACL-SPARQL (https://www.w3.org/TR/shacl/#sparql-constraints) and SHACL Advanced Features put
SPARQL text in a shapes graph (``sh:select``, ``sh:ask``, ``sh:construct``, ``sh:update``). The
validating engine runs that text with its own SPARQL implementation: with pySHACL that is
rdflib's, which calls any ``SERVICE`` endpoint and, for ``FROM``/``FROM NAMED``, downloads the
graph. A ``--data`` TriG file whose graph is the shapes graph could thus make ``validate`` or
``serve`` send requests to any host.

So every SPARQL text of the shapes graph is checked as a file is loaded, whatever engine
validates later: one with ``SERVICE``, ``FROM`` or ``FROM NAMED`` (found by the endpoint's
tokenizer, :mod:`conflict_graph.query.guard`), or with the letters ``service`` anywhere outside
a comment (a second engine might read the text differently; SPARQL keywords cannot be escaped),
is refused with :class:`~conflict_graph.errors.DataLoadError` naming the file. A SPARQL text
that is not a literal is refused too: no engine could run it as intended.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import iris
from ..errors import DataLoadError
from ..query import guard

__all__ = ["SPARQL_PREDICATES", "check"]

_SH = "http://www.w3.org/ns/shacl#"
#: Predicates whose object is SPARQL text an engine runs (SHACL §5, SHACL-AF §6 and §8).
SPARQL_PREDICATES = frozenset(_SH + name for name in ("select", "ask", "construct", "update"))
_SERVICE = re.compile("service", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n\r]*")


def _reason(text: str) -> str | None:
    """Why this SPARQL text must not run, or None."""
    shape = guard.inspect(text)
    if shape.services:
        return "it has a SERVICE clause"
    if shape.from_graphs or shape.from_named_graphs:
        return "it has a FROM or FROM NAMED clause, which would download a graph"
    if _SERVICE.search(_COMMENT.sub("", text)):
        return "it mentions SERVICE"
    return None


def check(path: Path, graph: str, predicate: str, value: object, is_literal: bool) -> None:
    """Refuse one triple of an input file if it carries SPARQL the shapes graph must not run.

    Args:
        path: the file (named in the error).
        graph: the triple's graph; only the shapes graph is checked.
        predicate: the triple's predicate IRI.
        value: the object's lexical form.
        is_literal: whether the object is a literal.

    Raises:
        DataLoadError: the SPARQL text could reach the network, or is not a literal.
    """
    if graph != str(iris.SHAPES_GRAPH) or predicate not in SPARQL_PREDICATES:
        return
    name = predicate.removeprefix(_SH)
    if not is_literal:
        raise DataLoadError(f"{path}: sh:{name} in the shapes graph must be a literal holding SPARQL")
    reason = _reason(str(value))
    if reason is not None:
        raise DataLoadError(f"{path}: the SPARQL of an sh:{name} in the shapes graph is refused: {reason}; "
                            "validation never reaches the network")
