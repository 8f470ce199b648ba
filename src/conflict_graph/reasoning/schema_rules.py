"""The schema rules: a schema triple joined with the facts taken before it (scm-*, and the other
premise positions of the data rules), and the multi-triple axioms (lists, restrictions,
n-ary disjointness) re-joined whole when one of their triples arrives.
"""

from __future__ import annotations

from .data_rules import DataRules
from .rule_ids import (ADC, ADP, ALLDIFF, ASYM, AVF, CHAIN, COMP, DIFF, DISJ, DMEMBERS, DOMAIN, EQC, EQP,
                       FUNC, HASKEY, HV, IFP, INTER, INV, IRR, MAXC, MAXQC, MEMBERS, ONEOF, PDW, RANGE,
                       SAME, SCO, SPO, SVF, SYM, THING, TRANS, TYPE, UNION, R, Premises)

__all__ = ["SchemaRules"]


class SchemaRules(DataRules):
    """Joins schema triples with the facts taken so far; replays multi-triple axioms."""

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

    def _hierarchy(self, f: int, a: int, b: int, link: int, equivalence: int, transitive: str,
                   mutual: str) -> None:
        """``a link b`` (subclass or subproperty): scm-sco/scm-spo both ways, scm-eqc2/scm-eqp2."""
        derive = self._derive
        for c in list(self._objects(b, link)):
            derive(a, link, c, R[transitive], (f, self._f(b, link, c)))
        for z in list(self._subjects(link, a)):
            derive(z, link, b, R[transitive], (self._f(z, link, a), f))
        if self._has(b, link, a):
            back = self._f(b, link, a)
            derive(a, equivalence, b, R[mutual], (f, back))
            derive(b, equivalence, a, R[mutual], (back, f))

    def _subclass(self, f: int, c1: int, c2: int) -> None:
        derive = self._derive
        if c2 != THING:
            for x in list(self._subjects(TYPE, c1)):
                derive(x, TYPE, c2, R["cax-sco"], (f, self._f(x, TYPE, c1)))
        self._hierarchy(f, c1, c2, SCO, EQC, "scm-sco", "scm-eqc2")
        for kind in (DOMAIN, RANGE):
            rule = R["scm-dom1" if kind == DOMAIN else "scm-rng1"]
            for q in list(self._subjects(kind, c1)):
                derive(q, kind, c2, rule, (self._f(q, kind, c1), f))

    def _subproperty(self, f: int, p1: int, p2: int) -> None:
        self._replay_property(p1, p2, f, "prp-spo1", inverse=False)
        self._hierarchy(f, p1, p2, SPO, EQP, "scm-spo", "scm-eqp2")
        for kind in (DOMAIN, RANGE):
            rule = R["scm-dom2" if kind == DOMAIN else "scm-rng2"]
            for c in list(self._objects(p2, kind)):
                self._derive(p1, kind, c, rule, (self._f(p2, kind, c), f))

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
