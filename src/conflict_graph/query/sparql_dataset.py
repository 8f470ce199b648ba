"""Read a SPARQL query's own RDF dataset (its ``FROM`` and ``FROM NAMED`` clauses) without running it.

pyoxigraph replaces a query's ``FROM`` when it is given ``default_graph=`` and its ``FROM NAMED``
when it is given ``named_graphs=``. To keep a query's own dataset (SPARQL 1.1 Query §13.2) while
still expanding the project's virtual graphs inside it, :mod:`conflict_graph.store` needs to know
which graphs the query names, exactly as pyoxigraph would read them: ``\\u`` escapes replaced and
relative IRIs resolved against the query's ``BASE``, or else against the endpoint URL. The
tokenizer of :mod:`conflict_graph.guard` finds them: comments, strings, IRIs, prefixed names and
variables are whole tokens, so the keyword ``FROM`` can only be a dataset clause (SPARQL 1.1 Query
§19.8, rules [13]-[15]).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import guard

__all__ = ["DatasetClause", "dataset_clause", "declared_prefixes"]


@dataclass(frozen=True)
class DatasetClause:
    """The graphs a query names in its own dataset clauses (SPARQL 1.1 Query §13.2).

    Attributes:
        default: IRIs of the ``FROM`` clauses, in order.
        named: IRIs of the ``FROM NAMED`` clauses, in order.
    """

    default: tuple[str, ...]
    named: tuple[str, ...]


def dataset_clause(text: str, base_iri: str | None = None) -> DatasetClause | None:
    """Return the ``FROM`` / ``FROM NAMED`` IRIs of a query, or None if it has no dataset clause.

    A prefixed name whose prefix is undeclared is skipped (the query will fail to parse anyway).

    Args:
        text: the SPARQL query text.
        base_iri: what relative IRIs resolve against when the query declares no ``BASE`` (the
            endpoint's URL); None leaves them relative, as written.

    Returns:
        The clause, or None when the query has neither ``FROM`` nor ``FROM NAMED``.
    """
    if "from" not in text.lower():
        return None
    shape = guard.inspect(text, base_iri)
    if not shape.from_graphs and not shape.from_named_graphs:
        return None
    return DatasetClause(shape.from_graphs, shape.from_named_graphs)


def declared_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query's prologue, as prefix → namespace IRI."""
    return dict(guard.inspect(text).prefixes)
