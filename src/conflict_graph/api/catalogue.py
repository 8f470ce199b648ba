"""The named queries the API serves, each checked once when the catalogue is read.

A query with parameters must be runnable with them: every default must be a value of its type,
and every parameter variable must be projected by the query (SPARQL substitution, SEP-0007,
replaces the variable throughout the query and requires it in the ``SELECT`` clause). Both are
checked by :func:`check_query` on an empty in-memory store, so a bad ``.rq`` file fails when the
catalogue is read, naming the file, instead of on a user's request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, ParameterError
from ..query.named_queries import NamedQuery, Parameter, find_query, load_queries
from .parameters import Term, default_value, parse_value

__all__ = ["RESERVED_PARAMETERS", "Catalogue", "check_query"]

#: Names the API itself uses in a query string, which no query may declare as its own parameter.
RESERVED_PARAMETERS = ("format",)

#: A value of each type, to check a query whose parameter has no default.
_SAMPLES = {
    "iri": "https://example.org/sample",
    "date": datetime.date(2024, 1, 1).isoformat(),
    "integer": "0",
    "string": "sample",
}


def _sample(parameter: Parameter) -> Term:
    default = default_value(parameter)
    try:
        return parse_value(parameter, default if default is not None else _SAMPLES[parameter.type])
    except ParameterError as exc:
        raise InputError(f"the default of {exc}") from exc


def check_query(query: NamedQuery) -> NamedQuery:
    """Check that ``query``'s parameters can be bound; return it.

    Raises:
        InputError: a default is not of its type, a parameter is not projected or has a reserved
            name (:data:`RESERVED_PARAMETERS`); names the file.
    """
    if not query.parameters:
        return query
    reserved = [p.name for p in query.parameters if p.name in RESERVED_PARAMETERS]
    if reserved:
        raise InputError(
            f"{query.path}: parameter {reserved[0]!r} is reserved for the API's own use; rename it"
        )
    try:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(p.name): _sample(p) for p in query.parameters
        }
    except InputError as exc:
        raise InputError(f"{query.path}: {exc}") from exc
    try:
        ox.Store().query(query.text, substitutions=substitutions)
    except SyntaxError as exc:
        raise InputError(f"{query.path}: the query does not parse: {exc}") from exc
    except RuntimeError as exc:  # pyoxigraph: a substituted variable the query does not project
        names = ", ".join(f"?{p.name}" for p in query.parameters)
        raise InputError(
            f"{query.path}: its parameters ({names}) must be projected by the query "
            f"(SELECT ... {names} ...): {exc}"
        ) from exc
    return query


@dataclass(frozen=True)
class Catalogue:
    """Named queries by name, each checked with :func:`check_query`."""

    queries: tuple[NamedQuery, ...]

    @classmethod
    def load(cls, folder: Path | None = None) -> Catalogue:
        """Read and check every ``.rq`` file in ``folder`` (default: the package's ``queries/``).

        Raises:
            InputError: a file cannot be read, lacks a title, or its parameters cannot be bound.
        """
        return cls(tuple(check_query(q) for q in load_queries(folder)))

    def names(self) -> list[str]:
        """Every query name, sorted."""
        return [q.name for q in self.queries]

    def find(self, name: str) -> NamedQuery | None:
        """The query called ``name``, or None."""
        return next((q for q in self.queries if q.name == name), None)

    def get(self, name: str) -> NamedQuery:
        """The query called ``name``.

        Raises:
            InputError: there is none; the message lists the names there are.
        """
        query = self.find(name)
        if query is None:
            raise InputError(
                f"there is no named query {name!r}; the named queries are: {', '.join(self.names())}"
            )
        return query


def load_one(name: str, folder: Path | None = None) -> NamedQuery:
    """Read and check the single query called ``name`` (cheaper than loading the catalogue)."""
    return check_query(find_query(name, folder))
