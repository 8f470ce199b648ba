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

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from rdflib.term import Node

from .terms import VOCABULARY, TermTable

__all__ = ["RULES", "RuleEngine"]

_I = {name: index for index, name in enumerate(VOCABULARY)}
TYPE, FIRST, REST, NIL = _I["type"], _I["first"], _I["rest"], _I["nil"]
SCO, SPO, DOMAIN, RANGE = _I["sco"], _I["spo"], _I["domain"], _I["range"]
SAME, DIFF, ALLDIFF, MEMBERS, DMEMBERS = (_I["sameAs"], _I["differentFrom"], _I["AllDifferent"],
                                          _I["members"], _I["distinctMembers"])
EQC, EQP, INV, THING, NOTHING = _I["eqc"], _I["eqp"], _I["inverseOf"], _I["Thing"], _I["Nothing"]
FUNC, IFP, IRR, SYM, ASYM, TRANS = (_I["FunctionalProperty"], _I["InverseFunctionalProperty"],
                                    _I["IrreflexiveProperty"], _I["SymmetricProperty"],
                                    _I["AsymmetricProperty"], _I["TransitiveProperty"])
CHAIN, PDW, ADP, ADC, HASKEY = (_I["chain"], _I["pdw"], _I["AllDisjointProperties"],
                                _I["AllDisjointClasses"], _I["hasKey"])
SRC, APROP, TIND, TVAL = (_I["sourceIndividual"], _I["assertionProperty"], _I["targetIndividual"],
                          _I["targetValue"])
INTER, UNION, COMP, ONEOF, DISJ = (_I["intersectionOf"], _I["unionOf"], _I["complementOf"],
                                   _I["oneOf"], _I["disjointWith"])
SVF, AVF, HV, ONP, ONCLASS, MAXC, MAXQC = (_I["svf"], _I["avf"], _I["hasValue"], _I["onProperty"],
                                           _I["onClass"], _I["maxCardinality"],
                                           _I["maxQualifiedCardinality"])

#: Rule ids (OWL 2 Profiles §4.3); a derivation stores the index of its rule in this tuple.
RULES: tuple[str, ...] = (
    "eq-sym", "eq-trans", "eq-rep-s", "eq-rep-p", "eq-rep-o", "eq-diff1", "eq-diff2", "eq-diff3",
    "prp-dom", "prp-rng", "prp-fp", "prp-ifp", "prp-irp", "prp-symp", "prp-asyp", "prp-trp",
    "prp-spo1", "prp-spo2", "prp-eqp1", "prp-eqp2", "prp-pdw", "prp-adp", "prp-inv1", "prp-inv2",
    "prp-key", "prp-npa1", "prp-npa2",
    "cls-nothing2", "cls-int1", "cls-int2", "cls-uni", "cls-com", "cls-svf1", "cls-svf2", "cls-avf",
    "cls-hv1", "cls-hv2", "cls-maxc1", "cls-maxc2", "cls-maxqc1", "cls-maxqc2", "cls-maxqc3",
    "cls-maxqc4", "cls-oo",
    "cax-sco", "cax-eqc1", "cax-eqc2", "cax-dw", "cax-adc",
    "dt-not-type",
    "scm-sco", "scm-eqc1", "scm-eqc2", "scm-spo", "scm-eqp1", "scm-eqp2", "scm-dom1", "scm-dom2",
    "scm-rng1", "scm-rng2", "scm-hv", "scm-svf1", "scm-svf2", "scm-avf1", "scm-avf2", "scm-int",
    "scm-uni",
)
R = {name: index for index, name in enumerate(RULES)}

#: Predicates whose triples are schema: taking one rebuilds the compiled rule tables.
SCHEMA_PREDICATES = frozenset({
    SCO, SPO, DOMAIN, RANGE, EQC, EQP, INV, CHAIN, PDW, INTER, UNION, COMP, ONEOF, DISJ, SVF, AVF,
    HV, ONP, ONCLASS, MAXC, MAXQC, HASKEY, MEMBERS, DMEMBERS, FIRST, REST})
#: Classes whose instances are schema (property characteristics and n-ary axioms).
SCHEMA_CLASSES = frozenset({FUNC, IFP, IRR, SYM, ASYM, TRANS, ADC, ADP, ALLDIFF})
#: Readings of one RDF list the rules consider at most (lists only branch under owl:sameAs).
MAX_LIST_READINGS = 64
#: Reflexive triples the cleaning removes: the engine never derives them.
_REFLEXIVE = frozenset({SAME, SCO, SPO, EQC, EQP})

Premises = tuple[int, ...]


