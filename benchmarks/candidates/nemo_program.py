"""The OWL 2 RL rules of one ontology compiled into a Nemo program, one specialised rule per axiom.

Nemo (https://github.com/knowsys/nemo) evaluates Datalog; OWL 2 RL rules written over one triple
relation with an unbound predicate join badly there. As RDFox and VLog do, the rules are instead
specialised to the ontology's axioms: each property ``P`` the axioms name gets a binary relation,
each class ``C`` a unary one, and ``A rdfs:subClassOf B`` becomes ``B(?x) :- A(?x) .``

The schema analysis is the native engine's: the ontology alone is closed by
:class:`~conflict_graph.reasoning.engine.RuleEngine` (the scm-* rules of OWL 2 Profiles §4.3,
table 9), and its compiled tables (``_compile_property``, ``_compile_class`` in
:mod:`conflict_graph.reasoning.rule_tables`) give, per property and per class, the rules a data
triple fires. Each table entry becomes one Nemo rule, named in a comment by its OWL 2 RL rule id.

Limits, on purpose (a benchmark compile, not a product): the schema must be in the ontology (a
schema triple in the data is not compiled; :func:`schema_triples_in` counts them); no rule
derives an inconsistency (cax-dw, prp-irp, ... are not compiled); eq-rep-p (``owl:sameAs``
between properties) is not compiled; schema triples inferred by scm-* come from the compile, not
from Nemo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from conflict_graph.reasoning.engine import RuleEngine
from conflict_graph.reasoning.rule_ids import (RULES, SCHEMA_CLASSES, SCHEMA_PREDICATES, THING, TYPE)

__all__ = ["BNODE_PREFIX", "NemoProgram", "compile_program", "schema_triples_in"]

#: Blank nodes of the ontology (restrictions, intersections) written as IRIs in rules and output.
BNODE_PREFIX = "urn:x-bnode:"
_TYPE = f"<{RDF.type}>"
_SAME = f"<{OWL.sameAs}>"


def _constant(term: Node) -> str:
    """``term`` in Nemo's syntax (IRIs and literals as in N-Triples)."""
    if isinstance(term, BNode):
        return f"<{BNODE_PREFIX}{term}>"
    if isinstance(term, (URIRef, Literal)):
        return term.n3()
    raise TypeError(f"cannot write {term!r} as a Nemo constant")


