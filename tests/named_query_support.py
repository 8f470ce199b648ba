"""Run the named queries of ``queries/`` on a built dataset, with the entailment each one names."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from conflict_graph.pipeline.build import BuildResult
from conflict_graph.query import named_queries as queries, store

Rows = list[dict[str, str]]


def query_runner(built: BuildResult) -> Callable[[str], Rows]:
    """A function that runs the named query whose file name starts with a prefix ("q51")."""
    opened = store.open_store(built.artifact)
    named = {q.name: q for q in queries.load_queries()}

    def run_query(prefix: str) -> Rows:
        (query,) = [q for name, q in named.items() if name.startswith(prefix)]
        dataset = store.query_dataset(built.catalogue, query.entailment)
        solutions = store.execute(opened, query.text, dataset)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]

    return run_query


def column(rows: Rows, name: str) -> set[str]:
    return {row[name] for row in rows if name in row}


def local(iri: str) -> str:
    """The last path segment of an IRI."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
