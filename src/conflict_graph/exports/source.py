"""What an export reads: SPARQL results and quads of a built dataset."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import pyoxigraph as ox

from ..query import store
from ..query.store import Catalogue

__all__ = ["DatasetSource", "LocalSource", "Row", "Term"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: One solution of a SELECT query: variable name → bound term (unbound variables are absent).
Row = dict[str, Term]


class DatasetSource(Protocol):
    """A built dataset as the exports see it."""

    catalogue: Catalogue

    def select(self, query: str) -> list[Row]:
        """The solutions of a SELECT query over the default graph with OWL 2 RL entailment."""

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        """Every quad of the named graphs ``graphs``, in the store's index order."""


class LocalSource:
    """A :class:`DatasetSource` over a pyoxigraph store opened in this process."""

    def __init__(self, catalogue: Catalogue, opened: ox.Store) -> None:
        self.catalogue = catalogue
        self._store = opened
        self._dataset = store.query_dataset(catalogue, "owl-rl", unions=True)

    def select(self, query: str) -> list[Row]:
        result = store.execute(self._store, query, self._dataset)
        assert isinstance(result, ox.QuerySolutions), "exports only run SELECT queries"
        names = [variable.value for variable in result.variables]
        rows: list[Row] = []
        for solution in result:
            rows.append({name: solution[name] for name in names if solution[name] is not None})
        return rows

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        for graph in graphs:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
