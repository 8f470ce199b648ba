"""Incremental maintenance of the closure and its derivations, one named graph at a time.

:class:`IncrementalClosure` keeps the :class:`~.engine.RuleEngine` of a set of named graphs and
which asserted facts each graph holds. Changing one graph touches only what depends on it:

* **insertion** pushes the new facts through the engine's worklist (semi-naive: they are joined
  with the indexes only);
* **deletion** is DRed (Gupta, Mumick, Subrahmanian, "Maintaining views incrementally", SIGMOD
  1993) over the engine's complete derivation records: *overdelete* every fact with a recorded
  derivation that uses a deleted fact, transitively (asserted facts that stay asserted are never
  deleted); *rederive* every overdeleted fact that still has a derivation whose premises all
  survive, to a fixpoint; what is left is gone, with every derivation that used it. Because the
  engine records every rule instantiation, no rule has to be evaluated again to rederive.

A triple asserted in several graphs stays asserted until the last of them drops it. Schema
changes go through the same steps (the compiled rule tables are rebuilt); the build still falls
back to a full rebuild when the ontology graph changes (see ``pipeline/build.py``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from rdflib.term import Node

from .engine import RuleEngine

__all__ = ["IncrementalClosure", "retract"]


def retract(engine: RuleEngine, facts: Iterable[int]) -> set[int]:
    """Withdraw the assertion of ``facts`` and delete what no longer follows (DRed).

    Returns:
        The ids of the facts that are gone (a retracted fact that is still entailed stays, now
        as an inferred fact).
    """
    engine.track()
    uses, derived_by = engine.uses, engine.derived_by
    assert uses is not None and derived_by is not None
    premises_of, conclusion_of = engine.d_premises, engine.d_fact
    withdrawn = [f for f in facts if engine.facts[f] is not None]
    engine.base.difference_update(withdrawn)

    overdeleted: set[int] = set()
    stack = list(withdrawn)
    while stack:  # overdelete: everything some derivation of which uses a deleted fact
        f = stack.pop()
        if f in overdeleted:
            continue
        overdeleted.add(f)
        for d in uses.get(f, ()):
            c = conclusion_of[d]
            if premises_of[d] is not None and c not in overdeleted and c not in engine.base:
                stack.append(c)

    restored: set[int] = set()

    def supported(d: int) -> bool:
        premises = premises_of[d]
        return premises is not None and all(p not in overdeleted or p in restored for p in premises)

    work = deque(f for f in overdeleted if any(supported(d) for d in derived_by.get(f, ())))
    while work:  # rederive: a surviving derivation brings a fact back, to a fixpoint
        f = work.popleft()
        if f in restored:
            continue
        restored.add(f)
        for d in uses.get(f, ()):
            c = conclusion_of[d]
            if c in overdeleted and c not in restored and supported(d):
                work.append(c)

    gone = overdeleted - restored
    for f in gone:
        for d in uses.pop(f, ()):
            premises_of[d] = None
        derived_by.pop(f, None)
        engine.unindex(f)
    for f in restored:  # their derivations from deleted premises were dropped above
        derived_by[f] = [d for d in derived_by.get(f, ()) if premises_of[d] is not None]
    engine.inconsistencies = [record for record in engine.inconsistencies
                              if not gone.intersection(record[1])]
    engine.invalidate()
    return gone


class IncrementalClosure:
    """The closure of named graphs, updated one graph at a time.

    Attributes:
        engine: the closure, its derivations and inconsistencies.
        graphs: graph name → ids of the facts it asserts.
    """

    def __init__(self, engine: RuleEngine | None = None) -> None:
        self.engine = engine or RuleEngine()
        self.graphs: dict[str, set[int]] = {}
        self._count: dict[int, int] = {}

    @classmethod
    def from_engine(cls, engine: RuleEngine,
                    graphs: Mapping[str, Iterable[tuple[Node, Node, Node]]]) -> IncrementalClosure:
        """Adopt ``engine``, which reasoned over exactly the union of ``graphs``."""
        state = cls(engine)
        for name, triples in graphs.items():
            ids = {engine.fid[(engine.terms.id(s), engine.terms.id(p), engine.terms.id(o))]
                   for s, p, o in triples}
            state.graphs[name] = ids
            for f in ids:
                state._count[f] = state._count.get(f, 0) + 1
        return state

    def triples(self, name: str) -> list[tuple[Node, Node, Node]]:
        """The triples graph ``name`` asserts, as rdflib terms."""
        terms = self.engine.terms.terms
        facts = [self.engine.facts[f] for f in self.graphs.get(name, ())]
        return [(terms[t[0]], terms[t[1]], terms[t[2]]) for t in facts if t is not None]

    def set_graph(self, name: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add graph ``name``, or replace its triples (only the difference is applied)."""
        triples = list(triples)
        engine = self.engine
        old = self.graphs.get(name, set())
        wanted = set()
        for s, p, o in triples:
            key = (engine.terms.id(s), engine.terms.id(p), engine.terms.id(o))
            found = engine.fid.get(key)
            if found is not None and found in old:
                wanted.add(found)
        dropped = old - wanted
        self.graphs[name] = wanted
        self._drop(dropped)
        kept_keys = {engine.facts[f] for f in wanted}
        new = [t for t in triples
               if (engine.terms.id(t[0]), engine.terms.id(t[1]), engine.terms.id(t[2])) not in kept_keys]
        for f in engine.add(new):
            if f not in wanted:
                wanted.add(f)
                self._count[f] = self._count.get(f, 0) + 1

    def remove_graph(self, name: str) -> None:
        """Drop graph ``name`` and everything that followed only from it."""
        self._drop(self.graphs.pop(name, set()))

    def _drop(self, facts: set[int]) -> None:
        orphans = []
        for f in facts:
            self._count[f] -= 1
            if self._count[f] == 0:
                del self._count[f]
                orphans.append(f)
        if orphans:
            retract(self.engine, orphans)
        for f in facts:  # still asserted elsewhere: keep it in the base
            if f in self._count:
                self.engine.base.add(f)
