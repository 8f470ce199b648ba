"""What an export reads: SPARQL rows and quads of a built dataset."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import pyoxigraph as ox

from ..api.sparql_rows import Row, SelectRunner, store_runner
from ..query.store import Catalogue

__all__ = ["DatasetSource", "LocalSource", "Row"]


class DatasetSource(Protocol):
    """A built dataset as the exports see it."""

    catalogue: Catalogue
    #: Runs a SELECT query (text, entailment) and returns its rows as strings.
    select: SelectRunner

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        """Every quad of the named graphs ``graphs``, in the store's index order."""


class LocalSource:
    """A :class:`DatasetSource` over a pyoxigraph store opened in this process."""

    def __init__(self, catalogue: Catalogue, opened: ox.Store) -> None:
        self.catalogue = catalogue
        self._store = opened
        self.select = store_runner(catalogue, opened)

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        for graph in graphs:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
