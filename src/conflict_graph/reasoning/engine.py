"""A forward-chaining OWL 2 RL engine that records every rule firing.

It implements the rules of OWL 2 Profiles §4.3 (tables 4-9, https://www.w3.org/TR/owl2-profiles/
#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules) semi-naively over interned triples:

* every fact (asserted or derived) gets an id; a new fact is queued, and when it is taken from
  the queue it is added to the indexes (by predicate and subject, by predicate and object) and
  joined *only* against the facts already taken, once for each premise position it can fill. So
  every instantiation of a rule body fires exactly once, when its last premise is taken: the
  recorded derivations are complete, which is what exact deletion (DRed,
  :mod:`.incremental`) needs;
* the schema (subclass, subproperty, domain, restrictions, property characteristics, lists, ...)
  is read from the same indexes and compiled into small per-predicate and per-class rule tables
  ("one specialised rule per axiom"), rebuilt only when a schema triple is taken;
* the asserted schema is closed first (scm-*), then the data runs through the compiled tables;
* a rule whose head is ``false`` (cax-dw, prp-irp, eq-diff1, ...) records an inconsistency.

The engine never derives what the project's cleaning removes anyway (:mod:`.cleaning`): triples
with a literal subject, ``x owl:sameAs x`` and other reflexive schema triples, ``x rdf:type
owl:Thing``. See docs/reasoning.md for the rules covered and the differences with owlrl.
"""


from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Node

from .rule_ids import FIRST, REST, RULES, SAME, DIFF, SCHEMA_CLASSES, SCHEMA_PREDICATES, TYPE
from .schema_rules import SchemaRules

__all__ = ["RULES", "RuleEngine"]


class RuleEngine(SchemaRules):
    """The OWL 2 RL closure of a set of triples, its derivations and its inconsistencies.

    The state and its lookups are :class:`~.engine_core.EngineCore`'s; the rule tables,
    data rules and schema rules come from :mod:`.rule_tables`, :mod:`.data_rules` and
    :mod:`.schema_rules`. This class runs the worklist.
    """

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[int]:
        """Assert ``triples`` and run the rules to a fixpoint; return their fact ids."""
        term = self.terms.id
        lists: list[int] = []
        schema: list[int] = []
        data: list[int] = []
        ids: list[int] = []
        for s, p, o in triples:
            si, pi, oi = term(s), term(p), term(o)
            key = (si, pi, oi)
            f = self.fid.get(key)
            if f is None:
                f = self._new(key, 0)
                bucket = (lists if pi in (FIRST, REST) else
                          schema if pi in SCHEMA_PREDICATES or (pi == TYPE and oi in SCHEMA_CLASSES)
                          else data)
                bucket.append(f)
                if self.terms.literal[oi] and getattr(o, "ill_typed", False):
                    self._inconsistent("dt-not-type", (f,), f"{o.n3()} is not a valid literal of "
                                       f"its datatype")
            else:
                self.height[f] = 0
            self.base.add(f)
            ids.append(f)
        for bucket in (lists, schema):  # the schema is closed before the data is joined with it
            self._queue.extend(bucket)
            self._run()
        self._queue.extend(data)
        self._run()
        return ids

    def _run(self) -> None:
        queue = self._queue
        facts = self.facts
        while queue:
            f = queue.popleft()
            triple = facts[f]
            if triple is not None:
                self._take(f, triple)

    def _take(self, f: int, triple: tuple[int, int, int]) -> None:
        s, p, o = triple
        self._index(s, p, o)
        schema = p in SCHEMA_PREDICATES or (p == TYPE and o in SCHEMA_CLASSES)
        if schema or p == SAME or p == DIFF:
            if schema:
                self._properties.clear()
                self._classes.clear()
            self._dedupe = True
            try:
                self._schema(f, s, p, o)
                if schema:
                    self._replay_all()
            finally:
                self._dedupe = False
        rules = self._properties.get(p)
        if rules is None:
            rules = self._properties[p] = self._compile_property(p)
        self._fire_property(f, s, p, o, rules)
        if p == TYPE:
            crules = self._classes.get(o)
            if crules is None:
                crules = self._classes[o] = self._compile_class(o)
            self._fire_class(f, s, o, crules)
        if self.by_s is not None:
            self._fire_same_as(f, s, p, o)
