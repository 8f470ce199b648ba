"""Incremental maintenance (insertion through the worklist, deletion by DRed) equals a full rebuild."""

from __future__ import annotations

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF

from conflict_graph import iris
from conflict_graph.reasoning.engine import RuleEngine
from conflict_graph.reasoning.incremental import IncrementalClosure
from conflict_graph.reasoning.synthetic import generate
from closure_support import Triple, closure, derivations, inconsistencies, ontology_triples

ORG = Namespace("http://www.w3.org/ns/org#")
EX = Namespace("https://example.org/incremental/")
ONTOLOGY = str(iris.ONTOLOGY_GRAPH)


@pytest.fixture(scope="module")
def ontology() -> list[Triple]:
    return ontology_triples()


def _rebuild(graphs: dict[str, list[Triple]]) -> RuleEngine:
    engine = RuleEngine()
    engine.add(t for triples in graphs.values() for t in triples)
    return engine


def _same(incremental: IncrementalClosure, graphs: dict[str, list[Triple]]) -> None:
    full = _rebuild(graphs)
    assert closure(incremental.engine) == closure(full)
    assert derivations(incremental.engine) == derivations(full)
    assert inconsistencies(incremental.engine) == inconsistencies(full)
    assert {incremental.engine.facts[f] is not None for f in incremental.engine.base} <= {True}


def test_adds_and_removes_of_graphs_equal_a_full_rebuild(ontology: list[Triple]) -> None:
    sources = {name: generate(1500, seed=seed, prefix=f"{name}-")
               for seed, name in enumerate(["a", "b", "c", "a2"])}
    shared = sources["a"][:200]  # asserted in two graphs: stays until both drop it
    steps: list[tuple[str, str, list[Triple] | None]] = [
        ("set", ONTOLOGY, ontology), ("set", "a", sources["a"]), ("set", "b", sources["b"] + shared),
        ("set", "c", sources["c"]), ("remove", "b", None), ("set", "a", sources["a2"]),
        ("set", "b", sources["b"]), ("remove", "c", None), ("set", "b", sources["b"][:700]),
        ("remove", "a", None),
    ]
    incremental = IncrementalClosure()
    graphs: dict[str, list[Triple]] = {}
    for action, name, triples in steps:
        if action == "set":
            assert triples is not None
            incremental.set_graph(name, triples)
            graphs[name] = triples
        else:
            incremental.remove_graph(name)
            del graphs[name]
        _same(incremental, graphs)


def test_removing_a_premise_removes_the_inference_and_its_derivation(ontology: list[Triple]) -> None:
    """prp-inv1: org:memberOf owl:inverseOf org:hasMember; without the premise, nothing is left."""
    membership = (EX.tnla, ORG.memberOf, EX.brotherhood)
    inferred = (EX.brotherhood, ORG.hasMember, EX.tnla)
    incremental = IncrementalClosure()
    incremental.set_graph(ONTOLOGY, ontology)
    incremental.set_graph("membership", [membership, (EX.brotherhood, RDF.type, URIRef(iris.CG.Alliance))])
    before = derivations(incremental.engine)
    assert inferred in closure(incremental.engine)
    assert any(c == inferred and rule == "prp-inv1" and membership in premises
               for c, rule, premises in before)

    incremental.set_graph("membership", [(EX.brotherhood, RDF.type, URIRef(iris.CG.Alliance))])
    assert inferred not in closure(incremental.engine)
    assert membership not in closure(incremental.engine)
    assert not [d for d in derivations(incremental.engine) if d[0] == inferred or membership in d[2]]


def test_a_removed_assertion_that_is_still_entailed_stays_as_inferred(ontology: list[Triple]) -> None:
    membership = (EX.tnla, ORG.memberOf, EX.brotherhood)
    inverse = (EX.brotherhood, ORG.hasMember, EX.tnla)
    incremental = IncrementalClosure()
    incremental.set_graph(ONTOLOGY, ontology)
    incremental.set_graph("one", [membership])
    incremental.set_graph("two", [inverse])
    incremental.remove_graph("one")
    engine = incremental.engine
    key = tuple(engine.terms.id(t) for t in membership)
    assert key in engine.fid and engine.fid[key] not in engine.base  # type: ignore[comparison-overlap]
    _same(incremental, {ONTOLOGY: ontology, "two": [inverse]})


@pytest.mark.parametrize("fixture", ["rule-coverage.ttl", "inconsistent.ttl"])
@pytest.mark.parametrize("seed", range(12))
def test_axioms_and_data_in_any_order_and_split_equal_a_full_rebuild(seed: int, fixture: str) -> None:
    """A rule fixture dealt at random into four graphs (axioms and data mixed), added one by one
    and removed again: after each step, the closure, derivations and clashes of a rebuild."""
    import random
    from pathlib import Path

    from rdflib import Graph

    triples = sorted(Graph().parse(Path(__file__).resolve().parent / "data" / fixture))
    dealer = random.Random(seed)
    dealer.shuffle(triples)
    parts = {f"part-{i}": triples[i::4] for i in range(4)}
    incremental = IncrementalClosure()
    graphs: dict[str, list[Triple]] = {}
    for name in dealer.sample(sorted(parts), 4):
        incremental.set_graph(name, parts[name])
        graphs[name] = parts[name]
        _same(incremental, graphs)
    for name in dealer.sample(sorted(parts), 3):
        incremental.remove_graph(name)
        del graphs[name]
        _same(incremental, graphs)
