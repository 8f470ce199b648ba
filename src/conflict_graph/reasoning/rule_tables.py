"""The schema compiled into rule tables: per predicate and per class, the rules a new triple fires.

"One specialised rule per axiom": for ``x p y``, the super-properties, domains, ranges, inverses,
chains and restrictions of ``p``; for ``x rdf:type C``, the super-classes, disjoint classes,
intersections, unions and restrictions involving ``C``. Tables are read from the facts taken so
far and rebuilt when a schema triple is taken.
"""

from __future__ import annotations

from .engine_core import EngineCore
from .rule_ids import (ADC, ADP, ASYM, AVF, COMP, DISJ, DOMAIN, EQC, EQP, FUNC, HASKEY, HV, IFP, INTER,
                       INV, IRR, MAXC, MAXQC, MEMBERS, ONCLASS, PDW, RANGE, SCO, SPO, SVF, SYM, THING,
                       TRANS, TYPE, UNION, CHAIN, R, Premises)

__all__ = ["CompiledTables"]


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


class CompiledTables(EngineCore):
    """Compiles (and caches, in the engine) the rule tables of a predicate or a class."""

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