class _PropertyRules:
    """The compiled rules that fire on a triple with one given predicate."""

    __slots__ = ("spo", "dom", "rng", "inv", "sym", "trans", "func", "ifp", "irr", "asym", "pdw",
                 "adp", "chains", "svf", "avf", "hv", "maxc0", "maxc1", "maxqc", "keys")

    def __init__(self) -> None:
        self.spo: list[tuple[int, int, int]] = []  # (super property, axiom fact, rule)
        self.dom: list[tuple[int, int]] = []
        self.rng: list[tuple[int, int]] = []
        self.inv: list[tuple[int, int, int]] = []
        self.sym = self.trans = self.func = self.ifp = self.irr = self.asym = -1
        self.pdw: list[tuple[int, int]] = []
        self.chains: list[tuple[int, tuple[int, ...], Premises, int]] = []
        self.svf: list[tuple[int, int, Premises]] = []   # (restriction, class, axiom facts)
        self.avf: list[tuple[int, int, Premises]] = []
        self.hv: list[tuple[int, int, Premises]] = []
        self.maxc0: list[tuple[int, Premises]] = []
        self.maxc1: list[tuple[int, Premises]] = []
        self.maxqc: list[tuple[int, int, int, Premises]] = []  # (restriction, n, class, axioms)
        self.keys: list[tuple[int, tuple[int, ...], Premises]] = []
        self.adp: list[tuple[int, Premises]] = []  # (other member, list and axiom facts)


class _ClassRules:
    """The compiled rules that fire on ``x rdf:type C`` for one class C."""

    __slots__ = ("sup", "dw", "com", "int_in", "int_of", "uni_in", "svf_of_class", "avf", "hv",
                 "maxc0", "maxc1", "maxqc", "maxqc_on", "adc", "keys")

    def __init__(self) -> None:
        self.sup: list[tuple[int, int, int]] = []      # (class, axiom fact, rule)
        self.dw: list[tuple[int, int]] = []
        self.com: list[tuple[int, int]] = []
        self.int_in: list[tuple[int, tuple[int, ...], Premises]] = []
        self.int_of: list[tuple[tuple[int, ...], Premises]] = []
        self.uni_in: list[tuple[int, Premises]] = []
        self.svf_of_class: list[tuple[int, int, Premises]] = []  # (restriction, property, axioms)
        self.avf: list[tuple[int, int, Premises]] = []   # (property, class, axioms), C = restriction
        self.hv: list[tuple[int, int, Premises]] = []
        self.maxc0: list[tuple[int, Premises]] = []
        self.maxc1: list[tuple[int, Premises]] = []
        self.maxqc: list[tuple[int, int, int, Premises]] = []
        self.maxqc_on: list[tuple[int, int, int, Premises]] = []  # (restriction, n, property, axioms)
        self.adc: list[tuple[tuple[int, ...], Premises]] = []
        self.keys: list[tuple[tuple[int, ...], Premises]] = []


def _height(heights: list[int], premises: Premises) -> int:
    return 1 + max((heights[p] for p in premises), default=0)


