"""Helpers shared by the reasoning tests: the engine's closure and derivations as comparable sets."""

from __future__ import annotations

from rdflib import Graph
from rdflib.term import Node

from conflict_graph.reasoning.engine import RULES, RuleEngine

Triple = tuple[Node, Node, Node]


def closure(engine: RuleEngine) -> set[Triple]:
    """Every fact of the engine (asserted and derived) as rdflib triples."""
    terms = engine.terms.terms
    return {(terms[s], terms[p], terms[o]) for s, p, o in engine.closure()}


def asserted(engine: RuleEngine) -> set[Triple]:
    terms = engine.terms.terms
    return {tuple(terms[i] for i in engine.facts[f]) for f in engine.base}  # type: ignore[misc,union-attr]


def derivations(engine: RuleEngine) -> set[tuple[Triple, str, tuple[Triple, ...]]]:
    """Every live derivation as (conclusion, rule, premises) in terms."""
    terms = engine.terms.terms

    def triple(f: int) -> Triple:
        s, p, o = engine.facts[f]  # type: ignore[misc]
        return terms[s], terms[p], terms[o]

    return {(triple(f), RULES[rule], tuple(triple(p) for p in premises))
            for f, rule, premises in zip(engine.d_fact, engine.d_rule, engine.d_premises)
            if premises is not None}


def inconsistencies(engine: RuleEngine) -> set[tuple[str, frozenset[Triple]]]:
    terms = engine.terms.terms
    return {(RULES[rule], frozenset(tuple(terms[i] for i in engine.facts[p]) for p in premises))  # type: ignore[union-attr]
            for rule, premises, _ in engine.inconsistencies}


def ontology_triples() -> list[Triple]:
    from pathlib import Path

    return list(Graph().parse(Path(__file__).resolve().parents[2] / "ontology" / "conflict-graph.ttl"))
