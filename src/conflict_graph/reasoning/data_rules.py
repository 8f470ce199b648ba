"""The data rules: what a new triple derives through the compiled tables (OWL 2 Profiles §4.3,
tables 4-7), and equality (eq-*), which joins a triple with the aliases of its terms.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .rule_ids import (ALLDIFF, DIFF, DMEMBERS, MEMBERS, NOTHING, R, SAME, THING, TYPE, Premises)
from .rule_tables import CompiledTables, _ClassRules, _PropertyRules

__all__ = ["DataRules"]


class DataRules(CompiledTables):
    """Fires the compiled tables on one taken triple, each premise position joined once."""

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
