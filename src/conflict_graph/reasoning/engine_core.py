"""The state of the OWL 2 RL engine: facts, indexes, derivation records, and the reads rules make.

See :mod:`.engine` for how the state is filled; this module only stores facts and firings and
answers the lookups every rule uses (by predicate and subject or object, RDF lists, restrictions).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .rule_ids import (FIRST, MAX_LIST_READINGS, NIL, ONP, R, REST, THING, TYPE,
                       _REFLEXIVE, Premises)
from .terms import TermTable

if TYPE_CHECKING:
    from .rule_tables import _ClassRules, _PropertyRules

__all__ = ["EngineCore"]


def _height(heights: list[int], premises: Premises) -> int:
    return 1 + max((heights[p] for p in premises), default=0)


class EngineCore:
    """The OWL 2 RL closure of a set of triples, its derivations and its inconsistencies.

    Attributes:
        terms: the interned terms.
        facts: fact id → ``(s, p, o)`` term ids (None once retracted).
        base: ids of the asserted facts.
        height: fact id → height of its first (well-founded) derivation; 0 if asserted.
        d_fact, d_rule, d_premises: the derivations, one entry per rule firing (premises None
            once retracted).
        inconsistencies: ``(rule index, premise fact ids, message)``.
    """

    def __init__(self) -> None:
        self.terms = TermTable()
        self.fid: dict[tuple[int, int, int], int] = {}
        self.facts: list[tuple[int, int, int] | None] = []
        self.base: set[int] = set()
        self.height: list[int] = []
        self.d_fact: list[int] = []
        self.d_rule: list[int] = []
        self.d_premises: list[Premises | None] = []
        self.inconsistencies: list[tuple[int, Premises, str]] = []
        self._seen_inconsistencies: set[tuple[int, frozenset[int]]] = set()
        self._seen: set[tuple[int, int, Premises]] = set()
        self.sp: dict[int, dict[int, set[int]]] = {}
        self.po: dict[int, dict[int, set[int]]] = {}
        self.by_s: dict[int, set[tuple[int, int]]] | None = None
        self.by_o: dict[int, set[tuple[int, int]]] | None = None
        self._queue: deque[int] = deque()
        self._properties: dict[int, _PropertyRules] = {}
        self._classes: dict[int, _ClassRules] = {}
        self._dedupe = False
        #: premise fact id → ids of the derivations that use it, and fact id → its derivations;
        #: kept only once :meth:`track` is called (what deletion needs, see :mod:`.incremental`).
        self.uses: dict[int, list[int]] | None = None
        self.derived_by: dict[int, list[int]] | None = None

    def track(self) -> None:
        """Index the derivations by premise and by conclusion, and keep the indexes up to date."""
        if self.uses is not None:
            return
        self.uses, self.derived_by = {}, {}
        for d, (f, premises) in enumerate(zip(self.d_fact, self.d_premises)):
            if premises is not None:
                self._track(d, f, premises)

    def _track(self, d: int, f: int, premises: Premises) -> None:
        assert self.uses is not None and self.derived_by is not None
        for p in set(premises):
            self.uses.setdefault(p, []).append(d)
        self.derived_by.setdefault(f, []).append(d)

    def invalidate(self) -> None:
        """Forget the compiled rule tables (after facts were retracted)."""
        self._properties.clear()
        self._classes.clear()

    def contains(self, s: int, p: int, o: int) -> bool:
        return (s, p, o) in self.fid

    def closure(self) -> Iterator[tuple[int, int, int]]:
        """Every fact (asserted and derived) as term ids."""
        return (t for t in self.facts if t is not None)

    def derivations_of(self) -> dict[int, list[int]]:
        """Fact id → its derivation ids."""
        found: dict[int, list[int]] = {}
        for d, (f, premises) in enumerate(zip(self.d_fact, self.d_premises)):
            if premises is not None:
                found.setdefault(f, []).append(d)
        return found

    def min_heights(self) -> list[int]:
        """Fact id → height of its shortest derivation tree (asserted facts 0), to a fixpoint."""
        heights = [0 if f in self.base else 1 << 30 for f in range(len(self.facts))]
        changed = True
        while changed:
            changed = False
            for f, premises in zip(self.d_fact, self.d_premises):
                if premises is None:
                    continue
                h = _height(heights, premises)
                if h < heights[f]:
                    heights[f] = h
                    changed = True
        return heights

    def _new(self, key: tuple[int, int, int], height: int) -> int:
        f = len(self.facts)
        self.facts.append(key)
        self.fid[key] = f
        self.height.append(height)
        return f

    def _derive(self, s: int, p: int, o: int, rule: int, premises: Premises) -> None:
        if self.terms.literal[s] or (s == o and p in _REFLEXIVE) or (p == TYPE and o == THING):
            return
        key = (s, p, o)
        f = self.fid.get(key)
        if f is None:
            f = self._new(key, _height(self.height, premises))
            self._queue.append(f)
        elif self._dedupe:
            record = (f, rule, premises)
            if record in self._seen:
                return
            self._seen.add(record)
        if self.uses is not None:
            self._track(len(self.d_fact), f, premises)
        self.d_fact.append(f)
        self.d_rule.append(rule)
        self.d_premises.append(premises)

    def _inconsistent(self, rule: str, premises: Premises, message: str) -> None:
        key = (R[rule], frozenset(premises))
        if key not in self._seen_inconsistencies:
            self._seen_inconsistencies.add(key)
            self.inconsistencies.append((R[rule], premises, message))

    def _f(self, s: int, p: int, o: int) -> int:
        return self.fid[(s, p, o)]

    def _objects(self, s: int, p: int) -> set[int]:
        return self.sp.get(p, {}).get(s, set())

    def _subjects(self, p: int, o: int) -> set[int]:
        return self.po.get(p, {}).get(o, set())

    def _has(self, s: int, p: int, o: int) -> bool:
        """True if ``s p o`` has been taken from the queue (is joinable)."""
        return o in self.sp.get(p, {}).get(s, ())

    def _name(self, term: int) -> str:
        return self.terms.terms[term].n3()

    def _disjoint(self, x: int, c: int, d: int) -> str:
        return (f"Disjoint classes {self._name(c)} and {self._name(d)} have a common instance "
                f"{self._name(x)}")

    def unindex(self, f: int) -> None:
        """Remove fact ``f`` from the indexes and the fact table (it is no longer entailed)."""
        triple = self.facts[f]
        if triple is None:
            return
        s, p, o = triple
        for index, key, value in ((self.sp, s, o), (self.po, o, s)):
            bucket = index.get(p, {}).get(key)
            if bucket is not None:
                bucket.discard(value)
                if not bucket:
                    del index[p][key]
        if self.by_s is not None and self.by_o is not None:
            self.by_s.get(s, set()).discard((p, o))
            self.by_o.get(o, set()).discard((s, p))
        del self.fid[triple]
        self.facts[f] = None
        self.base.discard(f)

    def _index(self, s: int, p: int, o: int) -> None:
        self.sp.setdefault(p, {}).setdefault(s, set()).add(o)
        self.po.setdefault(p, {}).setdefault(o, set()).add(s)
        if self.by_s is not None and self.by_o is not None:
            self.by_s.setdefault(s, set()).add((p, o))
            self.by_o.setdefault(o, set()).add((s, p))

    def _list(self, head: int) -> list[tuple[tuple[int, ...], Premises]]:
        """Every reading of the RDF list at ``head``: its members and the fact ids of its triples.

        A well-formed list has one reading. Equality can give a list node several ``rdf:first``
        or ``rdf:rest`` values (eq-rep-o); each path through them is a reading the rules match
        (at most :data:`MAX_LIST_READINGS`); a cycle or a dead end is no reading.
        """
        readings: list[tuple[tuple[int, ...], Premises]] = []
        stack: list[tuple[int, tuple[int, ...], Premises, frozenset[int]]] = [(head, (), (), frozenset())]
        while stack and len(readings) < MAX_LIST_READINGS:
            node, members, triples, seen = stack.pop()
            if node == NIL:
                readings.append((members, triples))
                continue
            if node in seen:
                continue
            for item in sorted(self._objects(node, FIRST)):
                for after in sorted(self._objects(node, REST)):
                    stack.append((after, members + (item,),
                                  triples + (self._f(node, FIRST, item), self._f(node, REST, after)),
                                  seen | {node}))
        return readings

    def _lists_of(self, p: int) -> Iterator[tuple[int, int, tuple[int, ...], Premises]]:
        """``(subject, head, members, premises)`` for every ``subject p head`` whose list is whole."""
        for s, heads in list(self.sp.get(p, {}).items()):
            for head in list(heads):
                for members, triples in self._list(head):
                    yield s, head, members, (self._f(s, p, head),) + triples

    # ------------------------------------------------------------------ restrictions
    def _restrictions(self, kind: int) -> Iterator[tuple[int, int, int, Premises]]:
        """``(restriction, value, property, axiom facts)`` for ``r kind value . r onProperty p``."""
        for r, values in list(self.sp.get(kind, {}).items()):
            for prop in list(self._objects(r, ONP)):
                for value in list(values):
                    yield r, value, prop, (self._f(r, kind, value), self._f(r, ONP, prop))

    def _cardinalities(self, kind: int) -> Iterator[tuple[int, int, int, Premises]]:
        """``(restriction, n, property, axiom facts)`` for cardinality 0 or 1 restrictions."""
        for r, value, prop, axioms in self._restrictions(kind):
            try:
                n = int(self.terms.terms[value])  # type: ignore[call-overload]
            except (TypeError, ValueError):
                continue
            if n in (0, 1):
                yield r, n, prop, axioms