class RuleEngine:
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

    # ------------------------------------------------------------------ public
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

    # ------------------------------------------------------------------ facts and firings
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

    # ------------------------------------------------------------------ the worklist
    def _run(self) -> None:
        queue = self._queue
        facts = self.facts
        while queue:
            f = queue.popleft()
            triple = facts[f]
            if triple is not None:
                self._take(f, triple)

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

    # ------------------------------------------------------------------ lists
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

    # ------------------------------------------------------------------ compiled tables
    def _compile_property(self, p: int) -> _PropertyRules:
        rules = _PropertyRules()
        f = self._f
        rules.spo = [(q, f(p, SPO, q), R["prp-spo1"]) for q in self._objects(p, SPO)]
        rules.spo += [(q, f(p, EQP, q), R["prp-eqp1"]) for q in self._objects(p, EQP)]
        rules.spo += [(q, f(q, EQP, p), R["prp-eqp2"]) for q in self._subjects(EQP, p)]
        rules.dom = [(c, f(p, DOMAIN, c)) for c in self._objects(p, DOMAIN)]
        rules.rng = [(c, f(p, RANGE, c)) for c in self._objects(p, RANGE)]
        rules.inv = [(q, f(p, INV, q), R["prp-inv1"]) for q in self._objects(p, INV)]
        rules.inv += [(q, f(q, INV, p), R["prp-inv2"]) for q in self._subjects(INV, p)]
        for kind in (SYM, TRANS, FUNC, IFP, IRR, ASYM):
            if self._has(p, TYPE, kind):
                setattr(rules, {SYM: "sym", TRANS: "trans", FUNC: "func", IFP: "ifp", IRR: "irr",
                                ASYM: "asym"}[kind], f(p, TYPE, kind))
        rules.pdw = [(q, f(p, PDW, q)) for q in self._objects(p, PDW)]
        rules.pdw += [(q, f(q, PDW, p)) for q in self._subjects(PDW, p)]
        for node, _head, members, premises in self._lists_of(MEMBERS):
            if p in members and self._has(node, TYPE, ADP):
                rules.adp += [(q, premises + (f(node, TYPE, ADP),)) for q in members if q != p]
        for chain_property, _, members, premises in self._lists_of(CHAIN):
            rules.chains += [(chain_property, members, premises, i)
                             for i, q in enumerate(members) if q == p]
        for kind, target in ((SVF, rules.svf), (AVF, rules.avf), (HV, rules.hv)):
            target += [(r, value, axioms) for r, value, prop, axioms in self._restrictions(kind)
                       if prop == p]
        for r, n, prop, axioms in self._cardinalities(MAXC):
            if prop == p:
                (rules.maxc0 if n == 0 else rules.maxc1).append((r, axioms))
        for r, n, prop, axioms in self._cardinalities(MAXQC):
            if prop == p:
                for c in self._objects(r, ONCLASS):
                    rules.maxqc.append((r, n, c, axioms + (f(r, ONCLASS, c),)))
        for c, _, props, premises in self._lists_of(HASKEY):
            if p in props:
                rules.keys.append((c, props, premises))
        return rules

    def _compile_class(self, c: int) -> _ClassRules:
        rules = _ClassRules()
        f = self._f
        rules.sup = [(d, f(c, SCO, d), R["cax-sco"]) for d in self._objects(c, SCO) if d != THING]
        rules.sup += [(d, f(c, EQC, d), R["cax-eqc1"]) for d in self._objects(c, EQC)]
        rules.sup += [(d, f(d, EQC, c), R["cax-eqc2"]) for d in self._subjects(EQC, c)]
        rules.dw = [(d, f(c, DISJ, d)) for d in self._objects(c, DISJ)]
        rules.dw += [(d, f(d, DISJ, c)) for d in self._subjects(DISJ, c)]
        rules.com = [(d, f(c, COMP, d)) for d in self._objects(c, COMP)]
        rules.com += [(d, f(d, COMP, c)) for d in self._subjects(COMP, c)]
        for ic, _, members, premises in self._lists_of(INTER):
            if c in members:
                rules.int_in.append((ic, members, premises))
            if ic == c:
                rules.int_of.append((members, premises))
        rules.uni_in = [(uc, premises) for uc, _, members, premises in self._lists_of(UNION)
                        if c in members]
        rules.svf_of_class = [(r, prop, axioms) for r, value, prop, axioms in self._restrictions(SVF)
                              if value == c]
        rules.avf = [(prop, value, axioms) for r, value, prop, axioms in self._restrictions(AVF)
                     if r == c]
        rules.hv = [(prop, value, axioms) for r, value, prop, axioms in self._restrictions(HV)
                    if r == c]
        for r, n, prop, axioms in self._cardinalities(MAXC):
            if r == c:
                (rules.maxc0 if n == 0 else rules.maxc1).append((prop, axioms))
        for r, n, prop, axioms in self._cardinalities(MAXQC):
            for d in self._objects(r, ONCLASS):
                if r == c:
                    rules.maxqc.append((prop, n, d, axioms + (f(r, ONCLASS, d),)))
                if d == c:
                    rules.maxqc_on.append((r, n, prop, axioms + (f(r, ONCLASS, d),)))
        rules.keys = [(props, premises) for keyed, _head, props, premises in self._lists_of(HASKEY)
                      if keyed == c]
        rules.adc = [(members, premises + (f(node, TYPE, ADC),))
                     for node, _head, members, premises in self._lists_of(MEMBERS)
                     if c in members and self._has(node, TYPE, ADC)]
        return rules

    # ------------------------------------------------------------------ data rules
    def _fire_property(self, f: int, s: int, p: int, o: int, rules: _PropertyRules) -> None:
        derive = self._derive
        for q, axiom, rule in rules.spo:
            derive(s, q, o, rule, (axiom, f))
        for c, axiom in rules.dom:
            derive(s, TYPE, c, R["prp-dom"], (axiom, f))
        for c, axiom in rules.rng:
            derive(o, TYPE, c, R["prp-rng"], (axiom, f))
        for q, axiom, rule in rules.inv:
            derive(o, q, s, rule, (axiom, f))
        if rules.sym >= 0:
            derive(o, p, s, R["prp-symp"], (rules.sym, f))
        if rules.trans >= 0:
            by_s, by_o = self.sp[p], self.po[p]
            for z in list(by_s.get(o, ())):
                derive(s, p, z, R["prp-trp"], (rules.trans, f, self._f(o, p, z)))
            for x in list(by_o.get(s, ())):
                if (x, p, s) != (s, p, o):
                    derive(x, p, o, R["prp-trp"], (rules.trans, self._f(x, p, s), f))
        if rules.func >= 0:  # both instantiations (y1, y2) and (y2, y1) end with this triple
            for y in list(self.sp[p].get(s, ())):
                if y != o:
                    other = self._f(s, p, y)
                    derive(o, SAME, y, R["prp-fp"], (rules.func, f, other))
                    derive(y, SAME, o, R["prp-fp"], (rules.func, other, f))
        if rules.ifp >= 0:
            for x in list(self.po[p].get(o, ())):
                if x != s:
                    other = self._f(x, p, o)
                    derive(s, SAME, x, R["prp-ifp"], (rules.ifp, f, other))
                    derive(x, SAME, s, R["prp-ifp"], (rules.ifp, other, f))
        if rules.irr >= 0 and s == o:
            self._inconsistent("prp-irp", (rules.irr, f),
                               f"{self._name(s)} {self._name(p)} itself, but the property is irreflexive")
        if rules.asym >= 0 and self._has(o, p, s):
            self._inconsistent("prp-asyp", (rules.asym, f, self._f(o, p, s)),
                               f"{self._name(p)} is asymmetric but holds both ways between "
                               f"{self._name(s)} and {self._name(o)}")
        for q, axiom in rules.pdw:
            if self._has(s, q, o):
                self._inconsistent("prp-pdw", (axiom, f, self._f(s, q, o)),
                                   f"{self._name(s)} is linked to {self._name(o)} by the disjoint "
                                   f"properties {self._name(p)} and {self._name(q)}")
        for q, axioms in rules.adp:
            if self._has(s, q, o):
                self._inconsistent("prp-adp", axioms + (f, self._f(s, q, o)),
                                   f"{self._name(s)} is linked to {self._name(o)} by the disjoint "
                                   f"properties {self._name(p)} and {self._name(q)}")
        for chain_property, members, axioms, i in rules.chains:
            self._fire_chain(chain_property, members, axioms, i, f, s, o)
        for r, c, axioms in rules.svf:
            if c == THING:
                derive(s, TYPE, r, R["cls-svf2"], axioms + (f,))
            elif self._has(o, TYPE, c):
                derive(s, TYPE, r, R["cls-svf1"], axioms + (f, self._f(o, TYPE, c)))
        for r, c, axioms in rules.avf:
            if self._has(s, TYPE, r):
                derive(o, TYPE, c, R["cls-avf"], axioms + (self._f(s, TYPE, r), f))
        for r, v, axioms in rules.hv:
            if v == o:
                derive(s, TYPE, r, R["cls-hv2"], axioms + (f,))
        for r, axioms in rules.maxc0:
            if self._has(s, TYPE, r):
                self._inconsistent("cls-maxc1", axioms + (self._f(s, TYPE, r), f),
                                   f"{self._name(s)} has a value for {self._name(p)} but may have none")
        for r, axioms in rules.maxc1:
            if self._has(s, TYPE, r):
                typed = self._f(s, TYPE, r)
                for y in list(self.sp[p].get(s, ())):
                    if y != o:
                        other = self._f(s, p, y)
                        derive(o, SAME, y, R["cls-maxc2"], axioms + (typed, f, other))
                        derive(y, SAME, o, R["cls-maxc2"], axioms + (typed, other, f))
        for r, n, c, axioms in rules.maxqc:
            self._fire_maxqc(r, n, c, p, axioms, s, o)
        for c, props, axioms in rules.keys:
            self._fire_key(c, props, axioms, s)

    def _fire_chain(self, chain_property: int, members: tuple[int, ...], axioms: Premises, i: int,
                    f: int, s: int, o: int) -> None:
        """prp-spo2: extend the triple at chain position ``i`` to whole chains both ways."""
        lefts: list[tuple[int, Premises]] = [(s, ())]
        for q in reversed(members[:i]):
            lefts = [(x, (self._f(x, q, y),) + path) for y, path in lefts
                     for x in list(self._subjects(q, y))]
        rights: list[tuple[int, Premises]] = [(o, ())]
        for q in members[i + 1:]:
            rights = [(z, path + (self._f(y, q, z),)) for y, path in rights
                      for z in list(self._objects(y, q))]
        for x, left in lefts:
            for z, right in rights:
                self._derive(x, chain_property, z, R["prp-spo2"], axioms + left + (f,) + right)

    def _fire_maxqc(self, r: int, n: int, c: int, p: int, axioms: Premises, u: int, y: int) -> None:
        """cls-maxqc1-4 for ``u p y`` when ``u`` is an instance of the restriction ``r``."""
        if not self._has(u, TYPE, r):
            return
        typed = self._f(u, TYPE, r)
        step = self._f(u, p, y)
        unqualified = c == THING
        if not unqualified and not self._has(y, TYPE, c):
            return
        y_premises = () if unqualified else (self._f(y, TYPE, c),)
        if n == 0:
            self._inconsistent("cls-maxqc2" if unqualified else "cls-maxqc1",
                               axioms + (typed, step) + y_premises,
                               f"{self._name(u)} has a {self._name(p)} value it may not have")
            return
        rule = R["cls-maxqc4" if unqualified else "cls-maxqc3"]
        for other in list(self._objects(u, p)):
            if other != y and (unqualified or self._has(other, TYPE, c)):
                more = () if unqualified else (self._f(other, TYPE, c),)
                other_step = self._f(u, p, other)
                self._derive(y, SAME, other, rule, axioms + (typed, step) + y_premises + (other_step,) + more)
                self._derive(other, SAME, y, rule, axioms + (typed, other_step) + more + (step,) + y_premises)

    def _fire_key(self, c: int, props: tuple[int, ...], axioms: Premises, x: int) -> None:
        """prp-key: instances of ``c`` with the same values for every key property are the same."""
        if not self._has(x, TYPE, c):
            return
        values = [self._objects(x, q) for q in props]
        if not all(values):
            return
        candidates = set(self._subjects(TYPE, c))
        for q, vs in zip(props, values):
            candidates &= {y for v in vs for y in self._subjects(q, v)}
        for y in candidates:
            if y == x:
                continue
            for a, b in ((x, y), (y, x)):
                for combination in self._key_premises(props, a, b):
                    self._derive(a, SAME, b, R["prp-key"],
                                 axioms + (self._f(a, TYPE, c), self._f(b, TYPE, c)) + combination)

    def _key_premises(self, props: tuple[int, ...], x: int, y: int) -> Iterator[Premises]:
        """One premise tuple per choice of shared values (each is an instantiation of prp-key)."""
        choices: list[list[Premises]] = []
        for q in props:
            common = sorted(self._objects(x, q) & self._objects(y, q))
            if not common:
                return
            choices.append([(self._f(x, q, v), self._f(y, q, v)) for v in common])
        for combination in itertools.product(*choices):
            yield tuple(p for pair in combination for p in pair)

    def _fire_class(self, f: int, x: int, c: int, rules: _ClassRules) -> None:
        derive = self._derive
        if c == NOTHING:
            self._inconsistent("cls-nothing2", (f,), f"{self._name(x)} is an instance of owl:Nothing")
        for d, axiom, rule in rules.sup:
            derive(x, TYPE, d, rule, (axiom, f))
        for d, axiom in rules.dw:
            if self._has(x, TYPE, d):
                self._inconsistent("cax-dw", (axiom, f, self._f(x, TYPE, d)), self._disjoint(x, c, d))
        for d, axiom in rules.com:
            if self._has(x, TYPE, d):
                self._inconsistent("cls-com", (axiom, f, self._f(x, TYPE, d)),
                                   f"{self._name(x)} is an instance of {self._name(c)} and of its "
                                   f"complement {self._name(d)}")
        for ic, members, premises in rules.int_in:
            if all(self._has(x, TYPE, m) for m in members):
                derive(x, TYPE, ic, R["cls-int1"],
                       premises + tuple(self._f(x, TYPE, m) for m in members))
        for members, premises in rules.int_of:
            for m in members:
                derive(x, TYPE, m, R["cls-int2"], premises + (f,))
        for uc, premises in rules.uni_in:
            derive(x, TYPE, uc, R["cls-uni"], premises + (f,))
        for r, prop, axioms in rules.svf_of_class:
            for u in list(self._subjects(prop, x)):
                derive(u, TYPE, r, R["cls-svf1"], axioms + (self._f(u, prop, x), f))
        for prop, d, axioms in rules.avf:
            for v in list(self._objects(x, prop)):
                derive(v, TYPE, d, R["cls-avf"], axioms + (f, self._f(x, prop, v)))
        for prop, v, axioms in rules.hv:
            derive(x, prop, v, R["cls-hv1"], axioms + (f,))
        for prop, axioms in rules.maxc0:
            for y in list(self._objects(x, prop)):
                self._inconsistent("cls-maxc1", axioms + (f, self._f(x, prop, y)),
                                   f"{self._name(x)} has a value for {self._name(prop)} but may have none")
        for prop, axioms in rules.maxc1:
            ys = sorted(self._objects(x, prop))
            for i, y1 in enumerate(ys):
                for y2 in ys[i + 1:]:
                    first, second = self._f(x, prop, y1), self._f(x, prop, y2)
                    derive(y1, SAME, y2, R["cls-maxc2"], axioms + (f, first, second))
                    derive(y2, SAME, y1, R["cls-maxc2"], axioms + (f, second, first))
        for prop, n, d, axioms in rules.maxqc:
            for y in list(self._objects(x, prop)):
                self._fire_maxqc(c, n, d, prop, axioms, x, y)
        for r, n, prop, axioms in rules.maxqc_on:  # x is the qualified value
            for u in list(self._subjects(prop, x)):
                self._fire_maxqc(r, n, c, prop, axioms, u, x)
        for props, premises in rules.keys:
            self._fire_key(c, props, premises, x)
        for members, premises in rules.adc:
            for d in members:
                if d != c and self._has(x, TYPE, d):
                    self._inconsistent("cax-adc", premises + (f, self._f(x, TYPE, d)),
                                       self._disjoint(x, c, d))

    # ------------------------------------------------------------------ equality
    def _enable_equality(self) -> None:
        """Build the subject and object indexes eq-rep-s/o need (only once a sameAs appears)."""
        self.by_s, self.by_o = {}, {}
        for p, by_subject in self.sp.items():
            for s, objects in by_subject.items():
                for o in objects:
                    self.by_s.setdefault(s, set()).add((p, o))
                    self.by_o.setdefault(o, set()).add((s, p))

    def _fire_same_as(self, f: int, s: int, p: int, o: int) -> None:
        """eq-rep-s, eq-rep-p, eq-rep-o for a triple whose subject, predicate or object has an alias."""
        same = self.sp.get(SAME, {})
        for s2 in list(same.get(s, ())):
            self._derive(s2, p, o, R["eq-rep-s"], (self._f(s, SAME, s2), f))
        for p2 in list(same.get(p, ())):
            self._derive(s, p2, o, R["eq-rep-p"], (self._f(p, SAME, p2), f))
        for o2 in list(same.get(o, ())):
            self._derive(s, p, o2, R["eq-rep-o"], (self._f(o, SAME, o2), f))

    def _same_as(self, f: int, x: int, y: int) -> None:
        if self.by_s is None:
            self._enable_equality()
        assert self.by_s is not None and self.by_o is not None
        self._derive(y, SAME, x, R["eq-sym"], (f,))
        for z in list(self._objects(y, SAME)):
            self._derive(x, SAME, z, R["eq-trans"], (f, self._f(y, SAME, z)))
        for w in list(self._subjects(SAME, x)):
            if (w, x) != (x, y):
                self._derive(w, SAME, y, R["eq-trans"], (self._f(w, SAME, x), f))
        for p, o in list(self.by_s.get(x, ())):
            if (p, o) != (SAME, y):
                self._derive(y, p, o, R["eq-rep-s"], (f, self._f(x, p, o)))
        for s, p in list(self.by_o.get(x, ())):
            if (s, p) != (x, SAME):
                self._derive(s, p, y, R["eq-rep-o"], (f, self._f(s, p, x)))
        for s, objects in list(self.sp.get(x, {}).items()):
            for o in list(objects):
                self._derive(s, y, o, R["eq-rep-p"], (f, self._f(s, x, o)))
        for a, b in ((x, y), (y, x)):
            if self._has(a, DIFF, b):
                self._inconsistent("eq-diff1", (f, self._f(a, DIFF, b)),
                                   f"{self._name(x)} is the same as and different from {self._name(y)}")
        for kind, rule in ((MEMBERS, "eq-diff2"), (DMEMBERS, "eq-diff3")):
            for node, _head, members, premises in self._lists_of(kind):
                if x != y and x in members and y in members and self._has(node, TYPE, ALLDIFF):
                    self._inconsistent(rule, premises + (self._f(node, TYPE, ALLDIFF), f),
                                       f"{self._name(x)} is the same as {self._name(y)} but they "
                                       "are declared all different")

    # ------------------------------------------------------------------ schema
    def _schema(self, f: int, s: int, p: int, o: int) -> None:
        """Join a schema triple with what was taken before it (the other premise positions)."""
        if p == SAME:
            self._same_as(f, s, o)
        elif p == DIFF:
            for a, b in ((s, o), (o, s)):
                if self._has(a, SAME, b):
                    self._inconsistent("eq-diff1", (self._f(a, SAME, b), f),
                                       f"{self._name(s)} is the same as and different from {self._name(o)}")
        elif p == SCO:
            self._subclass(f, s, o)
        elif p == EQC:
            self._derive(s, SCO, o, R["scm-eqc1"], (f,))
            self._derive(o, SCO, s, R["scm-eqc1"], (f,))
            for x in list(self._subjects(TYPE, s)):
                self._derive(x, TYPE, o, R["cax-eqc1"], (f, self._f(x, TYPE, s)))
            for x in list(self._subjects(TYPE, o)):
                self._derive(x, TYPE, s, R["cax-eqc2"], (f, self._f(x, TYPE, o)))
        elif p == SPO:
            self._subproperty(f, s, o)
        elif p == EQP:
            self._derive(s, SPO, o, R["scm-eqp1"], (f,))
            self._derive(o, SPO, s, R["scm-eqp1"], (f,))
            self._replay_property(s, o, f, "prp-eqp1", inverse=False)
            self._replay_property(o, s, f, "prp-eqp2", inverse=False)
        elif p in (DOMAIN, RANGE):
            self._domain_range(f, s, p, o)
        elif p == INV:
            self._replay_property(s, o, f, "prp-inv1", inverse=True)
            self._replay_property(o, s, f, "prp-inv2", inverse=True)
        elif p == TYPE:
            self._characteristic(f, s, o)
        elif p == DISJ:
            for x in list(self._subjects(TYPE, s) & self._subjects(TYPE, o)):
                self._inconsistent("cax-dw", (f, self._f(x, TYPE, s), self._f(x, TYPE, o)),
                                   self._disjoint(x, s, o))
        elif p == COMP:
            for x in list(self._subjects(TYPE, s) & self._subjects(TYPE, o)):
                self._inconsistent("cls-com", (f, self._f(x, TYPE, s), self._f(x, TYPE, o)),
                                   f"{self._name(x)} is an instance of {self._name(s)} and of its "
                                   f"complement {self._name(o)}")
        elif p == PDW:
            for x, ys in list(self.sp.get(s, {}).items()):
                for y in list(ys & self._objects(x, o)):
                    self._inconsistent("prp-pdw", (f, self._f(x, s, y), self._f(x, o, y)),
                                       f"{self._name(x)} is linked to {self._name(y)} by the disjoint "
                                       f"properties {self._name(s)} and {self._name(o)}")

    def _subclass(self, f: int, c1: int, c2: int) -> None:
        derive = self._derive
        if c2 != THING:
            for x in list(self._subjects(TYPE, c1)):
                derive(x, TYPE, c2, R["cax-sco"], (f, self._f(x, TYPE, c1)))
        for c3 in list(self._objects(c2, SCO)):
            derive(c1, SCO, c3, R["scm-sco"], (f, self._f(c2, SCO, c3)))
        for c0 in list(self._subjects(SCO, c1)):
            derive(c0, SCO, c2, R["scm-sco"], (self._f(c0, SCO, c1), f))
        if self._has(c2, SCO, c1):
            back = self._f(c2, SCO, c1)
            derive(c1, EQC, c2, R["scm-eqc2"], (f, back))
            derive(c2, EQC, c1, R["scm-eqc2"], (back, f))
        for kind in (DOMAIN, RANGE):
            rule = R["scm-dom1" if kind == DOMAIN else "scm-rng1"]
            for q in list(self._subjects(kind, c1)):
                derive(q, kind, c2, rule, (self._f(q, kind, c1), f))

    def _subproperty(self, f: int, p1: int, p2: int) -> None:
        derive = self._derive
        self._replay_property(p1, p2, f, "prp-spo1", inverse=False)
        for p3 in list(self._objects(p2, SPO)):
            derive(p1, SPO, p3, R["scm-spo"], (f, self._f(p2, SPO, p3)))
        for p0 in list(self._subjects(SPO, p1)):
            derive(p0, SPO, p2, R["scm-spo"], (self._f(p0, SPO, p1), f))
        if self._has(p2, SPO, p1):
            back = self._f(p2, SPO, p1)
            derive(p1, EQP, p2, R["scm-eqp2"], (f, back))
            derive(p2, EQP, p1, R["scm-eqp2"], (back, f))
        for kind in (DOMAIN, RANGE):
            rule = R["scm-dom2" if kind == DOMAIN else "scm-rng2"]
            for c in list(self._objects(p2, kind)):
                derive(p1, kind, c, rule, (self._f(p2, kind, c), f))

    def _domain_range(self, f: int, prop: int, kind: int, c: int) -> None:
        derive = self._derive
        if kind == DOMAIN:
            for x in list(self.sp.get(prop, {})):
                for y in list(self._objects(x, prop)):
                    derive(x, TYPE, c, R["prp-dom"], (f, self._f(x, prop, y)))
        else:
            for y in list(self.po.get(prop, {})):
                for x in list(self._subjects(prop, y)):
                    derive(y, TYPE, c, R["prp-rng"], (f, self._f(x, prop, y)))
        rule1, rule2 = (("scm-dom1", "scm-dom2") if kind == DOMAIN else ("scm-rng1", "scm-rng2"))
        for d in list(self._objects(c, SCO)):
            if d != THING:
                derive(prop, kind, d, R[rule1], (f, self._f(c, SCO, d)))
        for q in list(self._subjects(SPO, prop)):
            derive(q, kind, c, R[rule2], (f, self._f(q, SPO, prop)))

    def _replay_property(self, p1: int, p2: int, axiom: int, rule: str, *, inverse: bool) -> None:
        """Apply ``p1 → p2`` (or its inverse) to every triple of ``p1`` taken so far."""
        for x, ys in list(self.sp.get(p1, {}).items()):
            for y in list(ys):
                if inverse:
                    self._derive(y, p2, x, R[rule], (axiom, self._f(x, p1, y)))
                else:
                    self._derive(x, p2, y, R[rule], (axiom, self._f(x, p1, y)))

    def _characteristic(self, f: int, prop: int, kind: int) -> None:
        """A property characteristic (or n-ary axiom node) applied to the triples taken so far."""
        by_s = self.sp.get(prop, {})
        pairs = [(x, y) for x, ys in list(by_s.items()) for y in list(ys)]
        derive = self._derive
        for x, y in pairs:
            t = self._f(x, prop, y)
            if kind == SYM:
                derive(y, prop, x, R["prp-symp"], (f, t))
            elif kind == TRANS:
                for z in list(self._objects(y, prop)):
                    derive(x, prop, z, R["prp-trp"], (f, t, self._f(y, prop, z)))
            elif kind == FUNC:
                for z in list(self._objects(x, prop)):
                    if z != y:
                        derive(y, SAME, z, R["prp-fp"], (f, t, self._f(x, prop, z)))
            elif kind == IFP:
                for w in list(self._subjects(prop, y)):
                    if w != x:
                        derive(x, SAME, w, R["prp-ifp"], (f, t, self._f(w, prop, y)))
            elif kind == IRR and x == y:
                self._inconsistent("prp-irp", (f, t), f"{self._name(x)} {self._name(prop)} itself, "
                                   "but the property is irreflexive")
            elif kind == ASYM and self._has(y, prop, x):
                self._inconsistent("prp-asyp", (f, t, self._f(y, prop, x)),
                                   f"{self._name(prop)} is asymmetric but holds both ways between "
                                   f"{self._name(x)} and {self._name(y)}")

    def _replay_all(self) -> None:
        """The list- and restriction-based axioms, joined again with every fact taken so far.

        These axioms span several triples (a restriction, an RDF list), so they are re-evaluated
        whole whenever a schema triple is taken; repeated firings are dropped (``_dedupe``).
        Axioms are few and taken before the data, so this costs little.
        """
        derive = self._derive
        for c, _, members, premises in self._lists_of(INTER):
            common: set[int] | None = None
            for m in members:
                instances = self._subjects(TYPE, m)
                common = set(instances) if common is None else common & instances
            for x in common or ():
                derive(x, TYPE, c, R["cls-int1"], premises + tuple(self._f(x, TYPE, m) for m in members))
            for x in list(self._subjects(TYPE, c)):
                for m in members:
                    derive(x, TYPE, m, R["cls-int2"], premises + (self._f(x, TYPE, c),))
            for m in members:
                derive(c, SCO, m, R["scm-int"], premises)
        for c, _, members, premises in self._lists_of(UNION):
            for m in members:
                derive(m, SCO, c, R["scm-uni"], premises)
                for x in list(self._subjects(TYPE, m)):
                    derive(x, TYPE, c, R["cls-uni"], premises + (self._f(x, TYPE, m),))
        for c, _, members, premises in self._lists_of(ONEOF):
            for m in members:
                derive(m, TYPE, c, R["cls-oo"], premises)
        for chain_property, _, members, premises in self._lists_of(CHAIN):
            for x, ys in list(self.sp.get(members[0], {}).items()):
                for y in list(ys):
                    self._fire_chain(chain_property, members, premises, 0, self._f(x, members[0], y), x, y)
        self._replay_restrictions()
        self._replay_disjointness()
        self._replay_class_axioms()

    def _replay_class_axioms(self) -> None:
        """cls-maxc*, cls-maxqc* and prp-key for the instances taken before their axiom."""
        classes = {r for kind in (MAXC, MAXQC) for r, _, _, _ in self._restrictions(kind)}
        classes |= {c for c, _, _, _ in self._lists_of(HASKEY)}
        for c in classes:
            rules = self._compile_class(c)
            for x in list(self._subjects(TYPE, c)):
                self._fire_class(self._f(x, TYPE, c), x, c, rules)

    def _replay_restrictions(self) -> None:
        derive = self._derive
        svf = list(self._restrictions(SVF))
        for r, c, prop, axioms in svf:
            for y, xs in list(self.po.get(prop, {}).items()):
                if c == THING or self._has(y, TYPE, c):
                    for x in list(xs):
                        premises = axioms + (self._f(x, prop, y),)
                        if c == THING:
                            derive(x, TYPE, r, R["cls-svf2"], premises)
                        else:
                            derive(x, TYPE, r, R["cls-svf1"], premises + (self._f(y, TYPE, c),))
        for r, c, prop, axioms in self._restrictions(AVF):
            for x in list(self._subjects(TYPE, r)):
                for y in list(self._objects(x, prop)):
                    derive(y, TYPE, c, R["cls-avf"], axioms + (self._f(x, TYPE, r), self._f(x, prop, y)))
        hv = list(self._restrictions(HV))
        for r, v, prop, axioms in hv:
            for x in list(self._subjects(TYPE, r)):
                derive(x, prop, v, R["cls-hv1"], axioms + (self._f(x, TYPE, r),))
            for x in list(self._subjects(prop, v)):
                derive(x, TYPE, r, R["cls-hv2"], axioms + (self._f(x, prop, v),))
        self._schema_restrictions(svf, hv, list(self._restrictions(AVF)))

    def _schema_restrictions(self, svf: list[tuple[int, int, int, Premises]],
                             hv: list[tuple[int, int, int, Premises]],
                             avf: list[tuple[int, int, int, Premises]]) -> None:
        """scm-svf1/2, scm-avf1/2, scm-hv between every pair of restrictions."""
        derive = self._derive

        def sub(a: int, b: int, kind: int) -> Premises | None:
            if a == b:
                return ()
            if kind == SCO and b == THING:
                return None
            return (self._f(a, kind, b),) if self._has(a, kind, b) else None

        for kind_list, value_rule, property_rule, forward in ((svf, "scm-svf1", "scm-svf2", True),
                                                              (avf, "scm-avf1", "scm-avf2", False)):
            for r1, y1, p1, ax1 in kind_list:
                for r2, y2, p2, ax2 in kind_list:
                    if r1 == r2:
                        continue
                    if p1 == p2:
                        link = sub(y1, y2, SCO)
                        if link is not None and y1 != y2:
                            derive(r1, SCO, r2, R[value_rule], ax1 + ax2 + link)
                    if y1 == y2:
                        link = sub(p1, p2, SPO)
                        if link is not None and p1 != p2:
                            a, b = (r1, r2) if forward else (r2, r1)
                            derive(a, SCO, b, R[property_rule], ax1 + ax2 + link)
        for r1, v1, p1, ax1 in hv:
            for r2, v2, p2, ax2 in hv:
                if r1 != r2 and v1 == v2 and p1 != p2 and self._has(p1, SPO, p2):
                    derive(r1, SCO, r2, R["scm-hv"], ax1 + ax2 + (self._f(p1, SPO, p2),))

    def _replay_disjointness(self) -> None:
        """eq-diff2/3, prp-adp and cax-adc over their member lists."""
        for node, _, members, premises in self._lists_of(MEMBERS):
            kinds = [k for k in (ALLDIFF, ADP, ADC) if self._has(node, TYPE, k)]
            for kind in kinds:
                self._pairwise(kind, node, members, premises + (self._f(node, TYPE, kind),), "members")
        for node, _, members, premises in self._lists_of(DMEMBERS):
            if self._has(node, TYPE, ALLDIFF):
                self._pairwise(ALLDIFF, node, members, premises + (self._f(node, TYPE, ALLDIFF),),
                               "distinctMembers")

    def _pairwise(self, kind: int, node: int, members: tuple[int, ...], premises: Premises,
                  via: str) -> None:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if kind == ALLDIFF:
                    for x, y in ((a, b), (b, a)):
                        if self._has(x, SAME, y):
                            self._inconsistent("eq-diff3" if via == "distinctMembers" else "eq-diff2",
                                               premises + (self._f(x, SAME, y),),
                                               f"{self._name(x)} is the same as {self._name(y)} but "
                                               "they are declared all different")
                elif kind == ADC:
                    for x in list(self._subjects(TYPE, a) & self._subjects(TYPE, b)):
                        self._inconsistent("cax-adc", premises + (self._f(x, TYPE, a), self._f(x, TYPE, b)),
                                           self._disjoint(x, a, b))
                elif kind == ADP:
                    for x, ys in list(self.sp.get(a, {}).items()):
                        for y in list(ys & self._objects(x, b)):
                            self._inconsistent("prp-adp", premises + (self._f(x, a, y), self._f(x, b, y)),
                                               f"{self._name(x)} is linked to {self._name(y)} by the "
                                               f"disjoint properties {self._name(a)} and {self._name(b)}")
