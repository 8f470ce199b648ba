"""One built dataset, ready to explain its triples and report its consistency.

:class:`Explainer` holds what an explanation reads — the derivation index of the build, a store
of its quads and its asserted graphs — and the bounds of every answer. The command line makes one
per command; the web layer one per application, opened on the first request that needs it.
Calls are serialised by a lock (the derivation index is one SQLite connection).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import DataLoadError

from .consistency import ConsistencyReport, InconsistencySource, consistency_report
from .explain import MAX_DEPTH, MAX_NODES, Explanation, explain
from .term_syntax import Triple, parse_triple
from .validation import Violation

__all__ = ["Explainer", "load_labelled"]


def load_labelled(path: Path) -> ox.Store:
    """An N-Quads file in a store that keeps its blank node labels (``Store.load`` and ``bulk_load``
    rename blank nodes; the derivation index names them as ``dataset.nq`` does).

    Raises:
        DataLoadError: the file is missing or does not parse.
    """
    store = ox.Store()
    try:
        store.bulk_extend(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    except OSError as exc:
        raise DataLoadError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except SyntaxError as exc:
        raise DataLoadError(f"{path}: {exc}") from exc
    return store


class Explainer:
    """Explains triples of one built dataset.

    Args:
        index: the build's derivation index.
        store: every quad of the build.
        graphs: the asserted graphs (where evidence is looked up).
        max_nodes: the size bound of one explanation tree.
        max_depth: the depth bound of one explanation tree.
    """

    def __init__(self, index: InconsistencySource, store: ox.Store, graphs: Sequence[str], *,
                 max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> None:
        self.index = index
        self.store = store
        self.graphs = tuple(graphs)
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self._lock = threading.Lock()

    @classmethod
    def open(cls, artifact: Path, *, max_nodes: int = MAX_NODES) -> Explainer:
        """Open the explainer of a build artifact (its ``derivations.sqlite`` and ``dataset.nq``).

        Evidence is looked up in the set union of the asserted graphs, which the query store holds
        in one graph or, when they share no triple, as their list (:func:`conflict_graph.query.store.open_query_store`). That store is loaded
        by ``bulk_load``, fast but renaming blank nodes; explanations name blank nodes as the
        derivation index does, so a blank-node premise (an ontology restriction or list) is
        explained from the index alone: such premises carry no evidence.

        Raises:
            DataLoadError: the artifact is missing or unreadable.
            ReasoningError: it has no derivation store.
        """
        from ..query.store import default_graph_iris, open_query_store
        from . import DerivationIndex

        index = DerivationIndex.open(Path(artifact))
        catalogue, store = open_query_store(Path(artifact))
        asserted = default_graph_iris(catalogue, "simple", unions=True)  # one union graph, or a list
        return cls(index, store, asserted, max_nodes=max_nodes)

    def explain(self, triple: Triple, derivation: int | None = None) -> Explanation:
        """Explain ``triple`` (see :func:`conflict_graph.reasoning.explain.explain`)."""
        with self._lock:
            return explain(self.index, self.store, triple, self.graphs, derivation=derivation,
                           max_nodes=self.max_nodes, max_depth=self.max_depth)

    def explain_text(self, subject: str, predicate: str, obj: str, derivation: int | None = None) -> Explanation:
        """Explain a triple whose terms are given as text (N-Triples terms, prefixed names, bare IRIs).

        Raises:
            InputError: a term does not parse or is unknown.
            NotFound: the triple is neither asserted nor entailed.
        """
        return self.explain(parse_triple(subject, predicate, obj), derivation)

    def consistency(self, violations: Sequence[Violation] = ()) -> ConsistencyReport:
        """Every inconsistency of the build's closure (and the SHACL results given), explained."""
        with self._lock:
            return consistency_report(self.index, self.store, self.graphs, violations)
