"""One built dataset, ready to explain its triples and report its consistency.

:class:`Explainer` reads only the build's derivation store (``derivations.sqlite``: the
derivations, the inconsistencies and the evidence of every asserted triple, resolved down to the
sentences at build time) and holds the bounds of every answer. Opening one is opening one SQLite
file read-only: milliseconds and no copy of the data, whatever the size of the build; the quads
(``dataset.nq``, the query store) are never read. The command line makes one per command; the web
layer one per application, opened on the first request that needs it. Calls are serialised by a
lock (the derivation store is one SQLite connection).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from .consistency import ConsistencyReport, InconsistencySource, consistency_report
from .explain import DEFAULT_BOUNDS, Bounds, Explanation, explain
from .term_syntax import Triple, parse_triple
from .validation import Violation

__all__ = ["Explainer"]


class Explainer:
    """Explains triples of one built dataset.

    Args:
        index: the build's derivation store.
        bounds: what one explanation may cost (nodes, depth, derivations and evidence read).
    """

    def __init__(self, index: InconsistencySource, bounds: Bounds = DEFAULT_BOUNDS) -> None:
        self.index = index
        self.bounds = bounds
        self._lock = threading.Lock()
        self._closure_report: ConsistencyReport | None = None

    @classmethod
    def open(cls, artifact: Path, bounds: Bounds = DEFAULT_BOUNDS) -> Explainer:
        """Open the explainer of a build artifact: its ``derivations.sqlite``, read-only.

        Raises:
            ReasoningError: the artifact has no derivation store, or one of another format.
        """
        from . import DerivationIndex

        return cls(DerivationIndex.open(Path(artifact)), bounds)

    def explain(self, triple: Triple, derivation: int | None = None) -> Explanation:
        """Explain ``triple`` (see :func:`conflict_graph.reasoning.explain.explain`)."""
        with self._lock:
            return explain(self.index, triple, derivation=derivation, bounds=self.bounds)

    def explain_text(self, subject: str, predicate: str, obj: str, derivation: int | None = None) -> Explanation:
        """Explain a triple whose terms are given as text (N-Triples terms, prefixed names, bare IRIs).

        Raises:
            InputError: a term does not parse or is unknown.
            NotFound: the triple is neither asserted nor entailed.
        """
        return self.explain(parse_triple(subject, predicate, obj), derivation)

    def consistency(self, violations: Sequence[Violation] = ()) -> ConsistencyReport:
        """Every inconsistency of the build's closure (and the SHACL results given), explained.

        The report of the closure alone (no SHACL results given, as ``/consistency`` asks) depends
        only on the build, so it is worked out once and kept: a client asking again costs nothing.
        """
        with self._lock:
            if violations:
                return consistency_report(self.index, violations)
            if self._closure_report is None:
                self._closure_report = consistency_report(self.index)
            return self._closure_report