@dataclass
class NemoProgram:
    """A compiled program: its text, and the relation that holds each property and class."""

    properties: dict[Node, str] = field(default_factory=dict)
    classes: dict[Node, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    #: rule text as ``NemoEngine.trace`` prints it → its OWL 2 RL rule id
    rule_ids: dict[str, str] = field(default_factory=dict)

    def prop(self, term: Node) -> str:
        return self.properties.setdefault(term, f"p{len(self.properties)}")

    def cls(self, term: Node) -> str:
        return self.classes.setdefault(term, f"c{len(self.classes)}")

    def rule(self, rule_id: str, head: str, *body: str) -> None:
        """Add ``head :- body`` once (two axioms can compile to the same rule)."""
        text = f"{head} :- {', '.join(body)} ."
        if text not in self.rule_ids:
            self.rule_ids[text] = rule_id
            self.rules.append(f"{text}  % {rule_id}")

    def fact(self, triple: tuple[Node, Node, Node]) -> str | None:
        """The Nemo fact that holds ``triple`` (for ``trace``), or None if no relation does."""
        s, p, o = triple
        if p == RDF.type and o in self.classes:
            return f"{self.classes[o]}({_constant(s)})"
        if p in self.properties:
            return f"{self.properties[p]}({_constant(s)}, {_constant(o)})"
        if p == OWL.sameAs:
            return f"same({_constant(s)}, {_constant(o)})"
        return None

    def text(self, inputs: list[str], export: str) -> str:
        """The whole program: the N-Triples ``inputs`` as ``t``, the compiled rules, equality,
        and ``inferred`` (every closure triple not in ``t``) exported to the file ``export``."""
        lines = [f'@import t{i} :- ntriples{{resource="{path}"}} .' for i, path in enumerate(inputs)]
        lines += [f"t(?s, ?p, ?o) :- t{i}(?s, ?p, ?o) ." for i in range(len(inputs))]
        lines += [f"known({_constant(p)}) ." for p in self.properties]
        lines += [f"knownclass({_constant(c)}) ." for c in self.classes]
        for p, rel in self.properties.items():
            lines.append(f"{rel}(?x, ?y) :- t(?x, {_constant(p)}, ?y) .")
            lines.append(f"{rel}(?y, ?o) :- {rel}(?x, ?o), same(?x, ?y) .  % eq-rep-s")
            lines.append(f"{rel}(?s, ?y) :- {rel}(?s, ?x), same(?x, ?y) .  % eq-rep-o")
            lines.append(f"out(?x, {_constant(p)}, ?y) :- {rel}(?x, ?y) .")
        for c, rel in self.classes.items():
            lines.append(f"{rel}(?x) :- t(?x, {_TYPE}, {_constant(c)}) .")
            lines.append(f"{rel}(?y) :- {rel}(?x), same(?x, ?y) .  % eq-rep-s")
            lines.append(f"out(?x, {_TYPE}, {_constant(c)}) :- {rel}(?x) .")
        lines += [
            f"same(?x, ?y) :- t(?x, {_SAME}, ?y) .",
            "same(?y, ?x) :- same(?x, ?y) .  % eq-sym",
            "same(?x, ?z) :- same(?x, ?y), same(?y, ?z) .  % eq-trans",
            f"out(?x, {_SAME}, ?y) :- same(?x, ?y), ?x != ?y .",
            # triples no compiled rule reads still take part in equality (eq-rep-s, eq-rep-o)
            f"other(?s, ?p, ?o) :- t(?s, ?p, ?o), ~known(?p), ?p != {_TYPE}, ?p != {_SAME} .",
            f"othertype(?x, ?c) :- t(?x, {_TYPE}, ?c), ~knownclass(?c) .",
            "other(?y, ?p, ?o) :- other(?x, ?p, ?o), same(?x, ?y) .  % eq-rep-s",
            "other(?s, ?p, ?y) :- other(?s, ?p, ?x), same(?x, ?y) .  % eq-rep-o",
            "othertype(?y, ?c) :- othertype(?x, ?c), same(?x, ?y) .  % eq-rep-s",
            "out(?s, ?p, ?o) :- other(?s, ?p, ?o) .",
            f"out(?x, {_TYPE}, ?c) :- othertype(?x, ?c) .",
            "inferred(?s, ?p, ?o) :- out(?s, ?p, ?o), ~t(?s, ?p, ?o) .",
            f'@export inferred :- ntriples{{resource="{export}"}} .',
        ]
        return "\n".join(line for line in lines if line) + "\n" + "\n".join(self.rules) + "\n"


def schema_triples_in(triples: Iterable[tuple[Node, Node, Node]]) -> int:
    """How many of ``triples`` are schema triples (which :func:`compile_program` would not see)."""
    engine = RuleEngine()
    predicates = {engine.terms.terms[i] for i in SCHEMA_PREDICATES}
    classes = {engine.terms.terms[i] for i in SCHEMA_CLASSES}
    return sum(1 for _, p, o in triples if p in predicates or (p == RDF.type and o in classes))


def compile_program(ontology: Iterable[tuple[Node, Node, Node]]) -> tuple[NemoProgram, list[tuple[Node, Node, Node]]]:
    """Compile the rules of ``ontology``; also return its schema closure (the scm-* triples)."""
    engine = RuleEngine()
    engine.add(ontology)
    terms = engine.terms.terms
    program = NemoProgram()
    chains: set[tuple[int, tuple[int, ...]]] = set()
    for term_id, term in enumerate(terms):
        if isinstance(term, Literal) or term_id == THING:
            continue
        _property_rules(program, engine, term_id, chains)
        _class_rules(program, engine, term_id)
    schema_closure = [(terms[s], terms[p], terms[o]) for f, (s, p, o) in enumerate(engine.facts)  # type: ignore[misc]
                      if f not in engine.base]
    return program, schema_closure


def _property_rules(program: NemoProgram, engine: RuleEngine, p: int,
                    chains: set[tuple[int, tuple[int, ...]]]) -> None:
    rules = engine._compile_property(p)  # noqa: SLF001 - the engine's own schema analysis
    terms = engine.terms.terms
    P = lambda: program.prop(terms[p])  # noqa: E731
    for q, _, rule in rules.spo:
        program.rule(RULES[rule], f"{program.prop(terms[q])}(?x, ?y)", f"{P()}(?x, ?y)")
    for c, _ in rules.dom:
        if c != THING:
            program.rule("prp-dom", f"{program.cls(terms[c])}(?x)", f"{P()}(?x, ?y)")
    for c, _ in rules.rng:
        if c != THING:
            program.rule("prp-rng", f"{program.cls(terms[c])}(?y)", f"{P()}(?x, ?y)")
    for q, _, rule in rules.inv:
        program.rule(RULES[rule], f"{program.prop(terms[q])}(?y, ?x)", f"{P()}(?x, ?y)")
    if rules.sym >= 0:
        program.rule("prp-symp", f"{P()}(?y, ?x)", f"{P()}(?x, ?y)")
    if rules.trans >= 0:
        program.rule("prp-trp", f"{P()}(?x, ?z)", f"{P()}(?x, ?y)", f"{P()}(?y, ?z)")
    if rules.func >= 0:
        program.rule("prp-fp", "same(?y, ?z)", f"{P()}(?x, ?y)", f"{P()}(?x, ?z)", "?y != ?z")
    if rules.ifp >= 0:
        program.rule("prp-ifp", "same(?x, ?z)", f"{P()}(?x, ?y)", f"{P()}(?z, ?y)", "?x != ?z")
    for head, members, _, _ in rules.chains:
        if (head, members) in chains:
            continue
        chains.add((head, members))
        body = [f"{program.prop(terms[m])}(?x{i}, ?x{i + 1})" for i, m in enumerate(members)]
        program.rule("prp-spo2", f"{program.prop(terms[head])}(?x0, ?x{len(members)})", *body)
    for r, value, _ in rules.svf:
        if value == THING:
            program.rule("cls-svf2", f"{program.cls(terms[r])}(?x)", f"{P()}(?x, ?y)")
        else:
            program.rule("cls-svf1", f"{program.cls(terms[r])}(?x)", f"{P()}(?x, ?y)",
                         f"{program.cls(terms[value])}(?y)")
    for r, value, _ in rules.avf:
        if value != THING:
            program.rule("cls-avf", f"{program.cls(terms[value])}(?y)", f"{program.cls(terms[r])}(?x)",
                         f"{P()}(?x, ?y)")
    for r, value, _ in rules.hv:
        v = _constant(terms[value])
        program.rule("cls-hv1", f"{P()}(?x, {v})", f"{program.cls(terms[r])}(?x)")
        program.rule("cls-hv2", f"{program.cls(terms[r])}(?x)", f"{P()}(?x, {v})")
    for r, _ in rules.maxc1:
        program.rule("cls-maxc2", "same(?y, ?z)", f"{program.cls(terms[r])}(?x)", f"{P()}(?x, ?y)",
                     f"{P()}(?x, ?z)", "?y != ?z")
    for r, n, c, _ in rules.maxqc:
        if n != 1:
            continue
        if c == THING:
            program.rule("cls-maxqc4", "same(?y, ?z)", f"{program.cls(terms[r])}(?x)",
                         f"{P()}(?x, ?y)", f"{P()}(?x, ?z)", "?y != ?z")
        else:
            C = program.cls(terms[c])
            program.rule("cls-maxqc3", "same(?y, ?z)", f"{program.cls(terms[r])}(?x)",
                         f"{P()}(?x, ?y)", f"{C}(?y)", f"{P()}(?x, ?z)", f"{C}(?z)", "?y != ?z")


def _class_rules(program: NemoProgram, engine: RuleEngine, c: int) -> None:
    rules = engine._compile_class(c)  # noqa: SLF001 - the engine's own schema analysis
    terms = engine.terms.terms
    C = lambda: program.cls(terms[c])  # noqa: E731
    for d, _, rule in rules.sup:
        program.rule(RULES[rule], f"{program.cls(terms[d])}(?x)", f"{C()}(?x)")
    for members, _ in rules.int_of:
        body = [f"{program.cls(terms[m])}(?x)" for m in members if m != THING]
        if body:
            program.rule("cls-int1", f"{C()}(?x)", *body)
        for m in members:
            if m != THING:
                program.rule("cls-int2", f"{program.cls(terms[m])}(?x)", f"{C()}(?x)")
    for union, _ in rules.uni_in:
        program.rule("cls-uni", f"{program.cls(terms[union])}(?x)", f"{C()}(?x)")
    for props, _ in rules.keys:
        body = [f"{C()}(?x)", f"{C()}(?y)"]
        body += [f"{program.prop(terms[q])}(?x, ?z{i})" for i, q in enumerate(props)]
        body += [f"{program.prop(terms[q])}(?y, ?z{i})" for i, q in enumerate(props)]
        program.rule("prp-key", "same(?x, ?y)", *body, "?x != ?y")
